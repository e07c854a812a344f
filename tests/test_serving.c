/* test_serving.c - LLM serving: iteration cost, KV capacity, power and
 * clock, and the continuous-batching replica, against hand computations.
 *
 * Numbers used throughout:
 *   Llama-3.1-8B: 8.03e9 params, 32 layers, 8 KV heads x 128 = kv_dim 1024
 *     (Meta model card / config.json, 2024), bf16 (2 bytes)
 *     KV per token = 32 * 2 * 1024 * 2 = 131,072 B
 *     weights = 8.03e9 * 2 = 16.06e9 B
 *   H100 SXM: 989e12 FLOP/s dense BF16, 3.35e12 B/s, 80e9 B (NVIDIA H100
 *     data sheet, 2023), idle 70 W [assumption], max 700 W (FACTS.md 1)
 *   defaults: eta_c 0.5, eta_m 0.8, usable memory 0.9, chunk 2048 tokens
 * so on one GPU: compute rate 989e12 * 0.5 = 4.945e14 FLOP/s and memory rate
 * 3.35e12 * 0.8 = 2.68e12 B/s.
 */
#include "dcsim/serving.h"
#include "harness.h"

#include <math.h>
#include <string.h>

static dcs_serving_params llama8b_h100(int gpus)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){.params = 8.03e9, .active_params = 8.03e9,
                              .bytes_per_weight = 2.0,
                              .kv_bytes_per_token = 131072.0};
    p.gpu = (dcs_gpu_spec){.peak_flops = 989e12, .mem_bw_byte_s = 3.35e12,
                           .mem_bytes = 80e9, .idle_w = 70.0, .max_w = 700.0};
    p.gpus = gpus;
    return p;
}

static void kv_sizes(void)
{
    /* Llama-3.1-8B: 32 * 2 * 1024 * 2 = 131,072 B per token. */
    CHECK_NEAR(dcs_serving_kv_bytes_per_token(32, 1024, 2.0), 131072.0, 1e-15);
    /* Llama-3.1-70B: 80 layers, kv_dim 1024: 80 * 2 * 1024 * 2 = 327,680. */
    CHECK_NEAR(dcs_serving_kv_bytes_per_token(80, 1024, 2.0), 327680.0, 1e-15);
    /* 8B on one H100: (80e9 * 0.9 - 16.06e9) / 131072
     * = 55.94e9 / 131072 = 426,788.33 -> 426,788 tokens. */
    dcs_serving_params p = llama8b_h100(1);
    CHECK_INT(dcs_serving_kv_capacity_tokens(&p), 426788);
    /* 70B (70.6e9 params, bf16) on 4 H100: (4 * 72e9 - 141.2e9) / 327680
     * = 146.8e9 / 327680 = 447,998.05 -> 447,998. */
    p.model = (dcs_llm_model){70.6e9, 70.6e9, 2.0, 327680.0};
    p.gpus = 4;
    CHECK_INT(dcs_serving_kv_capacity_tokens(&p), 447998);
    CHECK(dcs_serving_params_problem(&p) == NULL);
    /* ... and on one H100 the 141.2e9 B of weights do not fit in 72e9. */
    p.gpus = 1;
    CHECK_INT(dcs_serving_kv_capacity_tokens(&p), 0);
    CHECK_STR(dcs_serving_params_problem(&p),
              "the model's weights do not fit in the replica's usable GPU memory");
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_EINPUT);
    CHECK(r == NULL);
    /* 4-bit weights: 70.6e9 * 0.5 = 35.3e9 B; (72e9 - 35.3e9) / 327680
     * = 111,999.5 -> 111,999 tokens on one GPU. */
    p.model.bytes_per_weight = 0.5;
    CHECK_INT(dcs_serving_kv_capacity_tokens(&p), 111999);
}

static void iteration_cost(void)
{
    dcs_serving_params p = llama8b_h100(1);
    dcs_iter_cost c;
    /* Prefill of 1000 tokens reading 1000 tokens of KV:
     *   compute = 2 * 8.03e9 * 1000 / 4.945e14 = 0.032477250 s
     *   memory  = (16.06e9 + 1000 * 131072) / 2.68e12 = 0.0060414448 s
     *   power   = compute-bound: 70 + 630 * 1.0 = 700 W. */
    dcs_serving_iter_cost(&p, 1000, 1000, 1.0, &c);
    CHECK_NEAR(c.compute_s, 1.606e13 / 4.945e14, 1e-12);
    CHECK_NEAR(c.memory_s, 16.191072e9 / 2.68e12, 1e-12);
    CHECK_NEAR(c.time_s, 0.0324772497, 1e-8);
    CHECK_NEAR(c.power_w, 700.0, 1e-12);
    /* Decode step of a batch of 64 each with 1500 tokens of context:
     *   compute = 2 * 8.03e9 * 64 / 4.945e14 = 2.0785e-3 s
     *   memory  = (16.06e9 + 96000 * 131072) / 2.68e12
     *           = 28,642,912,000 / 2.68e12 = 0.010687654 s  (memory-bound)
     *   power   = 70 + 630 * max(1.0 * 0.19448, 0.3 * 1) = 259 W. */
    dcs_serving_iter_cost(&p, 64, 64 * 1500, 1.0, &c);
    CHECK_NEAR(c.compute_s, 2.0 * 8.03e9 * 64 / 4.945e14, 1e-12);
    CHECK_NEAR(c.time_s, 28642912000.0 / 2.68e12, 1e-12);
    CHECK_NEAR(c.power_w, 259.0, 1e-12);
    /* Two GPUs halve both times. */
    dcs_serving_params p2 = llama8b_h100(2);
    dcs_iter_cost c2;
    dcs_serving_iter_cost(&p2, 64, 64 * 1500, 1.0, &c2);
    CHECK_NEAR(c2.time_s, c.time_s / 2, 1e-12);
    CHECK_NEAR(c2.power_w, 2 * 259.0, 1e-12);
    /* MoE: Mixtral-8x7B, 46.7e9 params, 12.9e9 active (Mistral AI, 2023):
     * compute of 1000 tokens on 2 GPUs = 2 * 12.9e9 * 1000 / (2 * 4.945e14)
     * = 0.026087 s; memory reads all 93.4e9 B of weights:
     * (93.4e9 + 1000 * 131072) / (2 * 2.68e12) = 0.017450 s. */
    p2.model = (dcs_llm_model){46.7e9, 12.9e9, 2.0, 131072.0};
    dcs_serving_iter_cost(&p2, 1000, 1000, 1.0, &c2);
    CHECK_NEAR(c2.compute_s, 2.58e13 / 9.89e14, 1e-12);
    CHECK_NEAR(c2.memory_s, 93.531072e9 / 5.36e12, 1e-12);
    /* An overhead adds to the time and dilutes the power:
     * 1 ms on the prefill above: 0.0334772497 s, power 70 + 630 * 0.97013
     * = 681.18 W. */
    p.iter_overhead_s = 1e-3;
    dcs_serving_iter_cost(&p, 1000, 1000, 1.0, &c);
    CHECK_NEAR(c.time_s, 0.0334772497, 1e-8);
    CHECK_NEAR(c.power_w, 70.0 + 630.0 * 0.0324772497 / 0.0334772497, 1e-8);
}

static void clock_and_cap(void)
{
    dcs_serving_params p = llama8b_h100(1);
    dcs_iter_cost c;
    /* Clock 0.8: compute-bound prefill takes 0.0324772497 / 0.8
     * = 0.0405965621 s (slowed in proportion) at 70 + 630 * 0.8^3
     * = 392.56 W; the memory-bound decode above slows only by
     * 1 / (1 - 0.1 * 0.2) = 1 / 0.98 (2 %). */
    dcs_serving_iter_cost(&p, 1000, 1000, 0.8, &c);
    CHECK_NEAR(c.time_s, 0.0405965621, 1e-8);
    CHECK_NEAR(c.power_w, 392.56, 1e-12);
    dcs_serving_iter_cost(&p, 64, 64 * 1500, 0.8, &c);
    CHECK_NEAR(c.time_s, 28642912000.0 / 2.68e12 / 0.98, 1e-12);
    /* Inverse: a 392.56 W cap gives clock 0.8; a 700 W cap does not bind;
     * a cap below idle gives the 0.1 floor. */
    CHECK_NEAR(dcs_serving_clock_for_cap(&p, 392.56), 0.8, 1e-12);
    CHECK_NEAR(dcs_serving_clock_for_cap(&p, 700.0), 1.0, 0);
    CHECK_NEAR(dcs_serving_clock_for_cap(&p, 50.0), 0.1, 0);
    CHECK_NEAR(dcs_serving_idle_power_w(&p), 70.0, 0);
}

/* A lone request, prompt 1000 and 3 output tokens, on an idle replica:
 *   it1 prefill 1000, KV read 1000: 0.0324772497 s -> first token (TTFT)
 *   it2 decode, KV read 1001: (16.06e9 + 1001 * 131072) / 2.68e12
 *       = 16,191,203,072 / 2.68e12 = 0.00604149368 s
 *   it3 decode, KV read 1002: 16,191,334,144 / 2.68e12 = 0.00604154259 s
 * TTFT = 0.05 s network + it1; TPOT = (it2 + it3) / 2; e2e = 0.05 + sum. */
static void lone_request(void)
{
    dcs_serving_params p = llama8b_h100(1);
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    dcs_request q = {.id = 42, .arrival = 3 * DCS_SECOND, .network = 50 * DCS_MS,
                     .prompt_tokens = 1000, .output_tokens = 3, .tag = 7};
    CHECK(dcs_replica_admit(r, &q));
    CHECK_INT(dcs_replica_queued(r), 1);
    dcs_time now = q.arrival;
    dcs_iteration it;
    dcs_request_done done[4];
    dcs_time dur[3];
    int n = 0;
    for (int k = 0; k < 3; k++) {
        CHECK(dcs_replica_start_iteration(r, now, &it));
        dur[k] = it.duration;
        now += it.duration;
        n = dcs_replica_finish_iteration(r, now, done, 4);
        CHECK_INT(n, k == 2 ? 1 : 0);
    }
    CHECK_INT(dur[0], 32477250);      /* ns, rounded */
    CHECK_INT(dur[1], 6041494);
    CHECK_INT(dur[2], 6041543);
    CHECK_INT(done[0].id, 42);
    CHECK_INT(done[0].tag, 7);
    CHECK_NEAR(done[0].queue_s, 0.0, 0);
    CHECK_NEAR(done[0].ttft_s, 0.05 + 0.032477250, 1e-12);
    CHECK_NEAR(done[0].tpot_s, (0.006041494 + 0.006041543) / 2, 1e-12);
    CHECK_NEAR(done[0].e2e_s, 0.05 + 0.032477250 + 0.006041494 + 0.006041543, 1e-12);
    CHECK(!dcs_replica_start_iteration(r, now, &it));   /* idle again */
    CHECK_INT(dcs_replica_kv_used_tokens(r), 0);
    dcs_replica_free(r);
}

/* A 5000-token prompt is prefilled in chunks 2048 + 2048 + 904, reading
 * 2048, 4096 and 5000 tokens of KV:
 *   it1 = 2 * 8.03e9 * 2048 / 4.945e14 = 0.066513407 s (compute-bound)
 *   it2 = same tokens = 0.066513407 s
 *   it3 = 2 * 8.03e9 * 904 / 4.945e14 = 0.029359434 s
 * TTFT = 0.162386248 s; output 1 token, so e2e = TTFT and TPOT = 0. */
static void chunked_prefill(void)
{
    dcs_serving_params p = llama8b_h100(1);
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    dcs_request q = {.id = 1, .arrival = 0, .prompt_tokens = 5000, .output_tokens = 1};
    CHECK(dcs_replica_admit(r, &q));
    dcs_time now = 0;
    dcs_iteration it;
    dcs_request_done done[1];
    const int32_t chunks[3] = {2048, 2048, 904};
    int n = 0;
    for (int k = 0; k < 3; k++) {
        CHECK(dcs_replica_start_iteration(r, now, &it));
        CHECK_INT(it.prefill_tokens, chunks[k]);
        CHECK_INT(it.decode_tokens, 0);
        now += it.duration;
        n = dcs_replica_finish_iteration(r, now, done, 1);
    }
    CHECK_INT(n, 1);
    CHECK_NEAR(done[0].ttft_s, 2 * 0.066513407 + 0.029359434, 1e-8);
    CHECK_NEAR(done[0].e2e_s, done[0].ttft_s, 0);
    CHECK_NEAR(done[0].tpot_s, 0.0, 0);
    dcs_replica_free(r);
}

/* KV capacity limits the batch: 426,788 tokens hold four requests of
 * 100,000 + 1,000 = 101,000 tokens (404,000) but not a fifth (505,000). */
static void kv_limits_batch(void)
{
    dcs_serving_params p = llama8b_h100(1);
    p.prefill_chunk_tokens = 4096;
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    for (uint64_t i = 0; i < 5; i++) {
        dcs_request q = {.id = i, .prompt_tokens = 100000, .output_tokens = 1000};
        CHECK(dcs_replica_admit(r, &q));
    }
    dcs_iteration it;
    CHECK(dcs_replica_start_iteration(r, 0, &it));
    CHECK_INT(dcs_replica_running(r), 4);
    CHECK_INT(dcs_replica_queued(r), 1);
    CHECK_INT(dcs_replica_outstanding(r), 5);   /* 4 running + 1 queued */
    CHECK_INT(dcs_replica_kv_used_tokens(r), 404000);
    /* The chunk budget goes to the oldest request first. */
    CHECK_INT(it.prefill_tokens, 4096);
    CHECK_INT(it.batch, 4);
    dcs_request_done done[8];
    CHECK_INT(dcs_replica_finish_iteration(r, it.duration, done, 8), 0);
    /* A request that could never fit is dropped at the door. */
    dcs_request big = {.id = 9, .prompt_tokens = 426000, .output_tokens = 789};
    CHECK(!dcs_replica_admit(r, &big));
    dcs_replica_free(r);
}

/* Batching off (max batch 1): the second request waits for the first, so
 * its queueing delay is the first one's service time. */
static void no_batching_queues(void)
{
    dcs_serving_params p = llama8b_h100(1);
    p.max_batch = 1;
    p.queue_capacity = 2;
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    dcs_request a = {.id = 1, .prompt_tokens = 1000, .output_tokens = 2};
    dcs_request b = {.id = 2, .prompt_tokens = 1000, .output_tokens = 2};
    dcs_request c = {.id = 3, .prompt_tokens = 10, .output_tokens = 2};
    CHECK(dcs_replica_admit(r, &a));
    CHECK(dcs_replica_admit(r, &b));
    CHECK(!dcs_replica_admit(r, &c));     /* queue of 2 is full */
    dcs_time now = 0;
    dcs_iteration it;
    dcs_request_done done[2], first = {0}, second = {0};
    int got = 0;
    while (dcs_replica_start_iteration(r, now, &it)) {
        CHECK_INT(it.batch, 1);
        now += it.duration;
        int n = dcs_replica_finish_iteration(r, now, done, 2);
        for (int i = 0; i < n; i++, got++)
            *(got == 0 ? &first : &second) = done[i];
    }
    CHECK_INT(got, 2);
    CHECK_INT(first.id, 1);
    CHECK_INT(second.id, 2);
    CHECK_NEAR(second.queue_s, first.e2e_s, 1e-12);
    CHECK_NEAR(second.e2e_s, 2 * first.e2e_s, 1e-9);
    dcs_replica_free(r);
}

/* Decode of a running request continues while a newcomer is prefilled in
 * the same iteration (continuous batching). */
static void continuous_batching(void)
{
    dcs_serving_params p = llama8b_h100(1);
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    dcs_request a = {.id = 1, .prompt_tokens = 300, .output_tokens = 50};
    CHECK(dcs_replica_admit(r, &a));
    dcs_iteration it;
    dcs_request_done done[4];
    CHECK(dcs_replica_start_iteration(r, 0, &it));
    dcs_time now = it.duration;
    dcs_replica_finish_iteration(r, now, done, 4);
    dcs_request b = {.id = 2, .arrival = now, .prompt_tokens = 700, .output_tokens = 5};
    CHECK(dcs_replica_admit(r, &b));
    CHECK(dcs_replica_start_iteration(r, now, &it));
    CHECK_INT(it.prefill_tokens, 700);
    CHECK_INT(it.decode_tokens, 1);
    CHECK_INT(it.batch, 2);
    /* 701 tokens, KV read 301 + 700 = 1001: compute-bound,
     * 2 * 8.03e9 * 701 / 4.945e14 = 0.022766553 s. */
    CHECK_NEAR(it.cost.time_s, 2 * 8.03e9 * 701 / 4.945e14, 1e-12);
    now += it.duration;
    CHECK_INT(dcs_replica_finish_iteration(r, now, done, 4), 0);
    /* Next: both decode.  a has 300 + 2 tokens of context, b 700 + 1:
     * KV read 1003 tokens, memory-bound:
     * (16.06e9 + 1003 * 131072) / 2.68e12 = 0.0060416483 s. */
    CHECK(dcs_replica_start_iteration(r, now, &it));
    CHECK_INT(it.decode_tokens, 2);
    CHECK_INT(it.prefill_tokens, 0);
    CHECK_NEAR(it.cost.memory_s, (16.06e9 + 1003 * 131072.0) / 2.68e12, 1e-12);
    now += it.duration;
    dcs_replica_finish_iteration(r, now, done, 4);
    /* b (5 tokens) finishes 3 iterations later, before a (50 tokens). */
    int n = 0;
    for (int k = 0; k < 3; k++) {
        CHECK(dcs_replica_start_iteration(r, now, &it));
        now += it.duration;
        n = dcs_replica_finish_iteration(r, now, done, 4);
        CHECK_INT(n, k == 2 ? 1 : 0);
    }
    CHECK_INT(done[0].id, 2);
    CHECK_INT(dcs_replica_running(r), 1);
    CHECK_INT(dcs_replica_kv_used_tokens(r), 350);
    dcs_replica_free(r);
}

/* The replica computes each iteration's cost from constants prepared once
 * per clock (models/workload/replica.c); the result must be the same bits
 * as dcs_serving_iter_cost.  A lone request of 300 prompt tokens and 6
 * output tokens: iteration 1 prefills 300 tokens reading 0 + 300 tokens of
 * KV, iteration j = 2..6 decodes 1 token reading 300 + (j - 1), at several
 * clocks (the clock changes between iterations too) and with and without
 * a per-iteration overhead; durations are nearbyint(time_s * 1e9) ns. */
static void replica_cost_is_iter_cost(void)
{
    const double clocks[] = {1.0, 0.73, 0.31, 1.0, 0.5, 0.1};
    for (int ov = 0; ov < 2; ov++) {
        dcs_serving_params p = llama8b_h100(2);
        p.iter_overhead_s = ov ? 2.5e-3 : 0.0;
        dcs_replica *r = NULL;
        CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
        dcs_request q = {.id = 1, .prompt_tokens = 300, .output_tokens = 6};
        CHECK(dcs_replica_admit(r, &q));
        dcs_time now = 0;
        dcs_request_done done[2];
        for (int j = 1; j <= 6; j++) {
            double f = clocks[j - 1];
            dcs_replica_set_clock(r, f);
            dcs_iteration it;
            CHECK(dcs_replica_start_iteration(r, now, &it));
            dcs_iter_cost want;
            if (j == 1)
                dcs_serving_iter_cost(&p, 300, 300, f, &want);
            else
                dcs_serving_iter_cost(&p, 1, 300 + (j - 1), f, &want);
            CHECK(memcmp(&it.cost, &want, sizeof want) == 0);
            CHECK(it.power_w == want.power_w);
            CHECK_INT(it.duration, (dcs_time)nearbyint(want.time_s * 1e9));
            now += it.duration;
            CHECK_INT(dcs_replica_finish_iteration(r, now, done, 2), j == 6 ? 1 : 0);
        }
        dcs_replica_free(r);
    }
}

/* Scale to zero: an idle replica sleeps at 0 W, queues what arrives, and
 * serves only once woken and 30 s (the default wake time) have passed. */
static void scale_to_zero(void)
{
    dcs_serving_params p = llama8b_h100(2);
    p.sleep_w = 5.0;
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    CHECK_NEAR(dcs_replica_idle_power_w(r), 140.0, 0);   /* 2 x 70 W */
    CHECK(dcs_replica_sleep(r));
    CHECK(!dcs_replica_sleep(r));                         /* already asleep */
    CHECK_NEAR(dcs_replica_idle_power_w(r), 10.0, 0);    /* 2 x 5 W */
    dcs_request q = {.id = 1, .arrival = 100 * DCS_SECOND, .prompt_tokens = 10, .output_tokens = 1};
    CHECK(dcs_replica_admit(r, &q));
    dcs_iteration it;
    CHECK(!dcs_replica_start_iteration(r, q.arrival, &it));
    dcs_time ready = dcs_replica_wake(r, q.arrival);
    CHECK_INT(ready, 130 * DCS_SECOND);
    CHECK_INT(dcs_replica_wake(r, q.arrival + DCS_SECOND), ready);   /* no restart */
    CHECK_NEAR(dcs_replica_idle_power_w(r), 140.0, 0);
    CHECK(!dcs_replica_start_iteration(r, ready - 1, &it));
    CHECK(dcs_replica_start_iteration(r, ready, &it));
    CHECK(dcs_replica_awake(r));
    CHECK(!dcs_replica_sleep(r));                         /* busy */
    dcs_request_done d[1];
    CHECK_INT(dcs_replica_finish_iteration(r, ready + it.duration, d, 1), 1);
    /* The wake delay is queueing delay and part of TTFT. */
    CHECK_NEAR(d[0].queue_s, 30.0, 1e-12);
    CHECK(d[0].ttft_s > 30.0);
    CHECK(dcs_replica_sleep(r));
    p.wake_s = -1.0;
    CHECK_STR(dcs_serving_params_problem(&p), "wake time must be in [0, 1 h]");
    dcs_replica_free(r);
}

int main(void)
{
    RUN(scale_to_zero);
    RUN(kv_sizes);
    RUN(iteration_cost);
    RUN(clock_and_cap);
    RUN(lone_request);
    RUN(chunked_prefill);
    RUN(kv_limits_batch);
    RUN(no_batching_queues);
    RUN(continuous_batching);
    RUN(replica_cost_is_iter_cost);
    return TEST_END();
}
