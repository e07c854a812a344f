/*
 * model_write.c - the results of a run as summary metrics and series.
 *
 * Metric names follow DESIGN.md section 8; additions are documented in
 * docs/trace-format.md.  Whole-run totals are sums over sites in scenario
 * order (never a parallel reduction), so they do not depend on threads.
 *
 * peak_power_kw of the whole run is the sum of the sites' peaks: an upper
 * bound of the fleet's coincident peak (each site's own peak is exact).
 * Carbon, clean energy and cost come from the site LP's accounting
 * (models/site/site_account.c): cfe_pct is the hourly-matched (24/7)
 * carbon-free share, annual_match_pct the annual one; carbon_marginal_kg is
 * NAN unless every site's grid has a marginal signal (generation mix).
 */
#include "model_internal.h"

#include <math.h>
#include <string.h>

#define J_PER_KWH 3.6e6   /* J per kWh */

static void add_account(dcs_site_account *a, const dcs_site_account *b)
{
    dcs_site_totals *x = &a->energy;
    const dcs_site_totals *y = &b->energy;
    x->it_j += y->it_j;
    x->cooling_j += y->cooling_j;
    x->losses_j += y->losses_j;
    x->heat_pump_j += y->heat_pump_j;
    x->facility_j += y->facility_j;
    x->water_kg += y->water_kg;
    x->heat_reused_j += y->heat_reused_j;
    x->avoided_kg += y->avoided_kg;
    x->peak_w += y->peak_w;
    x->free_full_s += y->free_full_s;
    x->free_partial_s += y->free_partial_s;
    x->free_off_s += y->free_off_s;
    a->carbon_kg += b->carbon_kg;
    a->carbon_marginal_kg += b->carbon_marginal_kg;
    a->carbon_market_kg += b->carbon_market_kg;
    a->clean_j += b->clean_j;
    a->matched_j += b->matched_j;
    a->clean_supply_j += b->clean_supply_j;
    a->cost_usd += b->cost_usd;
    a->cost_energy_usd += b->cost_energy_usd;
    a->cost_demand_usd += b->cost_demand_usd;
    a->embodied_kg += b->embodied_kg;
    a->gpu_s += b->gpu_s;
    a->busy_gpu_s += b->busy_gpu_s;
    a->unmet_j += b->unmet_j;
    a->throttled_s += b->throttled_s;
    a->capped_s += b->capped_s;
    a->dark_s += b->dark_s;
    a->gpu_out_s += b->gpu_out_s;
    a->degraded_s += b->degraded_s;
    a->ups_j += b->ups_j;
    a->generator_j += b->generator_j;
    a->generator_fuel_l += b->generator_fuel_l;
    a->generator_co2_kg += b->generator_co2_kg;
    a->fault_dropped += b->fault_dropped;
    a->fault_impact_s += b->fault_impact_s;
}

static double ratio(double a, double b) { return b > 0 ? a / b : (double)NAN; }

/* Fill rows (room for DCS_MODEL_NMETRICS): the facility rows of
 * site_energy.h, then carbon, cost and utilisation; returns the count. */
static size_t metrics(const dcs_site_account *t, dcs_trace_metric *rows)
{
    dcs_metric fac[DCS_SITE_METRICS];
    dcs_site_metrics(&t->energy, fac);
    size_t n = 0;
    for (size_t i = 0; i < DCS_SITE_METRICS; i++)
        rows[n++] = (dcs_trace_metric){fac[i].name, fac[i].value, fac[i].unit};
    double fac_j = t->energy.facility_j;
#define ROW(nm, val, un) rows[n++] = (dcs_trace_metric){nm, (val), un}
    ROW("carbon_kg", t->carbon_kg, "kg");
    ROW("carbon_market_kg", t->carbon_market_kg, "kg");
    ROW("carbon_marginal_kg", t->carbon_marginal_kg, "kg");
    ROW("carbon_embodied_kg", t->embodied_kg, "kg");
    ROW("cfe_pct", 100 * ratio(t->clean_j, fac_j), "%");
    ROW("annual_match_pct", 100 * ratio(t->matched_j, fac_j), "%");
    ROW("clean_supply_kwh", t->clean_supply_j / J_PER_KWH, "kWh");
    ROW("cost_usd", t->cost_usd, "USD");
    ROW("cost_energy_usd", t->cost_energy_usd, "USD");
    ROW("cost_demand_usd", t->cost_demand_usd, "USD");
    ROW("gpu_util_mean", ratio(t->busy_gpu_s, t->gpu_s), "1");
    ROW("heat_unmet_kwh", t->unmet_j / J_PER_KWH, "kWh");
    ROW("throttled_h", t->throttled_s / 3600, "h");
    ROW("power_capped_h", t->capped_s / 3600, "h");
    /* faults (docs/faults.md) */
    ROW("fault_dark_h", t->dark_s / 3600, "h");
    ROW("fault_gpu_out_h", t->gpu_out_s / 3600, "h");
    ROW("fault_dropped_requests", t->fault_dropped, "1");
    ROW("fault_impact_h", t->fault_impact_s / 3600, "h");
    ROW("ups_kwh", t->ups_j / J_PER_KWH, "kWh");
    ROW("generator_kwh", t->generator_j / J_PER_KWH, "kWh");
    ROW("generator_fuel_l", t->generator_fuel_l, "L");
    ROW("generator_co2_kg", t->generator_co2_kg, "kg");
    /* graceful degradation (docs/degradation.md) */
    ROW("degraded_h", t->degraded_s / 3600, "h");
#undef ROW
    return n;
}

void dcs_model_totals(const dcs_model *m, dcs_site_account *whole)
{
    memset(whole, 0, sizeof *whole);
    for (size_t i = 0; i < m->nsites; i++) {
        dcs_site_account t;
        dcs_model_site_totals(m, i, &t);
        add_account(whole, &t);
    }
}

/* The whole run's rows: facility, carbon and cost, then workloads. */
static size_t run_metrics(const dcs_model *m, dcs_trace_metric *rows)
{
    dcs_site_account t;
    dcs_model_totals(m, &t);
    size_t n = metrics(&t, rows);
    return n + dcs_model_work_metrics(m, rows + n);
}

double dcs_model_metric(const dcs_model *m, const char *name)
{
    dcs_trace_metric rows[DCS_MODEL_NMETRICS];
    size_t n = run_metrics(m, rows);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return rows[i].value;
    return NAN;
}

dcs_status dcs_model_write(const dcs_model *m, dcs_trace *tr)
{
    dcs_trace_metric rows[DCS_MODEL_NMETRICS];
    dcs_status st = dcs_trace_summary(tr, NULL, rows, run_metrics(m, rows));
    dcs_trace_column cols[DCS_SITE_NCOLS];
    for (size_t c = 0; c < DCS_SITE_NCOLS; c++)
        cols[c] = (dcs_trace_column){dcs_site_col_names[c], dcs_site_col_units[c]};
    for (size_t i = 0; i < m->nsites && st == DCS_OK; i++) {
        const char *name = m->sites[i].cfg.name;
        char scope[512];
        snprintf(scope, sizeof scope, "sites/%s", name);
        dcs_site_account t;
        dcs_model_site_totals(m, i, &t);
        st = dcs_trace_summary(tr, scope, rows, metrics(&t, rows));
        dcs_site_results r;
        dcs_site_results_of(dcs_model_site_state(m, i), &r);
        dcs_trace_series *ser = NULL;
        if (st == DCS_OK)
            st = dcs_trace_series_open(tr, name, cols, DCS_SITE_NCOLS, &ser);
        for (size_t k = 0; k < r.nrows && st == DCS_OK; k++)
            st = dcs_trace_series_append(ser, r.times[k], &r.rows[k * DCS_SITE_NCOLS]);
    }
    if (st == DCS_OK)
        st = dcs_model_work_write(m, tr);
    return st;
}
