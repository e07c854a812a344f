/*
 * test_policy_enforce.c - dcs_policy_enforce on constructed actions whose
 * corrected form is worked out by hand: sovereignty, normalisation,
 * capacity per (site, workload) with spill and overload, drops only
 * where no site is usable, power caps (scaled, floored, infeasible),
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

/* Capacity: site 0 (100 req/s) gets region A's 80 and region B's 70 req/s,
 * 150 of its 100: it keeps 100 / 150 = 2/3 of each: A 53.33, B 46.67
 * req/s.  A's 26.67 cut req/s spill to site 1 (order 0, 1), whose capacity
 * is set to 30 req/s, leaving 3.33 there; B's 23.33 spill next (same
 * order): 3.33 fit, and the 20 that fit nowhere stay at site 0, where they
 * were cut (overload, not dropped):
 *   A: split 2/3 at 0, 1/3 at 1 (26.67 / 80);
 *   B: (46.67 + 20) / 70 = 20/21 at 0, 3.33 / 70 = 1/21 at 1, drop 0;
 *   spilled 30, overload 20 req/s (site 0 carries 120 of 100), dropped 0. */
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
    CHECK_NEAR(a->split[0][1][0], 20.0 / 21.0, 1e-9);
    CHECK_NEAR(a->split[0][1][1], 1.0 / 21.0, 1e-9);
    CHECK_ABS(a->drop[0][1], 0.0, 0.0);
    CHECK_NEAR(rep.spilled_rps, 30.0, 1e-9);
    CHECK_NEAR(rep.overload_rps, 20.0, 1e-9);
    CHECK_ABS(rep.dropped_rps, 0.0, 0.0);
    CHECK_NEAR(dcs_policy_site_load_rps(o, a, 0, 0), 120.0, 1e-9);

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
    CHECK_ABS(rep.overload_rps, 0.0, 0.0);
    free(a);
    free(o);
}

/* Each workload has its own replicas: at site 0, w0 (capacity 100 req/s)
 * gets 60 req/s (60 %) and w1 (capacity 50 req/s) 40 req/s (80 %).  The
 * site is over neither workload's capacity (a shared pool would have seen
 * 1.4 replica shares and cut both): nothing moves. */
static void own_replicas(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 2);
    o->site[0].capacity_rps[1] = 50.0;
    o->region[0].demand_rps[0] = 60.0;
    o->region[0].demand_rps[1] = 40.0;
    dcs_policy_action *a = default_action(o);   /* all to site 0 (RTT tie: index) */
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 0.0);
    CHECK_NEAR(a->split[1][0][0], 1.0, 0.0);
    CHECK_ABS(rep.spilled_rps + rep.overload_rps + rep.dropped_rps, 0.0, 0.0);

    /* w0 at 130 req/s, 130 % of its 100 at site 0: it keeps 100 / 130 and
     * the 30 % over spill to site 1 (room 100): split 10/13 and 3/13,
     * spilled 30 req/s.  w1 stays at 80 % of its own capacity, untouched. */
    o->region[0].demand_rps[0] = 130.0;
    dcs_policy_action_default(o, a);
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 10.0 / 13.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 3.0 / 13.0, 1e-12);
    CHECK_NEAR(a->split[1][0][0], 1.0, 0.0);
    CHECK_NEAR(rep.spilled_rps, 30.0, 1e-12);
    CHECK_ABS(rep.overload_rps + rep.dropped_rps, 0.0, 0.0);

    /* Site 1 forbidden to w0: nowhere to spill.  All 130 req/s stay at site
     * 0, 30 over its capacity, reported as overload; nothing is dropped. */
    o->workload[0].allowed[1] = false;
    dcs_policy_action_default(o, a);
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_ABS(a->drop[0][0], 0.0, 0.0);
    CHECK_NEAR(rep.overload_rps, 30.0, 1e-12);
    CHECK_ABS(rep.spilled_rps + rep.dropped_rps, 0.0, 0.0);

    /* No replica awake at site 0 (all waking): w1's 40 req/s spill to
     * site 1 (room 100); w0's 130 have nowhere to go and stay, all of it
     * overload. */
    o->site[0].replicas_up = 0;
    dcs_policy_action_default(o, a);
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_NEAR(a->split[1][0][1], 1.0, 1e-12);
    CHECK_NEAR(rep.spilled_rps, 40.0, 1e-12);
    CHECK_NEAR(rep.overload_rps, 130.0, 1e-12);
    free(a);
    free(o);
}

/* Drops are for regions with no usable site only.  Region 0 may use no
 * site for w0 (both forbidden): its 25 req/s are dropped (drop 1,
 * dropped_rps 25).  Region 1 has a usable site, and a drop share of 0.4
 * its policy wrote (with 0.2 and 0.4 split over sites 0 and 1, site 1
 * then made forbidden) goes where the policy sent the rest: the forbidden
 * 0.4 moves to site 0 (first usable), and the drop too: split 1 at site
 * 0, drop 0; forbidden 0.4 x 10 = 4 req/s. */
static void drop_only_without_site(void)
{
    dcs_policy_obs *o = make_obs(2, 2, 1);
    o->region[0].demand_rps[0] = 25.0;
    o->region[1].demand_rps[0] = 10.0;
    o->workload[0].allowed[0] = false;
    o->workload[0].allowed[1] = false;
    dcs_policy_action *a = default_action(o);
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->drop[0][0], 1.0, 0.0);
    CHECK_NEAR(a->drop[0][1], 1.0, 0.0);
    CHECK_NEAR(rep.dropped_rps, 35.0, 1e-12);

    o->workload[0].allowed[0] = true;
    o->region[0].rtt_s[0] = 0.5;   /* region 0 keeps site 0, far as it is */
    memset(a->split, 0, sizeof a->split);
    memset(a->drop, 0, sizeof a->drop);
    a->split[0][0][1] = 1.0;
    a->split[0][1][0] = 0.2;
    a->split[0][1][1] = 0.4;
    a->drop[0][1] = 0.4;
    set_order(a, 0, 0, 2, (const int[]){1, 0});
    set_order(a, 0, 1, 2, (const int[]){1, 0});
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_NEAR(a->split[0][1][0], 1.0, 1e-12);
    CHECK_ABS(a->drop[0][0] + a->drop[0][1], 0.0, 0.0);
    CHECK_NEAR(rep.forbidden_rps, 25.0 + 4.0, 1e-12);
    CHECK_ABS(rep.dropped_rps, 0.0, 0.0);
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
    RUN(own_replicas);
    RUN(drop_only_without_site);
    RUN(power);
    RUN(deadlines);
    return TEST_END();
}
