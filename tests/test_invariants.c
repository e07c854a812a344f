/* test_invariants.c - the run-time invariants (invariant.h) and the
 * engine's clean stop (dcs_lp_stop_run): the pure checks on hand-made
 * values, the engine stopping with one and two threads, and a whole run
 * whose NaN utilisation (slipped past validation through the C API) is
 * caught with the located message. */
#include <math.h>
#include <string.h>

#include "dcsim/engine.h"
#include "dcsim/invariant.h"
#include "dcsim/model.h"
#include "dcsim/scenario.h"
#include "harness.h"

/* ---- pure checks ---- */

static void powers_checked(void)
{
    char msg[256] = "";
    /* 1 MW IT + 0.2 MW cooling + 0.05 MW losses = 1.25 MW facility */
    dcs_site_powers ok = {1e6, 2e5, 5e4, 1.25e6};
    CHECK(dcs_site_powers_ok(&ok, msg, sizeof msg));
    /* all zero (a site shut down by heat) holds */
    dcs_site_powers zero = {0, 0, 0, 0};
    CHECK(dcs_site_powers_ok(&zero, msg, sizeof msg));
    /* a rounding hair below zero: -1e-6 W against 1.25 MW is 8e-13 of the
     * scale, under the 1e-9 tolerance */
    dcs_site_powers hair = {1e6, 2e5, -1e-6, 1.2e6 - 1e-6};
    CHECK(dcs_site_powers_ok(&hair, msg, sizeof msg));

    dcs_site_powers p = ok;
    p.facility_w = NAN;
    CHECK(!dcs_site_powers_ok(&p, msg, sizeof msg));
    CHECK_STR(msg, "facility power is NaN");
    p = ok;
    p.it_w = INFINITY;
    CHECK(!dcs_site_powers_ok(&p, msg, sizeof msg));
    CHECK_STR(msg, "IT power is infinite");
    p = ok;
    p.cooling_w = -5;   /* 5 W below zero, 4e-6 of the scale: real */
    p.facility_w = 1e6 - 5 + 5e4;
    CHECK(!dcs_site_powers_ok(&p, msg, sizeof msg));
    CHECK_STR(msg, "cooling power is negative (-5 W)");
    p = ok;
    p.losses_w = NAN;
    CHECK(!dcs_site_powers_ok(&p, msg, sizeof msg));
    CHECK_STR(msg, "distribution loss power is NaN");
    /* facility 1 W more than its parts: 8e-7 relative, over 1e-9 */
    p = ok;
    p.facility_w = 1.25e6 + 1;
    CHECK(!dcs_site_powers_ok(&p, msg, sizeof msg));
    CHECK_STR(msg, "facility power 1250001 W differs from IT + cooling + losses 1250000 W");
}

static void energy_checked(void)
{
    char msg[256] = "";
    dcs_site_totals t;
    dcs_site_totals_init(&t, false);
    /* two hours at 1 MW IT, 0.2 MW cooling, 0.05 MW losses: 3.6e9 J IT
     * per hour, 0.72e9 cooling, 0.18e9 losses, 4.5e9 J facility per hour */
    dcs_site_point pt = {.it_w = 1e6, .cooling_w = 2e5, .losses_w = 5e4};
    dcs_site_totals_add(&t, &pt, 7200);
    double hours[2] = {4.5e9, 4.5e9};
    CHECK_NEAR(t.facility_j, 9e9, 1e-12);
    CHECK(dcs_site_energy_ok(&t, hours, 2, 0.0, msg, sizeof msg));
    CHECK(dcs_site_energy_ok(&t, NULL, 0, 0.0, msg, sizeof msg));

    /* an hour lost from the hourly split: 4.5e9 of 9e9 */
    CHECK(!dcs_site_energy_ok(&t, hours, 1, 0.0, msg, sizeof msg));
    CHECK_STR(msg, "facility energy 9e+09 J differs from the sum of its hours 4.5e+09 J "
                   "(backup included; relative 0.5)");
    /* ... unless the backup supplied that hour (a utility loss) */
    CHECK(dcs_site_energy_ok(&t, hours, 1, 4.5e9, msg, sizeof msg));
    /* facility energy leaking 1e-5 of itself: over the 1e-6 tolerance */
    dcs_site_totals leak = t;
    leak.facility_j *= 1 + 1e-5;
    CHECK(!dcs_site_energy_ok(&leak, NULL, 0, 0.0, msg, sizeof msg));
    CHECK(strstr(msg, "differs from IT + cooling + losses 9e+09 J") != NULL);
    /* ... and 1e-8 of itself (rounding over many steps): accepted */
    leak = t;
    leak.facility_j *= 1 + 1e-8;
    CHECK(dcs_site_energy_ok(&leak, NULL, 0, 0.0, msg, sizeof msg));
    leak = t;
    leak.cooling_j = NAN;
    CHECK(!dcs_site_energy_ok(&leak, hours, 2, 0.0, msg, sizeof msg));
    CHECK_STR(msg, "cooling energy is NaN");
    leak = t;
    leak.it_j = -1;
    CHECK(!dcs_site_energy_ok(&leak, hours, 2, 0.0, msg, sizeof msg));
    CHECK_STR(msg, "IT energy is negative (-1 J)");
}

/* ---- the engine's clean stop ---- */

/* An LP ticking once a second; LP `stop_lp` stops the run at `stop_at`.
 * Counts its events and whether finish ran. */
typedef struct tick_cfg {
    uint32_t stop_lp;
    dcs_time stop_at;
} tick_cfg;

typedef struct tick_state {
    const tick_cfg *cfg;
    int64_t ticks;
    int finished;
} tick_state;

static int tick_init(dcs_lp *lp, void *state, const void *config)
{
    tick_state *s = state;
    s->cfg = config;
    dcs_lp_send(lp, dcs_lp_id(lp), 0, 1);
    return 0;
}

static void tick_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    (void)ev;
    tick_state *s = state;
    s->ticks++;
    if (dcs_lp_id(lp) == s->cfg->stop_lp && dcs_lp_now(lp) == s->cfg->stop_at) {
        dcs_lp_stop_run(lp, DCS_ERUN, "LP %u stopped at %.0f s", dcs_lp_id(lp),
                        dcs_time_to_s(dcs_lp_now(lp)));
        return;
    }
    dcs_lp_send(lp, dcs_lp_id(lp), DCS_SECOND, 1);
}

static void tick_finish(dcs_lp *lp, void *state)
{
    (void)lp;
    ((tick_state *)state)->finished = 1;
}

static const dcs_lp_type tick_type = {
    .name = "tick", .state_size = sizeof(tick_state), .rng_streams = 0,
    .init = tick_init, .handle = tick_handle, .finish = tick_finish};

static void engine_stops_cleanly(void)
{
    /* 4 LPs over 100 s; LP 2 stops at t = 10 s (its 11th tick: 0..10 s). */
    tick_cfg cfg = {.stop_lp = 2, .stop_at = 10 * DCS_SECOND};
    for (int threads = 1; threads <= 2; threads++) {
        dcs_engine_config ec = {.seed = 1, .threads = threads, .end_time = 100 * DCS_SECOND};
        dcs_engine *e = dcs_engine_new(&ec);
        for (int i = 0; i < 4; i++)
            CHECK(dcs_engine_add_lp(e, &tick_type, &cfg) != DCS_LP_ANY);
        /* cross-LP channel so that two threads run in windows of 1 s */
        CHECK_INT(dcs_engine_channel(e, DCS_LP_ANY, DCS_LP_ANY, DCS_SECOND), DCS_OK);
        CHECK_INT(dcs_engine_run(e), DCS_ERUN);
        CHECK_STR(dcs_engine_failure(e), "LP 2 stopped at 10 s");
        tick_state *s2 = dcs_engine_lp_state(e, 2);
        CHECK_INT(s2->ticks, 11);
        CHECK_INT(s2->finished, 0);   /* no finish after a stop */
        /* Ties at 10 s go by source LP.  One thread: LPs 0 and 1 ran
         * their 10 s ticks before LP 2 stopped, LP 3 did not.  Two threads
         * (LPs 0-1 and 2-3): LP 3 shares LP 2's thread, which stops at
         * once; the other thread finishes its window [10 s, 11 s). */
        tick_state *s0 = dcs_engine_lp_state(e, 0), *s3 = dcs_engine_lp_state(e, 3);
        CHECK_INT(s0->ticks, 11);
        CHECK_INT(s3->ticks, 10);
        CHECK_INT(dcs_engine_events(e), 11 + 11 + 11 + 10);
        dcs_engine_free(e);
    }
}

/* Two LPs stop at different times on different threads: the earliest is
 * reported, whatever the thread count. */
typedef struct two_stop_cfg {
    dcs_time at;
} two_stop_cfg;

static int two_init(dcs_lp *lp, void *state, const void *config)
{
    *(const two_stop_cfg **)state = config;
    dcs_lp_send(lp, dcs_lp_id(lp), (*(const two_stop_cfg **)state)->at, 1);
    return 0;
}

static void two_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    (void)state;
    (void)ev;
    dcs_lp_stop_run(lp, DCS_ERUN, "LP %u", dcs_lp_id(lp));
}

static const dcs_lp_type two_type = {
    .name = "two", .state_size = sizeof(void *), .init = two_init, .handle = two_handle};

static void earliest_stop_reported(void)
{
    /* LP 0 stops at 3 s; LP 1 at 2.5 s; same window (lookahead 10 s) */
    two_stop_cfg a = {3 * DCS_SECOND}, b = {2500 * DCS_MS};
    for (int threads = 1; threads <= 2; threads++) {
        dcs_engine_config ec = {.seed = 1, .threads = threads, .end_time = 100 * DCS_SECOND};
        dcs_engine *e = dcs_engine_new(&ec);
        dcs_engine_add_lp(e, &two_type, &a);
        dcs_engine_add_lp(e, &two_type, &b);
        CHECK_INT(dcs_engine_channel(e, DCS_LP_ANY, DCS_LP_ANY, 10 * DCS_SECOND), DCS_OK);
        CHECK_INT(dcs_engine_run(e), DCS_ERUN);
        CHECK_STR(dcs_engine_failure(e), "LP 1");
        dcs_engine_free(e);
    }
    /* A run nobody stops has no failure. */
    dcs_engine_config ec = {.seed = 1, .threads = 1, .end_time = DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&ec);
    dcs_engine_add_lp(e, &two_type, &a);
    CHECK_INT(dcs_engine_run(e), DCS_OK);
    CHECK(dcs_engine_failure(e) == NULL);
    dcs_engine_free(e);
}

/* A stop from finish (as the site's end-of-run energy check does): the
 * other LPs' finish still runs, and the run fails with its message. */
static void fin_finish(dcs_lp *lp, void *state)
{
    int *finished = state;
    *finished = 1;
    if (dcs_lp_id(lp) == 0)
        dcs_lp_stop_run(lp, DCS_ERUN, "LP 0 unbalanced at the end");
}

static const dcs_lp_type fin_type = {
    .name = "fin", .state_size = sizeof(int), .finish = fin_finish};

static void stop_from_finish(void)
{
    dcs_engine_config ec = {.seed = 1, .threads = 1, .end_time = DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&ec);
    dcs_engine_add_lp(e, &fin_type, NULL);
    dcs_engine_add_lp(e, &fin_type, NULL);
    CHECK_INT(dcs_engine_run(e), DCS_ERUN);
    CHECK_STR(dcs_engine_failure(e), "LP 0 unbalanced at the end");
    CHECK_INT(*(int *)dcs_engine_lp_state(e, 1), 1);
    dcs_engine_free(e);
}

/* ---- a whole run ---- */

/* flat.yaml (one site 'hall', 10 nodes of H100 at 50 %) with the cluster's
 * utilisation set to NaN after validation: the first control step at
 * t = 0 computes IT power NaN, and facility power with it. */
static void nan_utilisation_stops_run(void)
{
    for (int threads = 1; threads <= 2; threads++) {
        dcs_diag *d = dcs_diag_new();
        dcs_scenario *s = NULL;
        dcs_model *m = NULL;
        CHECK_INT(dcs_scenario_load("fixtures/run/flat.yaml", NULL, 0, d, &s), DCS_OK);
        s->sites[0].clusters[0].utilization = NAN;
        CHECK_INT(dcs_model_build(s, "fixtures/run/flat.yaml", 3, threads, d, &m), DCS_OK);
        dcs_diag_print(d, stderr);
        CHECK_INT(dcs_model_run(m, NULL), DCS_ERUN);
        CHECK_STR(dcs_model_failure(m),
                  "invariant violated: site 'hall' (LP 0) at t=0 s: facility power is NaN");
        dcs_model_free(m);
        dcs_scenario_free(s);
        dcs_diag_free(d);
    }
}

/* The same scenario untouched runs through with no failure. */
static void valid_run_passes(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    CHECK_INT(dcs_scenario_load("fixtures/run/flat.yaml", NULL, 0, d, &s), DCS_OK);
    CHECK_INT(dcs_model_build(s, "fixtures/run/flat.yaml", 3, 1, d, &m), DCS_OK);
    CHECK_INT(dcs_model_run(m, NULL), DCS_OK);
    CHECK(dcs_model_failure(m) == NULL);
    dcs_model_free(m);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(powers_checked);
    RUN(energy_checked);
    RUN(engine_stops_cleanly);
    RUN(earliest_stop_reported);
    RUN(stop_from_finish);
    RUN(nan_utilisation_stops_run);
    RUN(valid_run_passes);
    return TEST_END();
}
