/*
 * csv_fields.c - field splitting, number and timestamp parsing for the grid
 * CSV importers (see csv_fields.h).  Timestamps are ISO-8601-like as written
 * by the grid-data services dcsim reads: "2023-01-01 00:00:00",
 * "2022-01-01 00:00:00+00:00", "2023-03-26T02:00Z".
 */
#include "csv_fields.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/hourly.h"

void csv_split(char *line, csv_row *row)
{
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    row->n = 0;
    char *p = line;
    for (;;) {
        char *start = p;
        bool quoted = *p == '"';
        if (quoted) {
            /* Keep the text between the quotes; a quote ends the field. */
            start = ++p;
            while (*p && *p != '"')
                p++;
            if (*p == '"')
                *p++ = '\0';
        }
        while (*p && *p != ',')
            p++;
        bool more = *p == ',';
        *p = '\0';
        if (row->n < CSV_MAX_FIELDS) {
            row->field[row->n] = start;
            row->col[row->n] = (int)(start - line) + 1 - (quoted ? 1 : 0);
            row->n++;
        }
        if (!more)
            break;
        p++;
    }
}

bool csv_number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (*s == '\0')
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Read exactly n digits. */
static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i]))
            return false;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dim[m - 1] + (m == 2 && leap);
}

bool csv_timestamp(const char *s, csv_stamp *out, const char **why)
{
    int y, mo, d, h, mi, se = 0;
    while (*s == ' ')
        s++;
    *why = "expected YYYY-MM-DD HH:MM[:SS]";
    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
        !digits(&s, 2, &d) || (*s != ' ' && *s != 'T'))
        return false;
    s++;
    if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi))
        return false;
    if (*s == ':') {
        s++;
        if (!digits(&s, 2, &se))
            return false;
        if (*s == '.') {            /* fractional seconds: accepted if zero */
            s++;
            while (*s == '0')
                s++;
        }
    }
    out->has_offset = false;
    out->offset_min = 0;
    if (*s == 'Z') {
        out->has_offset = true;
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s == '-' ? -1 : 1, oh, om = 0;
        s++;
        if (!digits(&s, 2, &oh))
            return false;
        if (*s == ':')
            s++;
        if (isdigit((unsigned char)*s) && !digits(&s, 2, &om))
            return false;
        out->has_offset = true;
        out->offset_min = sign * (oh * 60 + om);
    }
    while (*s == ' ')
        s++;
    if (*s != '\0')
        return false;
    *why = "date or time out of range";
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        se > 59 || out->offset_min < -18 * 60 || out->offset_min > 18 * 60)
        return false;
    out->civil_s = dcs_civil_to_utc_s(y, mo, d, h, mi, se);
    out->min = mi;
    out->sec = se;
    return true;
}

void csv_format_utc(int64_t utc_s, char *buf, int size)
{
    int y, mo, d, h;
    dcs_utc_s_to_civil(utc_s, &y, &mo, &d, &h, NULL, NULL);
    snprintf(buf, (size_t)size, "%04d-%02d-%02d %02d:00", y, mo, d, h);
}
