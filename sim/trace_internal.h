/*
 * trace_internal.h - helpers shared by the trace writer (trace.c), reader
 * (trace_read.c) and exporter (trace_export.c).  Private to sim/trace*.c:
 * nothing outside those files includes HDF5.
 */
#ifndef DCSIM_TRACE_INTERNAL_H
#define DCSIM_TRACE_INTERNAL_H

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>

#include "dcsim/trace.h"

/* One member of a row struct stored as an HDF5 compound. */
typedef enum { TRACE_STR, TRACE_I64, TRACE_F64 } trace_kind;
typedef struct trace_field {
    const char *name;
    size_t offset;
    trace_kind kind;
} trace_field;

/* A variable-length UTF-8 string type (close with H5Tclose); -1 on error. */
hid_t trace_str_type(void);

/* A native compound type of `size` bytes with the given members, strings of
 * type str_t (as char *); -1 on error. */
hid_t trace_compound(size_t size, const trace_field *fields, size_t n, hid_t str_t);

/* HDF5's innermost reason for the last failure, into buf; clears the stack. */
void trace_h5_reason(char *buf, size_t size);

/* malloc/strdup that abort with the size on exhaustion (STYLE.md: out of
 * memory is fatal and says the size). */
void *trace_xmalloc(size_t size);
char *trace_xstrdup(const char *s);

/* Free the variable-length members of n rows read with mtype. */
void trace_reclaim(hid_t mtype, hsize_t n, void *buf);

/* The reader's state (trace_read.c), shared with the exporter. */
struct dcs_trace_reader {
    hid_t file;
    hid_t str_t;
    char *path;
};

/* Names (relative to the root, no leading '/') of every exportable object:
 * compound datasets, column groups (groups with a `columns` attribute) and
 * the scalar string /scenario, in name order.  *names is an array of n
 * owned strings (free each and the array).  Returns false on HDF5 error. */
bool trace_list_exportable(hid_t file, char ***names, size_t *n);

#endif
