/*
 * llmtrace.c - importer and replayer for LLM request traces in the Azure
 * LLM inference trace format (contract in include/dcsim/llmtrace.h).
 *
 * Timestamps (years 1970 to 2200, so that every time and span fits
 * dcs_time) are converted to nanoseconds since 1970-01-01 (UTC assumed;
 * only differences matter) with the days-from-civil formula of the
 * proleptic Gregorian calendar, then made relative to the first row.  A
 * fraction has up to 9 digits (the Azure files use 7).
 *
 * Replay: arrival k of lap L is at (t_k + L * period) * time_scale, with
 * period = span + span / (n - 1) so the first request of the next lap
 * follows the last one by one mean gap.  Output counts of 0 (possible in
 * other traces of this format) are replayed as 1: the serving model always
 * yields the first token from prefill.
 */
#include "dcsim/llmtrace.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_CHARS 1024

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Read exactly `n` digits at *p into *v; false if any is not a digit. */
static bool digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        *v = *v * 10 + (c - '0');
    }
    *p += n;
    return true;
}

/* "YYYY-MM-DD HH:MM:SS[.f...]" (the whole field) to ns since the epoch. */
static bool parse_timestamp(const char *s, size_t len, int64_t *ns)
{
    const char *p = s, *end = s + len;
    int y, mo, d, h, mi, se;
    if (len < 19 || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo)
        || *p++ != '-' || !digits(&p, 2, &d) || *p++ != ' ' || !digits(&p, 2, &h)
        || *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &se))
        return false;
    /* Years as for a scenario's start: nanoseconds since 1970 stay within
     * dcs_time (to 2262), and so does any span between two rows. */
    if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        se > 60)
        return false;
    int64_t frac = 0;
    if (p < end) {
        if (*p++ != '.' || p == end || end - p > 9)
            return false;
        int scale = 9;
        for (; p < end; p++, scale--) {
            if (*p < '0' || *p > '9')
                return false;
            frac = frac * 10 + (*p - '0');
        }
        while (scale-- > 0)
            frac *= 10;
    }
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *ns = secs * DCS_SECOND + frac;
    return true;
}

/* A whole field as an integer in [lo, hi]. */
static bool parse_int(const char *s, size_t len, long lo, long hi, long *v)
{
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *e;
    errno = 0;
    long x = strtol(buf, &e, 10);
    if (errno || *e != '\0' || x < lo || x > hi)
        return false;
    *v = x;
    return true;
}

static bool grow(dcs_llm_trace *t, size_t *cap)
{
    size_t nc = *cap ? *cap * 2 : 1024;
    dcs_time *a = realloc(t->at, nc * sizeof *a);
    if (!a)
        return false;
    t->at = a;
    int32_t *p = realloc(t->prompt_tokens, nc * sizeof *p);
    if (!p)
        return false;
    t->prompt_tokens = p;
    int32_t *o = realloc(t->output_tokens, nc * sizeof *o);
    if (!o)
        return false;
    t->output_tokens = o;
    *cap = nc;
    return true;
}

dcs_status dcs_llm_trace_load(const char *path, dcs_diag *d, dcs_llm_trace *out)
{
    *out = (dcs_llm_trace){0};
    FILE *f = fopen(path, "r");
    if (!f) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "cannot open: %s", strerror(errno));
        return DCS_EIO;
    }
    char line[LINE_MAX_CHARS];
    int lineno = 0, bad = 0;
    size_t cap = 0;
    int64_t first = 0, prev = INT64_MIN;
    dcs_status st = DCS_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            dcs_diag_error(d, (dcs_loc){path, lineno, 1}, "line longer than %d characters",
                           LINE_MAX_CHARS - 2);
            bad++;
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n') {}
            continue;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            if (strcmp(line, "TIMESTAMP,ContextTokens,GeneratedTokens") != 0) {
                dcs_diag_error(d, (dcs_loc){path, 1, 1},
                               "expected header 'TIMESTAMP,ContextTokens,GeneratedTokens', found '%s'",
                               line);
                fclose(f);
                return DCS_EINPUT;
            }
            continue;
        }
        if (len == 0)
            continue;   /* a blank line (e.g. at the end) carries nothing */
        const char *c1 = strchr(line, ',');
        const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
        if (!c1 || !c2 || strchr(c2 + 1, ',')) {
            dcs_diag_error(d, (dcs_loc){path, lineno, 1},
                           "expected 3 fields (TIMESTAMP,ContextTokens,GeneratedTokens)");
            bad++;
            continue;
        }
        int64_t ts;
        long pr, ou;
        int col2 = (int)(c1 - line) + 2, col3 = (int)(c2 - line) + 2;
        if (!parse_timestamp(line, (size_t)(c1 - line), &ts)) {
            dcs_diag_error(d, (dcs_loc){path, lineno, 1},
                           "bad timestamp '%.*s' (want YYYY-MM-DD HH:MM:SS.fffffff)",
                           (int)(c1 - line), line);
            bad++;
            continue;
        }
        if (!parse_int(c1 + 1, (size_t)(c2 - c1 - 1), 1, 10000000, &pr)) {
            dcs_diag_error(d, (dcs_loc){path, lineno, col2},
                           "ContextTokens '%.*s' is not an integer in [1, 10000000]",
                           (int)(c2 - c1 - 1), c1 + 1);
            bad++;
            continue;
        }
        if (!parse_int(c2 + 1, strlen(c2 + 1), 0, 10000000, &ou)) {
            dcs_diag_error(d, (dcs_loc){path, lineno, col3},
                           "GeneratedTokens '%s' is not an integer in [0, 10000000]", c2 + 1);
            bad++;
            continue;
        }
        if (ts < prev) {
            dcs_diag_error(d, (dcs_loc){path, lineno, 1},
                           "timestamp goes back in time (rows must be in arrival order)");
            bad++;
            continue;
        }
        if (out->n == cap && !grow(out, &cap)) {
            st = DCS_ENOMEM;
            break;
        }
        if (out->n == 0)
            first = ts;
        prev = ts;
        out->at[out->n] = ts - first;
        out->prompt_tokens[out->n] = (int32_t)pr;
        out->output_tokens[out->n] = (int32_t)ou;
        out->n++;
    }
    if (ferror(f)) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "read error");
        st = DCS_EIO;
    }
    fclose(f);
    if (st != DCS_OK) {
        dcs_llm_trace_free(out);
        return st;
    }
    if (out->n == 0) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "no requests in trace");
        return DCS_EINPUT;
    }
    return bad ? DCS_EINPUT : DCS_OK;
}

void dcs_llm_trace_free(dcs_llm_trace *t)
{
    free(t->at);
    free(t->prompt_tokens);
    free(t->output_tokens);
    *t = (dcs_llm_trace){0};
}

/* ns as a dcs_time, saturating: a huge time_scale must not overflow. */
static dcs_time ns_sat(double ns)
{
    return ns < 9.0e18 ? (dcs_time)ns : DCS_TIME_MAX;
}

void dcs_trace_replay_init(dcs_trace_replay *r, const dcs_llm_trace *t,
                           double time_scale, bool loop)
{
    *r = (dcs_trace_replay){.trace = t, .time_scale = time_scale, .loop = loop};
    if (t->n == 0)
        return;
    dcs_time span = t->at[t->n - 1];
    /* One mean gap after the last request; a one-row trace repeats every
     * second of trace time. */
    double gap = t->n > 1 ? (double)span / (double)(t->n - 1) : 1e9;
    r->period = ns_sat(nearbyint(((double)span + gap) * time_scale));
    if (r->period < 1)
        r->period = 1;
}

bool dcs_trace_replay_next(dcs_trace_replay *r, dcs_time *at,
                           int32_t *prompt_tokens, int32_t *output_tokens)
{
    const dcs_llm_trace *t = r->trace;
    if (t->n == 0)
        return false;
    if (r->next == t->n) {
        if (!r->loop)
            return false;
        r->next = 0;
        r->lap++;
    }
    size_t k = r->next++;
    dcs_time scaled = ns_sat(nearbyint((double)t->at[k] * r->time_scale));
    dcs_time base;
    if (!dcs_time_mul(r->period, (int64_t)r->lap, &base))
        return false;
    *at = dcs_time_add_sat(base, scaled);
    *prompt_tokens = t->prompt_tokens[k];
    *output_tokens = t->output_tokens[k] > 0 ? t->output_tokens[k] : 1;
    return true;
}
