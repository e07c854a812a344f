/*
 * bigmem.h - large allocations backed by huge pages where the system allows.
 *
 * With 100,000 LPs the engine's working set (heap entries, event records, LP
 * blocks) is tens of megabytes touched at random, and with 4 KB pages most
 * accesses also miss the TLB.  Blocks of 2 MB or more are therefore aligned
 * to 2 MB and marked with madvise(MADV_HUGEPAGE) (Linux transparent huge
 * pages, which Debian 12 enables on request); elsewhere, or for small
 * blocks, this is plain malloc.  Free with free().
 */
#ifndef DCSIM_BIGMEM_H
#define DCSIM_BIGMEM_H

#include <stddef.h>

/* bytes of memory aligned to at least 64 bytes, or NULL. */
void *dcs_bigmem_alloc(size_t bytes);

#endif
