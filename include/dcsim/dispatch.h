/*
 * dispatch.h - within-site request dispatch to serving replicas, and the
 * small-model-first cascade.
 *
 * Dispatch is local to a site's or cluster's LP (DESIGN.md, "Decomposition
 * that gives lookahead"): it looks only at that LP's replicas.
 *   round_robin   replicas in turn
 *   least_loaded  fewest outstanding requests (queued + running); ties go
 *                 to the first at or after the round-robin cursor, so equal
 *                 replicas share load evenly and the choice is
 *                 deterministic
 * Awake replicas are preferred to sleeping ones under both policies; when
 * all sleep, the policy picks among them and the caller wakes that one.
 *
 * Cascade: a request goes to a small model first; with probability
 * 1 - small_share its answer is not good enough and the request is sent
 * on to the large model (inside the data centre, so without a second
 * network round trip).  small_share is a property of the task and the
 * model pair and must come from the scenario (FrugalGPT, Chen, Zaharia and
 * Zou 2023, shows it varies widely) [no default].
 */
#ifndef DCSIM_DISPATCH_H
#define DCSIM_DISPATCH_H

#include <stdbool.h>
#include <gsl/gsl_rng.h>

#include "dcsim/serving.h"

typedef enum {
    DCS_DISPATCH_ROUND_ROBIN,
    DCS_DISPATCH_LEAST_LOADED
} dcs_dispatch_kind;

typedef struct dcs_dispatch {
    dcs_dispatch_kind kind;
    int cursor;                /* next replica in turn */
} dcs_dispatch;

/* Policy by its scenario name ("round_robin", "least_loaded"); false for
 * any other name (the loader lists the valid ones). */
bool dcs_dispatch_from_name(const char *name, dcs_dispatch *out);

/* Index of the replica for the next request among reps[0..n); -1 when
 * n < 1. */
int dcs_dispatch_pick(dcs_dispatch *d, dcs_replica *const *reps, int n);

typedef struct dcs_cascade {
    double small_share;        /* requests the small model answers well, [0, 1] */
} dcs_cascade;

/* Draw whether a request answered by the small model goes on to the large
 * one. */
bool dcs_cascade_escalate(const dcs_cascade *c, gsl_rng *rng);

/* The user's view of an escalated request: the small model's record (with
 * the user's network round trip) followed by the large model's record (sent
 * with network 0 and arrival = the small one's completion).  Queueing adds
 * up, TTFT is the small model's e2e plus the large one's TTFT, TPOT and
 * output are the large model's. */
dcs_request_done dcs_cascade_combine(const dcs_request_done *small,
                                     const dcs_request_done *large);

#endif
