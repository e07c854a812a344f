/*
 * phold.h - PHOLD, the standard synthetic benchmark of parallel
 * discrete-event engines (Fujimoto 1990, "Performance of Time Warp under
 * synthetic workloads"), as an LP type and as a bare loop without the engine.
 *
 * Each LP starts with `pop` events, at times drawn uniformly within the
 * first lookahead (so they do not all tie at 0).  Handling an event at time t sends one
 * event at t + lookahead + Exp(mean): with probability `remote` to an LP
 * drawn uniformly among the others, else to itself.  The LP state counts the
 * events handled and folds each event's key into a hash, so the final states
 * witness the exact per-LP event order.
 *
 * The bare loop runs the same process over one dcs_evq and one dcs_evpool
 * with the same random streams, and must give the same checksum as the
 * engine: it is both the speed reference (phold_ratio) and a correctness
 * check of the engine.
 */
#ifndef DCSIM_PHOLD_H
#define DCSIM_PHOLD_H

#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/engine.h"

typedef struct dcs_phold_params {
    uint32_t lps;        /* number of LPs, >= 1 */
    uint32_t pop;        /* initial events per LP */
    double remote;       /* probability a send goes to another LP, 0..1 */
    dcs_time lookahead;  /* minimum delay, ns, > 0 */
    double mean_s;       /* mean of the exponential extra delay, s, >= 0 */
} dcs_phold_params;

/* What dcs_engine_lp_state returns for a PHOLD LP starts with this (the
 * LP also keeps a copy of its parameters after it). */
typedef struct dcs_phold_state {
    uint64_t events;     /* events handled */
    uint64_t hash;       /* fold of the handled events' keys */
} dcs_phold_state;

extern const dcs_lp_type dcs_phold_lp_type;

/* Add p->lps PHOLD LPs and their channel (any -> any, p->lookahead) to e.
 * Returns DCS_OK, DCS_ENOMEM, or DCS_ERANGE for out-of-range parameters. */
dcs_status dcs_phold_build(dcs_engine *e, const dcs_phold_params *p);

/* Checksum of the engine's PHOLD run: LP states in id order, then the
 * committed event count. */
uint64_t dcs_phold_checksum(dcs_engine *e);

/* Result of the bare loop. */
typedef struct dcs_phold_bare {
    uint64_t events;
    uint64_t checksum;   /* same definition as dcs_phold_checksum */
    double bytes_per_event;
} dcs_phold_bare;

/* Run PHOLD over [0, end) without the engine, streams seeded as the engine
 * seeds them (taus2).  Returns DCS_OK or DCS_ENOMEM. */
dcs_status dcs_phold_bare_run(const dcs_phold_params *p, uint64_t seed, dcs_time end,
                              dcs_phold_bare *out);

#endif
