/*
 * ytree.c - YAML text to a tree of located nodes, through libyaml.
 *
 * This is the only file that includes libyaml.  It loads one document with
 * yaml_parser_load (libyaml's document API, whose nodes carry start marks)
 * and copies it into dcs_ynode trees allocated in the dcs_ytree arena, adding
 * checks libyaml does not make: tabs in indentation, NUL bytes, duplicate
 * keys, more than one document, and bounds on depth and node count (aliases
 * are expanded into copies, so "billion laughs" inputs must be stopped).
 * libyaml's marks are 0-based; dcsim's locations are 1-based.
 */
#include "dcsim/ytree.h"

#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum { MAX_DEPTH = 64, MAX_NODES = 1000000, CHUNK = 64 * 1024 };
/* Largest file read (64 MiB, far above any scenario or catalog): an endless
 * source such as `include: [/dev/zero]` would otherwise be read until memory
 * runs out (found while writing the loader's fuzz harness). */
#define MAX_FILE_B ((size_t)64 * 1024 * 1024)

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct dcs_ytree {
    chunk *head;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

dcs_ytree *dcs_ytree_new(void)
{
    dcs_ytree *t = xmalloc(sizeof *t);
    t->head = NULL;
    return t;
}

void dcs_ytree_free(dcs_ytree *t)
{
    if (!t)
        return;
    for (chunk *c = t->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(t);
}

void *dcs_ytree_alloc(dcs_ytree *t, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    if (!t->head || t->head->cap - t->head->used < size) {
        size_t cap = size > CHUNK ? size : CHUNK;
        chunk *c = xmalloc(sizeof *c + cap);
        c->used = 0;
        c->cap = cap;
        c->next = t->head;
        t->head = c;
    }
    void *p = t->head->data + t->head->used;
    t->head->used += size;
    memset(p, 0, size);
    return p;
}

char *dcs_ytree_strdup(dcs_ytree *t, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = dcs_ytree_alloc(t, n);
    memcpy(p, s, n);
    return p;
}

static dcs_ynode *new_node(dcs_ytree *t, dcs_ykind kind, dcs_loc loc)
{
    dcs_ynode *n = dcs_ytree_alloc(t, sizeof *n);
    n->kind = kind;
    n->loc = loc;
    return n;
}

dcs_ynode *dcs_ytree_scalar(dcs_ytree *t, const char *text, dcs_loc loc)
{
    dcs_ynode *n = new_node(t, DCS_Y_SCALAR, loc);
    n->text = dcs_ytree_strdup(t, text);
    return n;
}

dcs_ynode *dcs_ytree_map(dcs_ytree *t, dcs_loc loc) { return new_node(t, DCS_Y_MAP, loc); }
dcs_ynode *dcs_ytree_seq(dcs_ytree *t, dcs_loc loc) { return new_node(t, DCS_Y_SEQ, loc); }

void dcs_ytree_append(dcs_ytree *t, dcs_ynode *parent, dcs_ynode *key, dcs_ynode *value)
{
    if (parent->n == parent->cap) {
        /* Arena blocks cannot grow in place: copy into a block twice as big.
         * Scenario mappings are small, so the abandoned blocks cost little. */
        size_t cap = parent->cap ? 2 * parent->cap : 4;
        dcs_ynode **items = dcs_ytree_alloc(t, cap * sizeof *items);
        if (parent->n)
            memcpy(items, parent->items, parent->n * sizeof *items);
        parent->items = items;
        if (parent->kind == DCS_Y_MAP) {
            dcs_ynode **keys = dcs_ytree_alloc(t, cap * sizeof *keys);
            if (parent->n)
                memcpy(keys, parent->keys, parent->n * sizeof *keys);
            parent->keys = keys;
        }
        parent->cap = cap;
    }
    if (parent->kind == DCS_Y_MAP)
        parent->keys[parent->n] = key;
    parent->items[parent->n++] = value;
}

long dcs_ytree_find(const dcs_ynode *m, const char *key)
{
    if (!m || m->kind != DCS_Y_MAP)
        return -1;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i]->text, key) == 0)
            return (long)i;
    return -1;
}

dcs_ynode *dcs_ytree_get(const dcs_ynode *m, const char *key)
{
    long i = dcs_ytree_find(m, key);
    return i < 0 ? NULL : m->items[i];
}

void dcs_ytree_remove(dcs_ynode *m, size_t i)
{
    if (i >= m->n)
        return;
    size_t tail = m->n - i - 1;
    memmove(m->items + i, m->items + i + 1, tail * sizeof *m->items);
    if (m->keys)
        memmove(m->keys + i, m->keys + i + 1, tail * sizeof *m->keys);
    m->n--;
}

dcs_ynode *dcs_ytree_copy(dcs_ytree *t, const dcs_ynode *n)
{
    if (n->kind == DCS_Y_SCALAR) {
        dcs_ynode *c = dcs_ytree_scalar(t, n->text, n->loc);
        c->quoted = n->quoted;
        return c;
    }
    dcs_ynode *c = new_node(t, n->kind, n->loc);
    for (size_t i = 0; i < n->n; i++)
        dcs_ytree_append(t, c, n->keys ? dcs_ytree_copy(t, n->keys[i]) : NULL,
                         dcs_ytree_copy(t, n->items[i]));
    return c;
}

dcs_ynode *dcs_ytree_merge(dcs_ytree *t, dcs_ynode *base, dcs_ynode *over)
{
    if (!base)
        return over;
    if (!over)
        return base;
    if (base->kind != DCS_Y_MAP || over->kind != DCS_Y_MAP)
        return over;
    /* A fresh mapping, so that merging never edits a node shared elsewhere;
     * it keeps the overriding mapping's location. */
    dcs_ynode *m = new_node(t, DCS_Y_MAP, over->loc);
    for (size_t i = 0; i < base->n; i++) {
        dcs_ynode *o = dcs_ytree_get(over, base->keys[i]->text);
        dcs_ytree_append(t, m, o ? over->keys[dcs_ytree_find(over, base->keys[i]->text)]
                                 : base->keys[i],
                         dcs_ytree_merge(t, base->items[i], o));
    }
    for (size_t i = 0; i < over->n; i++)
        if (dcs_ytree_find(base, over->keys[i]->text) < 0)
            dcs_ytree_append(t, m, over->keys[i], over->items[i]);
    return m;
}

const char *dcs_ytree_kind_name(dcs_ykind k)
{
    return k == DCS_Y_MAP ? "mapping" : k == DCS_Y_SEQ ? "list" : "scalar";
}

/* ---- reading ---------------------------------------------------------- */

typedef struct reader {
    dcs_ytree *t;
    dcs_diag *d;
    const char *name;     /* owned by t */
    int line0, col0;      /* shift for line 1 of the text */
    long nodes;
    bool failed;
    yaml_document_t *doc;
} reader;

static dcs_loc loc_of(const reader *r, size_t line0based, size_t col0based)
{
    int line = (int)line0based + r->line0;
    int col = (int)col0based + 1 + (line0based == 0 ? r->col0 : 0);
    return (dcs_loc){r->name, line, col};
}

/* Line and column of a byte offset (libyaml reader errors give offsets). */
static dcs_loc loc_of_offset(const reader *r, const char *text, size_t len, size_t off)
{
    size_t line = 0, col = 0;
    for (size_t i = 0; i < off && i < len; i++) {
        if (text[i] == '\n') {
            line++;
            col = 0;
        } else {
            col++;
        }
    }
    return loc_of(r, line, col);
}

static dcs_ynode *convert(reader *r, yaml_node_t *yn, int depth)
{
    dcs_loc loc = loc_of(r, yn->start_mark.line, yn->start_mark.column);
    if (++r->nodes > MAX_NODES || depth > MAX_DEPTH) {
        if (!r->failed)
            dcs_diag_error(r->d, loc, "document too large or too deeply nested "
                           "(more than %d levels or %d nodes, e.g. through aliases)",
                           MAX_DEPTH, MAX_NODES);
        r->failed = true;
        return NULL;
    }
    switch (yn->type) {
    case YAML_SCALAR_NODE: {
        dcs_ynode *n = dcs_ytree_scalar(r->t, (const char *)yn->data.scalar.value, loc);
        n->quoted = yn->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        return n;
    }
    case YAML_SEQUENCE_NODE: {
        dcs_ynode *n = dcs_ytree_seq(r->t, loc);
        for (yaml_node_item_t *it = yn->data.sequence.items.start;
             it < yn->data.sequence.items.top; it++) {
            dcs_ynode *c = convert(r, yaml_document_get_node(r->doc, *it), depth + 1);
            if (!c)
                return NULL;
            dcs_ytree_append(r->t, n, NULL, c);
        }
        return n;
    }
    case YAML_MAPPING_NODE: {
        dcs_ynode *n = dcs_ytree_map(r->t, loc);
        for (yaml_node_pair_t *p = yn->data.mapping.pairs.start;
             p < yn->data.mapping.pairs.top; p++) {
            yaml_node_t *yk = yaml_document_get_node(r->doc, p->key);
            dcs_loc kloc = loc_of(r, yk->start_mark.line, yk->start_mark.column);
            if (yk->type != YAML_SCALAR_NODE) {
                dcs_diag_error(r->d, kloc, "a key must be a name, not a %s",
                               yk->type == YAML_MAPPING_NODE ? "mapping" : "list");
                r->failed = true;
                continue;
            }
            const char *ktext = (const char *)yk->data.scalar.value;
            long prev = dcs_ytree_find(n, ktext);
            if (prev >= 0) {
                dcs_loc first = n->keys[prev]->loc;
                dcs_diag_error(r->d, kloc, "duplicate key '%s' (first written at line %d, "
                               "column %d)", ktext, first.line, first.col);
                r->failed = true;
                continue;
            }
            dcs_ynode *k = dcs_ytree_scalar(r->t, ktext, kloc);
            k->quoted = yk->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
            dcs_ynode *v = convert(r, yaml_document_get_node(r->doc, p->value), depth + 1);
            if (!v)
                return NULL;
            dcs_ytree_append(r->t, n, k, v);
        }
        return n;
    }
    case YAML_NO_NODE:
        break;
    }
    dcs_diag_error(r->d, loc, "unreadable YAML node");
    r->failed = true;
    return NULL;
}

/* Checks libyaml does not make on the raw text; false if any failed. */
static bool check_text(reader *r, const char *text, size_t len)
{
    bool ok = true;
    size_t line = 0, col = 0;
    bool indent = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\0') {
            dcs_diag_error(r->d, loc_of(r, line, col),
                           "binary data (a NUL byte) where YAML text was expected");
            return false;
        }
        if (c == '\n') {
            line++;
            col = 0;
            indent = true;
            continue;
        }
        if (c == '\t' && indent) {
            dcs_diag_error(r->d, loc_of(r, line, col),
                           "tab character in indentation; YAML indents with spaces");
            ok = false;
        } else if (c != ' ' && c != '\t') {
            indent = false;
        }
        col++;
    }
    return ok;
}

static void report_parser(reader *r, const yaml_parser_t *p, const char *text, size_t len)
{
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    dcs_loc loc;
    if (p->error == YAML_READER_ERROR)
        loc = loc_of_offset(r, text, len, p->problem_offset);
    else if (p->problem_mark.line > lines)
        /* libyaml places "end of input" on a line after a text that has no
         * final newline (a --set value); point just past the text instead. */
        loc = loc_of_offset(r, text, len, len);
    else
        loc = loc_of(r, p->problem_mark.line, p->problem_mark.column);
    const char *problem = p->problem ? p->problem : "unreadable YAML";
    if (p->context)
        dcs_diag_error(r->d, loc, "YAML syntax error: %s (%s at line %d, column %d)", problem,
                       p->context, loc_of(r, p->context_mark.line, p->context_mark.column).line,
                       loc_of(r, p->context_mark.line, p->context_mark.column).col);
    else
        dcs_diag_error(r->d, loc, "YAML syntax error: %s", problem);
}

dcs_ynode *dcs_ytree_parse(dcs_ytree *t, const char *text, size_t len,
                           const char *name, int line, int col0, dcs_diag *d)
{
    reader r = {t, d, dcs_ytree_strdup(t, name), line, col0, 0, false, NULL};
    if (!check_text(&r, text, len))
        return NULL;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "dcsim: out of memory (YAML parser)\n");
        abort();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_document_t doc;
    dcs_ynode *root;
    if (!yaml_parser_load(&parser, &doc)) {
        report_parser(&r, &parser, text, len);
        yaml_parser_delete(&parser);
        return NULL;
    }
    yaml_node_t *yroot = yaml_document_get_root_node(&doc);
    if (!yroot) {
        yaml_document_delete(&doc);
        yaml_parser_delete(&parser);
        dcs_diag_error(d, (dcs_loc){r.name, 0, 0}, "empty file: no YAML document in it");
        return NULL;
    }
    r.doc = &doc;
    root = convert(&r, yroot, 0);
    yaml_document_delete(&doc);
    if (root && !r.failed) {
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            report_parser(&r, &parser, text, len);
            root = NULL;
        } else {
            yaml_node_t *extra = yaml_document_get_root_node(&next);
            if (extra) {
                dcs_diag_error(d, loc_of(&r, extra->start_mark.line, extra->start_mark.column),
                               "a second YAML document; dcsim reads one document per file");
                root = NULL;
            }
            yaml_document_delete(&next);
        }
    }
    yaml_parser_delete(&parser);
    return r.failed ? NULL : root;
}

dcs_ynode *dcs_ytree_load_file(dcs_ytree *t, const char *path, const char *name, dcs_diag *d)
{
    if (!name)
        name = path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        dcs_diag_error(d, (dcs_loc){name, 0, 0}, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len < cap)
            break;
        if (cap >= MAX_FILE_B) {
            free(buf);
            fclose(f);
            dcs_diag_error(d, (dcs_loc){name, 0, 0},
                           "larger than %zu MiB: not a scenario file", MAX_FILE_B >> 20);
            return NULL;
        }
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) {
            free(buf);
            fclose(f);
            fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", cap);
            abort();
        }
        buf = nb;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        free(buf);
        dcs_diag_error(d, (dcs_loc){name, 0, 0}, "cannot read the file");
        return NULL;
    }
    dcs_ynode *root = dcs_ytree_parse(t, buf, len, name, 1, 0, d);
    free(buf);
    return root;
}
