/*
 * series_build.c - assemble hourly records into a dcs_hourly.
 *
 * The series spans the first to the last record's hour.  A hour with no
 * valid value (no row, or a row whose value was bad) is a gap: each run of
 * gap hours gets one warning, located at the row after the gap (or the last
 * row for a trailing gap), and is filled by linear interpolation between the
 * known hours on either side, which keeps the series' energy-weighted totals
 * unbiased for short gaps; a leading or trailing gap takes the nearest known
 * value.  Two rows for the same hour are an error and the first is kept.
 * A span of more than MAX_SPAN_HOURS (100 years) is an error: it is a
 * mistyped date, and filling it would take gigabytes (found by fuzzing:
 * rows dated 0001 and 9999 asked for 88 million hours).
 */
#include "series_build.h"

#include <stdlib.h>

#include "csv_fields.h"

/* 100 years of hours (365.25 days each): longer than any hourly data set. */
#define MAX_SPAN_HOURS (100 * 8766)

void series_build_init(series_build *b)
{
    b->rec = NULL;
    b->n = b->cap = 0;
    b->last_utc_s = INT64_MIN;
    b->last_line = 0;
}

void series_build_free(series_build *b)
{
    free(b->rec);
    series_build_init(b);
}

bool series_build_add(series_build *b, const series_rec *r, const char *path, dcs_diag *d)
{
    if (r->utc_s < b->last_utc_s) {
        char when[32];
        csv_format_utc(r->utc_s, when, sizeof when);
        dcs_diag_error(d, (dcs_loc){path, r->line, 1},
                       "hour %s UTC is earlier than the row before (line %d); rows must be in time order",
                       when, b->last_line);
        return true;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        series_rec *p = realloc(b->rec, cap * sizeof *p);
        if (!p)
            return false;
        b->rec = p;
        b->cap = cap;
    }
    b->rec[b->n++] = *r;
    b->last_utc_s = r->utc_s;
    b->last_line = r->line;
    return true;
}

static void fill_gap(dcs_hourly *h, size_t lo, size_t hi, bool has_lo, bool has_hi)
{
    /* Hours lo..hi-1 are unknown; lo-1 and hi are known if has_lo/has_hi. */
    for (size_t i = lo; i < hi; i++) {
        if (has_lo && has_hi) {
            double a = h->value[lo - 1], b = h->value[hi];
            double w = (double)(i - lo + 1) / (double)(hi - lo + 1);
            h->value[i] = a + w * (b - a);
        } else {
            h->value[i] = has_lo ? h->value[lo - 1] : h->value[hi];
        }
    }
}

dcs_status series_build_finish(series_build *b, const char *path, dcs_diag *d,
                               dcs_hourly *out, dcs_hourly *extra_out)
{
    /* Leave the outputs freeable whatever happens below. */
    out->value = NULL;
    out->n = 0;
    if (extra_out) {
        extra_out->value = NULL;
        extra_out->n = 0;
    }
    if (b->n == 0) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "no data rows");
        return DCS_EINPUT;
    }
    /* Records are in time order: series_build_add drops earlier ones. */
    int64_t t0 = b->rec[0].utc_s;
    int64_t span_h = (b->rec[b->n - 1].utc_s - t0) / 3600;
    if (span_h >= MAX_SPAN_HOURS) {
        dcs_diag_error(d, (dcs_loc){path, b->rec[b->n - 1].line, 1},
                       "the rows span %lld hours from line %d to here, more than 100 years: "
                       "is a date mistyped?", (long long)span_h, b->rec[0].line);
        return DCS_EINPUT;
    }
    size_t n = (size_t)span_h + 1;
    dcs_status st = dcs_hourly_init(out, t0, n);
    if (st != DCS_OK)
        return st;
    if (extra_out && (st = dcs_hourly_init(extra_out, t0, n)) != DCS_OK) {
        dcs_hourly_free(out);
        return st;
    }
    int *line_of = calloc(n, sizeof *line_of);   /* 0: no row for the hour */
    unsigned char *known = calloc(n, 1);
    if (!line_of || !known) {
        free(line_of);
        free(known);
        dcs_hourly_free(out);
        if (extra_out)
            dcs_hourly_free(extra_out);
        return DCS_ENOMEM;
    }
    for (size_t i = 0; i < b->n; i++) {
        const series_rec *r = &b->rec[i];
        size_t k = (size_t)((r->utc_s - t0) / 3600);
        if (line_of[k]) {
            char when[32];
            csv_format_utc(r->utc_s, when, sizeof when);
            dcs_diag_error(d, (dcs_loc){path, r->line, 1},
                           "duplicate hour %s UTC (first at line %d); keeping the first",
                           when, line_of[k]);
            continue;
        }
        line_of[k] = r->line;
        if (r->valid) {
            known[k] = 1;
            out->value[k] = r->value;
            if (extra_out)
                extra_out->value[k] = r->extra;
        }
    }
    bool any = false;
    for (size_t k = 0; k < n; k++)
        any = any || known[k];
    if (!any) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "no valid values");
        free(line_of);
        free(known);
        dcs_hourly_free(out);
        if (extra_out)
            dcs_hourly_free(extra_out);
        return DCS_EINPUT;
    }
    for (size_t k = 0; k < n;) {
        if (known[k]) {
            k++;
            continue;
        }
        size_t hi = k;
        while (hi < n && !known[hi])
            hi++;
        int at = 0;
        for (size_t j = hi; j < n && !at; j++)
            at = line_of[j];
        for (size_t j = hi; j-- > 0 && !at;)
            at = line_of[j];
        char from[32], to[32];
        csv_format_utc(t0 + (int64_t)k * 3600, from, sizeof from);
        csv_format_utc(t0 + (int64_t)(hi - 1) * 3600, to, sizeof to);
        dcs_diag_warn(d, (dcs_loc){path, at, 0},
                      "no value for %zu hour(s) from %s to %s UTC; filled by linear interpolation",
                      hi - k, from, to);
        fill_gap(out, k, hi, k > 0, hi < n);
        if (extra_out)
            fill_gap(extra_out, k, hi, k > 0, hi < n);
        k = hi;
    }
    free(line_of);
    free(known);
    return DCS_OK;
}
