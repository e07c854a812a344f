/* test_arrivals.c - arrival rate profile by hand, thinning against the
 * integral of the rate, bursts that keep the mean but raise dispersion,
 * traffic share, determinism. */
#include "dcsim/arrivals.h"
#include "harness.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

static dcs_rate_profile profile(void)
{
    /* mean 10/s, peak 1.5 x mean at 14:00, weekends at 0.8, no growth,
     * t = 0 is Monday 00:00. */
    return (dcs_rate_profile){.mean_rate = 10.0, .peak_to_mean = 1.5,
                              .peak_hour = 14.0, .weekend_factor = 0.8,
                              .growth_per_year = 0.0, .start_s = 0.0};
}

static void rate_by_hand(void)
{
    dcs_rate_profile p = profile();
    /* Weekday factor (7 - 2 * 0.8) / 5 = 1.08.
     * Monday 14:00: 10 * (1 + 0.5 * cos 0) * 1.08 = 16.2/s. */
    CHECK_NEAR(dcs_arrivals_rate(&p, 14 * DCS_HOUR), 16.2, 1e-12);
    /* Saturday 02:00: cos(2 pi (2 - 14) / 24) = cos(-pi) = -1:
     * 10 * 0.5 * 0.8 = 4.0/s. */
    CHECK_NEAR(dcs_arrivals_rate(&p, 5 * DCS_DAY + 2 * DCS_HOUR), 4.0, 1e-12);
    /* Wednesday 20:00: cos(2 pi 6 / 24) = cos(pi / 2) = 0 -> 10 * 1.08. */
    CHECK_NEAR(dcs_arrivals_rate(&p, 2 * DCS_DAY + 20 * DCS_HOUR), 10.8, 1e-12);
    /* Growth of 50 % a year: 365 d later (365 = 52 * 7 + 1, a Tuesday) at
     * 14:00 the profile is again 16.2 and growth 1.5^(1 + 14 / 8760)
     * = 1.5 * 1.000648 -> 16.2 * 1.5^(8774 / 8760) = 24.315752/s. */
    p.growth_per_year = 0.5;
    CHECK_NEAR(dcs_arrivals_rate(&p, 365 * DCS_DAY + 14 * DCS_HOUR),
               16.2 * pow(1.5, 8774.0 / 8760.0), 1e-12);
    CHECK_NEAR(16.2 * pow(1.5, 8774.0 / 8760.0), 24.315752, 1e-7);
    /* start_s shifts the week: starting on Saturday 02:00. */
    p = profile();
    p.start_s = 5 * 86400.0 + 2 * 3600.0;
    CHECK_NEAR(dcs_arrivals_rate(&p, 0), 4.0, 1e-12);
    /* Problems are named. */
    dcs_burst_params nb = {1.0, 0.0, 0.0};
    CHECK(dcs_arrivals_problem(&p, &nb) == NULL);
    p.peak_to_mean = 2.5;
    CHECK_STR(dcs_arrivals_problem(&p, &nb),
              "peak_to_mean must be in [1, 2] (one cosine harmonic stays >= 0)");
    p = profile();
    dcs_burst_params bad = {3.0, 0.0, 10.0};
    CHECK_STR(dcs_arrivals_problem(&p, &bad), "bursts need positive mean on and off durations");
}

/* Count arrivals over one week at share `share`, by hour of the week. */
static long count_week(const dcs_rate_profile *p, const dcs_burst_params *b,
                       unsigned long seed, double share, long *per_hour, long *per_10s_var_num)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, seed);
    dcs_arrivals a;
    dcs_time horizon = 7 * DCS_DAY;
    dcs_arrivals_init(&a, p, b, horizon, rng);
    long n = 0;
    dcs_time t = 0, prev = -1;
    int mono = 1;
    /* Counts in 10 s windows for the index of dispersion. */
    static long win[7 * 8640];
    for (int i = 0; i < 7 * 8640; i++)
        win[i] = 0;
    while ((t = dcs_arrivals_next(&a, rng, t, share)) != DCS_TIME_MAX) {
        mono &= t > prev;
        prev = t;
        n++;
        if (per_hour)
            per_hour[t / DCS_HOUR]++;
        win[t / (10 * DCS_SECOND)]++;
    }
    CHECK(mono);
    CHECK(prev <= horizon);
    if (per_10s_var_num) {
        /* Pearson dispersion: sum (count - expected)^2 / expected over the
         * windows, divided by their number; ~1 for a Poisson process with
         * the profile's rate, well above 1 when bursts modulate it. */
        double chi2 = 0.0;
        for (int i = 0; i < 7 * 8640; i++) {
            double e = dcs_arrivals_rate(p, i * 10 * DCS_SECOND + 5 * DCS_SECOND) * 10.0 * share;
            chi2 += ((double)win[i] - e) * ((double)win[i] - e) / e;
        }
        *per_10s_var_num = (long)(1000.0 * chi2 / (7 * 8640));   /* x 1000 */
    }
    gsl_rng_free(rng);
    return n;
}

/* Over a week the profile integrates to mean_rate * 604,800 s = 6,048,000
 * (the diurnal cosine and the weekly step both average to 1).  Poisson
 * sd = sqrt(6.048e6) = 2,459 (0.04 %); tolerance 0.2 %.  Each hour's
 * count matches that hour's integral of the rate within 5 sd. */
static void counts_follow_rate(void)
{
    dcs_rate_profile p = profile();
    dcs_burst_params nb = {1.0, 0.0, 0.0};
    static long per_hour[168];
    long disp = 0;
    long n = count_week(&p, &nb, 2385, 1.0, per_hour, &disp);
    CHECK_NEAR(n, 6048000.0, 0.002);
    int bad = 0;
    for (int h = 0; h < 168; h++) {
        /* Integral over the hour by the midpoint rule on 60 minutes
         * (error ~1e-5 relative for one cosine harmonic). */
        double want = 0.0;
        for (int m = 0; m < 60; m++)
            want += dcs_arrivals_rate(&p, h * DCS_HOUR + m * DCS_MINUTE + 30 * DCS_SECOND) * 60.0;
        bad += fabs((double)per_hour[h] - want) > 5.0 * sqrt(want);
    }
    CHECK_INT(bad, 0);
    /* Poisson counts in 10 s windows: Pearson dispersion ~ 1 (sd of the
     * mean over 60,480 windows ~ 0.006). */
    CHECK(disp > 970 && disp < 1030);
}

/* Bursts 4x the quiet rate, 60 s on, 540 s off: pi_on = 0.1, so the long
 * run mean stays 10/s after normalising (quiet 10 / 1.3, burst 40 / 1.3).
 * Counts in 10 s windows are overdispersed (variance/mean well above 1). */
static void bursts_keep_mean(void)
{
    dcs_rate_profile p = profile();
    p.peak_to_mean = 1.0;
    p.weekend_factor = 1.0;
    dcs_burst_params b = {4.0, 60.0, 540.0};
    long disp = 0;
    long n = count_week(&p, &b, 99, 1.0, NULL, &disp);
    /* About 1008 bursts in a week: the on-time fraction has sd ~ 0.3 % of
     * the week, moving the count by ~0.7 %; tolerance 3 %. */
    CHECK_NEAR(n, 6048000.0, 0.03);
    CHECK(disp > 3000);
    fprintf(stderr, "    bursty dispersion %.2f\n", (double)disp / 1000.0);
}

/* A share of 0.25 gives a quarter of the arrivals; the same seed gives the
 * same sequence. */
static void share_and_determinism(void)
{
    dcs_rate_profile p = profile();
    dcs_burst_params nb = {1.0, 0.0, 0.0};
    long quarter = count_week(&p, &nb, 5, 0.25, NULL, NULL);
    CHECK_NEAR(quarter, 6048000.0 / 4, 0.004);
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2), *r2 = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r1, 31);
    gsl_rng_set(r2, 31);
    dcs_arrivals a1, a2;
    dcs_burst_params b = {3.0, 30.0, 300.0};
    dcs_arrivals_init(&a1, &p, &b, DCS_DAY, r1);
    dcs_arrivals_init(&a2, &p, &b, DCS_DAY, r2);
    dcs_time t1 = 0, t2 = 0;
    int same = 1;
    for (int i = 0; i < 10000; i++) {
        t1 = dcs_arrivals_next(&a1, r1, t1, 1.0);
        t2 = dcs_arrivals_next(&a2, r2, t2, 1.0);
        same &= t1 == t2;
    }
    CHECK(same);
    CHECK(dcs_arrivals_next(&a1, r1, 0, 0.0) == DCS_TIME_MAX);
    /* Past the horizon nothing more arrives. */
    CHECK(dcs_arrivals_next(&a1, r1, DCS_DAY, 1.0) == DCS_TIME_MAX);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

/* The plain thinning of Lewis and Shedler, step by step as arrivals.c
 * did it before it kept rate bounds per minute: every candidate's rate
 * evaluated.  Draws: an exponential gap (rounded to ns, at least 1), a
 * burst toggle at each state change the candidate passes, a uniform. */
static dcs_time ref_exp_ns(gsl_rng *rng, double mean_s)
{
    double ns = nearbyint(gsl_ran_exponential(rng, mean_s) * 1e9);
    return ns > 9.0e18 ? DCS_TIME_MAX / 2 : (ns < 1.0 ? 1 : (dcs_time)ns);
}

static dcs_time ref_next(dcs_arrivals *a, gsl_rng *rng, dcs_time now, double share)
{
    double bound = a->bound * share;
    while (a->next_switch <= now) {
        a->in_burst = !a->in_burst;
        a->next_switch = dcs_time_add_sat(a->next_switch,
            ref_exp_ns(rng, a->in_burst ? a->burst.mean_on_s : a->burst.mean_off_s));
    }
    dcs_time t = now;
    for (;;) {
        dcs_time cand = dcs_time_add_sat(t, ref_exp_ns(rng, 1.0 / bound));
        if (cand >= a->next_switch) {
            t = a->next_switch;
            a->in_burst = !a->in_burst;
            a->next_switch = dcs_time_add_sat(t,
                ref_exp_ns(rng, a->in_burst ? a->burst.mean_on_s : a->burst.mean_off_s));
            if (t > a->horizon)
                return DCS_TIME_MAX;
            continue;
        }
        if (cand > a->horizon)
            return DCS_TIME_MAX;
        double mult = a->burst.factor <= 1.0 ? 1.0 : a->in_burst ? a->burst_mult : a->quiet_mult;
        double rate = dcs_arrivals_rate(&a->profile, cand) * mult * share;
        if (gsl_rng_uniform(rng) * bound < rate)
            return cand;
        t = cand;
    }
}

/* Rate bounds per minute change no decision: the same arrival times, bit
 * for bit, as the plain thinning above from the same stream, over eight
 * days of 5/s with a deep diurnal swing (peak 2 x mean, trough at 0),
 * weekends, growth, a start on Friday 23:58 (day and week boundaries
 * inside windows), shares that change, and with and without bursts. */
static void bounds_keep_decisions(void)
{
    dcs_rate_profile p = {.mean_rate = 5.0, .peak_to_mean = 2.0, .peak_hour = 13.5,
                          .weekend_factor = 0.4, .growth_per_year = 3.0,
                          .start_s = 4 * 86400.0 + 86280.0};
    const dcs_burst_params bursts[2] = {{1.0, 0.0, 0.0}, {3.0, 40.0, 400.0}};
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2), *r2 = gsl_rng_alloc(gsl_rng_taus2);
    for (int b = 0; b < 2; b++) {
        gsl_rng_set(r1, 7u + (unsigned)b);
        gsl_rng_set(r2, 7u + (unsigned)b);
        dcs_arrivals fast, ref;
        dcs_arrivals_init(&fast, &p, &bursts[b], 8 * DCS_DAY, r1);
        dcs_arrivals_init(&ref, &p, &bursts[b], 8 * DCS_DAY, r2);
        dcs_time t1 = 0, t2 = 0;
        long n = 0, differ = 0;
        while (t1 < DCS_TIME_MAX && t2 < DCS_TIME_MAX) {
            double share = (n / 1000) % 3 == 0 ? 1.0 : 0.37;
            t1 = dcs_arrivals_next(&fast, r1, t1, share);
            t2 = ref_next(&ref, r2, t2, share);
            differ += t1 != t2;
            n++;
        }
        CHECK_INT(differ, 0);
        CHECK(t1 == DCS_TIME_MAX && t2 == DCS_TIME_MAX);
        CHECK(n > 1000000);
        fprintf(stderr, "    %ld arrivals identical (bursts %d)\n", n, b);
    }
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

int main(void)
{
    RUN(bounds_keep_decisions);
    RUN(rate_by_hand);
    RUN(counts_follow_rate);
    RUN(bursts_keep_mean);
    RUN(share_and_determinism);
    return TEST_END();
}
