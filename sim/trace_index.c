/*
 * trace_index.c - the HDF5 side of a sweep's index (DIR/sweep.h5).
 *
 * Layout: root attributes dcsim_version and nruns; group /runs with one 1-D
 * dataset per column (variable-length UTF-8 strings or float64), a `unit`
 * attribute on columns that have one, and the group's `columns` attribute
 * listing the columns in order, as the trace's series groups do
 * (docs/trace-format.md), so the same tools read both.  Small and written at
 * once: no chunking or compression.  Lives beside trace*.c because those are
 * the only files that speak HDF5.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/sweep.h"
#include "trace_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dcs_status fail(char *msg, size_t size, const char *path, const char *what)
{
    char why[256];
    trace_h5_reason(why, sizeof why);
    snprintf(msg, size, "%s: cannot write %s (%s)", path, what, why);
    return DCS_EIO;
}

/* A scalar or 1-D string attribute of n strings. */
static bool attr_strings(hid_t loc, const char *name, hid_t str_t, const char *const *s,
                         size_t n, bool scalar)
{
    hsize_t dim = n;
    hid_t space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    hid_t a = space < 0 ? -1 : H5Acreate2(loc, name, str_t, space, H5P_DEFAULT, H5P_DEFAULT);
    bool ok = a >= 0 && H5Awrite(a, str_t, s) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (space >= 0)
        H5Sclose(space);
    return ok;
}

static bool attr_u64(hid_t loc, const char *name, uint64_t v)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t a = space < 0 ? -1
                        : H5Acreate2(loc, name, H5T_STD_U64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    bool ok = a >= 0 && H5Awrite(a, H5T_NATIVE_UINT64, &v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (space >= 0)
        H5Sclose(space);
    return ok;
}

static bool write_column(hid_t g, hid_t str_t, const dcs_sweep_column *c, size_t nrows)
{
    hsize_t dim = nrows;
    hid_t space = H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return false;
    hid_t ftype = c->text ? str_t : H5T_IEEE_F64LE;
    hid_t d = H5Dcreate2(g, c->name, ftype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    bool ok = d >= 0;
    if (ok && nrows > 0)
        ok = c->text ? H5Dwrite(d, str_t, H5S_ALL, H5S_ALL, H5P_DEFAULT, c->text) >= 0
                     : H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                c->values) >= 0;
    if (ok && c->unit)
        ok = attr_strings(d, "unit", str_t, &c->unit, 1, true);
    if (d >= 0)
        H5Dclose(d);
    H5Sclose(space);
    return ok;
}

dcs_status dcs_sweep_index_h5(const char *path, const dcs_sweep_column *cols,
                              size_t ncols, size_t nrows, char *msg, size_t msg_size)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0)
        return fail(msg, msg_size, tmp, "the file");
    hid_t str_t = trace_str_type();
    hid_t g = str_t < 0 ? -1 : H5Gcreate2(f, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char *version = DCSIM_VERSION;
    bool ok = g >= 0 && attr_strings(f, "dcsim_version", str_t, &version, 1, true) &&
              attr_u64(f, "nruns", nrows);
    const char **names = trace_xmalloc((ncols ? ncols : 1) * sizeof *names);
    for (size_t i = 0; ok && i < ncols; i++) {
        names[i] = cols[i].name;
        ok = write_column(g, str_t, &cols[i], nrows);
    }
    if (ok)
        ok = attr_strings(g, "columns", str_t, names, ncols, false);
    free(names);
    dcs_status st = ok ? DCS_OK : fail(msg, msg_size, tmp, "the index table");
    if (g >= 0)
        H5Gclose(g);
    if (str_t >= 0)
        H5Tclose(str_t);
    if (H5Fclose(f) < 0 && st == DCS_OK)
        st = fail(msg, msg_size, tmp, "the file on close");
    if (st == DCS_OK && rename(tmp, path) != 0) {
        snprintf(msg, msg_size, "%s: cannot rename %s into place", path, tmp);
        st = DCS_EIO;
    }
    if (st != DCS_OK)
        remove(tmp);
    return st;
}
