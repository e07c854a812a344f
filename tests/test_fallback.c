/*
 * test_fallback.c - the fallback model's pieces without a run
 * (docs/fallback.md): its iteration cost on the replica's GPUs against
 * hand computations, moving a replica's queue to the other model and
 * unloading it, and the `fallback_model` key as the scenario loads it.
 */
#include <math.h>
#include <stdio.h>

#include "dcsim/serving.h"
#include "harness.h"
#include "scenario_util.h"

/* H100 SXM (989 TFLOP/s dense BF16, 3.35 TB/s, 80 GB, 70 W idle, 700 W
 * max: scenarios/catalog/accelerators.yaml) x 4, default engine. */
static dcs_serving_params on_four_h100(double params, double kv_bytes_per_token)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){params, params, 2.0, kv_bytes_per_token};
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.gpus = 4;
    return p;
}

/* Llama-3.1-70B (70.6e9 parameters, 80 layers x 2 x 8 KV heads x 128 x 2 B
 * = 327680 B of KV per token) and its fallback Llama-3.1-8B (8.03e9, 32
 * layers: 131072 B per token), both on 4 H100, one decode iteration of a
 * batch of 32 requests holding 1000 tokens of context each:
 *   compute_s = 2 * active_params * 32 / (989e12 * 0.5 * 4 = 1.978e15)
 *     70B: 4.5184e12 / 1.978e15 = 2.28433e-3 s
 *     8B:  5.1392e11 / 1.978e15 = 2.59818e-4 s
 *   memory_s = (params * 2 + 32000 * kv) / (3.35e12 * 0.8 * 4 = 1.072e13)
 *     70B: (141.2e9 + 10.48576e9) / 1.072e13 = 1.414980e-2 s
 *     8B:  (16.06e9 + 4.194304e9) / 1.072e13 = 1.889394e-3 s
 * Both are memory-bound: the fallback's iteration is 7.49 times shorter. */
static void iteration_cost(void)
{
    dcs_serving_params big = on_four_h100(70.6e9, 327680.0);
    dcs_serving_params small = on_four_h100(8.03e9, 131072.0);
    CHECK(dcs_serving_params_problem(&big) == NULL);
    CHECK(dcs_serving_params_problem(&small) == NULL);
    dcs_iter_cost a, b;
    dcs_serving_iter_cost(&big, 32, 32000, 1.0, &a);
    dcs_serving_iter_cost(&small, 32, 32000, 1.0, &b);
    CHECK_NEAR(a.compute_s, 2.28433e-3, 1e-5);
    CHECK_NEAR(a.memory_s, 1.414980e-2, 1e-6);
    CHECK_NEAR(b.compute_s, 2.59818e-4, 1e-5);
    CHECK_NEAR(b.memory_s, 1.889394e-3, 1e-6);
    CHECK_NEAR(a.time_s / b.time_s, 1.414980e-2 / 1.889394e-3, 1e-6);
    /* KV room on the same GPUs: 4 x 80 GB x 0.9 = 288 GB less weights,
     * 70B: (288e9 - 141.2e9) / 327680 = 447998 tokens,
     * 8B:  (288e9 - 16.06e9) / 131072 = 2074737 tokens. */
    CHECK_INT(dcs_serving_kv_capacity_tokens(&big), 447998);
    CHECK_INT(dcs_serving_kv_capacity_tokens(&small), 2074737);
}

static dcs_request req(uint64_t id, int32_t prompt, int32_t output)
{
    return (dcs_request){.id = id, .arrival = (dcs_time)id, .prompt_tokens = prompt,
                         .output_tokens = output};
}

/* A switch moves the waiting requests in order, keeps the running batch
 * where it is, and refuses what the other model cannot hold. */
static void move_queue(void)
{
    dcs_serving_params big = on_four_h100(70.6e9, 327680.0);
    dcs_serving_params small = on_four_h100(8.03e9, 131072.0);
    big.max_batch = 1;
    small.queue_capacity = 2;
    dcs_replica *a = NULL, *b = NULL;
    CHECK_INT(dcs_replica_alloc(&big, &a), DCS_OK);
    CHECK_INT(dcs_replica_alloc(&small, &b), DCS_OK);
    if (!a || !b)
        return;
    for (uint64_t i = 1; i <= 4; i++) {
        dcs_request q = req(i, 100, 10);
        CHECK(dcs_replica_admit(a, &q));
    }
    dcs_iteration it;
    CHECK(dcs_replica_start_iteration(a, 0, &it));   /* request 1 runs */
    CHECK_INT(dcs_replica_queued(a), 3);
    CHECK(!dcs_replica_unload(a));                   /* a batch is running */
    CHECK(dcs_replica_unload(b));                    /* idle: unloads */
    CHECK(!dcs_replica_awake(b));
    /* Requests 2, 3 fit b's queue of 2; request 4 is refused. */
    CHECK_INT(dcs_replica_move_queue(a, b), 1);
    CHECK_INT(dcs_replica_queued(a), 0);
    CHECK_INT(dcs_replica_running(a), 1);
    CHECK_INT(dcs_replica_queued(b), 2);
    /* b serves them after its reload, in their order. */
    CHECK_INT(dcs_replica_wake(b, 0), (dcs_time)(30 * DCS_SECOND));
    CHECK(!dcs_replica_start_iteration(b, DCS_SECOND, &it));
    CHECK(dcs_replica_start_iteration(b, 30 * DCS_SECOND, &it));
    CHECK_INT(it.batch, 2);
    CHECK_INT(it.prefill_tokens, 200);
    dcs_request_done done[4];
    CHECK_INT(dcs_replica_finish_iteration(b, 30 * DCS_SECOND + it.duration, done, 4), 0);
    /* Unload refuses a replica with work; a waking one unloads. */
    dcs_replica *c = NULL;
    CHECK_INT(dcs_replica_alloc(&small, &c), DCS_OK);
    if (c) {
        CHECK(dcs_replica_unload(c));
        dcs_replica_wake(c, 0);
        CHECK(!dcs_replica_sleep(c));   /* sleep refuses a waking replica */
        CHECK(dcs_replica_unload(c));   /* unload does not */
        CHECK_INT(dcs_replica_wake(c, 5 * DCS_SECOND), (dcs_time)(35 * DCS_SECOND));
    }
    dcs_replica_free(a);
    dcs_replica_free(b);
    dcs_replica_free(c);
}

/* The key resolves like `model` and takes the workload's GPUs. */
static void scenario_key(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/fallback/nodes.yaml", NULL, 0, d);
    if (s) {
        const dcs_workload_spec *w = &s->workloads[0];
        CHECK(w->has_fallback);
        CHECK_NEAR(w->fallback_model.params, 8.03e9, 0);
        CHECK_NEAR(w->fallback_model.active_params, 8.03e9, 0);
        CHECK_NEAR(w->fallback_model.bytes_per_weight, 2, 0);
        /* 32 layers x 2 x 8 KV heads x 128 x 2 B */
        CHECK_NEAR(w->fallback_model.kv_bytes_per_token, 131072, 0);
        CHECK_INT(w->fallback_model.gpus_per_replica, 4);
        CHECK_NEAR(w->model.params, 70.6e9, 0);
    }
    dcs_scenario_free(s);
    dcs_diag_free(d);
    /* --set replaces it like any key (a catalog name). */
    d = dcs_diag_new();
    const char *set[] = {"workloads[0].fallback_model=Llama-3.1-8B-FP8"};
    s = load("fixtures/fallback/nodes.yaml", set, 1, d);
    if (s)
        CHECK_NEAR(s->workloads[0].fallback_model.bytes_per_weight, 1, 0);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(iteration_cost);
    RUN(move_queue);
    RUN(scenario_key);
    return TEST_END();
}
