/*
 * registry.h - a sorted table of named const type objects, looked up by name.
 *
 * LP types now, and later cooling models, policies and benchmarks, are const
 * objects chosen by a name the user writes.  A registry is a static array of
 * {name, object} entries sorted by name (strcmp order), searched by binary
 * search.  An unknown name produces a message that quotes it and lists every
 * valid name, ready for dcs_diag.  Tables are written sorted by hand;
 * dcs_registry_check (run by the tests on every registry) catches a table
 * out of order or with a duplicate name.
 */
#ifndef DCSIM_REGISTRY_H
#define DCSIM_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "dcsim/diag.h"

typedef struct dcs_registry_entry {
    const char *name;
    const void *item;
} dcs_registry_entry;

typedef struct dcs_registry {
    const char *what;                     /* noun for messages: "LP type" */
    const dcs_registry_entry *entries;    /* sorted by name, unique */
    size_t count;
} dcs_registry;

/* The item registered under name, or NULL. */
const void *dcs_registry_find(const dcs_registry *r, const char *name);

/* Write "unknown WHAT 'NAME'; valid names: a, b, c" into buf (truncated to
 * len, always terminated); returns the length the full message needs. */
size_t dcs_registry_unknown(const dcs_registry *r, const char *name, char *buf, size_t len);

/* Find name; when absent, record the unknown-name message at loc in d and
 * return NULL. */
const void *dcs_registry_lookup(const dcs_registry *r, const char *name, dcs_diag *d,
                                dcs_loc loc);

/* True when the entries are sorted and unique; otherwise false and, if d is
 * given, one error naming the first offending entry. */
bool dcs_registry_check(const dcs_registry *r, dcs_diag *d);

/* The LP types built into dcsim (phold, ...), for scenario files. */
extern const dcs_registry dcs_lp_types;

#endif
