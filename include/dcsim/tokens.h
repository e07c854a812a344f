/*
 * tokens.h - prompt and output token counts: lognormal distributions, their
 * fit to traces, and a goodness-of-fit statistic.
 *
 * A token count is round(exp(mu + sigma Z)) clamped to [1, max_tokens],
 * Z ~ N(0, 1); median = exp(mu).  Fits are maximum likelihood on ln x
 * (mu = mean of ln x, sigma = standard deviation of ln x, n - 1 divisor).
 * The fitted defaults from the Azure 2023 traces are in
 * scenarios/catalog/workloads.yaml.
 */
#ifndef DCSIM_TOKENS_H
#define DCSIM_TOKENS_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef struct dcs_token_dist {
    double median;             /* tokens, > 0 */
    double sigma;              /* of ln tokens, >= 0 */
    int32_t max_tokens;        /* clamp (context window), >= 1 */
} dcs_token_dist;

/* One draw with rng. */
int32_t dcs_tokens_sample(const dcs_token_dist *d, gsl_rng *rng);

/* Token count at probability p in (0, 1) (inverse CDF, rounded and
 * clamped); used by the fluid model's strata. */
double dcs_tokens_quantile(const dcs_token_dist *d, double p);

/* Mean of the unclamped lognormal: median * exp(sigma^2 / 2). */
double dcs_tokens_mean(const dcs_token_dist *d);

/* Fit median and sigma to x[0..n) (all > 0, n >= 2).  Returns 0, or -1 when
 * n < 2 or a value is not positive. */
int dcs_tokens_fit_lognormal(const double *x, size_t n, dcs_token_dist *out);

/* Kolmogorov-Smirnov distance between the empirical CDF of x[0..n) and the
 * lognormal (median, sigma); x is sorted in place.  For integer data the
 * comparison uses the continuity-corrected CDF at k + 0.5. */
double dcs_tokens_ks_lognormal(double *x, size_t n, double median, double sigma);

#endif
