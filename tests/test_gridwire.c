/*
 * test_gridwire.c - the grid models wired into runs: intensity from a file
 * placed by `start` and wrapping, the generation mix's average and marginal
 * intensity, time-of-use and hourly-file prices, the demand charge,
 * certificates and on-site supply, each against a sum written out here from
 * the run's own hourly facility power.
 *
 * The fixtures (tests/fixtures/gridwire/) use a 1 h control and sample
 * period, so facility power P_h is constant over clock hour h and row h of
 * the series holds it; every hand sum below is then exact:
 *   carbon = sum_h P_h x 3600 s x ci_h,  cost = sum_h P_h x 3600 s x price_h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcsim/genmix.h"
#include "dcsim/model.h"
#include "dcsim/scenario.h"
#include "dcsim/site.h"
#include "harness.h"
#include "run_util.h"

#include "../sim/model_internal.h"


static double col(const dcs_site_results *r, size_t row, int c)
{
    return r->rows[row * DCS_SITE_NCOLS + (size_t)c];
}

/* csv.yaml: file hour f holds 100 + 10 f gCO2/kWh (timestamps UTC+1, so the
 * file starts 2023-03-01 00:00 UTC); the run starts at 12:00 UTC, so run hour
 * h reads file hour (12 + h) mod 48: the last 12 hours wrap to the start.
 * Price: 200 USD/MWh from 14:00 to 20:00 UTC, 50 otherwise.  Demand charge
 * 10 USD/kW/month = 0.01 USD/W on the peak hourly power (all in March).
 * Certificates 3,650 MWh per 365 d = 20 MWh over 2 d = 7.2e10 J:
 *   market = carbon x (1 - 7.2e10 / load),  annual match = 7.2e10 / load;
 *   cfe = the grid's 20 % (nothing is delivered hourly). */
static void csv_intensity_price_certificates(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/gridwire/csv.yaml", &s, 1);
    if (!m)
        return;
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 0), &r);
    CHECK_INT(r.nrows, 48);
    double kg = 0, usd = 0, load_j = 0, peak_w = 0;
    for (size_t h = 0; h < 48; h++) {
        double ci_g = 100 + 10.0 * (double)((12 + h) % 48);
        CHECK_NEAR(col(&r, h, DCS_SITE_COL_carbon_intensity_g_per_kwh), ci_g, 1e-12);
        double p = col(&r, h, DCS_SITE_COL_facility_power_w);
        int utc_hour = (int)((12 + h) % 24);
        double price = (utc_hour >= 14 && utc_hour < 20 ? 200 : 50) * DCS_USD_PER_MWH;
        kg += p * 3600 * ci_g * DCS_G_PER_KWH;
        usd += p * 3600 * price;
        load_j += p * 3600;
        if (p > peak_w)
            peak_w = p;
    }
    CHECK_NEAR(dcs_model_metric(m, "energy_facility_kwh"), load_j / 3.6e6, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "carbon_kg"), kg, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "cost_energy_usd"), usd, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "cost_demand_usd"), peak_w * 0.01, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "cost_usd"), usd + peak_w * 0.01, 1e-12);
    double eac = 20 * 3.6e9;
    CHECK(eac < load_j);    /* else the share below would be capped at 1 */
    CHECK_NEAR(dcs_model_metric(m, "carbon_market_kg"), kg * (1 - eac / load_j), 1e-9);
    CHECK_NEAR(dcs_model_metric(m, "annual_match_pct"), 100 * eac / load_j, 1e-9);
    CHECK_NEAR(dcs_model_metric(m, "cfe_pct"), 20, 1e-9);
    CHECK(isnan(dcs_model_metric(m, "carbon_marginal_kg")));   /* a file has no margin */
    CHECK(isnan(col(&r, 0, DCS_SITE_COL_marginal_intensity_g_per_kwh)));
    CHECK_NEAR(col(&r, 5, DCS_SITE_COL_clean_supply_w), 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* A malformed row of the intensity file stops the build with its location. */
static void csv_bad_row_reported(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    const char *path = "fixtures/gridwire/csv_bad.yaml";
    dcs_status st = dcs_scenario_load(path, NULL, 0, d, &s);
    CHECK_INT(st, DCS_OK);
    if (st == DCS_OK)
        st = dcs_model_build(s, path, 1, 1, d, &m);
    CHECK_INT(st, DCS_EINPUT);
    CHECK(m == NULL);
    bool found = false;
    for (int i = 0; i < dcs_diag_count(d); i++)
        found |= strncmp(dcs_diag_line(d, i), "fixtures/gridwire/bad.csv:3:", 28) == 0;
    CHECK(found);
    dcs_diag_free(d);
    dcs_scenario_free(s);
}

/* mix.yaml site 0: nuclear 4 GW and gas 20 GW under a 10 GW +- 15 % demand.
 * Gas is marginal every hour: carbon_marginal = 490 g/kWh x energy.  The
 * average is ci = c x 12 + (1 - c) x 490 with c = 4 GW / demand the
 * carbon-free share, so c_h = (490 - ci_h) / (490 - 12) and the 24/7 share
 * is sum_h P_h c_h / sum_h P_h.  Prices: price24.csv (UTC hours of one day;
 * -10 USD/MWh at 03, 120 from 08 to 20, 40 otherwise), repeated daily. */
static void mix_marginal_and_price_file(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/gridwire/mix.yaml", &s, 1);
    if (!m)
        return;
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 0), &r);
    dcs_site_account t;
    dcs_model_site_totals(m, 0, &t);
    double gas = dcs_source_lca_kg_per_j(DCS_SRC_GAS) / DCS_G_PER_KWH;
    double nuc = dcs_source_lca_kg_per_j(DCS_SRC_NUCLEAR) / DCS_G_PER_KWH;
    CHECK_NEAR(gas, 490, 1e-12);
    CHECK_NEAR(nuc, 12, 1e-12);
    double clean = 0, load = 0, usd = 0, kg = 0;
    for (size_t h = 0; h < r.nrows; h++) {
        double p = col(&r, h, DCS_SITE_COL_facility_power_w);
        double ci = col(&r, h, DCS_SITE_COL_carbon_intensity_g_per_kwh);
        CHECK_NEAR(col(&r, h, DCS_SITE_COL_marginal_intensity_g_per_kwh), gas, 1e-12);
        double c = (gas - ci) / (gas - nuc);
        CHECK(c > 4 / 11.5 - 1e-9 && c < 4 / 8.5 + 1e-9);
        int hr = (int)(h % 24);
        double price = hr == 3 ? -10 : hr >= 8 && hr < 20 ? 120 : 40;
        clean += p * 3600 * c;
        load += p * 3600;
        usd += p * 3600 * price * DCS_USD_PER_MWH;
        kg += p * 3600 * ci * DCS_G_PER_KWH;
    }
    CHECK_INT(r.nrows, 48);
    CHECK_NEAR(t.energy.facility_j, load, 1e-12);
    CHECK_NEAR(t.carbon_marginal_kg, gas * DCS_G_PER_KWH * load, 1e-12);
    CHECK_NEAR(t.carbon_kg, kg, 1e-12);
    CHECK_NEAR(t.clean_j, clean, 1e-9);
    CHECK_NEAR(t.carbon_market_kg, t.carbon_kg, 1e-12);   /* nothing contracted */
    CHECK_NEAR(t.cost_energy_usd, usd, 1e-12);
    CHECK_NEAR(t.cost_demand_usd, 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* mix.yaml site 1: default PJM-like mix, a 2 MW wind PPA in the region, a
 * 2 MW solar PPA elsewhere, 1 MW of on-site solar, a 2 MWh / 1 MW battery.
 * No number to hand-compute through the weather, but the accounting's
 * bounds must hold: on-site supply lowers the location-based figure below
 * the load-based integral; contracts lower the market-based one further;
 * the battery stays within its capacity; clean supply is recorded. */
static void procurement_bounds(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/gridwire/mix.yaml", &s, 1);
    if (!m)
        return;
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 1), &r);
    dcs_site_account t;
    dcs_model_site_totals(m, 1, &t);
    double integral = 0, clean_j = 0;
    for (size_t h = 0; h < r.nrows; h++) {
        double p = col(&r, h, DCS_SITE_COL_facility_power_w);
        integral += p * 3600 * col(&r, h, DCS_SITE_COL_carbon_intensity_g_per_kwh)
                    * DCS_G_PER_KWH;
        double soc = col(&r, h, DCS_SITE_COL_battery_soc_j);
        CHECK(soc >= 0 && soc <= 2 * 3.6e9 + 1e-6);
        double cs = col(&r, h, DCS_SITE_COL_clean_supply_w);
        CHECK(cs >= 0 && cs <= 3e6 + 1e-6);   /* 2 MW PPA + 1 MW on-site */
        clean_j += cs * 3600;
    }
    CHECK(t.carbon_kg < integral);
    CHECK(t.carbon_market_kg < t.carbon_kg);
    CHECK(t.clean_supply_j > 0);
    CHECK_NEAR(t.clean_supply_j, clean_j, 1e-9);
    CHECK(t.matched_j > 0 && t.matched_j <= t.energy.facility_j * (1 + 1e-12));
    CHECK(isfinite(t.carbon_marginal_kg) && t.carbon_marginal_kg > 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* The mix and the plants draw from their own streams: 1 and 2 threads give
 * identical series and totals. */
static void threads_identical(void)
{
    dcs_scenario *s1, *s2;
    dcs_model *a = load_and_run("fixtures/gridwire/mix.yaml", &s1, 1);
    dcs_model *b = load_and_run("fixtures/gridwire/mix.yaml", &s2, 2);
    if (a && b) {
        for (size_t i = 0; i < 2; i++) {
            dcs_site_results ra, rb;
            dcs_site_results_of(dcs_model_site_state(a, i), &ra);
            dcs_site_results_of(dcs_model_site_state(b, i), &rb);
            CHECK_INT(ra.nrows, rb.nrows);
            CHECK(ra.nrows == rb.nrows
                  && memcmp(ra.rows, rb.rows, ra.nrows * DCS_SITE_NCOLS * sizeof *ra.rows) == 0);
        }
        CHECK_NEAR(dcs_model_metric(a, "carbon_market_kg"),
                   dcs_model_metric(b, "carbon_market_kg"), 0);
        CHECK_NEAR(dcs_model_metric(a, "cfe_pct"), dcs_model_metric(b, "cfe_pct"), 0);
    }
    dcs_model_free(a);
    dcs_model_free(b);
    dcs_scenario_free(s1);
    dcs_scenario_free(s2);
}

/* The command line stops on a bad intensity file with exit code 2 and
 * writes no trace. */
static void cli_exit_code(void)
{
    const char *bin = getenv("DCSIM_BIN");
    if (!bin) {
        CHECK(!"DCSIM_BIN is set by CTest");
        return;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' run fixtures/gridwire/csv_bad.yaml -o /tmp/dcsim-gridwire-%d.h5 "
             "2>/dev/null", bin, (int)getpid());
    int rc = system(cmd);
    CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    snprintf(cmd, sizeof cmd, "/tmp/dcsim-gridwire-%d.h5", (int)getpid());
    CHECK(access(cmd, F_OK) != 0);
}

int main(void)
{
    RUN(csv_intensity_price_certificates);
    RUN(csv_bad_row_reported);
    RUN(mix_marginal_and_price_file);
    RUN(procurement_bounds);
    RUN(threads_identical);
    RUN(cli_exit_code);
    return TEST_END();
}
