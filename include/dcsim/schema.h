/*
 * schema.h - parameter tables and the one validator that walks them.
 *
 * Every parameter struct a scenario fills (a site, a cooling plant, an
 * accelerator) is described by one table of fields: the key users write, its
 * type, unit kind, where it goes in the C struct (offsetof), whether it is
 * required or its default (written as scenario text, "5 min", so the docs
 * show it as users write it), bounds in internal units, enum names and a help
 * line.  dcs_schema_parse walks a YAML mapping against a table, filling the
 * struct, and reports every problem it finds as a located error:
 *   unknown key (with a nearest-name suggestion), missing required key,
 *   wrong type, bad or missing unit, out-of-range value (quoting what was
 *   written and the allowed range), unknown enum name (listing valid ones),
 * and then calls the table's cross-field check, which can report more with
 * dcs_schema_error.  Adding a parameter is one line in a table (see the
 * DCS_FIELD_* helpers below and the tables in sim/scenario_tables.c).
 *
 * Storage of each field type in the C struct:
 *   DCS_F_NUMBER    double, internal units (absent without default: NAN)
 *   DCS_F_INT       int64_t                (absent without default: 0)
 *   DCS_F_DURATION  dcs_time               (absent without default: 0)
 *   DCS_F_STRING    const char *           (absent: NULL; owned by the tree)
 *   DCS_F_BOOL      bool
 *   DCS_F_ENUM      int, index into enums  (absent without default: 0)
 *   DCS_F_MAP       the nested struct itself, filled by sub (absent: its
 *                   defaults applied, its required keys not demanded); when
 *                   the value is a scalar and sub has a field flagged
 *                   DCS_SCALAR_FORM, the scalar fills that field and the
 *                   others take their defaults ("model: Llama-3.1-70B")
 *   DCS_F_LIST      list of mappings: T *items at offset, size_t count at
 *                   count_offset, each item filled by sub
 *   DCS_F_DICT      mapping name -> entry: stored like a list; the entry's
 *                   field flagged DCS_NAME_KEY gets the name, and when the
 *                   value is a scalar it fills the field flagged DCS_SCALAR_FORM
 *   DCS_F_STRINGS   const char **items at offset, size_t count at count_offset
 *                   (a single scalar is a list of one)
 *   DCS_F_NUMBERS   double *items at offset, size_t count at count_offset;
 *                   bare numbers whose unit is in the key's name
 *                   ("dry_bulb_mean_c"), len > 0 fixes the count
 *   DCS_F_TABLE     rows of `cols` bare numbers ([[..], [..]], e.g. 12 months x
 *                   24 hours): double *items row-major at offset, size_t
 *                   count (rows * cols) at count_offset; len > 0 fixes rows
 *   DCS_F_OPAQUE    const dcs_ynode * (any YAML, kept for a model to read)
 *   DCS_F_ENUMS     int *items at offset (indices into enums), size_t count
 *                   at count_offset; a single name is a list of one; len > 0
 *                   is the most names allowed
 */
#ifndef DCSIM_SCHEMA_H
#define DCSIM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/units.h"
#include "dcsim/ytree.h"

typedef enum {
    DCS_F_NUMBER, DCS_F_INT, DCS_F_DURATION, DCS_F_STRING, DCS_F_BOOL,
    DCS_F_ENUM, DCS_F_MAP, DCS_F_LIST, DCS_F_DICT, DCS_F_STRINGS,
    DCS_F_NUMBERS, DCS_F_TABLE, DCS_F_OPAQUE, DCS_F_ENUMS
} dcs_field_type;

/* Field flags. */
enum {
    DCS_REQUIRED    = 1u << 0,  /* must be given */
    DCS_BARE_OK     = 1u << 1,  /* fraction: a bare number (0.3) is accepted */
    DCS_MIN_EXCL    = 1u << 2,  /* value must be > min, not >= min */
    DCS_NAME_KEY    = 1u << 3,  /* DICT entry: filled from the dictionary key */
    DCS_SCALAR_FORM = 1u << 4,  /* DICT entry or MAP: filled when the value is a scalar */
    DCS_NO_BOUNDS   = 1u << 5   /* no range check: min and max are ignored */
};

typedef struct dcs_schema dcs_schema;
typedef struct dcs_schema_ctx dcs_schema_ctx;

typedef struct dcs_field {
    const char *key;
    dcs_field_type type;
    dcs_unit_kind unit;          /* NUMBER, NUMBERS */
    size_t offset;
    size_t count_offset;         /* LIST, DICT, STRINGS, NUMBERS */
    unsigned flags;
    const char *def;             /* default, as scenario text; NULL = none */
    double min, max;             /* internal units (durations in ns) */
    const char *const *enums;    /* ENUM: NULL-terminated names */
    const dcs_schema *sub;       /* MAP, LIST, DICT */
    size_t len;                  /* NUMBERS: required count, 0 = any;
                                    TABLE: required rows, 0 = any */
    size_t cols;                 /* TABLE: numbers per row (> 0) */
    const char *help;
} dcs_field;

/* Cross-field check, called after the struct at obj was filled. */
typedef void (*dcs_schema_check_fn)(void *obj, dcs_schema_ctx *ctx);

struct dcs_schema {
    const char *name;            /* "site": used in messages and docs */
    size_t size;                 /* sizeof the struct (for LIST/DICT items) */
    const dcs_field *fields;
    size_t nfields;
    dcs_schema_check_fn check;   /* may be NULL */
    const char *help;            /* a sentence for the docs */
};

/* Fill the struct at out (zeroed by the caller) from mapping m according to
 * s, allocating lists and strings in t and reporting problems to d.  A NULL
 * m applies defaults only.  Returns the number of errors reported. */
int dcs_schema_parse(const dcs_schema *s, const dcs_ynode *m, void *out,
                     dcs_ytree *t, dcs_diag *d);

/* For check callbacks: where the value of key was written in the mapping that
 * filled obj (any struct filled during this parse, at any depth), or where
 * that mapping starts when key is NULL or absent.  An unknown obj gives a
 * location with no file. */
dcs_loc dcs_schema_loc(const dcs_schema_ctx *ctx, const void *obj, const char *key);
/* Whether key was written (not defaulted) in the mapping that filled obj. */
bool dcs_schema_given(const dcs_schema_ctx *ctx, const void *obj, const char *key);
/* Report an error at dcs_schema_loc(ctx, obj, key). */
void dcs_schema_error(dcs_schema_ctx *ctx, const void *obj, const char *key,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The tree that owns the scenario's memory, for checks that allocate. */
dcs_ytree *dcs_schema_tree(dcs_schema_ctx *ctx);

/* The valid name nearest to word (optimal string alignment distance at most
 * 2, and less than half of word's length), or NULL. */
const char *dcs_schema_suggest(const char *word, const char *const *names, size_t n);

/* Print the table s and every table reachable from it, each once, as plain
 * text or as Markdown (the scenario reference in docs/). */
void dcs_schema_print(const dcs_schema *s, bool markdown, FILE *out);

/* Helpers for one-line table entries. */
#define DCS_FIELD_NUM(T, m, key, kind, fl, def, lo, hi, help) \
    {key, DCS_F_NUMBER, kind, offsetof(T, m), 0, fl, def, lo, hi, NULL, NULL, 0, 0, help}
#define DCS_FIELD_INT(T, m, key, fl, def, lo, hi, help) \
    {key, DCS_F_INT, DCS_UNIT_NUMBER, offsetof(T, m), 0, fl, def, lo, hi, NULL, NULL, 0, 0, help}
#define DCS_FIELD_DUR(T, m, key, fl, def, lo, hi, help) \
    {key, DCS_F_DURATION, DCS_UNIT_DURATION, offsetof(T, m), 0, fl, def, lo, hi, NULL, NULL, 0, 0, help}
#define DCS_FIELD_STR(T, m, key, fl, def, help) \
    {key, DCS_F_STRING, DCS_UNIT_NUMBER, offsetof(T, m), 0, fl, def, 0, 0, NULL, NULL, 0, 0, help}
#define DCS_FIELD_BOOL(T, m, key, fl, def, help) \
    {key, DCS_F_BOOL, DCS_UNIT_NUMBER, offsetof(T, m), 0, fl, def, 0, 0, NULL, NULL, 0, 0, help}
#define DCS_FIELD_ENUM(T, m, key, fl, def, names, help) \
    {key, DCS_F_ENUM, DCS_UNIT_NUMBER, offsetof(T, m), 0, fl, def, 0, 0, names, NULL, 0, 0, help}
#define DCS_FIELD_MAP(T, m, key, fl, sub, help) \
    {key, DCS_F_MAP, DCS_UNIT_NUMBER, offsetof(T, m), 0, fl, NULL, 0, 0, NULL, sub, 0, 0, help}
#define DCS_FIELD_LIST(T, m, key, fl, sub, help) \
    {key, DCS_F_LIST, DCS_UNIT_NUMBER, offsetof(T, m), offsetof(T, n##m), fl, NULL, 0, 0, NULL, sub, 0, 0, help}
#define DCS_FIELD_DICT(T, m, key, fl, sub, help) \
    {key, DCS_F_DICT, DCS_UNIT_NUMBER, offsetof(T, m), offsetof(T, n##m), fl, NULL, 0, 0, NULL, sub, 0, 0, help}
#define DCS_FIELD_STRS(T, m, key, fl, help) \
    {key, DCS_F_STRINGS, DCS_UNIT_NUMBER, offsetof(T, m), offsetof(T, n##m), fl, NULL, 0, 0, NULL, NULL, 0, 0, help}
#define DCS_FIELD_NUMS(T, m, key, fl, len, lo, hi, help) \
    {key, DCS_F_NUMBERS, DCS_UNIT_NUMBER, offsetof(T, m), offsetof(T, n##m), fl, NULL, lo, hi, NULL, NULL, len, 0, help}
#define DCS_FIELD_TABLE(T, m, key, fl, rows, ncols, lo, hi, help) \
    {key, DCS_F_TABLE, DCS_UNIT_NUMBER, offsetof(T, m), offsetof(T, n##m), fl, NULL, lo, hi, NULL, NULL, rows, ncols, help}
#define DCS_FIELD_ENUMS(T, m, key, fl, maxn, names, help) \
    {key, DCS_F_ENUMS, DCS_UNIT_NUMBER, offsetof(T, m), offsetof(T, n##m), fl, NULL, 0, 0, names, NULL, maxn, 0, help}
#define DCS_FIELD_ANY(T, m, key, fl, help) \
    {key, DCS_F_OPAQUE, DCS_UNIT_NUMBER, offsetof(T, m), 0, fl, NULL, 0, 0, NULL, NULL, 0, 0, help}

#define DCS_SCHEMA(nm, T, fields, check, help) \
    {nm, sizeof(T), fields, sizeof(fields) / sizeof((fields)[0]), check, help}

#endif
