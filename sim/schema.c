/*
 * schema.c - the generic validator: a YAML mapping walked against a table.
 *
 * One pass over each mapping reports every unknown key (with the nearest
 * valid name when one is close), then fills each field of the table from its
 * key or its default, reporting wrong types, bad units, values out of range
 * and unknown enum names, and finally calls the table's cross-field check.
 * Problems never stop the walk, so one run shows the user all of them.
 * Every struct filled is remembered with the mapping it came from, so that
 * checks can point at the key they complain about (dcs_schema_loc).
 *
 * Defaults are scenario text ("5 min") parsed by the same code as user
 * values, so the generated reference shows them exactly as users write them.
 */
#include "dcsim/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen {
    const void *obj;
    const dcs_schema *schema;
    const dcs_ynode *node;       /* the mapping (or DICT scalar) that filled obj */
} seen;

struct dcs_schema_ctx {
    dcs_ytree *t;
    dcs_diag *d;
    seen *seen;
    size_t nseen, cap;
};

static void remember(dcs_schema_ctx *c, const void *obj, const dcs_schema *s, const dcs_ynode *n)
{
    if (c->nseen == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        seen *p = realloc(c->seen, cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", cap * sizeof *p);
            abort();
        }
        c->seen = p;
        c->cap = cap;
    }
    c->seen[c->nseen++] = (seen){obj, s, n};
}

static bool has_field(const dcs_schema *s, const char *key)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strcmp(s->fields[i].key, key) == 0)
            return true;
    return false;
}

/* The entry for obj; a nested struct at offset 0 shares its parent's
 * address, so prefer the entry whose table knows key. */
static const seen *find_seen(const dcs_schema_ctx *c, const void *obj, const char *key)
{
    const seen *any = NULL;
    for (size_t i = c->nseen; i-- > 0;) {
        if (c->seen[i].obj != obj)
            continue;
        if (!key || has_field(c->seen[i].schema, key))
            return &c->seen[i];
        if (!any)
            any = &c->seen[i];
    }
    return any;
}

dcs_loc dcs_schema_loc(const dcs_schema_ctx *c, const void *obj, const char *key)
{
    const seen *e = find_seen(c, obj, key);
    if (!e || !e->node)
        return (dcs_loc){NULL, 0, 0};
    const dcs_ynode *v = key ? dcs_ytree_get(e->node, key) : NULL;
    return v ? v->loc : e->node->loc;
}

bool dcs_schema_given(const dcs_schema_ctx *c, const void *obj, const char *key)
{
    const seen *e = find_seen(c, obj, key);
    return e && e->node && dcs_ytree_get(e->node, key) != NULL;
}

void dcs_schema_error(dcs_schema_ctx *c, const void *obj, const char *key, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dcs_diag_error(c->d, dcs_schema_loc(c, obj, key), "%s", msg);
}

dcs_ytree *dcs_schema_tree(dcs_schema_ctx *c) { return c->t; }

/* Optimal string alignment distance (edits, with adjacent transpositions). */
static size_t osa_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[n][m];
}

const char *dcs_schema_suggest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < n; i++) {
        size_t dist = osa_distance(word, names[i]);
        if (dist < best_d && 2 * dist < strlen(word)) {
            best = names[i];
            best_d = dist;
        }
    }
    return best;
}

/* "a, b, c" from a NULL-terminated list. */
static const char *join(const char *const *names, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i]; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

static size_t count_names(const char *const *names)
{
    size_t k = 0;
    while (names[k])
        k++;
    return k;
}

/* "0 W to 10 GW", "at least 1 s", "above 0 W" ... for messages and docs. */
static void range_text(const dcs_field *f, char *buf, size_t n)
{
    char lo[64], hi[64];
    dcs_unit_kind k = f->type == DCS_F_DURATION ? DCS_UNIT_DURATION : f->unit;
    if (f->type == DCS_F_INT) {
        snprintf(lo, sizeof lo, "%.0f", f->min);
        snprintf(hi, sizeof hi, "%.0f", f->max);
    } else if (f->type == DCS_F_NUMBERS || f->type == DCS_F_TABLE || f->unit == DCS_UNIT_NUMBER) {
        snprintf(lo, sizeof lo, "%g", f->min);
        snprintf(hi, sizeof hi, "%g", f->max);
    } else {
        dcs_unit_format(k, f->min, lo, sizeof lo);
        dcs_unit_format(k, f->max, hi, sizeof hi);
    }
    bool has_lo = isfinite(f->min), has_hi = isfinite(f->max);
    bool excl = (f->flags & DCS_MIN_EXCL) != 0;
    if (has_lo && has_hi)
        snprintf(buf, n, "%s%s to %s", excl ? "above " : "", lo, hi);
    else if (has_lo)
        snprintf(buf, n, "%s %s", excl ? "above" : "at least", lo);
    else if (has_hi)
        snprintf(buf, n, "at most %s", hi);
    else
        snprintf(buf, n, "any");
}

static bool in_range(const dcs_field *f, double v)
{
    if (f->flags & DCS_NO_BOUNDS)
        return true;
    bool lo_ok = (f->flags & DCS_MIN_EXCL) ? v > f->min : v >= f->min;
    return lo_ok && v <= f->max;
}

static void parse_map(dcs_schema_ctx *c, const dcs_schema *s, const dcs_ynode *m, void *out);

static bool want_scalar(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, const char *what)
{
    if (v->kind == DCS_Y_SCALAR)
        return true;
    dcs_diag_error(c->d, v->loc, "%s: expected %s, found a %s", f->key, what,
                   dcs_ytree_kind_name(v->kind));
    return false;
}

static void out_of_range(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v)
{
    char r[160];
    range_text(f, r, sizeof r);
    dcs_diag_error(c->d, v->loc, "%s: '%s' is out of range (allowed: %s)", f->key, v->text, r);
}

static void parse_number(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, double *out)
{
    char msg[512];
    double x;
    if (!want_scalar(c, f, v, "a value"))
        return;
    if (!dcs_unit_parse(f->unit, v->text, (f->flags & DCS_BARE_OK) ? DCS_UNIT_BARE_OK : 0,
                        &x, msg, sizeof msg)) {
        dcs_diag_error(c->d, v->loc, "%s: %s", f->key, msg);
        return;
    }
    if (!in_range(f, x)) {
        out_of_range(c, f, v);
        return;
    }
    *out = x;
}

static void parse_field(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, char *base);

/* Items of a LIST or DICT, allocated and stored at the field's offsets. */
static void *alloc_items(dcs_schema_ctx *c, const dcs_field *f, char *base, size_t n, size_t size)
{
    void *items = n ? dcs_ytree_alloc(c->t, n * size) : NULL;
    memcpy(base + f->offset, &items, sizeof items);
    memcpy(base + f->count_offset, &n, sizeof n);
    return items;
}

static const dcs_field *flagged(const dcs_schema *s, unsigned flag)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (s->fields[i].flags & flag)
            return &s->fields[i];
    return NULL;
}

static void parse_dict(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, char *base)
{
    const dcs_schema *s = f->sub;
    char *items = alloc_items(c, f, base, v->n, s->size);
    const dcs_field *namef = flagged(s, DCS_NAME_KEY);
    const dcs_field *scalarf = flagged(s, DCS_SCALAR_FORM);
    for (size_t i = 0; i < v->n; i++) {
        char *item = items + i * s->size;
        const dcs_ynode *e = v->items[i];
        if (namef)
            memcpy(item + namef->offset, &v->keys[i]->text, sizeof(const char *));
        if (e->kind == DCS_Y_SCALAR && scalarf) {
            remember(c, item, s, v);
            parse_field(c, scalarf, e, item);
            if (s->check)
                s->check(item, c);
        } else if (e->kind == DCS_Y_MAP) {
            parse_map(c, s, e, item);
        } else {
            dcs_diag_error(c->d, e->loc, "%s: '%s' must be a mapping of %s parameters, not a %s",
                           f->key, v->keys[i]->text, s->name, dcs_ytree_kind_name(e->kind));
        }
    }
}

/* Whether a DICT may be written as a name or a list of names: its entries
 * take their key from the name and the scalar-form field has a default
 * ("users: [us-east, eu-west]" = equal shares). */
static bool names_form(const dcs_field *f)
{
    const dcs_field *scalarf = flagged(f->sub, DCS_SCALAR_FORM);
    return flagged(f->sub, DCS_NAME_KEY) && scalarf && scalarf->def;
}

/* A DICT written as a name or a list of names: one entry per name, every
 * field at its default; checks point at the name. */
static void parse_dict_names(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v,
                             char *base)
{
    const dcs_schema *s = f->sub;
    const dcs_ynode *const *names =
        v->kind == DCS_Y_SCALAR ? &v : (const dcs_ynode *const *)v->items;
    size_t n = v->kind == DCS_Y_SCALAR ? 1 : v->n;
    char *items = alloc_items(c, f, base, n, s->size);
    const dcs_field *namef = flagged(s, DCS_NAME_KEY);
    for (size_t i = 0; i < n; i++) {
        char *item = items + i * s->size;
        if (!want_scalar(c, f, names[i], "a name"))
            continue;
        parse_map(c, s, NULL, item);
        memcpy(item + namef->offset, &names[i]->text, sizeof(const char *));
        remember(c, item, s, names[i]);
    }
}

/* One bare number of a NUMBERS or TABLE field, range-checked. */
static void parse_bare(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *e, double *out)
{
    if (!want_scalar(c, f, e, "a number"))
        return;
    if (!dcs_unit_parse_number(e->text, out))
        dcs_diag_error(c->d, e->loc, "%s: '%s' is not a plain number (the unit is in the key's "
                       "name)", f->key, e->text);
    else if (!in_range(f, *out))
        out_of_range(c, f, e);
}

static void parse_table(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, char *base)
{
    if (v->kind != DCS_Y_SEQ) {
        dcs_diag_error(c->d, v->loc, "%s: expected a list of rows of %zu numbers, found a %s",
                       f->key, f->cols, dcs_ytree_kind_name(v->kind));
        return;
    }
    if (f->len && v->n != f->len) {
        dcs_diag_error(c->d, v->loc, "%s: expected %zu rows, found %zu", f->key, f->len, v->n);
        return;
    }
    double *cells = alloc_items(c, f, base, v->n * f->cols, sizeof(double));
    for (size_t i = 0; i < v->n; i++) {
        const dcs_ynode *row = v->items[i];
        if (row->kind != DCS_Y_SEQ || row->n != f->cols) {
            if (row->kind == DCS_Y_SEQ)
                dcs_diag_error(c->d, row->loc, "%s: row %zu has %zu numbers, expected %zu",
                               f->key, i + 1, row->n, f->cols);
            else
                dcs_diag_error(c->d, row->loc, "%s: row %zu must be a list of %zu numbers, not "
                               "a %s", f->key, i + 1, f->cols, dcs_ytree_kind_name(row->kind));
            continue;
        }
        for (size_t j = 0; j < f->cols; j++)
            parse_bare(c, f, row->items[j], &cells[i * f->cols + j]);
    }
}

/* One enum name of an ENUM or ENUMS field into *out; false after reporting. */
static bool parse_enum_name(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, int *out)
{
    char names[512];
    if (!want_scalar(c, f, v, "a name"))
        return false;
    for (int i = 0; f->enums[i]; i++) {
        if (strcmp(v->text, f->enums[i]) == 0) {
            *out = i;
            return true;
        }
    }
    const char *near = dcs_schema_suggest(v->text, f->enums, count_names(f->enums));
    if (near)
        dcs_diag_error(c->d, v->loc, "%s: unknown name '%s'; did you mean '%s'? (valid: %s)",
                       f->key, v->text, near, join(f->enums, names, sizeof names));
    else
        dcs_diag_error(c->d, v->loc, "%s: unknown name '%s' (valid: %s)", f->key, v->text,
                       join(f->enums, names, sizeof names));
    return false;
}

/* A name or a list of names of an ENUMS field (at most f->len when set). */
static void parse_enums(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, char *base)
{
    if (v->kind == DCS_Y_SCALAR) {
        int *one = alloc_items(c, f, base, 1, sizeof(int));
        parse_enum_name(c, f, v, &one[0]);
        return;
    }
    if (v->kind != DCS_Y_SEQ) {
        dcs_diag_error(c->d, v->loc, "%s: expected a name or a list of names like [a, b], "
                       "found a %s", f->key, dcs_ytree_kind_name(v->kind));
        return;
    }
    if (f->len && v->n > f->len) {
        dcs_diag_error(c->d, v->loc, "%s: at most %zu names, found %zu", f->key, f->len, v->n);
        return;
    }
    int *items = alloc_items(c, f, base, v->n, sizeof(int));
    for (size_t i = 0; i < v->n; i++)
        parse_enum_name(c, f, v->items[i], &items[i]);
}

static void parse_field(dcs_schema_ctx *c, const dcs_field *f, const dcs_ynode *v, char *base)
{
    char msg[512];
    char *dst = base + f->offset;
    switch (f->type) {
    case DCS_F_NUMBER:
        parse_number(c, f, v, (double *)(void *)dst);
        return;
    case DCS_F_INT: {
        double x;
        if (!want_scalar(c, f, v, "a whole number"))
            return;
        if (!dcs_unit_parse_number(v->text, &x) || x != nearbyint(x) || fabs(x) > 9.0e15) {
            dcs_diag_error(c->d, v->loc, "%s: '%s' is not a whole number", f->key, v->text);
            return;
        }
        if (!in_range(f, x)) {
            out_of_range(c, f, v);
            return;
        }
        int64_t k = (int64_t)x;
        memcpy(dst, &k, sizeof k);
        return;
    }
    case DCS_F_DURATION: {
        dcs_time t;
        if (!want_scalar(c, f, v, "a duration"))
            return;
        if (!dcs_unit_parse_duration(v->text, &t, msg, sizeof msg)) {
            dcs_diag_error(c->d, v->loc, "%s: %s", f->key, msg);
            return;
        }
        if (!in_range(f, (double)t)) {
            out_of_range(c, f, v);
            return;
        }
        memcpy(dst, &t, sizeof t);
        return;
    }
    case DCS_F_STRING:
        if (!want_scalar(c, f, v, "a name or text"))
            return;
        memcpy(dst, &v->text, sizeof v->text);
        return;
    case DCS_F_BOOL: {
        if (!want_scalar(c, f, v, "true or false"))
            return;
        bool b = strcmp(v->text, "true") == 0;
        if (!b && strcmp(v->text, "false") != 0) {
            dcs_diag_error(c->d, v->loc, "%s: '%s' must be true or false", f->key, v->text);
            return;
        }
        memcpy(dst, &b, sizeof b);
        return;
    }
    case DCS_F_ENUM: {
        int i;
        if (parse_enum_name(c, f, v, &i))
            memcpy(dst, &i, sizeof i);
        return;
    }
    case DCS_F_MAP: {
        const dcs_field *scalarf = flagged(f->sub, DCS_SCALAR_FORM);
        if (v->kind == DCS_Y_SCALAR && scalarf) {
            /* "model: Llama-3.1-70B": the other fields take their defaults,
             * and checks point at the scalar. */
            parse_map(c, f->sub, NULL, dst);
            int errors_before = dcs_diag_errors(c->d);
            remember(c, dst, f->sub, v);
            parse_field(c, scalarf, v, dst);
            if (f->sub->check && dcs_diag_errors(c->d) == errors_before)
                f->sub->check(dst, c);
            return;
        }
        if (v->kind != DCS_Y_MAP) {
            dcs_diag_error(c->d, v->loc, "%s: expected a mapping of %s parameters, found a %s",
                           f->key, f->sub->name, dcs_ytree_kind_name(v->kind));
            return;
        }
        parse_map(c, f->sub, v, dst);
        return;
    }
    case DCS_F_LIST: {
        if (v->kind != DCS_Y_SEQ) {
            dcs_diag_error(c->d, v->loc, "%s: expected a list of %s mappings, found a %s",
                           f->key, f->sub->name, dcs_ytree_kind_name(v->kind));
            return;
        }
        char *items = alloc_items(c, f, base, v->n, f->sub->size);
        for (size_t i = 0; i < v->n; i++) {
            if (v->items[i]->kind != DCS_Y_MAP) {
                dcs_diag_error(c->d, v->items[i]->loc, "%s: item %zu must be a mapping of %s "
                               "parameters, not a %s", f->key, i + 1, f->sub->name,
                               dcs_ytree_kind_name(v->items[i]->kind));
                continue;
            }
            parse_map(c, f->sub, v->items[i], items + i * f->sub->size);
        }
        return;
    }
    case DCS_F_DICT:
        if (names_form(f) && (v->kind == DCS_Y_SCALAR || v->kind == DCS_Y_SEQ)) {
            parse_dict_names(c, f, v, base);
            return;
        }
        if (v->kind != DCS_Y_MAP) {
            dcs_diag_error(c->d, v->loc, "%s: expected a mapping from names to %s entries, "
                           "found a %s", f->key, f->sub->name, dcs_ytree_kind_name(v->kind));
            return;
        }
        parse_dict(c, f, v, base);
        return;
    case DCS_F_STRINGS: {
        if (v->kind == DCS_Y_SCALAR) {
            /* One name needs no brackets: "include: a.yaml". */
            const char **one = alloc_items(c, f, base, 1, sizeof(const char *));
            one[0] = v->text;
            return;
        }
        if (v->kind != DCS_Y_SEQ) {
            dcs_diag_error(c->d, v->loc, "%s: expected a list of names like [a, b], found a %s",
                           f->key, dcs_ytree_kind_name(v->kind));
            return;
        }
        const char **items = alloc_items(c, f, base, v->n, sizeof(const char *));
        for (size_t i = 0; i < v->n; i++)
            if (want_scalar(c, f, v->items[i], "a name"))
                items[i] = v->items[i]->text;
        return;
    }
    case DCS_F_NUMBERS: {
        if (v->kind != DCS_Y_SEQ) {
            dcs_diag_error(c->d, v->loc, "%s: expected a list of numbers, found a %s", f->key,
                           dcs_ytree_kind_name(v->kind));
            return;
        }
        if (f->len && v->n != f->len) {
            dcs_diag_error(c->d, v->loc, "%s: expected %zu numbers, found %zu", f->key, f->len,
                           v->n);
            return;
        }
        double *items = alloc_items(c, f, base, v->n, sizeof(double));
        for (size_t i = 0; i < v->n; i++)
            parse_bare(c, f, v->items[i], &items[i]);
        return;
    }
    case DCS_F_TABLE:
        parse_table(c, f, v, base);
        return;
    case DCS_F_OPAQUE:
        memcpy(dst, &v, sizeof v);
        return;
    case DCS_F_ENUMS:
        parse_enums(c, f, v, base);
        return;
    }
}

/* The value of a field that was not written and has no default. */
static void set_absent(dcs_schema_ctx *c, const dcs_field *f, char *base)
{
    if (f->type == DCS_F_NUMBER) {
        double nan = NAN;
        memcpy(base + f->offset, &nan, sizeof nan);
    } else if (f->type == DCS_F_MAP) {
        parse_map(c, f->sub, NULL, base + f->offset);
    }
}

static void unknown_key(dcs_schema_ctx *c, const dcs_schema *s, const dcs_ynode *k)
{
    const char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < s->nfields && n < 128; i++)
        if (!(s->fields[i].flags & DCS_NAME_KEY))
            names[n++] = s->fields[i].key;
    const char *near = dcs_schema_suggest(k->text, names, n);
    if (near) {
        dcs_diag_error(c->d, k->loc, "unknown key '%s' in %s; did you mean '%s'?", k->text,
                       s->name, near);
        return;
    }
    char list[1024];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    dcs_diag_error(c->d, k->loc, "unknown key '%s' in %s (valid keys: %s)", k->text, s->name,
                   list);
}

static void parse_map(dcs_schema_ctx *c, const dcs_schema *s, const dcs_ynode *m, void *out)
{
    char *base = out;
    int errors_before = dcs_diag_errors(c->d);
    remember(c, out, s, m);
    if (m) {
        for (size_t i = 0; i < m->n; i++) {
            const dcs_field *f = NULL;
            for (size_t j = 0; j < s->nfields && !f; j++)
                if (!(s->fields[j].flags & DCS_NAME_KEY) &&
                    strcmp(s->fields[j].key, m->keys[i]->text) == 0)
                    f = &s->fields[j];
            if (!f)
                unknown_key(c, s, m->keys[i]);
        }
    }
    for (size_t j = 0; j < s->nfields; j++) {
        const dcs_field *f = &s->fields[j];
        if (f->flags & DCS_NAME_KEY)
            continue;
        const dcs_ynode *v = m ? dcs_ytree_get(m, f->key) : NULL;
        if (v) {
            parse_field(c, f, v, base);
        } else if (f->def) {
            /* Defaults are parsed like user text; they are located at the
             * mapping they complete, should a table carry a bad one. */
            dcs_loc at = m ? m->loc : (dcs_loc){"(default)", 0, 0};
            parse_field(c, f, dcs_ytree_scalar(c->t, f->def, at), base);
        } else {
            set_absent(c, f, base);
            if (m && (f->flags & DCS_REQUIRED))
                dcs_diag_error(c->d, m->loc, "missing required key '%s' in %s", f->key, s->name);
        }
    }
    /* A struct with errors inside holds half-filled values, and checking
     * them would only repeat the errors in other words.  The root's check
     * resolves names across the whole scenario and copes with missing
     * values, so it always runs. */
    bool root = c->nseen > 0 && c->seen[0].obj == out && c->seen[0].schema == s;
    if (s->check && m && (root || dcs_diag_errors(c->d) == errors_before))
        s->check(out, c);
}

int dcs_schema_parse(const dcs_schema *s, const dcs_ynode *m, void *out, dcs_ytree *t,
                     dcs_diag *d)
{
    dcs_schema_ctx c = {t, d, NULL, 0, 0};
    int before = dcs_diag_errors(d);
    if (m && m->kind != DCS_Y_MAP)
        dcs_diag_error(d, m->loc, "expected a mapping of %s keys, found a %s", s->name,
                       dcs_ytree_kind_name(m->kind));
    else
        parse_map(&c, s, m, out);
    free(c.seen);
    return dcs_diag_errors(d) - before;
}
