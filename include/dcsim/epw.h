/*
 * epw.h - reader for EnergyPlus weather (EPW) files.
 *
 * Format: 8 header lines (LOCATION, DESIGN CONDITIONS, ..., DATA PERIODS),
 * then one comma-separated row per hour: year, month, day, hour (1..24,
 * hour ending), minute, flags, dry-bulb degC, dew point degC, RH %, station
 * pressure Pa, ... (EnergyPlus Auxiliary Programs, "Weather Converter
 * Program", EPW data dictionary).  Missing-value codes: dry-bulb and dew
 * point 99.9, RH 999, pressure 999999.  Wet-bulb is computed
 * psychrometrically.
 */
#ifndef DCSIM_EPW_H
#define DCSIM_EPW_H

#include <stddef.h>

#include "dcsim/climate.h"
#include "dcsim/diag.h"

typedef struct dcs_epw_hour {
    int month, day, hour;   /* hour 1..24 (ending) */
    dcs_ambient air;
} dcs_epw_hour;

typedef struct dcs_epw {
    char city[64];
    char country[16];
    double latitude_deg, longitude_deg, timezone_h, elevation_m;
    int n;                  /* number of hourly rows */
    dcs_epw_hour *hours;    /* n rows, owned; free with dcs_epw_free */
} dcs_epw;

/* Parse EPW text (len bytes, need not be NUL-terminated); name is used in
 * diagnostics and must outlive d.  Problems go to d as "NAME:LINE:COL:
 * message", COL being the 1-based character column where the field starts:
 * malformed or out-of-range fields are errors; missing-value codes are
 * warnings, and the value is filled (dew point from RH or RH from dew point,
 * pressure from the LOCATION elevation, dry-bulb interpolated in time).
 * Returns DCS_OK, DCS_EINPUT if any error was reported (out is still filled
 * with what could be read, and must be freed), or DCS_ENOMEM. */
dcs_status dcs_epw_parse(const char *text, size_t len, const char *name, dcs_diag *d,
                         dcs_epw *out);

/* Read and parse the file at path (path is used in diagnostics and must
 * outlive d).  DCS_EIO (reported to d) when it cannot be read. */
dcs_status dcs_epw_read(const char *path, dcs_diag *d, dcs_epw *out);

void dcs_epw_free(dcs_epw *e);

#endif
