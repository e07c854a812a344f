/*
 * test_ytree.c - the located YAML tree: positions, checks libyaml does not
 * make, deep merge, and emitted text that reads back to the same tree.
 */
#include <stdlib.h>
#include <string.h>

#include "dcsim/ytree.h"
#include "harness.h"

static dcs_ynode *parse(dcs_ytree *t, const char *text, dcs_diag *d)
{
    return dcs_ytree_parse(t, text, strlen(text), "x.yaml", 1, 0, d);
}

static void positions(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    /* Line 3 is "  - {name: a, n: 4}": the flow mapping starts at column 5
     * and the value 4 at column 18. */
    dcs_ynode *r = parse(t, "top: 1\nlist:\n  - {name: a, n: 4}\n  - 'q'\n", d);
    CHECK(r != NULL);
    CHECK_INT(dcs_diag_errors(d), 0);
    if (r) {
        CHECK_INT(r->kind, DCS_Y_MAP);
        CHECK_INT(r->n, 2);
        dcs_ynode *l = dcs_ytree_get(r, "list");
        CHECK(l && l->kind == DCS_Y_SEQ && l->n == 2);
        if (l && l->n == 2) {
            CHECK_INT(l->items[0]->loc.line, 3);
            CHECK_INT(l->items[0]->loc.col, 5);
            dcs_ynode *n = dcs_ytree_get(l->items[0], "n");
            CHECK(n && n->loc.line == 3 && n->loc.col == 18);
            CHECK_STR(n ? n->text : NULL, "4");
            CHECK(!n || !n->quoted);
            CHECK(l->items[1]->quoted);
            CHECK_STR(l->items[1]->loc.file, "x.yaml");
        }
        CHECK_INT(r->keys[1]->loc.line, 2);   /* keys keep their own place */
        CHECK_INT(r->keys[1]->loc.col, 1);
    }
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void shifted_positions(void)
{
    /* A --set value: line = the override's index, columns shifted by the
     * value's offset in "KEY=VALUE" (here 9: "duration=" is 9 characters). */
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    dcs_ynode *v = dcs_ytree_parse(t, "[a, b]", 6, "--set", 3, 9, d);
    CHECK(v && v->kind == DCS_Y_SEQ);
    if (v && v->n == 2) {
        CHECK_INT(v->loc.line, 3);
        CHECK_INT(v->loc.col, 10);
        CHECK_INT(v->items[1]->loc.col, 14);
    }
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void problems_collected(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    /* Two duplicates in one document: both reported, in order. */
    CHECK(parse(t, "a: 1\nb: 2\na: 3\nb: 4\n", d) == NULL);
    CHECK_INT(dcs_diag_errors(d), 2);
    CHECK_STR(dcs_diag_line(d, 0), "x.yaml:3:1: duplicate key 'a' (first written at line 1, column 1)");
    CHECK_STR(dcs_diag_line(d, 1), "x.yaml:4:1: duplicate key 'b' (first written at line 2, column 1)");
    dcs_diag_free(d);

    /* Two tabs in indentation, both reported. */
    d = dcs_diag_new();
    CHECK(parse(t, "a:\n\tb: 1\nc:\n \td: 2\n", d) == NULL);
    CHECK_INT(dcs_diag_errors(d), 2);
    CHECK_STR(dcs_diag_line(d, 1), "x.yaml:4:2: tab character in indentation; YAML indents with spaces");
    dcs_diag_free(d);

    /* Tabs inside a value are text, not indentation. */
    d = dcs_diag_new();
    dcs_ynode *r = parse(t, "a: \"x\ty\"\n", d);
    CHECK(r != NULL);
    CHECK_INT(dcs_diag_errors(d), 0);
    dcs_diag_free(d);

    /* Invalid UTF-8 is located by libyaml's reader (byte offset 3: line 1,
     * column 4). */
    d = dcs_diag_new();
    CHECK(parse(t, "a: \xff\n", d) == NULL);
    CHECK_STR(dcs_diag_line(d, 0), "x.yaml:1:4: YAML syntax error: invalid leading UTF-8 octet");
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void alias_bomb_stopped(void)
{
    /* Each level doubles the expanded size: 2^25 leaves, beyond the bound of
     * a million nodes, must be refused, not expanded. */
    char text[4096];
    size_t used = (size_t)snprintf(text, sizeof text, "a0: &a0 [x, x]\n");
    for (int i = 1; i <= 25; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "a%d: &a%d [*a%d, *a%d]\n",
                                 i, i, i - 1, i - 1);
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    CHECK(parse(t, text, d) == NULL);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK(strstr(dcs_diag_line(d, 0), "too large or too deeply nested") != NULL);
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void merge_deep(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    dcs_ynode *base = parse(t, "p: {a: 1, b: 2}\nl: [1, 2, 3]\nk: base\n", d);
    dcs_ynode *over = parse(t, "p: {b: 20, c: 30}\nl: [9]\nz: new\n", d);
    CHECK(base && over);
    if (base && over) {
        dcs_ynode *m = dcs_ytree_merge(t, base, over);
        dcs_ynode *p = dcs_ytree_get(m, "p");
        CHECK_STR(dcs_ytree_get(p, "a")->text, "1");     /* kept from base */
        CHECK_STR(dcs_ytree_get(p, "b")->text, "20");    /* over wins */
        CHECK_STR(dcs_ytree_get(p, "c")->text, "30");    /* added */
        CHECK_INT(dcs_ytree_get(m, "l")->n, 1);          /* lists replaced */
        CHECK_STR(dcs_ytree_get(m, "k")->text, "base");
        CHECK_STR(dcs_ytree_get(m, "z")->text, "new");
        CHECK_INT(dcs_ytree_get(p, "b")->loc.line, 1);   /* position from over */
        CHECK_INT(dcs_ytree_get(p, "b")->loc.col, 8);
        CHECK_INT(dcs_ytree_get(base, "p")->n, 2);       /* inputs untouched */
    }
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void emit_round_trip(void)
{
    const char *text =
        "name: \"yes\"\n"
        "odd: 'a: b'\n"
        "hash: 'x #y'\n"
        "dash: '-'\n"
        "neg: -5\n"
        "temp: 45 \xc2\xb0" "C\n"
        "empty_map: {}\n"
        "empty_list: []\n"
        "nested:\n  - {name: a, cool: {type: air}}\n  - [1, [2, 3]]\n  - plain\n"
        "multi: \"line1\\nline2\\t\\\"q\\\"\"\n";
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    dcs_ynode *a = parse(t, text, d);
    CHECK(a != NULL);
    char *e1 = a ? dcs_ytree_emit(a) : NULL;
    CHECK(e1 != NULL);
    dcs_ynode *b = e1 ? parse(t, e1, d) : NULL;
    CHECK(b != NULL);
    char *e2 = b ? dcs_ytree_emit(b) : NULL;
    CHECK_STR(e2, e1);   /* a fixed point: the text reads back to the same tree */
    CHECK_INT(dcs_diag_errors(d), 0);
    if (b) {
        CHECK_STR(dcs_ytree_get(b, "odd")->text, "a: b");
        CHECK_STR(dcs_ytree_get(b, "multi")->text, "line1\nline2\t\"q\"");
        CHECK(dcs_ytree_get(b, "name")->quoted);   /* "yes" stays a string */
        CHECK(!dcs_ytree_get(b, "neg")->quoted);
        dcs_ynode *n = dcs_ytree_get(b, "nested");
        CHECK(n && n->n == 3 && n->items[1]->kind == DCS_Y_SEQ);
    }
    /* The expected shape of the emitted block text, written out. */
    CHECK(e1 && strstr(e1, "nested:\n  - name: a\n    cool:\n      type: air\n  - - 1\n") != NULL);
    free(e1);
    free(e2);
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void edits(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_ynode *m = dcs_ytree_map(t, (dcs_loc){"m", 1, 1});
    for (int i = 0; i < 10; i++) {
        char k[8];
        snprintf(k, sizeof k, "k%d", i);
        dcs_ytree_append(t, m, dcs_ytree_scalar(t, k, m->loc), dcs_ytree_scalar(t, k, m->loc));
    }
    CHECK_INT(m->n, 10);
    CHECK_INT(dcs_ytree_find(m, "k7"), 7);
    dcs_ytree_remove(m, 3);
    CHECK_INT(m->n, 9);
    CHECK_INT(dcs_ytree_find(m, "k3"), -1);
    CHECK_INT(dcs_ytree_find(m, "k7"), 6);
    dcs_ynode *c = dcs_ytree_copy(t, m);
    CHECK(c != m && c->n == 9 && strcmp(c->keys[8]->text, "k9") == 0);
    dcs_ytree_free(t);
}

int main(void)
{
    RUN(positions);
    RUN(shifted_positions);
    RUN(problems_collected);
    RUN(alias_bomb_stopped);
    RUN(merge_deep);
    RUN(emit_round_trip);
    RUN(edits);
    return TEST_END();
}
