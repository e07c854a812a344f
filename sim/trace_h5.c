/*
 * trace_h5.c - small HDF5 helpers shared by the trace writer, reader and
 * exporter: the string type, compound types built from field tables, the
 * reason of an HDF5 failure, the walk that lists what a trace holds, and
 * allocation that is fatal on exhaustion.
 */
#include "trace_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *trace_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        fprintf(stderr, "dcsim: out of memory (trace: %zu bytes)\n", size);
        abort();
    }
    return p;
}

char *trace_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = trace_xmalloc(n);
    memcpy(p, s, n);
    return p;
}

hid_t trace_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

hid_t trace_compound(size_t size, const trace_field *fields, size_t n, hid_t str_t)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, size);
    if (t < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        hid_t m = fields[i].kind == TRACE_STR ? str_t
                : fields[i].kind == TRACE_I64 ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
        if (H5Tinsert(t, fields[i].name, fields[i].offset, m) < 0) {
            H5Tclose(t);
            return -1;
        }
    }
    return t;
}

typedef struct reason { char *buf; size_t size; } reason;

/* Walking upward, entry 0 is the innermost one: it names the actual cause
 * ("unable to open file ... No such file or directory"), where the outer
 * entries only repeat which API call failed. */
static herr_t innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    reason *r = data;
    if (n != 0 || !e->desc)
        return 0;
    /* System-call failures carry the C library's text, which is all a user
     * needs ("No space left on device"); the rest (time, descriptor, buffer
     * address) would only make the message long and unrepeatable. */
    const char *tag = "error message = '";
    const char *m = strstr(e->desc, tag);
    if (m) {
        m += strlen(tag);
        const char *end = strchr(m, '\'');
        int len = end ? (int)(end - m) : (int)strlen(m);
        snprintf(r->buf, r->size, "%.*s", len, m);
    } else {
        snprintf(r->buf, r->size, "%s", e->desc);
    }
    for (char *p = r->buf; *p; p++)   /* one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return 0;
}

void trace_h5_reason(char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    reason r = {buf, size};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &r);
    H5Eclear2(H5E_DEFAULT);
}

void trace_reclaim(hid_t mtype, hsize_t n, void *buf)
{
    if (n == 0)
        return;
    hid_t space = H5Screate_simple(1, &n, NULL);
    if (space < 0)
        return;
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(mtype, space, H5P_DEFAULT, buf);
#else
    H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, buf);
#endif
    H5Sclose(space);
}

/* ---- listing -------------------------------------------------------- */

typedef struct list { char **v; size_t n, cap; } list;

static void list_add(list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        char **v = trace_xmalloc(l->cap * sizeof *v);
        if (l->n)
            memcpy(v, l->v, l->n * sizeof *v);
        free(l->v);
        l->v = v;
    }
    l->v[l->n++] = trace_xstrdup(s);
}

/* Is this dataset a table (compound) or a scalar string (the scenario)? */
static bool exportable_dataset(hid_t d)
{
    hid_t t = H5Dget_type(d);
    if (t < 0)
        return false;
    H5T_class_t c = H5Tget_class(t);
    H5Tclose(t);
    return c == H5T_COMPOUND || c == H5T_STRING;
}

/* Visit the members of group g (whose path is prefix) in name order.  The
 * version-stable calls (H5Gget_info, H5Lget_name_by_idx, H5Oopen) are used
 * instead of H5Ovisit, whose signature changed between HDF5 1.10 and 1.12. */
static bool walk(hid_t g, const char *prefix, list *l)
{
    H5G_info_t info;
    if (H5Gget_info(g, &info) < 0)
        return false;
    for (hsize_t i = 0; i < info.nlinks; i++) {
        char name[256];
        ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, name,
                                         sizeof name, H5P_DEFAULT);
        if (len < 0 || (size_t)len >= sizeof name)
            return false;
        char path[1024];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "/" : "", name);
        hid_t o = H5Oopen(g, name, H5P_DEFAULT);
        if (o < 0)
            return false;
        bool ok = true;
        H5I_type_t type = H5Iget_type(o);
        if (type == H5I_DATASET) {
            if (exportable_dataset(o))
                list_add(l, path);
        } else if (type == H5I_GROUP) {
            htri_t cols = H5Aexists(o, "columns");
            if (cols > 0)
                list_add(l, path);
            else
                ok = cols == 0 && walk(o, path, l);
        }
        H5Oclose(o);
        if (!ok)
            return false;
    }
    return true;
}

bool trace_list_exportable(hid_t file, char ***names, size_t *n)
{
    list l = {0};
    bool ok = walk(file, "", &l);
    if (!ok) {
        for (size_t i = 0; i < l.n; i++)
            free(l.v[i]);
        free(l.v);
        l = (list){0};
    }
    *names = l.v;
    *n = l.n;
    return ok;
}
