/* test_fluid_dist.c - a fluid state's e2e distribution on the histogram
 * bins (dcs_fluid_e2e_dist) and quantiles of a mixture of them
 * (dcs_fluid_dist_quantile_s): a hand-built mixture, and agreement with
 * the histogram dcs_fluid_record fills, for one pool and for two pools
 * recorded into one histogram (what a site's per-period p99 was). */
#include "dcsim/fluid.h"
#include "fluid_fixture.h"
#include "harness.h"

#include <math.h>

/* Llama-3.1-70B on 4 H100s as in test_fluid.c. */
static dcs_serving_params llama70b_4h100(void)
{
    dcs_serving_params p = llama8b_h100();
    p.model = (dcs_llm_model){70.6e9, 70.6e9, 2.0, 327680.0};
    p.gpus = 4;
    return p;
}

static dcs_fluid_model m8, m70;   /* static: the memo makes each about 400 KB */
static dcs_lathist hist;          /* 18 KB */

/* A single-bin distribution at x seconds. */
static dcs_fluid_dist point(double x, float *cum)
{
    cum[0] = 1.0f;
    return (dcs_fluid_dist){.lo = dcs_lathist_bin(x), .n = 1, .cap = 1, .cum = cum,
                            .min_s = x, .max_s = x};
}

/* By hand: pool A, 90 requests all at 0.1 s; pool B, 10 requests, half in
 * the bin of 1 s and half in the bin of 2 s (cum 0.5 at the 1 s bin, 0.5
 * up to the bin before 2 s, 1 at the 2 s bin).  Cumulative counts: 90 up
 * to 0.1 s, 95 up to 1 s, 100 up to 2 s.  So p50 and p90 lie in the
 * 0.1 s bin (clamped to the minimum, 0.1 s, when the bin's centre lies
 * below it), p93 in the 1 s bin (its centre), p99 and p100 in the 2 s
 * bin (centre clamped to the maximum 2 s if above).  Zero weights and
 * empty distributions count for nothing; no weight at all gives NaN. */
static void mixture_by_hand(void)
{
    float ca[1], cb[256];
    dcs_fluid_dist a = point(0.1, ca);
    int b1 = dcs_lathist_bin(1.0), b2 = dcs_lathist_bin(2.0);
    CHECK_INT(b2 - b1, 69);           /* 232 log10(2) = 69.8 */
    dcs_fluid_dist b = {.lo = b1, .n = b2 - b1 + 1, .cap = 256, .cum = cb,
                        .min_s = 1.0, .max_s = 2.0};
    for (int i = 0; i < b.n; i++)
        cb[i] = i < b.n - 1 ? 0.5f : 1.0f;
    const dcs_fluid_dist *d[3] = {&a, &b, NULL};
    double w[3] = {90.0, 10.0, 5.0};
    double c01 = fmax(dcs_lathist_centre_s(dcs_lathist_bin(0.1)), 0.1);
    double c1 = dcs_lathist_centre_s(b1), c2 = fmin(dcs_lathist_centre_s(b2), 2.0);
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, w, 3, 0.5), c01, 1e-15);
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, w, 3, 0.9), c01, 1e-15);
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, w, 3, 0.93), c1, 1e-15);
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, w, 3, 0.99), c2, 1e-15);
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, w, 3, 1.0), c2, 1e-15);
    /* Within half a bin (0.5 %) of the values themselves. */
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, w, 3, 0.93), 1.0, 5e-3);
    /* B alone: its median is the 1 s bin. */
    double wb[3] = {0.0, 10.0, 0.0};
    CHECK_NEAR(dcs_fluid_dist_quantile_s(d, wb, 3, 0.5), c1, 1e-15);
    double none[3] = {0.0, 0.0, 7.0};
    CHECK(isnan(dcs_fluid_dist_quantile_s(d, none, 3, 0.99)));
}

/* The distribution against the histogram dcs_fluid_record fills for a
 * period of 10^9 requests (rounding of cells to whole requests then
 * negligible): each quantile in the same bin or a neighbour (1.0 %).
 * 8B / conversation laws and 70B / code laws at 20 to 90 % load on 4
 * replicas. */
static void one_pool_matches_record(void)
{
    dcs_serving_params p8 = llama8b_h100(), p70 = llama70b_4h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m8, &p8, &c, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_prepare(&m70, &p70, &c, &code_prompt, &code_output, 1.0);
    dcs_fluid_model *ms[2] = {&m8, &m70};
    const double loads[] = {0.2, 0.5, 0.9};
    const double qs[] = {0.5, 0.95, 0.99, 0.999};
    dcs_fluid_dist d = {0};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 3; i++) {
            dcs_fluid_state st;
            dcs_fluid_eval(ms[k], 4.0 * loads[i] * ms[k]->capacity_rate, 4, &st);
            CHECK(dcs_fluid_e2e_dist(ms[k], &st, 0.0, &d));
            CHECK(d.n > 10);
            CHECK(d.cum[d.n - 1] == 1.0f);
            dcs_lathist_init(&hist);
            dcs_fluid_record(ms[k], &st, 1e9 / st.served_rate, 0.0, 0, 0, NULL, &hist);
            const dcs_fluid_dist *dp = &d;
            double w = 1.0;
            for (int j = 0; j < 4; j++) {
                double a = dcs_fluid_dist_quantile_s(&dp, &w, 1, qs[j]);
                double h = dcs_lathist_quantile_s(&hist, qs[j]);
                CHECK_NEAR(a, h, 1.0e-2);
            }
            /* Every cell is in the distribution; the histogram leaves
             * out cells that round to no request. */
            CHECK(d.min_s <= hist.min_s && d.max_s >= hist.max_s);
            CHECK_NEAR(d.min_s, hist.min_s, 0.05);
            CHECK_NEAR(d.max_s, hist.max_s, 0.05);
        }
    dcs_fluid_dist_free(&d);
    CHECK(d.cum == NULL && d.n == 0);
}

/* Two pools of a site (the code pool's short requests and the chat
 * pool's long ones) recorded into one histogram, as the site's p99 was:
 * the mixture weighted by their request counts gives the same quantiles
 * within a neighbouring bin, with a network time added. */
static void two_pools_match_record(void)
{
    dcs_serving_params p8 = llama8b_h100(), p70 = llama70b_4h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m8, &p8, &c, &code_prompt, &code_output, 1.0);
    dcs_fluid_prepare(&m70, &p70, &c, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_state s8, s70;
    dcs_fluid_eval(&m8, 8.0 * 0.6 * m8.capacity_rate, 8, &s8);
    dcs_fluid_eval(&m70, 4.0 * 0.7 * m70.capacity_rate, 4, &s70);
    dcs_fluid_dist d8 = {0}, d70 = {0};
    CHECK(dcs_fluid_e2e_dist(&m8, &s8, 0.02, &d8));
    CHECK(dcs_fluid_e2e_dist(&m70, &s70, 0.02, &d70));
    double period = 1e8 / s8.served_rate;
    dcs_lathist_init(&hist);
    dcs_fluid_record(&m8, &s8, period, 0.02, 0, 0, NULL, &hist);
    dcs_fluid_record(&m70, &s70, period, 0.02, 0, 0, NULL, &hist);
    const dcs_fluid_dist *d[2] = {&d8, &d70};
    double w[2] = {nearbyint(s8.served_rate * period), nearbyint(s70.served_rate * period)};
    const double qs[] = {0.1, 0.5, 0.9, 0.99};
    for (int j = 0; j < 4; j++) {
        double a = dcs_fluid_dist_quantile_s(d, w, 2, qs[j]);
        double h = dcs_lathist_quantile_s(&hist, qs[j]);
        printf("q %.2f: mixture %.5g s, histogram %.5g s\n", qs[j], a, h);
        CHECK_NEAR(a, h, 1.0e-2);
    }
    dcs_fluid_dist_free(&d8);
    dcs_fluid_dist_free(&d70);
}

int main(void)
{
    RUN(mixture_by_hand);
    RUN(one_pool_matches_record);
    RUN(two_pools_match_record);
    return TEST_END();
}
