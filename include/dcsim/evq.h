/*
 * evq.h - the pending-event queue: a priority queue of event pointers ordered
 * by (time, tie) through dcs_key_before (event.h).
 *
 * Implementation (sim/evq.c): two tiers split at a time S.  Events earlier
 * than S sit in a binary min-heap of 16-byte entries {time, event pointer}
 * (comparisons read the event record only to break ties of equal times);
 * events at or after S sit unsorted in a "far" array.  When the heap runs
 * empty, one sequential pass over the far array picks a new S that brings
 * about DCS_EVQ_NEAR events into the heap and compacts the rest.  Small
 * queues (at most 2 * DCS_EVQ_NEAR events at a refill) keep everything in
 * the heap, which then behaves as a plain heap.  The point is the cache: with
 * 100,000 pending events a single heap is 1.6 MB and every removal walks
 * into its cache-missing lower levels, while a near heap of a few thousand
 * entries stays in L1/L2 and the far array is only streamed.  docs/engine.md
 * gives the measurements.  Everything that uses a queue goes through this
 * interface, so the structure can change without touching callers.
 *
 * The queue does not own the events; its arrays grow geometrically (never
 * per event) and exhaustion of memory is reported by status.
 */
#ifndef DCSIM_EVQ_H
#define DCSIM_EVQ_H

#include <stddef.h>

#include "dcsim/diag.h"
#include "dcsim/event.h"

enum { DCS_EVQ_NEAR = 4096 };   /* events a refill aims to bring into the heap */
/* A heap larger than this (and than twice its last refill) spills back to
 * the far tier. */
enum { DCS_EVQ_SPILL = 4 * DCS_EVQ_NEAR };

typedef struct dcs_evq_entry {
    dcs_time time;
    dcs_event *ev;
} dcs_evq_entry;

/* Entry order: time first; the tie is read from the event only when times
 * are equal, which keeps entries at 16 bytes (four per cache line). */
static inline bool dcs_evq_entry_before(dcs_evq_entry a, dcs_evq_entry b)
{
    if (a.time != b.time)
        return a.time < b.time;
    return dcs_key_before(dcs_event_key(a.ev), dcs_event_key(b.ev));
}

typedef struct dcs_evq {
    dcs_evq_entry *heap;   /* heap[1..n], all times < split; heap[0] unused */
    size_t n, cap;
    dcs_evq_entry *far;    /* far[0..nfar), all times >= split, unsorted */
    size_t nfar, far_cap;
    dcs_time split;
    size_t refilled;       /* events the last refill moved into the heap */
    size_t hole;           /* 1: heap[1] was popped and awaits its successor */
} dcs_evq;

/* Prepare an empty queue with room for `reserve` events (0 is fine).
 * Returns DCS_OK or DCS_ENOMEM. */
dcs_status dcs_evq_init(dcs_evq *q, size_t reserve);
/* Release the arrays (not the events). */
void dcs_evq_free(dcs_evq *q);

/* Events pending. */
static inline size_t dcs_evq_size(const dcs_evq *q) { return q->n - q->hole + q->nfar; }

/* Move the earliest far events into the heap (internal; called when the
 * heap is empty).  Returns DCS_OK or DCS_ENOMEM. */
dcs_status dcs_evq_refill(dcs_evq *q);

/* Time of the earliest event, or DCS_TIME_MAX when empty.  May refill the
 * heap from the far tier, hence not const; aborts if memory is exhausted
 * while doing so (the message names the size). */
dcs_time dcs_evq_min_time_slow(dcs_evq *q);
static inline dcs_time dcs_evq_min_time(dcs_evq *q)
{
    if (q->hole || q->n == 0)
        return dcs_evq_min_time_slow(q);
    return q->heap[1].time;
}

/* The earliest event, without removing it; the queue must not be empty
 * (after dcs_evq_min_time returned a time, it is at the top). */
static inline dcs_event *dcs_evq_peek(const dcs_evq *q) { return q->heap[1].ev; }

/* Internal: put `in` at heap position i or above it (sift-up). */
static inline void dcs_evq_sift_up(dcs_evq_entry *h, size_t i, dcs_evq_entry in)
{
    /* As in the walk down: the parent's event is read only on equal times. */
    while (i > 1) {
        const dcs_evq_entry *p = h + (i >> 1);
        if (in.time > p->time)
            break;
        if (__builtin_expect(in.time == p->time, 0)
            && !dcs_key_before(dcs_event_key(in.ev), dcs_event_key(p->ev)))
            break;
        h[i] = *p;
        i >>= 1;
    }
    h[i] = in;
}

/* Internal: put `in` where heap[1] was (a popped entry or the hole) in a
 * heap of n entries: the hole walks down to a leaf along the earlier child
 * (one comparison per level), then `in` is sifted up from there; a new
 * event is usually later than most pending ones, so that stops at once
 * (bottom-up removal, Wegener 1993, Theor. Comput. Sci. 118). */
static inline void dcs_evq_replace_top(dcs_evq_entry *h, size_t n, dcs_evq_entry in)
{
    size_t i = 1, c;
    dcs_evq_entry *hole = h + 1;
    while ((c = 2 * i) < n) {               /* both children exist */
        /* The times decide (a flag, no branch); the events' ties are read
         * only when the times are equal, which is rare. */
        dcs_evq_entry *k = h + c;
        size_t right = k[1].time < k[0].time;
        if (__builtin_expect(k[1].time == k[0].time, 0))
            right = dcs_key_before(dcs_event_key(k[1].ev), dcs_event_key(k[0].ev));
        *hole = k[right];
        hole = k + right;
        i = c + right;
    }
    if (c == n) {                           /* a single child */
        h[i] = h[c];
        i = c;
    }
    dcs_evq_sift_up(h, i, in);
}

/* Internal: dcs_evq_push's general case (filling the hole, far tier,
 * growth, spill) and dcs_evq_min_time's (closing the hole, refill). */
dcs_status dcs_evq_push_slow(dcs_evq *q, dcs_event *ev);

/* Insert ev under its current key.  Returns DCS_OK, or DCS_ENOMEM when an
 * array cannot grow (the queue is then unchanged).  Inline because every
 * send calls it: the common case, a near event into a heap with room and
 * below the spill size, is a sift-up from the end (one or two comparisons,
 * as new events are usually later than most pending ones). */
static inline dcs_status dcs_evq_push(dcs_evq *q, dcs_event *ev)
{
    dcs_evq_entry in = {ev->time, ev};
    if (in.time >= q->split)
        return dcs_evq_push_slow(q, ev);
    if (q->hole) {   /* the usual case in a handler: fill its event's place */
        q->hole = 0;
        dcs_evq_replace_top(q->heap, q->n, in);
        return DCS_OK;
    }
    if (q->n >= q->cap || q->n >= DCS_EVQ_SPILL)
        return dcs_evq_push_slow(q, ev);
    dcs_evq_sift_up(q->heap, ++q->n, in);
    return DCS_OK;
}

/* Remove and return the earliest event; the queue must not be empty.
 * The removal is deferred: heap[1] becomes a hole, and the next push of a
 * near event fills it with one walk down the heap (the "hold" pattern:
 * nearly every handler sends one event, so a pop and a push cost one heap
 * pass instead of two); anything else (dcs_evq_min_time, a pop, a far
 * push followed by those) first closes the hole as an ordinary removal. */
static inline dcs_event *dcs_evq_pop(dcs_evq *q)
{
    if (q->hole || q->n == 0)
        dcs_evq_min_time_slow(q);
    q->hole = 1;
    return q->heap[1].ev;
}

/* Bytes the queue's arrays occupy, and that per pending event. */
size_t dcs_evq_bytes(const dcs_evq *q);
double dcs_evq_bytes_per_event(const dcs_evq *q);

#endif
