/* test_cooling.c - cooling loops: economiser modes, energy balance, trip
 * transients and the throttle threshold, each against a hand computation. */
#include "dcsim/cooling.h"
#include "harness.h"

static dcs_ambient air_at(double db, double wb)
{
    /* Only the fields the plant reads; the dew point is set below any
     * air-side limit so the economiser choice is not affected. */
    dcs_ambient a = {db, wb - 3.0, wb, 0.5, 101325.0};
    return a;
}

/* Every watt of IT heat, mover heat and compressor work goes to ambient or
 * is reported unmet:  rejected = Q + P_crah + P_liquid_pump + P_chillers -
 * unmet (the chilled/condenser-water pumps' and heat-rejection fans' own
 * heat is not routed through the water: see cooling.c). */
static void steady_energy_balance(void)
{
    static const dcs_cooling_type types[3] = {DCS_COOLING_AIR, DCS_COOLING_DIRECT_LIQUID,
                                              DCS_COOLING_IMMERSION};
    static const double db[4] = {-7.3, 14.2, 27.9, 41.6};
    static const double wb[4] = {-8.1, 9.7, 21.4, 24.8};
    for (int t = 0; t < 3; t++) {
        dcs_cooling_params p;
        dcs_cooling_defaults(&p, types[t], 10e6);
        for (int i = 0; i < 4; i++) {
            dcs_ambient a = air_at(db[i], wb[i]);
            dcs_cooling_result r;
            dcs_cooling_power(&p, &a, 7.3e6, &r);
            double liquid_pumps = p.liquid.liquid_fraction > 0.0
                ? p.liquid.pump_w_per_w * p.liquid.liquid_fraction * 10e6 * 0.73 * 0.73 * 0.73 : 0.0;
            double in = 7.3e6 + r.crah_fan_w + liquid_pumps + r.chiller_w + r.trim_chiller_w;
            CHECK_NEAR(r.heat_rejected_w, in - r.unmet_w, 1e-9);
            CHECK_ABS(r.unmet_w, 0.0, 1e-6);
            CHECK_NEAR(r.heat_removed_w, 7.3e6, 1e-12);
            CHECK_NEAR(r.total_w, r.crah_fan_w + r.chiller_w + r.trim_chiller_w
                                  + r.heat_rejection_fan_w + r.pump_w, 1e-12);
        }
    }
}

/* Air loop, 10 MW design, 8 MW IT heat.  CRAH fans: 0.03 * 10 MW * 0.8^3 =
 * 153.6 kW, so the coils carry 8.1536 MW.  Tower design 1.1 * (1 + 1/5.5) *
 * 10 MW = 13 MW, full-speed water wb + 5 * 8.1536 / 13 = wb + 3.136 K.  The
 * economiser target is 10 - 2 = 8 degC with a 6 K chilled-water rise:
 *   full     when wb <= 4.864,
 *   partial  while wb < 10.864; at wb = 7.864 the share is
 *            (8 + 6 - 11.0) / 6 = 0.5,
 *   off      above. */
static void waterside_economiser_modes(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_AIR, 10e6);
    dcs_cooling_result r;
    dcs_ambient a = air_at(2.0, 0.0);
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_NEAR(r.crah_fan_w, 153600.0, 1e-12);
    CHECK_INT(r.mode, DCS_FREE_FULL);
    CHECK_ABS(r.chiller_w, 0.0, 0.0);
    /* Tower fan speed to reach 8 degC from wb 0: 5 * (8.1536/13) / 8 = 0.39200;
     * fan = 0.015 * 13 MW * 0.392^3 = 195 kW * 0.0602363 = 11,746 W. */
    CHECK_NEAR(r.heat_rejection_fan_w, 11746.1, 1e-4);
    CHECK_NEAR(r.free_fraction, 1.0, 1e-12);

    a = air_at(12.0, 7.864);
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.mode, DCS_FREE_PARTIAL);
    CHECK_NEAR(r.free_fraction, 0.5, 1e-3);
    CHECK(r.chiller_w > 0.0);

    a = air_at(25.0, 18.3);
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.mode, DCS_FREE_OFF);
    CHECK_ABS(r.free_fraction, 0.0, 0.0);
    CHECK(r.water_kg_s > 0.0);             /* the tower evaporates */
}

/* Air-side economiser (enabled): outside air at db + 1 K.  Full at db <=
 * 23, partial below return air 36 - 1 = 35: at db = 29 the share is
 * (24 + 12 - 30) / 12 = 0.5; not allowed when the dew point is above 15. */
static void airside_economiser(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_AIR, 10e6);
    p.air.airside_economiser = true;
    dcs_cooling_result r;
    dcs_ambient a = {18.0, 8.0, 12.0, 0.5, 101325.0};
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.mode, DCS_FREE_FULL);
    CHECK_ABS(r.water_kg_s, 0.0, 0.0);      /* no tower in use */
    a = (dcs_ambient){29.0, 12.0, 18.0, 0.35, 101325.0};
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.mode, DCS_FREE_PARTIAL);
    CHECK_NEAR(r.free_fraction, 0.5, 1e-12);
    a = (dcs_ambient){18.0, 16.5, 17.0, 0.9, 101325.0};
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK(r.mode != DCS_FREE_FULL);
}

/* Direct liquid, 10 MW design, 8 MW IT: liquid 6.4 MW plus pumps 0.015 *
 * 8 MW * 0.8^3 = 61,440 W -> 6.46144 MW.  Dry cooler design (1 + 1/5.5) *
 * 8 MW = 9.45455 MW, full-speed water db + 10 * 6.46144 / 9.45455 =
 * db + 6.83419.  Facility water target 32 - 2 = 30 degC, return 40:
 * full when db <= 23.166; at db = 28.1658 the share is (40 - 35.0) / 10 =
 * 0.5; off from db 33.166. */
static void direct_liquid_modes(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_DIRECT_LIQUID, 10e6);
    dcs_cooling_result r;
    dcs_ambient a = air_at(23.0, 15.0);
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.liquid_mode, DCS_FREE_FULL);
    CHECK_ABS(r.trim_chiller_w, 0.0, 0.0);
    CHECK_INT(r.mode, r.liquid_mode);    /* liquid carries most heat */
    a = air_at(28.1658, 19.0);
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.liquid_mode, DCS_FREE_PARTIAL);
    CHECK(r.trim_chiller_w > 0.0);
    a = air_at(33.2, 21.0);
    dcs_cooling_power(&p, &a, 8e6, &r);
    CHECK_INT(r.liquid_mode, DCS_FREE_OFF);
    /* Return water for heat reuse: 30 + 10 = 40 degC. */
    CHECK_NEAR(r.return_c, 40.0, 1e-12);
}

/* On a mild day (db 16.4, wb 11.2) cooling power orders air > direct
 * liquid > immersion: the liquid designs run compressor-free at warm water
 * while the air plant still needs its chiller (wb + 3.1 > 8 degC). */
static void ordering_on_a_mild_day(void)
{
    dcs_cooling_params pa, pd, pi;
    dcs_cooling_defaults(&pa, DCS_COOLING_AIR, 10e6);
    dcs_cooling_defaults(&pd, DCS_COOLING_DIRECT_LIQUID, 10e6);
    dcs_cooling_defaults(&pi, DCS_COOLING_IMMERSION, 10e6);
    dcs_ambient a = air_at(16.4, 11.2);
    dcs_cooling_result ra, rd, ri;
    dcs_cooling_power(&pa, &a, 7e6, &ra);
    dcs_cooling_power(&pd, &a, 7e6, &rd);
    dcs_cooling_power(&pi, &a, 7e6, &ri);
    CHECK(ra.total_w > rd.total_w);
    CHECK(rd.total_w > ri.total_w);
}

/* Chiller trip in an air loop on a hot, humid hour (wb 28 > the 24 degC
 * set point, so the free path removes nothing): the supply rises linearly
 * at Q / C = 8e6 / (41.86 * 10e6) = 0.0191113 K/s.  After 60 s:
 * 24 + 1.146679 = 25.146679 degC, all heat stored (C dT = 8e6 * 60). */
static void trip_rate_is_q_over_c(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_AIR, 10e6);
    dcs_cooling_state s;
    dcs_cooling_state_init(&p, &s);
    dcs_ambient a = air_at(34.0, 28.0);
    dcs_cooling_step_result r;
    dcs_cooling_step(&p, &a, 8e6, &s, 60.0, &r);
    CHECK_NEAR(s.supply_c, 24.0, 1e-12);      /* chiller on: held */
    CHECK_ABS(r.stored_j, 0.0, 1e-6);
    s.chiller_available = false;
    dcs_cooling_step(&p, &a, 8e6, &s, 60.0, &r);
    CHECK_NEAR(s.supply_c, 25.146679, 1e-7);
    CHECK_NEAR(r.stored_j, 8e6 * 60.0, 1e-9);
    CHECK_ABS(r.heat_removed_j, 0.0, 1.0);
    CHECK_NEAR(r.heat_in_j, r.heat_removed_j + r.stored_j, 1e-12);
    CHECK_ABS(r.power.chiller_w, 0.0, 0.0);
    CHECK(r.power.unmet_w > 0.0);
}

/* Throttle threshold, air loop without an economiser (nothing removes
 * heat during the trip): 32 degC is reached (32 - 24) / 0.0191113 = 418.6 s
 * after the trip; 33.5 degC gives 1 - 0.5 * (1.5 / 3) = 0.75; 35 shuts down. */
static void throttle_threshold(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_AIR, 10e6);
    p.air.waterside_economiser = false;
    dcs_cooling_state s;
    dcs_cooling_state_init(&p, &s);
    s.chiller_available = false;
    dcs_ambient a = air_at(34.0, 28.0);
    dcs_cooling_step_result r;
    dcs_cooling_step(&p, &a, 8e6, &s, 417.0, &r);
    CHECK_NEAR(r.throttle, 1.0, 0.0);
    dcs_cooling_step(&p, &a, 8e6, &s, 3.0, &r);
    CHECK(r.throttle < 1.0);
    CHECK_NEAR(dcs_cooling_throttle(&p.mass, 33.5), 0.75, 1e-12);
    CHECK_NEAR(dcs_cooling_throttle(&p.mass, 31.99), 1.0, 0.0);
    CHECK_ABS(dcs_cooling_throttle(&p.mass, 35.0), 0.0, 0.0);
}

/* Trip in a direct-liquid loop at db 28: the dry coolers still remove
 * G (T - 28), G = liquid design heat / (dry-cooler + CDU approach) =
 * 8 MW / (10 + 2) K = 666,667 W/K.  Liquid heat 6.4 MW: T_eq = 28 +
 * 6.4e6 / 666667 = 37.6 degC, tau = C / G = 2.093e8 / 666667 = 313.95 s.
 * After 300 s:
 *   T = 37.6 - 5.6 * exp(-300 / 313.95) = 37.6 - 5.6 * 0.384594 = 35.446272.
 * Heat removed by the liquid loop = G [(T_eq - 28) t + (T0 - T_eq) tau
 * (1 - e^(-t/tau))] = 666667 * (9.6 * 300 - 5.6 * 313.95 * 0.615406) =
 * 666667 * 1798.04 = 1.198696e9 J; plus the air share 1.6 MW * 300 s =
 * 4.8e8 J (held steady).  Stored C (T - 32) = 2.093e8 * 3.446272 =
 * 7.21305e8.  Sum 2.4e9 = 8 MW * 300 s. */
static void liquid_trip_exponential(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_DIRECT_LIQUID, 10e6);
    dcs_cooling_state s;
    dcs_cooling_state_init(&p, &s);
    s.chiller_available = false;
    dcs_ambient a = air_at(28.0, 20.0);
    dcs_cooling_step_result r;
    dcs_cooling_step(&p, &a, 8e6, &s, 300.0, &r);
    CHECK_NEAR(s.supply_c, 35.446272, 1e-7);
    CHECK_NEAR(r.stored_j, 7.21305e8, 1e-5);
    CHECK_NEAR(r.heat_removed_j, 1.198696e9 + 4.8e8, 1e-6);
    /* Exact steps compose: 300 steps of 1 s land on the same temperature. */
    dcs_cooling_state s1;
    dcs_cooling_state_init(&p, &s1);
    s1.chiller_available = false;
    for (int i = 0; i < 300; i++)
        dcs_cooling_step(&p, &a, 8e6, &s1, 1.0, &r);
    CHECK_NEAR(s1.supply_c, s.supply_c, 1e-10);
    /* The chiller back on: capacity beyond the load pulls the loop down to
     * its set point and holds it there. */
    s.chiller_available = true;
    dcs_cooling_step(&p, &a, 8e6, &s, 3600.0, &r);
    CHECK_NEAR(s.supply_c, 32.0, 1e-12);
}

/* In cool weather the same trip does nothing: dry coolers alone hold 32
 * degC (G * (32 - 15) = 9.07 MW > 6.4 MW). */
static void liquid_trip_in_cool_weather(void)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, DCS_COOLING_DIRECT_LIQUID, 10e6);
    dcs_cooling_state s;
    dcs_cooling_state_init(&p, &s);
    s.chiller_available = false;
    dcs_ambient a = air_at(15.0, 10.0);
    dcs_cooling_step_result r;
    dcs_cooling_step(&p, &a, 8e6, &s, 600.0, &r);
    CHECK_NEAR(s.supply_c, 32.0, 1e-12);
    CHECK_NEAR(r.throttle, 1.0, 0.0);
}

static void names(void)
{
    dcs_cooling_type t = DCS_COOLING_AIR;
    CHECK(dcs_cooling_type_parse("immersion", &t) && t == DCS_COOLING_IMMERSION);
    CHECK(!dcs_cooling_type_parse("water", &t));
    CHECK_STR(dcs_cooling_type_name(DCS_COOLING_DIRECT_LIQUID), "direct_liquid");
    CHECK_STR(dcs_free_mode_name(DCS_FREE_PARTIAL), "partial");
}

int main(void)
{
    RUN(steady_energy_balance);
    RUN(waterside_economiser_modes);
    RUN(airside_economiser);
    RUN(direct_liquid_modes);
    RUN(ordering_on_a_mild_day);
    RUN(trip_rate_is_q_over_c);
    RUN(throttle_threshold);
    RUN(liquid_trip_exponential);
    RUN(liquid_trip_in_cool_weather);
    RUN(names);
    return TEST_END();
}
