/*
 * serving.h - LLM inference serving: the cost of one batch iteration and a
 * continuous-batching replica driven by events.
 *
 * A replica is one copy of a model spread over `gpus` GPUs (tensor
 * parallel).  Every iteration runs one forward pass over T tokens: the
 * prefill tokens admitted in this iteration plus one decode token for every
 * running request.  Its time is the larger of
 *   compute_s = 2 * active_params * T / (peak_flops * compute_eff * gpus)
 *   memory_s  = (weight_bytes + kv_tokens * kv_bytes_per_token)
 *               / (mem_bw * mem_eff * gpus)
 * plus a fixed per-iteration overhead.  The replica is a state machine the
 * engine drives with events and that allocates nothing after alloc:
 *   admit(request)            a request reaches the replica (or is dropped)
 *   start_iteration(now)      -> duration and power of the next iteration
 *   finish_iteration(now)     -> the requests that completed in it
 * The equations, their sources and simplifications are in
 * models/workload/serving_cost.c and docs/workloads.md.
 */
#ifndef DCSIM_SERVING_H
#define DCSIM_SERVING_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/time.h"

/* A model variant (catalog `models:` entry), SI units. */
typedef struct dcs_llm_model {
    double params;             /* total parameters (weights held in HBM) */
    double active_params;      /* parameters used per token (MoE < params) */
    double bytes_per_weight;   /* 2 bf16, 1 fp8/int8, 0.5 int4 */
    double kv_bytes_per_token; /* K and V of one token over all layers */
} dcs_llm_model;

/* One accelerator as serving sees it (the facility's accelerator catalog
 * supplies these numbers). */
typedef struct dcs_gpu_spec {
    double peak_flops;         /* dense BF16 FLOP/s */
    double mem_bw_byte_s;      /* HBM bandwidth, bytes/s */
    double mem_bytes;          /* HBM capacity, bytes */
    double idle_w;             /* board power with nothing running */
    double max_w;              /* board power limit (TDP) */
} dcs_gpu_spec;

typedef struct dcs_serving_params {
    dcs_llm_model model;
    dcs_gpu_spec gpu;
    int gpus;                  /* GPUs per replica */
    double compute_eff;        /* achieved / peak FLOP/s in matmuls */
    double mem_eff;            /* achieved / peak HBM bandwidth */
    double mem_usable_frac;    /* HBM share for weights + KV cache */
    int max_batch;             /* running requests; 1 = no batching */
    int prefill_chunk_tokens;  /* prefill token budget per iteration */
    int queue_capacity;        /* waiting requests; more are dropped */
    double iter_overhead_s;    /* scheduler + launch cost per iteration */
    double power_compute_frac; /* share of (max - idle) drawn compute-bound */
    double power_memory_frac;  /* share of (max - idle) drawn memory-bound */
    double clock_power_exp;    /* compute power ~ clock^exp */
    double mem_clock_sens;     /* memory-bound slowdown per unit clock drop */
    double wake_s;             /* scale from zero: reload weights and start */
    double sleep_w;            /* per GPU while scaled to zero */
} dcs_serving_params;

/* Defaults for everything but model, gpu and gpus (sources in
 * serving_cost.c): compute_eff 0.5, mem_eff 0.8, mem_usable_frac 0.9,
 * max_batch 256, prefill_chunk_tokens 2048, queue_capacity 4096,
 * iter_overhead_s 0, power fractions 1.0 and 0.3, clock_power_exp 3,
 * mem_clock_sens 0.1, wake_s 30, sleep_w 0. */
void dcs_serving_params_default(dcs_serving_params *p);

/* NULL when p is usable, else a static sentence saying what is wrong (for
 * the scenario validator to place at the workload's location). */
const char *dcs_serving_params_problem(const dcs_serving_params *p);

/* K and V bytes of one token: layers * 2 * kv_dim * bytes_per_elem, where
 * kv_dim = kv_heads * head_dim (= hidden size without grouped-query
 * attention). */
double dcs_serving_kv_bytes_per_token(int layers, int kv_dim, double bytes_per_elem);

/* Weight bytes of the whole model: params * bytes_per_weight. */
double dcs_serving_weight_bytes(const dcs_llm_model *m);

/* Tokens of KV cache a replica holds:
 * (gpus * mem_bytes * mem_usable_frac - weight_bytes) / kv_bytes_per_token,
 * floored; 0 when the weights do not fit. */
int64_t dcs_serving_kv_capacity_tokens(const dcs_serving_params *p);

/* Cost of one iteration over `tokens` tokens that reads `kv_tokens` tokens
 * of KV cache, at clock factor `clock` in (0, 1] (1 = full clock). */
typedef struct dcs_iter_cost {
    double compute_s;          /* after the clock factor */
    double memory_s;           /* after the clock factor */
    double time_s;             /* max(compute, memory) + overhead */
    double power_w;            /* replica (all its GPUs) during the iteration */
} dcs_iter_cost;
/* Fill *out with the cost of that iteration (pure; no state). */
void dcs_serving_iter_cost(const dcs_serving_params *p, double tokens,
                           double kv_tokens, double clock, dcs_iter_cost *out);

/* Replica power with no work (gpus * idle_w). */
double dcs_serving_idle_power_w(const dcs_serving_params *p);

/* Largest clock factor in (0, 1] whose compute-bound power per GPU stays
 * within cap_w: idle + (max - idle) * power_compute_frac * clock^exp <= cap.
 * 1 when the cap does not bind; a floor of 0.1 when it is below idle. */
double dcs_serving_clock_for_cap(const dcs_serving_params *p, double cap_w);

/* A request as it reaches a replica. */
typedef struct dcs_request {
    uint64_t id;
    dcs_time arrival;          /* reaches the replica */
    dcs_time network;          /* user round trip, added to TTFT and e2e */
    int32_t prompt_tokens;     /* >= 1 */
    int32_t output_tokens;     /* >= 1 (the first comes out of prefill) */
    int32_t tag;               /* caller's class (workload index), copied */
} dcs_request;

/* A completed request and its latencies (seconds). */
typedef struct dcs_request_done {
    uint64_t id;
    int32_t tag;
    int32_t prompt_tokens, output_tokens;
    double queue_s;            /* arrival to admission into the batch */
    double ttft_s;             /* network + arrival to first token */
    double tpot_s;             /* (last - first token) / (output - 1); 0 if 1 */
    double e2e_s;              /* network + arrival to last token */
} dcs_request_done;

/* What start_iteration decided. */
typedef struct dcs_iteration {
    dcs_time duration;         /* ns, >= 1 */
    double power_w;            /* replica power for the duration */
    int32_t prefill_tokens;    /* processed in this iteration */
    int32_t decode_tokens;     /* one per request past its prefill */
    int32_t batch;             /* running requests */
    dcs_iter_cost cost;
} dcs_iteration;

typedef struct dcs_replica dcs_replica;

/* A replica for p (copied).  Allocates its queue and batch slots once.
 * DCS_EINPUT when dcs_serving_params_problem(p) is not NULL, DCS_ENOMEM. */
dcs_status dcs_replica_alloc(const dcs_serving_params *p, dcs_replica **out);
/* Free r; NULL is a no-op. */
void dcs_replica_free(dcs_replica *r);

/* Queue a request.  false (dropped) when the queue is full or the request
 * could never fit the KV cache on its own (prompt + output > capacity). */
bool dcs_replica_admit(dcs_replica *r, const dcs_request *req);

/* Set the clock factor in (0, 1] used from the next iteration on (power
 * capping and DVFS policies). */
void dcs_replica_set_clock(dcs_replica *r, double clock);

/* Begin the next iteration at now: move queued requests into the batch
 * while slots and KV cache allow (FIFO, no overtaking), schedule one decode
 * token per running request and prefill chunks up to the token budget.
 * Returns false (and leaves *it alone) when there is no work: the replica is
 * idle until the next admit.  Must not be called while an iteration runs. */
bool dcs_replica_start_iteration(dcs_replica *r, dcs_time now, dcs_iteration *it);

/* End the running iteration at now (= start + duration): advance every
 * request, write those that finished into done[0..cap) and return their
 * number (cap >= max_batch never truncates). */
int dcs_replica_finish_iteration(dcs_replica *r, dcs_time now,
                                 dcs_request_done *done, int cap);

/* Scale to zero.  dcs_replica_sleep powers an idle replica down (false,
 * and nothing changes, unless no request is queued, running or in an
 * iteration).  Requests may still be admitted while it sleeps; they wait.
 * dcs_replica_wake starts it again and returns the time it is ready
 * (now + wake_s; the earlier ready time if already waking; now if awake):
 * start_iteration returns false until then, so the caller schedules an
 * event at the returned time. */
bool dcs_replica_sleep(dcs_replica *r);
dcs_time dcs_replica_wake(dcs_replica *r, dcs_time now);
bool dcs_replica_awake(const dcs_replica *r);

/* Power between iterations: gpus * sleep_w asleep, gpus * idle_w awake or
 * waking (reloading weights keeps the boards at about idle). */
double dcs_replica_idle_power_w(const dcs_replica *r);

/* Switching a replica's GPUs to another model (docs/fallback.md): move
 * every waiting request of `from` to the end of `to`'s queue, in order,
 * and return how many `to` refused (its queue full or a request beyond
 * its KV capacity; the caller counts them dropped).  Running requests
 * stay in `from`. */
int dcs_replica_move_queue(dcs_replica *from, dcs_replica *to);
/* Unload r's weights: asleep from any power state (also while waking,
 * which dcs_replica_sleep refuses), so the next wake pays wake_s again.
 * false, and nothing changes, unless no request is queued, running or in
 * an iteration. */
bool dcs_replica_unload(dcs_replica *r);

int dcs_replica_queued(const dcs_replica *r);      /* waiting requests */
int dcs_replica_running(const dcs_replica *r);     /* in the batch */
/* queued + running in one call (least-loaded dispatch reads it for every
 * replica of a pool at every arrival). */
int dcs_replica_outstanding(const dcs_replica *r);
int64_t dcs_replica_kv_used_tokens(const dcs_replica *r);

/* Dispatch's scan (dispatch.h): over reps[first], reps[first + 1], ...,
 * cyclically through all n (0 <= first < n), the index of the first
 * replica with the least key (asleep, load), awake ones first, where load
 * is queued + running when by_load and 0 otherwise.  Here rather than in
 * dispatch.c so that each replica's fields are read without two calls
 * (the scan runs over every replica of a pool at every arrival). */
int dcs_replica_scan_least(dcs_replica *const *reps, int n, int first, bool by_load);
const dcs_serving_params *dcs_replica_params(const dcs_replica *r);

#endif
