/*
 * arrivals.c - non-homogeneous, Markov-modulated Poisson arrivals (contract
 * and rate equation in include/dcsim/arrivals.h).
 *
 * Sampling is by thinning (Lewis and Shedler, "Simulation of
 * nonhomogeneous Poisson processes by thinning", Naval Res. Logistics Q.
 * 26(3), 1979): candidates come from a homogeneous process at a bound
 * lambda_max >= lambda(t) and each is kept with probability
 * lambda(t) / lambda_max.  The burst state is a two-state continuous-time
 * Markov chain; when a candidate falls past the next state change, the
 * search restarts at the change (the exponential gap is memoryless, so
 * this is exact) with the new state's multiplier.
 *
 * Speed, with the same draws and decisions: a candidate is kept when
 * u x bound < lambda(t), and lambda moves by under 0.3 % a minute, so
 * the generator keeps lower and upper bounds of dcs_arrivals_rate over
 * the minute the candidate falls in (from the cosine's range over that
 * arc, both weekly factors when a day boundary is near, growth at both
 * ends, widened by 1e-9 of the rate scale, far above the rounding of the
 * rate's few operations) and evaluates the rate itself only when u x
 * bound falls between them.  Floating multiplication is monotone, so a
 * decision taken on a bound is the one the rate gives.
 *
 * The weekly profile is a weekday/weekend step and the diurnal profile one
 * cosine harmonic: simple shapes an architect can set from two numbers
 * (peak_to_mean, weekend_factor) when no measured profile exists [model
 * choice].  Left out: holidays, more harmonics, time zones per user region
 * (start_s shifts the whole profile).
 */
#include "dcsim/arrivals.h"

#include <assert.h>
#include <math.h>
#include <gsl/gsl_randist.h>

#define WEEK_S (7.0 * 86400.0)
#define YEAR_S (365.0 * 86400.0)
#define TWO_PI 6.283185307179586476925

static double weekday_factor(double weekend_factor)
{
    /* 5 weekdays + 2 weekend days average to 1. */
    return (7.0 - 2.0 * weekend_factor) / 5.0;
}

double dcs_arrivals_rate(const dcs_rate_profile *p, dcs_time t)
{
    double ts = dcs_time_to_s(t);
    double tow = fmod(p->start_s + ts, WEEK_S);
    int day = (int)(tow / 86400.0);                  /* 0 = Monday */
    double hour = fmod(tow, 86400.0) / 3600.0;
    double week = day >= 5 ? p->weekend_factor : weekday_factor(p->weekend_factor);
    double diurnal = 1.0 + (p->peak_to_mean - 1.0)
                         * cos(TWO_PI * (hour - p->peak_hour) / 24.0);
    /* pow(1, y) is exactly 1: skip the call on the common flat profile. */
    double growth = p->growth_per_year == 0.0 ? 1.0
                  : pow(1.0 + p->growth_per_year, ts / YEAR_S);
    return p->mean_rate * diurnal * week * growth;
}

/* Window over which rate bounds are kept. */
#define WIN_NS ((dcs_time)60 * DCS_SECOND)

/* Bounds lo <= dcs_arrivals_rate(p, t) <= hi for every t in [a, b), as
 * the rate function computes it. */
static void rate_bounds(const dcs_rate_profile *p, dcs_time a, dcs_time b, double *lo,
                        double *hi)
{
    double sa = dcs_time_to_s(a), sb = dcs_time_to_s(b);
    double ta = p->start_s + sa, tb = p->start_s + sb;
    /* Weekly step: one factor unless a day boundary lies within a
     * millisecond of the window (the rate's day index comes from a
     * rounded time of week). */
    double wd = weekday_factor(p->weekend_factor), we = p->weekend_factor;
    double w_lo = fmin(wd, we), w_hi = fmax(wd, we);
    if (floor((ta - 1e-3) / 86400.0) == floor((tb + 1e-3) / 86400.0)) {
        double tow = fmod(ta, WEEK_S);
        int day = (int)(tow / 86400.0);
        w_lo = w_hi = day >= 5 ? we : wd;
    }
    /* Diurnal cosine over the arc [th, th + dth]: its ends, and 1 or -1
     * when a multiple of pi (even: the peak, odd: the trough) lies on it. */
    double hour = fmod(fmod(ta, WEEK_S), 86400.0) / 3600.0;
    double th = TWO_PI * (hour - p->peak_hour) / 24.0;
    double dth = TWO_PI * (sb - sa) / 86400.0;
    double c1 = cos(th), c2 = cos(th + dth);
    double c_lo = fmin(c1, c2), c_hi = fmax(c1, c2);
    double k0 = ceil((th - 1e-9) / (0.5 * TWO_PI)), k1 = floor((th + dth + 1e-9) / (0.5 * TWO_PI));
    for (double k = k0; k <= k1; k += 1.0) {
        if (fmod(fabs(k), 2.0) == 0.0)
            c_hi = 1.0;
        else
            c_lo = -1.0;
    }
    double amp = p->peak_to_mean - 1.0;
    double g_a = p->growth_per_year == 0.0 ? 1.0 : pow(1.0 + p->growth_per_year, sa / YEAR_S);
    double g_b = p->growth_per_year == 0.0 ? 1.0 : pow(1.0 + p->growth_per_year, sb / YEAR_S);
    double g_lo = fmin(g_a, g_b), g_hi = fmax(g_a, g_b);
    double l = p->mean_rate * (1.0 + amp * c_lo) * w_lo * g_lo;
    double h = p->mean_rate * (1.0 + amp * c_hi) * w_hi * g_hi;
    /* The margin is relative to the rate's scale, not to h, which may be
     * near 0 at a deep trough. */
    double margin = 1e-9 * p->mean_rate * p->peak_to_mean * w_hi * g_hi;
    *lo = l - margin;
    *hi = h + margin;
}

const char *dcs_arrivals_problem(const dcs_rate_profile *p, const dcs_burst_params *b)
{
    if (!(p->mean_rate >= 0.0 && isfinite(p->mean_rate)))
        return "mean rate must be a finite number >= 0 per second";
    if (!(p->peak_to_mean >= 1.0 && p->peak_to_mean <= 2.0))
        return "peak_to_mean must be in [1, 2] (one cosine harmonic stays >= 0)";
    if (!(p->peak_hour >= 0.0 && p->peak_hour < 24.0))
        return "peak hour must be in [0, 24)";
    if (!(p->weekend_factor >= 0.0 && p->weekend_factor <= 3.5))
        return "weekend factor must be in [0, 3.5] (weekdays keep a rate >= 0)";
    if (!(p->growth_per_year > -1.0 && p->growth_per_year <= 100.0))
        return "growth per year must be in (-100 %, 10000 %]";
    if (!(p->start_s >= 0.0 && p->start_s < WEEK_S))
        return "start time of week must be in [0, 7 d)";
    if (!(b->factor >= 1.0 && b->factor <= 1000.0))
        return "burst factor must be in [1, 1000]";
    if (b->factor > 1.0 && !(b->mean_on_s > 0.0 && b->mean_off_s > 0.0))
        return "bursts need positive mean on and off durations";
    return NULL;
}

static dcs_time exp_ns(gsl_rng *rng, double mean_s)
{
    double ns = nearbyint(gsl_ran_exponential(rng, mean_s) * 1e9);
    if (ns > 9.0e18)
        return DCS_TIME_MAX / 2;
    return ns < 1.0 ? 1 : (dcs_time)ns;
}

void dcs_arrivals_init(dcs_arrivals *a, const dcs_rate_profile *p,
                       const dcs_burst_params *b, dcs_time horizon, gsl_rng *rng)
{
    a->profile = *p;
    a->burst = *b;
    a->horizon = horizon;
    int bursty = b->factor > 1.0;
    double pi_on = bursty ? b->mean_on_s / (b->mean_on_s + b->mean_off_s) : 0.0;
    /* Normalise so the long-run mean of the modulation is 1 and mean_rate
     * keeps its meaning. */
    double mean_mult = 1.0 + pi_on * (b->factor - 1.0);
    a->quiet_mult = 1.0 / mean_mult;
    a->burst_mult = b->factor / mean_mult;
    double growth_max = fmax(1.0, pow(1.0 + p->growth_per_year,
                                      dcs_time_to_s(horizon) / YEAR_S));
    double week_max = fmax(p->weekend_factor, weekday_factor(p->weekend_factor));
    a->bound = p->mean_rate * p->peak_to_mean * week_max * growth_max
             * (bursty ? a->burst_mult : 1.0);
    if (bursty) {
        a->in_burst = gsl_rng_uniform(rng) < pi_on;
        a->next_switch = exp_ns(rng, a->in_burst ? b->mean_on_s : b->mean_off_s);
    } else {
        a->in_burst = false;
        a->next_switch = DCS_TIME_MAX;
    }
    a->win_lo = a->win_hi = 0;   /* no window yet */
    a->win_min = a->win_max = 0.0;
}

/* Advance the burst chain to its state change at next_switch. */
static void toggle(dcs_arrivals *a, gsl_rng *rng)
{
    dcs_time at = a->next_switch;
    a->in_burst = !a->in_burst;
    a->next_switch = dcs_time_add_sat(at, exp_ns(rng, a->in_burst ? a->burst.mean_on_s
                                                                  : a->burst.mean_off_s));
}

dcs_time dcs_arrivals_next(dcs_arrivals *a, gsl_rng *rng, dcs_time now, double share)
{
    /* A share above 1 would break the thinning bound silently. */
    assert(share >= 0.0 && share <= 1.0);
    double bound = a->bound * share;
    if (!(bound > 0.0))
        return DCS_TIME_MAX;
    while (a->next_switch <= now)
        toggle(a, rng);
    dcs_time t = now;
    for (;;) {
        dcs_time cand = dcs_time_add_sat(t, exp_ns(rng, 1.0 / bound));
        if (cand >= a->next_switch) {
            t = a->next_switch;   /* memoryless: restart from the change */
            toggle(a, rng);
            if (t > a->horizon)
                return DCS_TIME_MAX;
            continue;
        }
        if (cand > a->horizon)
            return DCS_TIME_MAX;
        double mult = a->burst.factor <= 1.0 ? 1.0
                    : a->in_burst ? a->burst_mult : a->quiet_mult;
        double ub = gsl_rng_uniform(rng) * bound;
        if (!(cand >= a->win_lo && cand < a->win_hi)) {
            a->win_lo = cand / WIN_NS * WIN_NS;
            a->win_hi = dcs_time_add_sat(a->win_lo, WIN_NS);
            rate_bounds(&a->profile, a->win_lo, a->win_hi, &a->win_min, &a->win_max);
        }
        /* The same products as below, on the bounds (see the file comment). */
        if (ub < a->win_min * mult * share)
            return cand;
        if (!(ub >= a->win_max * mult * share)) {
            double rate = dcs_arrivals_rate(&a->profile, cand) * mult * share;
            if (ub < rate)
                return cand;
        }
        t = cand;
    }
}
