/* test_dispatch.c - round-robin and least-loaded choice among replicas,
 * sleeping replicas avoided, the cascade's draw and combined latencies. */
#include "dcsim/dispatch.h"
#include "harness.h"

static dcs_serving_params small_params(void)
{
    /* Llama-3.1-8B on one H100 (as in test_serving.c). */
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){8.03e9, 8.03e9, 2.0, 131072.0};
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.gpus = 1;
    return p;
}

static void policies(void)
{
    dcs_serving_params p = small_params();
    dcs_replica *r[3];
    for (int i = 0; i < 3; i++)
        CHECK_INT(dcs_replica_alloc(&p, &r[i]), DCS_OK);
    dcs_dispatch d;
    CHECK(dcs_dispatch_from_name("round_robin", &d));
    CHECK(!dcs_dispatch_from_name("random", &d));
    CHECK(dcs_dispatch_from_name("round_robin", &d));
    int seq[5];
    for (int k = 0; k < 5; k++)
        seq[k] = dcs_dispatch_pick(&d, r, 3);
    CHECK(seq[0] == 0 && seq[1] == 1 && seq[2] == 2 && seq[3] == 0 && seq[4] == 1);
    CHECK_INT(dcs_dispatch_pick(&d, r, 0), -1);

    /* Least loaded: give replica 0 two requests and replica 1 one. */
    dcs_request q = {.prompt_tokens = 100, .output_tokens = 10};
    dcs_replica_admit(r[0], &q);
    dcs_replica_admit(r[0], &q);
    dcs_replica_admit(r[1], &q);
    CHECK(dcs_dispatch_from_name("least_loaded", &d));
    CHECK_INT(dcs_dispatch_pick(&d, r, 3), 2);
    dcs_replica_admit(r[2], &q);
    /* Now 2, 1, 1: picking 2 moved the cursor back to 0, so the scan
     * 0, 1, 2 meets replica 1 first among the two tied at 1. */
    CHECK_INT(dcs_dispatch_pick(&d, r, 3), 1);
    /* A sleeping replica is avoided even when it is emptier. */
    dcs_replica *s[2];
    CHECK_INT(dcs_replica_alloc(&p, &s[0]), DCS_OK);
    CHECK_INT(dcs_replica_alloc(&p, &s[1]), DCS_OK);
    dcs_replica_admit(s[1], &q);
    CHECK(dcs_replica_sleep(s[0]));
    CHECK_INT(dcs_dispatch_pick(&d, s, 2), 1);
    CHECK(dcs_dispatch_from_name("round_robin", &d));
    CHECK_INT(dcs_dispatch_pick(&d, s, 2), 1);
    CHECK_INT(dcs_dispatch_pick(&d, s, 2), 1);
    for (int i = 0; i < 3; i++)
        dcs_replica_free(r[i]);
    dcs_replica_free(s[0]);
    dcs_replica_free(s[1]);
}

/* small_share 0.7: about 30 % of 100,000 draws escalate (sd 0.14 %). */
static void cascade(void)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 2385);
    dcs_cascade c = {.small_share = 0.7};
    int up = 0;
    for (int i = 0; i < 100000; i++)
        up += dcs_cascade_escalate(&c, rng);
    CHECK_NEAR(up, 30000, 0.02);
    dcs_cascade never = {1.0}, always = {0.0};
    CHECK(!dcs_cascade_escalate(&never, rng));
    CHECK(dcs_cascade_escalate(&always, rng));
    gsl_rng_free(rng);
    /* Small: queue 0.1, TTFT 0.3, e2e 1.2 s (with 0.05 s network); large:
     * queue 0.4, TTFT 0.9, e2e 6.0, TPOT 0.04: combined queue 0.5, TTFT
     * 1.2 + 0.9 = 2.1, e2e 7.2, TPOT 0.04. */
    dcs_request_done sm = {.id = 5, .tag = 1, .prompt_tokens = 800, .output_tokens = 60,
                           .queue_s = 0.1, .ttft_s = 0.3, .tpot_s = 0.015, .e2e_s = 1.2};
    dcs_request_done lg = {.id = 99, .tag = 2, .prompt_tokens = 860, .output_tokens = 130,
                           .queue_s = 0.4, .ttft_s = 0.9, .tpot_s = 0.04, .e2e_s = 6.0};
    dcs_request_done x = dcs_cascade_combine(&sm, &lg);
    CHECK_INT(x.id, 5);
    CHECK_INT(x.tag, 1);
    CHECK_INT(x.prompt_tokens, 800);
    CHECK_INT(x.output_tokens, 130);
    CHECK_NEAR(x.queue_s, 0.5, 1e-15);
    CHECK_NEAR(x.ttft_s, 2.1, 1e-15);
    CHECK_NEAR(x.e2e_s, 7.2, 1e-15);
    CHECK_NEAR(x.tpot_s, 0.04, 0);
}

int main(void)
{
    RUN(policies);
    RUN(cascade);
    return TEST_END();
}
