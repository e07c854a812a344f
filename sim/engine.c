/*
 * engine.c - the engine's setup, sends and results (engine.h).  The event
 * loops and the synchronisation between threads are in engine_run.c.
 *
 * Sends: an event for an LP of the sending thread takes a record from that
 * thread's pool and enters its queue at once; an event for another thread is
 * written into an outbox (an array of events by value) that the receiving
 * thread copies into its own pool and queue at the next window.  Events sent
 * by init, before the run, are staged and distributed when the run starts,
 * once the thread count is known.
 *
 * Channels: declarations are collected as given and compiled when the run
 * starts into, per LP, the least lookahead towards any LP, from any LP, and
 * a sorted list of channels to specific LPs; a send checks the pair against
 * these, so models pay for specific channels only when they declare them.
 */
#include "engine_internal.h"

#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/bigmem.h"
#include "dcsim/rng.h"

_Noreturn void dcs_engine_oom(size_t bytes)
{
    fprintf(stderr, "dcsim: out of memory (allocating %zu bytes)\n", bytes);
    abort();
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        dcs_engine_oom(n);
    return p;
}

static void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        dcs_engine_oom(count * size);
    return p;
}

static void *xrealloc(void *old, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        dcs_engine_oom(SIZE_MAX);
    void *p = realloc(old, count * size);
    if (!p)
        dcs_engine_oom(count * size);
    return p;
}

dcs_event *dcs_evvec_push(evvec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        v->ev = xrealloc(v->ev, v->cap, sizeof *v->ev);
    }
    return &v->ev[v->n++];
}

void dcs_worker_enqueue(worker *w, const dcs_event *src)
{
    dcs_event *ev = dcs_evpool_get(&w->pool);
    if (!ev)
        dcs_engine_oom(sizeof(dcs_evpool_slot) * (w->pool.capacity / 8 + 256));
    *ev = *src;
    if (dcs_evq_push(&w->q, ev) != DCS_OK)
        dcs_engine_oom(sizeof(dcs_evq_entry) * (w->q.cap + w->q.cap / 2 + 16));
}

_Noreturn void dcs_lp_fail(const dcs_lp *lp, const char *file, int line, const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: simulated time %lld ns (%.9f s), LP %u (%s): ", file, line,
            (long long)lp->h.now, dcs_time_to_s(lp->h.now), lp->h.id, lp->type->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void dcs_lp_stop_run(dcs_lp *lp, dcs_status status, const char *fmt, ...)
{
    DCS_LP_ASSERT(lp, lp->w, "dcs_lp_stop_run outside handle or finish");
    DCS_LP_ASSERT(lp, status != DCS_OK, "dcs_lp_stop_run with DCS_OK");
    worker *w = lp->w;
    /* Only this thread writes its worker; keep its earliest stop. */
    if (w->halted && (w->fail_time < lp->h.now || (w->fail_time == lp->h.now && w->fail_lp < lp->h.id)))
        return;
    w->halted = true;
    w->fail_status = status;
    w->fail_time = lp->h.now;
    w->fail_lp = lp->h.id;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->fail_msg, sizeof w->fail_msg, fmt, ap);
    va_end(ap);
}

/* The earliest stop over the threads (time, then LP id), or NULL. */
static const worker *first_stop(const dcs_engine *e)
{
    const worker *f = NULL;
    for (int t = 0; t < e->nthreads; t++) {
        const worker *w = &e->workers[t];
        if (w->halted && (!f || w->fail_time < f->fail_time ||
                          (w->fail_time == f->fail_time && w->fail_lp < f->fail_lp)))
            f = w;
    }
    return f;
}

const char *dcs_engine_failure(const dcs_engine *e) { return e->failure; }

/* ---- construction ---- */

dcs_engine *dcs_engine_new(const dcs_engine_config *cfg)
{
    dcs_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->cfg = *cfg;
    if (!e->cfg.rng_type)
        e->cfg.rng_type = gsl_rng_taus2;
    return e;
}

static void free_lp(dcs_lp *lp)
{
    free(lp->spec);
}

void dcs_engine_set_progress(dcs_engine *e, _Atomic dcs_time *progress)
{
    e->cfg.progress = progress;
}

void dcs_engine_free(dcs_engine *e)
{
    if (!e)
        return;
    for (uint32_t i = 0; i < e->nlps; i++)
        free_lp(e->lps[i]);
    free(e->lps);
    for (size_t i = 0; i < e->lp_arena.nchunks; i++)
        free(e->lp_arena.chunks[i]);
    free(e->lp_arena.chunks);
    free(e->chans);
    free(e->staged.ev);
    if (e->workers) {
        for (int t = 0; t < e->nthreads; t++) {
            worker *w = &e->workers[t];
            dcs_evq_free(&w->q);
            dcs_evpool_free(&w->pool);
            for (int par = 0; par < 2; par++) {
                if (!w->out[par])
                    continue;
                for (int u = 0; u < e->nthreads; u++)
                    free(w->out[par][u].ev);
                free(w->out[par]);
            }
        }
        free(e->workers);
    }
    free(e->owner);
    free(e->mins);
    free(e);
}

#define ALIGN16(n) (((n) + 15) / 16 * 16)
/* Chunks double from 64 KB up to 4 MB (two huge pages, see bigmem.h), so
 * small test engines stay small and large ones get huge pages. */
enum { ARENA_FIRST = 64 << 10, ARENA_MAX = 4 << 20 };

/* n zeroed bytes (n a multiple of 16) from the arena, or NULL. */
static void *arena_alloc(arena *a, size_t n)
{
    if (n > a->left) {
        if (a->nchunks == a->chunks_cap) {
            size_t cap = a->chunks_cap ? 2 * a->chunks_cap : 16;
            char **c = realloc(a->chunks, cap * sizeof *c);
            if (!c)
                return NULL;
            a->chunks = c;
            a->chunks_cap = cap;
        }
        size_t size = a->nchunks >= 6 ? ARENA_MAX : (size_t)ARENA_FIRST << a->nchunks;
        if (size < n)
            size = n;
        char *chunk = dcs_bigmem_alloc(size);
        if (!chunk)
            return NULL;
        a->chunks[a->nchunks++] = chunk;
        a->cur = chunk;
        a->left = (size + 63) / 64 * 64;
    }
    void *p = a->cur;
    memset(p, 0, n);
    a->cur += n;
    a->left -= n;
    return p;
}

uint32_t dcs_engine_add_lp(dcs_engine *e, const dcs_lp_type *type, const void *config)
{
    if (e->running || e->ran || e->nlps >= DCS_LP_MAX)
        return DCS_LP_ANY;
    if (e->nlps == e->lps_cap) {
        uint32_t cap = e->lps_cap ? 2 * e->lps_cap : 64;
        dcs_lp **l = realloc(e->lps, cap * sizeof *l);
        if (!l)
            return DCS_LP_ANY;
        e->lps = l;
        e->lps_cap = cap;
    }
    /* Block layout: record | state | gsl_rng handles | generator states.
     * gsl_rng is a public struct of two pointers (type, state), so the
     * engine can place handles and states in its own memory instead of
     * gsl_rng_alloc's two separate mallocs; they are never passed to
     * gsl_rng_free. */
    const gsl_rng_type *rt = e->cfg.rng_type;
    size_t nrng = type->rng_streams;
    if (type->state_size > ((size_t)1 << 40) || nrng > 65536)
        return DCS_LP_ANY;
    size_t off_state = ALIGN16(sizeof(dcs_lp));
    size_t off_rng = off_state + ALIGN16(type->state_size);
    size_t off_gen = off_rng + ALIGN16(nrng * sizeof(gsl_rng));
    size_t gen_size = ALIGN16(rt->size);
    size_t total = off_gen + nrng * gen_size;
    char *blk = arena_alloc(&e->lp_arena, total);
    if (!blk)
        return DCS_LP_ANY;
    dcs_lp *lp = (dcs_lp *)(void *)blk;
    lp->eng = e;
    lp->type = type;
    lp->state = blk + off_state;
    lp->h.id = e->nlps;
    lp->out_any = lp->in_any = DCS_TIME_MAX;
    lp->rng = nrng ? (gsl_rng *)(void *)(blk + off_rng) : NULL;
    for (unsigned i = 0; i < nrng; i++) {
        lp->rng[i].type = rt;
        lp->rng[i].state = blk + off_gen + i * gen_size;
        dcs_rng_stream_seed(&lp->rng[i], e->cfg.seed, lp->h.id, i);
    }
    e->lps[e->nlps++] = lp;
    if (type->init && type->init(lp, lp->state, config) != 0) {
        /* Keep the LP (its id may already be in staged events) but report
         * failure; the caller abandons the engine. */
        return DCS_LP_ANY;
    }
    return lp->h.id;
}

dcs_status dcs_engine_channel(dcs_engine *e, uint32_t src, uint32_t dst, dcs_time lookahead)
{
    if (lookahead <= 0 || (src != DCS_LP_ANY && src >= e->nlps) ||
        (dst != DCS_LP_ANY && dst >= e->nlps) || e->running || e->ran)
        return DCS_ERANGE;
    if (e->nchans == e->chans_cap) {
        size_t cap = e->chans_cap ? 2 * e->chans_cap : 16;
        channel *c = realloc(e->chans, cap * sizeof *c);
        if (!c)
            return DCS_ENOMEM;
        e->chans = c;
        e->chans_cap = cap;
    }
    e->chans[e->nchans++] = (channel){src, dst, lookahead};
    return DCS_OK;
}

static int cmp_spec(const void *a, const void *b)
{
    const spec_channel *x = a, *y = b;
    return (x->dst > y->dst) - (x->dst < y->dst);
}

/* Turn the declared channels into per-LP lookups and the window width. */
static void compile_channels(dcs_engine *e)
{
    dcs_time any_any = DCS_TIME_MAX;
    e->lookahead = DCS_TIME_MAX;
    for (size_t i = 0; i < e->nchans; i++) {
        const channel *c = &e->chans[i];
        if (c->lookahead < e->lookahead)
            e->lookahead = c->lookahead;
        if (c->src == DCS_LP_ANY && c->dst == DCS_LP_ANY) {
            if (c->lookahead < any_any)
                any_any = c->lookahead;
        } else if (c->dst == DCS_LP_ANY) {
            dcs_lp *s = e->lps[c->src];
            if (c->lookahead < s->out_any)
                s->out_any = c->lookahead;
        } else if (c->src == DCS_LP_ANY) {
            dcs_lp *d = e->lps[c->dst];
            if (c->lookahead < d->in_any)
                d->in_any = c->lookahead;
            e->has_in_any = true;
        } else {
            e->lps[c->src]->nspec++;
        }
    }
    for (uint32_t i = 0; i < e->nlps; i++) {
        dcs_lp *lp = e->lps[i];
        if (any_any < lp->out_any)
            lp->out_any = any_any;
        if (lp->nspec) {
            lp->spec = xmalloc(lp->nspec * sizeof *lp->spec);
            lp->nspec = 0;
        }
    }
    for (size_t i = 0; i < e->nchans; i++) {
        const channel *c = &e->chans[i];
        if (c->src != DCS_LP_ANY && c->dst != DCS_LP_ANY) {
            dcs_lp *s = e->lps[c->src];
            s->spec[s->nspec++] = (spec_channel){c->dst, c->lookahead};
        }
    }
    for (uint32_t i = 0; i < e->nlps; i++)
        if (e->lps[i]->nspec > 1)
            qsort(e->lps[i]->spec, e->lps[i]->nspec, sizeof(spec_channel), cmp_spec);
}

/* Least lookahead of the channels covering src -> dst; DCS_TIME_MAX if
 * none.  Duplicated specific channels are found by scanning both ways from
 * the binary-search hit. */
static dcs_time channel_lookahead(const dcs_engine *e, const dcs_lp *src, uint32_t dst)
{
    dcs_time la = src->out_any;
    /* Only look at the receiver (a likely cache miss) if some channel
     * names a receiver without a sender. */
    if (e->has_in_any && e->lps[dst]->in_any < la)
        la = e->lps[dst]->in_any;
    size_t lo = 0, hi = src->nspec;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->spec[mid].dst < dst)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < src->nspec && src->spec[i].dst == dst; i++)
        if (src->spec[i].lookahead < la)
            la = src->spec[i].lookahead;
    return la;
}

/* ---- inside handlers ---- */

dcs_time dcs_lp_end(const dcs_lp *lp) { return lp->eng->cfg.end_time; }

gsl_rng *dcs_lp_rng(dcs_lp *lp, unsigned purpose)
{
    DCS_LP_ASSERT(lp, purpose < lp->type->rng_streams,
                  "random stream %u requested, type declares %u", purpose,
                  lp->type->rng_streams);
    return &lp->rng[purpose];
}

/* The send from a handler to an LP of the same thread: a record from the
 * thread's pool, straight into its queue. */
static inline dcs_event *send_local(dcs_lp *lp, worker *w, uint32_t dst, dcs_time t,
                                    uint32_t kind)
{
    dcs_event *ev = dcs_evpool_get(&w->pool);
    if (__builtin_expect(!ev, 0))
        dcs_engine_oom(sizeof(dcs_evpool_slot) * (w->pool.capacity / 8 + 256));
    ev->time = t;
    ev->tie = dcs_tie_make(lp->h.id, lp->seq++);
    ev->dst = dst;
    ev->kind = kind;
    if (__builtin_expect(dcs_evq_push(&w->q, ev) != DCS_OK, 0))
        dcs_engine_oom(sizeof(dcs_evq_entry) * (w->q.cap + w->q.cap / 2 + 16));
    return ev;
}

/* Every send but a handler's valid send to itself: the checks with their
 * messages, init's staging, channels and other threads. */
static __attribute__((noinline)) dcs_event *send_general(dcs_lp *lp, uint32_t dst,
                                                         dcs_time delay, uint32_t kind)
{
    dcs_time t;
    DCS_LP_ASSERT(lp, delay >= 0, "send to LP %u with negative delay %lld ns (event in the past)",
                  dst, (long long)delay);
    DCS_LP_ASSERT(lp, dcs_time_add(lp->h.now, delay, &t),
                  "send to LP %u: now + delay %lld ns overflows the clock", dst, (long long)delay);
    DCS_LP_ASSERT(lp, lp->seq <= DCS_TIE_SEQ_MASK, "more than 2^40 sends from one LP");
    worker *w = lp->w;
    dcs_engine *e = lp->eng;
    dcs_event *ev;
    if (!e->running) {
        /* init: any LP, any delay >= 0; checked when the run starts */
        ev = dcs_evvec_push(&e->staged);
    } else {
        DCS_LP_ASSERT(lp, dst < e->nlps, "send to LP %u, but there are %u LPs", dst, e->nlps);
        dcs_time la = channel_lookahead(e, lp, dst);
        DCS_LP_ASSERT(lp, la != DCS_TIME_MAX, "send to LP %u on an undeclared channel", dst);
        DCS_LP_ASSERT(lp, delay >= la,
                      "send to LP %u with delay %lld ns, below the channel's lookahead %lld ns",
                      dst, (long long)delay, (long long)la);
        uint32_t to = e->nthreads > 1 ? e->owner[dst] : w->index;
        if (to == w->index)
            return send_local(lp, w, dst, t, kind);
        /* Another thread's LP: the pointer into the outbox stays valid until
         * the next send, as engine.h promises. */
        ev = dcs_evvec_push(&w->out[w->par][to]);
        if (t < w->sent_min)
            w->sent_min = t;
    }
    ev->time = t;
    ev->tie = dcs_tie_make(lp->h.id, lp->seq++);
    ev->dst = dst;
    ev->kind = kind;
    return ev;
}

dcs_event *dcs_lp_send(dcs_lp *lp, uint32_t dst, dcs_time delay, uint32_t kind)
{
    /* Nearly every event of the serving and fleet models is an LP
     * scheduling itself (its next batch iteration, its next arrival): that
     * needs no channel and no owner lookup, and its checks are three
     * compares here, so this path saves no registers for the general one.
     * lp->w is NULL until the run starts, so init's self-sends take the
     * staging path. */
    dcs_time t;
    worker *w = lp->w;
    if (__builtin_expect(dst == lp->h.id && w && delay >= 0 && dcs_time_add(lp->h.now, delay, &t)
                             && lp->seq <= DCS_TIE_SEQ_MASK, 1))
        return send_local(lp, w, dst, t, kind);
    return send_general(lp, dst, delay, kind);
}

/* ---- the run ---- */

static int resolve_threads(const dcs_engine *e)
{
    int t = e->cfg.threads > 0 ? e->cfg.threads : omp_get_num_procs();
    if (t < 1)
        t = 1;
    if ((uint32_t)t > e->nlps)
        t = e->nlps ? (int)e->nlps : 1;
    if (t > 65535)
        t = 65535;
    return t;
}

/* Partition LPs into contiguous blocks, one per thread, create the workers
 * and hand each the staged events of its LPs. */
static void start(dcs_engine *e)
{
    int nt = e->nthreads = resolve_threads(e);
    e->owner = xcalloc(e->nlps ? e->nlps : 1, sizeof *e->owner);
    for (uint32_t i = 0; i < e->nlps; i++)
        e->owner[i] = (uint16_t)(((uint64_t)i * (uint64_t)nt) / e->nlps);
    e->workers = aligned_alloc(64, sizeof(worker) * (size_t)nt);
    if (!e->workers)
        dcs_engine_oom(sizeof(worker) * (size_t)nt);
    e->mins = xcalloc((size_t)nt, sizeof *e->mins);
    size_t *count = xcalloc((size_t)nt, sizeof *count);
    for (size_t i = 0; i < e->staged.n; i++) {
        const dcs_event *ev = &e->staged.ev[i];
        if (ev->dst >= e->nlps) {
            dcs_lp *src = e->lps[dcs_event_src(ev)];
            dcs_lp_fail(src, __FILE__, __LINE__, "init sent to LP %u, but there are %u LPs",
                        ev->dst, e->nlps);
        }
        count[e->owner[ev->dst]]++;
    }
    for (int t = 0; t < nt; t++) {
        worker *w = &e->workers[t];
        memset(w, 0, sizeof *w);
        w->index = (uint32_t)t;
        if (dcs_evq_init(&w->q, count[t] + 16) != DCS_OK)
            dcs_engine_oom(sizeof(dcs_evq_entry) * (count[t] + 17));
        dcs_evpool_init(&w->pool);
        /* Size the pool exactly, so a steady population (as in PHOLD) never
         * grows it. */
        if (count[t] && dcs_evpool_reserve(&w->pool, count[t]) != DCS_OK)
            dcs_engine_oom(sizeof(dcs_evpool_slot) * count[t]);
        if (nt > 1)
            for (int par = 0; par < 2; par++)
                w->out[par] = xcalloc((size_t)nt, sizeof(evvec));
        w->sent_min = DCS_TIME_MAX;
    }
    /* Prefetching the next event's record and LP (engine_run.c) pays only
     * when a thread's LPs do not stay in cache; with a handful of LPs (the
     * serving and fleet models) it would be instructions for nothing. */
    memset(count, 0, sizeof *count * (size_t)nt);
    for (uint32_t i = 0; i < e->nlps; i++) {
        e->lps[i]->w = &e->workers[e->owner[i]];
        count[e->owner[i]]++;
    }
    for (int t = 0; t < nt; t++)
        e->workers[t].prefetch = count[t] > DCS_PREFETCH_LPS;
    free(count);
    for (size_t i = 0; i < e->staged.n; i++)
        dcs_worker_enqueue(&e->workers[e->owner[e->staged.ev[i].dst]], &e->staged.ev[i]);
    free(e->staged.ev);
    e->staged = (evvec){0};
}

/* Count pending events and the storage they occupy. */
static void account(dcs_engine *e)
{
    size_t bytes = 0;
    e->pending = 0;
    e->events = 0;
    for (int t = 0; t < e->nthreads; t++) {
        worker *w = &e->workers[t];
        e->events += w->events;
        e->pending += dcs_evq_size(&w->q);
        bytes += w->pool.capacity * sizeof(dcs_evpool_slot) + dcs_evq_bytes(&w->q);
        for (int par = 0; par < 2 && w->out[par]; par++)
            for (int u = 0; u < e->nthreads; u++) {
                e->pending += w->out[par][u].n;
                bytes += w->out[par][u].cap * sizeof(dcs_event);
            }
    }
    e->bytes_per_event = e->pending ? (double)bytes / (double)e->pending : 0.0;
}

dcs_status dcs_engine_run(dcs_engine *e)
{
    if (e->running || e->ran)
        return DCS_EINPUT;
    compile_channels(e);
    start(e);
    e->running = true;
    if (e->nthreads == 1)
        dcs_engine_loop_serial(e);
    else
        dcs_engine_loop_parallel(e);
    account(e);
    /* finish runs at the end time, in LP order; it must not send.  A run an
     * LP stopped is not finished: its totals would pretend to be whole. */
    e->running = false;
    bool stopped = first_stop(e) != NULL;
    for (uint32_t i = 0; i < e->nlps && !stopped; i++) {
        dcs_lp *lp = e->lps[i];
        lp->h.now = e->cfg.end_time;
        uint64_t seq = lp->seq;
        if (lp->type->finish)
            lp->type->finish(lp, lp->state);
        DCS_LP_ASSERT(lp, lp->seq == seq, "finish sent an event");
    }
    e->ran = true;
    const worker *f = first_stop(e);
    if (f) {
        e->failure = f->fail_msg;
        return f->fail_status;
    }
    return DCS_OK;
}

uint32_t dcs_engine_lp_count(const dcs_engine *e) { return e->nlps; }
uint64_t dcs_engine_events(const dcs_engine *e) { return e->events; }
int dcs_engine_threads(const dcs_engine *e) { return e->nthreads; }
uint64_t dcs_engine_windows(const dcs_engine *e) { return e->windows; }
uint64_t dcs_engine_pending(const dcs_engine *e) { return e->pending; }
double dcs_engine_bytes_per_event(const dcs_engine *e) { return e->bytes_per_event; }

void *dcs_engine_lp_state(dcs_engine *e, uint32_t lp)
{
    return lp < e->nlps ? e->lps[lp]->state : NULL;
}
