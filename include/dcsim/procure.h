/*
 * procure.h - clean-energy procurement and carbon accounting over hourly
 * steps: PPAs, on-site solar, a battery, energy attribute certificates;
 * hourly (24/7 CFE) and annual matching; location- and market-based
 * emissions.
 *
 * Per hour h (dt = 3600 s), with load L_h, on-site solar S_h, PPA energy
 * P_h (capacity x capacity-factor profile):
 *   local clean supply C_h = S_h + (PPA in the same grid region ? P_h : 0)
 *   battery: charges from surplus C_h - L_h (>0), discharges to cover the
 *     deficit, power-limited, charge and discharge efficiency sqrt(RTE)
 *     each, starting empty.
 *   clean used  U_h = min(L_h, C_h) + battery discharge
 *   grid import G_h = L_h - S_h_used - battery discharge... (= L_h - U_h +
 *     the PPA share of U_h, since a PPA is delivered through the grid)
 *   hourly CFE = sum_h (U_h + g_h (L_h - U_h)) / sum_h L_h, g_h the grid's
 *     own carbon-free fraction (optional, 0 if not given).
 *   annual matching = min(1, (sum S + sum P + EAC) / sum L).
 *   location-based kg = sum_h G_h ci_h (grid energy at the grid average).
 *   market-based kg = sum_h max(0, L_h - U_h) ci_h x (1 - a), where
 *     a = min(1, (PPA energy not used hourly, any region, + EAC) / that
 *     uncovered energy): contracts not matched in their hour still count
 *     annually, spread evenly (GHG Protocol Scope 2 market-based, with the
 *     grid average standing in for the residual mix).
 * Simplified: no residual-mix factor, no transmission losses, battery
 * self-discharge ignored, the battery is charged only from clean supply.
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
