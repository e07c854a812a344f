/*
 * test_rl.c - the learned placement policy (models/policy/rl.c) on
 * constructed observations worked out by hand, and its policy file
 * (sim/rl_file.c): round trip, mismatched layout, outputs and cap head,
 * missing and foreign files.
 *
 * Numbers are round values chosen for the hand computation, not data.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dcsim/rl.h"
#include "dcsim/trace.h"
#include "harness.h"

/* Two sites, one region, one workload: 100 req/s of capacity per site,
 * 4 of 4 replicas up, demand 50 req/s, SLO 1 s, RTT 0.05 s, p99 0.2 s,
 * PUE 1.2, 300 gCO2/kWh, 50 USD/MWh, one 100 kW cluster, no power limit. */
static dcs_policy_obs *make_obs(void)
{
    dcs_policy_obs *o = calloc(1, sizeof *o);
    if (!o)
        abort();
    o->nsites = 2;
    o->nregions = 1;
    o->nworkloads = 1;
    o->period_s = 60.0;
    for (int s = 0; s < 2; s++) {
        dcs_policy_site_obs *site = &o->site[s];
        site->ci_g_kwh = 300.0;
        for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
            site->ci_forecast_g_kwh[k] = 300.0;
        site->price_usd_mwh = 50.0;
        site->pue = 1.2;
        site->utilisation = 0.25;
        site->p99_s = 0.2;
        site->replicas_up = site->replicas_total = 4;
        site->capacity_rps[0] = 100.0;
        site->served_rps[0] = 25.0;
        site->nclusters = 1;
        site->cluster_max_w[0] = 100e3;
        site->cluster_cap_min[0] = 0.3;
        site->cluster_cap_now[0] = 1.0;
        site->it_power_w = 50e3;
        site->power_limit_w = INFINITY;
        site->headroom_w = INFINITY;
        o->workload[0].allowed[s] = true;
        o->region[0].rtt_s[s] = 0.05;
    }
    o->region[0].demand_rps[0] = 50.0;
    o->workload[0].slo_p99_s = 1.0;
    return o;
}

static void features_by_hand(void)
{
    dcs_policy_obs *o = make_obs();
    o->site[1].ci_forecast_g_kwh[0] = 540.0;   /* mean of 23 x 300 + 540 = 310 */
    o->region[0].rtt_s[1] = 0.9;               /* 0.9 + 0.2 > 1 s SLO */
    double f[DCS_RL_FEATURES];
    dcs_rl_features(o, 0, 0, 1, f);
    CHECK_ABS(f[0], 1.0, 0);
    CHECK_ABS(f[1], 0.3, 1e-12);      /* 300 / 1000 */
    CHECK_ABS(f[2], 0.31, 1e-12);     /* 310 / 1000 */
    CHECK_ABS(f[3], 0.5, 1e-12);      /* 50 / 100 */
    CHECK_ABS(f[4], 0.2, 1e-12);      /* 1.2 - 1 */
    CHECK_ABS(f[5], 0.25, 1e-12);
    CHECK_ABS(f[6], 0.2, 1e-12);      /* 0.2 s / 1 s */
    CHECK_ABS(f[7], 0.9, 1e-12);      /* 0.9 s / 1 s */
    CHECK_ABS(f[8], 1.0, 0);          /* 1.1 s > 1 s */
    CHECK_ABS(f[9], 2.0, 1e-12);      /* 100 req/s awake / 50 req/s demand */
    /* No limit: the site's maximum 1.2 x 100 kW = 120 kW stands in;
     * headroom 120 - 1.2 x 50 = 60 kW, share 0.5. */
    CHECK_ABS(f[10], 0.5, 1e-12);
    CHECK_ABS(f[11], 0.25, 1e-12);    /* 25 served / 100 awake */
    dcs_rl_features(o, 0, 0, 0, f);
    CHECK_ABS(f[8], 0.0, 0);          /* 0.05 + 0.2 <= 1 s */
    CHECK_STR(dcs_rl_feature_names[9], "room");
    CHECK_INT(dcs_rl_nparams(0), DCS_RL_FEATURES);
    CHECK_INT(dcs_rl_nparams(2), DCS_RL_FEATURES + 2 * (DCS_RL_FEATURES + 1));
    free(o);
}

static dcs_policy *make(const dcs_rl_net *net)
{
    dcs_policy_params p = dcs_policy_params_default();
    p.rl_net = net;
    int st = -1;
    dcs_policy *pol = dcs_policy_alloc(&dcs_policy_rl, &p, &st);
    CHECK_INT(st, DCS_OK);
    if (!pol)
        abort();
    return pol;
}

/* Zero weights: equal shares over the usable sites (round_robin); a site
 * the workload may not use gets nothing. */
static void zero_weights_split_equally(void)
{
    dcs_policy_obs *o = make_obs();
    o->nsites = 3;
    o->site[2] = o->site[0];
    o->workload[0].allowed[2] = false;
    dcs_policy_action *a = calloc(1, sizeof *a);
    dcs_policy *pol = make(NULL);
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_ABS(a->split[0][0][0], 0.5, 1e-15);
    CHECK_ABS(a->split[0][0][1], 0.5, 1e-15);
    CHECK_ABS(a->split[0][0][2], 0.0, 0);
    CHECK_INT(a->order[0][0][2], 2);  /* the forbidden site is last */
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* theta_ci_now = -2, normalisation 0 / 1: site 0 at 300 and site 1 at
 * 800 gCO2/kWh score -0.6 and -1.6, so split_0 = 1 / (1 + e^-1) = 0.7311
 * and the spill order puts site 0 first. */
static void softmax_by_hand(void)
{
    dcs_policy_obs *o = make_obs();
    o->site[1].ci_g_kwh = 800.0;
    dcs_rl_net net;
    dcs_rl_net_init(&net, 0);
    net.w[1] = -2.0;
    dcs_policy_action *a = calloc(1, sizeof *a);
    dcs_policy *pol = make(&net);
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_ABS(a->split[0][0][0], 1.0 / (1.0 + exp(-1.0)), 1e-12);
    CHECK_ABS(a->split[0][0][0] + a->split[0][0][1], 1.0, 1e-15);
    CHECK_INT(a->order[0][0][0], 0);
    /* Normalisation: mean 0.3 and std 0.5 make the difference 1 std; the
     * score gap is then 2 and split_0 = 1 / (1 + e^-2). */
    net.mean[1] = 0.3;
    net.std[1] = 0.5;
    dcs_policy_free(pol);
    pol = make(&net);
    dcs_policy_decide(pol, o, a);
    CHECK_ABS(a->split[0][0][0], 1.0 / (1.0 + exp(-2.0)), 1e-12);
    /* A network with std 0 is refused. */
    net.std[2] = 0.0;
    dcs_policy_params p = dcs_policy_params_default();
    p.rl_net = &net;
    int st = DCS_OK;
    CHECK(dcs_policy_alloc(&dcs_policy_rl, &p, &st) == NULL);
    CHECK_INT(st, DCS_ERANGE);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Replica head, zero split weights (25 req/s to each site of capacity
 * 100 with 4 replicas: in use 25 / 100 x 4 = 1 replica):
 *   psi = 0:        u = 0.3 + 0.7 x 0.5 = 0.65, kept = ceil(1 / 0.65) = 2;
 *   psi_bias = -3:  u = 0.3 + 0.7 / (1 + e^3) = 0.3332, kept = ceil(3.001) = 4;
 *   no demand:      in use 0, kept = the floor of 1. */
static void replica_head_by_hand(void)
{
    dcs_policy_obs *o = make_obs();
    dcs_rl_net net;
    dcs_rl_net_init(&net, 0);
    net.replicas = true;
    CHECK_INT(dcs_rl_net_nparams(&net), 2 * DCS_RL_FEATURES);
    dcs_policy_action *a = calloc(1, sizeof *a);
    dcs_policy *pol = make(&net);
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 2);
    CHECK_INT(a->replicas[1], 2);
    dcs_policy_free(pol);
    double f[DCS_RL_FEATURES];
    dcs_rl_features(o, 0, 0, 0, f);
    net.w[DCS_RL_FEATURES] = DCS_RL_REPLICA_BIAS0;
    CHECK_ABS(dcs_rl_target_util(&net, f), 0.3 + 0.7 / (1.0 + exp(3.0)), 1e-12);
    pol = make(&net);
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 4);
    dcs_policy_free(pol);
    o->region[0].demand_rps[0] = 0.0;
    pol = make(&net);
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 1);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Cap head, zero split weights, normalisation 0 / 1, site 0 given a
 * second cluster of minimum cap 0.5 (site 0 at 300, site 1 at 800 gCO2/kWh;
 * each site's averaged features are its one (w, r)'s):
 *   phi_bias = 1, phi_ci_now = -2:
 *     site 0: a = 1 - 2 x 0.3 = 0.4, sigmoid(0.4) = 1 / (1 + 0.670320) = 0.598688,
 *             cluster 0: 0.3 + 0.7 x 0.598688 = 0.719082,
 *             cluster 1: 0.5 + 0.5 x 0.598688 = 0.799344;
 *     site 1: a = 1 - 2 x 0.8 = -0.6, sigmoid = 1 / (1 + 1.822119) = 0.354344,
 *             cap 0.3 + 0.7 x 0.354344 = 0.548041;
 *   only the bias, 3 (DCS_RL_CAP_BIAS0): 0.3 + 0.7 x 0.952574 = 0.966802;
 *   bias -50: sigmoid 2e-22, the cap is the minimum 0.3 (0.5). */
static void cap_head_by_hand(void)
{
    dcs_policy_obs *o = make_obs();
    o->site[1].ci_g_kwh = 800.0;
    o->site[0].nclusters = 2;
    o->site[0].cluster_max_w[1] = 100e3;
    o->site[0].cluster_cap_min[1] = 0.5;
    o->site[0].cluster_cap_now[1] = 1.0;
    dcs_rl_net net;
    dcs_rl_net_init(&net, 0);
    net.caps = true;
    CHECK_INT(dcs_rl_cap_offset(&net), DCS_RL_FEATURES);
    CHECK_INT(dcs_rl_net_nparams(&net), 2 * DCS_RL_FEATURES);
    double *phi = net.w + dcs_rl_cap_offset(&net);
    phi[0] = 1.0;
    phi[1] = -2.0;
    dcs_policy_action *a = calloc(1, sizeof *a);
    if (!a)
        abort();
    dcs_policy *pol = make(&net);
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_ABS(a->cap[0][0], 0.719082, 1e-6);
    CHECK_ABS(a->cap[0][1], 0.799344, 1e-6);
    CHECK_ABS(a->cap[1][0], 0.548041, 1e-6);
    CHECK_ABS(a->split[0][0][0], 0.5, 1e-15);  /* the split head is untouched */
    CHECK_INT(a->replicas[0], 4);               /* no replica head: all kept */
    dcs_policy_free(pol);

    memset(phi, 0, sizeof(double) * DCS_RL_FEATURES);
    phi[0] = DCS_RL_CAP_BIAS0;
    double f[DCS_RL_FEATURES];
    dcs_rl_features(o, 0, 0, 1, f);
    CHECK_ABS(dcs_rl_cap(&net, f, 0.3), 0.966802, 1e-6);
    pol = make(&net);
    dcs_policy_decide(pol, o, a);
    CHECK_ABS(a->cap[1][0], 0.966802, 1e-6);
    dcs_policy_free(pol);

    phi[0] = -50.0;
    CHECK_ABS(dcs_rl_cap(&net, f, 0.3), 0.3, 1e-15);
    CHECK_ABS(dcs_rl_cap(&net, f, 0.5), 0.5, 1e-15);
    CHECK_ABS(dcs_rl_cap(&net, f, NAN), 0.0, 1e-15);   /* no minimum: the range is (0, 1] */
    phi[0] = 50.0;
    CHECK_ABS(dcs_rl_cap(&net, f, 0.3), 1.0, 1e-15);

    /* With the replica head too, phi sits after psi and both heads act:
     * psi = 0 keeps 2 replicas (replica_head_by_hand). */
    net.replicas = true;
    CHECK_INT(dcs_rl_cap_offset(&net), 2 * DCS_RL_FEATURES);
    CHECK_INT(dcs_rl_net_nparams(&net), 3 * DCS_RL_FEATURES);
    memset(net.w, 0, sizeof net.w);
    net.w[dcs_rl_cap_offset(&net)] = DCS_RL_CAP_BIAS0;
    pol = make(&net);
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 2);
    CHECK_ABS(a->cap[0][0], 0.966802, 1e-6);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* A random network with hidden units and random normalisation. */
static void random_net(gsl_rng *r, dcs_rl_net *net, int hidden)
{
    dcs_rl_net_init(net, hidden);
    net->replicas = hidden % 2 == 1;     /* odd: with the replica head */
    net->caps = hidden >= 2;             /* 2 and more: with the cap head */
    for (int i = 0; i < dcs_rl_net_nparams(net); i++)
        net->w[i] = gsl_ran_gaussian(r, 1.0);
    for (int i = 1; i < DCS_RL_FEATURES; i++) {
        net->mean[i] = gsl_ran_gaussian(r, 0.3);
        net->std[i] = 0.1 + gsl_rng_uniform(r);
    }
}

/* A random observation of 3 sites, 2 regions, 2 workloads. */
static void random_obs(gsl_rng *r, dcs_policy_obs *o)
{
    memset(o, 0, sizeof *o);
    o->nsites = 3;
    o->nregions = 2;
    o->nworkloads = 2;
    o->period_s = 60.0;
    for (int s = 0; s < 3; s++) {
        dcs_policy_site_obs *site = &o->site[s];
        site->ci_g_kwh = gsl_rng_uniform(r) * 800.0;
        for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
            site->ci_forecast_g_kwh[k] = gsl_rng_uniform(r) * 800.0;
        site->price_usd_mwh = gsl_rng_uniform(r) * 150.0;
        site->pue = 1.0 + gsl_rng_uniform(r) * 0.5;
        site->utilisation = gsl_rng_uniform(r);
        site->p99_s = gsl_rng_uniform(r) * 3.0;
        site->replicas_total = 8;
        site->replicas_up = (int)gsl_rng_uniform_int(r, 9);
        site->nclusters = 1;
        site->cluster_max_w[0] = 1e6;
        site->cluster_cap_min[0] = 0.2 + 0.5 * gsl_rng_uniform(r);
        site->cluster_cap_now[0] = 1.0;
        site->power_limit_w = 2e6;
        site->headroom_w = gsl_rng_uniform(r) * 2e6;
        for (int w = 0; w < 2; w++) {
            site->capacity_rps[w] = gsl_rng_uniform(r) * 100.0;
            site->served_rps[w] = gsl_rng_uniform(r) * 80.0;
            o->workload[w].allowed[s] = gsl_rng_uniform(r) < 0.8;
        }
    }
    for (int q = 0; q < 2; q++)
        for (int s = 0; s < 3; s++)
            o->region[q].rtt_s[s] = gsl_rng_uniform(r) * 0.15;
    for (int w = 0; w < 2; w++) {
        o->workload[w].slo_p99_s = gsl_rng_uniform(r) < 0.5 ? 0.0 : 2.0;
        for (int q = 0; q < 2; q++)
            o->region[q].demand_rps[w] = gsl_rng_uniform(r) * 100.0;
    }
}

static void tmp_path(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "/tmp/dcsim_test_rl_%s_%ld.h5", tag, (long)getpid());
}

static void file_round_trip(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    dcs_rl_net *net = calloc(1, sizeof *net), *back = calloc(1, sizeof *back);
    dcs_rl_meta *meta = calloc(1, sizeof *meta), *mback = calloc(1, sizeof *mback);
    dcs_policy_obs *o = calloc(1, sizeof *o);
    dcs_policy_action *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!r || !net || !back || !meta || !mback || !o || !a || !b)
        abort();
    gsl_rng_set(r, 8);
    random_net(r, net, 3);
    snprintf(meta->scenario, sizeof meta->scenario, "round-trip");
    dcs_rl_hash_text("name: round-trip\n", meta->scenario_hash);
    snprintf(meta->version, sizeof meta->version, "test");
    meta->reward_carbon = 1.0;
    meta->reward_sla = 2.0;
    meta->seed = 12345678901ULL;
    meta->threads = 2;
    meta->ncurve = 3;
    for (int g = 0; g < 3; g++)
        meta->curve[g] = (dcs_rl_curve_point){g, -0.5 + 0.1 * g, 0.1 * g, -0.2 * g, 1.5 * g};
    char path[256];
    tmp_path(path, sizeof path, "trip");
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_rl_file_write(path, net, meta, d), DCS_OK);
    CHECK_INT(dcs_rl_file_read(path, back, mback, d), DCS_OK);
    dcs_diag_print(d, stderr);
    CHECK_INT(back->hidden, 3);
    CHECK(back->replicas);
    CHECK(back->caps);
    CHECK_STR(dcs_rl_outputs(back), "split,replicas,caps");
    CHECK(memcmp(back->w, net->w, sizeof(double) * (size_t)dcs_rl_net_nparams(net)) == 0);
    CHECK(memcmp(back->mean, net->mean, sizeof net->mean) == 0);
    CHECK(memcmp(back->std, net->std, sizeof net->std) == 0);
    CHECK_STR(mback->scenario, "round-trip");
    CHECK_STR(mback->scenario_hash, meta->scenario_hash);
    CHECK_INT((long)strlen(mback->scenario_hash), 16);
    CHECK(mback->seed == 12345678901ULL);
    CHECK_INT(mback->threads, 2);
    CHECK_ABS(mback->reward_sla, 2.0, 0);
    CHECK_INT(mback->ncurve, 3);
    CHECK_ABS(mback->curve[2].mean_return, -0.3, 1e-15);
    CHECK_ABS(mback->curve[2].wall_s, 3.0, 0);
    CHECK_INT(mback->curve[2].generation, 2);

    /* Identical decisions on many observations. */
    dcs_policy *p1 = make(net), *p2 = make(back);
    int differ = 0, capped = 0, out_of_range = 0;
    for (int i = 0; i < 500; i++) {
        random_obs(r, o);
        dcs_policy_action_default(o, a);
        dcs_policy_action_default(o, b);
        dcs_policy_decide(p1, o, a);
        dcs_policy_decide(p2, o, b);
        differ += memcmp(a, b, sizeof *a) != 0;
        capped += a->cap[0][0] < 1.0;
        for (int k = 0; k < o->nsites; k++)    /* every cap in [cap_min, 1] */
            out_of_range += !(a->cap[k][0] >= o->site[k].cluster_cap_min[0] &&
                              a->cap[k][0] <= 1.0);
    }
    CHECK_INT(out_of_range, 0);
    CHECK_INT(differ, 0);
    CHECK(capped > 0);    /* the cap head acted, so equal caps are a real check */
    dcs_policy_free(p1);
    dcs_policy_free(p2);
    remove(path);
    dcs_diag_free(d);
    gsl_rng_free(r);
    free(net);
    free(back);
    free(meta);
    free(mback);
    free(o);
    free(a);
    free(b);
}

/* Rewrite the first occurrence of `from` in the file by `to` (same
 * length): the stored feature layout is plain bytes in the file, so this
 * makes a file of another layout without HDF5 calls in the test. */
static bool patch_file(const char *path, const char *from, const char *to)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return false;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f), len = strlen(from);
    bool done = false;
    for (size_t i = 0; i + len <= n && !done; i++) {
        if (memcmp(buf + i, from, len) == 0) {
            done = fseek(f, (long)i, SEEK_SET) == 0 && fwrite(to, 1, len, f) == len;
        }
    }
    fclose(f);
    return done;
}

static void file_rejected(void)
{
    dcs_rl_net net, back;
    dcs_rl_net_init(&net, 0);
    dcs_rl_meta *meta = calloc(1, sizeof *meta);
    if (!meta)
        abort();
    char path[256], msg[1024];
    tmp_path(path, sizeof path, "bad");

    /* Another feature layout: refused, naming both. */
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_rl_file_write(path, &net, meta, d), DCS_OK);
    CHECK(patch_file(path, "served_share", "served_sharX"));
    CHECK_INT(dcs_rl_file_read(path, &back, NULL, d), DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 1);
    snprintf(msg, sizeof msg,
             "%s: policy file feature layout '%.*sX' (12 features) does not match this "
             "dcsim's layout '%s' (12 features); retrain with dcsim train",
             path, (int)strlen(dcs_rl_layout()) - 1, dcs_rl_layout(), dcs_rl_layout());
    CHECK_STR(dcs_diag_line(d, 0), msg);
    dcs_diag_free(d);

    /* A cap head without the replica head: phi right after theta. */
    d = dcs_diag_new();
    net.caps = true;
    net.w[DCS_RL_FEATURES] = DCS_RL_CAP_BIAS0;
    net.w[DCS_RL_FEATURES + 4] = -0.5;
    CHECK_INT(dcs_rl_file_write(path, &net, meta, d), DCS_OK);
    CHECK_INT(dcs_rl_file_read(path, &back, NULL, d), DCS_OK);
    CHECK(back.caps && !back.replicas);
    CHECK_STR(dcs_rl_outputs(&back), "split,caps");
    CHECK_ABS(back.w[DCS_RL_FEATURES], DCS_RL_CAP_BIAS0, 0);
    CHECK_ABS(back.w[DCS_RL_FEATURES + 4], -0.5, 0);
    CHECK_INT(dcs_diag_errors(d), 0);

    /* The scenario's policy.rl.caps must match the file's cap head. */
    dcs_rl_spec spec = {0};
    CHECK_INT(dcs_rl_check_outputs(&back, &spec, path, d), DCS_EINPUT);
    snprintf(msg, sizeof msg, "%s: policy file outputs 'split,caps' do not match the "
             "scenario's policy.rl.caps: false (the file has a cap head the scenario does not "
             "ask for); retrain with dcsim train", path);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK_STR(dcs_diag_line(d, 0), msg);
    spec.caps = true;
    CHECK_INT(dcs_rl_check_outputs(&back, &spec, path, d), DCS_OK);
    back.caps = false;
    back.replicas = true;
    CHECK_INT(dcs_rl_check_outputs(&back, &spec, path, d), DCS_EINPUT);
    snprintf(msg, sizeof msg, "%s: policy file outputs 'split,replicas' do not match the "
             "scenario's policy.rl.caps: true (the scenario needs a cap head, outputs with "
             "'caps'); retrain with dcsim train", path);
    CHECK_INT(dcs_diag_errors(d), 2);
    CHECK_STR(dcs_diag_line(d, 1), msg);
    dcs_diag_free(d);

    /* Outputs this dcsim does not know are refused, listing the known. */
    d = dcs_diag_new();
    CHECK(patch_file(path, "split,caps", "split,capX"));
    CHECK_INT(dcs_rl_file_read(path, &back, NULL, d), DCS_EINPUT);
    snprintf(msg, sizeof msg, "%s: policy file: outputs 'split,capX' unknown (this dcsim "
             "knows 'split', 'split,replicas', 'split,caps' and 'split,replicas,caps')", path);
    CHECK_STR(dcs_diag_line(d, 0), msg);
    dcs_diag_free(d);

    /* A missing file: its name in the message. */
    d = dcs_diag_new();
    remove(path);
    CHECK_INT(dcs_rl_file_read(path, &back, NULL, d), DCS_EINPUT);
    snprintf(msg, sizeof msg, "%s: cannot open the rl policy file", path);
    CHECK_STR(dcs_diag_line(d, 0), msg);
    dcs_diag_free(d);

    /* Not HDF5 at all. */
    d = dcs_diag_new();
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("weights: 1 2 3\n", f);
        fclose(f);
    }
    CHECK_INT(dcs_rl_file_read(path, &back, NULL, d), DCS_EINPUT);
    snprintf(msg, sizeof msg, "%s: not an HDF5 file (an rl policy file is written by dcsim "
             "train)", path);
    CHECK_STR(dcs_diag_line(d, 0), msg);
    remove(path);
    dcs_diag_free(d);
    free(meta);
}

/* FNV-1a 64 of "a": 0xaf63dc4c8601ec8c (the algorithm's published test
 * vector). */
static void hash_vector(void)
{
    char h[17];
    dcs_rl_hash_text("a", h);
    CHECK_STR(h, "af63dc4c8601ec8c");
    dcs_rl_hash_text("", h);
    CHECK_STR(h, "cbf29ce484222325");
}

int main(void)
{
    if (dcs_trace_init() != DCS_OK)
        return 1;
    RUN(features_by_hand);
    RUN(zero_weights_split_equally);
    RUN(softmax_by_hand);
    RUN(replica_head_by_hand);
    RUN(cap_head_by_hand);
    RUN(file_round_trip);
    RUN(file_rejected);
    RUN(hash_vector);
    return TEST_END();
}
