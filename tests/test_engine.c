/* test_engine.c - determinism across thread counts, channels, init sends,
 * end of run, and agreement with the bare PHOLD loop. */
#include <gsl/gsl_randist.h>

#include "dcsim/engine.h"
#include "dcsim/integrate.h"
#include "dcsim/phold.h"
#include "dcsim/rng.h"
#include "harness.h"

/* ---- PHOLD: cross-LP traffic with random destinations ---- */

typedef struct phold_run {
    uint64_t checksum, events, pending;
    int threads;
} phold_run;

static phold_run run_phold(const dcs_phold_params *p, int threads, dcs_time end, uint64_t seed)
{
    dcs_engine_config cfg = {.seed = seed, .threads = threads, .end_time = end};
    dcs_engine *e = dcs_engine_new(&cfg);
    CHECK_INT(dcs_phold_build(e, p), DCS_OK);
    CHECK_INT(dcs_engine_run(e), DCS_OK);
    phold_run r = {dcs_phold_checksum(e), dcs_engine_events(e), dcs_engine_pending(e),
                   dcs_engine_threads(e)};
    dcs_engine_free(e);
    return r;
}

static void phold_same_with_1_2_4_threads(void)
{
    /* 50% remote traffic, population 3, lookahead 0.05 s and mean 0.2 s:
     * about 300 * 3 / 0.25 = 3,600 events per simulated second. */
    dcs_phold_params p = {.lps = 300, .pop = 3, .remote = 0.5, .lookahead = 50 * DCS_MS,
                          .mean_s = 0.2};
    dcs_time end = 100 * DCS_SECOND;
    phold_run one = run_phold(&p, 1, end, 11);
    CHECK(one.events > 300000);
    CHECK_INT(one.pending, 900);       /* each event replaces itself */
    const int counts[] = {2, 3, 4};
    for (int i = 0; i < 3; i++) {
        phold_run n = run_phold(&p, counts[i], end, 11);
        CHECK_INT(n.threads, counts[i]);
        CHECK(n.checksum == one.checksum);
        CHECK_INT(n.events, one.events);
        CHECK_INT(n.pending, one.pending);
    }
    /* The bare loop, with no engine, executes the same events. */
    dcs_phold_bare bare;
    CHECK_INT(dcs_phold_bare_run(&p, 11, end, &bare), DCS_OK);
    CHECK(bare.checksum == one.checksum);
    CHECK_INT(bare.events, one.events);
    /* Another seed gives another history. */
    CHECK(run_phold(&p, 2, end, 12).checksum != one.checksum);
}

static void threads_capped_by_lps(void)
{
    dcs_phold_params p = {.lps = 3, .pop = 1, .remote = 1.0, .lookahead = DCS_SECOND,
                          .mean_s = 0.5};
    phold_run r = run_phold(&p, 8, 50 * DCS_SECOND, 1);
    CHECK_INT(r.threads, 3);
    CHECK(r.checksum == run_phold(&p, 1, 50 * DCS_SECOND, 1).checksum);
}

/* ---- a model full of simultaneous events ----
 * Ring of LPs; every time is a whole number of seconds, so many events
 * reach an LP at the same instant and only the tie orders them.  LP i has
 * channels to i+1 (lookahead 1 s) and to i+3 (lookahead 2 s), draws the
 * next destination and a payload, integrates a power that depends on the
 * payload, and samples its energy every 0.5 s.  The state folds everything
 * in the order seen, so any reordering changes the result. */

enum { K_MSG = 1, K_SAMPLE = 2 };

typedef struct ring_state {
    uint32_t n;
    uint64_t hash;
    uint64_t msgs, samples;
    dcs_energy energy;
    dcs_sampler sampler;
    double final_j;
} ring_state;

static int ring_init(dcs_lp *lp, void *state, const void *config)
{
    ring_state *s = state;
    s->n = *(const uint32_t *)config;
    dcs_energy_init(&s->energy, 0, 100.0);
    dcs_sampler_start(&s->sampler, lp, DCS_SECOND / 4, DCS_SECOND / 2, K_SAMPLE);
    uint32_t me = dcs_lp_id(lp);
    /* init may send to any LP at any delay: two events to LP 0 at t = 0 */
    dcs_event *ev = dcs_lp_send(lp, 0, 0, K_MSG);
    ev->p.u[0] = me;
    ev = dcs_lp_send(lp, (me + 1) % s->n, DCS_SECOND, K_MSG);
    ev->p.u[0] = me * 7u;
    return 0;
}

static void ring_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    ring_state *s = state;
    uint32_t me = dcs_lp_id(lp);
    s->hash = dcs_mix64(s->hash ^ ev->tie) + (uint64_t)ev->time + ev->kind;
    if (ev->kind == K_SAMPLE) {
        s->samples++;
        s->hash += (uint64_t)(dcs_energy_j(&s->energy, dcs_lp_now(lp)) * 1e3);
        dcs_sampler_next(&s->sampler, lp);
        return;
    }
    s->msgs++;
    s->hash ^= ev->p.u[0];
    dcs_energy_set(&s->energy, dcs_lp_now(lp), 50.0 + (double)(ev->p.u[0] % 1000));
    gsl_rng *r = dcs_lp_rng(lp, 0);
    bool far = gsl_rng_uniform(r) < 0.3;
    uint32_t dst = (me + (far ? 3u : 1u)) % s->n;
    dcs_event *out = dcs_lp_send(lp, dst, far ? 2 * DCS_SECOND : DCS_SECOND, K_MSG);
    out->p.u[0] = gsl_rng_get(dcs_lp_rng(lp, 1));
}

static void ring_finish(dcs_lp *lp, void *state)
{
    ring_state *s = state;
    s->final_j = dcs_energy_j(&s->energy, dcs_lp_now(lp));
}

static const dcs_lp_type ring_type = {"ring", sizeof(ring_state), 2, ring_init, ring_handle,
                                      ring_finish};

typedef struct ring_result {
    uint64_t hash, events, msgs, samples;
    double energy_j;
} ring_result;

static ring_result run_ring(int threads)
{
    const uint32_t n = 64;
    dcs_engine_config cfg = {.seed = 2385, .threads = threads, .end_time = 200 * DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&cfg);
    for (uint32_t i = 0; i < n; i++)
        CHECK_INT(dcs_engine_add_lp(e, &ring_type, &n), i);
    for (uint32_t i = 0; i < n; i++) {
        dcs_engine_channel(e, i, (i + 1) % n, DCS_SECOND);
        dcs_engine_channel(e, i, (i + 3) % n, 2 * DCS_SECOND);
    }
    CHECK_INT(dcs_engine_run(e), DCS_OK);
    ring_result r = {0, dcs_engine_events(e), 0, 0, 0.0};
    for (uint32_t i = 0; i < n; i++) {
        const ring_state *s = dcs_engine_lp_state(e, i);
        r.hash = dcs_mix64(r.hash ^ s->hash);
        r.msgs += s->msgs;
        r.samples += s->samples;
        r.energy_j += s->final_j;   /* summed in LP order, as STYLE.md asks */
    }
    CHECK(dcs_engine_lp_state(e, n) == NULL);
    dcs_engine_free(e);
    return r;
}

static void ties_same_with_1_2_3_4_threads(void)
{
    ring_result one = run_ring(1);
    /* samples at 0.25, 0.75, ... 199.75 s: 400 per LP */
    CHECK_INT(one.samples, 64 * 400);
    CHECK_INT(one.events, one.msgs + one.samples);
    /* 128 messages in flight, each taking 1 or 2 s: between 64 and 128
     * delivered per second over 200 s */
    CHECK(one.msgs > 64 * 200 && one.msgs < 128 * 200);
    CHECK(one.energy_j > 64 * 200 * 50.0);
    for (int t = 2; t <= 4; t++) {
        ring_result n = run_ring(t);
        CHECK(n.hash == one.hash);
        CHECK_INT(n.events, one.events);
        CHECK(n.energy_j == one.energy_j);   /* bit-identical, not just close */
    }
}

static void empty_stretches_are_skipped(void)
{
    /* One event at 0 and one 10^6 s later: two windows' worth of work no
     * matter how long the gap.  (With a fixed time step this would take
     * 10^6 / lookahead steps.) */
    dcs_phold_params p = {.lps = 2, .pop = 1, .remote = 0.0, .lookahead = 1000000 * DCS_SECOND,
                          .mean_s = 0.0};
    dcs_engine_config cfg = {.seed = 1, .threads = 2, .end_time = 3000000 * DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&cfg);
    dcs_phold_build(e, &p);
    dcs_engine_run(e);
    /* each LP: first event in [0, 1e6 s), then every 1e6 s: 3 events */
    CHECK_INT(dcs_engine_events(e), 6);
    CHECK(dcs_engine_windows(e) <= 4);
    dcs_engine_free(e);
}

/* ---- channel declarations: which sends are allowed ----
 * LP 0 sends once, at t = 1 s, to the destination and delay in its config;
 * the run completing (no abort) is the check.  The refusals are checked in
 * test_engine_asserts. */
typedef struct once_cfg {
    uint32_t dst;
    dcs_time delay;
} once_cfg;

typedef struct once_state {
    once_cfg c;
    int got;
} once_state;

static int once_init(dcs_lp *lp, void *state, const void *config)
{
    once_state *s = state;
    s->c = *(const once_cfg *)config;
    if (dcs_lp_id(lp) == 0)
        dcs_lp_send(lp, 0, DCS_SECOND, 1);
    return 0;
}

static void once_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    once_state *s = state;
    s->got++;
    if (ev->kind == 1)
        dcs_lp_send(lp, s->c.dst, s->c.delay, 2);
}

static const dcs_lp_type once_type = {"once", sizeof(once_state), 0, once_init, once_handle,
                                      NULL};

static int send_once(uint32_t dst, dcs_time delay, int threads)
{
    dcs_engine_config cfg = {.seed = 1, .threads = threads, .end_time = 100 * DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&cfg);
    once_cfg c = {dst, delay};
    for (int i = 0; i < 4; i++)
        dcs_engine_add_lp(e, &once_type, &c);
    /* 0 -> 1: 5 s specific, and (any -> 1) 2 s covers it too;
     * 0 -> 2: 7 s and 3 s declared twice (the least applies);
     * 3 -> any: 1 s (not used by LP 0) */
    dcs_engine_channel(e, 0, 1, 5 * DCS_SECOND);
    dcs_engine_channel(e, DCS_LP_ANY, 1, 2 * DCS_SECOND);
    dcs_engine_channel(e, 0, 2, 7 * DCS_SECOND);
    dcs_engine_channel(e, 0, 2, 3 * DCS_SECOND);
    dcs_engine_channel(e, 3, DCS_LP_ANY, DCS_SECOND);
    dcs_engine_run(e);
    int got = ((once_state *)dcs_engine_lp_state(e, dst))->got;
    dcs_engine_free(e);
    return got;
}

static void channel_cover(void)
{
    CHECK_INT(send_once(1, 2 * DCS_SECOND, 1), 1);   /* via (any -> 1) */
    CHECK_INT(send_once(1, 2 * DCS_SECOND, 2), 1);
    CHECK_INT(send_once(2, 3 * DCS_SECOND, 1), 1);   /* the lesser duplicate */
    CHECK_INT(send_once(2, 3 * DCS_SECOND, 4), 1);
    CHECK_INT(send_once(0, 0, 1), 2);                /* self, zero delay */
}

static void api_errors(void)
{
    dcs_engine_config cfg = {.seed = 1, .threads = 1, .end_time = DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&cfg);
    uint32_t n = 4;
    CHECK_INT(dcs_engine_add_lp(e, &ring_type, &n), 0);
    CHECK_INT(dcs_engine_channel(e, 0, 5, DCS_SECOND), DCS_ERANGE);   /* no LP 5 */
    CHECK_INT(dcs_engine_channel(e, 0, 0, 0), DCS_ERANGE);            /* zero lookahead */
    CHECK_INT(dcs_engine_channel(e, DCS_LP_ANY, 0, -1), DCS_ERANGE);
    CHECK_INT(dcs_engine_channel(e, DCS_LP_ANY, DCS_LP_ANY, DCS_SECOND), DCS_OK);
    dcs_phold_params bad = {.lps = 0, .pop = 1, .remote = 0.5, .lookahead = 1, .mean_s = 1};
    CHECK_INT(dcs_phold_build(e, &bad), DCS_ERANGE);
    bad.lps = 2;
    bad.remote = 1.5;
    CHECK_INT(dcs_phold_build(e, &bad), DCS_ERANGE);
    dcs_engine_free(e);
    /* run twice */
    dcs_phold_params p = {.lps = 2, .pop = 1, .remote = 0.5, .lookahead = DCS_MS, .mean_s = 0.01};
    e = dcs_engine_new(&cfg);
    dcs_phold_build(e, &p);
    CHECK_INT(dcs_engine_run(e), DCS_OK);
    CHECK_INT(dcs_engine_run(e), DCS_EINPUT);
    CHECK_INT(dcs_engine_add_lp(e, &dcs_phold_lp_type, &p), DCS_LP_ANY);
    CHECK(dcs_engine_bytes_per_event(e) > 0);
    dcs_engine_free(e);
}

int main(void)
{
    RUN(phold_same_with_1_2_4_threads);
    RUN(threads_capped_by_lps);
    RUN(ties_same_with_1_2_3_4_threads);
    RUN(empty_stretches_are_skipped);
    RUN(channel_cover);
    RUN(api_errors);
    return TEST_END();
}
