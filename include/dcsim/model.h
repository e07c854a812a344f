/*
 * model.h - a scenario assembled into a runnable model, and its results.
 *
 * dcs_model_build turns a validated scenario into one site LP per site
 * (site.h) with every parameter resolved: catalog entries looked up, model
 * defaults filled under what the scenario gave, climate and grid signals
 * loaded.  dcs_model_run runs the engine; dcs_model_write writes the results
 * into an open trace in a fixed order (sites in scenario order), so the same
 * scenario and seed give the same trace data with any thread count.
 */
#ifndef DCSIM_MODEL_H
#define DCSIM_MODEL_H

#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/scenario.h"
#include "dcsim/trace.h"
#include "dcsim/wlstats.h"

typedef struct dcs_model dcs_model;

/* Build the model of scenario s (read from scenario_path, against which
 * relative file names resolve) for the given seed and thread count (0: all
 * cores).  Bad input found while resolving (an unknown climate, an
 * unreadable weather file) goes to d and returns DCS_EINPUT; *out is NULL
 * then.  s must outlive the model. */
dcs_status dcs_model_build(const dcs_scenario *s, const char *scenario_path, uint64_t seed,
                           int threads, dcs_diag *d, dcs_model **out);

/* Run to the scenario's duration.  DCS_OK, DCS_ENOMEM, or DCS_ERUN when an
 * invariant was violated (invariant.h: the run stopped early and its
 * results must not be written; dcs_model_failure says why).  If progress is
 * not NULL, the simulated time reached is stored there as the run advances
 * (engine.h), for a display in another thread. */
dcs_status dcs_model_run(dcs_model *m, _Atomic dcs_time *progress);

/* After dcs_model_run: the message of the invariant that stopped the run
 * ("invariant violated: site 'NAME' (LP n) at t=T s: QUANTITY"), or NULL. */
const char *dcs_model_failure(const dcs_model *m);

/* Engine events the run should take, estimated before it starts: control
 * steps, samples, and in the detailed fidelity every request's arrival and
 * completion and every batch iteration at the workloads' mean rates spread
 * over their replicas (the fluid model's busy share and iteration time).
 * Within a factor of about two for steady traffic. */
double dcs_model_estimate_events(const dcs_model *m);

/* Events executed and threads used by the run. */
uint64_t dcs_model_events(const dcs_model *m);
int dcs_model_threads(const dcs_model *m);

/* Write the summaries (whole run and per site) and per-site series. */
dcs_status dcs_model_write(const dcs_model *m, dcs_trace *tr);

/* The whole run's value of one summary metric (NAN if it has none). */
double dcs_model_metric(const dcs_model *m, const char *name);

/* Workload w's statistics over the run, as its /workloads/NAME/summary:
 * the sum over sites, plus the requests the controller dropped because no
 * site could take them (rounded expected counts).  out is about 54 KB. */
void dcs_model_workload_stats(const dcs_model *m, int w, dcs_wl_stats *out);

void dcs_model_free(dcs_model *m);

#endif
