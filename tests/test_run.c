/*
 * test_run.c - a scenario assembled and run in-process: the site LP's totals
 * against hand computations, and a chiller-trip transient.
 */
#include "dcsim/model.h"
#include "dcsim/embodied.h"
#include "dcsim/power.h"
#include "dcsim/scenario.h"
#include "dcsim/site.h"
#include "harness.h"
#include "run_util.h"

#include "../sim/model_internal.h"


/* flat.yaml: 10 nodes of 8 H100 at 50 % for 24 h, flat 360 gCO2/kWh
 * (= 0.36 kg/kWh), 100 USD/MWh (= 0.1 USD/kWh), 25 % carbon-free.
 *   IT energy   = 10 x P_node(0.5) x 24 h, P_node from the node model
 *                 (tests/test_power.c checks it by hand);
 *   facility    = IT + cooling + distribution losses (no heat pump);
 *   carbon      = facility kWh x 0.36 kg/kWh, exactly: the intensity is flat;
 *   cost        = facility kWh x 0.1 USD/kWh;  cfe = 25 %;
 *   embodied    = 80 GPUs x 24 h x the default kg per GPU-hour. */
static void flat_totals(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/run/flat.yaml", &s, 1);
    if (!m)
        return;
    dcs_accel_params a;
    dcs_accel_defaults(&a);
    const dcs_accel_spec *cat = s->sites[0].clusters[0].accel;
    a.idle_w = cat->idle_power_w;
    a.max_w = cat->max_power_w;
    dcs_node_params node;
    dcs_node_defaults(&node, &a);
    node.gpus = 8;
    double it_kwh = 10 * dcs_node_power_w(&node, 0.5, 1.0, 0.5) * 24 / 1e3;
    CHECK_NEAR(dcs_model_metric(m, "energy_it_kwh"), it_kwh, 1e-12);
    double fac = dcs_model_metric(m, "energy_facility_kwh");
    CHECK_NEAR(fac, dcs_model_metric(m, "energy_it_kwh") + dcs_model_metric(m, "energy_cooling_kwh")
                        + dcs_model_metric(m, "energy_losses_kwh"), 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "carbon_kg"), 0.36 * fac, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "cost_usd"), 0.1 * fac, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "cfe_pct"), 25, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "gpu_util_mean"), 0.5, 1e-12);
    dcs_embodied_params e = dcs_embodied_defaults();
    CHECK_NEAR(dcs_model_metric(m, "carbon_embodied_kg"),
               80 * 24 * dcs_embodied_kg_per_gpu_hour(&e), 1e-12);
    double pue = dcs_model_metric(m, "pue");
    CHECK(pue > 1.0 && pue < 1.6);
    CHECK_NEAR(dcs_model_metric(m, "throttled_h"), 0, 0);
    /* 24 hourly samples at t = 0 .. 23 h */
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 0), &r);
    CHECK_INT(r.nrows, 24);
    CHECK_INT(r.times[23], 23 * DCS_HOUR);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* trip.yaml: the chiller of an air-cooled hall trips at 14:00 for an hour.
 * The supply air holds its set point before, rises through the trip (no
 * chiller: the heat goes into the loop's thermal mass), passes the 32 degC
 * throttle limit (cooling_defaults.c) so GPUs throttle, and is back at the
 * set point an hour after the chiller returns. */
static void chiller_trip(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/run/trip.yaml", &s, 1);
    if (!m)
        return;
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 0), &r);
    CHECK_INT(r.nrows, 24 * 60);
    if (r.nrows != 24 * 60)
        return;
    const double *row = r.rows;
    size_t T = DCS_SITE_COL_supply_temp_c, H = DCS_SITE_COL_throttle;
    double set = row[0 * DCS_SITE_NCOLS + T];
    CHECK_NEAR(row[(14 * 60 - 1) * DCS_SITE_NCOLS + T], set, 1e-9);
    int rising = 1;
    for (size_t k = 14 * 60 + 1; k < 14 * 60 + 5; k++)
        rising &= row[k * DCS_SITE_NCOLS + T] > row[(k - 1) * DCS_SITE_NCOLS + T];
    CHECK(rising);
    double hottest = 0, least = 1;
    for (size_t k = 14 * 60; k < 15 * 60; k++) {
        if (row[k * DCS_SITE_NCOLS + T] > hottest)
            hottest = row[k * DCS_SITE_NCOLS + T];
        if (row[k * DCS_SITE_NCOLS + H] < least)
            least = row[k * DCS_SITE_NCOLS + H];
    }
    CHECK(hottest > 32.0);
    CHECK(least < 1.0);
    CHECK(dcs_model_metric(m, "throttled_h") > 0);
    CHECK_NEAR(row[16 * 60 * DCS_SITE_NCOLS + T], set, 1e-9);
    CHECK_NEAR(row[16 * 60 * DCS_SITE_NCOLS + H], 1.0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* The same scenario and seed with 1 and 2 threads: identical totals and
 * series, bit for bit. */
static void threads_agree(void)
{
    dcs_scenario *s1, *s2;
    dcs_model *m1 = load_and_run("fixtures/run/fleet.yaml", &s1, 1);
    dcs_model *m2 = load_and_run("fixtures/run/fleet.yaml", &s2, 2);
    if (m1 && m2) {
        CHECK_INT(m1->nsites, 4);
        for (size_t i = 0; i < m1->nsites; i++) {
            dcs_site_results a, b;
            dcs_site_results_of(dcs_model_site_state(m1, i), &a);
            dcs_site_results_of(dcs_model_site_state(m2, i), &b);
            CHECK_INT(a.nrows, b.nrows);
            CHECK(memcmp(a.account, b.account, sizeof *a.account) == 0);
            CHECK(a.nrows == b.nrows &&
                  memcmp(a.rows, b.rows, a.nrows * DCS_SITE_NCOLS * sizeof *a.rows) == 0);
        }
    }
    dcs_model_free(m1);
    dcs_model_free(m2);
    dcs_scenario_free(s1);
    dcs_scenario_free(s2);
}

/* caps.yaml.  Site `rack`: 20 kW racks of 4 nodes allow 5 kW a node, less
 * than a node draws at 66 %, so GPUs are capped until each node draws 5 kW
 * (bisection to 1e-6 of the cap): IT = 8 x 5 kW = 40 kW for 24 h = 960 kWh,
 * capped all day.  Site `site`: facility power <= 30 kW, enforced on the
 * previous step's facility/IT ratio, so after the first step every sample
 * is at the limit (within the change of overhead between two steps). */
static void power_limits(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/run/caps.yaml", &s, 1);
    if (!m)
        return;
    dcs_site_account a;
    dcs_model_site_totals(m, 0, &a);
    CHECK_NEAR(a.energy.it_j / 3.6e6, 960.0, 1e-4);
    CHECK_NEAR(a.capped_s, 86400, 0);
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 1), &r);
    CHECK_INT(r.nrows, 144);
    int within = 1, binding = 1;
    for (size_t k = 1; k < r.nrows; k++) {
        double f = r.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_facility_power_w];
        within &= f <= 30e3 * 1.005;
        binding &= f >= 30e3 * 0.995;
    }
    CHECK(within);
    CHECK(binding);
    dcs_model_site_totals(m, 1, &a);
    CHECK_NEAR(a.capped_s, 86400, 0);
    CHECK(a.energy.peak_w > 30e3);     /* the first step, before the ratio is known */
    dcs_model_free(m);
    dcs_scenario_free(s);
}

int main(void)
{
    RUN(flat_totals);
    RUN(chiller_trip);
    RUN(threads_agree);
    RUN(power_limits);
    return TEST_END();
}
