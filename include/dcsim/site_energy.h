/*
 * site_energy.h - a site's energy, water and heat-reuse totals, and the
 * summary metrics of DESIGN.md section 8 computed from them.
 *
 * Powers are piecewise constant between calls; each call adds P * dt
 * (exact energy integration, DESIGN.md section 2).  Facility energy =
 * IT + cooling + distribution losses; the heat pump of a reuse scheme
 * belongs to the heating network's operator and is reported separately
 * (set heat_pump_on_site to count it in the facility).
 *   PUE = E_facility / E_IT;  WUE = water (L) / E_IT (kWh);
 *   ERE = (E_facility - E_reused) / E_IT (The Green Grid 2010, FACTS.md 4).
 */
#ifndef DCSIM_SITE_ENERGY_H
#define DCSIM_SITE_ENERGY_H

#include <stdbool.h>

#include "dcsim/metric.h"
#include "dcsim/cooling.h"

/* One interval's powers and flows (W, kg/s), constant over the interval. */
typedef struct dcs_site_point {
    double it_w;
    double cooling_w;
    double losses_w;        /* UPS and distribution */
    double heat_pump_w;
    double water_kg_s;
    double heat_reused_w;   /* heat taken from the site into the network */
    double avoided_kg_s;    /* CO2 of the displaced heat source */
    dcs_free_mode mode;
} dcs_site_point;

typedef struct dcs_site_totals {
    bool heat_pump_on_site;
    double it_j, cooling_j, losses_j, heat_pump_j, facility_j;
    double water_kg, heat_reused_j, avoided_kg;
    double peak_w;          /* highest facility power seen */
    double free_full_s, free_partial_s, free_off_s;
} dcs_site_totals;


#define DCS_SITE_METRICS 14

void dcs_site_totals_init(dcs_site_totals *t, bool heat_pump_on_site);

/* Add interval p lasting dt_s seconds (>= 0). */
void dcs_site_totals_add(dcs_site_totals *t, const dcs_site_point *p, double dt_s);

/* Fill rows[0..DCS_SITE_METRICS-1]: energy_it_kwh, energy_cooling_kwh,
 * energy_facility_kwh, pue, peak_power_kw, water_l, wue_l_per_kwh,
 * heat_reused_kwh, ere, then energy_losses_kwh, energy_heat_pump_kwh,
 * carbon_avoided_kg, free_cooling_full_h, free_cooling_partial_h.  Ratios
 * are NaN when no IT energy was recorded. */
void dcs_site_metrics(const dcs_site_totals *t, dcs_metric rows[DCS_SITE_METRICS]);

#endif
