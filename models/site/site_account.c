/*
 * site_account.c - the end-of-run accounting of a site from its hourly
 * facility energy: procurement, market-based carbon, hourly (24/7 CFE) and
 * annual matching, and the demand charge (models/grid/procure.c, price.c).
 *
 * Hour h of the run holds the facility energy E_h (J) the site LP
 * accumulated exactly; its mean power is E_h / 3600 s (the last hour of a
 * run that does not end on the hour is partial: its mean power over the
 * whole hour gives the same energy, which is what procurement sums).
 *   procure.h on the hourly load, the grid's hourly intensity ci_h and
 *   carbon-free share g_h:  location kg L, market kg M, CFE share, annual
 *   matching share, clean supply, battery state.
 *   location-based carbon: without on-site supply (solar, battery) the grid
 *     import equals the load, and the LP's exact integral of power x
 *     intensity (which equals sum_h E_h ci_h because ci is constant within
 *     an hour) is kept; with on-site supply it is L (grid import only).
 *   market-based carbon = location-based x M / L (M = L (1 - a), procure.h).
 *   demand charge = sum over calendar months of the month's peak hourly
 *     grid import x the rate (price.h).
 * Simplified: energy is priced on the facility's whole consumption at the
 * grid price (PPA settlement prices are not modelled).
 */
#include "dcsim/site.h"

#include <math.h>

void dcs_site_account_hours(const dcs_site_config *c, size_t n, const double *energy_j,
                            double *work, dcs_site_account *a, double *clean_w, double *soc_j)
{
    double *load = work, *ci = work + n, *cfe = work + 2 * n, *import = work + 3 * n;
    for (size_t h = 0; h < n; h++) {
        dcs_time t = (dcs_time)h * DCS_HOUR;
        load[h] = energy_j[h] / 3600.0;
        ci[h] = c->ci ? dcs_hourly_at(c->ci, t) : 0.0;
        cfe[h] = c->grid_cfe_hourly ? dcs_hourly_at(c->grid_cfe_hourly, t) : c->grid_cfe;
    }
    dcs_procure_params p = dcs_procure_defaults();
    if (c->procure)
        p = c->procurement;
    dcs_procure_result r;
    dcs_procure_series ser = {.clean_supply_w = clean_w, .battery_soc_j = soc_j,
                              .grid_import_w = import};
    dcs_procure_run(&p, n, load, ci, cfe, &r, &ser);
    bool onsite = p.onsite_solar_w > 0 || p.battery_capacity_j > 0;
    if (onsite)
        a->carbon_kg = r.location_kg;
    a->carbon_market_kg = r.location_kg > 0 ? a->carbon_kg * (r.market_kg / r.location_kg) : 0.0;
    a->clean_j = r.cfe_frac * r.load_j;
    a->matched_j = r.annual_match_frac * r.load_j;
    a->clean_supply_j = r.clean_supply_j;
    dcs_price_params pp = dcs_price_defaults();
    pp.demand_usd_per_w_month = c->demand_usd_per_w_month;
    a->cost_demand_usd = pp.demand_usd_per_w_month > 0
                             ? dcs_price_demand_usd(&pp, c->start_utc_s, n, import)
                             : 0.0;
    a->cost_usd = a->cost_energy_usd + a->cost_demand_usd;
}
