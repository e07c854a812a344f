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
 * scenarios/catalog/workloads.yaml.  Hence the second law, an empirical
 * quantile table interpolated linearly in ln tokens between points (KS
 * 0.009-0.018 on the same traces with 44 points whose grid is dense in the
 * tail, where the mean is decided); trace replay keeps the real counts.
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

/* Table quantile at p in [0, 1], log-linear between points. */
static double table_quantile(const dcs_token_dist *d, double p)
{
    int k = d->n_quantiles;
    if (p >= d->probs[k - 1])
        return d->quantiles[k - 1];
    /* The segment: the largest i <= k - 2 with probs[i] <= p (probs
     * ascend), by bisection rather than a walk up the 44 points, as every
     * request draws twice. */
    int i = 0, hi = k - 2;
    while (i < hi) {
        int mid = (i + hi + 1) / 2;
        if (p >= d->probs[mid])
            i = mid;
        else
            hi = mid - 1;
    }
    double f = (p - d->probs[i]) / (d->probs[i + 1] - d->probs[i]);
    return exp((1.0 - f) * log(d->quantiles[i]) + f * log(d->quantiles[i + 1]));
}

void dcs_token_sampler_init(dcs_token_sampler *s, const dcs_token_dist *d)
{
    s->d = *d;
    int k = d->n_quantiles;
    for (int i = 0; i < k && i < DCS_TOKENS_TABLE_MAX; i++)
        s->log_q[i] = log(d->quantiles[i]);
    for (int c = 0; c < DCS_TOKENS_SAMPLER_CELLS; c++) {
        double p = (double)c / DCS_TOKENS_SAMPLER_CELLS;
        int i = 0;
        while (i < k - 2 && d->probs[i + 1] <= p)
            i++;
        s->first_seg[c] = (int8_t)i;
    }
}

int32_t dcs_token_sampler_draw(const dcs_token_sampler *s, gsl_rng *rng)
{
    const dcs_token_dist *d = &s->d;
    if (d->n_quantiles < 2)
        return dcs_tokens_sample(d, rng);
    double p = gsl_rng_uniform(rng);
    int k = d->n_quantiles;
    double x;
    if (p >= d->probs[k - 1]) {
        x = d->quantiles[k - 1];
    } else {
        /* The segment table_quantile's bisection finds: the largest
         * i <= k - 2 with probs[i] <= p, walking up from the largest one
         * at or below p's cell (p < 1, so the cell exists). */
        int i = s->first_seg[(int)(p * DCS_TOKENS_SAMPLER_CELLS)];
        while (i < k - 2 && d->probs[i + 1] <= p)
            i++;
        /* The same arithmetic as table_quantile, with the logs taken once. */
        double f = (p - d->probs[i]) / (d->probs[i + 1] - d->probs[i]);
        x = exp((1.0 - f) * s->log_q[i] + f * s->log_q[i + 1]);
    }
    return (int32_t)clamp_tokens(x, d->max_tokens);
}

int32_t dcs_tokens_sample(const dcs_token_dist *d, gsl_rng *rng)
{
    if (d->n_quantiles >= 2)
        return (int32_t)clamp_tokens(table_quantile(d, gsl_rng_uniform(rng)), d->max_tokens);
    double z = d->sigma > 0.0 ? gsl_ran_gaussian_ziggurat(rng, d->sigma) : 0.0;
    return (int32_t)clamp_tokens(d->median * exp(z), d->max_tokens);
}

double dcs_tokens_quantile(const dcs_token_dist *d, double p)
{
    if (d->n_quantiles >= 2)
        return clamp_tokens(table_quantile(d, p), d->max_tokens);
    double x = d->sigma > 0.0 ? gsl_cdf_lognormal_Pinv(p, log(d->median), d->sigma)
                              : d->median;
    return clamp_tokens(x, d->max_tokens);
}

double dcs_tokens_mean(const dcs_token_dist *d)
{
    if (d->n_quantiles >= 2) {
        const int n = 1024;
        double sum = 0.0;
        for (int i = 0; i < n; i++)
            sum += table_quantile(d, (i + 0.5) / n);
        return sum / n;
    }
    return d->median * exp(0.5 * d->sigma * d->sigma);
}

double dcs_tokens_cdf(const dcs_token_dist *d, double x)
{
    if (d->n_quantiles < 2) {
        if (!(x > 0.0))
            return 0.0;
        if (d->sigma <= 0.0)
            return x >= d->median ? 1.0 : 0.0;
        return gsl_cdf_lognormal_P(x, log(d->median), d->sigma);
    }
    const double *q = d->quantiles;
    int k = d->n_quantiles;
    if (x < q[0])
        return 0.0;
    if (x >= q[k - 1])
        return 1.0;
    int i = 0;
    while (x >= q[i + 1])
        i++;
    double f = q[i + 1] > q[i] ? log(x / q[i]) / log(q[i + 1] / q[i]) : 1.0;
    return d->probs[i] + f * (d->probs[i + 1] - d->probs[i]);
}

int dcs_tokens_table_probs(double probs[DCS_TOKENS_TABLE_MAX])
{
    int k = 0;
    for (int i = 0; i <= 39; i++)
        probs[k++] = 0.025 * i;
    const double tail[] = {0.99, 0.995, 0.999, 1.0};
    for (int i = 0; i < 4; i++)
        probs[k++] = tail[i];
    return k;
}

int dcs_tokens_fit_table(double *x, size_t n, const double *probs, int k,
                         dcs_token_dist *out)
{
    if (k < 2 || k > DCS_TOKENS_TABLE_MAX || n < 2 || probs[0] != 0.0 || probs[k - 1] != 1.0)
        return -1;
    for (int i = 1; i < k; i++)
        if (!(probs[i] > probs[i - 1]))
            return -1;
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0.0))
            return -1;
    gsl_sort(x, 1, n);
    *out = (dcs_token_dist){.n_quantiles = k};
    for (int i = 0; i < k; i++) {
        size_t r = (size_t)ceil(probs[i] * (double)n);
        out->probs[i] = probs[i];
        out->quantiles[i] = x[r < 1 ? 0 : r - 1];
    }
    out->median = x[(n + 1) / 2 - 1];
    out->sigma = 0.0;
    out->max_tokens = x[n - 1] < 2147483647.0 ? (int32_t)x[n - 1] : INT32_MAX;
    return 0;
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

double dcs_tokens_ks(double *x, size_t n, const dcs_token_dist *d)
{
    if (n == 0)
        return (double)NAN;
    gsl_sort(x, 1, n);
    double dist = 0.0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && x[j] == x[i])
            j++;
        /* Ties: the empirical CDF jumps from i/n to j/n at x[i]; the
         * rounded law puts k on (k - 0.5, k + 0.5]. */
        double below = fabs((double)i / (double)n - dcs_tokens_cdf(d, x[i] - 0.5));
        double at = fabs((double)j / (double)n - dcs_tokens_cdf(d, x[i] + 0.5));
        dist = fmax(dist, fmax(below, at));
        i = j;
    }
    return dist;
}

double dcs_tokens_ks_lognormal(double *x, size_t n, double median, double sigma)
{
    dcs_token_dist d = {.median = median, .sigma = sigma, .max_tokens = INT32_MAX};
    return dcs_tokens_ks(x, n, &d);
}
