/* test_site_work.c - serving replicas inside the site LP, driven by the
 * engine on hand-made configs: queueing against closed forms, energy
 * against a hand-summed replay, the trace partition between two sites,
 * fluid against detailed, determinism over thread counts, throughput. */
#include <time.h>

#include "dcsim/fluid.h"
#include "dcsim/queueing.h"
#include "harness.h"
#include "test_site_work_fixture.h"

/* Output tokens about exponential with mean ~mean: the quantile table of
 * 0.5 + Exp(mean) (the 0.5 keeps every count >= 1 after rounding), cut at
 * the 0.999 quantile. */
static dcs_token_dist exp_tokens(double mean)
{
    dcs_token_dist d = {.median = 1, .sigma = 0, .max_tokens = 100000};
    d.n_quantiles = dcs_tokens_table_probs(d.probs);
    for (int i = 0; i < d.n_quantiles; i++) {
        double p = d.probs[i] < 0.999 ? d.probs[i] : 0.999;
        d.quantiles[i] = 0.5 + -mean * log1p(-p) + 1e-9 * i;   /* strictly ascending */
    }
    d.max_tokens = (int32_t)ceil(d.quantiles[d.n_quantiles - 1]);
    return d;
}

/* Service time of a request with n output tokens and a 1-token prompt on
 * a lone replica with batching off: the e2e of a standalone replay. */
static double service_s(const dcs_serving_params *p, int n)
{
    dcs_replica *r;
    if (dcs_replica_alloc(p, &r) != DCS_OK)
        abort();
    dcs_request q = {.prompt_tokens = 1, .output_tokens = n};
    dcs_replica_admit(r, &q);
    dcs_request_done d = {0};
    dcs_iteration it;
    dcs_time t = 0;
    while (dcs_replica_start_iteration(r, t, &it)) {
        t += it.duration;
        if (dcs_replica_finish_iteration(r, t, &d, 1) > 0)
            break;
    }
    dcs_replica_free(r);
    return d.e2e_s;
}

/* E[S] and the squared coefficient of variation of the service time under
 * the token law (pmf of the rounded draw from its continuous CDF). */
static void service_moments(const dcs_serving_params *p, const dcs_token_dist *out, double *mean,
                            double *cv2)
{
    double m1 = 0, m2 = 0;
    for (int n = 1; n <= out->max_tokens; n++) {
        double lo = n == 1 ? 0.0 : dcs_tokens_cdf(out, n - 0.5);
        double hi = n == out->max_tokens ? 1.0 : dcs_tokens_cdf(out, n + 0.5);
        if (hi <= lo)
            continue;
        double s = service_s(p, n);
        m1 += (hi - lo) * s;
        m2 += (hi - lo) * s * s;
    }
    *mean = m1;
    *cv2 = m2 / (m1 * m1) - 1.0;
}

/* c replicas, batching off, Poisson arrivals at load rho: the mean wait
 * (mean e2e minus E[S]; round trip 0) against the M/M/c wait scaled by
 * (1 + CV^2) / 2 for the service law's variability (Pollaczek-Khinchine,
 * exact for c = 1; the Allen-Cunneen approximation for c > 1). */
static void queue_case(int c, double rho, dcs_time duration, double tol, double tol_up,
                       const char *what)
{
    fixture *f = fx_new(1, 1, c, 1, 0.0, duration);
    f->wl[0].prompt = (dcs_token_dist){.median = 1, .sigma = 0, .max_tokens = 1};
    f->wl[0].output = exp_tokens(20.0);
    double es, cv2;
    service_moments(&f->pool[0][0].serving, &f->wl[0].output, &es, &cv2);
    double lambda = rho * c / es;
    f->wl[0].rate.mean_rate = lambda;
    dcs_engine *e = fx_run(f, 1, 7);
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    double wait = dcs_lathist_mean_s(&r.stats[0].e2e) - es;
    double want = dcs_mmc_wait_s(lambda, 1.0 / es, c) * (1.0 + cv2) / 2.0;
    printf("%s: %llu requests, E[S] %.4f s, CV^2 %.3f, wait %.4f s, formula %.4f s\n", what,
           (unsigned long long)r.stats[0].requests, es, cv2, wait, want);
    /* Expected requests lambda T, Poisson sd sqrt(lambda T): 5 sd. */
    double n = lambda * dcs_time_to_s(duration);
    CHECK_ABS((double)r.stats[0].requests, n, 5 * sqrt(n) + c);
    /* Within tol below and tol_up above the central-queue formula. */
    CHECK(wait >= want * (1 - tol) && wait <= want * (1 + tol_up));
    if (c > 1) {
        /* Never worse than c separate M/M/1 queues at lambda / c (random
         * dispatch): the bound least-loaded dispatch must beat. */
        double split = dcs_mmc_wait_s(lambda / c, 1.0 / es, 1) * (1.0 + cv2) / 2.0;
        printf("%s: separate queues would wait %.4f s\n", what, split);
        CHECK(wait < 0.5 * split);
    }
    CHECK_INT(r.stats[0].dropped, 0);
    fx_release(e);
    free(f);
}

/* One replica at rho 0.5, ~60,000 requests over 4 h: the relative sd of
 * the mean M/M/1 wait over n requests is about sqrt(29 / n) = 2.2 %
 * (asymptotic variance of the M/M/1 waiting-time mean, ~29 / mu^2 at
 * rho 0.5), so 10 % is more than 4 sd. */
static void mm1(void) { queue_case(1, 0.5, 4 * DCS_HOUR, 0.10, 0.10, "M/M/1"); }

/* Four replicas at rho 0.7.  Least-loaded dispatch joins the shortest
 * queue at arrival instead of holding one central queue, so a request may
 * wait behind a long service while another replica goes idle: its mean
 * wait lies above the M/M/c formula (about 40 % here; measured 0.061 s
 * against 0.043 s) and far below c separate queues (0.29 s).  Checked:
 * within 10 % below and 60 % above M/M/c, and under half of the separate
 * queues' wait. */
static void mmc(void) { queue_case(4, 0.7, 4 * DCS_HOUR, 0.10, 0.60, "M/M/4"); }

/* A five-row trace on one replica (one GPU, no node overheads, PSU 1):
 * the site's IT energy must equal the hand-summed replay of the same
 * requests on a standalone replica (iteration power x duration) plus idle
 * power (1 GPU x 70 W) for the rest of the 120 s. */
static void energy(void)
{
    fixture *f = fx_new(1, 1, 1, 256, 0.0, 120 * DCS_SECOND);
    fx_bare_nodes(f, 1);
    dcs_time at[5] = {1 * DCS_SECOND, 2 * DCS_SECOND, 2 * DCS_SECOND + 1000000,
                      10 * DCS_SECOND, 50 * DCS_SECOND};
    int32_t pt[5] = {1000, 300, 2000, 50, 4000}, ot[5] = {200, 20, 100, 500, 10};
    dcs_llm_trace tr = {.n = 5, .at = at, .prompt_tokens = pt, .output_tokens = ot};
    f->wl[0].from_trace = true;
    f->wl[0].trace = &tr;
    f->wl[0].time_scale = 1.0;
    dcs_engine *e = fx_run(f, 1, 1);
    dcs_site_results sr;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sr);
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);

    /* The replay: arrivals and iteration ends in time order (no ties). */
    dcs_replica *rep;
    CHECK_INT(dcs_replica_alloc(&f->pool[0][0].serving, &rep), DCS_OK);
    double busy_j = 0, busy_s = 0;
    dcs_request_done done[256];
    dcs_iteration it;
    bool running = false;
    dcs_time end_it = 0;
    int next = 0, finished = 0;
    while (next < 5 || running) {
        if (running && (next == 5 || end_it <= at[next])) {
            finished += dcs_replica_finish_iteration(rep, end_it, done, 256);
            running = dcs_replica_start_iteration(rep, end_it, &it);
            if (running) {
                busy_j += it.power_w * dcs_time_to_s(it.duration);
                busy_s += dcs_time_to_s(it.duration);
                end_it += it.duration;
            }
            continue;
        }
        dcs_request q = {.id = (uint64_t)next, .arrival = at[next], .prompt_tokens = pt[next],
                         .output_tokens = ot[next]};
        CHECK(dcs_replica_admit(rep, &q));
        if (!running && dcs_replica_start_iteration(rep, at[next], &it)) {
            running = true;
            busy_j += it.power_w * dcs_time_to_s(it.duration);
            busy_s += dcs_time_to_s(it.duration);
            end_it = at[next] + it.duration;
        }
        next++;
    }
    dcs_replica_free(rep);
    CHECK_INT(finished, 5);
    CHECK_INT(r.stats[0].requests, 5);
    double want = busy_j + 70.0 * (120.0 - busy_s);
    printf("energy: busy %.3f s, %.1f J; site IT %.1f J, want %.1f J\n", busy_s, busy_j,
           sr.account->energy.it_j, want);
    CHECK_NEAR(sr.account->energy.it_j, want, 1e-9);
    CHECK_NEAR(r.stats[0].energy_j, want, 1e-9);   /* the only workload, no overheads */
    CHECK_NEAR(r.gpu_busy_s, busy_s, 1e-9);
    fx_release(e);
    free(f);
}

/* Scale from zero: one replica kept at 0 (sleep_w 0) and one request at
 * 100 s.  The request wakes it (wake_s 30 s at idle power), waits for the
 * wake, runs, and the idle replica goes back to sleep: IT energy =
 * 70 W x 30 s + the iterations' energy, and the request's e2e is 30 s
 * plus its service time. */
static void scale_from_zero(void)
{
    fixture *f = fx_new(1, 1, 1, 256, 0.0, 300 * DCS_SECOND);
    fx_bare_nodes(f, 1);
    f->act.replicas[0] = 0;
    dcs_time at[1] = {100 * DCS_SECOND};
    int32_t pt[1] = {500}, ot[1] = {40};
    dcs_llm_trace tr = {.n = 1, .at = at, .prompt_tokens = pt, .output_tokens = ot};
    f->wl[0].from_trace = true;
    f->wl[0].trace = &tr;
    f->wl[0].time_scale = 1.0;
    dcs_engine *e = fx_run(f, 1, 1);
    dcs_site_results sr;
    dcs_site_work_results r;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sr);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    /* The same request on an awake standalone replica. */
    dcs_replica *rep;
    CHECK_INT(dcs_replica_alloc(&f->pool[0][0].serving, &rep), DCS_OK);
    dcs_request q = {.prompt_tokens = 500, .output_tokens = 40};
    dcs_replica_admit(rep, &q);
    dcs_iteration it;
    dcs_request_done d = {0};
    dcs_time t = 0;
    double busy_j = 0;
    while (dcs_replica_start_iteration(rep, t, &it)) {
        t += it.duration;
        busy_j += it.power_w * dcs_time_to_s(it.duration);
        if (dcs_replica_finish_iteration(rep, t, &d, 1) > 0)
            break;
    }
    dcs_replica_free(rep);
    CHECK_INT(r.stats[0].requests, 1);
    CHECK_NEAR(dcs_lathist_mean_s(&r.stats[0].e2e), 30.0 + d.e2e_s, 1e-9);
    CHECK_NEAR(sr.account->energy.it_j, 70.0 * 30.0 + busy_j, 1e-9);
    fx_release(e);
    free(f);
}

/* Two of four replicas kept (sleep_w 0) at 60 % of two replicas'
 * capacity: only the kept two work (continuous batching keeps them
 * iterating), so the busy GPU share of the 8-GPU node is exactly 2 / 8 in
 * every period, and every offered request is served (Poisson, 5 sd). */
static void kept_replicas(void)
{
    fixture *f = fx_new(1, 1, 4, 256, 0.0, DCS_HOUR);
    f->wl[0].rate.mean_rate = 0.6 * 2 * fx_capacity_rate(f);
    f->act.replicas[0] = 2;
    dcs_engine *e = fx_run(f, 1, 13);
    dcs_site_results sr;
    dcs_site_work_results r;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sr);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    for (size_t k = 1; k < sr.nrows; k++)
        CHECK_NEAR(sr.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_gpu_util], 0.25, 1e-9);
    double n = f->wl[0].rate.mean_rate * 3600.0;
    CHECK_ABS((double)r.stats[0].requests, n, 5 * sqrt(n));
    CHECK_INT(r.stats[0].dropped, 0);
    fx_release(e);
    free(f);
}

/* Two workloads of 4 one-GPU replicas each on one 8-GPU node, 4 of the 8
 * replicas kept: each workload keeps its share, 2 of its 4 (not the 4
 * lowest-numbered replicas, which would all be the first workload's).
 * Each gets 0.6 of what 2 replicas can serve, so its 2 kept replicas stay
 * busy and the others sleep: exactly 4 of 8 GPUs busy after the first
 * sample, and both workloads served without drops. */
static void kept_share_per_workload(void)
{
    fixture *f = fx_new(1, 1, 4, 256, 0.0, DCS_HOUR);
    f->wl[0].rate.mean_rate = 0.6 * 2 * fx_capacity_rate(f);
    f->wl[1] = f->wl[0];
    f->wl[1].name = "code";
    f->work.nworkloads = 2;
    f->pool[0][1] = f->pool[0][0];
    f->pool[0][1].workload = 1;
    f->cfg[0].npools = 2;
    f->act.split[1][0][0] = 1.0;
    f->act.replicas[0] = 4;
    dcs_engine *e = fx_run(f, 1, 13);
    dcs_site_results sr;
    dcs_site_work_results r;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sr);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    for (size_t k = 1; k < sr.nrows; k++)
        CHECK_NEAR(sr.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_gpu_util], 0.5, 1e-9);
    double n = f->wl[0].rate.mean_rate * 3600.0;
    for (int w = 0; w < 2; w++) {
        CHECK_ABS((double)r.stats[w].requests, n, 5 * sqrt(n));
        CHECK_INT(r.stats[w].dropped, 0);
    }
    fx_release(e);
    free(f);
}

/* Two sites replay one 20,000-row trace with split 0.3 / 0.7: every row
 * is served by exactly one (completions add up to the rows; queues are
 * far from full) and site a's share is 0.3 within 4 sd (sd =
 * sqrt(0.21 / 20000) = 0.32 %). */
static void trace_partition(void)
{
    enum { N = 20000 };
    fixture *f = fx_new(2, 1, 2, 256, 0.0, 3 * DCS_HOUR);
    dcs_time *at = malloc(N * sizeof *at);
    int32_t *pt = malloc(N * sizeof *pt), *ot = malloc(N * sizeof *ot);
    for (int i = 0; i < N; i++) {
        at[i] = (dcs_time)i * 500 * 1000000;     /* one row every 0.5 s: 10,000 s */
        pt[i] = 100 + i % 50;
        ot[i] = 10 + i % 7;
    }
    dcs_llm_trace tr = {.n = N, .at = at, .prompt_tokens = pt, .output_tokens = ot};
    f->wl[0].from_trace = true;
    f->wl[0].trace = &tr;
    f->wl[0].time_scale = 1.0;
    f->act.split[0][0][0] = 0.3;
    f->act.split[0][0][1] = 0.7;
    dcs_engine *e = fx_run(f, 1, 3);
    dcs_site_work_results a, b;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &a);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 1), &b);
    uint64_t na = a.stats[0].requests + a.stats[0].dropped;
    uint64_t nb = b.stats[0].requests + b.stats[0].dropped;
    printf("trace partition: %llu + %llu of %d rows\n", (unsigned long long)na,
           (unsigned long long)nb, N);
    CHECK_INT(na + nb, N);
    CHECK_ABS((double)na / N, 0.3, 4 * sqrt(0.21 / N));
    fx_release(e);
    /* Split summing to 0.5: about half the rows are served nowhere. */
    f->act.split[0][0][0] = 0.2;
    f->act.split[0][0][1] = 0.3;
    e = fx_run(f, 1, 3);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &a);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 1), &b);
    na = a.stats[0].requests;
    nb = b.stats[0].requests;
    CHECK_ABS((double)(na + nb) / N, 0.5, 4 * sqrt(0.25 / N));
    CHECK_ABS((double)na / N, 0.2, 4 * sqrt(0.16 / N));
    fx_release(e);
    /* Fluid mode: each site serves the period's rows times its share. */
    f->work.fidelity = DCS_WORK_FLUID;
    e = fx_run(f, 1, 3);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &a);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 1), &b);
    printf("trace, fluid: %llu + %llu of %d rows at split 0.2 / 0.3\n",
           (unsigned long long)a.stats[0].requests, (unsigned long long)b.stats[0].requests, N);
    CHECK_NEAR((double)a.stats[0].requests, 0.2 * N, 0.01);
    CHECK_NEAR((double)b.stats[0].requests, 0.3 * N, 0.01);
    fx_release(e);
    free(at);
    free(pt);
    free(ot);
    free(f);
}

/* Bursts (10 x for 5 min, every 20 min on average) seen alike by two
 * sites with half the traffic each: the completions of the minute before
 * each 2-minute sample agree within 25 % at every sample (Poisson sd of a
 * quiet minute at ~6.5 req/s per site: 5 %), and some minutes are bursts
 * (above twice the mean).  Independent burst timelines would differ by
 * a factor 10 in about a third of the samples. */
static void common_bursts(void)
{
    fixture *f = fx_new(2, 1, 8, 256, 30.0, 4 * DCS_HOUR);
    f->wl[0].burst = (dcs_burst_params){.factor = 10.0, .mean_on_s = 300, .mean_off_s = 1200};
    for (int s = 0; s < 2; s++)
        f->cfg[s].sample_period = 120 * DCS_SECOND;
    dcs_engine *e = fx_run(f, 1, 21);
    dcs_site_results a, b;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &a);
    dcs_site_results_of(dcs_engine_lp_state(e, 1), &b);
    CHECK_INT(a.nrows, b.nrows);
    int bursts = 0, close = 0;
    for (size_t k = 1; k < a.nrows; k++) {
        double ra = a.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_requests_per_s];
        double rb = b.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_requests_per_s];
        close += fabs(ra - rb) <= 0.25 * fmax(ra, rb);
        bursts += ra > 2 * 15.0;
    }
    printf("bursts: %d of %zu samples in a burst, %d agree\n", bursts, a.nrows - 1, close);
    CHECK_INT(close, (int)a.nrows - 1);
    CHECK(bursts >= 5);
    dcs_site_work_results wd;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &wd);
    uint64_t n_detailed = wd.stats[0].requests;
    fx_release(e);
    /* The fluid mode walks the same burst chain: same request count
     * within 3 % (Poisson sd of ~200,000 requests: 0.2 %). */
    f->work.fidelity = DCS_WORK_FLUID;
    e = fx_run(f, 1, 21);
    dcs_site_work_results wf;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &wf);
    printf("bursts: detailed %llu, fluid %llu requests\n", (unsigned long long)n_detailed,
           (unsigned long long)wf.stats[0].requests);
    CHECK_NEAR((double)wf.stats[0].requests, (double)n_detailed, 0.03);
    fx_release(e);
    free(f);
}

/* Same config and seed with 1 and 2 engine threads: bit-identical
 * statistics, energies and series at both sites. */
static void determinism(void)
{
    fixture *f = fx_new(2, 2, 4, 256, 40.0, 2 * DCS_HOUR);
    f->act.split[0][0][0] = 0.4;
    f->act.split[0][0][1] = 0.6;
    f->wl[0].burst = (dcs_burst_params){.factor = 3.0, .mean_on_s = 300, .mean_off_s = 1200};
    dcs_engine *e1 = fx_run(f, 1, 11);
    dcs_engine *e2 = fx_run(f, 2, 11);
    for (uint32_t s = 0; s < 2; s++) {
        dcs_site_work_results r1, r2;
        dcs_site_results s1, s2;
        dcs_site_work_results_of(dcs_engine_lp_state(e1, s), &r1);
        dcs_site_work_results_of(dcs_engine_lp_state(e2, s), &r2);
        dcs_site_results_of(dcs_engine_lp_state(e1, s), &s1);
        dcs_site_results_of(dcs_engine_lp_state(e2, s), &s2);
        CHECK(r1.stats[0].requests > 1000);
        CHECK(memcmp(r1.stats, r2.stats, sizeof *r1.stats) == 0);
        CHECK(memcmp(s1.account, s2.account, sizeof *s1.account) == 0);
        CHECK_INT(s1.nrows, s2.nrows);
        CHECK(memcmp(s1.rows, s2.rows, s1.nrows * DCS_SITE_NCOLS * sizeof *s1.rows) == 0);
    }
    fx_release(e1);
    fx_release(e2);
    free(f);
}

/* A steady hour at 60 % of four replicas' capacity: the fluid mode's IT
 * energy and completions within a few per cent of the detailed mode's
 * (the `fluid` work tightens this agreement). */
static void fluid_vs_detailed(void)
{
    fixture *f = fx_new(1, 1, 4, 256, 0.0, DCS_HOUR);
    f->wl[0].rate.mean_rate = 0.6 * 4 * fx_capacity_rate(f);
    dcs_engine *e = fx_run(f, 1, 5);
    dcs_site_results sd;
    dcs_site_work_results rd;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sd);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &rd);
    double it_d = sd.account->energy.it_j, e_d = rd.stats[0].energy_j;
    uint64_t n_d = rd.stats[0].requests;
    double busy_d = rd.gpu_busy_s;
    /* Series: the completions of the minute before each 10-minute sample
     * (~261 x 60 = 15,700, Poisson sd 0.8 %) are the offered rate within
     * 5 %; the GPUs of the four replicas (of eight) are busy all along. */
    CHECK_INT(sd.nrows, 6);      /* at 0, 10, ..., 50 min */
    for (size_t k = 1; k < sd.nrows; k++) {
        const double *row = &sd.rows[k * DCS_SITE_NCOLS];
        CHECK_NEAR(row[DCS_SITE_COL_requests_per_s], f->wl[0].rate.mean_rate, 0.05);
        CHECK_NEAR(row[DCS_SITE_COL_gpu_util], 0.5, 1e-9);
        CHECK_NEAR(row[DCS_SITE_COL_power_cap], 1.0, 0);
        CHECK(row[DCS_SITE_COL_queue_len] >= 0);
    }
    fx_release(e);
    f->work.fidelity = DCS_WORK_FLUID;
    e = fx_run(f, 1, 5);
    dcs_site_results sf;
    dcs_site_work_results rf;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sf);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &rf);
    printf("fluid vs detailed: rate %.2f/s, IT %.4g vs %.4g J, workload %.4g vs %.4g J, "
           "requests %llu vs %llu, busy %.0f vs %.0f GPU-s\n",
           f->wl[0].rate.mean_rate, sf.account->energy.it_j, it_d, rf.stats[0].energy_j, e_d,
           (unsigned long long)rf.stats[0].requests, (unsigned long long)n_d, rf.gpu_busy_s,
           busy_d);
    CHECK_NEAR(sf.account->energy.it_j, it_d, 0.03);
    CHECK_NEAR(rf.stats[0].energy_j, e_d, 0.05);
    CHECK_NEAR((double)rf.stats[0].requests, (double)n_d, 0.03);
    fx_release(e);
    free(f);
}

/* Throughput of the detailed mode: 8 replicas with batching at 70 % of
 * capacity for 2 h; prints simulated requests per wall second (noisy on a
 * shared machine: checked only to be positive). */
static void throughput(void)
{
    fixture *f = fx_new(1, 1, 8, 256, 0.0, 2 * DCS_HOUR);
    f->wl[0].rate.mean_rate = 0.7 * 8 * fx_capacity_rate(f);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dcs_engine *e = fx_run(f, 1, 9);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    double n = (double)r.stats[0].requests;
    printf("throughput: %.0f requests (%.1f/s offered), %llu events in %.3f s wall: "
           "%.0f requests/s, %.0f events/s\n",
           n, f->wl[0].rate.mean_rate, (unsigned long long)dcs_engine_events(e), wall,
           n / wall, (double)dcs_engine_events(e) / wall);
    CHECK(n > 0 && wall > 0);
    fx_release(e);
    free(f);
}

int main(void)
{
    RUN(energy);
    RUN(scale_from_zero);
    RUN(kept_replicas);
    RUN(kept_share_per_workload);
    RUN(trace_partition);
    RUN(mm1);
    RUN(mmc);
    RUN(common_bursts);
    RUN(determinism);
    RUN(fluid_vs_detailed);
    RUN(throughput);
    return TEST_END();
}
