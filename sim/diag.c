/* diag.c - collection and printing of located diagnostics. */
#include "dcsim/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { DIAG_MAX_STORED = 100 };

struct dcs_diag {
    char *lines[DIAG_MAX_STORED];
    int stored;
    int errors;
    int warnings;
};

const char *dcs_status_name(dcs_status s)
{
    switch (s) {
#define DCS_STATUS_NAME(name, val, msg) case name: return #name;
    DCS_STATUS_LIST(DCS_STATUS_NAME)
#undef DCS_STATUS_NAME
    }
    return "DCS_UNKNOWN";
}

const char *dcs_status_message(dcs_status s)
{
    switch (s) {
#define DCS_STATUS_MSG(name, val, msg) case name: return msg;
    DCS_STATUS_LIST(DCS_STATUS_MSG)
#undef DCS_STATUS_MSG
    }
    return "unknown status";
}

dcs_diag *dcs_diag_new(void)
{
    dcs_diag *d = calloc(1, sizeof *d);
    if (!d) {
        fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", sizeof *d);
        abort();
    }
    return d;
}

void dcs_diag_free(dcs_diag *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->stored; i++)
        free(d->lines[i]);
    free(d);
}

static void record(dcs_diag *d, dcs_loc loc, const char *kind, const char *fmt, va_list ap)
{
    if (d->stored >= DIAG_MAX_STORED)
        return;
    char where[512], msg[1024];
    if (!loc.file)
        snprintf(where, sizeof where, "dcsim");
    else if (loc.line <= 0)
        snprintf(where, sizeof where, "%s", loc.file);
    else if (loc.col <= 0)
        snprintf(where, sizeof where, "%s:%d", loc.file, loc.line);
    else
        snprintf(where, sizeof where, "%s:%d:%d", loc.file, loc.line, loc.col);
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(where) + strlen(kind) + strlen(msg) + 3;
    char *line = malloc(n);
    if (!line) {
        fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", n);
        abort();
    }
    snprintf(line, n, "%s: %s%s", where, kind, msg);
    d->lines[d->stored++] = line;
}

void dcs_diag_error(dcs_diag *d, dcs_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(d, loc, "", fmt, ap);
    va_end(ap);
    d->errors++;
}

void dcs_diag_warn(dcs_diag *d, dcs_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    record(d, loc, "warning: ", fmt, ap);
    va_end(ap);
    d->warnings++;
}

int dcs_diag_errors(const dcs_diag *d) { return d->errors; }
int dcs_diag_warnings(const dcs_diag *d) { return d->warnings; }
int dcs_diag_count(const dcs_diag *d) { return d->stored; }

const char *dcs_diag_line(const dcs_diag *d, int i)
{
    return (i >= 0 && i < d->stored) ? d->lines[i] : NULL;
}

void dcs_diag_print(const dcs_diag *d, FILE *out)
{
    for (int i = 0; i < d->stored; i++)
        fprintf(out, "%s\n", d->lines[i]);
    int dropped = d->errors + d->warnings - d->stored;
    if (dropped > 0)
        fprintf(out, "dcsim: %d more problems not shown\n", dropped);
}
