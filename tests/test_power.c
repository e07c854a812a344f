/* test_power.c - accelerator power under utilisation, clock and caps; node
 * power; distribution losses; limits. */
#include "dcsim/accel.h"
#include "dcsim/power.h"
#include "harness.h"

/* H100-SXM defaults: idle 70 W, max 700 W, alpha 3.
 * util 0.6 at full clock: 70 + 630 * 0.6 = 448 W;
 * util 1 at clock 0.8: 70 + 630 * 0.512 = 392.56 W. */
static void power_vs_util_and_clock(void)
{
    dcs_accel_params g;
    dcs_accel_defaults(&g);
    CHECK_NEAR(dcs_accel_power_w(&g, 0.0, 1.0), 70.0, 1e-12);
    CHECK_NEAR(dcs_accel_power_w(&g, 1.0, 1.0), 700.0, 1e-12);
    CHECK_NEAR(dcs_accel_power_w(&g, 0.6, 1.0), 448.0, 1e-12);
    CHECK_NEAR(dcs_accel_power_w(&g, 1.0, 0.8), 392.56, 1e-12);
    CHECK_NEAR(dcs_accel_power_w(&g, 1.7, 0.2), dcs_accel_power_w(&g, 1.0, 0.5), 1e-12);
}

/* A 500 W cap at full load: c = (430 / 630)^(1/3) = 0.880459; power back
 * at the cap.  Compute-bound work slows by 1/c = 1.135771; work 70 %
 * memory-bound by 0.3 * 0.135771 = 4.07 % only.  A cap above the demand
 * leaves the clock alone; a cap below idle pins the clock at its minimum. */
static void power_cap_lowers_clock(void)
{
    dcs_accel_params g;
    dcs_accel_defaults(&g);
    double c = dcs_accel_clock_for_cap(&g, 1.0, 500.0);
    CHECK_NEAR(c, 0.880459, 1e-6);
    CHECK_NEAR(dcs_accel_power_w(&g, 1.0, c), 500.0, 1e-12);
    CHECK_NEAR(dcs_accel_slowdown(c, 0.0), 1.135771, 1e-6);
    CHECK_NEAR(dcs_accel_slowdown(c, 0.7), 1.040731, 1e-6);
    CHECK_NEAR(dcs_accel_clock_for_cap(&g, 0.3, 500.0), 1.0, 0.0);   /* 259 W < cap */
    CHECK_NEAR(dcs_accel_clock_for_cap(&g, 1.0, 50.0), 0.5, 0.0);
}

/* The V100 plausibility check of accel.c: idle 40, max 250, cap 175:
 * c = (135/210)^(1/3) = 0.863054, 60 % memory-bound -> 1.0635 (FACTS.md
 * section 2: 6-7 % more latency, Samsi et al. 2023). */
static void v100_cap_matches_reported_latency_cost(void)
{
    dcs_accel_params g;
    dcs_accel_defaults(&g);
    g.idle_w = 40.0;
    g.max_w = 250.0;
    double c = dcs_accel_clock_for_cap(&g, 1.0, 175.0);
    CHECK_NEAR(c, 0.863054, 1e-6);
    double s = dcs_accel_slowdown(c, 0.6);
    CHECK(s > 1.06 && s < 1.07);
}

/* DGX-H100-like node (power.c): max 8,750 W DC / 0.95 = 9,210.5 W AC, under
 * the 10.2 kW rating; at GPU util 0.7 and CPU 0.5:
 *   GPUs 8 * (70 + 630 * 0.7) = 4,088; CPUs 150 + 550 * 0.5 = 425;
 *   fixed 1,250; heat 5,763 of 7,550 -> fan speed 0.763311,
 *   fans 1,200 * 0.444739 = 533.69; AC (5,763 + 533.69) / 0.95 = 6,628.1 W,
 * inside the 6.5-8.5 kW typical band (FACTS.md section 1). */
static void node_power_envelope(void)
{
    dcs_accel_params g;
    dcs_accel_defaults(&g);
    dcs_node_params n;
    dcs_node_defaults(&n, &g);
    CHECK_NEAR(dcs_node_power_w(&n, 1.0, 1.0, 1.0), 9210.53, 1e-6);
    CHECK(dcs_node_power_w(&n, 1.0, 1.0, 1.0) <= 10200.0);
    CHECK_NEAR(dcs_node_power_w(&n, 0.7, 1.0, 0.5), 6628.09, 1e-6);
    /* Immersion or DLC without fans: the node draws less. */
    n.fan_max_w = 0.0;
    CHECK_NEAR(dcs_node_power_w(&n, 0.7, 1.0, 0.5), 5763.0 / 0.95, 1e-12);
}

/* Distribution 10 MW rated: at 2.5 MW, loss = 10 MW * (0.01 + 0.005 +
 * 0.000625) = 156.25 kW, efficiency 2.5 / 2.65625 = 0.941176; at 10 MW,
 * loss 400 kW, efficiency 0.961538. */
static void distribution_losses(void)
{
    dcs_distribution_params d;
    dcs_distribution_defaults(&d, 10e6);
    CHECK_NEAR(dcs_distribution_loss_w(&d, 2.5e6), 156250.0, 1e-12);
    CHECK_NEAR(dcs_distribution_efficiency(&d, 2.5e6), 0.941176, 1e-6);
    CHECK_NEAR(dcs_distribution_efficiency(&d, 10e6), 0.961538, 1e-6);
    CHECK_ABS(dcs_distribution_efficiency(&d, 0.0), 0.0, 0.0);
}

static void limits_and_peaks(void)
{
    CHECK_NEAR(dcs_power_limit_scale(30e6, 24e6), 1.0, 0.0);
    CHECK_NEAR(dcs_power_limit_scale(30e6, 40e6), 0.75, 1e-12);
    CHECK_NEAR(dcs_power_limit_scale(0.0, 40e6), 1.0, 0.0);
    double peak = 0.0;
    static const double p[4] = {3.1e6, 5.7e6, 4.2e6, 5.6e6};
    for (int i = 0; i < 4; i++)
        peak = dcs_power_peak_w(peak, p[i]);
    CHECK_NEAR(peak, 5.7e6, 0.0);
}

int main(void)
{
    RUN(power_vs_util_and_clock);
    RUN(power_cap_lowers_clock);
    RUN(v100_cap_matches_reported_latency_cost);
    RUN(node_power_envelope);
    RUN(distribution_losses);
    RUN(limits_and_peaks);
    return TEST_END();
}
