/*
 * test_controller_obs.c - the controller's observation without an engine:
 * the static part from site configs (dcs_controller_static_obs), the part
 * that follows from time (dcs_controller_obs_at: grid signals, Poisson and
 * trace demand, job deadlines) and the initial action.
 *
 * Hand values are in each case's comments; the serving model is
 * Llama-3.1-8B on one H100 as in test_fluid.c, the GPU the H100 defaults
 * of accel.c (idle 70 W, max 700 W, clock_min 0.5, exponent 3).
 */
#include <math.h>
#include <string.h>

#include "dcsim/control.h"
#include "dcsim/fluid.h"
#include "dcsim/power.h"
#include "dcsim/site.h"
#include "harness.h"

static dcs_serving_params llama8b_h100(void)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){8.03e9, 8.03e9, 2.0, 131072.0};
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.gpus = 1;
    p.wake_s = 45.0;
    return p;
}

/* Azure conversation 2023 fit (scenarios/catalog/workloads.yaml). */
static const dcs_token_dist conv_prompt = {.median = 760.00, .sigma = 0.9852, .max_tokens = 14050};
static const dcs_token_dist conv_output = {.median = 151.26, .sigma = 0.8590, .max_tokens = 1000};
/* A short-answer law, so the two workloads' capacities differ. */
static const dcs_token_dist short_output = {.median = 20.0, .sigma = 0.5, .max_tokens = 200};

/* Trace rows at 0, 0.5, 1, 1.5, 2 and 8 s. */
static dcs_time trace_at[6] = {0, 500000000, 1000000000, 1500000000, 2000000000, 8000000000};
static int32_t trace_tokens[6] = {100, 100, 100, 100, 100, 100};

typedef struct fixture {
    dcs_work_wl wl[3];
    dcs_work_config work;
    dcs_llm_trace trace;
    dcs_site_cluster cl0[1], cl1[2];
    dcs_site_pool pools[3];
    dcs_site_job jobs[2];
    dcs_site_config site[2];
} fixture;

/* Two sites, two regions, three workloads: 0 chat (Poisson), 1 answers
 * (a looped trace), 2 training (jobs only). */
static void make_fixture(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->trace = (dcs_llm_trace){6, trace_at, trace_tokens, trace_tokens};
    dcs_work_wl *wl = f->wl;
    wl[0] = (dcs_work_wl){.name = "chat", .prompt = conv_prompt, .output = conv_output,
                          .rate = {.mean_rate = 50.0, .peak_to_mean = 1.0,
                                   .weekend_factor = 1.0},
                          .region_share = {0.25, 0.75}, .allowed = {true, true}};
    wl[0].slo.e2e_s = 2.0;
    wl[1] = (dcs_work_wl){.name = "answers", .prompt = conv_prompt, .output = short_output,
                          .from_trace = true, .trace = &f->trace, .time_scale = 1.0,
                          .loop = true, .region_share = {1.0, 0.0}, .allowed = {true, false}};
    wl[2] = (dcs_work_wl){.name = "train", .deferrable = true, .region_share = {1.0, 0.0},
                          .allowed = {true, true}};
    f->work = (dcs_work_config){.control_period = 4 * DCS_SECOND, .nworkloads = 3,
                                .nregions = 2, .nsites = 2, .wl = wl};
    f->work.rtt_s[0][0] = 0.01;
    f->work.rtt_s[0][1] = 0.08;
    f->work.rtt_s[1][0] = 0.09;
    f->work.rtt_s[1][1] = 0.02;

    dcs_accel_params gpu;
    dcs_accel_defaults(&gpu);
    f->cl0[0] = (dcs_site_cluster){.name = "a", .nodes = 4};
    dcs_node_defaults(&f->cl0[0].node, &gpu);
    f->cl1[0] = (dcs_site_cluster){.name = "b", .nodes = 2};
    dcs_node_defaults(&f->cl1[0].node, &gpu);
    f->cl1[1] = f->cl1[0];
    f->cl1[1].nodes = 3;

    dcs_serving_params sp = llama8b_h100();
    f->pools[0] = (dcs_site_pool){.workload = 0, .cluster = 0, .replicas = 2, .serving = sp};
    f->pools[1] = (dcs_site_pool){.workload = 0, .cluster = 0, .replicas = 3, .serving = sp};
    f->pools[2] = (dcs_site_pool){.workload = 1, .cluster = 0, .replicas = 1, .serving = sp};
    f->pools[2].serving.wake_s = 30.0;
    f->jobs[0] = (dcs_site_job){.job = {.id = 0, .gpus = 8, .work = 2 * DCS_HOUR,
                                        .deadline = 5 * DCS_HOUR},
                                .workload = 2, .policy_slot = 1};
    f->jobs[1] = (dcs_site_job){.job = {.id = 1, .gpus = 8, .work = DCS_HOUR,
                                        .deadline = DCS_TIME_MAX},
                                .workload = 2, .policy_slot = -1};

    f->site[0] = (dcs_site_config){.name = "s0", .clusters = f->cl0, .nclusters = 1,
                                   .power_limit_w = 0.0, .work = &f->work, .site_index = 0,
                                   .pools = f->pools, .npools = 3, .jobs = f->jobs,
                                   .njobs = 2};
    f->site[1] = (dcs_site_config){.name = "s1", .clusters = f->cl1, .nclusters = 2,
                                   .power_limit_w = 5e5, .work = &f->work, .site_index = 1};
}

static void static_obs_from_configs(void)
{
    static fixture f;
    static dcs_policy_obs o;
    make_fixture(&f);
    dcs_controller_static_obs(&f.work, f.site, 2, &o);
    CHECK_INT(o.nsites, 2);
    CHECK_INT(o.nregions, 2);
    CHECK_INT(o.nworkloads, 3);
    CHECK_NEAR(o.period_s, 4.0, 1e-15);
    CHECK_NEAR(o.region[1].rtt_s[0], 0.09, 1e-15);
    CHECK_NEAR(o.workload[0].slo_p99_s, 2.0, 1e-15);
    CHECK_NEAR(o.workload[1].slo_p99_s, 0.0, 0.0);
    CHECK(o.workload[1].allowed[0] && !o.workload[1].allowed[1]);

    /* Site 0: no limit is +inf; 2 + 3 chat replicas and 1 answers
     * replica, each at the fluid model's capacity at full clock. */
    const dcs_policy_site_obs *s0 = &o.site[0], *s1 = &o.site[1];
    CHECK(isinf(s0->power_limit_w) && s0->power_limit_w > 0.0);
    CHECK_NEAR(s1->power_limit_w, 5e5, 1e-15);
    dcs_fluid_calib calib;
    dcs_fluid_calib_default(&calib);
    dcs_serving_params sp = llama8b_h100();
    dcs_fluid_model m0, m1;
    dcs_fluid_prepare(&m0, &sp, &calib, &conv_prompt, &conv_output, 1.0);
    dcs_fluid_prepare(&m1, &sp, &calib, &conv_prompt, &short_output, 1.0);
    CHECK(m0.capacity_rate > 0.0 && m1.capacity_rate > m0.capacity_rate);
    CHECK_NEAR(s0->capacity_rps[0], 5.0 * m0.capacity_rate, 1e-12);
    CHECK_NEAR(s0->capacity_rps[1], 1.0 * m1.capacity_rate, 1e-12);
    CHECK_ABS(s0->capacity_rps[2], 0.0, 0.0);
    CHECK_INT(s0->replicas_total, 6);
    CHECK_INT(s0->replicas_up, 6);
    CHECK_NEAR(s0->wake_delay_s, 45.0, 1e-15);   /* the longer of 45 and 30 s */
    CHECK_INT(s1->replicas_total, 0);
    CHECK_ABS(s1->capacity_rps[0], 0.0, 0.0);

    /* Clusters: maximum = nodes x node power at full load, which is within
     * the DGX H100's 10.2 kW maximum input (FACTS.md 1); lowest cap
     * (70 + 630 x 0.5^3) / 700 = 148.75 / 700 = 0.2125. */
    double node_w = dcs_node_power_w(&f.cl0[0].node, 1.0, 1.0, 1.0);
    CHECK(node_w > 7000.0 && node_w <= 10200.0);
    CHECK_INT(s0->nclusters, 1);
    CHECK_INT(s1->nclusters, 2);
    CHECK_NEAR(s0->cluster_max_w[0], 4.0 * node_w, 1e-12);
    CHECK_NEAR(s1->cluster_max_w[1], 3.0 * node_w, 1e-12);
    CHECK_NEAR(s0->cluster_cap_min[0], 0.2125, 1e-12);
    CHECK_NEAR(s1->cluster_cap_now[1], 1.0, 0.0);

    /* Jobs: only the one with a policy slot, in slot 1. */
    CHECK_INT(o.njobs, 2);
    CHECK_INT(o.job[1].site, 0);
    CHECK_INT(o.job[1].workload, 2);
    CHECK_NEAR(o.job[1].remaining_s, 7200.0, 1e-15);
    CHECK_NEAR(o.job[1].deadline_s, 18000.0, 1e-15);

    /* The controller's job map: slot 1 is job 0 of site 0; slot 0 is
     * nobody's. */
    static dcs_controller_config c;
    dcs_controller_config_jobs(f.site, 2, &c);
    CHECK_INT(c.njobs, 2);
    CHECK_INT(c.job_site[1], 0);
    CHECK_INT(c.job_index[1], 0);
    CHECK_NEAR(c.job_deadline_s[1], 18000.0, 1e-15);
    CHECK_INT(c.job_site[0], -1);
    CHECK(isinf(c.job_deadline_s[0]));
}

static void obs_at_signals_and_demand(void)
{
    static fixture f;
    static dcs_controller_config c;
    static dcs_policy_obs o;
    make_fixture(&f);
    memset(&c, 0, sizeof c);
    dcs_controller_static_obs(&f.work, f.site, 2, &c.base);
    c.work = &f.work;

    /* Site 0: intensity 100 + 10 h g/kWh in hour h of a 24-hour signal,
     * no marginal signal, flat price 30 USD/MWh; site 1: no intensity,
     * hourly price 40 + h USD/MWh. */
    dcs_hourly ci0 = {0}, price1 = {0};
    CHECK_INT(dcs_hourly_init(&ci0, 0, 24), DCS_OK);
    CHECK_INT(dcs_hourly_init(&price1, 0, 24), DCS_OK);
    for (size_t h = 0; h < 24; h++) {
        ci0.value[h] = (100.0 + 10.0 * (double)h) * DCS_G_PER_KWH;
        price1.value[h] = (40.0 + (double)h) * DCS_USD_PER_MWH;
    }
    const dcs_hourly *ci[2] = {&ci0, NULL};
    const dcs_hourly *price[2] = {NULL, &price1};
    const double flat[2] = {30.0 * DCS_USD_PER_MWH, 0.0};
    c.ci = ci;
    c.price = price;
    c.flat_price_usd_per_j = flat;

    /* t = 2.5 h: ci 120 now; forecast hour k is hour 2 + k: 130, ...,
     * hour 21 = 310, then the signal wraps: hour 24 -> hour 0 = 100, hour
     * 26 = 120.  Marginal = average (no signal); prices 30 and 42. */
    dcs_controller_obs_at(&c, 5 * DCS_HOUR / 2, &o);
    CHECK_NEAR(o.now_s, 9000.0, 1e-15);
    CHECK_NEAR(o.site[0].ci_g_kwh, 120.0, 1e-12);
    CHECK_NEAR(o.site[0].ci_forecast_g_kwh[0], 130.0, 1e-12);
    CHECK_NEAR(o.site[0].ci_forecast_g_kwh[18], 310.0, 1e-12);
    CHECK_NEAR(o.site[0].ci_forecast_g_kwh[21], 100.0, 1e-12);
    CHECK_NEAR(o.site[0].ci_forecast_g_kwh[23], 120.0, 1e-12);
    CHECK_NEAR(o.site[0].marginal_ci_g_kwh, 120.0, 1e-12);
    CHECK_NEAR(o.site[0].price_usd_mwh, 30.0, 1e-12);
    CHECK_NEAR(o.site[1].price_usd_mwh, 42.0, 1e-12);
    CHECK_ABS(o.site[1].ci_g_kwh, 0.0, 0.0);
    /* Chat: a flat 50 req/s split 1/4, 3/4 over the regions. */
    CHECK_NEAR(o.region[0].demand_rps[0], 12.5, 1e-12);
    CHECK_NEAR(o.region[1].demand_rps[0], 37.5, 1e-12);
    /* Job deadline 5 h absolute -> 2.5 h left. */
    CHECK_NEAR(o.job[1].deadline_s, 9000.0, 1e-12);

    /* Trace (rows at 0, 0.5, 1, 1.5, 2, 8 s; looped with period span +
     * mean gap = 8 + 8/5 = 9.6 s), P = 4 s, mean rate over [t - P, t):
     *   t = 4 s: rows 0..2 s, 5 in 4 s = 1.25 req/s;
     *   t = 1 s (< P): the window [0, 4 s), 1.25 req/s;
     *   t = 12 s: [8, 12): 8 s of lap 0, then 9.6, 10.1, 10.6, 11.1, 11.6
     *             of lap 1: 6 in 4 s = 1.5 req/s;
     *   t = 30 s: [26, 30): lap 2 starts at 19.2 (row at 27.2), lap 3 at
     *             28.8 (rows 28.8 .. 30.8: 28.8, 29.3, 29.8 before 30):
     *             4 in 4 s = 1 req/s.
     * All of it from region 0 (share 1). */
    const double want[4][2] = {{4, 1.25}, {1, 1.25}, {12, 1.5}, {30, 1.0}};
    for (int i = 0; i < 4; i++) {
        dcs_controller_obs_at(&c, (dcs_time)want[i][0] * DCS_SECOND, &o);
        CHECK_NEAR(o.region[0].demand_rps[1], want[i][1], 1e-12);
        CHECK_ABS(o.region[1].demand_rps[1], 0.0, 0.0);
    }
    /* Without looping, t = 12 s sees only the row at 8 s: 0.25 req/s. */
    f.wl[1].loop = false;
    dcs_controller_obs_at(&c, 12 * DCS_SECOND, &o);
    CHECK_NEAR(o.region[0].demand_rps[1], 0.25, 1e-12);
    dcs_hourly_free(&ci0);
    dcs_hourly_free(&price1);
}

static void initial_action_default_and_stack(void)
{
    static fixture f;
    static dcs_controller_config c;
    static dcs_policy_obs o;
    static dcs_policy_action a;
    make_fixture(&f);
    memset(&c, 0, sizeof c);
    dcs_controller_static_obs(&f.work, f.site, 2, &c.base);
    c.work = &f.work;
    dcs_controller_obs_at(&c, 0, &o);
    /* No stack: the default, enforced: chat from both regions to site 0
     * (the only one with chat capacity, although region 1 is nearer to
     * site 1), answers from region 0 to site 0; all replicas kept. */
    dcs_controller_initial_action(NULL, &o, &a);
    CHECK_NEAR(a.split[0][0][0], 1.0, 1e-15);
    CHECK_NEAR(a.split[0][1][0], 1.0, 1e-15);
    CHECK_ABS(a.split[0][1][1], 0.0, 0.0);
    CHECK_NEAR(a.split[1][0][0], 1.0, 1e-15);
    CHECK_INT(a.replicas[0], 6);
    CHECK(a.run[1]);
    /* consolidate with util_target 0.7: chat 50 req/s on 5 replicas of
     * capacity m0 each; answers 1.25 req/s; needs
     * ceil((50 / m0 + 1.25 / m1) / 0.7) replicas, at most 6. */
    dcs_policy_params p = dcs_policy_params_default();
    dcs_policy_stack st = {.power = {dcs_policy_alloc(&dcs_policy_consolidate, &p, NULL), NULL}};
    CHECK(st.power[0] != NULL);
    dcs_controller_initial_action(&st, &o, &a);
    double m = 50.0 / (o.site[0].capacity_rps[0] / 6.0) + 1.25 / (o.site[0].capacity_rps[1] / 6.0);
    double need = fmin(6.0, fmax(1.0, ceil(m / 0.7 - 1e-9)));
    CHECK_INT(a.replicas[0], (int)need);
    dcs_policy_free(st.power[0]);
}

int main(void)
{
    RUN(static_obs_from_configs);
    RUN(obs_at_signals_and_demand);
    RUN(initial_action_default_and_stack);
    return TEST_END();
}
