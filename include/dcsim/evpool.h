/*
 * evpool.h - a pool of event records: no malloc per event.
 *
 * Records are carved from blocks, allocated only when the free list runs dry
 * (each new block an eighth of the pool's size, at least 256 records, so
 * growth is geometric and rare while the slack stays small) and kept until the pool is freed.  Free records are
 * linked through their own storage into a LIFO list, so a pool costs no
 * memory per record beyond the record, and the record just released (still
 * in cache) is the next one handed out.  One pool per thread: a pool is not
 * shared, and records never move between pools.
 */
#ifndef DCSIM_EVPOOL_H
#define DCSIM_EVPOOL_H

#include <stddef.h>

#include "dcsim/diag.h"
#include "dcsim/event.h"

typedef union dcs_evpool_slot {
    dcs_event ev;
    union dcs_evpool_slot *next;   /* while free */
} dcs_evpool_slot;

typedef struct dcs_evpool {
    dcs_evpool_slot *free;  /* head of the free list */
    void **blocks;          /* every block allocated, for dcs_evpool_free */
    size_t nblocks, blocks_cap;
    size_t capacity;        /* records allocated (in use + free) */
    size_t in_use;          /* records handed out and not yet returned */
} dcs_evpool;

/* An empty pool; no memory is taken until the first record is needed. */
void dcs_evpool_init(dcs_evpool *p);
/* Release every block.  Records still in use become invalid. */
void dcs_evpool_free(dcs_evpool *p);

/* Make sure at least n records are free, allocating one block of the
 * missing size if needed (to size a pool exactly before a run).
 * DCS_OK or DCS_ENOMEM. */
dcs_status dcs_evpool_reserve(dcs_evpool *p, size_t n);

/* A record (contents undefined), or NULL when memory is exhausted. */
static inline dcs_event *dcs_evpool_get(dcs_evpool *p)
{
    if (!p->free) {
        size_t grow = p->capacity / 8 > 256 ? p->capacity / 8 : 256;
        if (dcs_evpool_reserve(p, grow) != DCS_OK)
            return NULL;
    }
    dcs_evpool_slot *s = p->free;
    p->free = s->next;
    p->in_use++;
    return &s->ev;
}

/* Return a record obtained from this pool. */
static inline void dcs_evpool_put(dcs_evpool *p, dcs_event *ev)
{
    dcs_evpool_slot *s = (dcs_evpool_slot *)(void *)ev;
    s->next = p->free;
    p->free = s;
    p->in_use--;
}

#endif
