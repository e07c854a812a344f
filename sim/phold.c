/*
 * phold.c - PHOLD as an LP type and as a bare loop (phold.h).
 *
 * Per event, an LP draws from its one stream, in this order: u ~ U[0,1) to
 * decide remote (u < remote, only when there are other LPs); if remote, the
 * destination uniformly among the other LPs; then the extra delay
 * x ~ Exp(mean), truncated to whole nanoseconds.  The bare loop draws the
 * same numbers in the same order, so both give the same checksum.
 *
 * x = -mean * log(1 - u), u ~ U[0,1): the inverse-CDF method of
 * gsl_ran_exponential, with log in place of its log1p(-u).  In profiles of
 * the 1,000-LP benchmark log1p took 28 % of the run, more than the engine;
 * glibc's log is several times faster, and the two differ only for
 * u < 2^-53, where the delay changes by less than 1e-16 s, far below the
 * 1 ns resolution of the clock.  The benchmark should measure the engine,
 * not libm.
 */
#include "dcsim/phold.h"

#include <math.h>
#include <stdlib.h>

#include "dcsim/evpool.h"
#include "dcsim/evq.h"
#include "dcsim/rng.h"

/* What one PHOLD event does to its LP's state and where it sends next. */
typedef struct phold_lp {
    dcs_phold_state st;
    dcs_phold_params p;
} phold_lp;

static void fold(dcs_phold_state *st, const dcs_event *ev)
{
    st->events++;
    st->hash = dcs_mix64(st->hash ^ (uint64_t)ev->time) + ev->tie;
}

/* Draw the next destination and delay for LP self. */
static void draw(const dcs_phold_params *p, gsl_rng *r, uint32_t self, uint32_t *dst,
                 dcs_time *delay)
{
    *dst = self;
    if (p->lps > 1 && gsl_rng_uniform(r) < p->remote) {
        uint32_t d = (uint32_t)gsl_rng_uniform_int(r, p->lps - 1);
        *dst = d >= self ? d + 1 : d;
    }
    *delay = p->lookahead + (dcs_time)(-p->mean_s * log(1.0 - gsl_rng_uniform(r)) * 1e9);
}

static int phold_init(dcs_lp *lp, void *state, const void *config)
{
    phold_lp *s = state;
    s->p = *(const dcs_phold_params *)config;
    /* The first events are spread over one lookahead so that they do not
     * all tie at time 0; the first draw decides nothing else. */
    gsl_rng *r = dcs_lp_rng(lp, 0);
    for (uint32_t i = 0; i < s->p.pop; i++) {
        dcs_time at = (dcs_time)(gsl_rng_uniform(r) * (double)s->p.lookahead);
        dcs_lp_send(lp, dcs_lp_id(lp), at, 0);
    }
    return 0;
}

static void phold_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    phold_lp *s = state;
    fold(&s->st, ev);
    uint32_t dst;
    dcs_time delay;
    draw(&s->p, dcs_lp_rng(lp, 0), dcs_lp_id(lp), &dst, &delay);
    dcs_lp_send(lp, dst, delay, 0);
}

const dcs_lp_type dcs_phold_lp_type = {
    .name = "phold",
    .state_size = sizeof(phold_lp),
    .rng_streams = 1,
    .init = phold_init,
    .handle = phold_handle,
    .finish = NULL,
};

static bool params_ok(const dcs_phold_params *p)
{
    return p->lps >= 1 && p->lps < DCS_LP_MAX && p->remote >= 0.0 && p->remote <= 1.0 &&
           p->lookahead > 0 && p->mean_s >= 0.0 && p->mean_s < 1e6;
}

dcs_status dcs_phold_build(dcs_engine *e, const dcs_phold_params *p)
{
    if (!params_ok(p))
        return DCS_ERANGE;
    for (uint32_t i = 0; i < p->lps; i++)
        if (dcs_engine_add_lp(e, &dcs_phold_lp_type, p) == DCS_LP_ANY)
            return DCS_ENOMEM;
    return dcs_engine_channel(e, DCS_LP_ANY, DCS_LP_ANY, p->lookahead);
}

static uint64_t checksum_add(uint64_t h, const dcs_phold_state *st)
{
    return dcs_mix64(h ^ st->hash) + st->events;
}

uint64_t dcs_phold_checksum(dcs_engine *e)
{
    uint64_t h = 0;
    for (uint32_t i = 0; i < dcs_engine_lp_count(e); i++)
        h = checksum_add(h, &((const phold_lp *)dcs_engine_lp_state(e, i))->st);
    return dcs_mix64(h ^ dcs_engine_events(e));
}

/* ---- the bare loop: the same process with no engine around it ---- */

typedef struct bare_lp {
    dcs_phold_state st;
    gsl_rng *r;
    uint64_t seq;
} bare_lp;

static void bare_free(bare_lp *lps, uint32_t n, dcs_evq *q, dcs_evpool *pool)
{
    if (lps)
        for (uint32_t i = 0; i < n; i++)
            gsl_rng_free(lps[i].r);
    free(lps);
    dcs_evq_free(q);
    dcs_evpool_free(pool);
}

static bool bare_send(dcs_evq *q, dcs_evpool *pool, bare_lp *src, uint32_t self, uint32_t dst,
                      dcs_time t)
{
    dcs_event *ev = dcs_evpool_get(pool);
    if (!ev)
        return false;
    ev->time = t;
    ev->tie = dcs_tie_make(self, src->seq++);
    ev->dst = dst;
    ev->kind = 0;
    return dcs_evq_push(q, ev) == DCS_OK;
}

dcs_status dcs_phold_bare_run(const dcs_phold_params *p, uint64_t seed, dcs_time end,
                              dcs_phold_bare *out)
{
    if (!params_ok(p))
        return DCS_ERANGE;
    dcs_evq q;
    dcs_evpool pool;
    dcs_evpool_init(&pool);
    size_t total = (size_t)p->lps * p->pop;
    bare_lp *lps = calloc(p->lps, sizeof *lps);
    if (dcs_evq_init(&q, total + 16) != DCS_OK || !lps ||
        dcs_evpool_reserve(&pool, total) != DCS_OK) {
        bare_free(lps, p->lps, &q, &pool);
        return DCS_ENOMEM;
    }
    for (uint32_t i = 0; i < p->lps; i++) {
        lps[i].r = dcs_rng_stream_alloc(gsl_rng_taus2, seed, i, 0);
        if (!lps[i].r) {
            bare_free(lps, p->lps, &q, &pool);
            return DCS_ENOMEM;
        }
        for (uint32_t k = 0; k < p->pop; k++) {
            dcs_time at = (dcs_time)(gsl_rng_uniform(lps[i].r) * (double)p->lookahead);
            if (!bare_send(&q, &pool, &lps[i], i, i, at)) {
                bare_free(lps, p->lps, &q, &pool);
                return DCS_ENOMEM;
            }
        }
    }
    uint64_t n = 0;
    while (dcs_evq_min_time(&q) < end) {
        dcs_event *rec = dcs_evq_pop(&q);
        dcs_event ev = *rec;
        dcs_evpool_put(&pool, rec);
        bare_lp *lp = &lps[ev.dst];
        fold(&lp->st, &ev);
        uint32_t dst;
        dcs_time delay;
        draw(p, lp->r, ev.dst, &dst, &delay);
        if (!bare_send(&q, &pool, lp, ev.dst, dst, ev.time + delay)) {
            bare_free(lps, p->lps, &q, &pool);
            return DCS_ENOMEM;
        }
        n++;
    }
    uint64_t h = 0;
    for (uint32_t i = 0; i < p->lps; i++)
        h = checksum_add(h, &lps[i].st);
    out->events = n;
    out->checksum = dcs_mix64(h ^ n);
    out->bytes_per_event =
        dcs_evq_size(&q) ? (double)(pool.capacity * sizeof(dcs_evpool_slot) + dcs_evq_bytes(&q)) /
                               (double)dcs_evq_size(&q)
                         : 0.0;
    bare_free(lps, p->lps, &q, &pool);
    return DCS_OK;
}
