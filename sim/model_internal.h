/* model_internal.h - the assembled model, shared by sim/model_*.c. */
#ifndef DCSIM_MODEL_INTERNAL_H
#define DCSIM_MODEL_INTERNAL_H

#include "dcsim/engine.h"
#include "dcsim/model.h"
#include "dcsim/site.h"

enum { DCS_MODEL_NMETRICS = 32 };

typedef struct dcs_model_site {
    dcs_site_config cfg;
    dcs_site_cluster *clusters;
    dcs_site_trip *trips;
    dcs_ambient *hours;          /* EPW record, when the climate is a file */
    char *epw_path;              /* its path, for diagnostics */
    dcs_hourly ci;               /* average intensity, kg/J */
    uint32_t lp;
} dcs_model_site;

struct dcs_model {
    const dcs_scenario *scenario;
    dcs_engine *engine;
    dcs_model_site *sites;
    size_t nsites;
    bool ran;
};

/* The LP state of site i, and a copy of its totals. */
void *dcs_model_site_state(const dcs_model *m, size_t i);
void dcs_model_site_totals(const dcs_model *m, size_t i, dcs_site_account *out);
/* Sum of all sites' totals, in site order. */
void dcs_model_totals(const dcs_model *m, dcs_site_account *whole);

#endif
