/*
 * run_util.h - load, build and run a scenario in-process, for tests that
 * check a run's totals (include after harness.h).
 */
#ifndef DCSIM_TESTS_RUN_UTIL_H
#define DCSIM_TESTS_RUN_UTIL_H

#include "dcsim/model.h"
#include "dcsim/scenario.h"

/* Run the scenario at path, with nsets --set overrides, with its own seed
 * on `threads` threads; the scenario goes to *sp (the caller frees it, also
 * on failure).  Prints the diagnostics, counts a failed check and returns
 * NULL when any step fails. */
static dcs_model *load_and_run_set(const char *path, const char *const *sets, int nsets,
                                   dcs_scenario **sp, int threads)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    dcs_status st = dcs_scenario_load(path, sets, nsets, d, &s);
    if (st == DCS_OK)
        st = dcs_model_build(s, path, (uint64_t)s->seed, threads, d, &m);
    if (st == DCS_OK)
        st = dcs_model_run(m, NULL);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    CHECK_INT(st, DCS_OK);
    *sp = s;
    if (st != DCS_OK) {
        dcs_model_free(m);
        return NULL;
    }
    return m;
}

static dcs_model *load_and_run(const char *path, dcs_scenario **sp, int threads)
{
    return load_and_run_set(path, NULL, 0, sp, threads);
}

#endif
