/*
 * xalloc.h - allocation that cannot fail silently.
 *
 * Out of memory is fatal in dcsim (STYLE.md): these print "dcsim: out of
 * memory (N bytes)" and abort instead of returning NULL.  A zero size
 * allocates one byte, so the result is always a valid pointer.  Not for
 * the engine's hot paths, which allocate only at set-up.
 */
#ifndef DCSIM_XALLOC_H
#define DCSIM_XALLOC_H

#include <stddef.h>

void *dcs_xcalloc(size_t n, size_t size);
void *dcs_xrealloc(void *p, size_t size);
char *dcs_xstrdup(const char *s);
/* The first n bytes of s (fewer if s is shorter), NUL-terminated. */
char *dcs_xstrndup(const char *s, size_t n);

#endif
