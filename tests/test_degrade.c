/*
 * test_degrade.c - graceful degradation (docs/degradation.md): the
 * scenario keys as the run sees them; the degraded state of a site (its
 * causes: a node failure, a chiller trip, the throttle it brings, an
 * overload built from a 1 ms objective; its hours, series column and
 * /events rows); low-priority load shed or held (counts against Poisson
 * hand computations, the mean hold, hold_limit), detailed against fluid,
 * 1 against 2 threads; and the shipped scenario's point: shedding the free
 * tier in a chiller trip protects the paid one.
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

static double wl_metric(const dcs_model *m, int w, const char *name)
{
    static dcs_wl_stats st;    /* 54 KB: not on the stack */
    dcs_model_workload_stats(m, w, &st);
    dcs_metric rows[DCS_WL_METRICS];
    int n = dcs_wl_stats_metrics(&st, rows);
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return rows[i].value;
    return NAN;
}

/* Shed: batch (low priority, Poisson 2/s) reaching the site during the
 * 1800 s failure is not served: 2 x 1800 = 3600 expected, Poisson sd 60;
 * all of them also in requests_dropped (nothing else is dropped here);
 * chat (normal priority) loses nothing. */
static void shed_poisson(void)
{
    const char *set[] = {"policy.degrade.low_priority=shed"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set(NODES, set, 1, &s, 1);
    if (!m)
        return;
    double shed = wl_metric(m, 1, "requests_shed");
    CHECK(fabs(shed - 3600) < 4 * 60);
    CHECK_NEAR(wl_metric(m, 1, "requests_dropped"), shed, 0);
    CHECK_NEAR(wl_metric(m, 1, "requests_held"), 0, 0);
    CHECK_NEAR(wl_metric(m, 0, "requests_shed"), 0, 0);
    CHECK_NEAR(wl_metric(m, 0, "requests_dropped"), 0, 0);
    /* The SLA share counts them: batch's is at least shed / offered, about
     * 3600 / 10800 = 33 %. */
    CHECK(wl_metric(m, 1, "sla_violation_pct") >= 100 * shed / (10800 + 4 * 104) - 1e-9);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* Queue: the same 3600 (sd 60) are held and served after 60 min, none
 * dropped.  Arrivals are uniform over the failure, so their mean hold is
 * 1800 / 2 = 900 s (sd of the mean 1800 / sqrt(12 x 3600) = 8.7 s).
 * Every held request waits longer than batch's 10 s TTFT objective but
 * those of the last 10 s (about 20), so violations >= held - 40; its e2e
 * p99 is above 30 min x 0.98 (the longest holds are near 1800 s). */
static void queue_poisson(void)
{
    const char *set[] = {"policy.degrade.low_priority=queue"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set(NODES, set, 1, &s, 1);
    if (!m)
        return;
    double held = wl_metric(m, 1, "requests_held");
    CHECK(fabs(held - 3600) < 4 * 60);
    CHECK_NEAR(wl_metric(m, 1, "requests_shed"), 0, 0);
    CHECK_NEAR(wl_metric(m, 1, "requests_dropped"), 0, 0);
    CHECK(fabs(wl_metric(m, 1, "hold_mean_s") - 900) < 4 * 8.7);
    dcs_wl_stats st;
    dcs_model_workload_stats(m, 1, &st);
    CHECK(st.violations + 40 >= st.held);
    CHECK(wl_metric(m, 1, "e2e_p99_ms") > 0.98 * 1800e3 * 0.99);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* hold_limit 1000: the first 1000 are held, the rest (about 2600) shed. */
static void queue_limit(void)
{
    const char *set[] = {"policy.degrade.low_priority=queue", "policy.degrade.hold_limit=1000"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set(NODES, set, 2, &s, 1);
    if (!m)
        return;
    CHECK_NEAR(wl_metric(m, 1, "requests_held"), 1000, 0);
    CHECK(fabs(wl_metric(m, 1, "requests_shed") - 2600) < 4 * 60);
    /* The first 1000 arrive in the failure's first 500 s: they wait about
     * 1800 - 250 = 1550 s on average. */
    CHECK(fabs(wl_metric(m, 1, "hold_mean_s") - 1550) < 30);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* Detailed and fluid on the same case (the failure starts and ends on
 * control-period boundaries, where the fluid mode acts): shed and held
 * counts agree within the detailed run's Poisson noise (fluid: exactly
 * 2 x 1800 = 3600), the fluid mean hold is exactly 900 s (30 periods held
 * to their midpoints: 1800 - (i + 0.5) x 60 averaged), and the fluid
 * mode's held requests break the TTFT objective by their hold alone. */
static void detailed_vs_fluid(void)
{
    static const char *const modes[] = {"policy.degrade.low_priority=shed",
                                        "policy.degrade.low_priority=queue"};
    for (int i = 0; i < 2; i++) {
        const char *det[] = {modes[i]}, *flu[] = {modes[i], "fidelity=fluid"};
        dcs_scenario *sd, *sf;
        dcs_model *md = load_and_run_set(NODES, det, 1, &sd, 1);
        dcs_model *mf = load_and_run_set(NODES, flu, 2, &sf, 1);
        if (md && mf) {
            const char *key = i == 0 ? "requests_shed" : "requests_held";
            CHECK_NEAR(wl_metric(mf, 1, key), 3600, 0);
            CHECK(fabs(wl_metric(md, 1, key) - wl_metric(mf, 1, key)) < 4 * 60);
            CHECK_NEAR(dcs_model_metric(md, "degraded_h"), dcs_model_metric(mf, "degraded_h"), 0);
            if (i == 1) {
                CHECK_NEAR(wl_metric(mf, 1, "hold_mean_s"), 900, 1e-9);
                CHECK(fabs(wl_metric(md, 1, "hold_mean_s") - 900) < 4 * 8.7);
                dcs_wl_stats st;
                dcs_model_workload_stats(mf, 1, &st);
                CHECK(st.violations >= st.held);
            }
        }
        dcs_model_free(md);
        dcs_model_free(mf);
        dcs_scenario_free(sd);
        dcs_scenario_free(sf);
    }
}

/* Overload, constructed: with a 1 ms e2e objective every completion breaks
 * it, so from the first closed period (at 60 s) the share is 1.  Above a
 * 5 % threshold the site is degraded from 60 s to the end: 5340 s =
 * 1.48333 h; at a 100 % threshold (share must exceed it) never. */
static void overload_trigger(void)
{
    const char *on[] = {"policy.degrade.when=overload", "workloads[0].slo.e2e=1 ms",
                        "workloads[1].slo.e2e=1 ms"};
    const char *off[] = {"policy.degrade.when=overload", "workloads[0].slo.e2e=1 ms",
                         "workloads[1].slo.e2e=1 ms", "policy.degrade.overload_violations=100 %"};
    const char *calm[] = {"policy.degrade.when=overload"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set(NODES, on, 3, &s, 1);
    if (m)
        CHECK_NEAR(dcs_model_metric(m, "degraded_h"), 5340.0 / 3600, 1e-12);
    dcs_model_free(m);
    dcs_scenario_free(s);
    m = load_and_run_set(NODES, off, 4, &s, 1);
    if (m)
        CHECK_NEAR(dcs_model_metric(m, "degraded_h"), 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
    /* The fixture's own objectives are met (no violations): never overloaded. */
    m = load_and_run_set(NODES, calm, 1, &s, 1);
    if (m) {
        CHECK_NEAR(dcs_model_metric(m, "sla_violation_pct"), 0, 0);
        CHECK_NEAR(dcs_model_metric(m, "degraded_h"), 0, 0);
    }
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* 1 and 2 threads give the same counts and latencies (queue mode). */
static void threads_agree(void)
{
    const char *set[] = {"policy.degrade.low_priority=queue"};
    dcs_scenario *s1, *s2;
    dcs_model *a = load_and_run_set(NODES, set, 1, &s1, 1);
    dcs_model *b = load_and_run_set(NODES, set, 1, &s2, 2);
    if (a && b) {
        static const char *const names[] = {"requests", "requests_dropped", "requests_shed",
                                            "requests_held", "hold_mean_s", "e2e_p99_ms",
                                            "energy_facility_kwh", "degraded_h"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            CHECK_NEAR(dcs_model_metric(a, names[i]), dcs_model_metric(b, names[i]), 0);
    }
    dcs_model_free(a);
    dcs_model_free(b);
    dcs_scenario_free(s1);
    dcs_scenario_free(s2);
}

/* scenarios/degradation.yaml: a chiller trip in a Phoenix afternoon
 * throttles the GPUs; paid chat and the free tier (low priority, 12/s
 * each) share the hall.  Shedding the free tier while degraded takes its
 * heat off the loop, so the supply air rises more slowly: less heat the
 * plant cannot remove, fewer throttled hours, and fewer of chat's requests
 * break their objectives (chat's own load is the same in both runs).  The
 * shed count is the free tier's rate over the degraded time: 12/s x
 * degraded_h x 3600 s, within 4 Poisson sd. */
static void shed_protects_chat(void)
{
    const char *serve[] = {"policy.degrade.low_priority=serve"};
    const char *shed[] = {"policy.degrade.low_priority=shed"};
    dcs_scenario *s1, *s2;
    dcs_model *a = load_and_run_set("../scenarios/degradation.yaml", serve, 1, &s1, 1);
    dcs_model *b = load_and_run_set("../scenarios/degradation.yaml", shed, 1, &s2, 1);
    if (a && b) {
        dcs_wl_stats ca, cb;
        dcs_model_workload_stats(a, 0, &ca);
        dcs_model_workload_stats(b, 0, &cb);
        CHECK_INT(ca.requests, cb.requests);
        CHECK(cb.violations < ca.violations);
        CHECK(dcs_model_metric(b, "heat_unmet_kwh") < dcs_model_metric(a, "heat_unmet_kwh"));
        CHECK(dcs_model_metric(b, "throttled_h") <= dcs_model_metric(a, "throttled_h"));
        double expect = 12 * dcs_model_metric(b, "degraded_h") * 3600;
        CHECK(fabs(wl_metric(b, 1, "requests_shed") - expect) < 4 * sqrt(expect));
        CHECK_NEAR(wl_metric(a, 1, "requests_shed"), 0, 0);
    }
    dcs_model_free(a);
    dcs_model_free(b);
    dcs_scenario_free(s1);
    dcs_scenario_free(s2);
}

/* The chiller trip of scenarios/degradation.yaml (22:00-22:45 UTC, run
 * from 20:00) by each cause alone.  fault: degraded exactly during the
 * trip, 7200 s to 9900 s, 0.75 h.  throttle: the state reads the throttle
 * of the last control step, so it follows the loop's throttling one step
 * later for as long: degraded_h = throttled_h, starting after the trip
 * (the supply air first has to pass 32 degC) and ending after it (the
 * loop cools down). */
static void causes_of_a_trip(void)
{
    const char *fault[] = {"policy.degrade.when=fault"};
    const char *throttle[] = {"policy.degrade.when=throttle"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set("../scenarios/degradation.yaml", fault, 1, &s, 1);
    const dcs_event_log_row *on = NULL, *off = NULL;
    if (m) {
        CHECK_NEAR(dcs_model_metric(m, "degraded_h"), 0.75, 1e-12);
        CHECK_INT(log_rows(m, "degraded", &on), 1);
        CHECK_INT(log_rows(m, "degraded_end", &off), 1);
        if (on && off) {
            CHECK_INT(on->time, 7200 * DCS_SECOND);
            CHECK_INT(off->time, 9900 * DCS_SECOND);
        }
    }
    dcs_model_free(m);
    dcs_scenario_free(s);
    m = load_and_run_set("../scenarios/degradation.yaml", throttle, 1, &s, 1);
    on = off = NULL;
    if (m) {
        double th = dcs_model_metric(m, "throttled_h");
        CHECK(th > 0);
        CHECK_NEAR(dcs_model_metric(m, "degraded_h"), th, 1e-12);
        CHECK(log_rows(m, "degraded", &on) >= 1 && on && on->time > 7200 * DCS_SECOND);
        CHECK(log_rows(m, "degraded_end", &off) >= 1 && off && off->time > 9900 * DCS_SECOND);
        CHECK(on && strstr(on->detail, "throttle") != NULL);
    }
    dcs_model_free(m);
    dcs_scenario_free(s);
}

int main(void)
{
    RUN(keys_defaults);
    RUN(keys_written);
    RUN(degraded_by_node_failure);
    RUN(cause_not_selected);
    RUN(shed_poisson);
    RUN(queue_poisson);
    RUN(queue_limit);
    RUN(detailed_vs_fluid);
    RUN(overload_trigger);
    RUN(threads_agree);
    RUN(shed_protects_chat);
    RUN(causes_of_a_trip);
    return TEST_END();
}
