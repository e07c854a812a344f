/* test_dispatch.c - round-robin and least-loaded choice among replicas,
 * sleeping replicas avoided, the replicas' scan against a plain
 * reference, the cascade's draw and combined latencies. */
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

/* The scan as dispatch.h states it, replica by replica through the
 * public accessors (what dcs_dispatch_pick did before the scan moved into
 * replica.c): awake before asleep, then lower load, ties to the first in
 * cyclic order from `first`. */
static int reference_scan(dcs_replica *const *reps, int n, int first, bool by_load)
{
    int best = -1, best_load = 0;
    bool best_awake = false;
    for (int k = 0; k < n; k++) {
        int i = (first + k) % n;
        bool awake = dcs_replica_awake(reps[i]);
        int load = by_load ? dcs_replica_outstanding(reps[i]) : 0;
        if (best < 0 || (awake && !best_awake) || (awake == best_awake && load < best_load)) {
            best = i;
            best_load = load;
            best_awake = awake;
        }
    }
    return best;
}

/* dcs_replica_scan_least against the reference over 2,000 random pools of
 * 1-7 replicas (loads 0-3, some asleep, every start), and a cursor left
 * beyond a pool that shrank. */
static void scan_matches_reference(void)
{
    dcs_serving_params p = small_params();
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 11);
    dcs_request q = {.prompt_tokens = 100, .output_tokens = 10};
    int checked = 0, mismatches = 0;
    for (int trial = 0; trial < 2000; trial++) {
        int n = 1 + (int)gsl_rng_uniform_int(rng, 7);
        dcs_replica *r[7];
        for (int i = 0; i < n; i++) {
            CHECK_INT(dcs_replica_alloc(&p, &r[i]), DCS_OK);
            int load = (int)gsl_rng_uniform_int(rng, 4);
            if (load == 0 && gsl_rng_uniform(rng) < 0.5)
                CHECK(dcs_replica_sleep(r[i]));
            for (int j = 0; j < load; j++)
                CHECK(dcs_replica_admit(r[i], &q));
        }
        for (int first = 0; first < n; first++)
            for (int by_load = 0; by_load < 2; by_load++) {
                checked++;
                mismatches += dcs_replica_scan_least(r, n, first, by_load)
                              != reference_scan(r, n, first, by_load);
            }
        /* A cursor of 9 in a pool of n: the scan starts at 9 mod n. */
        dcs_dispatch d = {DCS_DISPATCH_LEAST_LOADED, 9};
        CHECK_INT(dcs_dispatch_pick(&d, r, n), reference_scan(r, n, 9 % n, true));
        for (int i = 0; i < n; i++)
            dcs_replica_free(r[i]);
    }
    gsl_rng_free(rng);
    CHECK(checked > 10000);
    CHECK_INT(mismatches, 0);
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
    RUN(scan_matches_reference);
    RUN(cascade);
    return TEST_END();
}
