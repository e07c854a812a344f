/*
 * engine.h - the parallel discrete-event engine: the contract models code
 * against.
 *
 * A model is a set of logical processes (LPs).  Each LP has a type (a const
 * dcs_lp_type: name, state size, handlers), owns its state and its random
 * streams, and talks to other LPs only by events.  An event to another LP
 * must be sent at least the lookahead of a channel the model declared from
 * the sender to the receiver into the future; events to itself may use any
 * delay >= 0.  Events are executed in the total order of (time, tie) per LP
 * (event.h), so results do not depend on the number of threads.
 *
 * Synchronisation is conservative and windowed (YAWNS): all threads agree on
 * the earliest pending event time T, then each runs its own LPs' events with
 * time < T + L, where L is the smallest declared lookahead; events sent to
 * LPs of other threads go through per-thread outboxes that are merged at the
 * barrier closing the window.  Windows start at the next pending event, so
 * empty stretches of simulated time cost nothing.  With one thread there are
 * no windows and no barriers.  Details and measurements: docs/engine.md.
 *
 * A run covers simulated times [0, end_time): events at or after end_time
 * stay pending and are not executed.
 *
 * Bugs in a model (an event in the past, a lookahead violated, a send on an
 * undeclared channel, an unknown destination) stop the run with a message
 * naming file, line, simulated time and LP, then abort.  A model that finds
 * its own state impossible while running (an invariant violated: a NaN
 * power, energy out of balance) stops the run cleanly instead with
 * dcs_lp_stop_run: dcs_engine_run then returns an error and
 * dcs_engine_failure says why, and the program decides what to print.
 */
#ifndef DCSIM_ENGINE_H
#define DCSIM_ENGINE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "dcsim/diag.h"
#include "dcsim/event.h"
#include "dcsim/time.h"

typedef struct dcs_engine dcs_engine;
typedef struct dcs_lp dcs_lp;          /* opaque to models */

/* Wildcard for dcs_engine_channel: any LP. */
#define DCS_LP_ANY UINT32_MAX

/*
 * A model's LP type, a const object (like gsl_rng_type).  state_size bytes
 * of zeroed state are allocated per LP (aligned for any scalar type);
 * rng_streams is how many random streams (purposes 0..rng_streams-1) each LP
 * of this type uses.  init runs when the LP is added (now = 0) and may send
 * the LP's first events (any delay >= 0 to any LP); it returns 0, or nonzero
 * to make dcs_engine_add_lp fail.  handle runs for each event, in key order.
 * finish (may be NULL) runs once at the end of the run, at now = end time,
 * to flush integrals; it must not send.  Handlers must not allocate.
 */
typedef struct dcs_lp_type {
    const char *name;
    size_t state_size;
    unsigned rng_streams;
    int (*init)(dcs_lp *lp, void *state, const void *config);
    void (*handle)(dcs_lp *lp, void *state, const dcs_event *ev);
    void (*finish)(dcs_lp *lp, void *state);
} dcs_lp_type;

typedef struct dcs_engine_config {
    uint64_t seed;                  /* run seed; every random stream derives from it */
    int threads;                    /* 0: all cores (omp_get_num_procs) */
    dcs_time end_time;              /* run covers [0, end_time) */
    const gsl_rng_type *rng_type;   /* NULL: gsl_rng_taus2 */
    /* If not NULL, the engine stores here, as the run advances, a simulated
     * time every event before which has executed: a progress display reads
     * it from another thread.  Updated per window (parallel) or per
     * thousandth of the run (serial), never per event. */
    _Atomic dcs_time *progress;
} dcs_engine_config;

/* A new engine with no LPs, or NULL when memory is exhausted.  The caller
 * frees it with dcs_engine_free. */
dcs_engine *dcs_engine_new(const dcs_engine_config *cfg);
void dcs_engine_free(dcs_engine *e);

/* Add an LP of the given type (the type object must outlive the engine);
 * config is passed to type->init and need only live during this call.
 * Returns the new LP's id (0, 1, 2... in the order added), or DCS_LP_ANY if
 * memory is exhausted, init failed, or DCS_LP_MAX LPs already exist. */
uint32_t dcs_engine_add_lp(dcs_engine *e, const dcs_lp_type *type, const void *config);

/* Declare that LP src sends to LP dst with delays of at least lookahead
 * (> 0 ns).  Either end may be DCS_LP_ANY.  A send to another LP is allowed
 * when some declared channel covers the pair with lookahead <= delay.
 * Returns DCS_OK, DCS_ERANGE (lookahead <= 0 or unknown LP id) or
 * DCS_ENOMEM. */
dcs_status dcs_engine_channel(dcs_engine *e, uint32_t src, uint32_t dst, dcs_time lookahead);

/* Set (or clear, with NULL) the progress cell of the configuration. */
void dcs_engine_set_progress(dcs_engine *e, _Atomic dcs_time *progress);

/* Run to the configured end time, then call every LP's finish.  Runs once
 * per engine.  Returns DCS_OK, or the status an LP gave dcs_lp_stop_run
 * (the run stopped early; results are incomplete and must not be written
 * as if complete). */
dcs_status dcs_engine_run(dcs_engine *e);

/* After dcs_engine_run: why the run stopped (the message an LP gave
 * dcs_lp_stop_run, no trailing newline), or NULL if it did not. */
const char *dcs_engine_failure(const dcs_engine *e);

/* After run (or before, for inspection): LP count, one LP's state, and the
 * number of events executed (committed). */
uint32_t dcs_engine_lp_count(const dcs_engine *e);
void *dcs_engine_lp_state(dcs_engine *e, uint32_t lp);
uint64_t dcs_engine_events(const dcs_engine *e);
/* Threads the run used, synchronisation windows executed (0 with one
 * thread), and events still pending at the end. */
int dcs_engine_threads(const dcs_engine *e);
uint64_t dcs_engine_windows(const dcs_engine *e);
uint64_t dcs_engine_pending(const dcs_engine *e);
/* Bytes of event storage (pool records, queue entries, outboxes, all at
 * their allocated capacity) per event pending at the end of the run. */
double dcs_engine_bytes_per_event(const dcs_engine *e);

/* ---- inside handlers (and init) ---- */

/* The first member of every LP, public only so that the two accessors
 * below compile inline (handlers call them on every event); models read it
 * through the accessors and never write it. */
typedef struct dcs_lp_head {
    dcs_time now;   /* time of the event being handled */
    uint32_t id;
} dcs_lp_head;

/* Current simulated time of the LP (the time of the event being handled). */
static inline dcs_time dcs_lp_now(const dcs_lp *lp)
{
    return ((const dcs_lp_head *)(const void *)lp)->now;
}
/* The LP's id. */
static inline uint32_t dcs_lp_id(const dcs_lp *lp)
{
    return ((const dcs_lp_head *)(const void *)lp)->id;
}
/* End of the run, for models that stop scheduling past it. */
dcs_time dcs_lp_end(const dcs_lp *lp);

/* The LP's random stream for `purpose` (< type->rng_streams), seeded from
 * (run seed, LP id, purpose) by dcs_rng_stream_seed: the same model and seed
 * draw the same numbers whatever the thread count, and two designs that use
 * the same (LP, purpose) share common random numbers. */
gsl_rng *dcs_lp_rng(dcs_lp *lp, unsigned purpose);

/* Schedule an event of `kind` for LP dst at now + delay and return its
 * record, whose payload (->p) the caller fills before the next send or the
 * end of the handler; the engine owns the record.  Delay must be >= 0, and
 * for dst != self at least the lookahead of a declared channel.  The send
 * time must not overflow dcs_time. */
dcs_event *dcs_lp_send(dcs_lp *lp, uint32_t dst, dcs_time delay, uint32_t kind);

/* Stop the run cleanly because this LP found an invariant violated (a state
 * that correct code and valid input cannot produce).  status (not DCS_OK)
 * is what dcs_engine_run returns; the printf-formatted message, up to 511
 * bytes, is what dcs_engine_failure gives, so it should name the LP, the
 * simulated time and the quantity.  The handler returns normally after this
 * call; the engine then executes no further event of this LP's thread,
 * other threads stop at the end of the current window, and no LP's finish
 * runs.  Called from finish, it makes dcs_engine_run fail after the other
 * finishes ran.  If several LPs stop, the earliest (simulated time, then LP
 * id) is reported, so the message does not depend on the thread count.
 * Costs the engine one predictable branch per event. */
void dcs_lp_stop_run(dcs_lp *lp, dcs_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Abort with "FILE:LINE: simulated time T ns, LP n: message" (a bug in a
 * model or the engine, not bad input). */
_Noreturn void dcs_lp_fail(const dcs_lp *lp, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define DCS_LP_ASSERT(lp, cond, ...) \
    do { if (!(cond)) dcs_lp_fail((lp), __FILE__, __LINE__, __VA_ARGS__); } while (0)

#endif
