/*
 * scenario_set.c - `--set key.path=value` overrides.
 *
 * A path is a chain of segments separated by dots: a mapping key
 * ("policy.control_period"), a list item by index ("sites[0]") or a list
 * item by the value of its `name` key ("sites.lulea").  The value is YAML
 * ("30 MW", "[lulea, ashburn]", "{type: air}") and replaces what the path
 * names; keys missing along the way are created as mappings, so that the
 * schema walker judges them like keys written in a file.
 *
 * Locations: the N-th override is "line N" of a pseudo-file called "--set",
 * and columns count characters of its KEY=VALUE argument, so a message reads
 * "--set:2:7: unknown key 'power_limt' in site; did you mean 'power_limit'?".
 */
#include "dcsim/scenario.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char SET_FILE[] = "--set";

static dcs_loc at(int index, size_t col0)
{
    return (dcs_loc){SET_FILE, index, (int)col0 + 1};
}

/* The item of list l whose `name` is name, or -1. */
static long by_name(const dcs_ynode *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++) {
        const dcs_ynode *nm = dcs_ytree_get(l->items[i], "name");
        if (nm && nm->kind == DCS_Y_SCALAR && strcmp(nm->text, name) == 0)
            return (long)i;
    }
    return -1;
}

static void list_item_names(const dcs_ynode *l, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n; i++) {
        const dcs_ynode *nm = dcs_ytree_get(l->items[i], "name");
        if (!nm || nm->kind != DCS_Y_SCALAR)
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", nm->text);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

bool dcs_scenario_apply_set(dcs_ytree *t, dcs_ynode *root, const char *set, int index,
                            dcs_diag *d)
{
    const char *eq = strchr(set, '=');
    if (!eq || eq == set) {
        dcs_diag_error(d, at(index, 0), "expected KEY.PATH=VALUE, found '%s'", set);
        return false;
    }
    size_t vpos = (size_t)(eq - set) + 1;
    const char *vtext = set + vpos;
    while (*vtext == ' ')
        vtext++, vpos++;
    if (!*vtext) {
        dcs_diag_error(d, at(index, vpos - 1), "no value after '=' in '%s'", set);
        return false;
    }
    dcs_ynode *value = dcs_ytree_parse(t, vtext, strlen(vtext), SET_FILE, index, (int)vpos, d);
    if (!value)
        return false;

    /* Walk the path; `slot` is where the value will go. */
    dcs_ynode *cur = root;
    const char *p = set;
    const char *shown = "the scenario";      /* what cur is, for messages */
    char seg[256];
    while (p < eq) {
        size_t col = (size_t)(p - set);
        bool is_index = *p == '[';
        size_t len = 0;
        if (is_index) {
            const char *close = memchr(p, ']', (size_t)(eq - p));
            if (!close) {
                dcs_diag_error(d, at(index, col), "missing ']' in '%.*s'", (int)(eq - set), set);
                return false;
            }
            len = (size_t)(close - p - 1);
            if (len == 0 || len >= sizeof seg) {
                dcs_diag_error(d, at(index, col), "expected a list index like [0]");
                return false;
            }
            memcpy(seg, p + 1, len);
            seg[len] = '\0';
            p = close + 1;
            if (p < eq && *p != '.' && *p != '[') {
                dcs_diag_error(d, at(index, (size_t)(p - set)), "expected '.' or '[' after ']' "
                               "in '%.*s'", (int)(eq - set), set);
                return false;
            }
        } else {
            while (p + len < eq && p[len] != '.' && p[len] != '[')
                len++;
            if (len == 0 || len >= sizeof seg) {
                dcs_diag_error(d, at(index, col), "empty key in path '%.*s'", (int)(eq - set), set);
                return false;
            }
            memcpy(seg, p, len);
            seg[len] = '\0';
            p += len;
        }
        if (p < eq && *p == '.')
            p++;
        bool last = p >= eq;
        dcs_loc sloc = at(index, col + (is_index ? 1 : 0));

        if (is_index) {
            char *end;
            unsigned long k = strtoul(seg, &end, 10);
            if (*end || !isdigit((unsigned char)seg[0])) {
                dcs_diag_error(d, sloc, "'%s' is not a list index (0, 1, ...)", seg);
                return false;
            }
            if (cur->kind != DCS_Y_SEQ) {
                dcs_diag_error(d, sloc, "%s is a %s, not a list; it has no item [%s]", shown,
                               dcs_ytree_kind_name(cur->kind), seg);
                return false;
            }
            if (k >= cur->n) {
                dcs_diag_error(d, sloc, "index %lu is out of range: %s has %zu item%s", k,
                               shown, cur->n, cur->n == 1 ? "" : "s");
                return false;
            }
            if (last)
                cur->items[k] = value;
            cur = cur->items[k];
        } else if (cur->kind == DCS_Y_SEQ) {
            long k = by_name(cur, seg);
            if (k < 0) {
                char names[512];
                list_item_names(cur, names, sizeof names);
                dcs_diag_error(d, sloc, "no item named '%s' in %s (names: %s)", seg, shown,
                               names[0] ? names : "none");
                return false;
            }
            if (last)
                cur->items[k] = value;
            cur = cur->items[k];
        } else if (cur->kind == DCS_Y_MAP) {
            long k = dcs_ytree_find(cur, seg);
            if (k >= 0) {
                if (last)
                    cur->items[k] = value;
                cur = cur->items[k];
            } else {
                dcs_ynode *v = last ? value : dcs_ytree_map(t, sloc);
                dcs_ytree_append(t, cur, dcs_ytree_scalar(t, seg, sloc), v);
                cur = v;
            }
        } else {
            dcs_diag_error(d, sloc, "%s is a value ('%s'), it has no key '%s'", shown, cur->text,
                           seg);
            return false;
        }
        /* Name what cur is now by its key, quoted, for the next message. */
        size_t qn = strlen(seg) + 3;
        char *q = dcs_ytree_alloc(t, qn);
        snprintf(q, qn, "'%s'", seg);
        shown = q;
    }
    return true;
}
