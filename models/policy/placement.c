/*
 * placement.c - the simple placement policies: round_robin, least_loaded,
 * nearest.  Each writes, for every workload w and user region r, the split
 * of r's demand over the sites and the spill order; only sites that may
 * serve w (sovereignty allows it, capacity_w > 0) get a share.
 *
 *   round_robin   split_s = 1 / |U| over the usable sites U; spill by RTT.
 *                 (Equal shares per period are what a request-by-request
 *                 rotation gives on average.)
 *   least_loaded  split_s proportional to the free serving capacity w's
 *                 own replicas at s have now,
 *                   max(0, capacity_w,s x up / total - served_w,s)
 *                 (served: w's completions per second over the last
 *                 period; the other workloads' load there does not count,
 *                 they have their own replicas); equal shares when no
 *                 site has any free; spill by w's use of its awake
 *                 capacity, served / (capacity x up / total), lowest
 *                 first.
 *   nearest       everything to the usable site of lowest RTT; spill by
 *                 RTT.
 * A region with no usable site drops its demand (enforcement counts it).
 *
 * Left out: none of these looks at carbon, price or latency SLOs; that is
 * what geolocation adds.
 */
#include "dcsim/policy.h"

#include <math.h>
#include <string.h>

#include "policy_util.h"

static void clear_route(const dcs_policy_obs *obs, dcs_policy_action *act, int w, int r)
{
    memset(act->split[w][r], 0, sizeof act->split[w][r]);
    act->drop[w][r] = 0.0;
    policy_order_by_rtt(obs, w, r, act->order[w][r]);
}

/* Put weight[s] / sum(weight) on each usable site, equal shares when the
 * weights sum to 0, drop all when no site is usable. */
static void split_by_weight(const dcs_policy_obs *obs, dcs_policy_action *act, int w, int r,
                            const double *weight)
{
    double sum = 0.0;
    int n = 0;
    for (int s = 0; s < obs->nsites; s++) {
        if (policy_usable(obs, w, s)) {
            sum += weight[s];
            n++;
        }
    }
    if (n == 0) {
        act->drop[w][r] = 1.0;
        return;
    }
    for (int s = 0; s < obs->nsites; s++)
        if (policy_usable(obs, w, s))
            act->split[w][r][s] = sum > 0.0 ? weight[s] / sum : 1.0 / n;
}

static void round_robin_decide(void *state, const dcs_policy_params *p,
                               const dcs_policy_obs *obs, dcs_policy_action *act)
{
    (void)state;
    (void)p;
    double one[DCS_POLICY_MAX_SITES];
    for (int s = 0; s < obs->nsites; s++)
        one[s] = 1.0;
    for (int w = 0; w < obs->nworkloads; w++) {
        for (int r = 0; r < obs->nregions; r++) {
            clear_route(obs, act, w, r);
            split_by_weight(obs, act, w, r, one);
        }
    }
}

static void least_loaded_decide(void *state, const dcs_policy_params *p,
                                const dcs_policy_obs *obs, dcs_policy_action *act)
{
    (void)state;
    (void)p;
    double free_rps[DCS_POLICY_MAX_SITES], util[DCS_POLICY_MAX_SITES];
    for (int w = 0; w < obs->nworkloads; w++) {
        bool usable[DCS_POLICY_MAX_SITES];
        for (int s = 0; s < obs->nsites; s++) {
            const dcs_policy_site_obs *site = &obs->site[s];
            double awake = site->capacity_rps[w] * policy_awake_share(site, site->replicas_total);
            double served = site->served_rps[w] > 0.0 ? site->served_rps[w] : 0.0;
            free_rps[s] = awake > served ? awake - served : 0.0;
            /* A site with nothing awake for w is full. */
            util[s] = awake > 0.0 ? served / awake : (double)INFINITY;
            usable[s] = policy_usable(obs, w, s);
        }
        for (int r = 0; r < obs->nregions; r++) {
            clear_route(obs, act, w, r);
            policy_sort_sites(util, usable, obs->nsites, act->order[w][r]);
            split_by_weight(obs, act, w, r, free_rps);
        }
    }
}

static void nearest_decide(void *state, const dcs_policy_params *p, const dcs_policy_obs *obs,
                           dcs_policy_action *act)
{
    (void)state;
    (void)p;
    for (int w = 0; w < obs->nworkloads; w++) {
        for (int r = 0; r < obs->nregions; r++) {
            clear_route(obs, act, w, r);
            int s = obs->nsites > 0 ? act->order[w][r][0] : -1;
            if (s >= 0 && policy_usable(obs, w, s))
                act->split[w][r][s] = 1.0;
            else
                act->drop[w][r] = 1.0;
        }
    }
}

const dcs_policy_type dcs_policy_round_robin = {"round_robin", DCS_POLICY_PLACEMENT, 0, NULL,
                                                round_robin_decide, NULL};
const dcs_policy_type dcs_policy_least_loaded = {"least_loaded", DCS_POLICY_PLACEMENT, 0, NULL,
                                                 least_loaded_decide, NULL};
const dcs_policy_type dcs_policy_nearest = {"nearest", DCS_POLICY_PLACEMENT, 0, NULL,
                                            nearest_decide, NULL};
