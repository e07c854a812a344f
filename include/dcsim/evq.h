/*
 * evq.h - the pending-event queue: a priority queue of event pointers ordered
 * by (time, tie) through dcs_key_before (event.h).
 *
 * Implementation (sim/evq.c): an implicit binary min-heap of 16-byte entries
 * {time, event pointer}, so comparisons touch the event records only to
 * break ties of equal times.  Removal
 * uses Floyd's bottom-up method: the hole left by the minimum walks down to a
 * leaf along the smaller children (one comparison per level, whose result is
 * used arithmetically rather than as a branch), then the last entry is
 * sifted up from there, which for random keys stops after about one level.
 * docs/engine.md gives the measurements that chose it over a plain binary
 * heap and a calendar queue.  Everything that uses a queue goes through this
 * interface, so the structure can change without touching callers.
 *
 * The queue does not own the events; it grows its entry array by doubling
 * (amortised, never per event) and reports exhaustion of memory by status.
 */
#ifndef DCSIM_EVQ_H
#define DCSIM_EVQ_H

#include <stddef.h>

#include "dcsim/diag.h"
#include "dcsim/event.h"

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
    dcs_evq_entry *heap;   /* heap[1..n]; heap[0] unused */
    size_t n;
    size_t cap;            /* entries allocated, excluding heap[0] */
} dcs_evq;

/* Prepare an empty queue with room for `reserve` events (0 is fine).
 * Returns DCS_OK or DCS_ENOMEM. */
dcs_status dcs_evq_init(dcs_evq *q, size_t reserve);
/* Release the entry array (not the events). */
void dcs_evq_free(dcs_evq *q);

static inline size_t dcs_evq_size(const dcs_evq *q) { return q->n; }

/* Key of the earliest event; the queue must not be empty. */
static inline dcs_key dcs_evq_min_key(const dcs_evq *q) { return dcs_event_key(q->heap[1].ev); }

/* Time of the earliest event, or DCS_TIME_MAX when empty. */
static inline dcs_time dcs_evq_min_time(const dcs_evq *q)
{
    return q->n ? q->heap[1].time : DCS_TIME_MAX;
}

/* Insert ev under its current key.  Returns DCS_OK, or DCS_ENOMEM when the
 * entry array cannot grow (the queue is then unchanged). */
dcs_status dcs_evq_push(dcs_evq *q, dcs_event *ev);

/* Remove and return the earliest event; the queue must not be empty. */
dcs_event *dcs_evq_pop(dcs_evq *q);

/* Bytes the queue's entry array occupies, and that per pending event. */
size_t dcs_evq_bytes(const dcs_evq *q);
double dcs_evq_bytes_per_event(const dcs_evq *q);

#endif
