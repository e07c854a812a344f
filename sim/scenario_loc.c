/*
 * scenario_loc.c - where a key path of a loaded scenario was written
 * (dcs_scenario_loc, contract in include/dcsim/scenario.h).
 *
 * Errors found after loading (a weather file one row short, a job larger
 * than any site, a start off the whole hour) must still read
 * FILE:LINE:COL, pointing at the line the user edits.  The loaded
 * scenario keeps its document tree, whose nodes carry their locations
 * (an included file's own name and lines; an override "--set:N:COL"), so
 * a path walk like `--set`'s finds them.  A path that leaves the written
 * document (a default value) stops at the nearest value that was written.
 */
#include "dcsim/scenario.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The child of n named by one path segment (a key, an index or an item's
 * name), or NULL. */
static const dcs_ynode *child(const dcs_ynode *n, const char *seg, bool is_index)
{
    if (n->kind == DCS_Y_SEQ) {
        if (is_index) {
            char *end;
            unsigned long k = strtoul(seg, &end, 10);
            return *end == '\0' && isdigit((unsigned char)seg[0]) && k < n->n ? n->items[k]
                                                                                 : NULL;
        }
        for (size_t i = 0; i < n->n; i++) {
            const dcs_ynode *nm = dcs_ytree_get(n->items[i], "name");
            if (nm && nm->kind == DCS_Y_SCALAR && strcmp(nm->text, seg) == 0)
                return n->items[i];
        }
        return NULL;
    }
    return n->kind == DCS_Y_MAP && !is_index ? dcs_ytree_get(n, seg) : NULL;
}

dcs_loc dcs_scenario_loc(const dcs_scenario *s, const char *path_fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, path_fmt);
    vsnprintf(path, sizeof path, path_fmt, ap);
    va_end(ap);

    const dcs_ynode *cur = s->root_;
    const char *p = path;
    char seg[256];
    while (*p && cur) {
        bool is_index = *p == '[';
        const char *start = p + is_index;
        size_t len = strcspn(start, is_index ? "]" : ".[");
        if (len == 0 || len >= sizeof seg)
            break;
        memcpy(seg, start, len);
        seg[len] = '\0';
        p = start + len + (is_index && start[len] == ']');
        if (*p == '.')
            p++;
        const dcs_ynode *next = child(cur, seg, is_index);
        if (!next)
            break;
        cur = next;
    }
    return cur ? cur->loc : (dcs_loc){"(scenario)", 0, 0};
}
