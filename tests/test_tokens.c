/* test_tokens.c - lognormal token counts: quantiles by hand, sampling and
 * refitting, KS distance by hand. */
#include "dcsim/tokens.h"
#include "harness.h"

#include <math.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

static void quantile_and_mean_by_hand(void)
{
    dcs_token_dist d = {.median = 1020.0, .sigma = 1.0, .max_tokens = 8192};
    /* Median: exp(mu) = 1020.  p = 0.8413447 is z = 1: 1020 * e = 2772.6
     * -> 2773.  Mean = 1020 * exp(0.5) = 1681.696. */
    CHECK_NEAR(dcs_tokens_quantile(&d, 0.5), 1020.0, 0);
    CHECK_NEAR(dcs_tokens_quantile(&d, 0.8413447460685429), 2773.0, 0);
    CHECK_NEAR(dcs_tokens_mean(&d), 1020.0 * exp(0.5), 1e-15);
    /* Clamps: z = 3 gives 20,487 > 8192; far left gives < 1. */
    CHECK_NEAR(dcs_tokens_quantile(&d, 0.9986501019683699), 8192.0, 0);
    CHECK_NEAR(dcs_tokens_quantile(&d, 1e-12), 1.0, 0);
}

/* 100,000 draws from (median 129, sigma 0.9) refit to within 1 % in the
 * median (sd of mean ln x = 0.9 / sqrt(1e5) = 0.0028) and 1 % in sigma;
 * their KS distance to the true law is small (~1/sqrt(n) = 0.003; rounding
 * to integers is handled by the continuity correction). */
static void sample_and_refit(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 2385);
    dcs_token_dist d = {.median = 129.0, .sigma = 0.9, .max_tokens = 1000000};
    enum { N = 100000 };
    static double x[N];
    for (int i = 0; i < N; i++)
        x[i] = dcs_tokens_sample(&d, rng);
    dcs_token_dist f;
    CHECK_INT(dcs_tokens_fit_lognormal(x, N, &f), 0);
    CHECK_NEAR(f.median, 129.0, 0.01);
    CHECK_NEAR(f.sigma, 0.9, 0.01);
    double ks = dcs_tokens_ks_lognormal(x, N, 129.0, 0.9);
    CHECK(ks < 0.01);
    /* ... and far from a wrong law (median 200). */
    CHECK(dcs_tokens_ks_lognormal(x, N, 200.0, 0.9) > 0.1);
    gsl_rng_free(rng);
}

/* KS by hand on {1, 1, 3} against median 2, sigma 1 (mu = ln 2):
 *   F(0.5) = Phi(ln 0.25) = Phi(-1.386294) = 0.082828
 *   F(1.5) = Phi(ln 0.75) = Phi(-0.287682) = 0.386795
 *   F(2.5) = Phi(ln 1.25) = Phi(0.223144)  = 0.588289
 *   F(3.5) = Phi(ln 1.75) = Phi(0.559616)  = 0.712129
 * at 1: |0 - 0.082828| and |2/3 - 0.386795| = 0.279872
 * at 3: |2/3 - 0.588289| = 0.078378 and |1 - 0.712129| = 0.287871 (max). */
static void ks_by_hand(void)
{
    double x[3] = {3.0, 1.0, 1.0};
    CHECK_NEAR(dcs_tokens_ks_lognormal(x, 3, 2.0, 1.0), 0.287871, 1e-5);
    CHECK(x[0] == 1.0 && x[2] == 3.0);   /* sorted in place */
}

static void fit_rejects_bad_input(void)
{
    dcs_token_dist f;
    double one[1] = {5.0};
    double zero[3] = {5.0, 0.0, 7.0};
    CHECK_INT(dcs_tokens_fit_lognormal(one, 1, &f), -1);
    CHECK_INT(dcs_tokens_fit_lognormal(zero, 3, &f), -1);
    /* {e, e^3}: mu = 2, sigma = sqrt(((1)^2 + (1)^2) / 1) = sqrt 2. */
    double two[2] = {exp(1.0), exp(3.0)};
    CHECK_INT(dcs_tokens_fit_lognormal(two, 2, &f), 0);
    CHECK_NEAR(f.median, exp(2.0), 1e-12);
    CHECK_NEAR(f.sigma, sqrt(2.0), 1e-12);
}

/* A hand table: probs {0, 0.5, 1}, quantiles {10, 100, 1000}, log-linear.
 *   quantile(0.25) = exp((ln 10 + ln 100) / 2) = sqrt(1000) = 31.62 -> 32
 *   cdf(sqrt(1000)) = 0.25, cdf(100) = 0.5, cdf(5) = 0, cdf(2000) = 1
 *   mean = int_0^0.5 10 * 100^p dp + int_0.5^1 100 * 100^(p - 0.5) dp
 *        = 10 * 9 / ln 100 + 100 * 9 / ln 100 = 990 / 4.605170 = 214.97 */
static void quantile_table(void)
{
    dcs_token_dist d = {.max_tokens = 5000, .n_quantiles = 3,
                        .probs = {0.0, 0.5, 1.0}, .quantiles = {10.0, 100.0, 1000.0}};
    CHECK_NEAR(dcs_tokens_quantile(&d, 0.25), 32.0, 0);
    CHECK_NEAR(dcs_tokens_quantile(&d, 1.0), 1000.0, 0);
    CHECK_NEAR(dcs_tokens_cdf(&d, sqrt(1000.0)), 0.25, 1e-12);
    CHECK_NEAR(dcs_tokens_cdf(&d, 100.0), 0.5, 1e-12);
    CHECK_NEAR(dcs_tokens_cdf(&d, 5.0), 0.0, 0);
    CHECK_NEAR(dcs_tokens_cdf(&d, 2000.0), 1.0, 0);
    CHECK_NEAR(dcs_tokens_mean(&d), 990.0 / log(100.0), 1e-5);
    /* Draws from it refit to nearly the same table (100,000 draws: the
     * median within 1 %), and its KS distance to itself is small. */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 61);
    enum { N = 100000 };
    static double x[N];
    for (int i = 0; i < N; i++)
        x[i] = dcs_tokens_sample(&d, rng);
    CHECK(dcs_tokens_ks(x, N, &d) < 0.01);
    dcs_token_dist f;
    double probs[DCS_TOKENS_TABLE_MAX];
    int k = dcs_tokens_table_probs(probs);
    CHECK_INT(k, 44);
    CHECK_NEAR(probs[39], 0.975, 1e-15);
    CHECK_NEAR(probs[42], 0.999, 0);
    CHECK_INT(dcs_tokens_fit_table(x, N, probs, k, &f), 0);
    CHECK_NEAR(f.quantiles[20], 100.0, 0.01);   /* p = 0.5 */
    CHECK_NEAR(f.quantiles[0], 10.0, 0);
    CHECK_NEAR(f.quantiles[43], 1000.0, 0);
    CHECK_INT(f.max_tokens, 1000);
    const double bad[3] = {0.0, 0.7, 0.6};
    CHECK_INT(dcs_tokens_fit_table(x, N, bad, 3, &f), -1);
    gsl_rng_free(rng);
}

/* Every segment of the 44-point grid is found (the lookup bisects): with
 * quantiles q_i = 1000 * 1.3^i (1000 .. 8.1e7 tokens), the table gives q_i
 * at probs[i] and the geometric mean q_i * sqrt(1.3) halfway to
 * probs[i + 1] (log-linear), each rounded to a whole token (so within 0.5
 * of the exact value, while a wrong segment would be off by 30 %); the
 * last point gives q_43. */
static void quantile_table_every_segment(void)
{
    dcs_token_dist d = {.max_tokens = INT32_MAX};
    d.n_quantiles = dcs_tokens_table_probs(d.probs);
    CHECK_INT(d.n_quantiles, 44);
    for (int i = 0; i < d.n_quantiles; i++)
        d.quantiles[i] = 1000.0 * pow(1.3, i);
    for (int i = 0; i + 1 < d.n_quantiles; i++) {
        double q = 1000.0 * pow(1.3, i);
        CHECK_ABS(dcs_tokens_quantile(&d, d.probs[i]), q, 0.5);
        double mid = 0.5 * (d.probs[i] + d.probs[i + 1]);
        CHECK_ABS(dcs_tokens_quantile(&d, mid), q * sqrt(1.3), 0.5);
    }
    CHECK_ABS(dcs_tokens_quantile(&d, 1.0), 1000.0 * pow(1.3, 43), 0.5);
}

/* The prepared sampler draws exactly what dcs_tokens_sample draws from
 * the same stream (compared bit for bit, 300,000 draws each): for the
 * 44-point grid with the segment test's quantiles (every segment and the
 * tail points), for the 3-point hand table, whose segments span many grid
 * cells, and for a lognormal law (no table: the sampler defers to
 * dcs_tokens_sample). */
static void sampler_draws_the_same(void)
{
    dcs_token_dist grid = {.max_tokens = INT32_MAX};
    grid.n_quantiles = dcs_tokens_table_probs(grid.probs);
    for (int i = 0; i < grid.n_quantiles; i++)
        grid.quantiles[i] = 1000.0 * pow(1.3, i);
    dcs_token_dist hand = {.max_tokens = 5000, .n_quantiles = 3,
                           .probs = {0.0, 0.5, 1.0}, .quantiles = {10.0, 100.0, 1000.0}};
    dcs_token_dist logn = {.median = 760.0, .sigma = 0.9852, .max_tokens = 14050};
    const dcs_token_dist *laws[3] = {&grid, &hand, &logn};
    gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
    for (int l = 0; l < 3; l++) {
        static dcs_token_sampler s;
        dcs_token_sampler_init(&s, laws[l]);
        gsl_rng_set(a, (unsigned long)(17 + l));
        gsl_rng_set(b, (unsigned long)(17 + l));
        int differ = 0;
        for (int i = 0; i < 300000; i++)
            differ += dcs_token_sampler_draw(&s, a) != dcs_tokens_sample(laws[l], b);
        CHECK_INT(differ, 0);
    }
    /* The segment cells: p = 0.6 (cell 76) lies in the hand table's
     * second segment, p just below 0.5 in its first. */
    static dcs_token_sampler s;
    dcs_token_sampler_init(&s, &hand);
    CHECK_INT(s.first_seg[76], 1);
    CHECK_INT(s.first_seg[63], 0);
    CHECK_INT(s.first_seg[64], 1);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    RUN(sampler_draws_the_same);
    RUN(quantile_table);
    RUN(quantile_table_every_segment);
    RUN(quantile_and_mean_by_hand);
    RUN(sample_and_refit);
    RUN(ks_by_hand);
    RUN(fit_rejects_bad_input);
    return TEST_END();
}
