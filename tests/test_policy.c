/*
 * test_policy.c - each built-in policy on a small constructed case whose
 * right answer is worked out by hand in the comments; the registry, the
 * parameter checks, composition and the observation vector.
 *
 * Numbers are chosen for the hand computation (round capacities, RTTs of
 * tens of milliseconds like those between a user region and a nearby or a
 * distant site), not taken from data.
 */
#include <stdlib.h>
#include <string.h>

#include "dcsim/policy.h"
#include "harness.h"

/* A neutral observation: every site allowed, 4 of 4 replicas up serving
 * 100 requests/s of each workload, PUE 1.2, 300 gCO2/kWh, p99 0.1 s, one
 * cluster of 100 kW (cap now 1, minimum 0.3), no power limit; every RTT
 * 0.05 s; control period 60 s. */
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
        site->pue = 1.2;
        site->ci_g_kwh = 300.0;
        for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
            site->ci_forecast_g_kwh[k] = 300.0;
        site->replicas_up = site->replicas_total = 4;
        site->p99_s = 0.1;
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

static dcs_policy_action *new_action(void)
{
    dcs_policy_action *a = calloc(1, sizeof *a);
    if (!a)
        abort();
    return a;
}

static dcs_policy *make(const dcs_policy_type *t, const dcs_policy_params *p)
{
    dcs_policy_params d = dcs_policy_params_default();
    int st = -1;
    dcs_policy *pol = dcs_policy_alloc(t, p ? p : &d, &st);
    CHECK_INT(st, DCS_OK);
    if (!pol)
        abort();
    return pol;
}

static void registry(void)
{
    CHECK(dcs_registry_check(&dcs_policy_types, NULL));
    CHECK_INT(dcs_policy_types.count, 8);
    CHECK(dcs_registry_find(&dcs_policy_types, "geolocation") == &dcs_policy_geolocation);
    CHECK(dcs_registry_find(&dcs_policy_types, "power_cap") == &dcs_policy_power_cap);
    char buf[256];
    dcs_registry_unknown(&dcs_policy_types, "greedy", buf, sizeof buf);
    CHECK_STR(buf, "unknown policy 'greedy'; valid names: carbon_shift, consolidate, "
                   "geolocation, least_loaded, nearest, power_cap, rl, round_robin");
    for (size_t i = 0; i < dcs_policy_types.count; i++) {
        const dcs_policy_type *t = dcs_policy_types.entries[i].item;
        CHECK_STR(t->name, dcs_policy_types.entries[i].name);
    }
    CHECK_INT(dcs_policy_round_robin.role, DCS_POLICY_PLACEMENT);
    CHECK_INT(dcs_policy_consolidate.role, DCS_POLICY_POWER);
    CHECK_INT(dcs_policy_carbon_shift.role, DCS_POLICY_TEMPORAL);
}

static void bad_params(void)
{
    dcs_policy_params p = dcs_policy_params_default();
    int st = -1;
    p.fill_max = 1.5;   /* above 1 */
    CHECK(dcs_policy_alloc(&dcs_policy_geolocation, &p, &st) == NULL);
    CHECK_INT(st, DCS_ERANGE);
    p = dcs_policy_params_default();
    p.util_target = 0.0;   /* would need infinitely many replicas */
    CHECK(dcs_policy_alloc(&dcs_policy_consolidate, &p, &st) == NULL);
    CHECK_INT(st, DCS_ERANGE);
    p = dcs_policy_params_default();
    p.power_margin = -0.1;
    CHECK(dcs_policy_alloc(&dcs_policy_power_cap, &p, NULL) == NULL);
    p = dcs_policy_params_default();
    dcs_policy *pol = dcs_policy_alloc(&dcs_policy_consolidate, &p, &st);
    CHECK(pol != NULL);
    CHECK_INT(st, DCS_OK);
    CHECK(pol && dcs_policy_type_of(pol) == &dcs_policy_consolidate);
    dcs_policy_free(pol);
    dcs_policy_free(NULL);
}

/* Three sites; workload 0 may not use site 1, workload 1 has no capacity at
 * site 2.  round_robin: w0 -> 1/2, 0, 1/2; w1 -> 1/2, 1/2, 0. */
static void round_robin(void)
{
    dcs_policy_obs *o = make_obs(3, 1, 2);
    o->workload[0].allowed[1] = false;
    o->site[2].capacity_rps[1] = 0.0;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_round_robin, NULL);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 0.5, 1e-12);
    CHECK_ABS(a->split[0][0][1], 0.0, 0.0);
    CHECK_NEAR(a->split[0][0][2], 0.5, 1e-12);
    CHECK_NEAR(a->split[1][0][0], 0.5, 1e-12);
    CHECK_NEAR(a->split[1][0][1], 0.5, 1e-12);
    CHECK_ABS(a->split[1][0][2], 0.0, 0.0);
    CHECK_ABS(a->drop[0][0], 0.0, 0.0);
    /* No site allowed: everything dropped. */
    for (int s = 0; s < 3; s++)
        o->workload[0].allowed[s] = false;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->drop[0][0], 1.0, 1e-12);
    CHECK_ABS(a->split[0][0][0] + a->split[0][0][2], 0.0, 0.0);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Two sites, 100 req/s each with 4 of 4 replicas up, serving 20 and 60
 * req/s of the workload: free capacity 80 and 40 req/s, so the split is
 * 80/120 = 2/3 and 40/120 = 1/3; the spill order puts the less used site
 * 0 first.  The site-wide utilisation (another workload's replicas busy
 * at site 0) does not count: the workload has its own replicas.  With
 * site 0 half asleep (2 of 4 up), its free capacity is 100 x 0.5 - 20 =
 * 30: split 30/70 = 3/7 and 40/70 = 4/7. */
static void least_loaded(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 1);
    o->site[0].served_rps[0] = 20.0;
    o->site[1].served_rps[0] = 60.0;
    o->site[0].utilisation = 0.99;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_least_loaded, NULL);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 1.0 / 3.0, 1e-12);
    CHECK_INT(a->order[0][0][0], 0);
    CHECK_INT(a->order[0][0][1], 1);
    o->site[0].replicas_up = 2;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 3.0 / 7.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 4.0 / 7.0, 1e-12);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* RTTs 0.08, 0.02, 0.01 s; site 2 (the nearest) is forbidden, so all goes
 * to site 1, and the spill order is 1, 0 (usable by RTT), then 2. */
static void nearest(void)
{
    dcs_policy_obs *o = make_obs(3, 1, 1);
    o->region[0].rtt_s[0] = 0.08;
    o->region[0].rtt_s[1] = 0.02;
    o->region[0].rtt_s[2] = 0.01;
    o->workload[0].allowed[2] = false;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_nearest, NULL);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][1], 1.0, 1e-12);
    CHECK_ABS(a->split[0][0][0] + a->split[0][0][2], 0.0, 0.0);
    CHECK_INT(a->order[0][0][0], 1);
    CHECK_INT(a->order[0][0][1], 0);
    CHECK_INT(a->order[0][0][2], 2);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Geolocation: a green site 0 (30 gCO2/kWh, 100 req/s) and a dirty site 1
 * (400 gCO2/kWh, 1000 req/s), service p99 0.1 s at both, SLO 0.2 s.
 * Region A is 0.04 s from green and 0.02 s from dirty: both fit
 * (0.14 and 0.12 <= 0.2).  Region B is 0.15 s from green (0.25 > 0.2: out)
 * and 0.01 s from dirty.
 *  - A 120 req/s, B 50 req/s, fill_max 0.9: A fills green to 0.9 x 100 =
 *    90 req/s (split 90/120 = 0.75), the other 30 go to dirty (0.25); B
 *    all to dirty.
 *  - A 60 req/s: all of A fits green (1.0); B still all to dirty although
 *    green has 30 req/s of room: its SLO binds.
 *  - fill_max 1, A 120: green takes its whole 100 (5/6), dirty 20 (1/6).
 *  - price: green 200, dirty 40 USD/MWh.  Weight 2: scores 30 + 400 = 430
 *    and 400 + 80 = 480, green still first; weight 3: 630 and 520, dirty
 *    first, so A (60 req/s) goes all to dirty. */
static void geolocation(void)
{
    dcs_policy_obs *o = make_obs(2, 2, 1);
    o->site[0].ci_g_kwh = 30.0;
    o->site[1].ci_g_kwh = 400.0;
    o->site[1].capacity_rps[0] = 1000.0;
    o->workload[0].slo_p99_s = 0.2;
    o->region[0].rtt_s[0] = 0.04;
    o->region[0].rtt_s[1] = 0.02;
    o->region[1].rtt_s[0] = 0.15;
    o->region[1].rtt_s[1] = 0.01;
    o->region[0].demand_rps[0] = 120.0;
    o->region[1].demand_rps[0] = 50.0;
    dcs_policy_action *a = new_action();
    dcs_policy_params p = dcs_policy_params_default();
    dcs_policy *pol = make(&dcs_policy_geolocation, &p);
    /* A placement policy writes only the routes; the rest (replicas kept,
     * which enforcement reads) comes from the default action. */
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 0.75, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 0.25, 1e-12);
    CHECK_ABS(a->split[0][1][0], 0.0, 0.0);
    CHECK_NEAR(a->split[0][1][1], 1.0, 1e-12);
    CHECK_INT(a->order[0][0][0], 0);   /* green first by score */
    CHECK_INT(a->order[0][1][0], 1);   /* green outside B's SLO */
    /* Enforcement leaves a feasible geolocation action as it is. */
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 0.75, 1e-12);
    CHECK_ABS(rep.spilled_rps + rep.dropped_rps + rep.forbidden_rps, 0.0, 1e-9);

    o->region[0].demand_rps[0] = 60.0;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_ABS(a->split[0][1][0], 0.0, 0.0);
    CHECK_NEAR(a->split[0][1][1], 1.0, 1e-12);
    dcs_policy_free(pol);

    p.fill_max = 1.0;
    o->region[0].demand_rps[0] = 120.0;
    pol = make(&dcs_policy_geolocation, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 5.0 / 6.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 1.0 / 6.0, 1e-12);
    dcs_policy_free(pol);

    o->site[0].price_usd_mwh = 200.0;
    o->site[1].price_usd_mwh = 40.0;
    o->region[0].demand_rps[0] = 60.0;
    p.price_weight = 2.0;
    pol = make(&dcs_policy_geolocation, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    dcs_policy_free(pol);
    p.price_weight = 3.0;
    pol = make(&dcs_policy_geolocation, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_ABS(a->split[0][0][0], 0.0, 0.0);
    CHECK_NEAR(a->split[0][0][1], 1.0, 1e-12);
    CHECK_INT(a->order[0][0][0], 1);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Geolocation when nothing fits the SLO within capacity: green (100 req/s)
 * fits region A's SLO, dirty is outside it (rtt 0.15 + 0.1 > 0.2), A asks
 * 150 req/s, fill 0.9.  Green takes 90 then, at full capacity, 10 more
 * (100/150 = 2/3); dirty, outside the SLO but usable, takes the other 50
 * (1/3); nothing is dropped.  With dirty forbidden, green is the only
 * usable site: all 150 go there (split 1, drop 0), and enforcement
 * reports the 50 over its capacity as overload. */
static void geolocation_overflow(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 1);
    o->site[0].ci_g_kwh = 30.0;
    o->site[1].ci_g_kwh = 400.0;
    o->site[1].capacity_rps[0] = 1000.0;
    o->workload[0].slo_p99_s = 0.2;
    o->region[0].rtt_s[0] = 0.04;
    o->region[0].rtt_s[1] = 0.15;
    o->region[0].demand_rps[0] = 150.0;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_geolocation, NULL);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 2.0 / 3.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 1.0 / 3.0, 1e-12);
    CHECK_ABS(a->drop[0][0], 0.0, 1e-12);
    o->workload[0].allowed[1] = false;
    dcs_policy_action_default(o, a);   /* all replicas kept */
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_ABS(a->drop[0][0], 0.0, 0.0);
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_NEAR(rep.overload_rps, 50.0, 1e-12);
    CHECK_ABS(rep.dropped_rps, 0.0, 0.0);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Geolocation with two workloads, each on its own replicas: green has
 * capacity 100 req/s for w0 and 50 for w1, dirty 1000 and 30; no SLO;
 * fill_max 0.9.  w0 asks 60 (under 0.9 x 100) and w1 40 (under 0.9 x 50):
 * both stay all at green (a shared pool, 0.6 + 0.8 of it, would have
 * pushed most of w1 to dirty).  w1 asking 100: green 45, dirty 27 at
 * fill_max, then 5 and 3 more at full capacity (80); the 20 no site has
 * room for are spread by awake capacity 50 : 30, 12.5 and 7.5: splits
 * 62.5/100 and 37.5/100, and enforcement reports 20 req/s overload. */
static void geolocation_own_replicas(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 2);
    o->site[0].ci_g_kwh = 30.0;
    o->site[1].ci_g_kwh = 400.0;
    o->site[0].capacity_rps[1] = 50.0;
    o->site[1].capacity_rps[0] = 1000.0;
    o->site[1].capacity_rps[1] = 30.0;
    o->region[0].demand_rps[0] = 60.0;
    o->region[0].demand_rps[1] = 40.0;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_geolocation, NULL);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_NEAR(a->split[1][0][0], 1.0, 1e-12);

    o->region[0].demand_rps[1] = 100.0;
    dcs_policy_action_default(o, a);   /* all replicas kept */
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->split[1][0][0], 0.625, 1e-12);
    CHECK_NEAR(a->split[1][0][1], 0.375, 1e-12);
    CHECK_ABS(a->drop[1][0], 0.0, 0.0);
    dcs_policy_report rep;
    dcs_policy_enforce(o, a, &rep);
    CHECK_NEAR(a->split[1][0][0], 0.625, 1e-9);
    CHECK_NEAR(rep.overload_rps, 20.0, 1e-9);
    CHECK_ABS(rep.spilled_rps + rep.dropped_rps, 0.0, 1e-9);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Carbon shift at a site with 300 gCO2/kWh now and the forecast 200, 100,
 * 400, then 500 for hours 4..24.
 *  job 0: needs ceil(5400 / 3600) = 2 h, deadline 4 h: hours 0..3 are
 *         300, 200, 100, 400; two (200, 100) are cleaner than now, so now
 *         is not among the 2 cleanest: pause.
 *  job 1: needs ceil(10000 / 3600) = 3 h, same deadline: 2 < 3, run.
 *  job 2: needs 2 h, deadline 2 h: no slack, run.
 *  job 3: needs 2 h, deadline 48 h: the window mean is (200 + 100 + 400 +
 *         21 x 500) / 24 = 466.7, not cleaner than 300, so only the two
 *         forecast hours count: pause.
 *  job 4: at a second site with 480 now, same forecast, needs 30 h,
 *         deadline 48 h: cleaner are 200, 100, 400 in the window and the
 *         23 hours 25..47 valued at 466.7 < 480: 26 < 30, run.
 *  job 5: the same with 20 h needed: 26 >= 20, pause. */
static void carbon_shift(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 1);
    for (int s = 0; s < 2; s++) {
        double *f = o->site[s].ci_forecast_g_kwh;
        f[0] = 200.0;
        f[1] = 100.0;
        f[2] = 400.0;
        for (int k = 3; k < DCS_POLICY_FORECAST_HOURS; k++)
            f[k] = 500.0;
    }
    o->site[1].ci_g_kwh = 480.0;
    const double h = 3600.0;
    o->njobs = 6;
    o->job[0] = (dcs_policy_job_obs){0, 0, 5400.0, 4 * h, false};
    o->job[1] = (dcs_policy_job_obs){0, 0, 10000.0, 4 * h, false};
    o->job[2] = (dcs_policy_job_obs){0, 0, 2 * h, 2 * h, false};
    o->job[3] = (dcs_policy_job_obs){0, 0, 2 * h, 48 * h, true};
    o->job[4] = (dcs_policy_job_obs){0, 1, 30 * h, 48 * h, false};
    o->job[5] = (dcs_policy_job_obs){0, 1, 20 * h, 48 * h, false};
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_carbon_shift, NULL);
    dcs_policy_decide(pol, o, a);
    CHECK(!a->run[0]);
    CHECK(a->run[1]);
    CHECK(a->run[2]);
    CHECK(!a->run[3]);
    CHECK(a->run[4]);
    CHECK(!a->run[5]);
    /* When the dirty hours are past, the forecast's clean hours come now:
     * job 0 at 100 now, with 200, 100 ahead: nothing cleaner, run. */
    o->site[0].ci_g_kwh = 100.0;
    dcs_policy_decide(pol, o, a);
    CHECK(a->run[0]);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Power cap, from a cap of 0.8 now, target p99 0.2 s, gain 0.5, margin
 * 0.05, a 1 MW limit:
 *  p99 0.15 s: e = (0.2 - 0.15) / 0.2 = 0.25, c_lat = 0.8 (1 - 0.125) =
 *    0.7; headroom 100 kW: h = 0.1, c_pow = 0.8 (1 + 0.5 x 0.05) = 0.82;
 *    the cap is min = 0.7.
 *  p99 0.3 s: e = -0.5, c_lat = 0.8 x 1.25 = 1.0; headroom 0: c_pow =
 *    0.8 (1 - 0.025) = 0.78; cap 0.78.
 *  p99 0.01 s: e = 0.95, c_lat = 0.8 x 0.525 = 0.42, below the minimum
 *    0.5: cap 0.5.
 *  no target, headroom 300 kW: c_pow = 0.8 (1 + 0.5 x 0.25) = 0.9. */
static void power_cap(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 1);
    dcs_policy_site_obs *site = &o->site[0];
    site->cluster_cap_now[0] = 0.8;
    site->cluster_cap_min[0] = 0.5;
    site->power_limit_w = 1e6;
    site->headroom_w = 100e3;
    site->p99_s = 0.15;
    dcs_policy_params p = dcs_policy_params_default();
    p.latency_target_s = 0.2;
    p.cap_gain = 0.5;
    p.power_margin = 0.05;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_power_cap, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.7, 1e-12);
    site->p99_s = 0.3;
    site->headroom_w = 0.0;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.78, 1e-12);
    site->p99_s = 0.01;
    site->headroom_w = 100e3;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.5, 1e-12);
    dcs_policy_free(pol);
    p.latency_target_s = 0.0;
    site->headroom_w = 300e3;
    pol = make(&dcs_policy_power_cap, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.9, 1e-12);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* power_cap leaves the round trip its share of the SLO (power_cap.c).
 * One site at cap 0.8, minimum 0.3, target 0.2 s, gain 0.5, no power
 * limit; workload SLO 0.25 s end to end; p99 0.15 s.  Two regions send
 * 10 req/s each (served 20: evidence holds):
 *  RTTs 0.01 and 0.1 s: target_s = min(0.2, 0.24, 0.15) = 0.15 s,
 *    e = 0: the cap stays 0.8 (with the bare target, e = 0.25 and
 *    c = 0.8 (1 - 0.125) = 0.7 would slow the far users past the SLO);
 *  the far region sends nothing: target_s = min(0.2, 0.24) = 0.2, c = 0.7;
 *  far RTT 0.3 s (above the SLO by itself): target_s < 0, no latency
 *    rule, cap 1. */
static void power_cap_leaves_round_trip(void)
{
    dcs_policy_obs *o = make_obs(1, 2, 1);
    dcs_policy_site_obs *site = &o->site[0];
    site->cluster_cap_now[0] = 0.8;
    site->p99_s = 0.15;
    site->served_rps[0] = 20.0;
    o->workload[0].slo_p99_s = 0.25;
    o->region[0].rtt_s[0] = 0.01;
    o->region[1].rtt_s[0] = 0.1;
    o->region[0].demand_rps[0] = o->region[1].demand_rps[0] = 10.0;
    dcs_policy_params p = dcs_policy_params_default();
    p.latency_target_s = 0.2;
    p.cap_gain = 0.5;
    dcs_policy_action *a = new_action();
    a->split[0][0][0] = a->split[0][1][0] = 1.0;
    dcs_policy *pol = make(&dcs_policy_power_cap, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.8, 1e-12);
    o->region[1].demand_rps[0] = 0.0;
    site->served_rps[0] = 10.0;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.7, 1e-12);
    o->region[1].demand_rps[0] = 10.0;
    site->served_rps[0] = 20.0;
    o->region[1].rtt_s[0] = 0.3;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 1.0, 1e-12);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* power_cap's latency rule needs evidence (power_cap.c).  One site of
 * capacity 100 req/s at cap 0.8, target 0.2 s, gain 0.5, no power limit;
 * with evidence p99 0.15 s gives c = 0.8 (1 - 0.5 x 0.25) = 0.7 as above.
 *  p99 0 (nothing served): cap 1;
 *  60 req/s sent, 30 served: 30 more > a fifth of 100: cap 1;
 *  60 sent, 50 served: 10 more <= 20: the rule, 0.7. */
static void power_cap_needs_evidence(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 1);
    dcs_policy_site_obs *site = &o->site[0];
    site->cluster_cap_now[0] = 0.8;
    site->p99_s = 0.0;
    dcs_policy_params p = dcs_policy_params_default();
    p.latency_target_s = 0.2;
    p.cap_gain = 0.5;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_power_cap, &p);
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 1.0, 1e-12);
    site->p99_s = 0.15;
    o->region[0].demand_rps[0] = 60.0;
    a->split[0][0][0] = 1.0;
    site->served_rps[0] = 30.0;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 1.0, 1e-12);
    site->served_rps[0] = 50.0;
    dcs_policy_decide(pol, o, a);
    CHECK_NEAR(a->cap[0][0], 0.7, 1e-12);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Consolidate's latency guard (consolidate.c).  One site of 8 replicas,
 * 25 req/s each (200 in all), util_target 0.7, 70 req/s from one region
 * with RTT 0.5 s to a workload with a 2 s SLO: budget b = 1.5 s; by
 * utilisation alone m = 70 / 25 = 2.8, 2.8 / 0.7 = 4 replicas.
 *  8 powered, p99 1.0 s <= 0.9 b = 1.35 s: no guard, down to 4;
 *  8 powered, p99 1.4 s in (1.35, 1.5]: none powered down, 8;
 *  4 powered, p99 1.8 s > b: ceil(4 x 1.8 / 1.5) = ceil(4.8) = 5;
 *  4 powered, p99 3.0 s: ceil(4 x 2) = 8;
 *  without an SLO the p99 says nothing: 4. */
static void consolidate_latency_guard(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 1);
    dcs_policy_site_obs *site = &o->site[0];
    site->replicas_up = site->replicas_total = 8;
    site->capacity_rps[0] = 200.0;
    site->wake_delay_s = 120.0;
    o->workload[0].slo_p99_s = 2.0;
    o->region[0].rtt_s[0] = 0.5;
    o->region[0].demand_rps[0] = 70.0;
    dcs_policy_params p = dcs_policy_params_default();
    p.util_target = 0.7;
    p.hold_s = 600.0;
    p.min_replicas = 0;
    dcs_policy_action *a = new_action();
    dcs_policy_action_default(o, a);
    dcs_policy *pol = make(&dcs_policy_consolidate, &p);
    site->p99_s = 1.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 4);
    dcs_policy_free(pol);
    pol = make(&dcs_policy_consolidate, &p);
    site->p99_s = 1.4;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 8);
    site->replicas_up = 4;
    site->p99_s = 1.8;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 5);
    site->p99_s = 3.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 8);
    dcs_policy_free(pol);
    pol = make(&dcs_policy_consolidate, &p);
    o->workload[0].slo_p99_s = 0.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 4);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Consolidate: one site of 4 replicas serving 100 req/s in all (25 each),
 * util_target 0.7, hold 600 s, wake delay 120 s.
 *  t 0, 40 req/s: m = 40 / 25 = 1.6, 1.6 / 0.7 = 2.29 -> 3 replicas; 4 are
 *    powered and more were never needed: down to 3 at once.
 *  t 100, 60 req/s, 3 up: m = 2.4, / 0.7 = 3.43 -> 4 >= 3: wake one now.
 *  t 400, 20 req/s, 4 up: m = 0.8 -> 2, but 300 s since load needed 4 <
 *    hold 600 s: keep 4.
 *  t 800: 700 s >= 600: down to 2.
 *  t 800 with wake delay 1200 s: hold = 1200 s, keep 4.
 *  t 2000, no load, min_replicas 0: scale to zero. */
static void consolidate(void)
{
    dcs_policy_obs *o = make_obs(1, 1, 1);
    o->site[0].wake_delay_s = 120.0;
    dcs_policy_params p = dcs_policy_params_default();
    p.util_target = 0.7;
    p.hold_s = 600.0;
    p.min_replicas = 0;
    dcs_policy_action *a = new_action();
    dcs_policy *pol = make(&dcs_policy_consolidate, &p);
    dcs_policy_action_default(o, a);   /* all to site 0 */

    o->region[0].demand_rps[0] = 40.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 3);

    o->now_s = 100.0;
    o->site[0].replicas_up = 3;
    o->region[0].demand_rps[0] = 60.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 4);

    o->now_s = 400.0;
    o->site[0].replicas_up = 4;
    o->region[0].demand_rps[0] = 20.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 4);

    o->now_s = 800.0;
    o->site[0].wake_delay_s = 1200.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 4);
    o->site[0].wake_delay_s = 120.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 2);

    o->now_s = 2000.0;
    o->site[0].replicas_up = 2;
    o->region[0].demand_rps[0] = 0.0;
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 0);
    dcs_policy_free(pol);
    free(o);

    /* Two workloads with their own replicas, 24 in all at the site: w0's
     * pool serves 160 req/s and gets 80 (50 %), w1's serves 80 and gets 28
     * (35 %).  The kept share holds for both pools, so the most loaded
     * decides: m = 24 x 0.5 = 12, n = ceil(12 / 0.7) = ceil(17.1) = 18
     * (summing the shares as one pool would, 24 x 0.85 / 0.7, asks all 24). */
    o = make_obs(1, 1, 2);
    o->site[0].replicas_up = o->site[0].replicas_total = 24;
    o->site[0].capacity_rps[0] = 160.0;
    o->site[0].capacity_rps[1] = 80.0;
    o->region[0].demand_rps[0] = 80.0;
    o->region[0].demand_rps[1] = 28.0;
    pol = make(&dcs_policy_consolidate, &p);
    dcs_policy_action_default(o, a);
    dcs_policy_decide(pol, o, a);
    CHECK_INT(a->replicas[0], 18);
    dcs_policy_free(pol);
    free(a);
    free(o);
}

/* Consolidate wakes 2 replicas (4 needed, 2 up): until they serve, the
 * site's capacity is 2 / 4 x 100 = 50 req/s, so of 60 req/s 10 spill to
 * the second site (spill order by RTT: site 1 after site 0). */
static void wake_delay_spills(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 1);
    o->region[0].rtt_s[1] = 0.09;
    o->site[0].replicas_up = 2;
    o->region[0].demand_rps[0] = 60.0;
    dcs_policy_params p = dcs_policy_params_default();
    dcs_policy *near = make(&dcs_policy_nearest, &p);
    dcs_policy *cons = make(&dcs_policy_consolidate, &p);
    dcs_policy_stack st = {near, {cons, NULL}, NULL};
    dcs_policy_action *a = new_action();
    dcs_policy_report rep;
    dcs_policy_stack_decide(&st, o, a, &rep);
    CHECK_INT(a->replicas[0], 4);
    CHECK_NEAR(a->split[0][0][0], 50.0 / 60.0, 1e-12);
    CHECK_NEAR(a->split[0][0][1], 10.0 / 60.0, 1e-12);
    CHECK_NEAR(rep.spilled_rps, 10.0, 1e-12);
    CHECK_ABS(rep.dropped_rps, 0.0, 1e-12);
    dcs_policy_free(near);
    dcs_policy_free(cons);
    free(a);
    free(o);
}

/* A full stack, geolocation + power_cap + carbon_shift: each part shows
 * its own hand result from the cases above in one action (A 60 req/s all
 * to green; a job with 2 cleaner hours ahead pauses; the cap as in
 * power_cap_leaves_round_trip: the site's target is min(0.2, SLO 0.2 -
 * RTT 0.04) = 0.16 s, e = (0.16 - 0.15) / 0.16 = 0.0625, cap 0.8 x (1 -
 * 0.5 x 0.0625) = 0.775). */
static void stack(void)
{
    dcs_policy_obs *o = make_obs(2, 1, 1);
    o->site[0].ci_g_kwh = 30.0;
    o->site[1].ci_g_kwh = 400.0;
    o->workload[0].slo_p99_s = 0.2;
    o->region[0].rtt_s[0] = 0.04;
    o->region[0].rtt_s[1] = 0.02;
    o->region[0].demand_rps[0] = 60.0;
    o->site[0].cluster_cap_now[0] = 0.8;
    o->site[0].p99_s = 0.15;
    o->site[0].served_rps[0] = 60.0;   /* steady: its p99 speaks for the load sent */
    o->site[0].ci_forecast_g_kwh[0] = 20.0;
    o->site[0].ci_forecast_g_kwh[1] = 10.0;
    o->njobs = 1;
    o->job[0] = (dcs_policy_job_obs){0, 0, 5400.0, 4 * 3600.0, false};
    dcs_policy_params p = dcs_policy_params_default();
    p.latency_target_s = 0.2;
    dcs_policy *g = make(&dcs_policy_geolocation, &p);
    dcs_policy *c = make(&dcs_policy_power_cap, &p);
    dcs_policy *t = make(&dcs_policy_carbon_shift, &p);
    dcs_policy_stack st = {g, {c, NULL}, t};
    dcs_policy_action *a = new_action();
    dcs_policy_report rep;
    dcs_policy_stack_decide(&st, o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_NEAR(a->cap[0][0], 0.775, 1e-12);
    CHECK(!a->run[0]);
    CHECK_INT(a->replicas[0], 4);   /* no consolidation in this stack */
    /* Both power policies act in one stack, power_cap on the caps and
     * consolidate on the replicas, which counts the cap power_cap set (0.7,
     * below) as 0.7 of each replica's full-clock 25 req/s: at 30 req/s
     * green needs ceil(30 / 25 / 0.7 / 0.7) = ceil(2.45) = 3 of its 4
     * replicas (without the cap 2), which carry 75 >= 30 req/s at full
     * clock, so the split stands. */
    dcs_policy *k = make(&dcs_policy_consolidate, &p);
    o->region[0].demand_rps[0] = 30.0;
    o->site[0].served_rps[0] = 30.0;
    o->site[0].p99_s = 0.12;   /* under 0.9 x 0.16 s: no latency guard; the cap:
                                  e = 0.25, 0.8 x (1 - 0.125) = 0.7 */
    st.power[1] = k;
    dcs_policy_stack_decide(&st, o, a, &rep);
    CHECK_NEAR(a->split[0][0][0], 1.0, 1e-12);
    CHECK_NEAR(a->cap[0][0], 0.7, 1e-12);
    CHECK_INT(a->replicas[0], 3);
    CHECK_ABS(rep.spilled_rps + rep.dropped_rps, 0.0, 0.0);
    dcs_policy_free(k);
    /* An empty stack gives the default action, enforced: nearest site. */
    dcs_policy_stack none = {NULL, {NULL, NULL}, NULL};
    dcs_policy_stack_decide(&none, o, a, &rep);
    CHECK_NEAR(a->split[0][0][1], 1.0, 1e-12);
    CHECK(a->run[0]);
    dcs_policy_free(g);
    dcs_policy_free(c);
    dcs_policy_free(t);
    free(a);
    free(o);
}

/* Observation vector: 3 sites, 2 regions, 2 workloads give
 * 3 (37 + 2) + 2 (2 + 3) + 2 (2 + 2 x 3) = 117 + 10 + 16 = 143 values. */
static void obs_vector(void)
{
    CHECK_INT(dcs_policy_obs_len(3, 2, 2), 143);
    dcs_policy_obs *o = make_obs(3, 2, 2);
    o->site[0].ci_g_kwh = 250.0;
    o->site[1].ci_forecast_g_kwh[23] = 600.0;
    o->region[1].demand_rps[0] = 30.0;
    o->region[0].demand_rps[0] = 10.0;
    o->region[1].rtt_s[2] = 0.07;
    o->workload[1].allowed[1] = false;
    o->njobs = 1;
    o->job[0] = (dcs_policy_job_obs){1, 2, 3600.0, 7200.0, false};
    /* Site 2 without a power limit, written +inf as runs do: its bound is
     * PUE x cluster maxima = 1.25 x 4e5 = 5e5 W, so IT 1e5 W is 0.2 of it
     * and the headroom 5e5 - 1.25 x 1e5 = 3.75e5 W is 0.75. */
    o->site[2].power_limit_w = HUGE_VAL;
    o->site[2].headroom_w = HUGE_VAL;
    o->site[2].pue = 1.25;
    o->site[2].it_power_w = 1e5;
    o->site[2].nclusters = 1;
    o->site[2].cluster_max_w[0] = 4e5;
    double v[200];
    for (int i = 0; i < 200; i++)
        v[i] = -99.0;
    CHECK_INT(dcs_policy_obs_vector(o, v, 200), 143);
    CHECK_NEAR(v[0], 0.25, 1e-12);              /* 250 / 1000 */
    CHECK_NEAR(v[39 + 24], 0.6, 1e-12);         /* site 1, forecast hour 24 */
    CHECK_NEAR(v[0 + 37], 1.0 / 3.0, 1e-12);    /* site 0 holds a third of w0's capacity */
    /* Region 1 block starts at 117 + 5 = 122: w0 share 30/40, w1 0, RTTs. */
    CHECK_NEAR(v[122], 0.75, 1e-12);
    CHECK_ABS(v[123], 0.0, 0.0);
    CHECK_NEAR(v[126], 0.7, 1e-12);             /* 0.07 s / 0.1 s */
    /* Workload 1 block at 127 + 8 = 135: log10(1 + 0) / 4, slo, allowed
     * 1 0 1, jobs at sites 0 1 2 = 0 0 1/8. */
    CHECK_ABS(v[135], 0.0, 0.0);
    CHECK_NEAR(v[137], 1.0, 1e-12);
    CHECK_ABS(v[138], 0.0, 0.0);
    CHECK_NEAR(v[142], 0.125, 1e-12);
    CHECK_NEAR(v[143], -99.0, 0.0);             /* nothing past the end */
    CHECK_NEAR(v[2 * 39 + 30], 0.2, 1e-12);     /* site 2: IT / bound */
    CHECK_NEAR(v[2 * 39 + 31], 0.75, 1e-12);    /* site 2: headroom / bound */
    /* A short buffer: the full length is still returned, nothing written
     * beyond it. */
    double w[4] = {-1, -1, -1, -1};
    CHECK_INT(dcs_policy_obs_vector(o, w, 3), 143);
    CHECK_NEAR(w[2], 0.3, 1e-12);               /* site 0's first forecast hour */
    CHECK_NEAR(w[3], -1.0, 0.0);
    free(o);
}

int main(void)
{
    RUN(registry);
    RUN(bad_params);
    RUN(round_robin);
    RUN(least_loaded);
    RUN(nearest);
    RUN(geolocation);
    RUN(geolocation_overflow);
    RUN(geolocation_own_replicas);
    RUN(carbon_shift);
    RUN(power_cap);
    RUN(power_cap_needs_evidence);
    RUN(power_cap_leaves_round_trip);
    RUN(consolidate);
    RUN(consolidate_latency_guard);
    RUN(wake_delay_spills);
    RUN(stack);
    RUN(obs_vector);
    return TEST_END();
}
