/*
 * ytree.h - a YAML document as a tree of located nodes.
 *
 * The scenario loader reads YAML through libyaml's document API
 * (yaml_parser_load) and copies it into this small tree, in which every
 * node keeps the file, line and column (1-based) where it was written.
 * Includes, --set overrides and the schema walker all work on this tree, so
 * every message can point at the place the user wrote.  Only sim/ytree.c
 * includes libyaml.
 *
 * All values are text: YAML 1.1's implicit typing (yes/no, octal, sexagesimal)
 * is not applied, the schema decides what a scalar means.  A scalar written in
 * quotes remembers it, so that re-emitted text keeps the quotes.
 *
 * Problems found while reading, each reported as a located error:
 *   YAML syntax errors (libyaml's message, at its position), tab characters
 *   in indentation, NUL bytes (binary data), empty documents, more than one
 *   document, duplicate keys in a mapping, non-scalar keys, nesting deeper
 *   than 64 levels or more than 1,000,000 nodes (alias bombs), files larger
 *   than 64 MiB (an endless device such as /dev/zero).
 *
 * Memory: a dcs_ytree owns every node and string made from it (and any block
 * allocated with dcs_ytree_alloc); dcs_ytree_free releases them all at once.
 */
#ifndef DCSIM_YTREE_H
#define DCSIM_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "dcsim/diag.h"

typedef enum { DCS_Y_SCALAR, DCS_Y_SEQ, DCS_Y_MAP } dcs_ykind;

typedef struct dcs_ynode dcs_ynode;
struct dcs_ynode {
    dcs_ykind kind;
    dcs_loc loc;           /* where the node starts; file owned by the tree */
    const char *text;      /* scalar: its text (never NULL for a scalar) */
    bool quoted;           /* scalar written in quotes or as a block */
    size_t n;              /* number of items (sequence) or pairs (mapping) */
    size_t cap;
    dcs_ynode **items;     /* sequence items, or mapping values */
    dcs_ynode **keys;      /* mapping keys (scalars), NULL for a sequence */
};

typedef struct dcs_ytree dcs_ytree;

/* A new, empty tree (an arena for nodes); aborts if memory is exhausted. */
dcs_ytree *dcs_ytree_new(void);
void dcs_ytree_free(dcs_ytree *t);

/* Zeroed memory owned by the tree, aligned for any type. */
void *dcs_ytree_alloc(dcs_ytree *t, size_t size);
/* A copy of s owned by the tree. */
char *dcs_ytree_strdup(dcs_ytree *t, const char *s);

/* Read the file at path (named `name` in messages; NULL = path) into a tree
 * node.  Returns the root, or NULL after reporting the problems to d. */
dcs_ynode *dcs_ytree_load_file(dcs_ytree *t, const char *path, const char *name,
                               dcs_diag *d);

/* Parse text as YAML.  Locations use `name` as their file and are shifted:
 * line 1 of text is reported as line `line`, and columns on that first line
 * are shifted by col0 (so a --set value can point into its argument).
 * An empty text is a plain empty scalar.  Returns NULL after reporting. */
dcs_ynode *dcs_ytree_parse(dcs_ytree *t, const char *text, size_t len,
                           const char *name, int line, int col0, dcs_diag *d);

/* New nodes (loc copied in). */
dcs_ynode *dcs_ytree_scalar(dcs_ytree *t, const char *text, dcs_loc loc);
dcs_ynode *dcs_ytree_map(dcs_ytree *t, dcs_loc loc);
dcs_ynode *dcs_ytree_seq(dcs_ytree *t, dcs_loc loc);

/* Append to a mapping (key is a scalar node) or a sequence (key NULL). */
void dcs_ytree_append(dcs_ytree *t, dcs_ynode *parent, dcs_ynode *key, dcs_ynode *value);

/* The index of key in mapping m, or -1 (also when m is not a mapping). */
long dcs_ytree_find(const dcs_ynode *m, const char *key);
/* The value of key in mapping m, or NULL. */
dcs_ynode *dcs_ytree_get(const dcs_ynode *m, const char *key);
/* Remove the i-th pair of a mapping (or item of a sequence), keeping order. */
void dcs_ytree_remove(dcs_ynode *m, size_t i);

/* Deep copy of a node (locations kept). */
dcs_ynode *dcs_ytree_copy(dcs_ytree *t, const dcs_ynode *n);

/* Deep merge of `over` onto `base`: mappings merge key by key (over wins),
 * anything else is replaced by over.  Returns the merged node, which may
 * share subtrees with both. */
dcs_ynode *dcs_ytree_merge(dcs_ytree *t, dcs_ynode *base, dcs_ynode *over);

/* "mapping", "list" or "scalar", for messages. */
const char *dcs_ytree_kind_name(dcs_ykind k);

/* Emit n as block-style YAML text that reads back to the same tree
 * (plain scalars stay plain where YAML allows, others are double-quoted).
 * Returns a malloc'ed NUL-terminated string the caller frees, or NULL if
 * memory is exhausted. */
char *dcs_ytree_emit(const dcs_ynode *n);

#endif
