/*
 * ytree_emit.c - a dcs_ynode tree back to YAML text.
 *
 * The effective scenario (after includes and --set) is stored in every trace
 * as text, so it must read back to the same tree with any YAML reader.
 * Block style throughout, two-space indentation; a scalar stays plain when it
 * was written plain and YAML would read it back unchanged, otherwise it is
 * double-quoted with escapes.  Comments and key order of the input are not
 * preserved beyond what the tree keeps (order is kept, comments are not).
 */
#include "dcsim/ytree.h"

#include <stdlib.h>
#include <string.h>

typedef struct buf {
    char *p;
    size_t n, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static void indent(buf *b, int k)
{
    for (int i = 0; i < k; i++)
        put(b, " ", 1);
}

/* Whether s can be written as a plain scalar in block context and read back
 * as the same text. */
static bool plain_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    if (strchr("?:,[]{}#&*!|>'\"%@`", s[0]))
        return false;
    if (s[0] == '-' && (n == 1 || s[1] == ' ' || s[1] == '-'))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c == ':' && s[i + 1] == ' ')
            return false;
        if (c == '#' && i > 0 && s[i - 1] == ' ')
            return false;
    }
    return true;
}

static void scalar(buf *b, const dcs_ynode *n)
{
    if (!n->quoted && plain_ok(n->text)) {
        puts_(b, n->text);
        return;
    }
    put(b, "\"", 1);
    for (const char *s = n->text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        switch (c) {
        case '"': puts_(b, "\\\""); break;
        case '\\': puts_(b, "\\\\"); break;
        case '\n': puts_(b, "\\n"); break;
        case '\t': puts_(b, "\\t"); break;
        case '\r': puts_(b, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(esc, sizeof esc, "\\x%02x", c);
                puts_(b, esc);
            } else {
                put(b, s, 1);
            }
        }
    }
    put(b, "\"", 1);
}

static void node(buf *b, const dcs_ynode *n, int ind, bool inline_first);

/* After "key:" or "- ": the value on the same line or on the next ones. */
static void value(buf *b, const dcs_ynode *v, int ind)
{
    if (v->kind == DCS_Y_SCALAR) {
        put(b, " ", 1);
        scalar(b, v);
        put(b, "\n", 1);
    } else if (v->n == 0) {
        puts_(b, v->kind == DCS_Y_MAP ? " {}\n" : " []\n");
    } else {
        put(b, "\n", 1);
        node(b, v, ind + 2, false);
    }
}

static void node(buf *b, const dcs_ynode *n, int ind, bool inline_first)
{
    if (n->kind == DCS_Y_SCALAR) {
        scalar(b, n);
        put(b, "\n", 1);
        return;
    }
    if (n->n == 0) {
        puts_(b, n->kind == DCS_Y_MAP ? "{}\n" : "[]\n");
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (i > 0 || !inline_first)
            indent(b, ind);
        const dcs_ynode *v = n->items[i];
        if (n->kind == DCS_Y_MAP) {
            scalar(b, n->keys[i]);
            put(b, ":", 1);
            value(b, v, ind);
        } else if (v->kind != DCS_Y_SCALAR && v->n > 0) {
            /* "- key: v" with the rest of the item indented under the key. */
            put(b, "- ", 2);
            node(b, v, ind + 2, true);
        } else {
            put(b, "-", 1);
            value(b, v, ind);
        }
    }
}

char *dcs_ytree_emit(const dcs_ynode *n)
{
    buf b = {NULL, 0, 0, false};
    node(&b, n, 0, false);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
