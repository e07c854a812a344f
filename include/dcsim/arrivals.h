/*
 * arrivals.h - request arrival processes for inference workloads.
 *
 * A non-homogeneous Poisson process whose rate is
 *   lambda(t) = mean_rate * diurnal(t) * weekly(t) * growth(t) * burst(t)
 *   diurnal(t) = 1 + (peak_to_mean - 1) * cos(2 pi (hour(t) - peak_hour) / 24)
 *   weekly(t)  = weekday_factor on Mon-Fri, weekend_factor on Sat-Sun with
 *                5 wd + 2 we = 7 (so the weekly mean is 1)
 *   growth(t)  = (1 + growth_per_year)^(t / 365 d)
 *   burst(t)   = two-state Markov modulation (bursts of mean length
 *                mean_on_s at burst_factor times the base, gaps of mean
 *                mean_off_s), normalised so its long-run mean is 1
 * sampled by thinning (Lewis and Shedler 1979) against a constant bound,
 * with the gsl_rng the caller passes.  A site's share of the traffic
 * (DESIGN.md: splitting a Poisson stream gives a Poisson stream) multiplies
 * the rate at each call, so it may change every control period.
 */
#ifndef DCSIM_ARRIVALS_H
#define DCSIM_ARRIVALS_H

#include <stdbool.h>
#include <gsl/gsl_rng.h>

#include "dcsim/time.h"

typedef struct dcs_rate_profile {
    double mean_rate;          /* req/s, long-run mean at t = 0 */
    double peak_to_mean;       /* diurnal peak / mean, in [1, 2] */
    double peak_hour;          /* hour of day (0..24) of the diurnal peak */
    double weekend_factor;     /* weekend rate / weekly mean, in [0, 3.5] */
    double growth_per_year;    /* fractional, > -1 (0.5 = +50 % a year) */
    double start_s;            /* time of week at t = 0, s after Mon 00:00 */
} dcs_rate_profile;

typedef struct dcs_burst_params {
    double factor;             /* burst rate / quiet rate, >= 1 (1 = off) */
    double mean_on_s;          /* mean burst length, s */
    double mean_off_s;         /* mean time between bursts, s */
} dcs_burst_params;

/* Deterministic part of the rate (no bursts) at t, req/s. */
double dcs_arrivals_rate(const dcs_rate_profile *p, dcs_time t);

/* NULL when the profile and bursts are usable, else a static sentence. */
const char *dcs_arrivals_problem(const dcs_rate_profile *p,
                                 const dcs_burst_params *b);

typedef struct dcs_arrivals {
    dcs_rate_profile profile;
    dcs_burst_params burst;
    double quiet_mult;         /* burst(t) outside bursts */
    double burst_mult;         /* burst(t) inside bursts */
    double bound;              /* rate bound for thinning at share 1 */
    dcs_time horizon;          /* bound valid up to here */
    bool in_burst;
    dcs_time next_switch;      /* next burst state change */
    /* Bounds of dcs_arrivals_rate over the window [win_lo, win_hi) that
     * the last candidate fell in: most candidates are kept or refused on
     * them without evaluating the rate (the same decisions, see
     * arrivals.c). */
    dcs_time win_lo, win_hi;
    double win_min, win_max;
} dcs_arrivals;

/* Prepare a generator valid on [0, horizon]; draws the initial burst state
 * from its stationary distribution with rng. */
void dcs_arrivals_init(dcs_arrivals *a, const dcs_rate_profile *p,
                       const dcs_burst_params *b, dcs_time horizon,
                       gsl_rng *rng);

/* Next arrival strictly after now for traffic share `share` in [0, 1];
 * DCS_TIME_MAX when none comes before the horizon (or share is 0). */
dcs_time dcs_arrivals_next(dcs_arrivals *a, gsl_rng *rng, dcs_time now,
                           double share);

#endif
