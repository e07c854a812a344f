/* test_evq.c - the pending-event queue and the event pool.
 *
 * Queue order: the same set of events inserted in different random orders
 * must come out in the same sequence, and that sequence must be sorted by
 * (time, tie).  The keys deliberately include many equal times (time drawn
 * from only 50 values) so that ties are decided by the tie field.  40,000
 * events is more than the near heap's spill size (4 * DCS_EVQ_NEAR), so the
 * far tier, the spill and refills with crowds of equal times are all used. */
#include <gsl/gsl_rng.h>

#include "dcsim/event.h"
#include "dcsim/evpool.h"
#include "dcsim/evq.h"
#include "harness.h"

enum { N = 40000 };

static dcs_event events[N];

static void make_events(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 2385);
    for (uint32_t i = 0; i < N; i++) {
        events[i].time = (dcs_time)gsl_rng_uniform_int(r, 50) * DCS_MS;
        /* distinct ties: source LP i % 97, sequence i */
        events[i].tie = dcs_tie_make(i % 97, i);
        events[i].dst = i;
    }
    gsl_rng_free(r);
}

/* Push all events in the order given by perm, pop all, write dst order. */
static void drain(const size_t *perm, uint32_t *out)
{
    dcs_evq q;
    CHECK_INT(dcs_evq_init(&q, 0), DCS_OK);   /* 0: start small and grow */
    for (size_t i = 0; i < N; i++)
        dcs_evq_push(&q, &events[perm[i]]);
    CHECK_INT(dcs_evq_size(&q), N);
    for (size_t i = 0; i < N; i++)
        out[i] = dcs_evq_pop(&q)->dst;
    CHECK_INT(dcs_evq_size(&q), 0);
    CHECK_INT(dcs_evq_min_time(&q), DCS_TIME_MAX);
    dcs_evq_free(&q);
}

static void queue_order_independent_of_insertion(void)
{
    static size_t perm[N];
    static uint32_t first[N], again[N];
    make_events();
    for (size_t i = 0; i < N; i++)
        perm[i] = i;
    drain(perm, first);
    int sorted = 1;
    for (size_t i = 1; i < N; i++)
        sorted &= dcs_key_before(dcs_event_key(&events[first[i - 1]]),
                                 dcs_event_key(&events[first[i]]));
    CHECK(sorted);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 7);
    int same = 1;
    for (int round = 0; round < 6; round++) {
        for (size_t i = N - 1; i > 0; i--) {   /* Fisher-Yates shuffle */
            size_t j = gsl_rng_uniform_int(r, i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        drain(perm, again);
        same &= memcmp(first, again, sizeof first) == 0;
    }
    CHECK(same);
    gsl_rng_free(r);
}

/* A hold model over n events: pop the minimum, push it back a random
 * 1..13 ms later, `ops` times.  Pushes are never earlier than the last pop,
 * so a correct queue pops keys in strictly increasing order (keys are
 * unique); a queue that skipped the minimum would pop it later, out of
 * order, and one that lost an event would end short. */
static void hold(size_t n, int ops)
{
    dcs_evq q;
    dcs_evq_init(&q, 16);
    make_events();
    for (size_t i = 0; i < n; i++) {
        events[i].time = (dcs_time)(i * 7919 % 1000) * DCS_MS;   /* spread over 1 s */
        dcs_evq_push(&q, &events[i]);
    }
    dcs_key last = {-1, 0};
    int increasing = 1;
    for (int k = 0; k < ops; k++) {
        dcs_event *ev = dcs_evq_pop(&q);
        increasing &= dcs_key_before(last, dcs_event_key(ev));
        last = dcs_event_key(ev);
        ev->time += (dcs_time)(k % 13 + 1) * DCS_MS;
        dcs_evq_push(&q, ev);
    }
    CHECK(increasing);
    CHECK_INT(dcs_evq_size(&q), n);
    /* a large queue really uses its far tier */
    CHECK(n <= 2 * DCS_EVQ_NEAR || q.nfar > 0);
    /* 16-byte entries in arrays at most about twice the size needed */
    CHECK(dcs_evq_bytes_per_event(&q) <= 2.5 * 16.0);
    dcs_evq_free(&q);
}

static void queue_interleaved_push_pop(void)
{
    hold(1000, 20000);      /* small: one heap */
    hold(N, 200000);        /* large: near heap, far array, refills */
}

/* The deferred pop (evq.h): a pop leaves a hole that the next near push
 * fills, and every other operation closes it first.  Random interleavings of
 * pops (several in a row), near and far pushes, min_time and size are
 * checked against a plain scan for the minimum over the events in the
 * queue.  18,000 queued events exceed the spill size (4 * DCS_EVQ_NEAR), so
 * pops also leave holes while the far tier holds events, and refills happen
 * with a hole open. */
static void queue_deferred_pop(void)
{
    enum { M = 20000, OPS = 6000 };
    static bool in[M];
    dcs_evq q;
    CHECK_INT(dcs_evq_init(&q, 0), DCS_OK);
    make_events();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 77);
    size_t count = 0;
    for (size_t i = 0; i < M; i++) {
        events[i].time = (dcs_time)gsl_rng_uniform_int(r, 200000) * DCS_US;
        in[i] = i % 10 != 0;   /* 18,000 queued at the start */
        if (in[i]) {
            dcs_evq_push(&q, &events[i]);
            count++;
        }
    }
    int agree = 1, used_far = 0;
    dcs_time now = 0;
    for (int k = 0; k < OPS && count > 0; k++) {
        size_t best = M;
        for (size_t i = 0; i < M; i++)
            if (in[i] && (best == M || dcs_key_before(dcs_event_key(&events[i]),
                                                      dcs_event_key(&events[best]))))
                best = i;
        unsigned op = (unsigned)gsl_rng_uniform_int(r, 4);
        if (op == 0)            /* look without removing */
            agree &= dcs_evq_min_time(&q) == events[best].time;
        else {                  /* pop, then maybe push one, two or none */
            dcs_event *ev = dcs_evq_pop(&q);
            agree &= ev == &events[best];
            in[ev - events] = false;
            count--;
            now = ev->time;
            for (unsigned j = 0; j < op - 1; j++) {
                size_t i = gsl_rng_uniform_int(r, M);
                if (in[i])
                    continue;
                /* near (within 1 ms) or far (up to 100 s ahead) */
                dcs_time ahead = gsl_rng_uniform_int(r, 2) ? DCS_MS : 100 * DCS_SECOND;
                events[i].time = now + (dcs_time)(gsl_rng_uniform(r) * (double)ahead);
                dcs_evq_push(&q, &events[i]);
                in[i] = true;
                count++;
            }
        }
        agree &= dcs_evq_size(&q) == count;
        used_far |= q.nfar > 0;
    }
    CHECK(agree);
    CHECK(used_far);
    CHECK_INT(dcs_evq_size(&q), count);
    /* draining gives the remaining events in key order */
    dcs_key last = {INT64_MIN, 0};
    int increasing = 1;
    while (dcs_evq_size(&q)) {
        dcs_event *ev = dcs_evq_pop(&q);
        increasing &= dcs_key_before(last, dcs_event_key(ev));
        last = dcs_event_key(ev);
        count--;
    }
    CHECK(increasing);
    CHECK_INT(count, 0);
    CHECK_INT(dcs_evq_min_time(&q), DCS_TIME_MAX);
    gsl_rng_free(r);
    dcs_evq_free(&q);
}

static void key_order(void)
{
    /* time decides first, then the tie, then nothing (equal keys) */
    CHECK(dcs_key_before((dcs_key){1, 9}, (dcs_key){2, 0}));
    CHECK(dcs_key_before((dcs_key){2, 3}, (dcs_key){2, 4}));
    CHECK(!dcs_key_before((dcs_key){2, 4}, (dcs_key){2, 4}));
    CHECK(!dcs_key_before((dcs_key){3, 0}, (dcs_key){2, 9}));
    /* negative times (not produced by the engine) still order correctly */
    CHECK(dcs_key_before((dcs_key){-5, 0}, (dcs_key){0, 0}));
    dcs_event ev = {.tie = dcs_tie_make(12345, 678)};
    CHECK_INT(dcs_event_src(&ev), 12345);
    CHECK_INT(ev.tie & DCS_TIE_SEQ_MASK, 678);
}

static void pool_reuse(void)
{
    dcs_evpool p;
    dcs_evpool_init(&p);
    CHECK_INT(p.capacity, 0);
    CHECK_INT(dcs_evpool_reserve(&p, 100), DCS_OK);
    CHECK_INT(p.capacity, 100);
    /* LIFO: the record just returned is the next handed out */
    dcs_event *a = dcs_evpool_get(&p);
    dcs_event *b = dcs_evpool_get(&p);
    CHECK(a != b);
    dcs_evpool_put(&p, a);
    CHECK(dcs_evpool_get(&p) == a);
    CHECK_INT(p.in_use, 2);
    /* A steady population of 100 never grows the pool. */
    dcs_evpool_put(&p, a);
    dcs_evpool_put(&p, b);
    dcs_event *held[100];
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 100; i++)
            held[i] = dcs_evpool_get(&p);
        for (int i = 0; i < 100; i++)
            dcs_evpool_put(&p, held[i]);
    }
    CHECK_INT(p.capacity, 100);
    CHECK_INT(p.nblocks, 1);
    CHECK_INT(p.in_use, 0);
    /* One more than reserved grows by a block of at least 256 records. */
    for (int i = 0; i < 100; i++)
        held[i] = dcs_evpool_get(&p);
    dcs_event *extra = dcs_evpool_get(&p);
    CHECK(extra != NULL);
    CHECK_INT(p.capacity, 100 + 256);
    /* Records are usable memory: write one fully. */
    extra->p.d[4] = 2.385;
    extra->time = DCS_TIME_MAX;
    CHECK_NEAR(extra->p.d[4], 2.385, 0);
    dcs_evpool_free(&p);
    CHECK_INT(p.capacity, 0);
}

int main(void)
{
    RUN(key_order);
    RUN(queue_order_independent_of_insertion);
    RUN(queue_interleaved_push_pop);
    RUN(queue_deferred_pop);
    RUN(pool_reuse);
    return TEST_END();
}
