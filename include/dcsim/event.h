/*
 * event.h - the event record and the one comparison that orders events.
 *
 * Every event carries the key (time, tie).  time is the simulated instant in
 * nanoseconds; tie = (source LP << 40) | per-source sequence number, assigned
 * by the engine when the event is sent.  Comparing the two 64-bit integers in
 * that order gives a total order that does not depend on threads, pools or
 * queue layout, which is what makes runs bit-identical across thread counts
 * (DESIGN.md section 2).  This header holds the only comparison of event keys
 * in dcsim: queues, the bare benchmark loop and tests all call it.
 *
 * Limits: 2^24 LPs (16.7 million) and 2^40 sends per LP (1.1e12) keep the tie
 * unique; the engine asserts both.
 *
 * The record is 64 bytes, one cache line: 24 bytes of header and 40 bytes of
 * inline payload, so no event needs a second allocation.
 */
#ifndef DCSIM_EVENT_H
#define DCSIM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/time.h"

enum { DCS_EVENT_PAYLOAD = 40 };   /* bytes of inline payload */

#define DCS_TIE_SEQ_BITS 40
#define DCS_TIE_SEQ_MASK ((UINT64_C(1) << DCS_TIE_SEQ_BITS) - 1)
#define DCS_LP_MAX (UINT32_C(1) << 24)   /* LP ids are below this */

typedef struct dcs_event {
    dcs_time time;      /* when it happens, ns */
    uint64_t tie;       /* (source LP << 40) | per-source sequence; set by the engine */
    uint32_t dst;       /* destination LP */
    uint32_t kind;      /* model-defined */
    union {
        unsigned char bytes[DCS_EVENT_PAYLOAD];
        double d[DCS_EVENT_PAYLOAD / 8];
        uint64_t u[DCS_EVENT_PAYLOAD / 8];
        int64_t i[DCS_EVENT_PAYLOAD / 8];
    } p;                /* payload, filled by the sender */
} dcs_event;

_Static_assert(sizeof(dcs_event) == 64, "dcs_event must stay one cache line");

/* The ordering key of an event, as held by the queues. */
typedef struct dcs_key {
    dcs_time time;
    uint64_t tie;
} dcs_key;

/* True when key a comes strictly before key b: the one comparison.  Written
 * with & and | rather than && and || so that it compiles without branches:
 * the heap uses its result as an index offset. */
static inline bool dcs_key_before(dcs_key a, dcs_key b)
{
    return (a.time < b.time) | ((a.time == b.time) & (a.tie < b.tie));
}

static inline dcs_key dcs_event_key(const dcs_event *ev)
{
    return (dcs_key){ev->time, ev->tie};
}

/* Tie of the n-th event sent by LP src. */
static inline uint64_t dcs_tie_make(uint32_t src, uint64_t seq)
{
    return ((uint64_t)src << DCS_TIE_SEQ_BITS) | (seq & DCS_TIE_SEQ_MASK);
}

/* The LP that sent ev. */
static inline uint32_t dcs_event_src(const dcs_event *ev)
{
    return (uint32_t)(ev->tie >> DCS_TIE_SEQ_BITS);
}

#endif
