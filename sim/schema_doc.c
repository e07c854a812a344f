/*
 * schema_doc.c - print parameter tables as text or Markdown.
 *
 * `dcsim validate --schema [--markdown]` prints every table reachable from
 * the scenario's, each once, in the order first met (depth first); the
 * committed docs/scenario-reference.md is this output, and a test keeps the
 * two equal, so the reference cannot drift from the code.
 */
#include "dcsim/schema.h"

#include <math.h>
#include <string.h>

enum { MAX_TABLES = 128 };

static void collect(const dcs_schema *s, const dcs_schema **all, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        if (all[i] == s)
            return;
    if (*n == MAX_TABLES)
        return;
    all[(*n)++] = s;
    for (size_t i = 0; i < s->nfields; i++)
        if (s->fields[i].sub)
            collect(s->fields[i].sub, all, n);
}

/* The names of an enumeration joined for a type column: "`a`, `b`" in
 * Markdown, "a | b" in plain text; cut short if names is too small. */
static void join_names(const char *const *enums, bool md, char *names, size_t size)
{
    size_t used = 0;
    names[0] = '\0';
    for (size_t i = 0; enums[i]; i++) {
        int w = snprintf(names + used, size - used, md ? "%s`%s`" : "%s%s",
                         i ? (md ? ", " : " | ") : "", enums[i]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static void type_text(const dcs_field *f, bool md, char *buf, size_t n)
{
    char syms[256], names[512];
    const char *sub = f->sub ? f->sub->name : "";
    switch (f->type) {
    case DCS_F_NUMBER:
        if (f->unit == DCS_UNIT_NUMBER)
            snprintf(buf, n, "number");
        else if (f->flags & DCS_BARE_OK)
            snprintf(buf, n, "%s (%s, or a bare number: 0.3 = 30 %%)", dcs_unit_kind_name(f->unit),
                     dcs_unit_symbols(f->unit, syms, sizeof syms));
        else
            snprintf(buf, n, "%s (%s)", dcs_unit_kind_name(f->unit),
                     dcs_unit_symbols(f->unit, syms, sizeof syms));
        return;
    case DCS_F_INT: snprintf(buf, n, "integer"); return;
    case DCS_F_DURATION: snprintf(buf, n, "duration (e.g. 90 s, 3 d 14 h)"); return;
    case DCS_F_STRING: snprintf(buf, n, "string"); return;
    case DCS_F_BOOL: snprintf(buf, n, "true or false"); return;
    case DCS_F_ENUM: {
        join_names(f->enums, md, names, sizeof names);
        snprintf(buf, n, "one of %s", names);
        return;
    }
    case DCS_F_MAP: {
        const char *scalar = NULL;
        for (size_t i = 0; i < f->sub->nfields && !scalar; i++)
            if (f->sub->fields[i].flags & DCS_SCALAR_FORM)
                scalar = f->sub->fields[i].key;
        if (scalar && md)
            snprintf(buf, n, "mapping: [%s](#%s), or a scalar for its `%s`", sub, sub, scalar);
        else if (scalar)
            snprintf(buf, n, "mapping: %s, or a scalar for its %s", sub, scalar);
        else
            snprintf(buf, n, md ? "mapping: [%s](#%s)" : "mapping: %s", sub, sub);
        return;
    }
    case DCS_F_LIST:
        snprintf(buf, n, md ? "list of [%s](#%s)" : "list of %s", sub, sub);
        return;
    case DCS_F_DICT: {
        bool names_ok = false;
        for (size_t i = 0; i < f->sub->nfields; i++)
            if ((f->sub->fields[i].flags & DCS_SCALAR_FORM) && f->sub->fields[i].def)
                names_ok = true;
        const char *also = names_ok ? ", or a name or list of names" : "";
        if (md)
            snprintf(buf, n, "mapping of name to [%s](#%s)%s", sub, sub, also);
        else
            snprintf(buf, n, "mapping of name to %s%s", sub, also);
        return;
    }
    case DCS_F_STRINGS: snprintf(buf, n, "list of strings, or one string"); return;
    case DCS_F_NUMBERS:
        if (f->len)
            snprintf(buf, n, "list of %zu numbers (unit in the key's name)", f->len);
        else
            snprintf(buf, n, "list of numbers (unit in the key's name)");
        return;
    case DCS_F_TABLE:
        if (f->len)
            snprintf(buf, n, "%zu rows of %zu numbers (unit in the key's name)", f->len, f->cols);
        else
            snprintf(buf, n, "rows of %zu numbers (unit in the key's name)", f->cols);
        return;
    case DCS_F_OPAQUE: snprintf(buf, n, "any YAML (read by its model)"); return;
    case DCS_F_ENUMS: {
        join_names(f->enums, md, names, sizeof names);
        if (f->len)
            snprintf(buf, n, "one of %s, or a list of up to %zu of them", names, f->len);
        else
            snprintf(buf, n, "one of %s, or a list of them", names);
        return;
    }
    }
    buf[0] = '\0';
}

static void range_doc(const dcs_field *f, char *buf, size_t n)
{
    buf[0] = '\0';
    if (f->type != DCS_F_NUMBER && f->type != DCS_F_INT && f->type != DCS_F_DURATION &&
        f->type != DCS_F_NUMBERS && f->type != DCS_F_TABLE)
        return;
    if (f->flags & DCS_NO_BOUNDS)
        return;
    char lo[64], hi[64];
    dcs_unit_kind k = f->type == DCS_F_DURATION ? DCS_UNIT_DURATION : f->unit;
    if (f->type == DCS_F_INT) {
        snprintf(lo, sizeof lo, "%.0f", f->min);
        snprintf(hi, sizeof hi, "%.0f", f->max);
    } else if (f->type == DCS_F_NUMBERS || f->type == DCS_F_TABLE ||
               f->unit == DCS_UNIT_NUMBER) {
        snprintf(lo, sizeof lo, "%g", f->min);
        snprintf(hi, sizeof hi, "%g", f->max);
    } else {
        dcs_unit_format(k, f->min, lo, sizeof lo);
        dcs_unit_format(k, f->max, hi, sizeof hi);
    }
    const char *open = (f->flags & DCS_MIN_EXCL) ? ">" : ">=";
    if (isfinite(f->min) && isfinite(f->max))
        snprintf(buf, n, "%s %s, <= %s", open, lo, hi);
    else if (isfinite(f->min))
        snprintf(buf, n, "%s %s", open, lo);
    else if (isfinite(f->max))
        snprintf(buf, n, "<= %s", hi);
}

static void default_doc(const dcs_field *f, bool md, char *buf, size_t n)
{
    if (f->flags & DCS_REQUIRED)
        snprintf(buf, n, "required");
    else if (f->flags & DCS_NAME_KEY)
        snprintf(buf, n, "(the entry's name)");
    else if (f->def)
        snprintf(buf, n, md ? "`%s`" : "default %s", f->def);
    else
        snprintf(buf, n, md ? "-" : "optional");
}

void dcs_schema_print(const dcs_schema *root, bool markdown, FILE *out)
{
    const dcs_schema *all[MAX_TABLES];
    size_t n = 0;
    collect(root, all, &n);
    for (size_t t = 0; t < n; t++) {
        const dcs_schema *s = all[t];
        if (markdown) {
            fprintf(out, "%s## %s\n\n%s\n\n", t ? "\n" : "", s->name, s->help);
            fprintf(out, "| key | type | default | range | meaning |\n"
                         "|---|---|---|---|---|\n");
        } else {
            fprintf(out, "%s%s: %s\n", t ? "\n" : "", s->name, s->help);
        }
        for (size_t i = 0; i < s->nfields; i++) {
            const dcs_field *f = &s->fields[i];
            char type[768], range[160], def[160];
            type_text(f, markdown, type, sizeof type);
            range_doc(f, range, sizeof range);
            default_doc(f, markdown, def, sizeof def);
            if (markdown)
                fprintf(out, "| `%s` | %s | %s | %s | %s |\n", f->key, type, def, range, f->help);
            else
                fprintf(out, "  %-20s %s; %s%s%s\n  %-20s %s\n", f->key, type, def,
                        range[0] ? "; " : "", range, "", f->help);
        }
    }
}
