/* test_fluid_tpot.c - the fluid model's TPOT histogram
 * (dcs_fluid_record_tpot) against hand computations, and its mean against
 * the state's own per-request TPOT mean. */
#include "dcsim/fluid.h"
#include "fluid_fixture.h"
#include "harness.h"

#include <math.h>

static dcs_fluid_model m;   /* static: the memo makes it about 400 KB */
static dcs_lathist hist;    /* 18 KB */

/* Requests the strata give a TPOT: the share of output strata above one
 * token times the period's requests. */
static double tpot_share(void)
{
    double w = 0.0;
    for (int j = 0; j < DCS_FLUID_STRATA; j++)
        w += m.strata_output[j] > 1.0 ? m.strata_w[j] : 0.0;
    return w;
}

/* By hand, a state with decode steps of t_dec = 20 ms, prefill steps of
 * t_pre = 100 ms, and 10^9 requests (10^6/s for 1000 s):
 * (a) no prefill interference (seen share k = 0, no backlog): a request
 *     with O' tokens decodes in m t_dec, m = O' - 1, with no spread, so
 *     every TPOT is exactly 20 ms (min = max = 0.020 s, every quantile
 *     the 20 ms bin's centre, within 0.5 %);
 * (b) k = 0.1, no backlog, E[n^2]/E[n] = 1: E S = 0.1 m prefill steps,
 *     Var S = 0.1 m, so D = m (0.020 + 0.080 x 0.1) = 0.028 m and
 *     TPOT = 28 ms for every stratum, spread +-0.080 sqrt(0.1 m) / m; the
 *     halves are symmetric, so the mean is 28 ms;
 * and in both the count is 10^9 times the share of strata with more than
 * one output token (requests with one token have no TPOT). */
static void tpot_by_hand(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m, &p, &c, &code_prompt, &code_output, 1.0);
    dcs_fluid_state st = {.served_rate = 1e6, .iter_dec_s = 0.020, .iter_pre_s = 0.100,
                          .seen_prefill_share = 0.0, .backlog_prob = 0.0,
                          .backlog_steps = 1.0, .chunk_dispersion = 1.0};
    dcs_lathist_init(&hist);
    uint64_t n = dcs_fluid_record_tpot(&m, &st, 1000.0, &hist);
    CHECK_NEAR((double)n, 1e9 * tpot_share(), 1e-9);
    CHECK(n == dcs_lathist_count(&hist));
    CHECK_NEAR(hist.min_s, 0.020, 1e-12);
    CHECK_NEAR(hist.max_s, 0.020, 1e-12);
    CHECK_NEAR(dcs_lathist_quantile_s(&hist, 0.5), 0.020, 1e-12);   /* clamped to min = max */
    st.seen_prefill_share = 0.1;
    dcs_lathist_init(&hist);
    n = dcs_fluid_record_tpot(&m, &st, 1000.0, &hist);
    CHECK_NEAR((double)n, 1e9 * tpot_share(), 1e-9);
    CHECK_NEAR(dcs_lathist_mean_s(&hist), 0.028, 1e-8);
    /* The widest spread is the shortest output's: m = O' - 1 steps. */
    double o_min = HUGE_VAL;
    for (int j = 0; j < DCS_FLUID_STRATA; j++)
        if (m.strata_output[j] > 1.0 && m.strata_output[j] < o_min)
            o_min = m.strata_output[j];
    double spread = 0.080 * sqrt(0.1 * (o_min - 1.0)) / (o_min - 1.0);
    CHECK_NEAR(hist.max_s, 0.028 + spread, 1e-9);
    CHECK_NEAR(hist.min_s, 0.028 - spread, 1e-9);
    /* No requests, no TPOT. */
    st.served_rate = 0.0;
    CHECK(dcs_fluid_record_tpot(&m, &st, 1000.0, &hist) == 0);
}

/* The histogram's mean is the state's per-request TPOT mean (tpot_s, the
 * same strata and decode times; the halves are symmetric and not clamped
 * at these loads), at 20, 50 and 90 % load on 4 replicas. */
static void tpot_mean_matches_state(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m, &p, &c, &code_prompt, &code_output, 1.0);
    const double loads[] = {0.2, 0.5, 0.9};
    for (int i = 0; i < 3; i++) {
        dcs_fluid_state st;
        dcs_fluid_eval(&m, 4.0 * loads[i] * m.capacity_rate, 4, &st);
        dcs_lathist_init(&hist);
        dcs_fluid_record_tpot(&m, &st, 1e9 / st.served_rate, &hist);
        printf("load %.1f: TPOT mean %.4f ms (state %.4f ms), p50 %.3f p99 %.3f ms\n",
               loads[i], 1e3 * dcs_lathist_mean_s(&hist), 1e3 * st.tpot_s,
               1e3 * dcs_lathist_quantile_s(&hist, 0.5), 1e3 * dcs_lathist_quantile_s(&hist, 0.99));
        CHECK_NEAR(dcs_lathist_mean_s(&hist), st.tpot_s, 1e-6);
        CHECK(dcs_lathist_quantile_s(&hist, 0.99) > dcs_lathist_quantile_s(&hist, 0.5));
    }
}

int main(void)
{
    RUN(tpot_by_hand);
    RUN(tpot_mean_matches_state);
    return TEST_END();
}
