/*
 * epw.c - EnergyPlus weather (EPW) reader.
 *
 * Layout (EnergyPlus Auxiliary Programs, "Weather Converter Program",
 * EPW data dictionary): header lines whose first field is a keyword
 * (LOCATION, DESIGN CONDITIONS, TYPICAL/EXTREME PERIODS, GROUND
 * TEMPERATURES, HOLIDAYS/DAYLIGHT SAVINGS, COMMENTS 1, COMMENTS 2, DATA
 * PERIODS), then one row per hour.  Fields used (0-based): 1 month, 2 day,
 * 3 hour (1..24, ending), 6 dry-bulb degC, 7 dew point degC, 8 RH %, 9
 * station pressure Pa.  LOCATION gives city, state, country, source, WMO,
 * latitude, longitude, time zone, elevation.
 * Valid ranges and missing codes (data dictionary): dry-bulb and dew point
 * -70..70, missing 99.9; RH 0..110, missing 999; pressure 31,000..120,000,
 * missing 999999.
 * Missing values are warnings and are filled: dew point from RH (or RH from
 * dew point), pressure from the elevation (standard atmosphere), dry-bulb
 * (and a dew point with no RH) by linear interpolation between the nearest
 * valid hours.  Malformed or out-of-range fields are errors, reported with
 * their line and the column where the field starts, and then filled the
 * same way so that one pass reports every problem.
 * Wet-bulb: psychrometric (psychro.c) from dry-bulb, dew point, pressure.
 */
#include "dcsim/epw.h"

#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/psychro.h"

enum { MAX_FIELDS = 40, F_MONTH = 1, F_DAY = 2, F_HOUR = 3, F_DB = 6, F_DP = 7, F_RH = 8,
       F_P = 9, MIN_FIELDS = 10 };

/* One line split into fields: pointers into the text, lengths, and the
 * 1-based column of each field's first character. */
typedef struct fields {
    int n;
    const char *s[MAX_FIELDS];
    int len[MAX_FIELDS];
    int col[MAX_FIELDS];
} fields;

static void split(const char *line, int len, fields *f)
{
    f->n = 0;
    int start = 0;
    for (int i = 0; i <= len && f->n < MAX_FIELDS; i++) {
        if (i == len || line[i] == ',') {
            f->s[f->n] = line + start;
            f->len[f->n] = i - start;
            f->col[f->n] = start + 1;
            f->n++;
            start = i + 1;
        }
    }
}

/* Parse field i as a number; false if empty, malformed or trailing junk. */
static bool number(const fields *f, int i, double *out)
{
    char buf[64];
    int n = f->len[i];
    if (n <= 0 || n >= (int)sizeof buf)
        return false;
    memcpy(buf, f->s[i], (size_t)n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == buf || *end != '\0' || errno != 0 || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static void copy_field(const fields *f, int i, char *dst, size_t cap)
{
    size_t n = f->len[i] > 0 ? (size_t)f->len[i] : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, f->s[i], n);
    dst[n] = '\0';
}

/* Value state of one field of one hour. */
enum { V_OK, V_MISSING, V_BAD };

typedef struct raw {
    double v[4];     /* dry-bulb, dew point, RH %, pressure */
    int state[4];
    int line;
} raw;

static const struct {
    int field;
    const char *what;
    double lo, hi, missing;
} COLS[4] = {
    {F_DB, "dry-bulb temperature", -70.0, 70.0, 99.9},
    {F_DP, "dew-point temperature", -70.0, 70.0, 99.9},
    {F_RH, "relative humidity", 0.0, 110.0, 999.0},
    {F_P, "station pressure", 31000.0, 120000.0, 999999.0},
};

static void read_location(const fields *f, const char *name, int line, dcs_diag *d, dcs_epw *out)
{
    if (f->n < 10) {
        dcs_diag_error(d, (dcs_loc){name, line, 1},
                       "LOCATION has %d fields, expected 10 (city, state, country, source, "
                       "WMO, latitude, longitude, time zone, elevation)", f->n);
        return;
    }
    copy_field(f, 1, out->city, sizeof out->city);
    copy_field(f, 3, out->country, sizeof out->country);
    double *dst[4] = {&out->latitude_deg, &out->longitude_deg, &out->timezone_h,
                      &out->elevation_m};
    static const char *what[4] = {"latitude", "longitude", "time zone", "elevation"};
    static const double lo[4] = {-90.0, -180.0, -12.0, -1000.0};
    static const double hi[4] = {90.0, 180.0, 14.0, 9999.9};
    for (int k = 0; k < 4; k++) {
        double v;
        if (!number(f, 6 + k, &v) || v < lo[k] || v > hi[k])
            dcs_diag_error(d, (dcs_loc){name, line, f->col[6 + k]},
                           "LOCATION %s '%.*s' is not a number in [%g, %g]", what[k],
                           f->len[6 + k], f->s[6 + k], lo[k], hi[k]);
        else
            *dst[k] = v;
    }
}

/* Parse one data row into out->hours[out->n] and raw[out->n]. */
static void read_row(const fields *f, const char *name, int line, dcs_diag *d, dcs_epw *out,
                     raw *rw)
{
    dcs_epw_hour *h = &out->hours[out->n];
    raw *r = &rw[out->n];
    memset(h, 0, sizeof *h);
    r->line = line;
    static const char *what[3] = {"month", "day", "hour"};
    static const int hi[3] = {12, 31, 24};
    int *dst[3] = {&h->month, &h->day, &h->hour};
    for (int k = 0; k < 3; k++) {
        double v = 0.0;
        int i = F_MONTH + k;
        if (!number(f, i, &v) || v != floor(v) || v < 1.0 || v > hi[k]) {
            dcs_diag_error(d, (dcs_loc){name, line, f->col[i]},
                           "%s '%.*s' is not an integer in [1, %d]", what[k], f->len[i],
                           f->s[i], hi[k]);
            *dst[k] = 0;
        } else {
            *dst[k] = (int)v;
        }
    }
    for (int k = 0; k < 4; k++) {
        int i = COLS[k].field;
        double v = 0.0;
        r->state[k] = V_OK;
        if (!number(f, i, &v)) {
            dcs_diag_error(d, (dcs_loc){name, line, f->col[i]}, "%s '%.*s' is not a number",
                           COLS[k].what, f->len[i], f->s[i]);
            r->state[k] = V_BAD;
        } else if (v == COLS[k].missing) {
            dcs_diag_warn(d, (dcs_loc){name, line, f->col[i]}, "%s missing (%g); filled",
                          COLS[k].what, COLS[k].missing);
            r->state[k] = V_MISSING;
        } else if (v < COLS[k].lo || v > COLS[k].hi) {
            dcs_diag_error(d, (dcs_loc){name, line, f->col[i]},
                           "%s %.*s is outside [%g, %g]", COLS[k].what, f->len[i], f->s[i],
                           COLS[k].lo, COLS[k].hi);
            r->state[k] = V_BAD;
        }
        r->v[k] = v;
    }
    out->n++;
}

/* Fill column k of every hour where it is not V_OK by linear interpolation
 * between the nearest valid hours (constant beyond the ends).  False if no
 * hour is valid. */
static bool interpolate(raw *rw, int n, int k)
{
    int prev = -1;
    for (int i = 0; i < n; i++) {
        if (rw[i].state[k] != V_OK)
            continue;
        for (int j = prev + 1; j < i; j++) {
            double x = prev < 0 ? 1.0 : (double)(j - prev) / (double)(i - prev);
            double a = prev < 0 ? rw[i].v[k] : rw[prev].v[k];
            rw[j].v[k] = a + x * (rw[i].v[k] - a);
        }
        prev = i;
    }
    if (prev < 0)
        return false;
    for (int j = prev + 1; j < n; j++)
        rw[j].v[k] = rw[prev].v[k];
    return true;
}

/* Fill gaps and derive RH, dew point and wet-bulb for every hour. */
static void complete(dcs_epw *e, raw *rw, const char *name, dcs_diag *d)
{
    int n = e->n;
    if (!interpolate(rw, n, 0)) {
        dcs_diag_error(d, (dcs_loc){name, 0, 0}, "no valid dry-bulb temperature in any row");
        return;
    }
    double p_std = dcs_psychro_pressure_at_altitude_pa(e->elevation_m);
    /* Dew point from RH where it is missing but RH is not; RH alone
     * cannot be interpolated meaningfully across a diurnal cycle, the dew
     * point can. */
    for (int i = 0; i < n; i++) {
        if (rw[i].state[1] != V_OK && rw[i].state[2] == V_OK && rw[i].v[2] > 0.0) {
            rw[i].v[1] = dcs_psychro_dew_point_from_rh_c(rw[i].v[0], fmin(rw[i].v[2], 100.0) / 100.0);
            rw[i].state[1] = V_OK;
        }
    }
    if (!interpolate(rw, n, 1)) {
        dcs_diag_error(d, (dcs_loc){name, 0, 0}, "no valid dew point or humidity in any row");
        return;
    }
    for (int i = 0; i < n; i++) {
        dcs_ambient *a = &e->hours[i].air;
        a->dry_bulb_c = rw[i].v[0];
        /* Dew points a few tenths above dry-bulb are rounding in the data:
         * the air is saturated. */
        a->dew_point_c = fmin(rw[i].v[1], rw[i].v[0]);
        a->pressure_pa = rw[i].state[3] == V_OK ? rw[i].v[3] : p_std;
        a->rh = rw[i].state[2] == V_OK ? fmin(rw[i].v[2], 100.0) / 100.0
                                       : dcs_psychro_rh_from_dew_point(a->dry_bulb_c, a->dew_point_c);
        if (dcs_psychro_wet_bulb_from_dew_point_c(a->dry_bulb_c, a->dew_point_c, a->pressure_pa,
                                                  &a->wet_bulb_c) != DCS_OK) {
            dcs_diag_error(d, (dcs_loc){name, rw[i].line, 0},
                           "no wet-bulb for dry-bulb %g degC, dew point %g degC, %g Pa",
                           a->dry_bulb_c, a->dew_point_c, a->pressure_pa);
            a->wet_bulb_c = a->dry_bulb_c;
        }
    }
}

static bool is_header(const fields *f)
{
    static const char *keys[] = {"LOCATION", "DESIGN CONDITIONS", "TYPICAL/EXTREME PERIODS",
                                 "GROUND TEMPERATURES", "HOLIDAYS/DAYLIGHT SAVINGS",
                                 "COMMENTS 1", "COMMENTS 2", "DATA PERIODS"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t n = strlen(keys[k]);
        if ((size_t)f->len[0] == n && memcmp(f->s[0], keys[k], n) == 0)
            return true;
    }
    return false;
}

dcs_status dcs_epw_parse(const char *text, size_t len, const char *name, dcs_diag *d,
                         dcs_epw *out)
{
    memset(out, 0, sizeof *out);
    int errors0 = dcs_diag_errors(d);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    out->hours = calloc(lines, sizeof *out->hours);
    raw *rw = calloc(lines, sizeof *rw);
    if (!out->hours || !rw) {
        free(rw);
        dcs_epw_free(out);
        return DCS_ENOMEM;
    }
    bool have_location = false;
    size_t pos = 0;
    int line = 0;
    fields f;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t n = end - pos;
        if (n > 0 && text[pos + n - 1] == '\r')
            n--;   /* EPW files from Windows tools end lines with CRLF */
        line++;
        const char *s = text + pos;
        pos = end + 1;
        if (n == 0)
            continue;
        if (n > 100000) {
            dcs_diag_error(d, (dcs_loc){name, line, 0}, "line longer than 100,000 characters");
            continue;
        }
        split(s, (int)n, &f);
        if (is_header(&f)) {
            if (f.len[0] == 8 && memcmp(f.s[0], "LOCATION", 8) == 0) {
                read_location(&f, name, line, d, out);
                have_location = true;
            }
            continue;
        }
        if (f.n < MIN_FIELDS) {
            dcs_diag_error(d, (dcs_loc){name, line, 0},
                           "data row has %d fields, expected at least %d (35 in a full EPW row)",
                           f.n, MIN_FIELDS);
            continue;
        }
        read_row(&f, name, line, d, out, rw);
    }
    if (!have_location)
        dcs_diag_error(d, (dcs_loc){name, 1, 1}, "no LOCATION header line");
    if (out->n == 0)
        dcs_diag_error(d, (dcs_loc){name, 0, 0}, "no hourly data rows");
    else
        complete(out, rw, name, d);
    free(rw);
    return dcs_diag_errors(d) > errors0 ? DCS_EINPUT : DCS_OK;
}

dcs_status dcs_epw_read(const char *path, dcs_diag *d, dcs_epw *out)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "cannot open: %s", strerror(errno));
        return DCS_EIO;
    }
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    dcs_status st = DCS_OK;
    while (buf) {
        len += fread(buf + len, 1, cap - len, fp);
        if (len < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (!buf) {
        st = DCS_ENOMEM;
    } else if (ferror(fp)) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "read error");
        st = DCS_EIO;
    }
    fclose(fp);
    if (st == DCS_OK)
        st = dcs_epw_parse(buf, len, path, d, out);
    free(buf);
    return st;
}

void dcs_epw_free(dcs_epw *e)
{
    if (!e)
        return;
    free(e->hours);
    e->hours = NULL;
    e->n = 0;
}
