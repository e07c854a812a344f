/*
 * test_rl_train.c - training the rl policy (sim/rl_train.c) on the
 * constructed problem of fixtures/rl/two_sites.yaml, whose best placement
 * is known (everything to the 50 gCO2/kWh site: same energy and latency
 * at both, both with room), determinism across thread counts, and the
 * policy file in a scenario run (placement: rl, rl_policy) including a
 * file without the cap head under policy.rl.caps: true refused, and a
 * missing file refused by `dcsim run` with exit 2 and nothing written.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcsim/model.h"
#include "dcsim/rl.h"
#include "dcsim/trace.h"
#include "cli_util.h"
#include "harness.h"
#include "scenario_util.h"

static const char *const FIXTURE = "fixtures/rl/two_sites.yaml";

static dcs_status train(const dcs_scenario *s, int threads, int generations, dcs_rl_net *net,
                        dcs_rl_meta *meta)
{
    dcs_diag *d = dcs_diag_new();
    dcs_rl_train_opts o = {5, threads, generations, true};
    dcs_status st = dcs_rl_train(s, FIXTURE, &o, net, meta, d);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    return st;
}

/* An observation like the fixture's: two sites alike but for their
 * intensity (50 and 500 gCO2/kWh, also as forecast), one region 10 ms
 * from both, 6 requests/s, light load. */
static void two_site_obs(dcs_policy_obs *o)
{
    memset(o, 0, sizeof *o);
    o->nsites = 2;
    o->nregions = 1;
    o->nworkloads = 1;
    o->period_s = 300.0;
    for (int s = 0; s < 2; s++) {
        dcs_policy_site_obs *site = &o->site[s];
        site->ci_g_kwh = s == 0 ? 50.0 : 500.0;
        for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
            site->ci_forecast_g_kwh[k] = site->ci_g_kwh;
        site->pue = 1.2;
        site->utilisation = 0.2;
        site->p99_s = 5.0;
        site->replicas_up = site->replicas_total = 8;
        site->capacity_rps[0] = 20.0;
        site->served_rps[0] = 3.0;
        site->nclusters = 1;
        site->cluster_max_w[0] = 700e3;
        site->cluster_cap_min[0] = 0.3;
        site->cluster_cap_now[0] = 1.0;
        site->it_power_w = 300e3;
        site->power_limit_w = INFINITY;
        site->headroom_w = INFINITY;
        o->workload[0].allowed[s] = true;
        o->region[0].rtt_s[s] = 0.01;
    }
    o->region[0].demand_rps[0] = 6.0;
    o->workload[0].slo_p99_s = 30.0;
}

/* The learned split must approach the known optimum: > 90 % to the clean
 * site (zero weights start at 50 %), and the centre return must rise. */
static void converges_to_clean_site(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load(FIXTURE, NULL, 0, d);
    dcs_rl_net *net = calloc(1, sizeof *net);
    dcs_rl_meta *meta = calloc(1, sizeof *meta);
    dcs_policy_obs *o = calloc(1, sizeof *o);
    dcs_policy_action *a = calloc(1, sizeof *a);
    if (!s || !net || !meta || !o || !a)
        abort();
    CHECK_INT(train(s, 2, -1, net, meta), DCS_OK);
    CHECK_INT(meta->ncurve, 12);
    CHECK_STR(meta->scenario, "two-sites");
    CHECK_ABS(meta->curve[0].center_return, 0.0, 1e-9);  /* equal splits = the baseline */
    CHECK(meta->curve[meta->ncurve - 1].center_return > 0.1);
    dcs_policy_params p = dcs_policy_params_default();
    p.rl_net = net;
    dcs_policy *pol = dcs_policy_alloc(&dcs_policy_rl, &p, NULL);
    CHECK(pol != NULL);
    if (pol) {
        two_site_obs(o);
        dcs_policy_action_default(o, a);
        dcs_policy_decide(pol, o, a);
        fprintf(stderr, "    learned split to the clean site: %.4f\n", a->split[0][0][0]);
        CHECK(a->split[0][0][0] > 0.9);
        dcs_policy_free(pol);
    }
    dcs_scenario_free(s);
    dcs_diag_free(d);
    free(net);
    free(meta);
    free(o);
    free(a);
}

/* Same seed: the same weights, bit for bit, with 1 and with 2 threads. */
static void deterministic(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load(FIXTURE, NULL, 0, d);
    dcs_rl_net *n1 = calloc(1, sizeof *n1), *n2 = calloc(1, sizeof *n2);
    dcs_rl_meta *meta = calloc(1, sizeof *meta);
    if (!s || !n1 || !n2 || !meta)
        abort();
    CHECK_INT(train(s, 1, 3, n1, meta), DCS_OK);
    CHECK_INT(train(s, 2, 3, n2, meta), DCS_OK);
    CHECK(memcmp(n1, n2, sizeof *n1) == 0);
    bool moved = false;
    for (int i = 0; i < dcs_rl_nparams(n1->hidden); i++)
        moved |= n1->w[i] != 0.0;
    CHECK(moved);
    dcs_scenario_free(s);
    dcs_diag_free(d);
    free(n1);
    free(n2);
    free(meta);
}

/* policy.rl.caps: true trains a cap head after the split head, starting
 * at bias DCS_RL_CAP_BIAS0 (3) and moved by Adam by at most about the
 * learning rate 0.3 per generation (2 generations: < 0.7 away); its file
 * records the cap head and runs in a scenario with caps: true. */
static void trains_cap_head(void)
{
    char path[256], set_file[300];
    snprintf(path, sizeof path, "/tmp/dcsim_test_rl_caps_%ld.h5", (long)getpid());
    snprintf(set_file, sizeof set_file, "policy.rl_policy=%s", path);
    dcs_diag *d = dcs_diag_new();
    const char *sets[] = {"policy.rl.caps=true"};
    dcs_scenario *s = load(FIXTURE, sets, 1, d);
    dcs_rl_net *net = calloc(1, sizeof *net);
    dcs_rl_meta *meta = calloc(1, sizeof *meta);
    if (!s || !net || !meta)
        abort();
    CHECK_INT(train(s, 2, 2, net, meta), DCS_OK);
    CHECK(net->caps && !net->replicas);
    CHECK_INT(dcs_rl_cap_offset(net), DCS_RL_FEATURES);
    CHECK_INT(dcs_rl_net_nparams(net), 2 * DCS_RL_FEATURES);
    const double *phi = net->w + dcs_rl_cap_offset(net);
    fprintf(stderr, "    cap head bias after 2 generations: %.4f\n", phi[0]);
    CHECK(phi[0] != DCS_RL_CAP_BIAS0);    /* trained: the head is in the gradient */
    CHECK(fabs(phi[0] - DCS_RL_CAP_BIAS0) < 0.7);
    CHECK_INT(dcs_rl_file_write(path, net, meta, d), DCS_OK);
    const char *run_sets[] = {"policy.placement=rl", set_file, "duration=1 h",
                              "policy.rl.caps=true"};
    dcs_scenario *sr = load(FIXTURE, run_sets, 4, d);
    dcs_model *m = NULL;
    CHECK(sr != NULL);
    if (sr) {
        CHECK_INT(dcs_model_build(sr, FIXTURE, 1, 1, d, &m), DCS_OK);
        if (m) {
            CHECK_INT(dcs_model_run(m, NULL), DCS_OK);
            CHECK(dcs_model_metric(m, "carbon_kg") > 0.0);
        }
    }
    dcs_diag_print(d, stderr);
    dcs_model_free(m);
    dcs_scenario_free(sr);
    dcs_scenario_free(s);
    dcs_diag_free(d);
    remove(path);
    free(net);
    free(meta);
}

/* A scenario with placement: rl and a policy file runs; a missing file is
 * refused by the model builder with its name, and by `dcsim run` with
 * exit 2 and no trace. */
static void policy_file_in_a_run(void)
{
    char path[256], set_file[300], out[256], cmd[1024];
    snprintf(path, sizeof path, "/tmp/dcsim_test_rl_run_%ld.h5", (long)getpid());
    snprintf(out, sizeof out, "/tmp/dcsim_test_rl_out_%ld.h5", (long)getpid());
    dcs_rl_net net;
    dcs_rl_net_init(&net, 0);
    net.w[1] = -3.0;
    dcs_rl_meta *meta = calloc(1, sizeof *meta);
    dcs_diag *d = dcs_diag_new();
    if (!meta || !d)
        abort();
    CHECK_INT(dcs_rl_file_write(path, &net, meta, d), DCS_OK);
    snprintf(set_file, sizeof set_file, "policy.rl_policy=%s", path);
    const char *sets[] = {"policy.placement=rl", set_file, "duration=1 h"};
    dcs_scenario *s = load(FIXTURE, sets, 3, d);
    dcs_model *m = NULL;
    if (s) {
        CHECK_INT(dcs_model_build(s, FIXTURE, 1, 1, d, &m), DCS_OK);
        if (m) {
            CHECK_INT(dcs_model_run(m, NULL), DCS_OK);
            CHECK(dcs_model_metric(m, "carbon_kg") > 0.0);
        }
        dcs_model_free(m);
        m = NULL;
        /* The same file (no cap head) under policy.rl.caps: true is
         * refused with the file's name and both outputs. */
        const char *sets_caps[] = {"policy.placement=rl", set_file, "duration=1 h",
                                   "policy.rl.caps=true"};
        dcs_scenario *sc = load(FIXTURE, sets_caps, 4, d);
        CHECK(sc != NULL && sc->policy.rl.caps);
        if (sc) {
            dcs_diag *d3 = dcs_diag_new();
            CHECK_INT(dcs_model_build(sc, FIXTURE, 1, 1, d3, &m), DCS_EINPUT);
            CHECK(m == NULL);
            char want[512];
            snprintf(want, sizeof want, "%s: policy file outputs 'split' do not match the "
                     "scenario's policy.rl.caps: true (the scenario needs a cap head, outputs "
                     "with 'caps'); retrain with dcsim train", path);
            CHECK_INT(dcs_diag_errors(d3), 1);
            if (dcs_diag_errors(d3) >= 1)
                CHECK_STR(dcs_diag_line(d3, 0), want);
            dcs_diag_free(d3);
            dcs_scenario_free(sc);
        }
        remove(path);
        dcs_diag *d2 = dcs_diag_new();
        CHECK_INT(dcs_model_build(s, FIXTURE, 1, 1, d2, &m), DCS_EINPUT);
        CHECK(m == NULL);
        char want[512];
        snprintf(want, sizeof want, "%s: cannot open the rl policy file", path);
        CHECK(dcs_diag_errors(d2) >= 1);
        if (dcs_diag_errors(d2) >= 1)
            CHECK_STR(dcs_diag_line(d2, 0), want);
        dcs_diag_free(d2);
    }
    const char *bin = getenv("DCSIM_BIN");
    CHECK(bin != NULL);
    if (bin) {
        snprintf(cmd, sizeof cmd, "'%s' run %s --set policy.placement=rl --set '%s' "
                 "--set duration=1h -o %s --quiet 2>/dev/null", bin, FIXTURE, set_file, out);
        int rc = system(cmd);
        CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
        CHECK(!exists(out));
    }
    dcs_scenario_free(s);
    dcs_diag_free(d);
    free(meta);
}

/* `dcsim train`: writes a policy file whose curve has one row per
 * generation and whose hash is that of the effective scenario text; a
 * scenario without a training period is refused with exit 2 and no file. */
static void train_command(void)
{
    const char *bin = getenv("DCSIM_BIN");
    CHECK(bin != NULL);
    if (!bin)
        return;
    char out[256], cmd[1024];
    snprintf(out, sizeof out, "/tmp/dcsim_test_rl_cli_%ld.h5", (long)getpid());
    snprintf(cmd, sizeof cmd, "'%s' train %s -o %s --generations 2 --threads 2 --quiet", bin,
             FIXTURE, out);
    int rc = system(cmd);
    CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    dcs_rl_net net;
    dcs_rl_meta *meta = calloc(1, sizeof *meta);
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load(FIXTURE, NULL, 0, d);
    if (!meta || !d || !s)
        abort();
    CHECK_INT(dcs_rl_file_read(out, &net, meta, d), DCS_OK);
    CHECK_INT(meta->ncurve, 2);
    CHECK_INT(meta->curve[1].generation, 1);
    CHECK(meta->seed == 5);                  /* the scenario's seed */
    CHECK_INT(meta->threads, 2);
    CHECK_ABS(meta->reward_carbon, 1.0, 0);
    CHECK_ABS(meta->reward_energy, 0.0, 0);
    char hash[17];
    dcs_rl_hash_text(dcs_scenario_text(s), hash);
    CHECK_STR(meta->scenario_hash, hash);
    remove(out);

    snprintf(cmd, sizeof cmd, "'%s' train %s -o %s --set 'policy.rl={}' --quiet 2>/dev/null",
             bin, FIXTURE, out);
    rc = system(cmd);
    CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    CHECK(!exists(out));
    dcs_scenario_free(s);
    dcs_diag_free(d);
    free(meta);
}

int main(void)
{
    if (dcs_trace_init() != DCS_OK)
        return 1;
    RUN(converges_to_clean_site);
    RUN(deterministic);
    RUN(policy_file_in_a_run);
    RUN(trains_cap_head);
    RUN(train_command);
    return TEST_END();
}
