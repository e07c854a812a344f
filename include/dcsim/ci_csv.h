/*
 * ci_csv.h - importers of hourly grid series from CSV files.
 *
 * Three formats:
 *  - Electricity Maps hourly export (header "Datetime (UTC),Country,Zone
 *    Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity
 *    gCO₂eq/kWh (LCA),..."), UTC timestamps "YYYY-MM-DD HH:MM:SS"; the caller
 *    picks the direct (combustion) or life-cycle (LCA) column.
 *  - Generic "timestamp,value" (header row required, e.g.
 *    "timestamp,gco2_per_kwh" or "timestamp,usd_per_mwh"): timestamps
 *    "YYYY-MM-DD HH:MM[:SS]" or with a 'T'; a trailing "Z" or "+HH:MM" /
 *    "-HH:MM" is an explicit offset and wins.  Otherwise the timestamp is
 *    local time: standard offset utc_offset_min plus a daylight-saving rule
 *    (none, EU or US; see dcs_dst_rule).  dcsim does not use the C library's
 *    tz database (setenv TZ is process-global and not thread-safe).
 *  - EIA-930 style generation by fuel (header
 *    "timestamp,WND,SUN,WAT,OIL,NG,COL,NUC,OTH[,avg_CI]", MWh per hour),
 *    from which intensity is the generation-weighted mean of life-cycle
 *    factors (IPCC AR5 medians, FACTS.md 5).
 *
 * Every importer fills a dcs_hourly in SI units (value x scale), spanning
 * the first to the last timestamp.  Problems go to dcs_diag as
 * "FILE:LINE:COL: message": a malformed row or value (error; that hour is
 * then treated as missing), a duplicate hour (error; the first row is kept),
 * a row earlier than its predecessor (error), missing hours (one warning per
 * gap).  Missing hours are filled by linear interpolation between the
 * neighbouring known hours (a gap at either end takes the nearest known
 * value).  Return: DCS_OK, DCS_EINPUT if any error was reported (the series
 * is still filled, for inspection), DCS_EIO if the file cannot be opened
 * (reported at line 0), DCS_ENOMEM.
 */
#ifndef DCSIM_CI_CSV_H
#define DCSIM_CI_CSV_H

#include <stdbool.h>

#include "dcsim/diag.h"
#include "dcsim/hourly.h"

typedef enum {
    DCS_CI_LCA,      /* life-cycle: construction, fuel chain and combustion */
    DCS_CI_DIRECT    /* combustion only */
} dcs_ci_basis;

typedef enum {
    DCS_DST_NONE,    /* the offset is fixed all year */
    DCS_DST_EU,      /* +1 h from 01:00 UTC on the last Sunday of March to
                        01:00 UTC on the last Sunday of October (EU 2000/84/EC) */
    DCS_DST_US       /* +1 h from 02:00 local standard time on the second Sunday
                        of March to 02:00 local daylight time on the first
                        Sunday of November (US Energy Policy Act 2005) */
} dcs_dst_rule;

typedef struct dcs_csv_hourly_opts {
    int utc_offset_min;      /* local standard time minus UTC, minutes */
    dcs_dst_rule dst;        /* daylight-saving rule of local timestamps */
    double scale;            /* SI value per file unit, e.g. DCS_G_PER_KWH */
    bool allow_negative;     /* prices may be negative; intensities may not */
} dcs_csv_hourly_opts;

/* Life-cycle factors for the EIA columns WND SUN WAT OIL NG COL NUC OTH,
 * in gCO2eq/kWh. */
typedef struct dcs_eia_factors {
    double g_per_kwh[8];
} dcs_eia_factors;

/* AR5 medians as used for the EIA files (FACTS.md 5): WND 11, SUN 41,
 * WAT 24, OIL 650, NG 490, COL 820, NUC 12, OTH 230. */
dcs_eia_factors dcs_eia_factors_default(void);

/* Read an Electricity Maps hourly export into *out (kg CO2eq per J). */
dcs_status dcs_ci_csv_read_emaps(const char *path, dcs_ci_basis basis,
                                 dcs_hourly *out, dcs_diag *d);

/* Read a generic two-column CSV into *out (file value x opts->scale). */
dcs_status dcs_ci_csv_read_generic(const char *path, const dcs_csv_hourly_opts *opts,
                                   dcs_hourly *out, dcs_diag *d);

/* Read an EIA-930 style generation file; *ci gets kg CO2eq per J computed
 * with f; gen_w (may be NULL) gets total generation in W per hour.  An empty
 * field is a fuel not reported (0); an hour with zero total generation is
 * treated as missing (a gap); a negative value is an error. */
dcs_status dcs_ci_csv_read_eia(const char *path, const dcs_eia_factors *f,
                               dcs_hourly *ci, dcs_hourly *gen_w, dcs_diag *d);

/* UTC offset in minutes (standard offset plus one hour when daylight saving
 * is in force) of local time at the UTC instant utc_s. */
int dcs_dst_offset_min(dcs_dst_rule rule, int std_offset_min, int64_t utc_s);

#endif
