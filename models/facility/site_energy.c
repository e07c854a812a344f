/*
 * site_energy.c - exact integration of a site's powers into energies and
 * the summary metrics (definitions in include/dcsim/site_energy.h).
 * Sums run in call order so the same sequence of intervals gives
 * bit-identical totals (no reordering, no parallel reduction).
 */
#include "dcsim/site_energy.h"

#include <math.h>
#include <string.h>

#define J_PER_KWH 3.6e6

void dcs_site_totals_init(dcs_site_totals *t, bool heat_pump_on_site)
{
    memset(t, 0, sizeof *t);
    t->heat_pump_on_site = heat_pump_on_site;
}

void dcs_site_totals_add(dcs_site_totals *t, const dcs_site_point *p, double dt_s)
{
    if (!(dt_s > 0.0))
        return;
    double facility_w = p->it_w + p->cooling_w + p->losses_w
                      + (t->heat_pump_on_site ? p->heat_pump_w : 0.0);
    t->it_j += p->it_w * dt_s;
    t->cooling_j += p->cooling_w * dt_s;
    t->losses_j += p->losses_w * dt_s;
    t->heat_pump_j += p->heat_pump_w * dt_s;
    t->facility_j += facility_w * dt_s;
    t->water_kg += p->water_kg_s * dt_s;
    t->heat_reused_j += p->heat_reused_w * dt_s;
    t->avoided_kg += p->avoided_kg_s * dt_s;
    if (facility_w > t->peak_w)
        t->peak_w = facility_w;
    switch (p->mode) {
    case DCS_FREE_FULL: t->free_full_s += dt_s; break;
    case DCS_FREE_PARTIAL: t->free_partial_s += dt_s; break;
    case DCS_FREE_OFF: t->free_off_s += dt_s; break;
    }
}

void dcs_site_metrics(const dcs_site_totals *t, dcs_metric rows[DCS_SITE_METRICS])
{
    double it_kwh = t->it_j / J_PER_KWH;
    double ratio = it_kwh > 0.0 ? 1.0 : (double)NAN;   /* NaN ratios when nothing ran */
    const dcs_metric all[DCS_SITE_METRICS] = {
        {"energy_it_kwh", it_kwh, "kWh"},
        {"energy_cooling_kwh", t->cooling_j / J_PER_KWH, "kWh"},
        {"energy_facility_kwh", t->facility_j / J_PER_KWH, "kWh"},
        {"pue", ratio * t->facility_j / t->it_j, "1"},
        {"peak_power_kw", t->peak_w / 1e3, "kW"},
        {"water_l", t->water_kg, "L"},
        {"wue_l_per_kwh", ratio * t->water_kg / it_kwh, "L/kWh"},
        {"heat_reused_kwh", t->heat_reused_j / J_PER_KWH, "kWh"},
        {"ere", ratio * (t->facility_j - t->heat_reused_j) / t->it_j, "1"},
        {"energy_losses_kwh", t->losses_j / J_PER_KWH, "kWh"},
        {"energy_heat_pump_kwh", t->heat_pump_j / J_PER_KWH, "kWh"},
        {"carbon_avoided_kg", t->avoided_kg, "kg"},
        {"free_cooling_full_h", t->free_full_s / 3600.0, "h"},
        {"free_cooling_partial_h", t->free_partial_s / 3600.0, "h"},
    };
    memcpy(rows, all, sizeof all);
}
