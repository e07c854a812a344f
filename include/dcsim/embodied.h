/*
 * embodied.h - embodied (manufacturing and construction) carbon amortised
 * per GPU-hour, straight-line over each item's lifetime:
 *   kg/GPU-h = gpu_kg / gpu_life_h
 *            + server_kg / (gpus_per_server x server_life_h)
 *            + building_kg_per_w x it_w_per_gpu / building_life_h
 * Sources (FACTS.md 7): GPU 150 kg and server 2,500 kg excluding GPUs,
 * 6-year life, from the BLOOM study (Luccioni et al., JMLR 2023) [U: recalled
 * there, treat as assumptions]; building 9,000 t for 50 MW over 20 years
 * (Azure GreenSKU, 2024) [V], allocated by IT power.  Left out: networking
 * and storage outside the server, end-of-life, replacement before end of life.
 */
#ifndef DCSIM_EMBODIED_H
#define DCSIM_EMBODIED_H

#include "dcsim/diag.h"

typedef struct dcs_embodied_params {
    double gpu_kg, gpu_life_s;
    double server_kg, server_life_s;  /* server without its GPUs */
    double gpus_per_server;
    double building_kg_per_w;         /* building carbon per W of IT capacity */
    double building_life_s;
    double it_w_per_gpu;              /* IT capacity attributed to one GPU */
} dcs_embodied_params;

dcs_embodied_params dcs_embodied_defaults(void);
dcs_status dcs_embodied_check(const dcs_embodied_params *p, dcs_diag *d, dcs_loc loc);
/* Embodied kg CO2eq per GPU-hour. */
double dcs_embodied_kg_per_gpu_hour(const dcs_embodied_params *p);
/* Embodied kg for gpus GPUs held for duration_s seconds. */
double dcs_embodied_kg(const dcs_embodied_params *p, double gpus, double duration_s);

#endif
