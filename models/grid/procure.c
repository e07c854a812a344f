/*
 * procure.c - clean-energy procurement, hourly (24/7 CFE) and annual
 * matching, location- and market-based emissions (equations in procure.h).
 *
 * Sources: the hourly CFE score follows Google's 24/7 carbon-free energy
 * methodology (2021): clean energy counts only in the hour and grid where it
 * is consumed, grid power counts at the grid's carbon-free share; the
 * location/market split follows the GHG Protocol Scope 2 Guidance (2015).
 * The battery round-trip efficiency default 0.85 is an assumption [U]
 * (typical of utility Li-ion systems; not in FACTS.md).
 */
#include "dcsim/procure.h"

#include <math.h>

dcs_procure_params dcs_procure_defaults(void)
{
    return (dcs_procure_params){
        .ppa_capacity_w = 0, .ppa_cf = NULL, .ppa_same_region = true,
        .onsite_solar_w = 0, .onsite_cf = NULL,
        .battery_capacity_j = 0, .battery_power_w = 0, .battery_rte = 0.85,
        .eac_j = 0,
    };
}

static void range(dcs_diag *d, dcs_loc loc, const char *name, double v, double lo, double hi,
                  dcs_status *st)
{
    if (!(v >= lo && v <= hi)) {
        dcs_diag_error(d, loc, "%s = %g is out of range [%g, %g]", name, v, lo, hi);
        *st = DCS_ERANGE;
    }
}

dcs_status dcs_procure_check(const dcs_procure_params *p, dcs_diag *d, dcs_loc loc)
{
    dcs_status st = DCS_OK;
    range(d, loc, "ppa_capacity_w", p->ppa_capacity_w, 0, 1e12, &st);
    range(d, loc, "onsite_solar_w", p->onsite_solar_w, 0, 1e12, &st);
    range(d, loc, "battery_capacity_j", p->battery_capacity_j, 0, 1e16, &st);
    range(d, loc, "battery_power_w", p->battery_power_w, 0, 1e12, &st);
    range(d, loc, "battery_rte", p->battery_rte, 0.01, 1, &st);
    range(d, loc, "eac_j", p->eac_j, 0, 1e20, &st);
    if (p->ppa_capacity_w > 0 && !p->ppa_cf) {
        dcs_diag_error(d, loc, "a PPA of %g W needs a generation profile", p->ppa_capacity_w);
        st = DCS_ERANGE;
    }
    if (p->onsite_solar_w > 0 && !p->onsite_cf) {
        dcs_diag_error(d, loc, "on-site solar of %g W needs a generation profile", p->onsite_solar_w);
        st = DCS_ERANGE;
    }
    return st;
}

static double min2(double a, double b) { return a < b ? a : b; }

void dcs_procure_run(const dcs_procure_params *p, size_t n, const double *load_w,
                     const double *ci_kg_per_j, const double *grid_cfe,
                     dcs_procure_result *r, dcs_procure_series *series)
{
    const double dt = 3600.0;
    const double eta = sqrt(p->battery_rte);     /* each way */
    double soc = 0.0;
    double load = 0, import = 0, used = 0, supply = 0, chg = 0, dis = 0;
    double clean_score = 0, location = 0, solar_total = 0, ppa_total = 0;
    for (size_t h = 0; h < n; h++) {
        double L = load_w[h] * dt;
        double S = p->onsite_cf ? p->onsite_solar_w * p->onsite_cf[h] * dt : 0.0;
        double P = p->ppa_cf ? p->ppa_capacity_w * p->ppa_cf[h] * dt : 0.0;
        double C = S + (p->ppa_same_region ? P : 0.0);
        double direct = min2(L, C);
        double surplus = C - direct, deficit = L - direct;
        double step = p->battery_power_w * dt;
        double charge = min2(min2(surplus, step), (p->battery_capacity_j - soc) / eta);
        if (charge < 0)
            charge = 0;
        soc += charge * eta;
        double discharge = min2(min2(deficit, step), soc * eta);
        soc -= discharge / eta;
        double U = direct + discharge;
        /* On-site surplus feeds the battery first; the rest of its charge is
         * PPA energy, which arrives through the grid meter. */
        double solar_surplus = S - min2(L, S);
        double charge_grid = charge - min2(charge, solar_surplus);
        double G = L - min2(L, S) - discharge + charge_grid;
        double g = grid_cfe ? grid_cfe[h] : 0.0;
        load += L;
        import += G;
        used += U;
        supply += C;
        chg += charge;
        dis += discharge;
        clean_score += U + g * (L - U);
        location += G * ci_kg_per_j[h];
        solar_total += S;
        ppa_total += P;
        if (series) {
            if (series->clean_supply_w)
                series->clean_supply_w[h] = C / dt;
            if (series->battery_soc_j)
                series->battery_soc_j[h] = soc;
            if (series->grid_import_w)
                series->grid_import_w[h] = G / dt;
        }
    }
    r->load_j = load;
    r->grid_import_j = import;
    r->clean_used_j = used;
    r->clean_supply_j = supply;
    r->battery_charge_j = chg;
    r->battery_discharge_j = dis;
    r->cfe_frac = load > 0 ? clean_score / load : 0.0;
    r->annual_match_frac = load > 0 ? min2(1.0, (solar_total + ppa_total + p->eac_j) / load) : 0.0;
    r->location_kg = location;
    double a = import > 0 ? min2(1.0, (ppa_total + p->eac_j) / import) : 1.0;
    r->market_kg = (1.0 - a) * location;
}
