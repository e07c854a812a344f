/* test_psychro.c - psychrometrics against published tables and hand
 * computations. */
#include "dcsim/psychro.h"
#include "harness.h"

/* Saturation pressure of water, CRC Handbook of Chemistry and Physics,
 * 73rd ed. (1992-93), "Vapor pressure of water" table, kPa:
 * 10 degC 1.2281, 20 degC 2.3388, 25 degC 3.169, 30 degC 4.2455,
 * 40 degC 7.3814, 50 degC 12.344.  Over ice at -10 degC: 0.2599 kPa (ASHRAE
 * HoF 2017 ch.1 Table 3).  The Hyland-Wexler fit agrees to better than
 * 0.05 % (0.1 % over ice). */
static void saturation_pressure_matches_tables(void)
{
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(10.0), 1228.1, 5e-4);
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(20.0), 2338.8, 5e-4);
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(25.0), 3169.0, 5e-4);
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(30.0), 4245.5, 5e-4);
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(40.0), 7381.4, 5e-4);
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(50.0), 12344.0, 5e-4);
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(-10.0), 259.9, 1e-3);
    /* The two branches meet at the triple point: 611.2 Pa either side. */
    CHECK_NEAR(dcs_psychro_sat_pressure_pa(-1e-9), dcs_psychro_sat_pressure_pa(0.0), 1e-3);
}

/* W = 0.621945 pw / (p - pw).  At 20 degC saturation and 101325 Pa:
 * 0.621945 * 2338.8 / (101325 - 2338.8) = 1454.61 / 98986.2 = 0.014695.
 * ASHRAE's Table 2 gives 0.014758 including the enhancement factor
 * (+0.43 %) that this model leaves out. */
static void humidity_ratio_round_trip(void)
{
    double w = dcs_psychro_humidity_ratio(2338.8, 101325.0);
    CHECK_NEAR(w, 0.014695, 1e-4);
    CHECK_NEAR(w, 0.014758, 5e-3);
    CHECK_NEAR(dcs_psychro_vapour_pressure_pa(w, 101325.0), 2338.8, 1e-12);
}

/* 25 degC, 50 % RH at sea level: dew point 13.9 degC, wet-bulb 17.9 degC
 * (read off the ASHRAE psychrometric chart No. 1; the values every HVAC
 * text quotes for this state). */
static void dew_point_and_wet_bulb_at_25c_50pc(void)
{
    double tdp = dcs_psychro_dew_point_from_rh_c(25.0, 0.5);
    CHECK_ABS(tdp, 13.86, 0.05);
    CHECK_ABS(dcs_psychro_rh_from_dew_point(25.0, tdp), 0.5, 1e-6);
    double twb = 0.0;
    CHECK_INT(dcs_psychro_wet_bulb_from_dew_point_c(25.0, tdp, 101325.0, &twb), DCS_OK);
    CHECK_ABS(twb, 17.9, 0.1);
}

/* ASHRAE HoF 2017 ch.1 worked example: air at 40 degC dry-bulb, 20 degC
 * thermodynamic wet-bulb, 101.325 kPa.  By eq. (33) with Ws*(20 degC) =
 * 0.014695 (this model):
 *   W = ((2501 - 2.326*20) * 0.014695 - 1.006*(40 - 20))
 *       / (2501 + 1.86*40 - 4.186*20)
 *     = (2454.48 * 0.014695 - 20.12) / 2491.68 = 15.9486 / 2491.68 = 0.0064008.
 * Solving the other way round must give the wet-bulb back; the dew point of
 * that air is 7.4 degC (pw = 101325 * 0.0064008 / 0.6283458 = 1032.2 Pa,
 * and pws(7.4 degC) = 1031 Pa). */
static void wet_bulb_inverts_the_energy_balance(void)
{
    double ws = dcs_psychro_humidity_ratio(dcs_psychro_sat_pressure_pa(20.0), 101325.0);
    double w = ((2501.0 - 2.326 * 20.0) * ws - 1.006 * 20.0) / (2501.0 + 1.86 * 40.0 - 4.186 * 20.0);
    CHECK_NEAR(w, 0.0064008, 1e-4);
    double twb = 0.0;
    CHECK_INT(dcs_psychro_wet_bulb_c(40.0, w, 101325.0, &twb), DCS_OK);
    CHECK_ABS(twb, 20.0, 1e-5);
    double tdp = dcs_psychro_dew_point_from_pw_c(dcs_psychro_vapour_pressure_pa(w, 101325.0));
    CHECK_ABS(tdp, 7.4, 0.1);
}

/* Below freezing the ice branch (eq. 35) applies: at -10 degC dry-bulb and
 * -12 degC dew point the wet-bulb lies strictly between them. */
static void wet_bulb_below_freezing(void)
{
    double twb = 0.0;
    CHECK_INT(dcs_psychro_wet_bulb_from_dew_point_c(-10.0, -12.0, 101325.0, &twb), DCS_OK);
    CHECK(twb > -12.0 && twb < -10.0);
}

/* Saturated air: wet-bulb = dry-bulb = dew point. */
static void saturated_air(void)
{
    double twb = 0.0;
    CHECK_INT(dcs_psychro_wet_bulb_from_dew_point_c(28.3, 28.3, 101325.0, &twb), DCS_OK);
    CHECK_ABS(twb, 28.3, 1e-6);
}

/* Inputs that are not physical are refused, and the output left alone. */
static void bad_inputs_refused(void)
{
    double twb = 123.0;
    CHECK_INT(dcs_psychro_wet_bulb_c(25.0, -0.001, 101325.0, &twb), DCS_ERANGE);
    CHECK_INT(dcs_psychro_wet_bulb_c(25.0, 0.05, 101325.0, &twb), DCS_ERANGE); /* > Ws 0.0201 */
    CHECK_INT(dcs_psychro_wet_bulb_c(25.0, 0.01, 0.0, &twb), DCS_ERANGE);
    CHECK_INT(dcs_psychro_wet_bulb_c(NAN, 0.01, 101325.0, &twb), DCS_ERANGE);
    CHECK_INT(dcs_psychro_wet_bulb_from_dew_point_c(25.0, 30.0, 101325.0, &twb), DCS_ERANGE);
    CHECK_ABS(twb, 123.0, 0.0);
}

/* ASHRAE HoF 2017 ch.1 Table 1: 1000 m -> 89.875 kPa. */
static void pressure_at_altitude(void)
{
    CHECK_NEAR(dcs_psychro_pressure_at_altitude_pa(0.0), 101325.0, 1e-12);
    CHECK_NEAR(dcs_psychro_pressure_at_altitude_pa(1000.0), 89875.0, 2e-4);
}

/* h = 1006 t + W (2.501e6 + 1860 t): at 25 degC, W = 0.01:
 * 25150 + 0.01 * (2501000 + 46500) = 25150 + 25475 = 50625 J/kg. */
static void enthalpy(void)
{
    CHECK_NEAR(dcs_psychro_enthalpy_j_per_kg(25.0, 0.01), 50625.0, 1e-12);
}

int main(void)
{
    RUN(saturation_pressure_matches_tables);
    RUN(humidity_ratio_round_trip);
    RUN(dew_point_and_wet_bulb_at_25c_50pc);
    RUN(wet_bulb_inverts_the_energy_balance);
    RUN(wet_bulb_below_freezing);
    RUN(saturated_air);
    RUN(bad_inputs_refused);
    RUN(pressure_at_altitude);
    RUN(enthalpy);
    return TEST_END();
}
