/* test_grid_genmix.c - the generation-mix model against hand computations:
 * factors, solar geometry, turbine curve, merit-order dispatch with average
 * and marginal intensity, and seeded determinism. */
#include <gsl/gsl_rng.h>

#include "dcsim/genmix.h"
#include "dcsim/hourly.h"
#include "harness.h"

#define G DCS_G_PER_KWH

static void factors(void)
{
    /* FACTS.md 5: AR5 coal 820, gas 490, wind 11, solar 45 (EM), direct coal 760. */
    CHECK_NEAR(dcs_source_lca_kg_per_j(DCS_SRC_COAL), 820 / 3.6e9, 1e-15);
    CHECK_NEAR(dcs_source_lca_kg_per_j(DCS_SRC_SOLAR) / G, 45, 1e-12);
    CHECK_NEAR(dcs_source_direct_kg_per_j(DCS_SRC_COAL) / G, 760, 1e-12);
    CHECK_NEAR(dcs_source_direct_kg_per_j(DCS_SRC_WIND), 0, 0);
    CHECK_STR(dcs_source_name(DCS_SRC_GAS), "gas");
    CHECK_INT(dcs_source_by_name("nuclear"), DCS_SRC_NUCLEAR);
    CHECK_INT(dcs_source_by_name("peat"), DCS_SRC_COUNT);
}

static void solar_geometry(void)
{
    /* 21 June (doy 172): declination 23.44 sin(2 pi 456 / 365) = 23.4398 deg.
     * At latitude 60 N, solar noon: sin(el) = cos(60 - 23.4398) = cos(36.5602
     * deg) = 0.80323. */
    CHECK_NEAR(dcs_solar_sin_elevation(60, 0, 172, 12.0), 0.80323, 1e-4);
    /* Same instant seen from longitude 15 E: solar hour 13, hour angle 15
     * deg: sin60 sin23.4398 + cos60 cos23.4398 cos15 = 0.34449 + 0.44311
     * = 0.78760. */
    CHECK_NEAR(dcs_solar_sin_elevation(60, 15, 172, 12.0), 0.78760, 1e-4);
    /* Equator at midnight: the sun is below the horizon. */
    CHECK(dcs_solar_sin_elevation(0, 0, 80, 0.0) < -0.9);
    /* 21 December (doy 355) at 70 N, noon: declination -23.44 deg, so
     * sin(el) = cos(70 + 23.44) < 0: polar night. */
    CHECK(dcs_solar_sin_elevation(70, 0, 355, 12.0) < 0);
}

static void turbine_curve(void)
{
    dcs_genmix_params p = dcs_genmix_defaults();   /* cut-in 3, rated 12, cut-out 25 m/s */
    CHECK_NEAR(dcs_wind_power_fraction(&p, 2.0), 0, 0);
    /* (7.5^3 - 3^3) / (12^3 - 3^3) = (421.875 - 27) / 1701 = 0.2321429 */
    CHECK_NEAR(dcs_wind_power_fraction(&p, 7.5), 394.875 / 1701.0, 1e-12);
    CHECK_NEAR(dcs_wind_power_fraction(&p, 12.0), 1, 0);
    CHECK_NEAR(dcs_wind_power_fraction(&p, 24.9), 1, 0);
    CHECK_NEAR(dcs_wind_power_fraction(&p, 25.0), 0, 0);
}

static dcs_genmix_params hand_mix(void)
{
    dcs_genmix_params p = dcs_genmix_defaults();
    p.must_run[0] = (dcs_genmix_unit){DCS_SRC_NUCLEAR, 30};
    p.n_must_run = 1;
    p.merit[0] = (dcs_genmix_unit){DCS_SRC_COAL, 20};
    p.merit[1] = (dcs_genmix_unit){DCS_SRC_GAS, 40};
    p.merit[2] = (dcs_genmix_unit){DCS_SRC_OIL, 10};
    p.n_merit = 3;
    return p;
}

static void merit_order(void)
{
    dcs_genmix_params p = hand_mix();
    dcs_genmix_hour h;
    /* Demand 80 W, solar 5, wind 10, nuclear 30: residual 35 = coal 20 +
     * gas 15.  Average (5x45 + 10x11 + 30x12 + 20x820 + 15x490) / 80 =
     * (225 + 110 + 360 + 16400 + 7350) / 80 = 305.5625 g/kWh; gas has spare
     * capacity, so the marginal unit is gas, 490. */
    dcs_genmix_dispatch(&p, 80, 5, 10, &h);
    CHECK_NEAR(h.gen_w[DCS_SRC_COAL], 20, 0);
    CHECK_NEAR(h.gen_w[DCS_SRC_GAS], 15, 0);
    CHECK_NEAR(h.gen_w[DCS_SRC_OIL], 0, 0);
    CHECK_NEAR(h.avg_kg_per_j / G, 305.5625, 1e-12);
    CHECK_INT(h.marginal, DCS_SRC_GAS);
    CHECK_NEAR(h.marginal_kg_per_j / G, 490, 1e-12);
    /* Demand 120: residual 75 = coal 20 + gas 40 + oil 10 + 5 unknown
     * imports, which are marginal (700). */
    dcs_genmix_dispatch(&p, 120, 5, 10, &h);
    CHECK_NEAR(h.gen_w[DCS_SRC_OIL], 10, 0);
    CHECK_NEAR(h.gen_w[DCS_SRC_UNKNOWN], 5, 0);
    CHECK_INT(h.marginal, DCS_SRC_UNKNOWN);
    CHECK_NEAR(h.marginal_kg_per_j / G, 700, 1e-12);
    /* Demand 105 gives residual 60 = coal 20 + gas 40 exactly: gas is full,
     * so one more watt comes from oil, the marginal unit. */
    dcs_genmix_dispatch(&p, 105, 5, 10, &h);
    CHECK_NEAR(h.gen_w[DCS_SRC_GAS], 40, 0);
    CHECK_INT(h.marginal, DCS_SRC_OIL);
}

static void curtailment(void)
{
    dcs_genmix_params p = hand_mix();
    dcs_genmix_hour h;
    /* Demand 40, nuclear 30: variable takes 10 of 15 (factor 2/3): solar
     * 10/3, wind 20/3, curtailed 5.  Average (10/3 x 45 + 20/3 x 11 + 30 x
     * 12) / 40 = (150 + 73.333 + 360) / 40 = 14.5833 g/kWh; marginal is the
     * curtailed mix (5x45 + 10x11) / 15 = 22.333, wind being the larger. */
    dcs_genmix_dispatch(&p, 40, 5, 10, &h);
    CHECK_NEAR(h.gen_w[DCS_SRC_SOLAR], 10.0 / 3, 1e-12);
    CHECK_NEAR(h.gen_w[DCS_SRC_WIND], 20.0 / 3, 1e-12);
    CHECK_NEAR(h.curtailed_w, 5, 1e-12);
    CHECK_NEAR(h.gen_w[DCS_SRC_COAL], 0, 0);
    CHECK_NEAR(h.avg_kg_per_j / G, 583.0 / 40 + 1.0 / 120, 1e-9);
    CHECK_INT(h.marginal, DCS_SRC_WIND);
    CHECK_NEAR(h.marginal_kg_per_j / G, 335.0 / 15, 1e-12);
    /* Demand 24 < nuclear 30: all variable curtailed, nuclear turned down
     * to 24, average 12. */
    dcs_genmix_dispatch(&p, 24, 5, 10, &h);
    CHECK_NEAR(h.gen_w[DCS_SRC_NUCLEAR], 24, 1e-12);
    CHECK_NEAR(h.curtailed_w, 15, 1e-12);
    CHECK_NEAR(h.avg_kg_per_j / G, 12, 1e-12);
}

static void seeded_and_plausible(void)
{
    dcs_genmix_params p = dcs_genmix_defaults();
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_genmix_check(&p, d, (dcs_loc){"grid.yaml", 3, 5}), DCS_OK);
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(a, 42);
    gsl_rng_set(b, 42);
    dcs_genmix_state sa, sb;
    dcs_genmix_state_init(&sa, a);
    dcs_genmix_state_init(&sb, b);
    double sum_avg = 0, wind_j = 0, solar_j = 0, total_j = 0, gas_marginal = 0;
    int same = 1;
    const int hours = 365 * 24;
    for (int i = 0; i < hours; i++) {
        dcs_genmix_hour ha, hb;
        dcs_genmix_step(&p, &sa, a, 1 + i / 24, i % 24, &ha);
        dcs_genmix_step(&p, &sb, b, 1 + i / 24, i % 24, &hb);
        same = same && ha.avg_kg_per_j == hb.avg_kg_per_j && ha.marginal == hb.marginal;
        sum_avg += ha.avg_kg_per_j;
        wind_j += ha.gen_w[DCS_SRC_WIND];
        solar_j += ha.gen_w[DCS_SRC_SOLAR];
        total_j += ha.demand_w;
        gas_marginal += ha.marginal == DCS_SRC_GAS;
    }
    CHECK(same);                                   /* same seed, same year */
    double mean = sum_avg / hours / G;
    double wind_cf = wind_j / hours / p.wind_capacity_w;
    double solar_cf = solar_j / hours / p.solar_capacity_w;
    printf("default mix: mean %.1f g/kWh, wind share %.3f (CF %.3f), solar CF %.3f, gas marginal %.2f\n",
           mean, wind_j / total_j, wind_cf, solar_cf, gas_marginal / hours);
    /* PJM 2022 production-based mean 363 g/kWh (data SOURCE.md): the
     * default mix should land within 10 %. */
    CHECK_NEAR(mean, 363, 0.10);
    CHECK(wind_cf > 0.2 && wind_cf < 0.45);        /* onshore fleets run 25-40 % */
    CHECK(solar_cf > 0.08 && solar_cf < 0.25);     /* US PV fleets run 15-25 % */
    /* A different seed gives a different year. */
    gsl_rng_set(b, 43);
    dcs_genmix_state_init(&sb, b);
    dcs_genmix_hour hb;
    dcs_genmix_step(&p, &sb, b, 1, 0, &hb);
    gsl_rng_set(a, 42);
    dcs_genmix_state_init(&sa, a);
    dcs_genmix_hour ha;
    dcs_genmix_step(&p, &sa, a, 1, 0, &ha);
    CHECK(ha.gen_w[DCS_SRC_WIND] != hb.gen_w[DCS_SRC_WIND]);
    gsl_rng_free(a);
    gsl_rng_free(b);
    dcs_diag_free(d);
}

static void series_for_ppa_profiles(void)
{
    /* A week from 2023-06-01 00:00 UTC at the default place (Ashburn,
     * 77.5 W: solar noon near 17:10 UTC, midnight near 05:10 UTC). */
    dcs_genmix_params p = dcs_genmix_defaults();
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(a, 5);
    gsl_rng_set(b, 5);
    enum { N = 168 };
    double avg[N], mar[N], sol[N], win[N], avg2[N];
    dcs_genmix_out out = {avg, mar, sol, win};
    int64_t start = dcs_civil_to_utc_s(2023, 6, 1, 0, 0, 0);
    dcs_genmix_series(&p, a, start, N, &out);
    dcs_genmix_out out2 = {avg2, NULL, NULL, NULL};
    dcs_genmix_series(&p, b, start, N, &out2);
    int same = 1, in_range = 1;
    for (int i = 0; i < N; i++) {
        same = same && avg[i] == avg2[i];
        in_range = in_range && sol[i] >= 0 && sol[i] <= 1 && win[i] >= 0 && win[i] <= 1 &&
                   mar[i] > 0 && avg[i] > 0;
    }
    CHECK(same);
    CHECK(in_range);
    CHECK_NEAR(sol[5], 0, 0);            /* 05:00 UTC: night in Virginia */
    CHECK(sol[17] > 0.2);                /* 17:00 UTC, June midday: sun high */
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void bad_params(void)
{
    dcs_genmix_params p = dcs_genmix_defaults();
    p.latitude_deg = 95;
    p.wind_phi = 1.2;
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_genmix_check(&p, d, (dcs_loc){"grid.yaml", 7, 9}), DCS_ERANGE);
    CHECK_STR(dcs_diag_line(d, 0), "grid.yaml:7:9: latitude_deg = 95 is out of range [-90, 90]");
    CHECK_STR(dcs_diag_line(d, 1), "grid.yaml:7:9: wind_phi = 1.2 is out of range [0, 0.999]");
    CHECK_INT(dcs_diag_errors(d), 2);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(factors);
    RUN(solar_geometry);
    RUN(turbine_curve);
    RUN(merit_order);
    RUN(curtailment);
    RUN(seeded_and_plausible);
    RUN(series_for_ppa_profiles);
    RUN(bad_params);
    return TEST_END();
}
