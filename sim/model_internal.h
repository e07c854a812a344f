/* model_internal.h - the assembled model, shared by sim/model_*.c. */
#ifndef DCSIM_MODEL_INTERNAL_H
#define DCSIM_MODEL_INTERNAL_H

#include "dcsim/engine.h"
#include "dcsim/fault.h"
#include "dcsim/model.h"
#include "dcsim/control.h"
#include "dcsim/site.h"
#include "dcsim/work.h"

enum { DCS_MODEL_NMETRICS = 64 };

typedef struct dcs_model_site {
    dcs_site_config cfg;
    dcs_site_cluster *clusters;
    dcs_site_trip *trips;
    dcs_fault_list faults;       /* every fault window of the site, sorted */
    dcs_ambient *hours;          /* EPW record, when the climate is a file */
    char *epw_path;              /* its path, for diagnostics */
    dcs_hourly ci;               /* average intensity, kg/J, hour 0 = start */
    dcs_hourly ci_marginal;      /* marginal intensity (generation mix only) */
    dcs_hourly cfe;              /* hourly carbon-free share (generation mix) */
    dcs_hourly price;            /* USD/J per hour of the run */
    size_t nhours;               /* hours of the run, the last one partial */
    double *ppa_cf, *onsite_cf;  /* procurement profiles, nhours each */
    dcs_site_pool *pools;        /* inference replicas hosted here */
    dcs_site_job *jobs;          /* training and batch jobs placed here */
    uint32_t lp;
} dcs_model_site;

/* The workloads and the controller (sim/model_work.c); all zero when the
 * scenario has no workloads. */
typedef struct dcs_model_work {
    bool on;
    dcs_work_config cfg;
    dcs_work_wl *wl;
    dcs_llm_trace *traces;       /* one per workload (empty unless replayed) */
    dcs_control_bus *bus;
    dcs_site_telemetry (*tele)[DCS_CONTROL_RING];
    uint32_t *site_lp;
    dcs_policy_stack stack;
    dcs_controller_config *ctrl;
    const dcs_hourly **ci, **ci_marginal, **price;
    double *flat_price;
    uint32_t ctrl_lp;
    size_t njobs;                /* run-wide */
} dcs_model_work;

struct dcs_model {
    const dcs_scenario *scenario;
    dcs_engine *engine;
    dcs_model_site *sites;
    size_t nsites;
    dcs_model_work work;
    bool ran;
};

/* Path as written in the scenario, relative to its folder (absolute kept). */
void dcs_model_resolve_path(const char *scenario_path, const char *path, char *out, size_t n);
/* Grid signals, prices and procurement of site i into ms (sim/model_grid.c);
 * problems reported through d.  Free with dcs_model_grid_free. */
dcs_status dcs_model_build_grid(const dcs_scenario *s, const char *scenario_path, size_t i,
                                dcs_model_site *ms, dcs_diag *d);
void dcs_model_grid_free(dcs_model_site *ms);

/* Workloads, jobs, policies and the control bus of the run into m->work
 * and every site's config (after the sites are built, before LPs are
 * added); problems through d.  dcs_model_work_lps adds the controller LP
 * (call it before the site LPs, so it is LP 0) and dcs_model_work_channels
 * the channels once the sites have their LPs.  Free with
 * dcs_model_work_free. */
dcs_status dcs_model_build_work(const dcs_scenario *s, const char *scenario_path, uint64_t seed,
                                dcs_model *m, dcs_diag *d);
dcs_status dcs_model_work_lps(dcs_model *m);
dcs_status dcs_model_work_channels(dcs_model *m);
void dcs_model_work_free(dcs_model *m);
/* Workload and job results into the trace (sim/model_work_write.c), and
 * the whole run's workload metrics appended to rows (returns the count). */
dcs_status dcs_model_work_write(const dcs_model *m, dcs_trace *tr);
size_t dcs_model_work_metrics(const dcs_model *m, dcs_trace_metric *rows);

/* The LP state of site i, and a copy of its totals. */
void *dcs_model_site_state(const dcs_model *m, size_t i);
void dcs_model_site_totals(const dcs_model *m, size_t i, dcs_site_account *out);
/* Sum of all sites' totals, in site order. */
void dcs_model_totals(const dcs_model *m, dcs_site_account *whole);

#endif
