/*
 * registry.c - lookup of named const objects in sorted tables (registry.h).
 */
#include "dcsim/registry.h"

#include <stdio.h>
#include <string.h>

const void *dcs_registry_find(const dcs_registry *r, const char *name)
{
    size_t lo = 0, hi = r->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, r->entries[mid].name);
        if (c == 0)
            return r->entries[mid].item;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t dcs_registry_unknown(const dcs_registry *r, const char *name, char *buf, size_t len)
{
    /* snprintf with a NULL buffer counts, so the loop both writes and
     * measures; `used` may exceed len, and then only counting goes on. */
    size_t used = 0;
    int k = snprintf(buf, len, "unknown %s '%s'; valid names:", r->what, name);
    used += k > 0 ? (size_t)k : 0;
    for (size_t i = 0; i < r->count; i++) {
        k = snprintf(used < len ? buf + used : NULL, used < len ? len - used : 0, "%s %s",
                     i ? "," : "", r->entries[i].name);
        used += k > 0 ? (size_t)k : 0;
    }
    if (r->count == 0) {
        k = snprintf(used < len ? buf + used : NULL, used < len ? len - used : 0, " (none)");
        used += k > 0 ? (size_t)k : 0;
    }
    return used;
}

const void *dcs_registry_lookup(const dcs_registry *r, const char *name, dcs_diag *d,
                                dcs_loc loc)
{
    const void *item = dcs_registry_find(r, name);
    if (!item) {
        char msg[1024];
        dcs_registry_unknown(r, name, msg, sizeof msg);
        dcs_diag_error(d, loc, "%s", msg);
    }
    return item;
}

bool dcs_registry_check(const dcs_registry *r, dcs_diag *d)
{
    for (size_t i = 1; i < r->count; i++) {
        int c = strcmp(r->entries[i - 1].name, r->entries[i].name);
        if (c >= 0) {
            if (d)
                dcs_diag_error(d, (dcs_loc){0}, "%s registry: '%s' %s '%s'", r->what,
                               r->entries[i].name, c == 0 ? "repeats" : "is out of order after",
                               r->entries[i - 1].name);
            return false;
        }
    }
    return true;
}
