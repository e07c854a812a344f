/*
 * scenario.c - loading a scenario: read, include, override, validate.
 *
 *   1. read the file and, recursively, its `include:` files
 *      (dcs_scenario_read: search path, cycle detection, deep merge);
 *   2. apply each --set override in order (sim/scenario_set.c);
 *   3. walk the merged tree against dcs_scenario_schema (sim/schema.c), which
 *      fills the structs and runs the cross-field checks;
 *   4. emit the effective text for the trace (without `include:`, whose
 *      content is already merged in).
 * Nothing is returned unless all steps succeed; every problem of every step
 * that could run is in the diag.
 */
#define _XOPEN_SOURCE 700   /* realpath */

#include "dcsim/scenario.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_INCLUDE_DEPTH = 16 };

#ifndef DCSIM_SOURCE_DIR
#define DCSIM_SOURCE_DIR "."
#endif

typedef struct includer {
    dcs_ytree *t;
    dcs_diag *d;
    const char *top_dir;                       /* folder of the scenario */
    const char *stack[MAX_INCLUDE_DEPTH + 1];  /* real paths being read */
    const char *shown[MAX_INCLUDE_DEPTH + 1];  /* their names in messages */
    int depth;
} includer;

/* The folder part of path ("a/b.yaml" -> "a/", "b.yaml" -> ""). */
static char *dir_of(dcs_ytree *t, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    char *d = dcs_ytree_alloc(t, n + 1);
    memcpy(d, path, n);
    return d;
}

static bool readable(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    fclose(f);
    return true;
}

static char *join(dcs_ytree *t, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = dcs_ytree_alloc(t, n);
    snprintf(p, n, "%s%s%s", dir, (dir[0] && dir[strlen(dir) - 1] != '/') ? "/" : "", name);
    return p;
}

/* Find an included file: beside the including file, in the scenario's
 * folder, then in the source tree's scenarios/ and scenarios/catalog/. */
static const char *resolve(includer *c, const char *from, const char *name)
{
    if (name[0] == '/')
        return readable(name) ? name : NULL;
    const char *dirs[] = {dir_of(c->t, from), c->top_dir, DCSIM_SOURCE_DIR "/scenarios",
                          DCSIM_SOURCE_DIR "/scenarios/catalog"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        const char *p = join(c->t, dirs[i], name);
        if (readable(p))
            return p;
    }
    return NULL;
}

static dcs_ynode *read_file(includer *c, const char *path, dcs_loc at, bool top);

/* Read every include of root (a mapping) in order, merged; NULL if none. */
static dcs_ynode *read_includes(includer *c, const char *path, const dcs_ynode *inc, bool *ok)
{
    dcs_ynode *merged = NULL;
    const dcs_ynode *const *items = inc->kind == DCS_Y_SEQ ? (const dcs_ynode *const *)inc->items
                                                           : (const dcs_ynode *const *)&inc;
    size_t n = inc->kind == DCS_Y_SEQ ? inc->n : 1;
    if (inc->kind == DCS_Y_MAP) {
        dcs_diag_error(c->d, inc->loc, "include: expected a file name or a list of them, found "
                       "a mapping");
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const dcs_ynode *it = items[i];
        if (it->kind != DCS_Y_SCALAR || !it->text[0]) {
            dcs_diag_error(c->d, it->loc, "include: expected a file name, found a %s",
                           it->kind == DCS_Y_SCALAR ? "empty text" : dcs_ytree_kind_name(it->kind));
            *ok = false;
            continue;
        }
        const char *p = resolve(c, path, it->text);
        if (!p) {
            dcs_diag_error(c->d, it->loc, "include: cannot find '%s' (looked beside %s, in the "
                           "scenario's folder and in scenarios/catalog/)", it->text, path);
            *ok = false;
            continue;
        }
        dcs_ynode *sub = read_file(c, p, it->loc, false);
        if (!sub) {
            *ok = false;
            continue;
        }
        merged = dcs_ytree_merge(c->t, merged, sub);
    }
    return merged;
}

static dcs_ynode *read_file(includer *c, const char *path, dcs_loc at, bool top)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        snprintf(real, sizeof real, "%s", path);
    for (int i = 0; i < c->depth; i++) {
        if (strcmp(c->stack[i], real) == 0) {
            dcs_diag_error(c->d, at, "include cycle: %s includes %s, which is already being "
                           "read", c->shown[c->depth - 1], path);
            return NULL;
        }
    }
    if (c->depth == MAX_INCLUDE_DEPTH) {
        dcs_diag_error(c->d, at, "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
        return NULL;
    }
    dcs_ynode *root = dcs_ytree_load_file(c->t, path, path, c->d);
    if (!root)
        return NULL;
    if (root->kind != DCS_Y_MAP) {
        dcs_diag_error(c->d, root->loc, "expected a mapping of scenario keys, found a %s",
                       dcs_ytree_kind_name(root->kind));
        return NULL;
    }
    long ii = dcs_ytree_find(root, "include");
    if (ii < 0)
        return root;
    c->stack[c->depth] = dcs_ytree_strdup(c->t, real);
    c->shown[c->depth] = root->loc.file;
    c->depth++;
    bool ok = true;
    dcs_ynode *merged = read_includes(c, path, root->items[ii], &ok);
    c->depth--;
    if (!ok)
        return NULL;
    /* The top file keeps its include list (the schema checks it and the
     * loader records it); included files' lists are spent here. */
    if (!top)
        dcs_ytree_remove(root, (size_t)ii);
    return dcs_ytree_merge(c->t, merged, root);
}

dcs_ynode *dcs_scenario_read(dcs_ytree *t, const char *path, dcs_diag *d)
{
    includer c = {t, d, dir_of(t, path), {NULL}, {NULL}, 0};
    return read_file(&c, path, (dcs_loc){path, 0, 0}, true);
}

dcs_status dcs_scenario_load(const char *path, const char *const *sets, int nsets,
                             dcs_diag *d, dcs_scenario **out)
{
    *out = NULL;
    dcs_ytree *t = dcs_ytree_new();
    dcs_ynode *root = dcs_scenario_read(t, path, d);
    if (!root) {
        dcs_ytree_free(t);
        return DCS_EINPUT;
    }
    bool ok = true;
    for (int i = 0; i < nsets; i++)
        ok &= dcs_scenario_apply_set(t, root, sets[i], i + 1, d);
    dcs_scenario *s = dcs_ytree_alloc(t, sizeof *s);
    int errors = dcs_schema_parse(&dcs_scenario_schema, root, s, t, d);
    if (!ok || errors) {
        dcs_ytree_free(t);
        return DCS_EINPUT;
    }
    long ii = dcs_ytree_find(root, "include");
    if (ii >= 0)
        dcs_ytree_remove(root, (size_t)ii);
    s->tree_ = t;
    s->root_ = root;
    s->text_ = dcs_ytree_emit(root);
    if (!s->text_) {
        dcs_ytree_free(t);
        return DCS_ENOMEM;
    }
    *out = s;
    return DCS_OK;
}

void dcs_scenario_free(dcs_scenario *s)
{
    if (!s)
        return;
    free(s->text_);
    dcs_ytree_free(s->tree_);   /* s itself lives in the tree */
}

const char *dcs_scenario_text(const dcs_scenario *s)
{
    return s->text_;
}
