/* test_queueing.c - Erlang formulas by hand, and the serving replica with
 * batching switched off against M/M/1 and M/M/c theory.
 *
 * The simulation loop here is the test's own: Poisson arrivals into one
 * FIFO queue in front of c replicas with max batch 1; a replica that falls
 * idle takes the head of the queue.  Service is made exponential by giving
 * each request a prompt of ceil(Exp(10,000)) tokens and one output token on
 * a replica whose prefill costs exactly 10 us per token (compute-bound,
 * weights and KV negligible), so a service time is 10 us * ceil(Exp(10^4))
 * = Exp(0.1 s) to within 10 us (0.01 % of the mean).  The mean wait is
 * estimated by 20 batch means after a warm-up, and must lie within a 99 %
 * Student-t confidence interval of the Erlang C value.
 */
#include "dcsim/queueing.h"
#include "dcsim/serving.h"
#include "harness.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

static void erlang_by_hand(void)
{
    /* B(1, a) = a / (1 + a): a = 0.7 -> 0.41176470588. */
    CHECK_NEAR(dcs_erlang_b(1, 0.7), 0.7 / 1.7, 1e-15);
    /* B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2; C(2, 1) = 2 * 0.2 / (2 - 0.8)
     * = 1/3; M/M/2 with lambda = mu = 1: Wq = (1/3) / (2 - 1) = 1/3 s. */
    CHECK_NEAR(dcs_erlang_b(2, 1.0), 0.2, 1e-15);
    CHECK_NEAR(dcs_erlang_c(2, 1.0), 1.0 / 3.0, 1e-15);
    CHECK_NEAR(dcs_mmc_wait_s(1.0, 1.0, 2), 1.0 / 3.0, 1e-15);
    /* B(10, 5) = (5^10 / 10!) / sum_{k<=10} 5^k / k! = 2.6911445 / 146.38060
     * = 0.018384570 (matches published Erlang B tables). */
    CHECK_NEAR(dcs_erlang_b(10, 5.0), 2.6911444554673722 / 146.38060102513225, 1e-12);
    /* M/M/1: C(1, rho) = rho, Wq = rho / (mu - lambda): 7/s into 10/s ->
     * 0.7 / 3 = 0.23333 s. */
    CHECK_NEAR(dcs_erlang_c(1, 0.7), 0.7, 1e-15);
    CHECK_NEAR(dcs_mmc_wait_s(7.0, 10.0, 1), 0.7 / 3.0, 1e-15);
    /* Saturated and large-c cases stay finite / well defined. */
    CHECK_NEAR(dcs_erlang_c(3, 3.0), 1.0, 0);
    CHECK(isinf(dcs_mmc_wait_s(30.0, 10.0, 3)));
    double b = dcs_erlang_b(1000, 950.0);
    CHECK(b > 0.0 && b < 0.05);
}

/* Above 64 servers Erlang B comes from the Poisson law (queueing.c); it must
 * equal the recursion B(k) = a B(k-1) / (k + a B(k-1)), run here by hand,
 * from light to heavy load and for pools of 65 to 2000 servers. */
static void erlang_large_pools(void)
{
    static const int cs[] = {65, 100, 500, 1000, 2000};
    static const double loads[] = {0.3, 0.8, 0.95, 1.0, 1.2};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
        for (size_t j = 0; j < sizeof loads / sizeof loads[0]; j++) {
            double a = loads[j] * cs[i], rec = 1.0;
            for (int k = 1; k <= cs[i]; k++)
                rec = a * rec / ((double)k + a * rec);
            double b = dcs_erlang_b(cs[i], a);
            if (fabs(b - rec) > 1e-9 * rec + 1e-300)
                printf("c %d a %g: %.17g vs recursion %.17g\n", cs[i], a, b, rec);
            CHECK_NEAR(b, rec, 1e-9);
        }
}

/* A replica whose iteration over T tokens takes exactly T * 10 us:
 * 2 * active * T / (peak * eff) with active 1e9, peak 4e14, eff 0.5
 * -> 2e9 / 2e14 = 1e-5 s per token; weights 1e9 * 1e-9 B and 1 B of KV per
 * token make the memory time ~1e-12 s. */
static dcs_serving_params exp_server(void)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){1e9, 1e9, 1e-9, 1.0};
    p.gpu = (dcs_gpu_spec){4e14, 1e12, 1e12, 50.0, 300.0};
    p.gpus = 1;
    p.compute_eff = 0.5;
    p.max_batch = 1;
    p.prefill_chunk_tokens = 1 << 30;
    p.queue_capacity = 1;
    return p;
}

enum { MAX_C = 4, QCAP = 1 << 16 };

/* Simulate `n` customers through c replicas at arrival rate lambda (mean
 * service 0.1 s); returns the grand mean wait and fills the half width of
 * its 99 % confidence interval from 20 batch means. */
static double simulate_wait(int c, double lambda, int n, unsigned long seed, double *half)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, seed);
    dcs_serving_params p = exp_server();
    dcs_replica *rep[MAX_C];
    dcs_time busy_until[MAX_C];
    for (int i = 0; i < c; i++) {
        CHECK_INT(dcs_replica_alloc(&p, &rep[i]), DCS_OK);
        busy_until[i] = DCS_TIME_MAX;
    }
    static dcs_request queue[QCAP];
    int qh = 0, ql = 0;
    const int warm = n / 10, nbatch = 20;
    double batch_sum[20] = {0};
    int per_batch = (n - warm) / nbatch, served = 0;
    dcs_time next_arrival = 0;
    uint64_t id = 0;
    int api_ok = 1;    /* every replica call inside the loop succeeded */
    while (served < n) {
        /* Next event: the earliest iteration end, else the next arrival
         * (ends first on ties so a freed replica can take the newcomer). */
        int who = -1;
        dcs_time t = next_arrival;
        for (int i = 0; i < c; i++)
            if (busy_until[i] <= t) {
                t = busy_until[i];
                who = i;
            }
        if (who >= 0) {
            dcs_request_done d;
            api_ok &= dcs_replica_finish_iteration(rep[who], t, &d, 1) == 1;
            if (served >= warm && served - warm < per_batch * nbatch)
                batch_sum[(served - warm) / per_batch] += d.queue_s;
            served++;
            busy_until[who] = DCS_TIME_MAX;
        } else {
            double svc_tokens = ceil(gsl_ran_exponential(rng, 10000.0));
            queue[(qh + ql) % QCAP] = (dcs_request){
                .id = id++, .arrival = t, .prompt_tokens = (int32_t)svc_tokens,
                .output_tokens = 1};
            ql++;
            api_ok &= ql < QCAP;
            double gap = gsl_ran_exponential(rng, 1.0 / lambda);
            next_arrival = t + (dcs_time)nearbyint(gap * 1e9);
        }
        /* Idle replicas take the head of the queue. */
        for (int i = 0; i < c && ql > 0; i++) {
            if (busy_until[i] != DCS_TIME_MAX)
                continue;
            api_ok &= dcs_replica_admit(rep[i], &queue[qh]);
            qh = (qh + 1) % QCAP;
            ql--;
            dcs_iteration it;
            api_ok &= dcs_replica_start_iteration(rep[i], t, &it);
            busy_until[i] = t + it.duration;
        }
    }
    CHECK(api_ok);
    double means[20];
    for (int b = 0; b < nbatch; b++)
        means[b] = batch_sum[b] / per_batch;
    double m = gsl_stats_mean(means, 1, (size_t)nbatch);
    double sd = gsl_stats_sd_m(means, 1, (size_t)nbatch, m);
    *half = gsl_cdf_tdist_Pinv(0.995, nbatch - 1) * sd / sqrt(nbatch);
    for (int i = 0; i < c; i++)
        dcs_replica_free(rep[i]);
    gsl_rng_free(rng);
    return m;
}

/* M/M/1, rho = 0.7: Wq = 0.7 / (10 - 7) = 0.2333 s. */
static void mm1_matches_theory(void)
{
    double half;
    double w = simulate_wait(1, 7.0, 400000, 2385, &half);
    double theory = dcs_mmc_wait_s(7.0, 10.0, 1);
    fprintf(stderr, "    M/M/1: sim %.5f +- %.5f s, theory %.5f s\n", w, half, theory);
    CHECK(fabs(w - theory) <= half);
    CHECK(half < 0.1 * theory);   /* the interval is informative */
}

/* M/M/4 at 32/s into 4 x 10/s (a = 3.2, rho = 0.8): C(4, 3.2) = 0.59643,
 * Wq = 0.59643 / (40 - 32) = 0.074554 s. */
static void mmc_matches_theory(void)
{
    double half;
    double w = simulate_wait(4, 32.0, 400000, 977, &half);
    double theory = dcs_mmc_wait_s(32.0, 10.0, 4);
    CHECK_NEAR(theory, 0.7455405897342559 / 10.0, 1e-12);
    fprintf(stderr, "    M/M/4: sim %.5f +- %.5f s, theory %.5f s\n", w, half, theory);
    CHECK(fabs(w - theory) <= half);
    CHECK(half < 0.1 * theory);
}

int main(void)
{
    RUN(erlang_by_hand);
    RUN(erlang_large_pools);
    RUN(mm1_matches_theory);
    RUN(mmc_matches_theory);
    return TEST_END();
}
