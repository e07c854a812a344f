/*
 * series_build.h - private: collect (hour, value, line) records read from a
 * file and assemble them into a dcs_hourly, reporting duplicates, order and
 * gaps (see ci_csv.h for the rules).
 */
#ifndef DCSIM_GRID_SERIES_BUILD_H
#define DCSIM_GRID_SERIES_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/hourly.h"

typedef struct series_rec {
    int64_t utc_s;      /* start of the hour */
    double value;       /* SI value */
    double extra;       /* a second value carried along (EIA total gen) */
    int line;
    bool valid;         /* false: the row's hour is known but its value not */
} series_rec;

typedef struct series_build {
    series_rec *rec;
    size_t n, cap;
    int64_t last_utc_s;  /* hour of the last record, for order checks */
    int last_line;
} series_build;

void series_build_init(series_build *b);
void series_build_free(series_build *b);
/* Append a record; checks order against the previous one (error at col 1
 * of line if earlier).  Returns false on out of memory. */
bool series_build_add(series_build *b, const series_rec *r, const char *path, dcs_diag *d);
/* Assemble into out (and extra_out, may be NULL); duplicates are errors,
 * gaps warnings, filled by linear interpolation.  Returns DCS_OK,
 * DCS_EINPUT (no valid row at all: reported), DCS_ENOMEM. */
dcs_status series_build_finish(series_build *b, const char *path, dcs_diag *d,
                               dcs_hourly *out, dcs_hourly *extra_out);

#endif
