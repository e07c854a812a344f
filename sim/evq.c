/*
 * evq.c - the pending-event queue: an implicit binary min-heap (evq.h).
 *
 * heap[1] is the minimum, the children of i are 2i and 2i+1.  Insertion
 * sifts the new entry up from the end.  Removal (Floyd's bottom-up variant,
 * Wegener 1993, "Bottom-up heapsort", Theor. Comput. Sci. 118) walks the hole down to a leaf
 * along the smaller child, one comparison per level, then sifts the last
 * entry up from that leaf.  A new event's time is usually later than most
 * pending ones, so the sift-up stops almost at once, and the walk down does
 * about half the comparisons of the textbook sift-down, with the child choice
 * done by arithmetic rather than an unpredictable branch.
 */
#include "dcsim/evq.h"

#include "dcsim/bigmem.h"

#include <stdlib.h>
#include <string.h>

dcs_status dcs_evq_init(dcs_evq *q, size_t reserve)
{
    *q = (dcs_evq){0};
    size_t cap = reserve ? reserve : 64;
    q->heap = dcs_bigmem_alloc((cap + 1) * sizeof *q->heap);
    if (!q->heap)
        return DCS_ENOMEM;
    q->cap = cap;
    return DCS_OK;
}

void dcs_evq_free(dcs_evq *q)
{
    free(q->heap);
    *q = (dcs_evq){0};
}

static dcs_status grow(dcs_evq *q)
{
    size_t cap = q->cap + q->cap / 2 + 16;
    dcs_evq_entry *h = dcs_bigmem_alloc((cap + 1) * sizeof *h);
    if (!h)
        return DCS_ENOMEM;
    memcpy(h, q->heap, (q->n + 1) * sizeof *h);
    free(q->heap);
    q->heap = h;
    q->cap = cap;
    return DCS_OK;
}

dcs_status dcs_evq_push(dcs_evq *q, dcs_event *ev)
{
    if (q->n == q->cap && grow(q) != DCS_OK)
        return DCS_ENOMEM;
    dcs_evq_entry in = {ev->time, ev};
    dcs_evq_entry *h = q->heap;
    size_t i = ++q->n;
    while (i > 1) {
        size_t parent = i >> 1;
        if (!dcs_evq_entry_before(in, h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = in;
    return DCS_OK;
}

dcs_event *dcs_evq_pop(dcs_evq *q)
{
    dcs_evq_entry *h = q->heap;
    dcs_event *top = h[1].ev;
    dcs_evq_entry last = h[q->n--];
    size_t n = q->n;
    if (n == 0)
        return top;
    size_t i = 1, c;
    while ((c = 2 * i) < n) {               /* both children exist */
        c += dcs_evq_entry_before(h[c + 1], h[c]);
        h[i] = h[c];
        i = c;
    }
    if (c == n) {                           /* a single child */
        h[i] = h[c];
        i = c;
    }
    while (i > 1) {
        size_t parent = i >> 1;
        if (!dcs_evq_entry_before(last, h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = last;
    return top;
}

size_t dcs_evq_bytes(const dcs_evq *q)
{
    return q->heap ? (q->cap + 1) * sizeof *q->heap : 0;
}

double dcs_evq_bytes_per_event(const dcs_evq *q)
{
    return q->n ? (double)dcs_evq_bytes(q) / (double)q->n : 0.0;
}
