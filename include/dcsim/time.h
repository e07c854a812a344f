/*
 * time.h - simulated time.
 *
 * Simulated time is an int64 count of nanoseconds (dcs_time).  No floating
 * point clock anywhere: event order and determinism depend on exact ties.
 * int64 nanoseconds reach about 292 years, far past any scenario horizon.
 * Arithmetic that could overflow goes through the checked helpers below,
 * which report overflow instead of wrapping.
 */
#ifndef DCSIM_TIME_H
#define DCSIM_TIME_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t dcs_time;

#define DCS_NS     ((dcs_time)1)
#define DCS_US     ((dcs_time)1000)
#define DCS_MS     ((dcs_time)1000000)
#define DCS_SECOND ((dcs_time)1000000000)
#define DCS_MINUTE (60 * DCS_SECOND)
#define DCS_HOUR   (60 * DCS_MINUTE)
#define DCS_DAY    (24 * DCS_HOUR)
#define DCS_TIME_MAX INT64_MAX

/* *out = a + b; returns false (and leaves *out unchanged) on overflow. */
static inline bool dcs_time_add(dcs_time a, dcs_time b, dcs_time *out)
{
    return !__builtin_add_overflow(a, b, out);
}

/* *out = a * k; returns false (and leaves *out unchanged) on overflow. */
static inline bool dcs_time_mul(dcs_time a, int64_t k, dcs_time *out)
{
    return !__builtin_mul_overflow(a, k, out);
}

/* a + b, saturating at DCS_TIME_MAX (and at INT64_MIN below). */
static inline dcs_time dcs_time_add_sat(dcs_time a, dcs_time b)
{
    dcs_time r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? DCS_TIME_MAX : INT64_MIN;
    return r;
}

/* Seconds (double) to nanoseconds, rounded to nearest; false if the value is
 * not finite or does not fit in dcs_time. */
bool dcs_time_from_s(double seconds, dcs_time *out);

/* Nanoseconds to seconds (double).  Whole seconds and the fraction are
 * converted apart, so a time of whole seconds (3900 s) converts exactly and
 * any other is within one rounding of the true value; t * 1e-9 would not be
 * (1e-9 is not a binary fraction: 3900 s became 3900.0000000000005). */
static inline double dcs_time_to_s(dcs_time t)
{
    return (double)(t / DCS_SECOND) + (double)(t % DCS_SECOND) / 1e9;
}

#endif
