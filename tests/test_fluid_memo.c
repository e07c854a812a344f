/* test_fluid_memo.c - dcs_fluid_eval_memo: the state it remembers for a
 * grid rate is within the grid's half step (0.05 %) of dcs_fluid_eval at
 * the exact rate, its rate-proportional outputs are exact, a second call
 * in the same cell returns the remembered state, and above capacity the
 * excess is dropped as dcs_fluid_eval drops it. */
#include "dcsim/fluid.h"
#include "fluid_fixture.h"
#include "harness.h"

#include <math.h>

static dcs_fluid_model m;   /* static: the memo makes it about 300 KB */

/* At 60 % load on 4 replicas a 0.05 % rate step moves the latencies and
 * the power by about 0.05 % times their elasticity (below 5 at 60 %
 * load), so 0.3 % bounds them; served, dropped and token rates are those
 * of the exact rate (relative 1e-12). */
static void memo_close_to_exact(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    const double loads[] = {0.05, 0.3, 0.6, 0.85};
    for (int i = 0; i < 4; i++) {
        /* 0.2 grid steps above a grid rate, so 0.1 more stays in its cell. */
        double step = log1p(DCS_FLUID_MEMO_STEP);
        double lam = exp(nearbyint(log(loads[i] * m.capacity_rate) / step) * step);
        double rate = 4.0 * lam * (1.0 + 0.2 * DCS_FLUID_MEMO_STEP);
        dcs_fluid_state ex, me, again;
        dcs_fluid_eval(&m, rate, 4, &ex);
        dcs_fluid_eval_memo(&m, rate, 4, &me, NULL);
        CHECK_NEAR(me.served_rate, rate, 1e-12);
        CHECK_NEAR(me.tokens_rate, rate * m.mean_output, 1e-12);
        CHECK_ABS(me.dropped_rate, 0.0, 1e-12);
        CHECK_NEAR(me.util, ex.util, 1e-12);
        CHECK_NEAR(me.e2e_mean_s, ex.e2e_mean_s, 3e-3);
        CHECK_NEAR(me.ttft_mean_s, ex.ttft_mean_s, 3e-3);
        CHECK_NEAR(me.power_w, ex.power_w, 3e-3);
        CHECK_NEAR(me.busy, ex.busy, 3e-3);
        /* A rate 0.01 % away falls in the same cell: the remembered
         * state, rescaled to the new rate. */
        dcs_fluid_eval_memo(&m, rate * 1.0001, 4, &again, NULL);
        CHECK(again.e2e_mean_s == me.e2e_mean_s);
        CHECK_NEAR(again.served_rate, rate * 1.0001, 1e-12);
    }
}

/* Above capacity: served at capacity (as dcs_fluid_eval), the rest
 * dropped, whatever the offered rate (1.5 and 3 capacities per replica on
 * 2 replicas). */
static void memo_above_capacity(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    const double over[] = {1.5, 3.0};
    for (int i = 0; i < 2; i++) {
        double rate = 2.0 * over[i] * m.capacity_rate;
        dcs_fluid_state ex, me;
        dcs_fluid_eval(&m, rate, 2, &ex);
        dcs_fluid_eval_memo(&m, rate, 2, &me, NULL);
        CHECK(me.saturated);
        CHECK_NEAR(me.served_rate, ex.served_rate, 1e-12);
        CHECK_NEAR(me.dropped_rate, ex.dropped_rate, 1e-12);
        CHECK_NEAR(me.wait_s, ex.wait_s, 1e-12);
    }
    /* A new clock is a new key: the state follows the clock (a slower
     * clock, a lower capacity, a longer e2e at the same rate). */
    dcs_fluid_state fast, slow;
    double rate = 0.5 * m.capacity_rate;
    dcs_fluid_eval_memo(&m, rate, 1, &fast, NULL);
    dcs_fluid_set_clock(&m, 0.6);
    dcs_fluid_eval_memo(&m, rate, 1, &slow, NULL);
    CHECK(slow.e2e_mean_s > fast.e2e_mean_s);
}

/* Deferred requests: a state's pending counts stay with its entry, and
 * when another state takes the slot (a rate DCS_FLUID_EVAL_MEMO grid
 * cells higher: 1.001^1024 = 2.78 times) they are handed back with the
 * old state, so the caller can record them before they are lost. */
static void memo_eviction(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    double step = log1p(DCS_FLUID_MEMO_STEP);
    double cell = nearbyint(log(0.1 * m.capacity_rate) / step);
    double lam = exp(cell * step), lam2 = exp((cell + DCS_FLUID_EVAL_MEMO) * step);
    dcs_fluid_state st, st2;
    dcs_fluid_memo_entry old;
    dcs_fluid_memo_entry *e = dcs_fluid_eval_memo(&m, lam, 1, &st, &old);
    CHECK(old.clock == 0.0);
    CHECK_ABS(e->pending[0], 0.0, 0.0);
    e->pending[0] += 120.0;
    CHECK(dcs_fluid_eval_memo(&m, lam, 1, &st, &old) == e);
    CHECK(old.clock == 0.0);
    CHECK_ABS(e->pending[0], 120.0, 0.0);
    dcs_fluid_memo_entry *e2 = dcs_fluid_eval_memo(&m, lam2, 1, &st2, &old);
    CHECK(e2 == e);
    CHECK(old.clock == 1.0);
    CHECK_ABS(old.pending[0], 120.0, 0.0);
    CHECK(old.st.e2e_mean_s == st.e2e_mean_s);
    CHECK_ABS(e2->pending[0], 0.0, 0.0);
    CHECK(st2.busy > st.busy);
}

int main(void)
{
    RUN(memo_eviction);
    RUN(memo_close_to_exact);
    RUN(memo_above_capacity);
    return TEST_END();
}
