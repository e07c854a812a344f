/* xalloc.c - allocation that aborts with the size when memory runs out. */
#include "dcsim/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void out_of_memory(size_t bytes)
{
    fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", bytes);
    abort();
}

void *dcs_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *dcs_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        out_of_memory(size);
    return q;
}

char *dcs_xstrdup(const char *s)
{
    return dcs_xstrndup(s, strlen(s));
}

char *dcs_xstrndup(const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);     /* strnlen is POSIX, not C17 */
    size_t len = nul ? (size_t)(nul - s) : n;
    char *p = dcs_xcalloc(len + 1, 1);
    memcpy(p, s, len);
    return p;
}
