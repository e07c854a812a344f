/* test_fluid.c - the fluid serving model: its zero-load limit equals the
 * detailed replica by hand, its histogram strata add up, and its
 * calibration against the detailed replica (the comparison that fitted
 * kappa, repeated here with the tolerances documented in
 * docs/workloads.md). */
#include "dcsim/fluid.h"
#include "fluid_fixture.h"
#include "harness.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* At (almost) zero load a 1000-token prompt sees an idle replica:
 * TTFT = 0.0324772497 s exactly as the detailed lone request
 * (test_serving.c); TPOT is one weights pass 16.06e9 / 2.68e12 = 5.99 ms
 * plus the request's own KV (~1,450 tokens * 131,072 B / 2.68e12 = 0.07 ms)
 * plus its share of its own prefill iterations: between 5.99 and 6.3 ms;
 * power = idle 70 W. */
static void zero_load_limit(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_state st;
    dcs_fluid_eval(&m, 1e-9, 1, &st);
    CHECK_NEAR(dcs_fluid_ttft_s(&m, &st, 1000), 0.0324772497, 1e-6);
    CHECK(st.tpot_s > 16.06e9 / 2.68e12 && st.tpot_s < 6.3e-3);
    CHECK_NEAR(st.power_w, 70.0, 1e-4);
    CHECK(!st.saturated);
    /* Mean of the clamped lognormal: 760 * exp(0.9852^2 / 2) = 1235.6
     * minus a negligible upper tail above 14,050 tokens. */
    CHECK_NEAR(m.mean_prompt, 760.0 * exp(0.5 * 0.9852 * 0.9852), 0.01);
    CHECK(m.capacity_rate > 1.0);
    /* Above capacity the excess is dropped and the wait is a full queue's
     * drain time: 3 capacities offered to 2 replicas, 1 dropped. */
    dcs_fluid_eval(&m, 3.0 * m.capacity_rate, 2, &st);
    CHECK(st.saturated);
    CHECK_NEAR(st.served_rate, 2.0 * m.capacity_rate, 1e-3);
    CHECK_NEAR(st.dropped_rate, 1.0 * m.capacity_rate, 1e-3);
    CHECK_NEAR(st.wait_s, p.queue_capacity / m.capacity_rate, 1e-9);
    /* A saturated replica iterates all the time: its power is that of its
     * busy state, far above idle (70 W) and below the board limit. */
    CHECK(st.busy > 0.99);
    CHECK(st.power_w > 2 * 400.0 && st.power_w < 2 * 700.0);
}

/* Strata: a period's requests are all recorded, and SLO counts follow. */
static dcs_lathist h_ttft, h_e2e;
static void strata_add_up(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_state st;
    dcs_fluid_eval(&m, 0.5 * m.capacity_rate, 1, &st);
    dcs_lathist_init(&h_ttft);
    dcs_lathist_init(&h_e2e);
    /* 60 s at half capacity. */
    uint64_t n = (uint64_t)nearbyint(st.served_rate * 60.0);
    uint64_t v = dcs_fluid_record(&m, &st, 60.0, 0.05, 0.0, 0.0, &h_ttft, &h_e2e);
    CHECK_INT(v, 0);
    CHECK_INT(dcs_lathist_count(&h_ttft), n);
    CHECK_INT(dcs_lathist_count(&h_e2e), n);
    CHECK(dcs_lathist_quantile_s(&h_ttft, 0.0) >= 0.05);
    /* An e2e SLO at the e2e median breaks about half. */
    double med = dcs_lathist_quantile_s(&h_e2e, 0.5);
    uint64_t over = dcs_fluid_record(&m, &st, 60.0, 0.05, 0.0, med, NULL, NULL);
    CHECK(over > n / 3 && over < 2 * n / 3);
}

/* dcs_fluid_set_clock gives what a fresh prepare at that clock gives (only
 * the capacity depends on the clock), remembers it, and a slower clock
 * serves less. */
static void clock_memo(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    static dcs_fluid_model m, fresh;
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    double cap1 = m.capacity_rate;
    dcs_fluid_set_clock(&m, 0.7);
    dcs_fluid_prepare(&fresh, &p, &c, &conv_prompt, &conv_output, 0.7);
    CHECK_NEAR(m.capacity_rate, fresh.capacity_rate, 1e-12);
    CHECK(m.capacity_rate < cap1);
    CHECK_INT(m.memo_n, 2);
    dcs_fluid_set_clock(&m, 1.0);
    CHECK_NEAR(m.capacity_rate, cap1, 1e-12);
    CHECK_INT(m.memo_n, 2);             /* from the memo, not searched again */
    /* More clocks than the memo holds: the oldest go, answers stay right. */
    for (int i = 0; i < DCS_FLUID_CLOCK_MEMO + 2; i++)
        dcs_fluid_set_clock(&m, 0.5 + 0.04 * i);
    CHECK_INT(m.memo_n, DCS_FLUID_CLOCK_MEMO);
    dcs_fluid_set_clock(&m, 0.7);
    CHECK_NEAR(m.capacity_rate, fresh.capacity_rate, 1e-12);
}

/* Pools behind least-loaded dispatch: at the same rate per replica, R
 * replicas are busy more than one (new requests start idle replicas
 * rather than join busy ones: E[min(N, R)] / R > 1 - exp(-L) for the same
 * L), their requests are interrupted less by others' prompts, and the
 * prefill wait is shorter (Erlang C(4, a) < a for a < 4). */
static void pool_dispatch(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_state one, four;
    double lam = 0.05 * m.capacity_rate;
    dcs_fluid_eval(&m, lam, 1, &one);
    dcs_fluid_eval(&m, 4.0 * lam, 4, &four);
    CHECK(four.busy > one.busy && four.busy < 1.0);
    CHECK(four.seen_prefill_share < one.seen_prefill_share);
    CHECK(four.wait_prob < one.wait_prob);
    CHECK(four.e2e_mean_s < one.e2e_mean_s);
    /* With R = 1 every prompt that arrives while the replica is busy (rate
     * lam per busy second) turns n = P / T_p of a decoding request's
     * steps into prefill steps: share k = x t_dec / (1 - x (t_pre -
     * t_dec)), x = lam n; prompts that start an idle replica interrupt
     * nobody, so k is below the replica's prefill share q. */
    double x = lam * m.mean_prompt / one.prefill_tokens;
    double k = x * one.iter_dec_s / (1.0 - x * (one.iter_pre_s - one.iter_dec_s));
    CHECK_NEAR(one.seen_prefill_share, k, 1e-5);   /* eval stops at 1e-7 */
    CHECK(one.seen_prefill_share < one.prefill_share);
}

/* The unrounded SLO share agrees with record's rounded count, the decode
 * spread vanishes at zero load and grows with it, and a looser SLO never
 * breaks more. */
static void slo_share(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_state st, idle;
    dcs_fluid_eval(&m, 1e-9, 1, &idle);
    /* 1e-9 req/s: practically no other prompt ever interrupts. */
    CHECK_ABS(dcs_fluid_decode_sd_s(&idle, 300.0), 0.0, 1e-5);
    dcs_fluid_eval(&m, 0.8 * m.capacity_rate, 1, &st);
    double sd100 = dcs_fluid_decode_sd_s(&st, 100.0), sd400 = dcs_fluid_decode_sd_s(&st, 400.0);
    CHECK(sd100 > 0.0 && sd400 > sd100);
    double share = dcs_fluid_violation_share(&m, &st, 0.05, 0.3, 10.0);
    uint64_t v = dcs_fluid_record(&m, &st, 600.0, 0.05, 0.3, 10.0, NULL, NULL);
    CHECK_ABS((double)v, share * nearbyint(st.served_rate * 600.0), 0.5);
    CHECK(share > 0.0 && share < 1.0);
    CHECK(dcs_fluid_violation_share(&m, &st, 0.05, 0.6, 20.0) <= share);
    /* Only the e2e SLO, at the e2e median: about half break (the decode
     * spread smooths the step between output strata). */
    dcs_lathist_init(&h_e2e);
    dcs_fluid_record(&m, &st, 600.0, 0.0, 0.0, 0.0, NULL, &h_e2e);
    double med = dcs_lathist_quantile_s(&h_e2e, 0.5);
    double half = dcs_fluid_violation_share(&m, &st, 0.0, 0.0, med);
    CHECK(half > 0.35 && half < 0.65);
}

/* The detailed replica under Poisson arrivals: returns mean TTFT, e2e,
 * power and throughput over `horizon_s` after a warm-up. */
typedef struct detailed { double ttft, e2e, power_w, rate, tpot; } detailed;

/* Completed requests' e2e of the last detailed run, for SLO shares. */
static dcs_lathist det_e2e, flu_e2e;

static detailed run_detailed(const dcs_serving_params *p, const dcs_token_dist *prompt,
                             const dcs_token_dist *output, double lambda, double horizon_s,
                             unsigned long seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, seed);
    dcs_replica *r = NULL;
    dcs_replica_alloc(p, &r);
    static dcs_request_done done[1024];
    const dcs_time warm = 300 * DCS_SECOND;
    dcs_time end = warm + (dcs_time)(horizon_s * 1e9);
    dcs_time now = 0, next_arr = 0, iter_end = DCS_TIME_MAX;
    double idle_w = dcs_serving_idle_power_w(p);
    double energy = 0.0, sum_ttft = 0.0, sum_e2e = 0.0, sum_tpot = 0.0;
    long n = 0, ntpot = 0;
    dcs_iteration it = {0};
    uint64_t id = 0;
    dcs_lathist_init(&det_e2e);
    while (now < end) {
        if (iter_end <= next_arr) {
            now = iter_end;
            int k = dcs_replica_finish_iteration(r, now, done, 1024);
            if (now > warm) {
                for (int i = 0; i < k; i++) {
                    dcs_lathist_add(&det_e2e, done[i].e2e_s);
                    sum_ttft += done[i].ttft_s;
                    sum_e2e += done[i].e2e_s;
                    if (done[i].output_tokens > 1) {
                        sum_tpot += done[i].tpot_s;
                        ntpot++;
                    }
                }
                n += k;
            }
            iter_end = DCS_TIME_MAX;
        } else {
            now = next_arr;
            dcs_request q = {.id = id++, .arrival = now,
                             .prompt_tokens = dcs_tokens_sample(prompt, rng),
                             .output_tokens = dcs_tokens_sample(output, rng)};
            dcs_replica_admit(r, &q);
            next_arr = now + (dcs_time)nearbyint(gsl_ran_exponential(rng, 1.0 / lambda) * 1e9);
        }
        if (iter_end == DCS_TIME_MAX) {
            if (dcs_replica_start_iteration(r, now, &it)) {
                iter_end = now + it.duration;
                if (now >= warm)
                    energy += it.power_w * dcs_time_to_s(it.duration);
            } else if (now >= warm) {
                /* Idle until the next arrival. */
                energy += idle_w * dcs_time_to_s((next_arr < end ? next_arr : end) - now);
            }
        }
    }
    dcs_replica_free(r);
    gsl_rng_free(rng);
    detailed d = {sum_ttft / (double)n, sum_e2e / (double)n, energy / horizon_s,
                  (double)n / horizon_s, sum_tpot / (double)ntpot};
    return d;
}

/* Compare fluid and detailed at the given loads; tolerances are what the
 * calibration in fluid.c reached, with a margin for the detailed run's
 * sampling noise (one simulated hour per load). */
static void compare(const char *name, const dcs_serving_params *p, const dcs_token_dist *prompt,
                    const dcs_token_dist *output, const double *rhos, int nrho,
                    double tol_latency, double tol_slo_pp)
{
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, p, &c, prompt, output, 1.0);
    fprintf(stderr, "    %s: capacity %.3f req/s per replica\n", name, m.capacity_rate);
    for (int k = 0; k < nrho; k++) {
        double lam = rhos[k] * m.capacity_rate;
        detailed d = run_detailed(p, prompt, output, lam, 3600.0, 11 + (unsigned long)k);
        dcs_fluid_state st;
        dcs_fluid_eval(&m, lam, 1, &st);
        fprintf(stderr, "    rho %.1f: ttft %.4f/%.4f e2e %.3f/%.3f tpot %.4f/%.4f "
                "power %.1f/%.1f rate %.3f/%.3f\n",
                rhos[k], d.ttft, st.ttft_mean_s, d.e2e, st.e2e_mean_s, d.tpot, st.tpot_s,
                d.power_w, st.power_w, d.rate, st.served_rate);
        CHECK_NEAR(st.power_w, d.power_w, 0.02);
        CHECK_NEAR(st.served_rate, d.rate, 0.04);
        CHECK_NEAR(st.ttft_mean_s, d.ttft, tol_latency);
        CHECK_NEAR(st.e2e_mean_s, d.e2e, tol_latency);
        CHECK_NEAR(st.tpot_s, d.tpot, tol_latency);
        /* SLO share: e2e above twice the detailed mean (a tail SLO). */
        double slo = 2.0 * d.e2e;
        double det_pct = 100.0 * (double)dcs_lathist_count_above(&det_e2e, slo)
                       / (double)dcs_lathist_count(&det_e2e);
        dcs_lathist_init(&flu_e2e);
        uint64_t v = dcs_fluid_record(&m, &st, 3600.0, 0.0, 0.0, slo, NULL, &flu_e2e);
        double flu_pct = 100.0 * (double)v / (double)dcs_lathist_count(&flu_e2e);
        fprintf(stderr, "        e2e > %.2f s: detailed %.2f %%, fluid %.2f %%; e2e p50 %.3f/%.3f "
                "p95 %.3f/%.3f p99 %.3f/%.3f s\n", slo, det_pct, flu_pct,
                dcs_lathist_quantile_s(&det_e2e, 0.5), dcs_lathist_quantile_s(&flu_e2e, 0.5),
                dcs_lathist_quantile_s(&det_e2e, 0.95), dcs_lathist_quantile_s(&flu_e2e, 0.95),
                dcs_lathist_quantile_s(&det_e2e, 0.99), dcs_lathist_quantile_s(&flu_e2e, 0.99));
        if (tol_slo_pp > 0.0)
            CHECK_ABS(flu_pct, det_pct, tol_slo_pp);
    }
}

/* The calibration case: 8B on one H100, conversation laws. */
static void calibration_against_detailed(void)
{
    dcs_serving_params p = llama8b_h100();
    dcs_fluid_calib c;
    dcs_fluid_calib_default(&c);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, &p, &c, &conv_prompt, &conv_output, 1.0);
    /* Capacity of the compute bound alone: 4.945e14 / (2 * 8.03e9) = 30,790
     * tokens/s over ~1,445 tokens per request = 21.3 req/s; decode steps
     * that are memory-bound take some of that time, so it must be below. */
    CHECK(m.capacity_rate > 18.0 && m.capacity_rate < 21.3);
    const double rhos[] = {0.2, 0.5, 0.8, 0.9};
    compare("8B/H100/conv", &p, &conv_prompt, &conv_output, rhos, 4, 0.15, 2.0);
}

/* A case the calibration did not see: Llama-3.1-70B on 4 H100s with the
 * Azure code laws (long prompts, short outputs). */
static void validation_other_case(void)
{
    dcs_serving_params p = llama8b_h100();
    p.model = (dcs_llm_model){70.6e9, 70.6e9, 2.0, 327680.0};
    p.gpus = 4;
    const double rhos[] = {0.3, 0.6, 0.85};
    /* The tail SLO share is printed, not checked, here: the fluid model
     * underestimates it for this case (docs/workloads.md, section 6). */
    compare("70B/4xH100/code", &p, &code_prompt, &code_output, rhos, 3, 0.25, 0.0);
}

int main(void)
{
    RUN(zero_load_limit);
    RUN(strata_add_up);
    RUN(clock_memo);
    RUN(pool_dispatch);
    RUN(slo_share);
    RUN(calibration_against_detailed);
    RUN(validation_other_case);
    return TEST_END();
}
