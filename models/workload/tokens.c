/*
 * tokens.c - lognormal prompt/output token counts: sampling, inverse CDF,
 * maximum-likelihood fit and a Kolmogorov-Smirnov distance (contract in
 * include/dcsim/tokens.h).
 *
 * Token counts are integers; a continuous lognormal X is mapped to
 * round(X), so the probability of k is F(k + 0.5) - F(k - 0.5) and the
 * KS distance compares the empirical CDF with F at k + 0.5 (and just below
 * k with F(k - 0.5)).  The fit is the MLE of the continuous lognormal on
 * ln k, which ignores the rounding (negligible above ~10 tokens).
 *
 * How good the lognormal is for the Azure 2023 traces (KS distances
 * 0.11-0.18, i.e. up to 18 percentage points off in the CDF, because the
 * real distributions are multimodal) is recorded with the fitted numbers in
 * scenarios/catalog/workloads.yaml; trace replay keeps the real counts.
 */
#include "dcsim/tokens.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

static double clamp_tokens(double x, int32_t max_tokens)
{
    x = nearbyint(x);
    if (x < 1.0)
        return 1.0;
    if (x > (double)max_tokens)
        return (double)max_tokens;
    return x;
}

int32_t dcs_tokens_sample(const dcs_token_dist *d, gsl_rng *rng)
{
    double z = d->sigma > 0.0 ? gsl_ran_gaussian_ziggurat(rng, d->sigma) : 0.0;
    return (int32_t)clamp_tokens(d->median * exp(z), d->max_tokens);
}

double dcs_tokens_quantile(const dcs_token_dist *d, double p)
{
    double x = d->sigma > 0.0 ? gsl_cdf_lognormal_Pinv(p, log(d->median), d->sigma)
                              : d->median;
    return clamp_tokens(x, d->max_tokens);
}

double dcs_tokens_mean(const dcs_token_dist *d)
{
    return d->median * exp(0.5 * d->sigma * d->sigma);
}

int dcs_tokens_fit_lognormal(const double *x, size_t n, dcs_token_dist *out)
{
    if (n < 2)
        return -1;
    double sum = 0.0, max = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0.0))
            return -1;
        sum += log(x[i]);
        max = fmax(max, x[i]);
    }
    double mu = sum / (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        double dl = log(x[i]) - mu;
        ss += dl * dl;
    }
    out->median = exp(mu);
    out->sigma = sqrt(ss / (double)(n - 1));
    out->max_tokens = max < 2147483647.0 ? (int32_t)max : INT32_MAX;
    return 0;
}

static double lognormal_cdf(double x, double mu, double sigma)
{
    return x > 0.0 ? gsl_cdf_lognormal_P(x, mu, sigma) : 0.0;
}

double dcs_tokens_ks_lognormal(double *x, size_t n, double median, double sigma)
{
    if (n == 0)
        return (double)NAN;
    gsl_sort(x, 1, n);
    double mu = log(median), d = 0.0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && x[j] == x[i])
            j++;
        /* Ties: the empirical CDF jumps from i/n to j/n at x[i]. */
        double below = fabs((double)i / (double)n - lognormal_cdf(x[i] - 0.5, mu, sigma));
        double at = fabs((double)j / (double)n - lognormal_cdf(x[i] + 0.5, mu, sigma));
        d = fmax(d, fmax(below, at));
        i = j;
    }
    return d;
}
