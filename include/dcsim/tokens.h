/*
 * tokens.h - prompt and output token counts: lognormal distributions, their
 * fit to traces, and a goodness-of-fit statistic.
 *
 * A token count is round(exp(mu + sigma Z)) clamped to [1, max_tokens],
 * Z ~ N(0, 1); median = exp(mu); or drawn from an empirical quantile
 * table (log-linear between points), for traces the lognormal fits badly.
 * Fits are maximum likelihood on ln x
 * (mu = mean of ln x, sigma = standard deviation of ln x, n - 1 divisor).
 * The fitted defaults from the Azure 2023 traces are in
 * scenarios/catalog/workloads.yaml.
 */
#ifndef DCSIM_TOKENS_H
#define DCSIM_TOKENS_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#define DCS_TOKENS_TABLE_MAX 48

typedef struct dcs_token_dist {
    double median;             /* tokens, > 0 */
    double sigma;              /* of ln tokens, >= 0 */
    int32_t max_tokens;        /* clamp (context window), >= 1 */
    /* Empirical alternative: when n_quantiles >= 2 the law is the
     * quantile table quantiles[i] at probability probs[i] (probs from 0 to
     * 1, ascending), linear in ln tokens between points (median and sigma
     * are then ignored). */
    int n_quantiles;
    double probs[DCS_TOKENS_TABLE_MAX];
    double quantiles[DCS_TOKENS_TABLE_MAX];   /* ascending, > 0 */
} dcs_token_dist;

/* One draw with rng. */
int32_t dcs_tokens_sample(const dcs_token_dist *d, gsl_rng *rng);

/* Cells of the probability grid that dcs_token_sampler indexes. */
#define DCS_TOKENS_SAMPLER_CELLS 128

/* A law prepared for many draws: dcs_token_sampler_draw gives the same
 * draws as dcs_tokens_sample (bit for bit: the same operations on the
 * same numbers) with the table's logarithms taken once, not twice per
 * draw, and the table's segment found from a grid of probability cells
 * instead of a bisection.  Plain data, no allocation. */
typedef struct dcs_token_sampler {
    dcs_token_dist d;
    double log_q[DCS_TOKENS_TABLE_MAX];       /* log(d.quantiles[i]) */
    /* Largest segment i <= n_quantiles - 2 with probs[i] <= c / CELLS. */
    int8_t first_seg[DCS_TOKENS_SAMPLER_CELLS];
} dcs_token_sampler;

/* Prepare s for law d (copied). */
void dcs_token_sampler_init(dcs_token_sampler *s, const dcs_token_dist *d);

/* One draw with rng: dcs_tokens_sample(&s->d, rng). */
int32_t dcs_token_sampler_draw(const dcs_token_sampler *s, gsl_rng *rng);

/* Token count at probability p in (0, 1) (inverse CDF, rounded and
 * clamped); used by the fluid model's strata. */
double dcs_tokens_quantile(const dcs_token_dist *d, double p);

/* Mean: of the unclamped lognormal, median * exp(sigma^2 / 2); of a
 * table, the average over 1024 equal-probability strata. */
double dcs_tokens_mean(const dcs_token_dist *d);

/* Continuous CDF of the law at x tokens (tables: log-linear between
 * points, 0 below the first and 1 above the last). */
double dcs_tokens_cdf(const dcs_token_dist *d, double x);

/* dcsim's probability grid for token tables, denser in the tail where
 * the mean is decided: 0, 0.025, ..., 0.975, 0.99, 0.995, 0.999, 1 (44
 * points).  Writes probs[0..k) and returns k. */
int dcs_tokens_table_probs(double probs[DCS_TOKENS_TABLE_MAX]);

/* Quantile table of x[0..n) (sorted in place) at probs[0..k) (ascending
 * from 0 to 1, 2 <= k <= DCS_TOKENS_TABLE_MAX): the nearest-rank order
 * statistic, min at p = 0 and max at p = 1; max_tokens = max.  Returns 0,
 * or -1 for a bad grid, n < 2 or a value not positive. */
int dcs_tokens_fit_table(double *x, size_t n, const double *probs, int k,
                         dcs_token_dist *out);

/* KS distance (continuity-corrected as below) between x[0..n) (sorted in
 * place) and any law d. */
double dcs_tokens_ks(double *x, size_t n, const dcs_token_dist *d);

/* Fit median and sigma to x[0..n) (all > 0, n >= 2).  Returns 0, or -1 when
 * n < 2 or a value is not positive. */
int dcs_tokens_fit_lognormal(const double *x, size_t n, dcs_token_dist *out);

/* Kolmogorov-Smirnov distance between the empirical CDF of x[0..n) and the
 * lognormal (median, sigma); x is sorted in place.  For integer data the
 * comparison uses the continuity-corrected CDF at k + 0.5. */
double dcs_tokens_ks_lognormal(double *x, size_t n, double median, double sigma);

#endif
