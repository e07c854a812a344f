/*
 * evq.c - the pending-event queue: a near binary heap and a far unsorted
 * array split at a time (evq.h).
 *
 * Heap.  heap[1] is the minimum, the children of i are 2i and 2i+1.
 * Insertion sifts up from the end.  Removal is bottom-up (Wegener 1993,
 * "Bottom-up heapsort", Theor. Comput. Sci. 118): the hole left at the root
 * walks down to a leaf along the earlier child, one comparison per level,
 * then the last entry is sifted up from there.  A new event is usually later
 * than most pending ones, so that sift-up stops almost at once.  The removal
 * is deferred (evq.h): a pop leaves heap[1] as a hole, and a near push that
 * follows takes the hole's place in the same walk, instead of the last
 * entry; so an event loop whose handlers send one event each makes one heap
 * pass per event instead of two.  The walk and the sift-up are inline in
 * evq.h, since every send and every event runs them.
 *
 * Tiers.  Invariant: every heap entry is earlier than `split` and every far
 * entry is at or after it, so the heap's minimum, when the heap is not
 * empty, is the queue's minimum.  A push goes to the heap if its time is
 * before split, else to the end of the far array.  When the heap is empty, a
 * refill reads the far array once for its earliest and latest times, sets
 * split = earliest + (latest - earliest) * NEAR / nfar (at least earliest + 1,
 * so the earliest events always move), and in a second pass moves the
 * entries before split into the heap while compacting the others.  With at
 * most 2 * NEAR far events the refill moves them all and sets split to the
 * end of time, so small queues are a plain heap.  If the heap grows past
 * DCS_EVQ_SPILL entries and past twice what its last refill put there, it is
 * spilled back to the far array (split = the earliest possible time) and the
 * next removal refills: a model whose near events keep multiplying still
 * gets a small heap, and a crowd of simultaneous events (which any split
 * must move together) does not make the queue spill over and over.
 */
#include "dcsim/evq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/bigmem.h"

static dcs_status resize(dcs_evq_entry **arr, size_t *cap, size_t need, size_t used,
                         size_t extra_front)
{
    size_t c = *cap + *cap / 2 + 16;
    if (c < need)
        c = need;
    dcs_evq_entry *a = dcs_bigmem_alloc((c + extra_front) * sizeof *a);
    if (!a)
        return DCS_ENOMEM;
    if (*arr)
        memcpy(a, *arr, (used + extra_front) * sizeof *a);
    free(*arr);
    *arr = a;
    *cap = c;
    return DCS_OK;
}

dcs_status dcs_evq_init(dcs_evq *q, size_t reserve)
{
    *q = (dcs_evq){0};
    q->split = DCS_TIME_MAX;
    size_t cap = reserve < DCS_EVQ_SPILL ? (reserve ? reserve : 64) : DCS_EVQ_SPILL;
    if (resize(&q->heap, &q->cap, cap, 0, 1) != DCS_OK)
        return DCS_ENOMEM;
    if (reserve > DCS_EVQ_SPILL && resize(&q->far, &q->far_cap, reserve, 0, 0) != DCS_OK) {
        dcs_evq_free(q);
        return DCS_ENOMEM;
    }
    return DCS_OK;
}

void dcs_evq_free(dcs_evq *q)
{
    free(q->heap);
    free(q->far);
    *q = (dcs_evq){0};
}

static dcs_status far_push(dcs_evq *q, dcs_evq_entry in)
{
    if (q->nfar == q->far_cap && resize(&q->far, &q->far_cap, q->nfar + 1, q->nfar, 0) != DCS_OK)
        return DCS_ENOMEM;
    q->far[q->nfar++] = in;
    return DCS_OK;
}

/* Move the whole heap to the far array; the next removal refills. */
static dcs_status spill(dcs_evq *q)
{
    if (q->far_cap - q->nfar < q->n &&
        resize(&q->far, &q->far_cap, q->nfar + q->n, q->nfar, 0) != DCS_OK)
        return DCS_ENOMEM;
    memcpy(q->far + q->nfar, q->heap + 1, q->n * sizeof *q->heap);
    q->nfar += q->n;
    q->n = 0;
    q->split = INT64_MIN;
    return DCS_OK;
}

/* Finish a deferred pop: the last entry takes the root's place. */
static void close_hole(dcs_evq *q)
{
    q->hole = 0;
    dcs_evq_entry last = q->heap[q->n--];
    if (q->n)
        dcs_evq_replace_top(q->heap, q->n, last);
}

dcs_status dcs_evq_push_slow(dcs_evq *q, dcs_event *ev)
{
    dcs_evq_entry in = {ev->time, ev};
    if (in.time >= q->split)
        return far_push(q, in);   /* a hole may stay open: the far tier is apart */
    if (q->hole) {
        q->hole = 0;
        dcs_evq_replace_top(q->heap, q->n, in);
        return DCS_OK;
    }
    if (q->n == q->cap && resize(&q->heap, &q->cap, q->n + 1, q->n, 1) != DCS_OK)
        return DCS_ENOMEM;
    dcs_evq_sift_up(q->heap, ++q->n, in);
    if (q->n > DCS_EVQ_SPILL && q->n > 2 * q->refilled)
        return spill(q);
    return DCS_OK;
}

dcs_status dcs_evq_refill(dcs_evq *q)
{
    if (q->hole)
        close_hole(q);
    size_t nfar = q->nfar;
    if (nfar == 0 || q->n != 0)   /* only an empty heap is refilled */
        return DCS_OK;
    dcs_time lo = q->far[0].time, hi = lo;
    for (size_t i = 1; i < nfar; i++) {
        dcs_time t = q->far[i].time;
        lo = t < lo ? t : lo;
        hi = t > hi ? t : hi;
    }
    dcs_time split = DCS_TIME_MAX;
    if (nfar > 2 * (size_t)DCS_EVQ_NEAR) {
        /* Assume events spread evenly over [lo, hi]; the split needs only
         * to be roughly right.  The span is computed unsigned (it may exceed
         * INT64_MAX) and the step in double. */
        double span = (double)((uint64_t)hi - (uint64_t)lo);
        double step = span * (double)DCS_EVQ_NEAR / (double)nfar;
        dcs_time d = step >= 9.2e18 ? DCS_TIME_MAX : (dcs_time)step;
        split = dcs_time_add_sat(lo, d > 0 ? d : 1);
    }
    size_t moving = 0;
    for (size_t i = 0; i < nfar; i++)
        moving += q->far[i].time < split || split == DCS_TIME_MAX;
    if (q->cap < moving && resize(&q->heap, &q->cap, moving, 0, 1) != DCS_OK)
        return DCS_ENOMEM;
    size_t keep = 0;
    for (size_t i = 0; i < nfar; i++) {
        dcs_evq_entry e = q->far[i];
        if (e.time < split || split == DCS_TIME_MAX)
            dcs_evq_sift_up(q->heap, ++q->n, e);
        else
            q->far[keep++] = e;
    }
    q->nfar = keep;
    q->split = split;
    q->refilled = moving;
    return DCS_OK;
}

dcs_time dcs_evq_min_time_slow(dcs_evq *q)
{
    if (q->hole)
        close_hole(q);
    if (q->n == 0 && q->nfar) {
        if (dcs_evq_refill(q) != DCS_OK) {
            fprintf(stderr, "dcsim: out of memory (event queue of %zu entries)\n", q->nfar);
            abort();
        }
    }
    return q->n ? q->heap[1].time : DCS_TIME_MAX;
}

size_t dcs_evq_bytes(const dcs_evq *q)
{
    return ((q->heap ? q->cap + 1 : 0) + q->far_cap) * sizeof(dcs_evq_entry);
}

double dcs_evq_bytes_per_event(const dcs_evq *q)
{
    size_t n = dcs_evq_size(q);
    return n ? (double)dcs_evq_bytes(q) / (double)n : 0.0;
}
