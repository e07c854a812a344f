/*
 * engine_internal.h - the engine's private structures, shared by
 * sim/engine.c (setup, sends, results) and sim/engine_run.c (the event loops
 * and the windowed synchronisation).  Models never include this file.
 */
#ifndef DCSIM_ENGINE_INTERNAL_H
#define DCSIM_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/engine.h"
#include "dcsim/evpool.h"
#include "dcsim/evq.h"

/* A growable array of events, by value: the staging area for events sent
 * during init and the outboxes between threads. */
typedef struct evvec {
    dcs_event *ev;
    size_t n, cap;
} evvec;

typedef struct channel {
    uint32_t src, dst;   /* DCS_LP_ANY for either end */
    dcs_time lookahead;
} channel;

typedef struct spec_channel {
    uint32_t dst;
    dcs_time lookahead;
} spec_channel;

struct worker;

/* An LP and everything it touches per event live in one block carved from
 * the engine's arena: this record, then the model's state, then the
 * gsl_rng handles and their generator states.  With 100,000 LPs that keeps
 * an event's LP-side accesses to two or three neighbouring cache lines
 * instead of four separate heap allocations. */
struct dcs_lp {
    dcs_lp_head h;             /* now, id: first, so engine.h's accessors find them */
    const dcs_lp_type *type;
    uint64_t seq;              /* sends so far: the per-source sequence */
    struct worker *w;          /* owning thread's worker, set when the run starts */
    dcs_engine *eng;
    void *state;
    gsl_rng *rng;              /* type->rng_streams handles, in the block */
    uint32_t nspec;            /* channels from this LP to specific LPs */
    dcs_time out_any;          /* least lookahead of (this, any) and (any, any) */
    dcs_time in_any;           /* least lookahead of (any, this) */
    spec_channel *spec;        /* sorted by dst */
};

/* Bump allocation of LP blocks in large chunks, freed together. */
typedef struct arena {
    char **chunks;
    size_t nchunks, chunks_cap;
    char *cur;
    size_t left;
} arena;

/* One per thread; aligned so that two threads' counters never share a
 * cache line. */
typedef struct worker {
    _Alignas(64) dcs_evq q;
    dcs_evpool pool;
    evvec *out[2];             /* out[parity][dst thread]: events for other threads */
    dcs_time sent_min;         /* earliest time sent to another thread this window */
    uint64_t events;           /* events executed */
    uint32_t index;
    unsigned par;              /* parity of the current window: which outboxes to fill */
    bool prefetch;             /* its LPs overflow the cache: prefetch the next event */
    /* dcs_lp_stop_run: the earliest stop among this thread's LPs */
    bool halted;
    dcs_status fail_status;
    dcs_time fail_time;
    uint32_t fail_lp;
    char fail_msg[512];
} worker;

struct dcs_engine {
    dcs_engine_config cfg;
    dcs_lp **lps;
    uint32_t nlps, lps_cap;
    arena lp_arena;
    bool has_in_any;           /* some channel (any, x) was declared */
    channel *chans;
    size_t nchans, chans_cap;
    evvec staged;              /* events sent by init, before the run */
    bool running, ran;
    int nthreads;
    worker *workers;
    uint16_t *owner;           /* owner[lp]: thread index */
    dcs_time lookahead;        /* least declared lookahead: the window width */
    dcs_time (*mins)[2];       /* mins[thread][parity]: published next-event times */
    uint64_t windows;
    uint64_t events;
    uint64_t pending;
    double bytes_per_event;
    const char *failure;       /* the reported stop's message, or NULL */
};

/* Published as a thread's next-event time by a thread that stopped
 * (dcs_lp_stop_run): below every real time, so every thread sees it as the
 * minimum at the next window and all stop together. */
#define DCS_TIME_HALTED INT64_MIN

/* A thread prefetches the next event's record and LP when it holds more
 * LPs than this: at a few hundred bytes per LP block, 4,096 of them fill
 * the 1 MB L2 of the development machine (docs/engine.md). */
enum { DCS_PREFETCH_LPS = 4096 };

/* Abort on exhausted memory, naming the size (STYLE.md: out of memory is
 * fatal and says the size). */
_Noreturn void dcs_engine_oom(size_t bytes);

/* Append a zeroed slot to v and return it. */
dcs_event *dcs_evvec_push(evvec *v);

/* Take a record from w's pool, copy *src into it and queue it. */
void dcs_worker_enqueue(worker *w, const dcs_event *src);

/* The event loops (engine_run.c). */
void dcs_engine_loop_serial(dcs_engine *e);
void dcs_engine_loop_parallel(dcs_engine *e);

#endif
