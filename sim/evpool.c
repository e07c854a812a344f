/*
 * evpool.c - block allocation for the event pool (evpool.h).  The per-event
 * get and put are inline in the header; only growth lives here.
 */
#include "dcsim/evpool.h"

#include "dcsim/bigmem.h"

#include <stdlib.h>

void dcs_evpool_init(dcs_evpool *p)
{
    *p = (dcs_evpool){0};
}

void dcs_evpool_free(dcs_evpool *p)
{
    for (size_t i = 0; i < p->nblocks; i++)
        free(p->blocks[i]);
    free(p->blocks);
    *p = (dcs_evpool){0};
}

dcs_status dcs_evpool_reserve(dcs_evpool *p, size_t n)
{
    size_t have = p->capacity - p->in_use;
    if (have >= n)
        return DCS_OK;
    size_t want = n - have;
    if (p->nblocks == p->blocks_cap) {
        size_t cap = p->blocks_cap ? 2 * p->blocks_cap : 16;
        void **b = realloc(p->blocks, cap * sizeof *b);
        if (!b)
            return DCS_ENOMEM;
        p->blocks = b;
        p->blocks_cap = cap;
    }
    if (want > SIZE_MAX / sizeof(dcs_evpool_slot))
        return DCS_ENOMEM;
    dcs_evpool_slot *blk = dcs_bigmem_alloc(want * sizeof *blk);
    if (!blk)
        return DCS_ENOMEM;
    p->blocks[p->nblocks++] = blk;
    /* Link the new records in address order so the first ones handed out
     * are adjacent in memory. */
    for (size_t i = want; i-- > 0;) {
        blk[i].next = p->free;
        p->free = &blk[i];
    }
    p->capacity += want;
    return DCS_OK;
}
