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
    dcs_hourly ci;               /* average intensity, kg/J, hour 0 = start */
    dcs_hourly ci_marginal;      /* marginal intensity (generation mix only) */
    dcs_hourly cfe;              /* hourly carbon-free share (generation mix) */
    dcs_hourly price;            /* USD/J per hour of the run */
    size_t nhours;               /* hours of the run, the last one partial */
    double *ppa_cf, *onsite_cf;  /* procurement profiles, nhours each */
    uint32_t lp;
} dcs_model_site;

struct dcs_model {
    const dcs_scenario *scenario;
    dcs_engine *engine;
    dcs_model_site *sites;
    size_t nsites;
    bool ran;
};

/* Path as written in the scenario, relative to its folder (absolute kept). */
void dcs_model_resolve_path(const char *scenario_path, const char *path, char *out, size_t n);
/* Grid signals, prices and procurement of site i into ms (sim/model_grid.c);
 * problems reported through d.  Free with dcs_model_grid_free. */
dcs_status dcs_model_build_grid(const dcs_scenario *s, const char *scenario_path, size_t i,
                                dcs_model_site *ms, dcs_diag *d);
void dcs_model_grid_free(dcs_model_site *ms);

/* The LP state of site i, and a copy of its totals. */
void *dcs_model_site_state(const dcs_model *m, size_t i);
void dcs_model_site_totals(const dcs_model *m, size_t i, dcs_site_account *out);
/* Sum of all sites' totals, in site order. */
void dcs_model_totals(const dcs_model *m, dcs_site_account *whole);

#endif
