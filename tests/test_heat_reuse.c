/* test_heat_reuse.c - heat-pump COP, district-heating demand, delivered
 * heat and ERE against hand computations. */
#include "dcsim/heat_reuse.h"
#include "harness.h"

/* Carnot heating COP T_sink / (T_sink - T_source), FACTS.md section 4 [V]
 * (Wikipedia heat-pump table): source 10 degC, sink 65 -> 338.15/55 = 6.148
 * (6.1), 75 -> 348.15/65 = 5.356 (5.4), 85 -> 358.15/75 = 4.775 (4.8). */
static void carnot_cop(void)
{
    CHECK_NEAR(dcs_heat_pump_cop(1.0, 10.0, 65.0), 6.148, 1e-3);
    CHECK_NEAR(dcs_heat_pump_cop(1.0, 10.0, 75.0), 5.356, 1e-3);
    CHECK_NEAR(dcs_heat_pump_cop(1.0, 10.0, 85.0), 4.775, 1e-3);
    /* At half of Carnot, Meta Odense's 27 -> 75 degC lift: 0.5 * 348.15 / 48. */
    CHECK_NEAR(dcs_heat_pump_cop(0.5, 27.0, 75.0), 3.6266, 1e-4);
    CHECK_ABS(dcs_heat_pump_cop(0.5, 40.0, 40.0), 0.0, 0.0);
}

/* Demand with defaults for 10 MW: design 20 MW at -15 degC, base 3 MW.
 * At 0 degC: 3 + 17 * (15 - 0) / 30 = 11.5 MW; at 20 degC: 3 MW;
 * at -25 degC: 3 + 17 * 40/30 = 25.667 MW (colder than design). */
static void degree_hour_demand(void)
{
    dcs_heat_reuse_params p;
    dcs_heat_reuse_defaults(&p, 10e6);
    CHECK_NEAR(dcs_heat_reuse_demand_w(&p, 0.0), 11.5e6, 1e-12);
    CHECK_NEAR(dcs_heat_reuse_demand_w(&p, 20.0), 3e6, 1e-12);
    CHECK_NEAR(dcs_heat_reuse_demand_w(&p, -25.0), 25.6667e6, 1e-5);
}

/* Direct-liquid return at 40 degC, 8 MW available, 10 MW heat pump:
 * source 37, sink 73 degC: COP = 0.5 * 346.15 / 36 = 4.80764.
 * In summer (20 degC) demand 3 MW caps delivery: Q_d = 3 MW, P = 3e6 /
 * 4.80764 = 624,007 W, recovered 2,375,993 W, avoided 3e6 * 6.2333e-8 =
 * 0.187 kg/s.  In winter (-10 degC) demand 3 + 17 * 25/30 = 17.17 MW and
 * capacity 10 MW; the heat needs 10e6 * (1 - 1/4.80764) = 7.92 MW <= 8 MW
 * available, so Q_d = 10 MW. */
static void delivered_heat(void)
{
    dcs_heat_reuse_params p;
    dcs_heat_reuse_defaults(&p, 10e6);
    dcs_heat_reuse_result r;
    dcs_heat_reuse_eval(&p, 40.0, 8e6, 20.0, &r);
    CHECK_NEAR(r.cop, 4.80764, 1e-5);
    CHECK_NEAR(r.delivered_w, 3e6, 1e-12);
    CHECK_NEAR(r.heat_pump_w, 624007.0, 1e-5);
    CHECK_NEAR(r.recovered_w + r.heat_pump_w, r.delivered_w, 1e-12);
    CHECK_NEAR(r.avoided_kg_s, 0.187, 1e-3);
    dcs_heat_reuse_eval(&p, 40.0, 8e6, -10.0, &r);
    CHECK_NEAR(r.delivered_w, 10e6, 1e-12);
    CHECK(r.recovered_w <= 8e6);
    /* Only 2 MW available: Q_d = 2e6 * 4.80764 / 3.80764 = 2.52526 MW. */
    dcs_heat_reuse_eval(&p, 40.0, 2e6, -10.0, &r);
    CHECK_NEAR(r.delivered_w, 2.52526e6, 1e-5);
    CHECK_NEAR(r.recovered_w, 2e6, 1e-9);
}

/* A return warmer than the network needs: heat exchanger, no heat pump. */
static void no_lift_needed(void)
{
    dcs_heat_reuse_params p;
    dcs_heat_reuse_defaults(&p, 10e6);
    p.supply_c = 45.0;
    dcs_heat_reuse_result r;
    dcs_heat_reuse_eval(&p, 55.0, 4e6, 5.0, &r);
    CHECK_ABS(r.heat_pump_w, 0.0, 0.0);
    CHECK_NEAR(r.delivered_w, 4e6, 1e-12);
}

/* ERE = (E_total - E_reuse) / E_IT: 1.2 GWh total, 1 GWh IT, 0.3 GWh
 * reused -> 0.9; also ERE = (1 - ERF) PUE with ERF = 0.3/1.2 = 0.25:
 * 0.75 * 1.2 = 0.9 (The Green Grid 2010, FACTS.md section 4). */
static void ere(void)
{
    CHECK_NEAR(dcs_ere(1.2e9, 0.3e9, 1.0e9), 0.9, 1e-12);
    CHECK_NEAR(dcs_ere(1.2e9, 0.3e9, 1.0e9), (1.0 - 0.3 / 1.2) * 1.2, 1e-12);
}

int main(void)
{
    RUN(carnot_cop);
    RUN(degree_hour_demand);
    RUN(delivered_heat);
    RUN(no_lift_needed);
    RUN(ere);
    return TEST_END();
}
