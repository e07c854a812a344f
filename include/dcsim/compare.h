/*
 * compare.h - `dcsim compare`: designs' metrics with 95 % confidence
 * intervals over seeds, and paired differences against a baseline design.
 *
 * Statistics (docs/sweep.md has the derivation):
 *   mean        m = (1/n) sum x_i
 *   sd          s = sqrt( sum (x_i - m)^2 / (n - 1) )
 *   half-width  h = t(1 - (1 - level)/2, n - 1) * s / sqrt(n)
 * with t the Student t quantile (gsl_cdf_tdist_Pinv).  A paired difference
 * applies the same to d_i = x_i(design) - x_i(baseline) over the seeds both
 * designs ran (common random numbers: the same seed gives the same weather
 * noise and arrivals under every design, so d_i has a smaller variance than
 * the difference of two independent means).
 */
#ifndef DCSIM_COMPARE_H
#define DCSIM_COMPARE_H

#include <stddef.h>
#include <stdio.h>

/* A mean with its confidence interval: mean +- half_width.  half_width is
 * NAN when n < 2 (no spread to estimate); mean is NAN when n == 0. */
typedef struct dcs_compare_ci {
    size_t n;
    double mean;
    double sd;
    double half_width;
} dcs_compare_ci;

/* Mean and two-sided confidence interval at level (e.g. 0.95) of x[0..n-1]
 * with the Student t distribution on n - 1 degrees of freedom. */
dcs_compare_ci dcs_compare_mean_ci(const double *x, size_t n, double level);

/* The same for the paired differences x[i] - y[i], i < n. */
dcs_compare_ci dcs_compare_paired_ci(const double *x, const double *y, size_t n,
                                     double level);

/* Output formats of dcsim compare. */
typedef enum { DCS_COMPARE_TEXT, DCS_COMPARE_CSV, DCS_COMPARE_MARKDOWN } dcs_compare_format;

/* Options of dcs_compare_print. */
typedef struct dcs_compare_opts {
    const char *by;          /* group by this --set key (or "scenario");
                                NULL: by design (everything but the seed) */
    const char *baseline;    /* design name; NULL: the first design */
    const char *const *metrics;  /* only these metrics (NULL: all) */
    size_t nmetrics;
    double level;            /* confidence level, 0.95 */
    dcs_compare_format format;
} dcs_compare_opts;

/* Read the runs in paths (directories or trace files, as dcs_sweep_scan),
 * group them into designs, and print one row per design and metric: n,
 * mean, CI half-width, and (for designs other than the baseline) the mean
 * paired difference against the baseline over common seeds with its CI.
 * Several runs of one design with the same seed (possible with --by) are
 * averaged first.  Returns an exit code: 0 ok; 2 (no complete runs,
 * unknown baseline or metric, message on err); 1 if a directory cannot be
 * read or out fails.  An unreadable trace is reported on err and left out;
 * failed runs are counted on err and left out. */
int dcs_compare_print(const char *const *paths, size_t npaths,
                      const dcs_compare_opts *opts, FILE *out, FILE *err);

#endif
