/* annual.h - a year of the pure facility models, hour by hour, for the PUE
 * band tests: constant IT load, cooling from dcs_cooling_power,
 * distribution losses from dcs_distribution_loss_w. */
#ifndef DCSIM_TESTS_ANNUAL_H
#define DCSIM_TESTS_ANNUAL_H

#include "dcsim/cooling.h"
#include "dcsim/power.h"

typedef struct annual {
    double pue;            /* (IT + cooling + distribution) / IT */
    double wue_l_per_kwh;  /* water / IT energy */
    int hours_full, hours_partial, hours_off;
} annual;

/* IT load it_w (W) in a plant and distribution sized for design_w. */
static inline void annual_run(dcs_cooling_type type, double design_w, double it_w,
                              const dcs_ambient *hours, int n, annual *out)
{
    dcs_cooling_params p;
    dcs_cooling_defaults(&p, type, design_w);
    dcs_distribution_params dist;
    dcs_distribution_defaults(&dist, design_w);
    double cooling_wh = 0.0, loss_wh = 0.0, water_kg = 0.0;
    out->hours_full = out->hours_partial = out->hours_off = 0;
    for (int i = 0; i < n; i++) {
        dcs_cooling_result r;
        dcs_cooling_power(&p, &hours[i], it_w, &r);
        cooling_wh += r.total_w;
        loss_wh += dcs_distribution_loss_w(&dist, it_w);
        water_kg += r.water_kg_s * 3600.0;
        out->hours_full += r.mode == DCS_FREE_FULL;
        out->hours_partial += r.mode == DCS_FREE_PARTIAL;
        out->hours_off += r.mode == DCS_FREE_OFF;
    }
    double it_wh = it_w * n;
    out->pue = (it_wh + cooling_wh + loss_wh) / it_wh;
    out->wue_l_per_kwh = water_kg / (it_wh / 1000.0);
}

#endif
