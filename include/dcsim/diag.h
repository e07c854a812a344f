/*
 * diag.h - located diagnostics for bad input, and dcsim's status codes.
 *
 * Bad input is reported as "FILE:LINE:COL: message" (1-based line and
 * column), quoting what the user wrote and what is allowed.  Problems are
 * collected, not stopped at the first, so one pass shows the user several;
 * the command line prints them all and exits 2.  A location with line 0 is
 * printed as "FILE: message" (a whole-file problem such as "empty file"), and
 * one without a file (command-line arguments) as "dcsim: message".
 */
#ifndef DCSIM_DIAG_H
#define DCSIM_DIAG_H

#include <stdio.h>

/* Status codes, their names and messages from one list. */
#define DCS_STATUS_LIST(X)                                       \
    X(DCS_OK,      0, "ok")                                      \
    X(DCS_EINPUT,  1, "bad input")                               \
    X(DCS_EIO,     2, "input/output error")                      \
    X(DCS_ENOMEM,  3, "out of memory")                           \
    X(DCS_ERANGE,  4, "value out of range")                      \
    X(DCS_EINTR,   5, "interrupted")                             \
    X(DCS_ERUN,    6, "run failed")

typedef enum {
#define DCS_STATUS_ENUM(name, val, msg) name = val,
    DCS_STATUS_LIST(DCS_STATUS_ENUM)
#undef DCS_STATUS_ENUM
} dcs_status;

const char *dcs_status_name(dcs_status s);
const char *dcs_status_message(dcs_status s);

/* Where a value came from.  file is borrowed: it must outlive the diag. */
typedef struct dcs_loc {
    const char *file;
    int line;   /* 1-based; 0 = the whole file */
    int col;    /* 1-based; 0 = the whole line */
} dcs_loc;

typedef struct dcs_diag dcs_diag;

/* A new, empty collector; aborts with a message if memory is exhausted. */
dcs_diag *dcs_diag_new(void);
void dcs_diag_free(dcs_diag *d);

/* Record an error at loc; the message is printf-formatted.  After 100
 * errors further ones are counted but not stored. */
void dcs_diag_error(dcs_diag *d, dcs_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record a warning (printed with "warning: " after the location). */
void dcs_diag_warn(dcs_diag *d, dcs_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int dcs_diag_errors(const dcs_diag *d);
int dcs_diag_warnings(const dcs_diag *d);
/* Number of stored lines and the i-th line, formatted as printed
 * ("FILE:LINE:COL: message"), for tests that check exact text. */
int dcs_diag_count(const dcs_diag *d);
const char *dcs_diag_line(const dcs_diag *d, int i);
/* Print every stored line, in the order recorded, one per line. */
void dcs_diag_print(const dcs_diag *d, FILE *out);

#endif
