/*
 * procure.h - clean-energy procurement and carbon accounting over hourly
 * steps: PPAs, on-site solar, a battery, energy attribute certificates;
 * hourly (24/7 CFE) and annual matching; location- and market-based
 * emissions.
 *
 * Per hour h (dt = 3600 s; E = P dt), with load L, on-site solar S,
 * PPA energy P (capacity x capacity factor):
 *   local clean supply C = S + (PPA in the site's grid region ? P : 0)
 *   direct clean use  D = min(L, C); surplus C - D; deficit L - D
 *   battery (starts empty; charge and discharge efficiency sqrt(RTE) each,
 *     power-limited): charges from the surplus, discharges to the deficit
 *   clean energy used U = D + discharge
 *   grid import G = L - min(L, S) - discharge + charge not fed by on-site
 *     surplus (a PPA is delivered through the grid, so battery charging from
 *     PPA surplus is grid energy physically, clean contractually)
 *   hourly CFE (24/7) = sum_h (U + g (L - U)) / sum_h L, g the grid's own
 *     carbon-free fraction in that hour (0 if not given)
 *   annual matching = min(1, (sum S + sum P + EAC) / sum L), any region
 *   location-based kg = sum_h G ci (grid purchases at the grid average)
 *   market-based kg = (1 - a) x location-based kg,
 *     a = min(1, (sum P + EAC) / sum G): contractual instruments (PPA energy
 *     of any region and certificates) cover grid purchases over the whole
 *     period, spread evenly (GHG Protocol Scope 2 market-based, annual).
 * Simplified: the grid average stands in for the residual mix (which is
 * higher, so market-based figures are optimistic where many consumers buy
 * certificates); no transmission losses; no battery self-discharge; the
 * battery never charges from non-contracted grid power; surplus beyond the
 * battery is exported without credit.
 */
#ifndef DCSIM_PROCURE_H
#define DCSIM_PROCURE_H

#include <stdbool.h>
#include <stddef.h>

#include "dcsim/diag.h"
#include "dcsim/hourly.h"

typedef struct dcs_procure_params {
    double ppa_capacity_w;            /* nameplate of the contracted plant */
    const double *ppa_cf;             /* capacity factor per hour (n values) */
    bool ppa_same_region;             /* deliverable to the site's grid */
    double onsite_solar_w;            /* nameplate of on-site PV */
    const double *onsite_cf;          /* PV capacity factor per hour */
    double battery_capacity_j;
    double battery_power_w;
    double battery_rte;               /* round-trip efficiency 0..1 */
    double eac_j;                     /* unbundled certificates for the period */
} dcs_procure_params;

/* Totals over the period; energies in J, masses in kg. */
typedef struct dcs_procure_result {
    double load_j, grid_import_j, clean_used_j, clean_supply_j;
    double battery_charge_j, battery_discharge_j;
    double cfe_frac;              /* hourly (24/7) carbon-free share, 0..1 */
    double annual_match_frac;     /* annual matching share, 0..1 */
    double location_kg, market_kg;
} dcs_procure_result;

/* Optional per-hour outputs (each array n values, or NULL). */
typedef struct dcs_procure_series {
    double *clean_supply_w;
    double *battery_soc_j;        /* at the end of the hour */
    double *grid_import_w;
} dcs_procure_series;

/* No contracts, no battery, RTE 0.85 (assumption [U], typical Li-ion). */
dcs_procure_params dcs_procure_defaults(void);
dcs_status dcs_procure_check(const dcs_procure_params *p, dcs_diag *d, dcs_loc loc);

/* Account n hours of load_w with grid intensity ci_kg_per_j and optional
 * grid carbon-free fraction grid_cfe (NULL = 0).  Pure. */
void dcs_procure_run(const dcs_procure_params *p, size_t n, const double *load_w,
                     const double *ci_kg_per_j, const double *grid_cfe,
                     dcs_procure_result *r, dcs_procure_series *series);

#endif
