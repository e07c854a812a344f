/*
 * hourly.h - hourly signals (carbon intensity, price, capacity factors) and
 * UTC calendar arithmetic.
 *
 * A dcs_hourly is n values, one per clock hour, the first starting at
 * start_utc_s (UTC epoch seconds, a whole hour).  A value holds, step-wise,
 * for its whole hour: there is no interpolation inside an hour, so the
 * integral of a signal over time is an exact sum of pieces.  Simulated time
 * is an offset (dcs_time, ns) from start_utc_s.  Lookups beyond the last
 * hour wrap around to the first (a year of data repeats for a multi-year
 * run); negative offsets wrap backwards the same way.  Values are in SI units
 * (intensity kg CO2eq per J, price USD per J, capacity factor 0..1).
 *
 * Calendar: the proleptic Gregorian calendar in UTC, computed by integer
 * arithmetic (days-from-civil), with no use of the C library's time zone
 * state, so it is thread-safe and deterministic.
 */
#ifndef DCSIM_HOURLY_H
#define DCSIM_HOURLY_H

#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/time.h"

/* 1 gCO2eq/kWh in kg CO2eq per J: 1e-3 kg / 3.6e6 J. */
#define DCS_G_PER_KWH (1e-3 / 3.6e6)
/* 1 USD/MWh in USD per J. */
#define DCS_USD_PER_MWH (1.0 / 3.6e9)
#define DCS_J_PER_KWH 3.6e6

typedef struct dcs_hourly {
    int64_t start_utc_s;   /* UTC epoch seconds of the start of value[0] */
    size_t n;              /* number of hours */
    double *value;         /* n values, owned (freed by dcs_hourly_free) */
} dcs_hourly;

/* Allocate n zero values starting at start_utc_s.  Returns DCS_OK,
 * DCS_ERANGE if n is 0 or start_utc_s is not a whole hour, DCS_ENOMEM. */
dcs_status dcs_hourly_init(dcs_hourly *h, int64_t start_utc_s, size_t n);
/* Release the values; h may be zero-initialised or already freed. */
void dcs_hourly_free(dcs_hourly *h);

/* Index of the hour holding offset t (ns from start_utc_s), wrapped into
 * [0, n). */
size_t dcs_hourly_index(const dcs_hourly *h, dcs_time t);
/* Value at offset t (step-wise hold, wrapping). */
double dcs_hourly_at(const dcs_hourly *h, dcs_time t);
/* Exact integral of the signal over [t0, t1) in value x seconds (t1 >= t0):
 * the sum over hour pieces of value x piece length.  For intensity in kg/J
 * times a constant power P in W, P x integral is the emission in kg. */
double dcs_hourly_integral(const dcs_hourly *h, dcs_time t0, dcs_time t1);
/* Arithmetic mean of all n values. */
double dcs_hourly_mean(const dcs_hourly *h);

/* UTC epoch seconds of a UTC civil time (month 1-12, day 1-31). */
int64_t dcs_civil_to_utc_s(int year, int month, int day, int hour, int min, int sec);
/* Civil UTC date of epoch seconds; any output pointer may be NULL.
 * yday is the day of the year, 1-366; wday 0 = Sunday. */
void dcs_utc_s_to_civil(int64_t utc_s, int *year, int *month, int *day,
                        int *hour, int *yday, int *wday);

#endif
