/*
 * trace_read.c - reading a dcsim HDF5 trace back: opening with the checks
 * that keep a half-written or foreign file from being taken as a result
 * (existence, HDF5 signature, schema_version, the complete flag), root and
 * object attributes, whole columns, and single summary metrics.
 *
 * Used by `dcsim export` and by anything that compares runs.  The complete
 * flag is the writer's commit marker (see trace.c): a file without it is
 * the leftover of a run that did not finish.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/trace.h"
#include "trace_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static dcs_status say(char *msg, size_t size, dcs_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static dcs_status say(char *msg, size_t size, dcs_status st, const char *fmt, ...)
{
    if (msg && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, size, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* An object path relative to the root, with "" meaning the root itself. */
static const char *obj_path(const char *object)
{
    if (!object)
        return ".";
    while (*object == '/')
        object++;
    return *object ? object : ".";
}

/* Does every component of path exist?  (H5Lexists on a/b/c fails, rather
 * than answering false, when a is missing, so it is asked one level at a
 * time.) */
static bool path_exists(hid_t file, const char *path)
{
    path = obj_path(path);
    if (strcmp(path, ".") == 0)
        return true;
    char buf[1024];
    if (strlen(path) >= sizeof buf)
        return false;
    strcpy(buf, path);
    for (char *p = buf;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            htri_t e = H5Lexists(file, buf, H5P_DEFAULT);
            if (e <= 0) {
                H5Eclear2(H5E_DEFAULT);
                return false;
            }
            if (c == '\0')
                return true;
            *p = c;
        }
    }
}

/* Open attribute name of object; -1 (with the stack cleared) if absent. */
static hid_t open_attr(const dcs_trace_reader *r, const char *object, const char *name)
{
    if (!path_exists(r->file, object))
        return -1;
    htri_t e = H5Aexists_by_name(r->file, obj_path(object), name, H5P_DEFAULT);
    hid_t a = e > 0 ? H5Aopen_by_name(r->file, obj_path(object), name, H5P_DEFAULT,
                                      H5P_DEFAULT) : -1;
    H5Eclear2(H5E_DEFAULT);
    return a;
}

/* Read a scalar numeric attribute with HDF5 converting to mtype. */
static dcs_status attr_num(const dcs_trace_reader *r, const char *object, const char *name,
                           hid_t mtype, H5T_class_t want, void *out)
{
    hid_t a = open_attr(r, object, name);
    if (a < 0)
        return DCS_EINPUT;
    hid_t t = H5Aget_type(a);
    H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    bool class_ok = c == want || (want == H5T_FLOAT && c == H5T_INTEGER);
    dcs_status st = t < 0 ? DCS_EIO : !class_ok ? DCS_EINPUT
                  : H5Aread(a, mtype, out) < 0 ? DCS_EIO : DCS_OK;
    if (t >= 0)
        H5Tclose(t);
    H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
    return st;
}

dcs_status dcs_trace_reader_attr_i64(const dcs_trace_reader *r, const char *object,
                                     const char *name, int64_t *out)
{
    return attr_num(r, object, name, H5T_NATIVE_INT64, H5T_INTEGER, out);
}

dcs_status dcs_trace_reader_attr_u64(const dcs_trace_reader *r, const char *object,
                                     const char *name, uint64_t *out)
{
    return attr_num(r, object, name, H5T_NATIVE_UINT64, H5T_INTEGER, out);
}

dcs_status dcs_trace_reader_attr_f64(const dcs_trace_reader *r, const char *object,
                                     const char *name, double *out)
{
    return attr_num(r, object, name, H5T_NATIVE_DOUBLE, H5T_FLOAT, out);
}

dcs_status dcs_trace_reader_attr_str(const dcs_trace_reader *r, const char *object,
                                     const char *name, char *buf, size_t size)
{
    hid_t a = open_attr(r, object, name);
    if (a < 0)
        return DCS_EINPUT;
    hid_t t = H5Aget_type(a), s = H5Aget_space(a);
    dcs_status st = DCS_EINPUT;
    /* The writer stores scalar variable-length strings only. */
    if (t >= 0 && s >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0
        && H5Sget_simple_extent_type(s) == H5S_SCALAR) {
        char *v = NULL;
        st = H5Aread(a, r->str_t, &v) < 0 ? DCS_EIO : DCS_OK;
        if (st == DCS_OK) {
            size_t n = strlen(v);
            if (n >= size)
                st = DCS_ERANGE;
            else
                memcpy(buf, v, n + 1);
            trace_reclaim(r->str_t, 1, &v);
        }
    }
    if (t >= 0)
        H5Tclose(t);
    if (s >= 0)
        H5Sclose(s);
    H5Aclose(a);
    H5Eclear2(H5E_DEFAULT);
    return st;
}

dcs_status dcs_trace_reader_column(const dcs_trace_reader *r, const char *path,
                                   double **values, size_t *n)
{
    *values = NULL;
    *n = 0;
    if (!path_exists(r->file, path))
        return DCS_EINPUT;
    hid_t d = H5Dopen2(r->file, obj_path(path), H5P_DEFAULT);
    if (d < 0) {
        H5Eclear2(H5E_DEFAULT);
        return DCS_EINPUT;
    }
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    H5T_class_t c = t >= 0 ? H5Tget_class(t) : H5T_NO_CLASS;
    hsize_t dims = 0;
    dcs_status st = DCS_EINPUT;
    if (s >= 0 && (c == H5T_FLOAT || c == H5T_INTEGER) && H5Sget_simple_extent_ndims(s) == 1
        && H5Sget_simple_extent_dims(s, &dims, NULL) == 1) {
        double *v = trace_xmalloc((size_t)dims * sizeof *v);
        st = dims == 0 || H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0
             ? DCS_OK : DCS_EIO;
        if (st == DCS_OK) {
            *values = v;
            *n = (size_t)dims;
        } else {
            free(v);
        }
    }
    if (t >= 0)
        H5Tclose(t);
    if (s >= 0)
        H5Sclose(s);
    H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return st;
}

typedef struct summary_row { char *name; double value; char *unit; } summary_row;

dcs_status dcs_trace_reader_metric(const dcs_trace_reader *r, const char *group,
                                   const char *metric, double *value,
                                   char *unit, size_t unit_size)
{
    char path[1024];
    const char *g = group ? obj_path(group) : ".";
    snprintf(path, sizeof path, "%s%ssummary", strcmp(g, ".") ? g : "", strcmp(g, ".") ? "/" : "");
    if (!path_exists(r->file, path))
        return DCS_EINPUT;
    static const trace_field fields[] = {
        {"name", offsetof(summary_row, name), TRACE_STR},
        {"value", offsetof(summary_row, value), TRACE_F64},
        {"unit", offsetof(summary_row, unit), TRACE_STR},
    };
    hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
    hid_t m = trace_compound(sizeof(summary_row), fields, 3, r->str_t);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    hssize_t n = s >= 0 ? H5Sget_simple_extent_npoints(s) : -1;
    dcs_status st = d < 0 || m < 0 || n < 0 ? DCS_EIO : DCS_EINPUT;
    if (n > 0) {
        summary_row *rows = trace_xmalloc((size_t)n * sizeof *rows);
        if (H5Dread(d, m, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
            st = DCS_EIO;
        } else {
            for (hssize_t i = 0; i < n; i++)
                if (strcmp(rows[i].name, metric) == 0) {
                    *value = rows[i].value;
                    st = DCS_OK;
                    if (unit && unit_size) {
                        if (strlen(rows[i].unit) >= unit_size)
                            st = DCS_ERANGE;
                        else
                            strcpy(unit, rows[i].unit);
                    }
                    break;
                }
            trace_reclaim(m, (hsize_t)n, rows);
        }
        free(rows);
    }
    if (s >= 0)
        H5Sclose(s);
    if (m >= 0)
        H5Tclose(m);
    if (d >= 0)
        H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return st;
}

/* The checks that make a file a readable trace, in the order a user would
 * want them explained. */
static dcs_status check_trace(dcs_trace_reader *r, bool partial, char *msg, size_t size)
{
    int64_t schema = 0, complete = 0;
    if (dcs_trace_reader_attr_i64(r, "", "schema_version", &schema) != DCS_OK)
        return say(msg, size, DCS_EINPUT, "%s: not a dcsim trace (no schema_version attribute)",
                   r->path);
    if (schema < 1 || schema > DCS_TRACE_SCHEMA_VERSION)
        return say(msg, size, DCS_EINPUT,
                   "%s: trace schema version %lld is not supported (this dcsim reads 1 to %d)",
                   r->path, (long long)schema, DCS_TRACE_SCHEMA_VERSION);
    if (partial)
        return DCS_OK;
    char status[64] = "unknown";
    if (dcs_trace_reader_attr_i64(r, "", "complete", &complete) != DCS_OK || complete != 1) {
        if (dcs_trace_reader_attr_str(r, "", "status", status, sizeof status) != DCS_OK)
            strcpy(status, "unknown");
        return say(msg, size, DCS_EINPUT,
                   "%s: incomplete trace (status \"%s\"): the run that wrote it did not "
                   "finish; use --partial to read what it holds", r->path, status);
    }
    return DCS_OK;
}

dcs_status dcs_trace_reader_open(const char *path, bool partial, dcs_trace_reader **out,
                                 char *msg, size_t msg_size)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return say(msg, msg_size, DCS_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return say(msg, msg_size, DCS_EINPUT, "%s: not a regular file", path);
    htri_t is = H5Fis_hdf5(path);
    H5Eclear2(H5E_DEFAULT);
    if (is <= 0)
        return say(msg, msg_size, is < 0 ? DCS_EIO : DCS_EINPUT,
                   is < 0 ? "%s: cannot read the file" : "%s: not an HDF5 file", path);
    dcs_trace_reader *r = trace_xmalloc(sizeof *r);
    *r = (dcs_trace_reader){.file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT),
                            .str_t = -1, .path = trace_xstrdup(path)};
    char why[256] = "";
    if (r->file < 0)
        trace_h5_reason(why, sizeof why);   /* before the next call clears it */
    else
        r->str_t = trace_str_type();
    if (r->file < 0 || r->str_t < 0) {
        dcs_trace_reader_close(r);
        /* A file killed mid-write may carry the HDF5 signature but no usable
         * superblock or object headers. */
        return say(msg, msg_size, DCS_EINPUT, "%s: damaged or unfinished HDF5 file: %s",
                   path, why);
    }
    dcs_status st = check_trace(r, partial, msg, msg_size);
    if (st != DCS_OK) {
        dcs_trace_reader_close(r);
        return st;
    }
    *out = r;
    return DCS_OK;
}

void dcs_trace_reader_close(dcs_trace_reader *r)
{
    if (!r)
        return;
    if (r->str_t >= 0)
        H5Tclose(r->str_t);
    if (r->file >= 0)
        H5Fclose(r->file);
    H5Eclear2(H5E_DEFAULT);
    free(r->path);
    free(r);
}
