/*
 * ci_csv.c - importers of hourly carbon-intensity (and price) series from
 * CSV: Electricity Maps exports, generic "timestamp,value" files with a
 * local-time rule, and EIA-930 style generation by fuel (see ci_csv.h).
 *
 * EIA intensity: CI_h = sum_f G_f,h x EF_f / sum_f G_f,h, with G in MWh for
 * the hour and EF the IPCC AR5 WG3 Annex III (2014) life-cycle medians used
 * by the SustainDC files (FACTS.md 5); production-based (imports ignored),
 * unlike Electricity Maps' consumption-based values.
 *
 * Local time (generic files): a local wall-clock time L maps to UTC
 * u = L - offset(u), where offset is the standard offset, plus one hour in
 * daylight time.  In the spring-forward hour no u solves this (error: the
 * time does not exist); in the fall-back hour two do, and the earlier
 * (daylight) one is taken unless the row before already used it, so a file
 * that lists the repeated hour twice in order maps to two distinct UTC hours.
 */
/* getline() is POSIX.1-2008. */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/ci_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_fields.h"
#include "series_build.h"

dcs_eia_factors dcs_eia_factors_default(void)
{
    /* Order WND SUN WAT OIL NG COL NUC OTH; FACTS.md 5, SustainDC line. */
    return (dcs_eia_factors){{11, 41, 24, 650, 490, 820, 12, 230}};
}

static const char *const eia_names[8] = {"WND", "SUN", "WAT", "OIL", "NG", "COL", "NUC", "OTH"};

/* ---- daylight-saving rules ---- */

/* UTC seconds of 00:00 on the n-th (1-based) Sunday of month, or of the last
 * Sunday when n is 0. */
static int64_t sunday_of(int year, int month, int n)
{
    if (n == 0) {
        int next_y = month == 12 ? year + 1 : year, next_m = month == 12 ? 1 : month + 1;
        int64_t end = dcs_civil_to_utc_s(next_y, next_m, 1, 0, 0, 0) - 86400;
        int wday;
        dcs_utc_s_to_civil(end, NULL, NULL, NULL, NULL, NULL, &wday);
        return end - (int64_t)wday * 86400;
    }
    int64_t first = dcs_civil_to_utc_s(year, month, 1, 0, 0, 0);
    int wday;
    dcs_utc_s_to_civil(first, NULL, NULL, NULL, NULL, NULL, &wday);
    return first + (int64_t)((7 - wday) % 7) * 86400 + (int64_t)(n - 1) * 7 * 86400;
}

int dcs_dst_offset_min(dcs_dst_rule rule, int std_offset_min, int64_t utc_s)
{
    int year;
    dcs_utc_s_to_civil(utc_s, &year, NULL, NULL, NULL, NULL, NULL);
    int64_t start, end;
    switch (rule) {
    case DCS_DST_EU:
        start = sunday_of(year, 3, 0) + 3600;
        end = sunday_of(year, 10, 0) + 3600;
        break;
    case DCS_DST_US:
        /* 02:00 local standard time, and 02:00 local daylight time (= 01:00
         * standard) at the end. */
        start = sunday_of(year, 3, 2) + 2 * 3600 - (int64_t)std_offset_min * 60;
        end = sunday_of(year, 11, 1) + 1 * 3600 - (int64_t)std_offset_min * 60;
        break;
    case DCS_DST_NONE:
    default:
        return std_offset_min;
    }
    return (utc_s >= start && utc_s < end) ? std_offset_min + 60 : std_offset_min;
}

/* UTC of a parsed timestamp; false (why set) if local time does not exist. */
static bool stamp_to_utc(const csv_stamp *st, const dcs_csv_hourly_opts *o,
                         int64_t prev_utc, int64_t *utc, const char **why)
{
    if (st->has_offset || !o) {
        *utc = st->civil_s - (int64_t)st->offset_min * 60;
        return true;
    }
    int64_t u_std = st->civil_s - (int64_t)o->utc_offset_min * 60;
    int64_t u_dst = u_std - 3600;
    bool std_ok = dcs_dst_offset_min(o->dst, o->utc_offset_min, u_std) == o->utc_offset_min;
    bool dst_ok = o->dst != DCS_DST_NONE &&
                  dcs_dst_offset_min(o->dst, o->utc_offset_min, u_dst) == o->utc_offset_min + 60;
    if (std_ok && dst_ok)
        *utc = u_dst > prev_utc ? u_dst : u_std;
    else if (std_ok)
        *utc = u_std;
    else if (dst_ok)
        *utc = u_dst;
    else {
        *why = "local time does not exist (skipped by the daylight-saving change)";
        return false;
    }
    return true;
}

/* ---- the shared reading loop ---- */

typedef enum { FMT_EMAPS, FMT_GENERIC, FMT_EIA } fmt;

typedef struct reader {
    fmt kind;
    const char *path;
    dcs_diag *d;
    const dcs_csv_hourly_opts *opts;  /* NULL: timestamps are UTC */
    double scale;
    dcs_ci_basis basis;               /* EMAPS */
    int value_col;                    /* EMAPS, GENERIC */
    int eia_col[8];                   /* EIA */
    const dcs_eia_factors *ef;
    int ncols;
} reader;

static int find_col(const csv_row *row, const char *prefix, const char *suffix)
{
    for (int i = 0; i < row->n; i++) {
        const char *f = row->field[i];
        size_t lf = strlen(f), lp = strlen(prefix), ls = suffix ? strlen(suffix) : 0;
        if (suffix ? (lf >= lp + ls && strncmp(f, prefix, lp) == 0 &&
                      strcmp(f + lf - ls, suffix) == 0)
                   : strcmp(f, prefix) == 0)
            return i;
    }
    return -1;
}

static bool read_header(reader *r, csv_row *row, int line)
{
    dcs_loc loc = {r->path, line, 1};
    r->ncols = row->n;
    switch (r->kind) {
    case FMT_EMAPS: {
        if (find_col(row, "Datetime (UTC)", NULL) != 0) {
            dcs_diag_error(r->d, loc, "expected 'Datetime (UTC)' as the first column, found '%s'",
                           row->field[0]);
            return false;
        }
        break;
    }
    case FMT_GENERIC:
        if (row->n != 2) {
            dcs_diag_error(r->d, loc, "expected a header of two columns 'timestamp,<value>', found %d",
                           row->n);
            return false;
        }
        break;
    case FMT_EIA:
        if (strcmp(row->field[0], "timestamp") != 0) {
            dcs_diag_error(r->d, loc, "expected 'timestamp' as the first column, found '%s'",
                           row->field[0]);
            return false;
        }
        for (int k = 0; k < 8; k++) {
            r->eia_col[k] = find_col(row, eia_names[k], NULL);
            if (r->eia_col[k] < 0) {
                dcs_diag_error(r->d, loc, "missing generation column '%s'", eia_names[k]);
                return false;
            }
        }
        break;
    }
    return true;
}

/* Parse one data row into rec; false if the row cannot be placed in time. */
static bool read_row(reader *r, csv_row *row, int line, int64_t prev_utc, series_rec *rec)
{
    dcs_diag *d = r->d;
    if (row->n != r->ncols) {
        dcs_diag_error(d, (dcs_loc){r->path, line, 0}, "expected %d fields, found %d",
                       r->ncols, row->n);
        return false;
    }
    csv_stamp st;
    const char *why;
    if (!csv_timestamp(row->field[0], &st, &why) ||
        !stamp_to_utc(&st, r->kind == FMT_GENERIC ? r->opts : NULL, prev_utc, &rec->utc_s, &why)) {
        dcs_diag_error(d, (dcs_loc){r->path, line, row->col[0]}, "bad timestamp '%s': %s",
                       row->field[0], why);
        return false;
    }
    if (rec->utc_s % 3600 != 0) {
        dcs_diag_error(d, (dcs_loc){r->path, line, row->col[0]},
                       "timestamp '%s' is not at the start of an hour", row->field[0]);
        return false;
    }
    rec->line = line;
    rec->valid = false;
    rec->extra = 0.0;
    if (r->kind != FMT_EIA) {
        int c = r->value_col;
        double v;
        if (!csv_number(row->field[c], &v))
            dcs_diag_error(d, (dcs_loc){r->path, line, row->col[c]}, "bad number '%s'",
                           row->field[c]);
        else if (v < 0 && (r->kind == FMT_EMAPS || !r->opts->allow_negative))
            dcs_diag_error(d, (dcs_loc){r->path, line, row->col[c]},
                           "negative value %g is not allowed here", v);
        else {
            rec->value = v * r->scale;
            rec->valid = true;
        }
        return true;
    }
    /* EIA-930 leaves a fuel's field empty when the balancing authority did
     * not report it: read as 0.  A row with no generation at all (all
     * empty, or only zeros, as in the 2022 PJM and MISO files) marks a
     * missing hour, filled later as a gap. */
    double total = 0.0, weighted = 0.0;
    bool ok = true;
    for (int k = 0; k < 8; k++) {
        int c = r->eia_col[k];
        double g = 0.0;
        if (row->field[c][0] != '\0' && !csv_number(row->field[c], &g)) {
            dcs_diag_error(d, (dcs_loc){r->path, line, row->col[c]}, "bad number '%s' for %s",
                           row->field[c], eia_names[k]);
            ok = false;
        } else if (g < 0) {
            dcs_diag_error(d, (dcs_loc){r->path, line, row->col[c]},
                           "negative generation %g MWh for %s", g, eia_names[k]);
            ok = false;
        } else {
            total += g;
            weighted += g * r->ef->g_per_kwh[k];
        }
    }
    if (ok && total > 0) {
        rec->value = weighted / total * DCS_G_PER_KWH;
        rec->extra = total * 1e6;     /* MWh in one hour = average MW */
        rec->valid = true;
    }
    return true;
}

static dcs_status read_file(reader *r, dcs_hourly *out, dcs_hourly *extra)
{
    out->value = NULL;
    out->n = 0;
    FILE *f = fopen(r->path, "r");
    if (!f) {
        dcs_diag_error(r->d, (dcs_loc){r->path, 0, 0}, "cannot open: %s", strerror(errno));
        return DCS_EIO;
    }
    int errors_before = dcs_diag_errors(r->d);
    series_build b;
    series_build_init(&b);
    char *buf = NULL;
    size_t cap = 0;
    int line = 0;
    bool seen_header = false, header_ok = false, oom = false;
    csv_row row;
    while (getline(&buf, &cap, f) >= 0) {
        line++;
        char *text = buf;
        if (line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
            text += 3;                          /* UTF-8 byte-order mark */
        if (text[strspn(text, " \r\n")] == '\0')
            continue;                           /* blank line */
        csv_split(text, &row);
        if (!seen_header) {
            /* The first non-blank line is the header. */
            seen_header = true;
            header_ok = read_header(r, &row, line);
            if (!header_ok)
                break;
            if (r->kind == FMT_EMAPS) {
                r->value_col = find_col(&row, "Carbon Intensity",
                                        r->basis == DCS_CI_LCA ? "(LCA)" : "(direct)");
                if (r->value_col < 0) {
                    dcs_diag_error(r->d, (dcs_loc){r->path, line, 1},
                                   "no 'Carbon Intensity ... (LCA|direct)' column for the chosen basis");
                    header_ok = false;
                    break;
                }
            }
            continue;
        }
        series_rec rec;
        if (read_row(r, &row, line, b.last_utc_s, &rec) && !series_build_add(&b, &rec, r->path, r->d)) {
            oom = true;
            break;
        }
    }
    bool read_error = ferror(f) != 0;
    free(buf);
    fclose(f);
    dcs_status st;
    if (oom)
        st = DCS_ENOMEM;
    else if (read_error) {
        dcs_diag_error(r->d, (dcs_loc){r->path, line, 0}, "read error");
        st = DCS_EIO;
    } else if (!seen_header) {
        dcs_diag_error(r->d, (dcs_loc){r->path, 0, 0}, "empty file");
        st = DCS_EINPUT;
    } else if (!header_ok)
        st = DCS_EINPUT;
    else
        st = series_build_finish(&b, r->path, r->d, out, extra);
    series_build_free(&b);
    if (st == DCS_OK && dcs_diag_errors(r->d) > errors_before)
        st = DCS_EINPUT;
    return st;
}

dcs_status dcs_ci_csv_read_emaps(const char *path, dcs_ci_basis basis,
                                 dcs_hourly *out, dcs_diag *d)
{
    reader r = {.kind = FMT_EMAPS, .path = path, .d = d, .scale = DCS_G_PER_KWH,
                .basis = basis};
    return read_file(&r, out, NULL);
}

dcs_status dcs_ci_csv_read_generic(const char *path, const dcs_csv_hourly_opts *opts,
                                   dcs_hourly *out, dcs_diag *d)
{
    reader r = {.kind = FMT_GENERIC, .path = path, .d = d, .opts = opts,
                .scale = opts->scale, .value_col = 1};
    return read_file(&r, out, NULL);
}

dcs_status dcs_ci_csv_read_eia(const char *path, const dcs_eia_factors *f,
                               dcs_hourly *ci, dcs_hourly *gen_w, dcs_diag *d)
{
    reader r = {.kind = FMT_EIA, .path = path, .d = d, .ef = f, .scale = 1.0};
    dcs_hourly unused = {0, 0, NULL};
    dcs_status st = read_file(&r, ci, gen_w ? gen_w : &unused);
    dcs_hourly_free(&unused);
    return st;
}
