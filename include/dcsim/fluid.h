/*
 * fluid.h - rate-based (fluid) model of a pool of LLM serving replicas over
 * one control period: the same metrics as the detailed replica (latency
 * histograms, SLO violations, power, tokens) from rates alone, so a year
 * runs in seconds.  The equations and their calibration against the
 * detailed replica are in models/workload/fluid.c and docs/workloads.md.
 *
 * Use: dcs_fluid_prepare once per (replica, token laws) - it finds the
 * replica's capacity, the expensive part (a few ms) - then
 * dcs_fluid_set_clock when a cap changes the clock (free for a clock seen
 * recently), and dcs_fluid_eval and dcs_fluid_record (or
 * dcs_fluid_violation_share) every control period with that period's rate.
 * The pool is assumed to dispatch least-loaded (dispatch.h).
 */
#ifndef DCSIM_FLUID_H
#define DCSIM_FLUID_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/lathist.h"
#include "dcsim/serving.h"
#include "dcsim/tokens.h"

/* Clock factors whose capacity a model remembers (dcs_fluid_set_clock). */
#define DCS_FLUID_CLOCK_MEMO 8

/* Token strata per law (see dcs_fluid_record). */
#define DCS_FLUID_STRATA 22

/* Queueing calibration (see fluid.c for how it was fitted). */
typedef struct dcs_fluid_calib {
    double wait_kappa;         /* weight of the rho * t extra wait term */
    double dispatch_balance;   /* share of perfect balancing that least-loaded
                                  dispatch reaches over a pool, [0, 1] */
} dcs_fluid_calib;

/* The calibration fitted against the detailed replica. */
void dcs_fluid_calib_default(dcs_fluid_calib *c);

/* Steady state of the pool for one period. */
typedef struct dcs_fluid_state {
    double rate_per_replica;   /* served req/s per replica */
    int replicas;
    int saturated;             /* 1: offered load above capacity */
    double util;               /* offered / capacity */
    double busy;               /* share of time with at least one request */
    double iter_s;             /* mean iteration time while busy */
    double decode_batch;       /* mean decoding requests while busy */
    double prefill_share;      /* share of iterations that prefill */
    double prefill_tokens;     /* mean prefill tokens of such an iteration */
    double iter_pre_s, iter_dec_s;   /* mean prefill / decode-only iteration */
    double a_pre, a_dec;       /* P(next iteration prefills | this one did / did not) */
    /* Prefill steps as a decoding request sees them: share of its steps
     * taken by prompts joining its replica, the probability that it
     * starts behind a prefill backlog and the backlog's mean length in
     * steps, and E[n^2] / E[n] of a prompt's chunk count n. */
    double seen_prefill_share, backlog_prob, backlog_steps, chunk_dispersion;
    double wait_s;             /* mean admission wait */
    double wait_fixed_s;       /* part of it every request sees */
    double wait_prob;          /* P(waiting in the prefill queue) */
    double wait_cond_s;        /* mean prefill-queue wait when waiting */
    double ttft_mean_s, tpot_s, e2e_mean_s;   /* per-request means over the token laws */
    double power_w;            /* mean power of the whole pool */
    double served_rate;        /* req/s completed by the pool */
    double dropped_rate;       /* req/s above capacity, counted as dropped */
    double tokens_rate;        /* output tokens/s of the pool */
} dcs_fluid_state;

/* States remembered by dcs_fluid_eval_memo (direct-mapped). */
#define DCS_FLUID_EVAL_MEMO 1024

/* Relative step of the grid of rate per replica that dcs_fluid_eval_memo
 * snaps to (0.1 %). */
#define DCS_FLUID_MEMO_STEP 1e-3

/* Request counts per caller region a memo entry can hold back. */
#define DCS_FLUID_MEMO_REGIONS 8

typedef struct dcs_fluid_memo_entry {
    double clock;              /* 0: empty */
    int replicas;
    int64_t cell;              /* grid index of the rate per replica */
    dcs_fluid_state st;        /* dcs_fluid_eval at the grid rate */
    /* Served requests of this state not yet recorded, per caller region
     * (the caller's bookkeeping: histograms are linear in the request
     * count, so a caller may record a state's requests once, later). */
    double pending[DCS_FLUID_MEMO_REGIONS];
    /* The caller's SLO share of this state per region, NaN until it sets
     * it (dcs_fluid_violation_share does not depend on the rate, so a
     * caller with fixed SLOs and round trips per region may keep it). */
    double viol[DCS_FLUID_MEMO_REGIONS];
} dcs_fluid_memo_entry;

typedef struct dcs_fluid_model {
    dcs_serving_params p;
    dcs_fluid_calib calib;
    dcs_token_dist prompt, output;
    double clock;
    double mean_prompt;        /* tokens, of the clamped law */
    double mean_output;
    double mean_chunks;        /* prefill iterations per request, E ceil(P / chunk) */
    double chunk_dispersion;   /* E[n^2] / E[n] of that count n */
    double mean_ctx;           /* KV tokens of a decoding request, length-biased */
    double capacity_rate;      /* highest sustainable req/s per replica */
    /* Strata (see dcs_fluid_record): weights and token counts. */
    double strata_w[DCS_FLUID_STRATA];
    double strata_prompt[DCS_FLUID_STRATA];
    double strata_output[DCS_FLUID_STRATA];
    /* Capacities found so far per clock (dcs_fluid_set_clock). */
    int memo_n, memo_next;
    double memo_clock[DCS_FLUID_CLOCK_MEMO], memo_capacity[DCS_FLUID_CLOCK_MEMO];
    /* Steady states found so far (dcs_fluid_eval_memo); emptied by
     * dcs_fluid_prepare. */
    dcs_fluid_memo_entry eval_memo[DCS_FLUID_EVAL_MEMO];
} dcs_fluid_model;

/* Prepare m (copies everything).  clock in (0, 1]. */
void dcs_fluid_prepare(dcs_fluid_model *m, const dcs_serving_params *p,
                       const dcs_fluid_calib *c, const dcs_token_dist *prompt,
                       const dcs_token_dist *output, double clock);

/* Move a prepared model to another clock factor in (0, 1]: the same as
 * dcs_fluid_prepare with that clock (only the capacity depends on it),
 * but the capacity of the last DCS_FLUID_CLOCK_MEMO clocks is remembered,
 * so a power cap that switches between a few clocks costs nothing after
 * the first time (a prepare costs about 1 ms, most of it the capacity
 * search; docs/workloads.md). */
void dcs_fluid_set_clock(dcs_fluid_model *m, double clock);


/* Steady state for `rate` req/s over a pool of `replicas` (>= 1) behind
 * least-loaded dispatch (rate_per_replica = rate / replicas; idle
 * replicas are started first, prompts partly steered away from busy
 * chunk budgets).  Load above capacity is served at capacity and the
 * rest counted as dropped (the detailed model's bounded queue drops it
 * too, later). */
void dcs_fluid_eval(const dcs_fluid_model *m, double rate, int replicas,
                    dcs_fluid_state *out);

/* dcs_fluid_eval with the rate per replica snapped to a geometric grid of
 * step DCS_FLUID_MEMO_STEP (at most 0.05 % away) and the state at each
 * grid rate remembered in m, so a long run pays one solve per distinct
 * (clock, replicas, grid rate) instead of one per period.  The
 * rate-proportional outputs (rate_per_replica, served_rate, dropped_rate,
 * tokens_rate, util) are those of the exact rate; the rest (latencies,
 * power, busy share) those of the grid rate.  Returns the entry that now
 * holds the state (its pending counts start at 0 and its viol at NaN
 * when it is new).  When
 * that entry held another state with pending requests, it is copied to
 * *evicted first (evicted->clock is 0 otherwise; evicted may be NULL). */
dcs_fluid_memo_entry *dcs_fluid_eval_memo(dcs_fluid_model *m, double rate, int replicas,
                                          dcs_fluid_state *out, dcs_fluid_memo_entry *evicted);

/* TTFT, time of the decode phase, and e2e (s, without network) of a
 * request with the given token counts in state st, at the mean wait. */
double dcs_fluid_decode_s(const dcs_fluid_state *st, double output_tokens);
double dcs_fluid_ttft_s(const dcs_fluid_model *m, const dcs_fluid_state *st,
                        double prompt_tokens);
double dcs_fluid_e2e_s(const dcs_fluid_model *m, const dcs_fluid_state *st,
                       double prompt_tokens, double output_tokens);

/* Standard deviation (s) of the decode phase of a request with
 * output_tokens tokens: how many of its steps are prefill iterations of
 * other prompts varies (a two-state chain with runs of prefill steps). */
double dcs_fluid_decode_sd_s(const dcs_fluid_state *st, double output_tokens);

/* Share in [0, 1] of the served requests of state st that break an SLO
 * (TTFT above slo_ttft_s or e2e above slo_e2e_s, network_s included; an
 * SLO <= 0 is not checked): over the (prompt, output) strata, with the
 * random prefill-queue wait (none with probability wait_prob, else
 * exponential) and a normal decode time (dcs_fluid_decode_s,
 * dcs_fluid_decode_sd_s).  Not rounded: callers that accumulate many
 * short periods should sum share x requests rather than rounded counts. */
double dcs_fluid_violation_share(const dcs_fluid_model *m, const dcs_fluid_state *st,
                                 double network_s, double slo_ttft_s, double slo_e2e_s);

/* Add one period of period_s to the histograms (either may be NULL): the
 * served requests over a grid of (prompt, output, wait) strata - token
 * strata in probability, finer in the tails (edges 0, 0.1, ..., 0.8, 0.85,
 * 0.9, 0.925, 0.95, 0.96, 0.97, 0.98, 0.985, 0.99, 0.993, 0.996, 0.998,
 * 0.999, 1), and three wait strata (no prefill-queue wait, and the lower
 * 80 % and upper 20 % of an exponential wait) - each cell getting its
 * probability's share of the requests (integer counts that add up),
 * latencies plus network_s; in the e2e histogram half of a cell's
 * requests lie one decode-time sd (dcs_fluid_decode_sd_s) below its mean
 * and half one above.  Returns how many of them broke an SLO (TTFT
 * above slo_ttft_s or e2e above slo_e2e_s; an SLO <= 0 is not checked):
 * dcs_fluid_violation_share times the period's requests, rounded to a
 * whole number. */
uint64_t dcs_fluid_record(const dcs_fluid_model *m, const dcs_fluid_state *st,
                          double period_s, double network_s,
                          double slo_ttft_s, double slo_e2e_s,
                          dcs_lathist *ttft, dcs_lathist *e2e);

/* Add one period of period_s to a TPOT histogram: the served requests
 * with more than one output token, over the output strata of
 * dcs_fluid_record (integer counts that add up, by cumulative rounding of
 * the strata shares times the period's requests), each at its time per
 * output token D(O') / (O' - 1) (dcs_fluid_decode_s), half one
 * decode-time sd (dcs_fluid_decode_sd_s, per token) below and half above,
 * as the e2e histogram spreads them.  Returns the requests recorded. */
uint64_t dcs_fluid_record_tpot(const dcs_fluid_model *m, const dcs_fluid_state *st,
                               double period_s, dcs_lathist *tpot);

/* A state's e2e latency distribution on the latency histogram's bins
 * (lathist.h), for quantiles of a period over several pools without
 * recording the period's requests: the cells of dcs_fluid_record's e2e
 * histogram with their exact shares (not rounded to whole requests),
 * as cumulative shares of the bins lo .. lo + n - 1 (bin -1 is the
 * underflow, DCS_LATHIST_NBINS the overflow).  A zeroed struct is empty;
 * dcs_fluid_e2e_dist (re)allocates cum, dcs_fluid_dist_free releases it. */
typedef struct dcs_fluid_dist {
    int lo, n, cap;            /* first bin, bins held, room in cum */
    float *cum;                /* cum[i]: share in bins lo .. lo + i; cum[n-1] = 1 */
    double min_s, max_s;       /* smallest and largest cell value */
} dcs_fluid_dist;

/* Fill d with the e2e distribution (seconds, plus network_s) of the
 * served requests of state st.  Costs what one dcs_fluid_record costs
 * (one bin lookup per cell), so a caller keeps it per remembered state.
 * Returns false (d left empty) when memory is exhausted. */
bool dcs_fluid_e2e_dist(const dcs_fluid_model *m, const dcs_fluid_state *st,
                        double network_s, dcs_fluid_dist *d);

/* Release d's storage and empty it. */
void dcs_fluid_dist_free(dcs_fluid_dist *d);

/* Quantile q in [0, 1] (seconds) of the mixture of n distributions with
 * weights w[k] (request counts; empty ones and weights <= 0 ignored): the
 * smallest bin whose cumulative weight reaches q x the total, reported
 * as dcs_lathist_quantile_s reports a bin (its geometric centre, clamped
 * to the mixture's min and max; the under- and overflow bins give min and
 * max).  O(n log bins).  NaN when the total weight is 0. */
double dcs_fluid_dist_quantile_s(const dcs_fluid_dist *const *d, const double *w, int n,
                                 double q);

#endif
