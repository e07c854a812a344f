/*
 * compare.c - the statistics of `dcsim compare`: a mean with its Student t
 * confidence interval, and the same for paired differences.
 *
 *   m = (1/n) sum x_i                       (gsl_stats_mean)
 *   s = sqrt( sum (x_i - m)^2 / (n - 1) )   (gsl_stats_sd_m, unbiased)
 *   h = t_{1 - a/2, n - 1} * s / sqrt(n)    (gsl_cdf_tdist_Pinv), a = 1 - level
 *
 * The interval assumes the per-seed values are independent draws from a
 * roughly normal distribution; with few seeds (n < ~10) and skewed metrics
 * (tail latency) it is only indicative.  Paired differences d_i = x_i - y_i
 * over common seeds remove the variance the designs share (same weather
 * noise, same arrivals), which is why a small difference can be significant
 * even when the two intervals overlap.
 */
#include "dcsim/compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

dcs_compare_ci dcs_compare_mean_ci(const double *x, size_t n, double level)
{
    dcs_compare_ci ci = {n, (double)NAN, (double)NAN, (double)NAN};
    if (n == 0)
        return ci;
    ci.mean = gsl_stats_mean(x, 1, n);
    if (n < 2)
        return ci;
    ci.sd = gsl_stats_sd_m(x, 1, n, ci.mean);
    double t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, (double)(n - 1));
    ci.half_width = t * ci.sd / sqrt((double)n);
    return ci;
}

dcs_compare_ci dcs_compare_paired_ci(const double *x, const double *y, size_t n,
                                     double level)
{
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (!d) {
        fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", n * sizeof *d);
        abort();
    }
    for (size_t i = 0; i < n; i++)
        d[i] = x[i] - y[i];
    dcs_compare_ci ci = dcs_compare_mean_ci(d, n, level);
    free(d);
    return ci;
}
