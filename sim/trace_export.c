/*
 * trace_export.c - `dcsim export`: a trace's tables, column groups and
 * scenario text as TSV on a stream.
 *
 * Output is deterministic: it depends only on the data (never on the wall
 * time, the date or the reader's machine), so two runs of the same scenario
 * and seed export byte-identical text whatever their thread counts.  Doubles
 * are printed in the shortest %g form that reads back to the same value
 * (at most 17 significant digits, IEEE 754 binary64), NaN as "nan" and
 * infinities as "inf"/"-inf", which pandas.read_csv and strtod both accept.
 * Strings have backslash, tab, newline and carriage return escaped as \\ \t
 * \n \r so that every row stays one line of the same number of fields.
 */
#include "dcsim/trace.h"
#include "trace_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_ROWS = 1024 };

static FILE *err_stream(const dcs_trace_export_opts *o)
{
    return o && o->err ? o->err : stderr;
}

static dcs_status report(const dcs_trace_export_opts *o, dcs_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static dcs_status report(const dcs_trace_export_opts *o, dcs_status st, const char *fmt, ...)
{
    FILE *e = err_stream(o);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(e, fmt, ap);
    va_end(ap);
    fputc('\n', e);
    return st;
}

/* Does v printed with p significant digits (into buf) read back as v? */
static bool reads_back(char *buf, size_t size, int p, double v)
{
    snprintf(buf, size, "%.*g", p, v);
    return strtod(buf, NULL) == v;
}

static void put_double(FILE *out, double v)
{
    if (isnan(v)) {
        fputs("nan", out);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", out);
        return;
    }
    /* Whole numbers below 2^53 (times in whole seconds, counts) are exact
     * as integers and skip the digit search. */
    if (fabs(v) < 9007199254740992.0 && v == trunc(v) && !(v == 0 && signbit(v))) {
        fprintf(out, "%lld", (long long)v);
        return;
    }
    /* The fewest significant digits that read back exactly.  Reading back
     * is monotone in the digit count (the correctly rounded (p+1)-digit
     * decimal is at least as close to v as the p-digit one) and 17 digits
     * always suffice for binary64.  Computed values mostly need 16 or 17,
     * so those are tried first; shorter ones are found by bisection. */
    char buf[330];   /* gcc sizes %.*g for any precision, not the 17 used */
    int p;
    if (!reads_back(buf, sizeof buf, 16, v)) {
        p = 17;
    } else if (!reads_back(buf, sizeof buf, 15, v)) {
        p = 16;
    } else {
        int lo = 1, hi = 15;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (reads_back(buf, sizeof buf, mid, v))
                hi = mid;
            else
                lo = mid + 1;
        }
        p = lo;
    }
    /* %g switches to an exponent when the decimal exponent reaches the
     * precision (10 with one digit is "1e+01"); below 1e17 print such
     * numbers in full instead, which the wider precision keeps exact. */
    int exp10 = v != 0 ? (int)floor(log10(fabs(v))) : 0;
    if (exp10 >= p && exp10 < 17)
        p = exp10 + 1;
    snprintf(buf, sizeof buf, "%.*g", p, v);
    fputs(buf, out);
}

static void put_string(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        default: fputc(*s, out);
        }
    }
}

/* ---- compound tables ------------------------------------------------ */

typedef enum { COL_VSTR, COL_FSTR, COL_I64, COL_F64 } col_kind;
typedef struct member {
    char *name;
    col_kind kind;
    size_t offset;
} member;

/* Build a native memory type for the members of ftype that TSV can show;
 * fills m[] (names owned) and returns the type, or -1. */
static hid_t table_mtype(hid_t ftype, hid_t str_t, member *m, int *nm, size_t *row_size)
{
    int n = H5Tget_nmembers(ftype);
    size_t off = 0;
    *nm = 0;
    if (n < 0)
        return -1;
    hid_t *mt = trace_xmalloc((size_t)n * sizeof *mt + 1);
    for (int i = 0; i < n; i++) {
        hid_t ft = H5Tget_member_type(ftype, (unsigned)i);
        H5T_class_t c = H5Tget_member_class(ftype, (unsigned)i);
        hid_t t = -1;
        col_kind k = COL_F64;
        if (ft >= 0 && c == H5T_STRING && H5Tis_variable_str(ft) > 0) {
            t = H5Tcopy(str_t);
            k = COL_VSTR;
        } else if (ft >= 0 && c == H5T_STRING) {
            /* Fixed-length strings (from other writers) get one more byte
             * so that HDF5 null-terminates them. */
            t = H5Tcopy(H5T_C_S1);
            if (t >= 0 && H5Tset_size(t, H5Tget_size(ft) + 1) < 0)
                t = (H5Tclose(t), -1);
            k = COL_FSTR;
        } else if (c == H5T_INTEGER) {
            t = H5Tcopy(H5T_NATIVE_INT64);
            k = COL_I64;
        } else if (c == H5T_FLOAT) {
            t = H5Tcopy(H5T_NATIVE_DOUBLE);
            k = COL_F64;
        }
        if (ft >= 0)
            H5Tclose(ft);
        if (t < 0)
            continue;   /* not shown: arrays, enums and such are not ours */
        size_t size = H5Tget_size(t);
        off = (off + 7) & ~(size_t)7;
        char *name = H5Tget_member_name(ftype, (unsigned)i);
        m[*nm] = (member){trace_xstrdup(name ? name : "?"), k, off};
        H5free_memory(name);
        mt[(*nm)++] = t;
        off += size;
    }
    *row_size = (off + 7) & ~(size_t)7;
    hid_t type = H5Tcreate(H5T_COMPOUND, *row_size ? *row_size : 8);
    for (int i = 0; i < *nm; i++) {
        if (type >= 0 && H5Tinsert(type, m[i].name, m[i].offset, mt[i]) < 0)
            type = (H5Tclose(type), -1);
        H5Tclose(mt[i]);
    }
    free(mt);
    return type;
}

static void put_member(FILE *out, const unsigned char *row, const member *m)
{
    const unsigned char *p = row + m->offset;
    if (m->kind == COL_VSTR) {
        const char *s;
        memcpy(&s, p, sizeof s);
        put_string(out, s);
    } else if (m->kind == COL_FSTR) {
        put_string(out, (const char *)p);
    } else if (m->kind == COL_I64) {
        int64_t v;
        memcpy(&v, p, sizeof v);
        fprintf(out, "%lld", (long long)v);
    } else {
        double v;
        memcpy(&v, p, sizeof v);
        put_double(out, v);
    }
}

static dcs_status export_table(const dcs_trace_reader *r, hid_t d, const char *first_header,
                               FILE *out)
{
    hid_t ft = H5Dget_type(d), fs = H5Dget_space(d);
    int n = ft >= 0 ? H5Tget_nmembers(ft) : -1;
    member *m = trace_xmalloc((size_t)(n > 0 ? n : 1) * sizeof *m);
    int nm = 0;
    size_t row_size = 0;
    hid_t mt = n >= 0 ? table_mtype(ft, r->str_t, m, &nm, &row_size) : -1;
    hssize_t rows = fs >= 0 ? H5Sget_simple_extent_npoints(fs) : -1;
    bool ok = mt >= 0 && rows >= 0;
    for (int i = 0; ok && i < nm; i++) {
        if (i)
            fputc('\t', out);
        fputs(i == 0 && first_header ? first_header : m[i].name, out);
    }
    if (ok)
        fputc('\n', out);
    unsigned char *buf = trace_xmalloc(row_size * BLOCK_ROWS);
    for (hsize_t start = 0; ok && start < (hsize_t)rows; start += BLOCK_ROWS) {
        hsize_t count = (hsize_t)rows - start < BLOCK_ROWS ? (hsize_t)rows - start : BLOCK_ROWS;
        hid_t ms = H5Screate_simple(1, &count, NULL);
        ok = ms >= 0 && H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) >= 0
             && H5Dread(d, mt, ms, fs, H5P_DEFAULT, buf) >= 0;
        for (hsize_t i = 0; ok && i < count; i++) {
            for (int j = 0; j < nm; j++) {
                if (j)
                    fputc('\t', out);
                put_member(out, buf + i * row_size, &m[j]);
            }
            fputc('\n', out);
        }
        if (ok)
            trace_reclaim(mt, count, buf);
        if (ms >= 0)
            H5Sclose(ms);
    }
    free(buf);
    for (int i = 0; i < nm; i++)
        free(m[i].name);
    free(m);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    if (fs >= 0)
        H5Sclose(fs);
    return ok ? DCS_OK : DCS_EIO;
}

/* ---- column groups -------------------------------------------------- */

static dcs_status export_columns(const dcs_trace_reader *r, hid_t g, FILE *out)
{
    hid_t a = H5Aopen(g, "columns", H5P_DEFAULT);
    hid_t s = a >= 0 ? H5Aget_space(a) : -1;
    hssize_t nc = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    char **names = trace_xmalloc((size_t)(nc > 0 ? nc : 1) * sizeof *names);
    bool ok = nc > 0 && H5Aread(a, r->str_t, names) >= 0;
    if (s >= 0)
        H5Sclose(s);
    if (a >= 0)
        H5Aclose(a);
    if (!ok) {
        free(names);
        return DCS_EIO;
    }
    size_t ncols = (size_t)nc;
    hid_t *d = trace_xmalloc(ncols * sizeof *d);
    hsize_t rows = 0;
    dcs_status st = DCS_OK;
    for (size_t c = 0; c < ncols; c++) {
        d[c] = H5Dopen2(g, names[c], H5P_DEFAULT);
        hid_t sp = d[c] >= 0 ? H5Dget_space(d[c]) : -1;
        hsize_t len = 0;
        if (sp < 0 || H5Sget_simple_extent_ndims(sp) != 1
            || H5Sget_simple_extent_dims(sp, &len, NULL) != 1)
            st = DCS_EIO;
        else if (c > 0 && len != rows)
            st = DCS_EINPUT;   /* a damaged group; the writer keeps them equal */
        rows = c == 0 ? len : rows;
        if (sp >= 0)
            H5Sclose(sp);
    }
    for (size_t c = 0; st == DCS_OK && c < ncols; c++)
        fprintf(out, "%s%s", c ? "\t" : "", names[c]);
    if (st == DCS_OK)
        fputc('\n', out);
    double *buf = trace_xmalloc(ncols * BLOCK_ROWS * sizeof *buf);
    for (hsize_t start = 0; st == DCS_OK && start < rows; start += BLOCK_ROWS) {
        hsize_t count = rows - start < BLOCK_ROWS ? rows - start : BLOCK_ROWS;
        hid_t ms = H5Screate_simple(1, &count, NULL);
        for (size_t c = 0; st == DCS_OK && c < ncols; c++) {
            hid_t fs = H5Dget_space(d[c]);
            if (ms < 0 || fs < 0
                || H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL) < 0
                || H5Dread(d[c], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT,
                           buf + c * BLOCK_ROWS) < 0)
                st = DCS_EIO;
            if (fs >= 0)
                H5Sclose(fs);
        }
        for (hsize_t i = 0; st == DCS_OK && i < count; i++) {
            for (size_t c = 0; c < ncols; c++) {
                if (c)
                    fputc('\t', out);
                put_double(out, buf[c * BLOCK_ROWS + i]);
            }
            fputc('\n', out);
        }
        if (ms >= 0)
            H5Sclose(ms);
    }
    free(buf);
    for (size_t c = 0; c < ncols; c++)
        if (d[c] >= 0)
            H5Dclose(d[c]);
    free(d);
    trace_reclaim(r->str_t, ncols, names);
    free(names);
    return st;
}

/* ---- text ----------------------------------------------------------- */

static dcs_status export_text(const dcs_trace_reader *r, hid_t d, FILE *out)
{
    char *text = NULL;
    if (H5Dread(d, r->str_t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0)
        return DCS_EIO;
    size_t n = text ? strlen(text) : 0;
    fputs(text ? text : "", out);
    if (n && text[n - 1] != '\n')
        fputc('\n', out);
    trace_reclaim(r->str_t, 1, &text);
    return DCS_OK;
}

/* ---- entry points --------------------------------------------------- */

typedef struct names { char **v; size_t n; } names;

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static bool names_has(const names *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

/* Open the trace and list what it holds; prints the one message on error. */
static dcs_status open_listed(const char *path, const dcs_trace_export_opts *o,
                              dcs_trace_reader **r, names *l)
{
    char msg[512];
    *l = (names){0};
    dcs_status st = dcs_trace_reader_open(path, o && o->partial, r, msg, sizeof msg);
    if (st != DCS_OK)
        return report(o, st, "%s", msg);
    if (!trace_list_exportable((*r)->file, &l->v, &l->n)) {
        H5Eclear2(H5E_DEFAULT);
        dcs_trace_reader_close(*r);
        *r = NULL;
        return report(o, DCS_EIO, "%s: cannot list the trace's contents", path);
    }
    return DCS_OK;
}

static dcs_status finish(const char *path, const dcs_trace_export_opts *o, dcs_status st,
                         FILE *out)
{
    H5Eclear2(H5E_DEFAULT);
    if (st == DCS_OK && (fflush(out) != 0 || ferror(out)))
        return report(o, DCS_EIO, "%s: cannot write the exported text", path);
    if (st == DCS_EIO)
        return report(o, st, "%s: cannot read the trace (damaged file?)", path);
    if (st == DCS_EINPUT)
        return report(o, st, "%s: malformed dataset (columns of different lengths)", path);
    return st;
}

/* Strip leading and trailing slashes into buf. */
static const char *clean_name(const char *s, char *buf, size_t size)
{
    while (s && *s == '/')
        s++;
    snprintf(buf, size, "%s", s ? s : "");
    size_t n = strlen(buf);
    while (n && buf[n - 1] == '/')
        buf[--n] = '\0';
    return buf;
}

static dcs_status export_object(const dcs_trace_reader *r, const char *name,
                                const char *first_header, FILE *out)
{
    hid_t o = H5Oopen(r->file, name, H5P_DEFAULT);
    if (o < 0)
        return DCS_EIO;
    dcs_status st;
    if (H5Iget_type(o) == H5I_GROUP) {
        st = export_columns(r, o, out);
    } else {
        hid_t t = H5Dget_type(o);
        H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
        st = c == H5T_COMPOUND ? export_table(r, o, first_header, out)
           : c == H5T_STRING ? export_text(r, o, out) : DCS_EIO;
        if (t >= 0)
            H5Tclose(t);
    }
    H5Oclose(o);
    return st;
}

dcs_status dcs_trace_export_dataset(const char *path, const char *dataset,
                                    const dcs_trace_export_opts *opts, FILE *out)
{
    dcs_trace_reader *r;
    names l;
    dcs_status st = open_listed(path, opts, &r, &l);
    if (st != DCS_OK)
        return st;
    char name[512];
    clean_name(dataset, name, sizeof name);
    if (!names_has(&l, name)) {
        FILE *e = err_stream(opts);
        fprintf(e, "%s: no dataset '%s'; datasets are:\n", path, dataset ? dataset : "");
        for (size_t i = 0; i < l.n; i++)
            fprintf(e, "  %s\n", l.v[i]);
        st = DCS_EINPUT;
    } else {
        st = finish(path, opts, export_object(r, name, NULL, out), out);
    }
    names_free(&l);
    dcs_trace_reader_close(r);
    return st;
}

dcs_status dcs_trace_export_summary(const char *path, const char *group,
                                    const dcs_trace_export_opts *opts, FILE *out)
{
    dcs_trace_reader *r;
    names l;
    dcs_status st = open_listed(path, opts, &r, &l);
    if (st != DCS_OK)
        return st;
    char g[512], name[600];
    clean_name(group, g, sizeof g);
    snprintf(name, sizeof name, "%s%ssummary", g, g[0] ? "/" : "");
    if (!names_has(&l, name)) {
        FILE *e = err_stream(opts);
        fprintf(e, "%s: no summary for group '%s'; groups with a summary are:\n", path, g);
        for (size_t i = 0; i < l.n; i++) {
            size_t n = strlen(l.v[i]);
            if (strcmp(l.v[i], "summary") == 0)
                fprintf(e, "  (the whole run: no --group)\n");
            else if (n > 8 && strcmp(l.v[i] + n - 8, "/summary") == 0)
                fprintf(e, "  %.*s\n", (int)(n - 8), l.v[i]);
        }
        st = DCS_EINPUT;
    } else {
        st = finish(path, opts, export_object(r, name, "metric", out), out);
    }
    names_free(&l);
    dcs_trace_reader_close(r);
    return st;
}

dcs_status dcs_trace_export_list(const char *path, const dcs_trace_export_opts *opts,
                                 FILE *out)
{
    dcs_trace_reader *r;
    names l;
    dcs_status st = open_listed(path, opts, &r, &l);
    if (st != DCS_OK)
        return st;
    for (size_t i = 0; i < l.n; i++)
        fprintf(out, "%s\n", l.v[i]);
    names_free(&l);
    dcs_trace_reader_close(r);
    return finish(path, opts, DCS_OK, out);
}
