/*
 * engine_run.c - the event loops: one thread without synchronisation, and
 * several threads in conservative windows (YAWNS; Nicol 1993, "The cost of
 * conservative synchronization in parallel discrete event simulations",
 * J. ACM 40(2)).  This is the one file with OpenMP pragmas (and the
 * window barrier, below).
 *
 * Window k.  Every thread has published m_t = the earliest time among its
 * queued events and the events it sent to other threads in window k-1; all
 * pending events are in one of those places, so T = min_t m_t is the global
 * next-event time.  No event sent during the window to another LP can be
 * earlier than T + L (L: least declared lookahead), so each thread may
 * execute, without talking to the others, all its events earlier than
 *     W = min(T + L, end).
 * It first copies into its queue the events the others sent it in window
 * k-1, then executes up to W, publishes its own m_t for window k+1, and
 * meets the others at one barrier.
 *
 * One barrier per window suffices because the outboxes and published minima
 * alternate between two sets by window parity: in window k threads fill set
 * k mod 2 and read set (k-1) mod 2, which nobody writes again before the
 * barrier that ends window k.  Every thread reads the same minima, so all
 * agree on W and on when to stop, without a reduction.
 *
 * Why the result does not depend on the thread count: an LP's events are
 * executed in key order, and an event can join the LP's queue during a
 * window only from the LP itself (others send at least L ahead, so at or
 * after W).  So each LP sees exactly the event sequence it sees with one
 * thread, draws the same random numbers, and ends in the same state.
 */
#define _POSIX_C_SOURCE 200809L   /* sched_yield */
#include "engine_internal.h"

#include <omp.h>
#include <sched.h>
#include <stdatomic.h>

/* Ask for the cache lines the next event will need: its LP record and the
 * two lines after it (state and random generator, engine.c lays them out
 * together).  With 100,000 LPs these are cache misses, and fetching them
 * while the current event runs hides most of their latency.  A hint only:
 * if the handler queues an earlier event, nothing is wrong, just slower.
 * always_inline: as a call, GCC 12 at -O2 found the function free of side
 * effects (a prefetch has none) and dropped the call, prefetches and all. */
static inline __attribute__((always_inline)) void prefetch_next(dcs_lp *const *lps,
                                                             const dcs_evq *q)
{
    /* Only if the next event is known: in the near heap, and the handler's
     * send filled the hole its own pop left (evq.h). */
    if (q->n && !q->hole) {
        const dcs_event *next = dcs_evq_peek(q);
        __builtin_prefetch(next);
        const char *lp = (const char *)lps[next->dst];
        __builtin_prefetch(lp);
        __builtin_prefetch(lp + 64);
        __builtin_prefetch(lp + 128);
    }
}

/* The next event is not known until the handler has sent (its first near
 * send fills the hole the pop left), but it is one of the hole's two
 * children or that send: ask for the children's records now, so that
 * with 100,000 LPs their misses overlap the handler (the send's record is
 * the one just freed, in cache). */
static inline __attribute__((always_inline)) void prefetch_candidates(const dcs_evq *q)
{
    if (q->hole && q->n >= 3) {
        __builtin_prefetch(q->heap[2].ev);
        __builtin_prefetch(q->heap[3].ev);
    }
}

/* Execute w's events earlier than `until`.  The record is copied out and
 * returned to the pool before the handler runs, so the handler's own send
 * reuses the same (cached) record and a steady population never grows the
 * pool; its entry in the queue is likewise replaced by the handler's first
 * near send (evq.h), so the next event is known, and prefetched, only after
 * the handler. */
static void execute(dcs_engine *e, worker *w, dcs_time until)
{
    dcs_lp *const *lps = e->lps;
    dcs_evq *q = &w->q;
    const bool prefetch = w->prefetch;
    uint64_t n = 0;
    /* halted: a handler called dcs_lp_stop_run (engine.c) */
    while (!w->halted && dcs_evq_min_time(q) < until) {
        dcs_event *rec = dcs_evq_pop(q);
        if (prefetch)
            prefetch_candidates(q);
        dcs_event ev = *rec;
        dcs_evpool_put(&w->pool, rec);
        dcs_lp *lp = lps[ev.dst];
        if (ev.time < lp->h.now) {
            /* Time never goes backwards for an LP: checked on every event
             * (one compare), and reported as a violated invariant. */
            dcs_lp_stop_run(lp, DCS_ERUN,
                            "invariant violated: LP %u (%s) at t=%.9g s: event at t=%.9g s "
                            "from LP %u is earlier than the LP's clock",
                            lp->h.id, lp->type->name, dcs_time_to_s(lp->h.now),
                            dcs_time_to_s(ev.time), dcs_event_src(&ev));
            break;
        }
        lp->h.now = ev.time;
        lp->type->handle(lp, lp->state, &ev);
        if (prefetch)
            prefetch_next(lps, q);
        n++;
    }
    w->events += n;
}

void dcs_engine_loop_serial(dcs_engine *e)
{
    const dcs_time end = e->cfg.end_time;
    if (!e->cfg.progress) {
        execute(e, &e->workers[0], end);
        return;
    }
    /* In slices of a thousandth of the run, so that progress costs nothing
     * per event; the slices do not change the order of events. */
    dcs_time slice = end / 1000 > 0 ? end / 1000 : 1;
    for (dcs_time t = 0; t < end;) {
        t = dcs_time_add_sat(t, slice);
        if (t > end)
            t = end;
        execute(e, &e->workers[0], t);
        atomic_store_explicit(e->cfg.progress, t, memory_order_relaxed);
        if (e->workers[0].halted)
            break;
    }
}

/* The barrier that ends a window.  OpenMP's own barrier spins for a long
 * time before sleeping (libgomp's default), which on a machine shared with
 * other processes burns the core that the late thread, or someone else,
 * needs: in measurements at load 3-4 on 2 cores, 2 threads then ran slower
 * than 1.  This one spins briefly (a window's stragglers usually arrive
 * within microseconds) and then yields the core while it waits.
 * Generation counting: the last to arrive resets the count and moves to
 * the next generation; release/acquire on the counters orders every
 * thread's writes before the barrier (outboxes, published minima) before
 * every thread's reads after it. */
typedef struct window_barrier {
    _Alignas(64) atomic_uint arrived;
    _Alignas(64) atomic_uint generation;
    unsigned threads;
} window_barrier;

enum { BARRIER_SPINS = 4000 };

static void barrier_wait(window_barrier *b)
{
    unsigned gen = atomic_load_explicit(&b->generation, memory_order_acquire);
    if (atomic_fetch_add_explicit(&b->arrived, 1, memory_order_acq_rel) + 1 == b->threads) {
        atomic_store_explicit(&b->arrived, 0, memory_order_relaxed);
        atomic_store_explicit(&b->generation, gen + 1, memory_order_release);
        return;
    }
    for (unsigned spins = 0; atomic_load_explicit(&b->generation, memory_order_acquire) == gen;
         spins++)
        if (spins >= BARRIER_SPINS)
            sched_yield();
}

static void merge_inbox(dcs_engine *e, worker *me, unsigned par)
{
    for (int t = 0; t < e->nthreads; t++) {
        evvec *in = &e->workers[t].out[par][me->index];
        for (size_t i = 0; i < in->n; i++)
            dcs_worker_enqueue(me, &in->ev[i]);
        in->n = 0;
    }
}

void dcs_engine_loop_parallel(dcs_engine *e)
{
    const int nt = e->nthreads;
    const dcs_time end = e->cfg.end_time;
    for (int t = 0; t < nt; t++)
        e->mins[t][0] = dcs_evq_min_time(&e->workers[t].q);
    uint64_t windows = 0;
    window_barrier bar = {.threads = (unsigned)nt};
    atomic_init(&bar.arrived, 0);
    atomic_init(&bar.generation, 0);

#pragma omp parallel num_threads(nt) default(none) shared(e, windows, bar) firstprivate(nt, end)
    {
        worker *me = &e->workers[omp_get_thread_num()];
        for (uint64_t k = 0;; k++) {
            unsigned par = (unsigned)(k & 1);
            dcs_time next = DCS_TIME_MAX;
            for (int t = 0; t < nt; t++)
                if (e->mins[t][par] < next)
                    next = e->mins[t][par];
            if (next >= end || next == DCS_TIME_HALTED) {
                if (me->index == 0)
                    windows = k;
                break;
            }
            if (me->index == 0 && e->cfg.progress)
                atomic_store_explicit(e->cfg.progress, next, memory_order_relaxed);
            merge_inbox(e, me, par ^ 1u);
            me->par = par;
            me->sent_min = DCS_TIME_MAX;
            dcs_time until = dcs_time_add_sat(next, e->lookahead);
            /* With a progress display, windows are at most a thousandth of
             * the run; any window up to the lookahead gives the same events
             * in the same order. */
            if (e->cfg.progress && until - next > end / 1000)
                until = dcs_time_add_sat(next, end / 1000 > 0 ? end / 1000 : 1);
            execute(e, me, until < end ? until : end);
            dcs_time mine = dcs_evq_min_time(&me->q);
            e->mins[me->index][par ^ 1u] =
                me->halted ? DCS_TIME_HALTED : me->sent_min < mine ? me->sent_min : mine;
            barrier_wait(&bar);
        }
    }
    e->windows = windows;
}
