/* test_chiller.c - EnergyPlus EIR chiller with the DOE-2 centrifugal curves,
 * and the affinity laws. */
#include "dcsim/affinity.h"
#include "dcsim/chiller.h"
#include "harness.h"

/* At the reference point (LCHWT 6.67 degC, ECT 29.4 degC):
 *   CAPFT = 0.257896 + 0.0389016*6.67 - 0.00021708*44.4889 + 0.0468684*29.4
 *           - 0.00094284*864.36 - 0.00034344*196.098 = 1.00334
 *   EIRFT = 0.933884 - 0.058212*6.67 + 0.00450036*44.4889 + 0.00243*29.4
 *           + 0.000486*864.36 - 0.001215*196.098 = 0.999088
 *   EIRFPLR(1) = 0.222903 + 0.313387 + 0.463710 = 1.000000
 * so full-load COP = 5.5 / (0.999088 * 1) = 5.505 (FACTS.md 3: 5.51). */
static void reference_point(void)
{
    dcs_chiller_params p;
    dcs_chiller_defaults(&p);
    p.cap_ref_w = 2.385e6;
    dcs_chiller_result r;
    dcs_chiller_eval(&p, 1e9, 6.67, 29.4, &r);  /* more than it can: full load */
    CHECK_NEAR(r.capacity_w, 2.385e6 * 1.00334, 1e-5);
    CHECK_NEAR(r.plr, 1.0, 1e-12);
    CHECK_NEAR(r.cop, 5.505, 1e-3);
    CHECK_NEAR(r.unmet_w, 1e9 - r.capacity_w, 1e-12);
    CHECK_NEAR(r.condenser_w, r.load_met_w + r.power_w, 1e-12);
}

/* Full-load COP off the reference point, FACTS.md section 3 [D]:
 * LCHWT 6.67: ECT 24 -> 6.18, 27 -> 5.81, 32 -> 5.18, 35 -> 4.81;
 * LCHWT 10:   ECT 24 -> 6.48, 27 -> 6.15, 29.4 -> 5.88, 32 -> 5.56, 35 -> 5.20. */
static void off_reference_cops(void)
{
    dcs_chiller_params p;
    dcs_chiller_defaults(&p);
    static const double ect[5] = {24.0, 27.0, 29.4, 32.0, 35.0};
    static const double cop667[5] = {6.18, 5.81, 5.51, 5.18, 4.81};
    static const double cop10[5] = {6.48, 6.15, 5.88, 5.56, 5.20};
    for (int i = 0; i < 5; i++) {
        dcs_chiller_result r;
        dcs_chiller_eval(&p, 1e9, 6.67, ect[i], &r);
        CHECK_NEAR(r.cop, cop667[i], 2e-3);
        dcs_chiller_eval(&p, 1e9, 10.0, ect[i], &r);
        CHECK_NEAR(r.cop, cop10[i], 2e-3);
    }
}

/* Part load at reference temperatures: COP = 5.5 * PLR / (EIRFT * EIRFPLR).
 * PLR 0.2: EIRFPLR = 0.222903 + 0.0626774 + 0.0185484 = 0.304129,
 *          COP = 5.5 * 0.2 / (0.999088 * 0.304129) = 3.620 (FACTS: 3.6).
 * PLR 0.4: EIRFPLR = 0.222903 + 0.1253548 + 0.0741936 = 0.422451,
 *          COP = 5.5 * 0.4 / (0.999088 * 0.422451) = 5.212 (FACTS: 5.2). */
static void part_load(void)
{
    dcs_chiller_params p;
    dcs_chiller_defaults(&p);
    dcs_chiller_result full, r;
    dcs_chiller_eval(&p, 1e9, 6.67, 29.4, &full);
    dcs_chiller_eval(&p, 0.2 * full.capacity_w, 6.67, 29.4, &r);
    CHECK_NEAR(r.cop, 3.620, 1e-3);
    CHECK_NEAR(r.cycling, 1.0, 0.0);
    dcs_chiller_eval(&p, 0.4 * full.capacity_w, 6.67, 29.4, &r);
    CHECK_NEAR(r.cop, 5.212, 1e-3);
}

/* Below PLR_min = 0.1 the chiller cycles at PLR 0.1: at PLR 0.05 the
 * cycling ratio is 0.5 and EIRFPLR(0.1) = 0.222903 + 0.0313387 + 0.0046371
 * = 0.2588788, so COP = 5.5 * 0.05 / (0.999088 * 0.2588788 * 0.5) = 2.1265. */
static void cycling_below_min_plr(void)
{
    dcs_chiller_params p;
    dcs_chiller_defaults(&p);
    dcs_chiller_result full, r;
    dcs_chiller_eval(&p, 1e9, 6.67, 29.4, &full);
    dcs_chiller_eval(&p, 0.05 * full.capacity_w, 6.67, 29.4, &r);
    CHECK_NEAR(r.cycling, 0.5, 1e-12);
    CHECK_NEAR(r.cop, 2.1265, 1e-3);
    dcs_chiller_eval(&p, 0.0, 6.67, 29.4, &r);
    CHECK_ABS(r.power_w, 0.0, 0.0);
    CHECK_ABS(r.cop, 0.0, 0.0);
}

/* Temperatures outside the curves' ranges are clamped (EnergyPlus does the
 * same): ECT 41.3 behaves as 35, LCHWT 18 as 10, ECT 12 as 24. */
static void clamped_temperatures(void)
{
    dcs_chiller_params p;
    dcs_chiller_defaults(&p);
    dcs_chiller_result a, b;
    dcs_chiller_eval(&p, 4e5, 6.67, 41.3, &a);
    dcs_chiller_eval(&p, 4e5, 6.67, 35.0, &b);
    CHECK_NEAR(a.power_w, b.power_w, 1e-12);
    dcs_chiller_eval(&p, 4e5, 18.0, 12.0, &a);
    dcs_chiller_eval(&p, 4e5, 10.0, 24.0, &b);
    CHECK_NEAR(a.power_w, b.power_w, 1e-12);
}

/* Affinity laws: -10 % speed -> 0.729 of design (-27 %), -20 % -> 0.512
 * (-49 %), FACTS.md section 3.  Below a 30 % minimum speed, power is
 * linear in flow from 0.3^3 = 0.027: at 15 % flow, 0.027 * 0.5 = 0.0135. */
static void affinity_laws(void)
{
    CHECK_NEAR(dcs_affinity_power_w(1000.0, 0.9, 0.3), 729.0, 1e-12);
    CHECK_NEAR(dcs_affinity_power_w(1000.0, 0.8, 0.3), 512.0, 1e-12);
    CHECK_NEAR(dcs_affinity_power_w(1000.0, 0.15, 0.3), 13.5, 1e-12);
    CHECK_NEAR(dcs_affinity_power_w(1000.0, 1.7, 0.3), 1000.0, 1e-12);
    CHECK_ABS(dcs_affinity_power_w(1000.0, 0.0, 0.3), 0.0, 0.0);
}

int main(void)
{
    RUN(reference_point);
    RUN(off_reference_cops);
    RUN(part_load);
    RUN(cycling_below_min_plr);
    RUN(clamped_temperatures);
    RUN(affinity_laws);
    return TEST_END();
}
