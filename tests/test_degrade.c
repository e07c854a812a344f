/*
 * test_degrade.c - graceful degradation (docs/degradation.md): the
 * scenario keys as the run sees them, and the degraded state of a site
 * (its causes, its hours, its series column and /events rows).
 */
#include <math.h>
#include <string.h>

#include "dcsim/control.h"
#include "dcsim/model.h"
#include "dcsim/scenario.h"
#include "dcsim/site.h"
#include "harness.h"
#include "run_util.h"

#include "../sim/model_internal.h"

static const char *const NODES = "fixtures/degrade/nodes.yaml";

/* The site's series value of column col in the row at time t. */
static double series_at(const dcs_model *m, size_t site, size_t col, dcs_time t)
{
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, site), &r);
    for (size_t k = 0; k < r.nrows; k++)
        if (r.times[k] == t)
            return r.rows[k * DCS_SITE_NCOLS + col];
    return NAN;
}

/* Rows of kind at site 0's log (faults, backup, degraded). */
static size_t log_rows(const dcs_model *m, const char *kind, const dcs_event_log_row **first)
{
    const dcs_event_log_row *rows;
    size_t n, found = 0;
    dcs_site_fault_log_of(dcs_model_site_state(m, 0), &rows, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].kind, kind) == 0 && found++ == 0)
            *first = &rows[i];
    return found;
}

/* Defaults (the schema's help text gives their reasons): degraded by
 * fault or throttle, overload at 5 %, low priority served, 100,000 held
 * at most, fallback on.  priority: low reaches the workload. */
static void keys_defaults(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    CHECK_INT(dcs_scenario_load(NODES, NULL, 0, d, &s), DCS_OK);
    if (s)
        CHECK_INT(dcs_model_build(s, NODES, 1, 1, d, &m), DCS_OK);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    if (m) {
        const dcs_work_degrade *g = &m->work.cfg.degrade;
        CHECK_INT(g->when, DCS_WORK_DEGRADE_FAULT | DCS_WORK_DEGRADE_THROTTLE);
        CHECK_NEAR(g->overload_violations, 0.05, 1e-15);
        CHECK_INT(g->low_priority, DCS_WORK_LOW_SERVE);
        CHECK_INT(g->hold_limit, 100000);
        CHECK(g->fallback);
        CHECK(!m->work.wl[0].low_priority);
        CHECK(m->work.wl[1].low_priority);
    }
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* Every key written: carried as written into the run's config. */
static void keys_written(void)
{
    const char *set[] = {"policy.degrade.when=[overload, fault]",
                         "policy.degrade.overload_violations=12 %",
                         "policy.degrade.low_priority=queue", "policy.degrade.hold_limit=7",
                         "policy.degrade.fallback=false"};
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    CHECK_INT(dcs_scenario_load(NODES, set, 5, d, &s), DCS_OK);
    if (s)
        CHECK_INT(dcs_model_build(s, NODES, 1, 1, d, &m), DCS_OK);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    if (m) {
        const dcs_work_degrade *g = &m->work.cfg.degrade;
        CHECK_INT(g->when, DCS_WORK_DEGRADE_FAULT | DCS_WORK_DEGRADE_OVERLOAD);
        CHECK_NEAR(g->overload_violations, 0.12, 1e-15);
        CHECK_INT(g->low_priority, DCS_WORK_LOW_QUEUE);
        CHECK_INT(g->hold_limit, 7);
        CHECK(!g->fallback);
    }
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* nodes.yaml: a quarter of the GPUs fail from 30 to 60 min.  Cause fault:
 * degraded exactly then, 0.5 h; the series' degraded column is 1 from the
 * 30 min row to the 59 min row and 0 outside; /events has `degraded` at
 * 1800 s and `degraded_end` at 3600 s with the 1800 s it lasted.  With
 * low_priority serve (the default) nothing else changes: nothing shed or
 * held. */
static void degraded_by_node_failure(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run(NODES, &s, 1);
    if (!m)
        return;
    CHECK_NEAR(dcs_model_metric(m, "degraded_h"), 0.5, 1e-12);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_degraded, 29 * 60 * DCS_SECOND), 0, 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_degraded, 30 * 60 * DCS_SECOND), 1, 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_degraded, 59 * 60 * DCS_SECOND), 1, 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_degraded, 60 * 60 * DCS_SECOND), 0, 0);
    const dcs_event_log_row *on = NULL, *off = NULL;
    CHECK_INT(log_rows(m, "degraded", &on), 1);
    CHECK_INT(log_rows(m, "degraded_end", &off), 1);
    if (on && off) {
        CHECK_INT(on->time, 1800 * DCS_SECOND);
        CHECK(strstr(on->detail, "fault") != NULL);
        CHECK_INT(off->time, 3600 * DCS_SECOND);
        CHECK_NEAR(off->value, 1800, 0);
    }
    CHECK_NEAR(dcs_model_metric(m, "requests_shed"), 0, 0);
    CHECK_NEAR(dcs_model_metric(m, "requests_held"), 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* when: [throttle] does not count the node failure (and this January
 * night in Dulles never throttles): never degraded, no rows. */
static void cause_not_selected(void)
{
    const char *set[] = {"policy.degrade.when=throttle"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set(NODES, set, 1, &s, 1);
    if (!m)
        return;
    CHECK_NEAR(dcs_model_metric(m, "degraded_h"), 0, 0);
    CHECK_NEAR(dcs_model_metric(m, "throttled_h"), 0, 0);
    const dcs_event_log_row *on = NULL;
    CHECK_INT(log_rows(m, "degraded", &on), 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

int main(void)
{
    RUN(keys_defaults);
    RUN(keys_written);
    RUN(degraded_by_node_failure);
    RUN(cause_not_selected);
    return TEST_END();
}
