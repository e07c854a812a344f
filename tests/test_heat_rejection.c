/* test_heat_rejection.c - towers and dry coolers: approach, fan speed and
 * power, water use. */
#include "dcsim/heat_rejection.h"
#include "harness.h"

/* Tower sized for 10 MW, ambient 25.0 degC dry-bulb / 18.7 degC wet-bulb,
 * rejecting 6 MW to a 24 degC target:
 *   speed s = approach * (Q/Qd) / (target - T_wb) = 5 * 0.6 / 5.3 = 0.56604
 *   fan     = 0.015 * 10 MW * s^3 = 150 kW * 0.181363 = 27,204 W
 *   evaporation = 0.85 * 6e6 / 2.442e6 = 2.08845 kg/s
 *   blowdown    = 2.08845 / (4 - 1) = 0.69615 kg/s
 *   drift       = 5e-6 * 6e6 / (4186 * 5) = 5e-6 * 286.67 = 0.0014333 kg/s
 *   water       = 2.78603 kg/s, i.e. 2.78603 * 3600 / 6000 = 1.672 L per
 *                 kWh rejected (a typical tower-cooled WUE magnitude). */
static void tower_operating_point(void)
{
    dcs_hr_params p;
    dcs_hr_defaults(&p, DCS_HR_COOLING_TOWER, 10e6);
    dcs_hr_result r;
    dcs_hr_eval(&p, 25.0, 18.7, 6e6, 24.0, &r);
    CHECK_NEAR(r.fan_speed, 0.56604, 1e-4);
    CHECK_NEAR(r.fan_w, 27204.0, 1e-3);
    CHECK_NEAR(r.leaving_c, 24.0, 1e-12);
    CHECK_NEAR(r.evaporation_kg_s, 2.08845, 1e-5);
    CHECK_NEAR(r.blowdown_kg_s, 0.69615, 1e-5);
    CHECK_NEAR(r.drift_kg_s, 0.0014333, 1e-4);
    CHECK_NEAR(r.water_kg_s * 3600.0 / 6000.0, 1.672, 1e-3);
}

/* A target below reach: fan flat out, water leaves at 18.7 + 5 * 0.6 = 21.7. */
static void tower_target_out_of_reach(void)
{
    dcs_hr_params p;
    dcs_hr_defaults(&p, DCS_HR_COOLING_TOWER, 10e6);
    dcs_hr_result r;
    dcs_hr_eval(&p, 25.0, 18.7, 6e6, 20.0, &r);
    CHECK_NEAR(r.fan_speed, 1.0, 0.0);
    CHECK_NEAR(r.leaving_c, 21.7, 1e-12);
    CHECK_NEAR(r.fan_w, 150e3, 1e-12);
    CHECK_NEAR(dcs_hr_min_leaving_c(&p, 18.7, 6e6), 21.7, 1e-12);
}

/* A dry cooler approaches the dry-bulb and uses no water.  2 MW design,
 * 1 MW at 12 degC dry-bulb to a 32 degC target: s = 10 * 0.5 / 20 = 0.25,
 * fan = 0.03 * 2 MW * 0.25^3 = 937.5 W. */
static void dry_cooler(void)
{
    dcs_hr_params p;
    dcs_hr_defaults(&p, DCS_HR_DRY_COOLER, 2e6);
    dcs_hr_result r;
    dcs_hr_eval(&p, 12.0, 7.0, 1e6, 32.0, &r);
    CHECK_NEAR(dcs_hr_sink_c(&p, 12.0, 7.0), 12.0, 0.0);
    CHECK_NEAR(r.fan_speed, 0.25, 1e-12);
    CHECK_NEAR(r.fan_w, 937.5, 1e-12);
    CHECK_ABS(r.water_kg_s, 0.0, 0.0);
}

/* Below the 20 % minimum speed the fan cycles: 2 MW design, 0.1 MW at
 * -5 degC to 32 degC wants s = 10 * 0.05 / 37 = 0.013514; power is linear
 * from 0.2^3: 60 kW * 0.008 * (0.013514 / 0.2) = 32.43 W, and the mean
 * leaving temperature is the target. */
static void fan_cycles_at_low_load(void)
{
    dcs_hr_params p;
    dcs_hr_defaults(&p, DCS_HR_DRY_COOLER, 2e6);
    dcs_hr_result r;
    dcs_hr_eval(&p, -5.0, -6.0, 1e5, 32.0, &r);
    CHECK_NEAR(r.fan_w, 32.43, 1e-3);
    CHECK_NEAR(r.leaving_c, 32.0, 1e-12);
}

/* No heat: no fan, no water. */
static void idle(void)
{
    dcs_hr_params p;
    dcs_hr_defaults(&p, DCS_HR_COOLING_TOWER, 1e6);
    dcs_hr_result r;
    dcs_hr_eval(&p, 20.0, 15.0, 0.0, 25.0, &r);
    CHECK_ABS(r.fan_w + r.water_kg_s, 0.0, 0.0);
    CHECK_NEAR(dcs_hr_evaporation_kg_s(2.442e6, 2.442e6), 1.0, 1e-15);
}

int main(void)
{
    RUN(tower_operating_point);
    RUN(tower_target_out_of_reach);
    RUN(dry_cooler);
    RUN(fan_cycles_at_low_load);
    RUN(idle);
    return TEST_END();
}
