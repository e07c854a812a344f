/*
 * evpool.h - a pool of event records: no malloc per event.
 *
 * Records are carved from blocks of DCS_EVPOOL_BLOCK events, allocated when
 * the free list runs dry and kept until the pool is freed; freed records go
 * onto a LIFO free list, so the record just released (still in cache) is the
 * next one handed out.  One pool per thread: a pool is not shared.
 */
#ifndef DCSIM_EVPOOL_H
#define DCSIM_EVPOOL_H

#include <stddef.h>

#include "dcsim/diag.h"
#include "dcsim/event.h"

enum { DCS_EVPOOL_BLOCK = 4096 };

typedef struct dcs_evpool {
    dcs_event **free;      /* stack of free records */
    size_t nfree, free_cap;
    dcs_event **blocks;    /* every block allocated, for dcs_evpool_free */
    size_t nblocks, blocks_cap;
    size_t in_use;         /* records handed out and not yet returned */
} dcs_evpool;

/* An empty pool; no memory is taken until the first dcs_evpool_get. */
void dcs_evpool_init(dcs_evpool *p);
/* Release every block.  Records still in use become invalid. */
void dcs_evpool_free(dcs_evpool *p);

/* Grow by one block; DCS_OK or DCS_ENOMEM.  Called by dcs_evpool_get. */
dcs_status dcs_evpool_grow(dcs_evpool *p);

/* A record (contents undefined), or NULL when memory is exhausted. */
static inline dcs_event *dcs_evpool_get(dcs_evpool *p)
{
    if (p->nfree == 0 && dcs_evpool_grow(p) != DCS_OK)
        return NULL;
    p->in_use++;
    return p->free[--p->nfree];
}

/* Return a record obtained from this pool.  (Records never move between
 * pools: an event crossing threads is copied into the receiver's pool.) */
static inline void dcs_evpool_put(dcs_evpool *p, dcs_event *ev)
{
    p->in_use--;
    p->free[p->nfree++] = ev;
}

/* Records allocated in blocks (in use + free). */
size_t dcs_evpool_capacity(const dcs_evpool *p);

#endif
