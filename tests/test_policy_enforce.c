/*
 * test_policy_enforce.c - dcs_policy_enforce on constructed actions whose
 * corrected form is worked out by hand: sovereignty, normalisation,
 * capacity with spill and drop, power caps (scaled, floored, infeasible),
 * deadlines.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/policy.h"
#include "harness.h"

/* Sites of 4 replicas (all up) serving 100 req/s, PUE 1.25, no power
 * limit, one cluster of 100 kW (minimum cap 0.3); all allowed; RTT 0.05 s;
 * control period 60 s. */
static dcs_policy_obs *make_obs(int nsites, int nregions, int nworkloads)
{
    dcs_policy_obs *o = calloc(1, sizeof *o);
    if (!o)
        abort();
    o->nsites = nsites;
    o->nregions = nregions;
    o->nworkloads = nworkloads;
    o->period_s = 60.0;
    for (int s = 0; s < nsites; s++) {
        dcs_policy_site_obs *site = &o->site[s];
        site->pue = 1.25;
        site->replicas_up = site->replicas_total = 4;
        site->nclusters = 1;
        site->cluster_max_w[0] = 100e3;
        site->cluster_cap_min[0] = 0.3;
        site->cluster_cap_now[0] = 1.0;
        for (int w = 0; w < nworkloads; w++)
            site->capacity_rps[w] = 100.0;
    }
    for (int w = 0; w < nworkloads; w++)
        for (int s = 0; s < nsites; s++)
            o->workload[w].allowed[s] = true;
    for (int r = 0; r < nregions; r++)
        for (int s = 0; s < nsites; s++)
            o->region[r].rtt_s[s] = 0.05;
    return o;
}

static dcs_policy_action *default_action(const dcs_policy_obs *o)
{
    dcs_policy_action *a = calloc(1, sizeof *a);
    if (!a)
        abort();
    dcs_policy_action_default(o, a);
    return a;
}

static void set_order(dcs_policy_action *a, int w, int r, int n, const int *sites)
{
    for (int i = 0; i < n; i++)
        a->order[w][r][i] = (unsigned char)sites[i];
}

/* Half of 10 req/s sent to forbidden site 1, half to site 0; order 1, 0,
 * 2: the forbidden half moves to the first usable site of the order,
 * site 0 (split 1.0), and 5 req/s are counted as forbidden. */
static void sovereignty(void)
{
    dcs_policy_obs *o = make_obs(3, 1, 1);
    o->workload[0].allowed[1] = false;
    o->region[0].demand_rps[0] = 10.0;
    dcs_policy_action *a = default_action(o);
    memset(a->split, 0, sizeof a->split);
    a->split[0][0][0] = 0.5;
    a->split[0][0][1] = 0.5;
    set_order(a, 0, 0, 3, (const int[]){1, 0, 2});
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_ABS(a->split[0][0][1], 0.0, 0.0);
    CHECK_NEAR(rep.forbidden_rps, 5.0, 1e-12);
    /* A site with no capacity for the workload counts as not usable. */
    o->workload[0].allowed[1] = true;
    o->site[2].capacity_rps[0] = 0.0;
    memset(a->split, 0, sizeof a->split);
    a->split[0][0][2] = 1.0;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][1], 1.0, 1e-12);   /* order 1, 0, 2: site 1 */
    CHECK_NEAR(rep.forbidden_rps, 10.0, 1e-12);
    free(a);
    free(o);
}

/* Splits 2 and 2 become 1/2 and 1/2; negative and NaN shares count as 0;
 * all zero sends everything to the first usable site of the order; an
 * order that is not a permutation is replaced by the RTT order. */
static void normalise(void)
{
    dcs_policy_obs *o = make_obs(3, 1, 1);
    o->region[0].rtt_s[2] = 0.01;
    dcs_policy_action *a = default_action(o);
    memset(a->split, 0, sizeof a->split);
    a->split[0][0][0] = 2.0;
    a->split[0][0][1] = 2.0;
    a->split[0][0][2] = -1.0;
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 0.5, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 0.5, 1e-12);
    CHECK_ABS(a->split[0][0][2], 0.0, 0.0);

    a->split[0][0][0] = NAN;
    a->split[0][0][1] = 0.0;
    a->drop[0][0] = 0.0;
    set_order(a, 0, 0, 3, (const int[]){1, 1, 7});
    dcs_policy_enforce(o, a, &rep);
    CHECK_INT(a->order[0][0][0], 2);   /* nearest first */
    CHECK_NEAR(a->split[0][0][2], 1.0, 1e-12);
    CHECK_ABS(a->split[0][0][0], 0.0, 0.0);
    free(a);
    free(o);
}

/* Capacity: site 0 (100 req/s) gets region A's 80 and region B's 70 req/s:
 * used 1.5 of its replicas, so it keeps 1 / 1.5 = 2/3 of each: A 53.33,
 * B 46.67 req/s.  A's 26.67 cut req/s spill to site 1 (order 0, 1), whose
 * capacity is set to 30 req/s, leaving 3.33 there; B's 23.33 spill next
 * (same order): 3.33 fit, 20 are dropped.
 *   A: split 2/3 at 0, 1/3 at 1 (26.67 / 80);
 *   B: 2/3 at 0, 3.33 / 70 = 1/21 at 1, drop 20 / 70 = 2/7;
 *   spilled 30, dropped 20 req/s. */
static void capacity(void)
{
    dcs_policy_obs *o = make_obs(2, 2, 1);
    o->site[1].capacity_rps[0] = 30.0;
    o->region[0].demand_rps[0] = 80.0;
    o->region[1].demand_rps[0] = 70.0;
    dcs_policy_action *a = default_action(o);
    memset(a->split, 0, sizeof a->split);
    a->split[0][0][0] = 1.0;
    a->split[0][1][0] = 1.0;
    set_order(a, 0, 0, 2, (const int[]){0, 1});
    set_order(a, 0, 1, 2, (const int[]){0, 1});
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 1.0 / 3.0, 1e-12);
    CHECK_NEAR(a->split[0][1][0], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(a->split[0][1][1], 1.0 / 21.0, 1e-9);
    CHECK_NEAR(a->drop[0][1], 2.0 / 7.0, 1e-9);
    CHECK_NEAR(rep.spilled_rps, 30.0, 1e-9);
    CHECK_NEAR(rep.dropped_rps, 20.0, 1e-9);

    /* Two of four replicas kept: site 0 can carry 50 req/s; 80 asked by A
     * alone: 50 stay (5/8), 30 fill site 1 (3/8). */
    o->region[1].demand_rps[0] = 0.0;
    memset(a->split, 0, sizeof a->split);
    memset(a->drop, 0, sizeof a->drop);
    a->split[0][0][0] = 1.0;
    a->split[0][1][0] = 1.0;
    a->replicas[0] = 2;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 5.0 / 8.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 3.0 / 8.0, 1e-12);
    CHECK_NEAR(a->split[0][1][0], 1.0, 1e-12);   /* no demand: left alone */
    free(a);
    free(o);
}

/* Two workloads share a site's replicas: 60 req/s of w0 (capacity 100) and
 * 30 req/s of w1 (capacity 50) use 0.6 + 0.6 = 1.2 replica shares; each
 * keeps 1 / 1.2 = 5/6, and with no other site the rest is dropped:
 * 10 + 5 = 15 req/s. */
static void shared_replicas(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 2);
    o->site[0].capacity_rps[1] = 50.0;
    o->region[0].demand_rps[0] = 60.0;
    o->region[0].demand_rps[1] = 30.0;
    dcs_policy_action *a = default_action(o);
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 5.0 / 6.0, 1e-12);
    CHECK_NEAR(a->split[1][0][0], 5.0 / 6.0, 1e-12);
    CHECK_NEAR(a->drop[1][0], 1.0 / 6.0, 1e-12);
    CHECK_NEAR(rep.dropped_rps, 15.0, 1e-12);
    free(a);
    free(o);
}

/* Power: PUE 1.25, clusters of 100 kW (min cap 0.3) and 60 kW (min 0.5),
 * caps 1 and 1, all replicas kept:
 *  limit 150 kW: bound 1.25 x 160 = 200 kW; IT target 120 kW, k = 0.75,
 *    both above their minima: caps 0.75, 0.75 (1.25 x 120 = 150 kW).
 *  limit 90 kW: target 72 kW; k = 0.45 puts cluster 1 below 0.5, so it
 *    stays at 0.5 (30 kW) and k = (72 - 30) / 100 = 0.42 for cluster 0.
 *  limit 50 kW: target 40 kW < 30 + 30 kW at minimum caps: both at their
 *    minimum, 1.25 x 60 - 50 = 25 kW reported unmet.
 *  limit 150 kW with 2 of 4 replicas kept: 1.25 x 0.5 x 160 = 100 kW: no
 *    change. */
static void power(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 1);
    dcs_policy_site_obs *site = &o->site[0];
    site->nclusters = 2;
    site->cluster_max_w[1] = 60e3;
    site->cluster_cap_min[1] = 0.5;
    site->cluster_cap_now[1] = 1.0;
    site->power_limit_w = 150e3;
    dcs_policy_action *a = default_action(o);
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->cap[0][0], 0.75, 1e-12);
    CHECK_NEAR(a->cap[0][1], 0.75, 1e-12);
    CHECK_INT(rep.caps_tightened, 1);

    site->power_limit_w = 90e3;
    a->cap[0][0] = a->cap[0][1] = 1.0;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->cap[0][0], 0.42, 1e-12);
    CHECK_NEAR(a->cap[0][1], 0.5, 1e-12);
    CHECK_NEAR(1.25 * (a->cap[0][0] * 100e3 + a->cap[0][1] * 60e3), 90e3, 1e-12);

    site->power_limit_w = 50e3;
    a->cap[0][0] = a->cap[0][1] = 1.0;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->cap[0][0], 0.3, 1e-12);
    CHECK_NEAR(a->cap[0][1], 0.5, 1e-12);
    CHECK_NEAR(rep.power_unmet_w[0], 25e3, 1e-12);

    site->power_limit_w = 150e3;
    a->cap[0][0] = a->cap[0][1] = 1.0;
    a->replicas[0] = 2;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->cap[0][0], 1.0, 0.0);
    CHECK_INT(rep.caps_tightened, 0);

    /* Caps out of range are clamped to [minimum, 1]. */
    a->cap[0][0] = 7.0;
    a->cap[0][1] = 0.1;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->cap[0][0], 1.0, 0.0);
    CHECK_NEAR(a->cap[0][1], 0.5, 0.0);
    free(a);
    free(o);
}

/* Deadlines: a paused job with 4 h - 30 s to run and 4 h left has 30 s of
 * slack, under the 60 s period: it runs.  With 90 s of slack it may wait. */
static void deadlines(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 1);
    o->njobs = 2;
    o->job[0] = (dcs_policy_job_obs){0, 0, 4 * 3600.0 - 30.0, 4 * 3600.0, false};
    o->job[1] = (dcs_policy_job_obs){0, 0, 4 * 3600.0 - 90.0, 4 * 3600.0, false};
    dcs_policy_action *a = default_action(o);
    a->run[0] = a->run[1] = false;
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK(a->run[0]);
    CHECK(!a->run[1]);
    CHECK_INT(rep.jobs_forced, 1);
    free(a);
    free(o);
}

int main(void)
{
    RUN(sovereignty);
    RUN(normalise);
    RUN(capacity);
    RUN(shared_replicas);
    RUN(power);
    RUN(deadlines);
    return TEST_END();
}
