/*
 * bigmem.c - huge-page backed large allocations (bigmem.h).  The one file
 * that uses madvise.
 */
#define _GNU_SOURCE
#include "dcsim/bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2 * 1024 * 1024 };

void *dcs_bigmem_alloc(size_t bytes)
{
    if (bytes < HUGE_PAGE)
        return aligned_alloc(64, (bytes + 63) / 64 * 64);
    size_t size = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *p = aligned_alloc(HUGE_PAGE, size);
#ifdef MADV_HUGEPAGE
    /* Advice only: if the kernel declines, 4 KB pages work the same. */
    if (p)
        (void)madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
}
