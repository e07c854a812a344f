/*
 * replica.c - a continuous-batching LLM serving replica as an event-driven
 * state machine (contract in include/dcsim/serving.h).
 *
 * Each iteration (Orca-style iteration-level scheduling; Yu et al., OSDI
 * 2022, as in vLLM):
 *   1. queued requests join the batch in arrival order while a slot is free
 *      and the KV cache can hold their whole prompt + output; the first that
 *      does not fit stops admission (no overtaking);
 *   2. every request past its prefill decodes one token;
 *   3. requests still in prefill get chunks, oldest first, up to
 *      prefill_chunk_tokens in total (chunked prefill, so a long prompt
 *      does not stall the decodes of the batch; decode tokens come on top
 *      of the chunk budget);
 *   4. the iteration costs dcs_serving_iter_cost over all these tokens,
 *      reading the KV cache of every request in the batch.
 * The iteration that completes a prompt also yields its first output token
 * (TTFT); each later iteration yields one more; the request leaves when it
 * has all its output tokens.
 *
 * Simplification: KV space for the whole output is reserved at admission,
 * so the batch never has to preempt and recompute (vLLM allocates pages on
 * demand and preempts instead); batches are therefore somewhat smaller than
 * vLLM's at the same memory.
 *
 * All storage (queue ring and batch slots) is allocated in
 * dcs_replica_alloc; nothing is allocated per event.
 */
#include "dcsim/serving.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

typedef struct slot {
    dcs_request req;
    dcs_time admitted;
    dcs_time first_token;
    int32_t prefilled;     /* prompt tokens in the KV cache */
    int32_t generated;     /* output tokens produced */
    int32_t chunk;         /* prefill tokens in the running iteration */
    int32_t decoding;      /* 1 when decoding in the running iteration */
} slot;

struct dcs_replica {
    dcs_serving_params p;
    int64_t kv_capacity;   /* tokens */
    int64_t kv_used;       /* reserved by the batch */
    double clock;
    /* waiting requests: ring of queue_capacity */
    dcs_request *queue;
    int q_head, q_len;
    /* the batch, in admission order */
    slot *batch;
    int running;
    int busy;              /* an iteration is in progress */
};

dcs_status dcs_replica_alloc(const dcs_serving_params *p, dcs_replica **out)
{
    *out = NULL;
    if (dcs_serving_params_problem(p))
        return DCS_EINPUT;
    dcs_replica *r = calloc(1, sizeof *r);
    if (!r)
        return DCS_ENOMEM;
    r->p = *p;
    r->queue = calloc((size_t)p->queue_capacity, sizeof *r->queue);
    r->batch = calloc((size_t)p->max_batch, sizeof *r->batch);
    if (!r->queue || !r->batch) {
        dcs_replica_free(r);
        return DCS_ENOMEM;
    }
    r->kv_capacity = dcs_serving_kv_capacity_tokens(p);
    r->clock = 1.0;
    *out = r;
    return DCS_OK;
}

void dcs_replica_free(dcs_replica *r)
{
    if (!r)
        return;
    free(r->queue);
    free(r->batch);
    free(r);
}

static int64_t kv_need(const dcs_request *q)
{
    return (int64_t)q->prompt_tokens + q->output_tokens;
}

bool dcs_replica_admit(dcs_replica *r, const dcs_request *req)
{
    assert(req->prompt_tokens >= 1 && req->output_tokens >= 1);
    if (r->q_len == r->p.queue_capacity || kv_need(req) > r->kv_capacity)
        return false;
    int tail = (r->q_head + r->q_len) % r->p.queue_capacity;
    r->queue[tail] = *req;
    r->q_len++;
    return true;
}

void dcs_replica_set_clock(dcs_replica *r, double clock)
{
    assert(clock > 0.0 && clock <= 1.0);
    r->clock = clock;
}

/* Move queued requests into the batch while they fit, in arrival order. */
static void admit_from_queue(dcs_replica *r, dcs_time now)
{
    while (r->q_len > 0 && r->running < r->p.max_batch) {
        const dcs_request *q = &r->queue[r->q_head];
        if (r->kv_used + kv_need(q) > r->kv_capacity)
            break;
        slot *s = &r->batch[r->running++];
        *s = (slot){.req = *q, .admitted = now, .first_token = -1};
        r->kv_used += kv_need(q);
        r->q_head = (r->q_head + 1) % r->p.queue_capacity;
        r->q_len--;
    }
}

bool dcs_replica_start_iteration(dcs_replica *r, dcs_time now, dcs_iteration *it)
{
    assert(!r->busy);
    admit_from_queue(r, now);
    if (r->running == 0)
        return false;
    int32_t budget = r->p.prefill_chunk_tokens;
    int32_t prefill = 0, decode = 0;
    double kv_read = 0.0;
    for (int i = 0; i < r->running; i++) {
        slot *s = &r->batch[i];
        s->chunk = 0;
        s->decoding = 0;
        if (s->prefilled == s->req.prompt_tokens) {
            s->decoding = 1;
            decode++;
            /* Attention reads the prompt and the tokens generated so far. */
            kv_read += (double)s->req.prompt_tokens + s->generated;
        } else if (budget > 0) {
            int32_t left = s->req.prompt_tokens - s->prefilled;
            s->chunk = left < budget ? left : budget;
            budget -= s->chunk;
            prefill += s->chunk;
            kv_read += (double)s->prefilled + s->chunk;
        }
    }
    assert(prefill + decode > 0);
    dcs_iteration x = {.prefill_tokens = prefill, .decode_tokens = decode,
                       .batch = r->running};
    dcs_serving_iter_cost(&r->p, (double)(prefill + decode), kv_read, r->clock, &x.cost);
    double ns = nearbyint(x.cost.time_s * 1e9);
    x.duration = ns < 1.0 ? 1 : (dcs_time)ns;
    x.power_w = x.cost.power_w;
    *it = x;
    r->busy = 1;
    return true;
}

int dcs_replica_finish_iteration(dcs_replica *r, dcs_time now,
                                 dcs_request_done *done, int cap)
{
    assert(r->busy);
    r->busy = 0;
    int ndone = 0, kept = 0;
    for (int i = 0; i < r->running; i++) {
        slot s = r->batch[i];
        if (s.chunk > 0) {
            s.prefilled += s.chunk;
            if (s.prefilled == s.req.prompt_tokens) {
                s.generated = 1;          /* prefill yields the first token */
                s.first_token = now;
            }
        } else if (s.decoding) {
            s.generated++;
        }
        if (s.generated >= s.req.output_tokens) {
            r->kv_used -= kv_need(&s.req);
            if (ndone < cap) {
                double net = dcs_time_to_s(s.req.network);
                done[ndone] = (dcs_request_done){
                    .id = s.req.id, .tag = s.req.tag,
                    .prompt_tokens = s.req.prompt_tokens,
                    .output_tokens = s.req.output_tokens,
                    .queue_s = dcs_time_to_s(s.admitted - s.req.arrival),
                    .ttft_s = net + dcs_time_to_s(s.first_token - s.req.arrival),
                    .tpot_s = s.req.output_tokens > 1
                        ? dcs_time_to_s(now - s.first_token) / (s.req.output_tokens - 1)
                        : 0.0,
                    .e2e_s = net + dcs_time_to_s(now - s.req.arrival),
                };
            }
            ndone++;
        } else {
            r->batch[kept++] = s;         /* keep admission order */
        }
    }
    r->running = kept;
    return ndone < cap ? ndone : cap;
}

int dcs_replica_queued(const dcs_replica *r) { return r->q_len; }
int dcs_replica_running(const dcs_replica *r) { return r->running; }
int64_t dcs_replica_kv_used_tokens(const dcs_replica *r) { return r->kv_used; }
const dcs_serving_params *dcs_replica_params(const dcs_replica *r) { return &r->p; }
