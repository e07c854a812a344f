/*
 * trace.c - the HDF5 trace writer (layout in include/dcsim/trace.h and
 * docs/trace-format.md).
 *
 * Crash safety: everything is written to PATH.tmp; dcs_trace_commit() sets
 * the root attribute complete = 1, closes the file, fsyncs it and renames it
 * to PATH.  rename(2) replaces an existing PATH atomically, so a reader sees
 * either the old file or the new complete one, never a half-written PATH.  A
 * run killed before commit leaves only PATH.tmp, whose complete flag is 0
 * (the root attributes are flushed right after creation so that the flag can
 * be read even then).  Left out: the directory is not fsynced after the
 * rename, so after a power loss the old PATH may reappear.
 *
 * Storage choices (justified in docs/trace-format.md): a series is a group of
 * 1-D float64 columns, chunked (SERIES_CHUNK_ROWS rows), shuffled and
 * deflate-compressed, each with a `unit` attribute; tables (/summary, /jobs,
 * /events) are extensible compound datasets with variable-length UTF-8
 * strings.  Rows are buffered and written one chunk at a time, so appending
 * a sample costs a memcpy, not an HDF5 call.
 *
 * Errors: every HDF5 return is checked.  The first failure is kept as a
 * one-line message (PATH: what failed: HDF5's innermost reason); later calls
 * do nothing and return DCS_EIO, and commit removes the tmp file.  Out of
 * memory is fatal (STYLE.md) and says the size.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/trace.h"
#include "trace_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SERIES_CHUNK_ROWS = 1024, TABLE_CHUNK_ROWS = 256, DEFLATE_LEVEL = 4 };

/* An extensible compound dataset whose rows are buffered in memory. */
typedef struct table {
    hid_t dset, mtype;
    const trace_field *fields;
    size_t nfields, row_size;
    unsigned char *buf;     /* TABLE_CHUNK_ROWS rows; strings owned */
    size_t nbuf;
    hsize_t nrows;          /* rows already in the file */
} table;

/* A group of equally long 1-D float64 columns, rows buffered column-major. */
typedef struct colgroup {
    hid_t group;
    size_t ncols;
    hid_t *dsets;
    double *buf;            /* ncols x SERIES_CHUNK_ROWS */
    size_t nbuf;
    hsize_t nrows;
} colgroup;

struct dcs_trace_series {
    dcs_trace *tr;
    colgroup cg;
    char *site;
    char *what;             /* "the series of site 'NAME'", for messages */
    dcs_time last;
    dcs_trace_series *next;
};

struct dcs_trace {
    char *path, *tmp;
    hid_t file, str_t, gcpl;
    table jobs, events;
    dcs_trace_series *series;
    bool failed, committed;
    char msg[1024];
    char why[256];   /* HDF5's reason for the last failed call, until used */
};

/* Row layouts in memory (and, packed, in the file). */
typedef struct summary_row { const char *name; double value; const char *unit; } summary_row;
typedef struct job_row {
    const char *name, *workload, *site;
    int64_t gpus;
    double submit_s, start_s, end_s, deadline_s;
    const char *state;
    int64_t preemptions;
    double energy_kwh;
} job_row;
typedef struct event_row { double time_s; const char *kind, *site, *detail; } event_row;

#define F(row, kind, name) {#name, offsetof(row, name), kind}
static const trace_field summary_fields[] = {
    F(summary_row, TRACE_STR, name), F(summary_row, TRACE_F64, value),
    F(summary_row, TRACE_STR, unit),
};
static const trace_field job_fields[] = {
    F(job_row, TRACE_STR, name), F(job_row, TRACE_STR, workload),
    F(job_row, TRACE_STR, site), F(job_row, TRACE_I64, gpus),
    F(job_row, TRACE_F64, submit_s), F(job_row, TRACE_F64, start_s),
    F(job_row, TRACE_F64, end_s), F(job_row, TRACE_F64, deadline_s),
    F(job_row, TRACE_STR, state), F(job_row, TRACE_I64, preemptions),
    F(job_row, TRACE_F64, energy_kwh),
};
static const trace_field event_fields[] = {
    F(event_row, TRACE_F64, time_s), F(event_row, TRACE_STR, kind),
    F(event_row, TRACE_STR, site), F(event_row, TRACE_STR, detail),
};
#undef F
#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- failures ------------------------------------------------------- */

/* Wrap an HDF5 return: true if it succeeded.  HDF5's reason for a failure
 * is noted at once, because the next HDF5 call (even a successful H5Sclose
 * during cleanup) clears the error stack. */
static bool h5(dcs_trace *tr, int64_t rc)
{
    if (rc < 0 && !tr->why[0])
        trace_h5_reason(tr->why, sizeof tr->why);
    return rc >= 0;
}

static bool fail_v(dcs_trace *tr, bool with_reason, const char *fmt, va_list ap)
{
    if (tr->failed) {
        H5Eclear2(H5E_DEFAULT);
        return false;
    }
    tr->failed = true;
    char what[256];
    vsnprintf(what, sizeof what, fmt, ap);
    if (with_reason && !tr->why[0])
        trace_h5_reason(tr->why, sizeof tr->why);
    snprintf(tr->msg, sizeof tr->msg, "%s: %s%s%s", tr->path, what,
             with_reason && tr->why[0] ? ": " : "", with_reason ? tr->why : "");
    return false;
}

/* Record an HDF5 failure (with HDF5's reason); always returns false. */
static bool fail_h5(dcs_trace *tr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static bool fail_h5(dcs_trace *tr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool r = fail_v(tr, true, fmt, ap);
    va_end(ap);
    return r;
}

/* Record a caller error (no HDF5 reason); always returns false. */
static bool fail_msg(dcs_trace *tr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static bool fail_msg(dcs_trace *tr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool r = fail_v(tr, false, fmt, ap);
    va_end(ap);
    return r;
}

/* Simulated time in seconds for the file.  Whole seconds are converted
 * exactly and the fraction is rounded once, so 3900 s is stored as 3900;
 * multiplying the nanoseconds by 1e-9 (not a binary fraction) gives
 * 3900.0000000000005, and so for 378 of the first 3000 five-minute marks. */
static double time_s(dcs_time t)
{
    return (double)(t / DCS_SECOND) + (double)(t % DCS_SECOND) / 1e9;
}

/* A group or dataset name must be one HDF5 link name. */
static bool good_name(const char *s)
{
    return s && s[0] && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* ---- attributes and groups ------------------------------------------ */

static bool set_attr(dcs_trace *tr, hid_t loc, const char *name, hid_t ftype,
                     hid_t mtype, const void *value)
{
    hid_t space = -1, attr = -1;
    htri_t exists = H5Aexists(loc, name);
    bool ok = h5(tr, exists) && h5(tr, space = H5Screate(H5S_SCALAR));
    if (ok)
        attr = exists ? H5Aopen(loc, name, H5P_DEFAULT)
                      : H5Acreate2(loc, name, ftype, space, H5P_DEFAULT, H5P_DEFAULT);
    ok = ok && h5(tr, attr) && h5(tr, H5Awrite(attr, mtype, value));
    if (attr >= 0 && !h5(tr, H5Aclose(attr)))
        ok = false;
    if (space >= 0)
        H5Sclose(space);
    return ok || fail_h5(tr, "cannot write attribute '%s'", name);
}

static bool attr_str(dcs_trace *tr, hid_t loc, const char *name, const char *v)
{
    const char *s = v ? v : "";
    return set_attr(tr, loc, name, tr->str_t, tr->str_t, &s);
}

static bool attr_i64(dcs_trace *tr, hid_t loc, const char *name, int64_t v)
{
    return set_attr(tr, loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &v);
}

static bool attr_f64(dcs_trace *tr, hid_t loc, const char *name, double v)
{
    return set_attr(tr, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

/* Open the child group `name` of parent, creating it (with link creation
 * order tracked, so h5py lists members in the order written) if absent. */
static hid_t child_group(dcs_trace *tr, hid_t parent, const char *name)
{
    htri_t exists = H5Lexists(parent, name, H5P_DEFAULT);
    hid_t g = exists > 0 ? H5Gopen2(parent, name, H5P_DEFAULT)
            : exists == 0 ? H5Gcreate2(parent, name, H5P_DEFAULT, tr->gcpl, H5P_DEFAULT)
            : exists;
    if (!h5(tr, g))
        fail_h5(tr, "cannot create group '%s'", name);
    return g;
}

/* Open "/KIND/NAME" (KIND is sites or workloads), creating both levels. */
static hid_t scope_group(dcs_trace *tr, const char *kind, const char *name)
{
    hid_t k = child_group(tr, tr->file, kind);
    if (k < 0)
        return -1;
    hid_t g = child_group(tr, k, name);
    H5Gclose(k);
    return g;
}

/* ---- compound tables ------------------------------------------------ */

static bool table_create(dcs_trace *tr, table *t, hid_t loc, const char *name,
                         const trace_field *fields, size_t nfields, size_t row_size)
{
    t->fields = fields;
    t->nfields = nfields;
    t->row_size = row_size;
    t->buf = trace_xmalloc(row_size * TABLE_CHUNK_ROWS);
    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = TABLE_CHUNK_ROWS;
    hid_t space = -1, dcpl = -1, ftype = -1;
    t->mtype = trace_compound(row_size, fields, nfields, tr->str_t);
    bool ok = h5(tr, t->mtype) && h5(tr, ftype = H5Tcopy(t->mtype)) && h5(tr, H5Tpack(ftype))
              && h5(tr, space = H5Screate_simple(1, &dims, &maxdims))
              && h5(tr, dcpl = H5Pcreate(H5P_DATASET_CREATE))
              && h5(tr, H5Pset_chunk(dcpl, 1, &chunk))
              && h5(tr, t->dset = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, dcpl,
                                             H5P_DEFAULT));
    if (ftype >= 0)
        H5Tclose(ftype);
    if (space >= 0)
        H5Sclose(space);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return ok || fail_h5(tr, "cannot create table '%s'", name);
}

static void table_free_strings(table *t)
{
    for (size_t r = 0; r < t->nbuf; r++)
        for (size_t f = 0; f < t->nfields; f++)
            if (t->fields[f].kind == TRACE_STR) {
                char *s;
                memcpy(&s, t->buf + r * t->row_size + t->fields[f].offset, sizeof s);
                free(s);
            }
    t->nbuf = 0;
}

static bool table_flush(dcs_trace *tr, table *t, const char *name)
{
    if (t->nbuf == 0)
        return true;
    hsize_t start = t->nrows, count = t->nbuf, size = t->nrows + t->nbuf;
    hid_t fs = -1, ms = -1;
    bool ok = h5(tr, H5Dset_extent(t->dset, &size))
              && h5(tr, fs = H5Dget_space(t->dset))
              && h5(tr, H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL))
              && h5(tr, ms = H5Screate_simple(1, &count, NULL))
              && h5(tr, H5Dwrite(t->dset, t->mtype, ms, fs, H5P_DEFAULT, t->buf));
    if (fs >= 0)
        H5Sclose(fs);
    if (ms >= 0)
        H5Sclose(ms);
    table_free_strings(t);
    t->nrows = size;
    return ok || fail_h5(tr, "cannot write %s", name);
}

/* Copy one row into the buffer, duplicating its strings (NULL becomes ""). */
static bool table_push(dcs_trace *tr, table *t, const void *row, const char *name)
{
    if (t->nbuf == TABLE_CHUNK_ROWS && !table_flush(tr, t, name))
        return false;
    unsigned char *dst = t->buf + t->nbuf * t->row_size;
    memcpy(dst, row, t->row_size);
    for (size_t f = 0; f < t->nfields; f++)
        if (t->fields[f].kind == TRACE_STR) {
            const char *s;
            memcpy(&s, dst + t->fields[f].offset, sizeof s);
            char *copy = trace_xstrdup(s ? s : "");
            memcpy(dst + t->fields[f].offset, &copy, sizeof copy);
        }
    t->nbuf++;
    return true;
}

/* Close a table; false if HDF5 failed (closing a dataset writes out its
 * cached chunks, so a full disk can show up here). */
static bool table_close(table *t)
{
    table_free_strings(t);
    free(t->buf);
    t->buf = NULL;
    bool ok = true;
    if (t->dset >= 0 && H5Dclose(t->dset) < 0)
        ok = false;
    if (t->mtype >= 0 && H5Tclose(t->mtype) < 0)
        ok = false;
    t->dset = t->mtype = -1;
    return ok;
}

/* ---- column groups -------------------------------------------------- */

static bool colgroup_create(dcs_trace *tr, colgroup *cg, hid_t parent, const char *name,
                            const char *const *names, const char *const *units, size_t ncols)
{
    cg->ncols = ncols;
    cg->dsets = trace_xmalloc(ncols * sizeof *cg->dsets);
    for (size_t c = 0; c < ncols; c++)
        cg->dsets[c] = -1;
    cg->buf = trace_xmalloc(ncols * SERIES_CHUNK_ROWS * sizeof *cg->buf);
    cg->group = H5Gcreate2(parent, name, H5P_DEFAULT, tr->gcpl, H5P_DEFAULT);
    if (!h5(tr, cg->group))
        return fail_h5(tr, "cannot create group '%s'", name);

    /* The column order, for readers that list a group by name. */
    hsize_t n = ncols;
    hid_t space = H5Screate_simple(1, &n, NULL), attr = -1;
    bool ok = h5(tr, space)
              && h5(tr, attr = H5Acreate2(cg->group, "columns", tr->str_t, space,
                                          H5P_DEFAULT, H5P_DEFAULT))
              && h5(tr, H5Awrite(attr, tr->str_t, names));
    if (attr >= 0)
        H5Aclose(attr);
    if (space >= 0)
        H5Sclose(space);
    if (!ok)
        return fail_h5(tr, "cannot write the column list of '%s'", name);

    hsize_t dims = 0, maxdims = H5S_UNLIMITED, chunk = SERIES_CHUNK_ROWS;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    space = H5Screate_simple(1, &dims, &maxdims);
    /* Shuffle before deflate groups the bytes of slowly varying doubles,
     * which roughly doubles the compression of sampled power series. */
    ok = h5(tr, dcpl) && h5(tr, space) && h5(tr, H5Pset_chunk(dcpl, 1, &chunk))
         && h5(tr, H5Pset_shuffle(dcpl)) && h5(tr, H5Pset_deflate(dcpl, DEFLATE_LEVEL));
    for (size_t c = 0; ok && c < ncols; c++) {
        if (!good_name(names[c])) {
            ok = fail_msg(tr, "bad column name '%s' in '%s'", names[c] ? names[c] : "(null)", name);
            break;
        }
        cg->dsets[c] = H5Dcreate2(cg->group, names[c], H5T_IEEE_F64LE, space,
                                  H5P_DEFAULT, dcpl, H5P_DEFAULT);
        ok = (h5(tr, cg->dsets[c]) || fail_h5(tr, "cannot create column '%s' of '%s'",
                                           names[c], name))
             && attr_str(tr, cg->dsets[c], "unit", units[c]);
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return ok || fail_h5(tr, "cannot create the columns of '%s'", name);
}

static bool colgroup_flush(dcs_trace *tr, colgroup *cg, const char *what)
{
    if (cg->nbuf == 0)
        return true;
    hsize_t start = cg->nrows, count = cg->nbuf, size = cg->nrows + cg->nbuf;
    hid_t ms = H5Screate_simple(1, &count, NULL);
    bool ok = h5(tr, ms);
    for (size_t c = 0; ok && c < cg->ncols; c++) {
        hid_t fs = -1;
        ok = h5(tr, H5Dset_extent(cg->dsets[c], &size))
             && h5(tr, fs = H5Dget_space(cg->dsets[c]))
             && h5(tr, H5Sselect_hyperslab(fs, H5S_SELECT_SET, &start, NULL, &count, NULL))
             && h5(tr, H5Dwrite(cg->dsets[c], H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT,
                                cg->buf + c * SERIES_CHUNK_ROWS));
        if (fs >= 0)
            H5Sclose(fs);
    }
    if (ms >= 0)
        H5Sclose(ms);
    cg->nbuf = 0;
    cg->nrows = size;
    return ok || fail_h5(tr, "cannot write %s", what);
}

/* Buffer one row: first, then rest[0..ncols-2]. */
static bool colgroup_push(dcs_trace *tr, colgroup *cg, double first, const double *rest,
                          const char *what)
{
    if (cg->nbuf == SERIES_CHUNK_ROWS && !colgroup_flush(tr, cg, what))
        return false;
    cg->buf[cg->nbuf] = first;
    for (size_t c = 1; c < cg->ncols; c++)
        cg->buf[c * SERIES_CHUNK_ROWS + cg->nbuf] = rest[c - 1];
    cg->nbuf++;
    return true;
}

/* Close a column group; false if HDF5 failed (see table_close). */
static bool colgroup_close(colgroup *cg)
{
    bool ok = true;
    for (size_t c = 0; cg->dsets && c < cg->ncols; c++)
        if (cg->dsets[c] >= 0 && H5Dclose(cg->dsets[c]) < 0)
            ok = false;
    if (cg->group >= 0 && H5Gclose(cg->group) < 0)
        ok = false;
    free(cg->dsets);
    free(cg->buf);
    cg->dsets = NULL;
    cg->buf = NULL;
    cg->group = -1;
    return ok;
}

/* ---- the trace ------------------------------------------------------ */

/* Close every HDF5 handle; true if all closed cleanly. */
static bool close_all(dcs_trace *tr)
{
    bool ok = true;
    for (dcs_trace_series *s = tr->series; s; s = s->next)
        ok = h5(tr, colgroup_close(&s->cg) ? 0 : -1) && ok;
    ok = h5(tr, table_close(&tr->jobs) ? 0 : -1) && ok;
    ok = h5(tr, table_close(&tr->events) ? 0 : -1) && ok;
    if (tr->str_t >= 0)
        ok = h5(tr, H5Tclose(tr->str_t)) && ok;
    if (tr->gcpl >= 0)
        ok = h5(tr, H5Pclose(tr->gcpl)) && ok;
    tr->str_t = tr->gcpl = -1;
    if (tr->file >= 0)
        ok = h5(tr, H5Fclose(tr->file)) && ok;
    tr->file = -1;
    return ok;
}

dcs_status dcs_trace_init(void)
{
    /* HDF5 would otherwise print its whole error stack on every failed call,
     * including the expected ones (H5Aexists on a missing name is fine). */
    if (H5open() < 0 || H5Eset_auto2(H5E_DEFAULT, NULL, NULL) < 0)
        return DCS_EIO;
    return DCS_OK;
}

static bool write_scenario(dcs_trace *tr, const char *text)
{
    const char *s = text ? text : "";
    hid_t space = H5Screate(H5S_SCALAR), d = -1;
    bool ok = h5(tr, space)
              && h5(tr, d = H5Dcreate2(tr->file, "scenario", tr->str_t, space, H5P_DEFAULT,
                                       H5P_DEFAULT, H5P_DEFAULT))
              && h5(tr, H5Dwrite(d, tr->str_t, H5S_ALL, H5S_ALL, H5P_DEFAULT, &s));
    if (d >= 0)
        H5Dclose(d);
    if (space >= 0)
        H5Sclose(space);
    return ok || fail_h5(tr, "cannot write /scenario");
}

static bool open_file(dcs_trace *tr, const dcs_trace_meta *meta)
{
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS);
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    /* A strong close degree closes every object with the file, so an abort
     * never leaves the tmp file held open by a forgotten handle. */
    bool ok = h5(tr, fcpl) && h5(tr, fapl) && h5(tr, H5Pset_link_creation_order(fcpl, order))
              && h5(tr, H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG))
              && h5(tr, tr->file = H5Fcreate(tr->tmp, H5F_ACC_TRUNC, fcpl, fapl));
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (!ok)
        return fail_h5(tr, "cannot create %s", tr->tmp);

    tr->str_t = trace_str_type();
    tr->gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (!h5(tr, tr->str_t) || !h5(tr, tr->gcpl)
        || !h5(tr, H5Pset_link_creation_order(tr->gcpl, order)))
        return fail_h5(tr, "cannot set up types");

    hid_t root = tr->file;
    return attr_str(tr, root, "dcsim_version", DCSIM_VERSION)
           && attr_i64(tr, root, "schema_version", DCS_TRACE_SCHEMA_VERSION)
           && attr_str(tr, root, "scenario", meta->scenario_name)
           && set_attr(tr, root, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &meta->seed)
           && attr_i64(tr, root, "threads", meta->threads)
           && attr_f64(tr, root, "wall_seconds", NAN)
           && attr_i64(tr, root, "complete", 0)
           && attr_str(tr, root, "status", "running")
           && write_scenario(tr, meta->scenario_text)
           && table_create(tr, &tr->jobs, root, "jobs", job_fields, NFIELDS(job_fields),
                           sizeof(job_row))
           && table_create(tr, &tr->events, root, "events", event_fields,
                           NFIELDS(event_fields), sizeof(event_row))
           && (h5(tr, H5Fflush(tr->file, H5F_SCOPE_GLOBAL))
               || fail_h5(tr, "cannot flush %s", tr->tmp));
}

dcs_status dcs_trace_open(const char *path, const dcs_trace_meta *meta,
                          dcs_trace **out, char *msg, size_t msg_size)
{
    *out = NULL;
    dcs_trace *tr = trace_xmalloc(sizeof *tr);
    *tr = (dcs_trace){.file = -1, .str_t = -1, .gcpl = -1,
                      .jobs = {.dset = -1, .mtype = -1},
                      .events = {.dset = -1, .mtype = -1}};
    tr->path = trace_xstrdup(path);
    size_t n = strlen(path);
    tr->tmp = trace_xmalloc(n + 5);
    memcpy(tr->tmp, path, n);
    memcpy(tr->tmp + n, ".tmp", 5);
    if (!open_file(tr, meta)) {
        if (msg && msg_size)
            snprintf(msg, msg_size, "%s", tr->msg);
        dcs_trace_close(tr);
        return DCS_EIO;
    }
    *out = tr;
    return DCS_OK;
}

dcs_status dcs_trace_summary(dcs_trace *tr, const char *scope,
                             const dcs_trace_metric *rows, size_t n)
{
    if (tr->failed || tr->committed)
        return DCS_EIO;
    hid_t loc = tr->file;
    const char *slash = scope ? strchr(scope, '/') : NULL;
    if (scope && scope[0]) {
        size_t klen = slash ? (size_t)(slash - scope) : 0;
        bool kind_ok = (klen == 5 && strncmp(scope, "sites", 5) == 0)
                       || (klen == 9 && strncmp(scope, "workloads", 9) == 0);
        if (!kind_ok || !good_name(slash + 1)) {
            fail_msg(tr, "summary scope '%s' is not sites/NAME or workloads/NAME", scope);
            return DCS_EIO;
        }
        char kind[10];
        memcpy(kind, scope, klen);
        kind[klen] = '\0';
        if ((loc = scope_group(tr, kind, slash + 1)) < 0)
            return DCS_EIO;
    }
    const char *where = scope && scope[0] ? scope : "/";
    htri_t exists = H5Lexists(loc, "summary", H5P_DEFAULT);
    table t = {.dset = -1, .mtype = -1};
    bool ok = exists == 0 || (exists > 0 ? fail_msg(tr, "summary of %s written twice", where)
                                         : fail_h5(tr, "cannot look up summary of %s", where));
    ok = ok && table_create(tr, &t, loc, "summary", summary_fields, NFIELDS(summary_fields),
                            sizeof(summary_row));
    for (size_t i = 0; ok && i < n; i++) {
        summary_row r = {rows[i].name, rows[i].value, rows[i].unit};
        ok = table_push(tr, &t, &r, "summary");
    }
    ok = ok && table_flush(tr, &t, "summary");
    if (!table_close(&t) && ok)
        ok = fail_h5(tr, "cannot write the summary of %s", where);
    if (loc != tr->file)
        H5Gclose(loc);
    return ok ? DCS_OK : DCS_EIO;
}

dcs_status dcs_trace_series_open(dcs_trace *tr, const char *site,
                                 const dcs_trace_column *cols, size_t ncols,
                                 dcs_trace_series **out)
{
    *out = NULL;
    if (tr->failed || tr->committed)
        return DCS_EIO;
    if (!good_name(site)) {
        fail_msg(tr, "bad site name '%s'", site ? site : "(null)");
        return DCS_EIO;
    }
    hid_t g = scope_group(tr, "sites", site);
    if (g < 0)
        return DCS_EIO;
    htri_t exists = H5Lexists(g, "series", H5P_DEFAULT);
    if (exists != 0) {
        H5Gclose(g);
        if (exists > 0)
            fail_msg(tr, "series of site '%s' declared twice", site);
        else
            fail_h5(tr, "cannot look up the series of site '%s'", site);
        return DCS_EIO;
    }
    const char **names = trace_xmalloc((ncols + 1) * sizeof *names);
    const char **units = trace_xmalloc((ncols + 1) * sizeof *units);
    names[0] = "time_s";
    units[0] = "s";
    for (size_t c = 0; c < ncols; c++) {
        names[c + 1] = cols[c].name;
        units[c + 1] = cols[c].unit;
    }
    dcs_trace_series *s = trace_xmalloc(sizeof *s);
    *s = (dcs_trace_series){.tr = tr, .cg = {.group = -1}, .site = trace_xstrdup(site),
                            .last = INT64_MIN, .next = tr->series};
    size_t wn = strlen(site) + 32;
    s->what = trace_xmalloc(wn);
    snprintf(s->what, wn, "the series of site '%s'", site);
    tr->series = s;   /* owned by the trace from here, even on failure */
    bool ok = colgroup_create(tr, &s->cg, g, "series", names, units, ncols + 1);
    free(names);
    free(units);
    H5Gclose(g);
    if (!ok)
        return DCS_EIO;
    *out = s;
    return DCS_OK;
}

dcs_status dcs_trace_series_append(dcs_trace_series *s, dcs_time t, const double *values)
{
    dcs_trace *tr = s->tr;
    if (tr->failed || tr->committed)
        return DCS_EIO;
    if (t < s->last) {
        fail_msg(tr, "series of site '%s': sample at %lld ns after one at %lld ns",
                 s->site, (long long)t, (long long)s->last);
        return DCS_EIO;
    }
    s->last = t;
    return colgroup_push(tr, &s->cg, time_s(t), values, s->what) ? DCS_OK : DCS_EIO;
}

dcs_status dcs_trace_histogram(dcs_trace *tr, const char *workload, const char *name,
                               const char *unit, size_t n_bins, const double *edges,
                               const double *counts)
{
    if (tr->failed || tr->committed)
        return DCS_EIO;
    if (!good_name(workload) || !good_name(name) || !good_name(unit)) {
        fail_msg(tr, "bad histogram workload/name/unit '%s/%s/%s'", workload ? workload : "",
                 name ? name : "", unit ? unit : "");
        return DCS_EIO;
    }
    hid_t w = scope_group(tr, "workloads", workload);
    hid_t h = w >= 0 ? child_group(tr, w, "histograms") : -1;
    char lower[80], upper[80];
    snprintf(lower, sizeof lower, "lower_%s", unit);
    snprintf(upper, sizeof upper, "upper_%s", unit);
    const char *names[] = {lower, upper, "count"};
    const char *units[] = {unit, unit, "1"};
    colgroup cg = {.group = -1};
    char what[300];
    snprintf(what, sizeof what, "histogram '%s' of workload '%s'", name, workload);
    bool ok = h >= 0 && colgroup_create(tr, &cg, h, name, names, units, 3);
    for (size_t i = 0; ok && i < n_bins; i++) {
        double rest[2] = {edges[i + 1], counts[i]};
        ok = colgroup_push(tr, &cg, edges[i], rest, what);
    }
    ok = ok && colgroup_flush(tr, &cg, what);
    if (!colgroup_close(&cg) && ok)
        ok = fail_h5(tr, "cannot write %s", what);
    if (h >= 0)
        H5Gclose(h);
    if (w >= 0)
        H5Gclose(w);
    return ok ? DCS_OK : DCS_EIO;
}

dcs_status dcs_trace_job_append(dcs_trace *tr, const dcs_trace_job *j)
{
    if (tr->failed || tr->committed)
        return DCS_EIO;
    job_row r = {j->name, j->workload, j->site, j->gpus, j->submit_s, j->start_s,
                 j->end_s, j->deadline_s, j->state, j->preemptions, j->energy_kwh};
    return table_push(tr, &tr->jobs, &r, "/jobs") ? DCS_OK : DCS_EIO;
}

dcs_status dcs_trace_event_append(dcs_trace *tr, const dcs_trace_event *e)
{
    if (tr->failed || tr->committed)
        return DCS_EIO;
    event_row r = {time_s(e->time), e->kind, e->site, e->detail};
    return table_push(tr, &tr->events, &r, "/events") ? DCS_OK : DCS_EIO;
}

/* Push the closed file's bytes to disk before the rename makes it visible. */
static bool sync_file(dcs_trace *tr)
{
    int fd = open(tr->tmp, O_RDONLY);
    bool ok = fd >= 0 && fsync(fd) == 0;
    int e = errno;
    if (fd >= 0)
        close(fd);
    return ok || fail_msg(tr, "cannot sync %s: %s", tr->tmp, strerror(e));
}

dcs_status dcs_trace_commit(dcs_trace *tr, double wall_seconds)
{
    if (tr->committed)
        return DCS_OK;
    bool ok = !tr->failed;
    for (dcs_trace_series *s = tr->series; ok && s; s = s->next)
        ok = colgroup_flush(tr, &s->cg, s->what);
    ok = ok && table_flush(tr, &tr->jobs, "/jobs") && table_flush(tr, &tr->events, "/events")
         && attr_f64(tr, tr->file, "wall_seconds", wall_seconds)
         && attr_i64(tr, tr->file, "complete", 1)
         && attr_str(tr, tr->file, "status", "complete");
    if (!close_all(tr))
        ok = fail_h5(tr, "cannot close %s", tr->tmp);
    ok = ok && sync_file(tr);
    if (ok && rename(tr->tmp, tr->path) != 0)
        ok = fail_msg(tr, "cannot rename %s to %s: %s", tr->tmp, tr->path, strerror(errno));
    if (!ok) {
        remove(tr->tmp);
        return DCS_EIO;
    }
    tr->committed = true;
    return DCS_OK;
}

const char *dcs_trace_error(const dcs_trace *tr)
{
    return tr->msg;
}

void dcs_trace_close(dcs_trace *tr)
{
    if (!tr)
        return;
    close_all(tr);
    H5Eclear2(H5E_DEFAULT);
    if (!tr->committed)
        remove(tr->tmp);
    while (tr->series) {
        dcs_trace_series *next = tr->series->next;
        free(tr->series->site);
        free(tr->series->what);
        free(tr->series);
        tr->series = next;
    }
    free(tr->path);
    free(tr->tmp);
    free(tr);
}
