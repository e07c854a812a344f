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
 * Why the bookkeeping is lazy: a decoding request changes in the same way
 * every iteration (one more token), so the replica keeps only the number
 * of decoders, the sum of their contexts, and a min-heap of the iteration
 * at which each one finishes.  An iteration then costs O(requests in
 * prefill + log(batch) per completion) instead of O(batch): a request
 * with 200 output tokens is touched a handful of times, not 200.
 *
 * Simplification: KV space for the whole output is reserved at admission,
 * so the batch never has to preempt and recompute (vLLM allocates pages on
 * demand and preempts instead); batches are therefore somewhat smaller than
 * vLLM's at the same memory.
 *
 * Scale to zero: an idle replica may sleep; a sleeping replica queues what
 * arrives and serves nothing until woken and wake_s has passed.
 *
 * All storage (queue ring, slots, prefill ring, heap) is allocated in
 * dcs_replica_alloc; nothing is allocated per event.
 *
 * Speed (the detailed mode runs one event per iteration, ~25 per request):
 * what an iteration reads sits on the first cache lines of the replica,
 * the cost's constant factors are prepared once per clock, the heap holds
 * its keys, and no step changes a result (the same operations in the same
 * order as dcs_serving_iter_cost; tests/test_serving.c compares the bits).
 */
#include "dcsim/serving.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    dcs_request req;
    dcs_time admitted;
    dcs_time first_token;
    uint64_t seq;          /* admission order, breaks heap ties */
    int32_t prefilled;     /* prompt tokens in the KV cache */
    int32_t chunk;         /* prefill tokens in the running iteration */
} slot;

/* A decoder in the finish heap.  The key sits in the entry so that
 * ordering the heap reads only the heap array, not the slots (with ~100
 * replicas per LP the slots are rarely in cache). */
typedef struct hent {
    int64_t finish_iter;   /* iteration whose end yields the last token */
    uint64_t seq;          /* the slot's admission order, breaks ties */
    int s;                 /* slot index */
} hent;

/* What an iteration's cost needs: dcs_serving_iter_cost's factors,
 * computed once per clock with the same operations in the same order, so
 * iter_cost below gives the same bits as dcs_serving_iter_cost without
 * recomputing constant products and pow(f, x) every iteration, and without
 * reading the whole parameter block (kept next to the hot state: with ~100
 * replicas per LP a replica is rarely in cache when its event comes). */
typedef struct cost_consts {
    double clock;          /* f they were computed for */
    double g;              /* GPUs */
    double flops2;         /* 2 * active_params */
    double compute_div;    /* peak_flops * compute_eff * g * f */
    double weight_b;       /* weight bytes */
    double kv_b;           /* KV bytes per token */
    double mem_div;        /* mem_bw * mem_eff * g */
    double mem_slow;       /* 1 - s (1 - f) */
    double overhead_s;     /* per iteration */
    double pc, pm;         /* power_compute_frac, power_memory_frac */
    double pow_f;          /* f^clock_power_exp */
    double idle_w, span_w; /* idle, max - idle */
} cost_consts;

struct dcs_replica {
    /* Hot state first: an iteration touches these few cache lines. */
    cost_consts cc;
    int64_t iter;          /* index of the current (or last) iteration */
    int64_t next_finish;   /* heap top's finish_iter; INT64_MAX when empty */
    double decode_ctx;     /* sum of prompt + generated over decoders */
    int max_batch, chunk_tokens, queue_capacity;   /* copies of p's */
    int n_heap;
    int pre_head, pre_len;
    int pre_active;        /* how many of them got a chunk this iteration */
    int q_head, q_len;
    int running;
    int busy;              /* an iteration is in progress */
    enum { AWAKE, ASLEEP, WAKING } power;
    int n_free;
    int64_t kv_capacity;   /* tokens */
    int64_t kv_used;       /* reserved by the batch */
    hent *heap;
    int *pre;              /* requests in prefill, admission order: ring of max_batch */
    slot *slots;
    dcs_request *queue;    /* waiting requests: ring of queue_capacity */
    int *free_list;
    uint64_t seq;
    dcs_time ready_at;     /* when WAKING */
    dcs_serving_params p;
};

static void cost_prepare(dcs_replica *r, double clock)
{
    const dcs_serving_params *p = &r->p;
    double g = (double)p->gpus;
    double f = clock > 1.0 ? 1.0 : clock;
    r->cc = (cost_consts){
        .clock = clock,
        .g = g,
        .flops2 = 2.0 * p->model.active_params,
        .compute_div = p->gpu.peak_flops * p->compute_eff * g * f,
        .weight_b = dcs_serving_weight_bytes(&p->model),
        .kv_b = p->model.kv_bytes_per_token,
        .mem_div = p->gpu.mem_bw_byte_s * p->mem_eff * g,
        .mem_slow = 1.0 - p->mem_clock_sens * (1.0 - f),
        .overhead_s = p->iter_overhead_s,
        .pc = p->power_compute_frac,
        .pm = p->power_memory_frac,
        .pow_f = pow(f, p->clock_power_exp),
        .idle_w = p->gpu.idle_w,
        .span_w = p->gpu.max_w - p->gpu.idle_w,
    };
}

/* (i mod n) for 0 <= i < 2n: the ring indices, without a division. */
static int wrap(int i, int n) { return i >= n ? i - n : i; }

/* fmax for numbers that are never NaN (times and shares here). */
static double max2(double a, double b) { return a > b ? a : b; }

/* dcs_serving_iter_cost with the constants of r->cc (same arithmetic). */
static void iter_cost(const dcs_replica *r, double tokens, double kv_tokens,
                      dcs_iter_cost *out)
{
    const cost_consts *c = &r->cc;
    out->compute_s = c->flops2 * tokens / c->compute_div;
    double bytes = c->weight_b + kv_tokens * c->kv_b;
    /* Divisions are most of the cost here and each one waits for the
     * last; x / 1 and x / x are exactly x and 1, so those are skipped (at
     * full clock mem_slow is exactly 1; with no overhead one of the two
     * shares is exactly 1). */
    double m = bytes / c->mem_div;
    out->memory_s = c->mem_slow == 1.0 ? m : m / c->mem_slow;
    out->time_s = max2(out->compute_s, out->memory_s) + c->overhead_s;
    double uc = out->time_s == out->compute_s ? 1.0 : out->compute_s / out->time_s;
    double um = out->time_s == out->memory_s ? 1.0 : out->memory_s / out->time_s;
    double dyn = max2(c->pc * uc * c->pow_f, c->pm * um);
    if (dyn > 1.0)
        dyn = 1.0;
    out->power_w = c->g * (c->idle_w + c->span_w * dyn);
}

/* nearbyint(x) for 0 <= x in the default rounding mode, without a library
 * call: adding and removing 2^52 rounds to an integer, ties to even, exactly
 * as nearbyint does; from 2^52 on every double is already an integer. */
static double round_ns(double x)
{
    const double two52 = 4503599627370496.0;
    return x < two52 ? (x + two52) - two52 : x;
}

dcs_status dcs_replica_alloc(const dcs_serving_params *p, dcs_replica **out)
{
    *out = NULL;
    if (dcs_serving_params_problem(p))
        return DCS_EINPUT;
    /* On a 128-byte boundary, so the hot state spans as few lines as it
     * can and its first two lines are one pair for the adjacent-line
     * prefetcher. */
    size_t bytes = (sizeof(dcs_replica) + 127) / 128 * 128;
    dcs_replica *r = aligned_alloc(128, bytes);
    if (!r)
        return DCS_ENOMEM;
    memset(r, 0, bytes);
    r->p = *p;
    size_t nb = (size_t)p->max_batch;
    r->queue = calloc((size_t)p->queue_capacity, sizeof *r->queue);
    r->slots = calloc(nb, sizeof *r->slots);
    r->free_list = calloc(nb, sizeof *r->free_list);
    r->pre = calloc(nb, sizeof *r->pre);
    r->heap = calloc(nb, sizeof *r->heap);
    if (!r->queue || !r->slots || !r->free_list || !r->pre || !r->heap) {
        dcs_replica_free(r);
        return DCS_ENOMEM;
    }
    for (int i = 0; i < p->max_batch; i++)
        r->free_list[i] = p->max_batch - 1 - i;
    r->n_free = p->max_batch;
    r->kv_capacity = dcs_serving_kv_capacity_tokens(p);
    r->next_finish = INT64_MAX;
    r->max_batch = p->max_batch;
    r->chunk_tokens = p->prefill_chunk_tokens;
    r->queue_capacity = p->queue_capacity;
    cost_prepare(r, 1.0);
    *out = r;
    return DCS_OK;
}

void dcs_replica_free(dcs_replica *r)
{
    if (!r)
        return;
    free(r->queue);
    free(r->slots);
    free(r->free_list);
    free(r->pre);
    free(r->heap);
    free(r);
}

static int64_t kv_need(const dcs_request *q)
{
    return (int64_t)q->prompt_tokens + q->output_tokens;
}

bool dcs_replica_admit(dcs_replica *r, const dcs_request *req)
{
    assert(req->prompt_tokens >= 1 && req->output_tokens >= 1);
    if (r->q_len == r->queue_capacity || kv_need(req) > r->kv_capacity)
        return false;
    int tail = wrap(r->q_head + r->q_len, r->queue_capacity);
    r->queue[tail] = *req;
    r->q_len++;
    return true;
}

void dcs_replica_set_clock(dcs_replica *r, double clock)
{
    assert(clock > 0.0 && clock <= 1.0);
    if (clock != r->cc.clock)
        cost_prepare(r, clock);
}

/* Min-heap of decoders ordered by (finish_iter, seq). */
static bool heap_less(const hent *x, const hent *y)
{
    return x->finish_iter < y->finish_iter
        || (x->finish_iter == y->finish_iter && x->seq < y->seq);
}

static void heap_push(dcs_replica *r, hent e)
{
    int i = r->n_heap++;
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (!heap_less(&e, &r->heap[parent]))
            break;
        r->heap[i] = r->heap[parent];
        i = parent;
    }
    r->heap[i] = e;
    r->next_finish = r->heap[0].finish_iter;
}

static int heap_pop(dcs_replica *r)
{
    int top = r->heap[0].s;
    hent last = r->heap[--r->n_heap];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= r->n_heap)
            break;
        if (c + 1 < r->n_heap && heap_less(&r->heap[c + 1], &r->heap[c]))
            c++;
        if (!heap_less(&r->heap[c], &last))
            break;
        r->heap[i] = r->heap[c];
        i = c;
    }
    if (r->n_heap > 0)
        r->heap[i] = last;
    r->next_finish = r->n_heap > 0 ? r->heap[0].finish_iter : INT64_MAX;
    return top;
}

/* Move queued requests into the batch while they fit, in arrival order. */
static void admit_from_queue(dcs_replica *r, dcs_time now)
{
    while (r->q_len > 0 && r->n_free > 0) {
        const dcs_request *q = &r->queue[r->q_head];
        if (r->kv_used + kv_need(q) > r->kv_capacity)
            break;
        int s = r->free_list[--r->n_free];
        r->slots[s] = (slot){.req = *q, .admitted = now, .first_token = -1, .seq = r->seq++};
        r->kv_used += kv_need(q);
        r->pre[wrap(r->pre_head + r->pre_len, r->max_batch)] = s;
        r->pre_len++;
        r->running++;
        r->q_head = wrap(r->q_head + 1, r->queue_capacity);
        r->q_len--;
    }
}

bool dcs_replica_start_iteration(dcs_replica *r, dcs_time now, dcs_iteration *it)
{
    assert(!r->busy);
    if (r->power == WAKING && now >= r->ready_at)
        r->power = AWAKE;
    if (r->power != AWAKE)
        return false;
    admit_from_queue(r, now);
    if (r->running == 0)
        return false;
    r->iter++;
    int32_t budget = r->chunk_tokens, prefill = 0;
    double kv_read = r->decode_ctx;
    /* Chunks go to the oldest prompts first; only the prompts that get a
     * chunk are touched. */
    int k = 0;
    for (; k < r->pre_len && budget > 0; k++) {
        slot *s = &r->slots[r->pre[wrap(r->pre_head + k, r->max_batch)]];
        int32_t left = s->req.prompt_tokens - s->prefilled;
        s->chunk = left < budget ? left : budget;
        budget -= s->chunk;
        prefill += s->chunk;
        kv_read += (double)s->prefilled + s->chunk;
    }
    r->pre_active = k;
    int32_t decode = r->n_heap;
    assert(prefill + decode > 0);
    /* Filled in place: building a local and copying it made the copy's
     * wide loads wait on the narrow stores just made (no forwarding). */
    it->prefill_tokens = prefill;
    it->decode_tokens = decode;
    it->batch = r->running;
    iter_cost(r, (double)(prefill + decode), kv_read, &it->cost);
    double ns = round_ns(it->cost.time_s * 1e9);
    it->duration = ns < 1.0 ? 1 : (dcs_time)ns;
    it->power_w = it->cost.power_w;
    r->busy = 1;
    return true;
}

/* dcs_time_to_s with the same bits: below a second it is 0.0 + t / 1e9,
 * so the integer division and remainder (tens of cycles each) are skipped
 * there. */
static double to_s(dcs_time t)
{
    return t > -DCS_SECOND && t < DCS_SECOND ? (double)t / 1e9 : dcs_time_to_s(t);
}

/* Fill one completion record for slot s finishing at now. */
static dcs_request_done done_record(const slot *s, dcs_time now)
{
    double net = to_s(s->req.network);
    int32_t o = s->req.output_tokens;
    return (dcs_request_done){
        .id = s->req.id, .tag = s->req.tag,
        .prompt_tokens = s->req.prompt_tokens, .output_tokens = o,
        .queue_s = to_s(s->admitted - s->req.arrival),
        .ttft_s = net + to_s(s->first_token - s->req.arrival),
        .tpot_s = o > 1 ? to_s(now - s->first_token) / (o - 1) : 0.0,
        .e2e_s = net + to_s(now - s->req.arrival),
    };
}

static void release(dcs_replica *r, int s)
{
    r->kv_used -= kv_need(&r->slots[s].req);
    r->free_list[r->n_free++] = s;
    r->running--;
}

int dcs_replica_finish_iteration(dcs_replica *r, dcs_time now,
                                 dcs_request_done *done, int cap)
{
    assert(r->busy);
    r->busy = 0;
    int ndone = 0;
    /* Every decoder generated one more token. */
    r->decode_ctx += (double)r->n_heap;
    while (r->next_finish <= r->iter) {
        int s = heap_pop(r);
        const slot *sl = &r->slots[s];
        r->decode_ctx -= (double)sl->req.prompt_tokens + sl->req.output_tokens;
        if (ndone < cap)
            done[ndone] = done_record(sl, now);
        ndone++;
        release(r, s);
    }
    /* Prompts that finished their prefill yield their first token and
     * start decoding (or leave, with one output token).  They are at the
     * head of the prefill ring, in order. */
    int active = r->pre_active;
    r->pre_active = 0;
    for (int k = 0; k < active; k++) {
        int s = r->pre[r->pre_head];
        slot *sl = &r->slots[s];
        sl->prefilled += sl->chunk;
        sl->chunk = 0;
        if (sl->prefilled < sl->req.prompt_tokens)
            break;   /* only the last chunked prompt can be unfinished */
        r->pre_head = wrap(r->pre_head + 1, r->max_batch);
        r->pre_len--;
        sl->first_token = now;
        if (sl->req.output_tokens == 1) {
            if (ndone < cap)
                done[ndone] = done_record(sl, now);
            ndone++;
            release(r, s);
        } else {
            r->decode_ctx += (double)sl->req.prompt_tokens + 1.0;
            heap_push(r, (hent){.finish_iter = r->iter + sl->req.output_tokens - 1,
                                .seq = sl->seq, .s = s});
        }
    }
    return ndone < cap ? ndone : cap;
}

bool dcs_replica_sleep(dcs_replica *r)
{
    if (r->busy || r->running > 0 || r->q_len > 0 || r->power != AWAKE)
        return false;
    r->power = ASLEEP;
    return true;
}

dcs_time dcs_replica_wake(dcs_replica *r, dcs_time now)
{
    if (r->power == AWAKE)
        return now;
    if (r->power == ASLEEP) {
        dcs_time d;
        if (!dcs_time_from_s(r->p.wake_s, &d))
            d = 0;   /* unreachable: wake_s is checked to be within 1 h */
        r->power = WAKING;
        r->ready_at = dcs_time_add_sat(now, d);
    }
    return r->ready_at;
}

bool dcs_replica_awake(const dcs_replica *r) { return r->power == AWAKE; }

double dcs_replica_idle_power_w(const dcs_replica *r)
{
    double per_gpu = r->power == ASLEEP ? r->p.sleep_w : r->cc.idle_w;
    return r->cc.g * per_gpu;
}

int dcs_replica_queued(const dcs_replica *r) { return r->q_len; }
int dcs_replica_running(const dcs_replica *r) { return r->running; }
int dcs_replica_outstanding(const dcs_replica *r) { return r->q_len + r->running; }
int64_t dcs_replica_kv_used_tokens(const dcs_replica *r) { return r->kv_used; }
const dcs_serving_params *dcs_replica_params(const dcs_replica *r) { return &r->p; }

/* ---- switching models (docs/fallback.md) ---------------------------------- */

/* Waiting requests keep their order; each is admitted to `to` as
 * dcs_replica_admit would (its queue or KV capacity may refuse some). */
int dcs_replica_move_queue(dcs_replica *from, dcs_replica *to)
{
    int dropped = 0;
    while (from->q_len > 0) {
        if (!dcs_replica_admit(to, &from->queue[from->q_head]))
            dropped++;
        from->q_head = wrap(from->q_head + 1, from->queue_capacity);
        from->q_len--;
    }
    return dropped;
}

bool dcs_replica_unload(dcs_replica *r)
{
    if (r->busy || r->running > 0 || r->q_len > 0)
        return false;
    r->power = ASLEEP;
    return true;
}

/* dcs_replica_scan_least over reps[lo..hi): true once a key 0 is met. */
static inline bool scan_range(dcs_replica *const *reps, int lo, int hi, bool by_load,
                              int *best, int64_t *best_key)
{
    for (int i = lo; i < hi; i++) {
        const dcs_replica *r = reps[i];
        int64_t key = ((int64_t)(r->power != AWAKE) << 32) + (by_load ? r->q_len + r->running : 0);
        if (key < *best_key) {
            *best = i;
            *best_key = key;
            if (key == 0)
                return true;
        }
    }
    return false;
}

int dcs_replica_scan_least(dcs_replica *const *reps, int n, int first, bool by_load)
{
    assert(n >= 1 && first >= 0 && first < n);
    /* key = asleep * 2^32 + load: one comparison orders awake before
     * asleep, then by load; a strictly smaller key replaces the best, so
     * ties keep the first in cursor order.  Key 0 (awake, no load) cannot
     * be beaten, so the scan stops there.  The cyclic order is two plain
     * ranges, first..n then 0..first. */
    int best = first;
    int64_t best_key = INT64_MAX;
    if (!scan_range(reps, first, n, by_load, &best, &best_key))
        scan_range(reps, 0, first, by_load, &best, &best_key);
    return best;
}
