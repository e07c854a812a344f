/*
 * hourly.c - hourly step-wise signals and UTC calendar arithmetic.
 *
 * Lookup: hour index = floor(t / 1 h) wrapped into [0, n) (see hourly.h).
 * Integral over [t0, t1): split at hour boundaries; each piece contributes
 * value x length, with lengths computed in integer nanoseconds so no time is
 * lost or counted twice.  Calendar: days from 1970-01-01 by the well-known
 * era arithmetic of the proleptic Gregorian calendar (400-year eras of
 * 146,097 days), in integers only.
 */
#include "dcsim/hourly.h"

#include <stdlib.h>

dcs_status dcs_hourly_init(dcs_hourly *h, int64_t start_utc_s, size_t n)
{
    h->value = NULL;
    h->n = 0;
    h->start_utc_s = start_utc_s;
    if (n == 0 || start_utc_s % 3600 != 0)
        return DCS_ERANGE;
    h->value = calloc(n, sizeof *h->value);
    if (!h->value)
        return DCS_ENOMEM;
    h->n = n;
    return DCS_OK;
}

void dcs_hourly_free(dcs_hourly *h)
{
    free(h->value);
    h->value = NULL;
    h->n = 0;
}

/* Floor division and a non-negative remainder, for negative offsets. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t wrap(int64_t i, size_t n)
{
    int64_t m = (int64_t)n;
    int64_t r = i % m;
    return r < 0 ? r + m : r;
}

size_t dcs_hourly_index(const dcs_hourly *h, dcs_time t)
{
    return (size_t)wrap(floor_div(t, DCS_HOUR), h->n);
}

double dcs_hourly_at(const dcs_hourly *h, dcs_time t)
{
    return h->value[dcs_hourly_index(h, t)];
}

double dcs_hourly_integral(const dcs_hourly *h, dcs_time t0, dcs_time t1)
{
    double sum = 0.0;
    dcs_time t = t0;
    while (t < t1) {
        int64_t k = floor_div(t, DCS_HOUR);
        dcs_time end = (k + 1) * DCS_HOUR;
        if (end > t1)
            end = t1;
        sum += h->value[wrap(k, h->n)] * dcs_time_to_s(end - t);
        t = end;
    }
    return sum;
}

double dcs_hourly_mean(const dcs_hourly *h)
{
    double sum = 0.0;
    for (size_t i = 0; i < h->n; i++)
        sum += h->value[i];
    return h->n ? sum / (double)h->n : 0.0;
}

int64_t dcs_civil_to_utc_s(int year, int month, int day, int hour, int min, int sec)
{
    /* Shift the year to start in March so the leap day is last. */
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;               /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;   /* 719468 = 0000-03-01 to 1970-01-01 */
    return days * 86400 + (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void dcs_utc_s_to_civil(int64_t utc_s, int *year, int *month, int *day,
                        int *hour, int *yday, int *wday)
{
    int64_t days = floor_div(utc_s, 86400);
    int64_t secs = utc_s - days * 86400;
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += (m <= 2);
    if (year)
        *year = (int)y;
    if (month)
        *month = (int)m;
    if (day)
        *day = (int)d;
    if (hour)
        *hour = (int)(secs / 3600);
    if (yday) {
        static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
        *yday = before[m - 1] + (int)d + (m > 2 && is_leap(y));
    }
    if (wday)
        *wday = (int)wrap(days + 4, 7);              /* 1970-01-01 was a Thursday */
}
