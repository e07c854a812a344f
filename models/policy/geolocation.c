/*
 * geolocation.c - carbon- (and price-) aware placement under latency SLOs
 * and sovereignty.
 *
 * For workload w and user region r, site s is eligible when w may use it
 * and the region's round trip plus the site's recent service-side p99 fits
 * the workload's end-to-end SLO:
 *   rtt_r,s + p99_s <= slo_w          (any site fits when slo_w = 0).
 * Eligible sites are ranked by the score
 *   score_s = ci_s + price_weight x price_s    [gCO2/kWh]
 * lowest first.  Demand fills them in that order, each up to fill_max of
 * its awake serving capacity for w (each workload has its own replicas:
 * w may fill site s to fill_max x capacity_w,s x up / total requests/s,
 * whatever the other workloads do there).  Regions are placed in index
 * order, so a region placed earlier gets the cleaner site first.  What the
 * eligible sites cannot take at fill_max they then take up to full
 * capacity (same order); what is still left goes to the usable sites
 * outside the SLO, nearest first, up to full capacity (a late answer
 * rather than none).  What no usable site has room for is not dropped: it
 * is spread over the usable sites in proportion to their awake capacity
 * for w (each then over by the same share, as a capacity-weighted load
 * balancer sends it; enforcement reports it as overload).  Only a region
 * with no usable site drops its demand.  The spill order is: eligible by
 * score, then usable by RTT, then the rest.
 *
 * Left out: the p99 a site will show under the new load is taken to be
 * the one it shows now (fill_max is the guard against queueing growth);
 * marginal intensity is observed but not used in the score.
 */
#include "dcsim/policy.h"

#include <string.h>

#include "policy_util.h"

/* What w's replicas at the site serve while awake, req/s. */
static double awake_rps(const dcs_policy_site_obs *site, int w)
{
    return site->capacity_rps[w] * policy_awake_share(site, site->replicas_total);
}

/* Share `left` of (w, r) that no site has room for: to the usable sites
 * in proportion to their awake capacity for w (the first usable site of
 * the order when none is awake). */
static void spread_overload(const dcs_policy_obs *obs, dcs_policy_action *act, int w, int r,
                            double left)
{
    double sum = 0.0;
    for (int s = 0; s < obs->nsites; s++)
        if (policy_usable(obs, w, s))
            sum += awake_rps(&obs->site[s], w);
    if (!(sum > 0.0)) {
        act->split[w][r][act->order[w][r][0]] += left;
        return;
    }
    for (int s = 0; s < obs->nsites; s++)
        if (policy_usable(obs, w, s))
            act->split[w][r][s] += left * awake_rps(&obs->site[s], w) / sum;
}

/* Fill demand share `left` of (w, r) into the sites listed in order[from..to)
 * up to `fill` of each site's awake capacity for w; used[s] is w's load
 * at s so far (req/s).  Returns the share still left. */
static double fill_sites(const dcs_policy_obs *obs, dcs_policy_action *act, int w, int r,
                         int from, int to, double fill, double *used, double left)
{
    double demand = obs->region[r].demand_rps[w];
    for (int i = from; i < to && left > 0.0; i++) {
        int s = act->order[w][r][i];
        const dcs_policy_site_obs *site = &obs->site[s];
        double room = fill * awake_rps(site, w) - used[s];
        if (room <= 0.0)
            continue;
        double take = room / demand;
        if (take > left)
            take = left;
        act->split[w][r][s] += take;
        used[s] += take * demand;
        left -= take;
    }
    return left;
}

static void geolocation_decide(void *state, const dcs_policy_params *p,
                               const dcs_policy_obs *obs, dcs_policy_action *act)
{
    (void)state;
    double score[DCS_POLICY_MAX_SITES];
    for (int s = 0; s < obs->nsites; s++)
        score[s] = obs->site[s].ci_g_kwh + p->price_weight * obs->site[s].price_usd_mwh;

    for (int w = 0; w < obs->nworkloads; w++) {
        double slo = obs->workload[w].slo_p99_s;
        double used[DCS_POLICY_MAX_SITES] = {0.0};   /* w's load placed so far, req/s */
        for (int r = 0; r < obs->nregions; r++) {
            const dcs_policy_region_obs *reg = &obs->region[r];
            bool usable[DCS_POLICY_MAX_SITES], eligible[DCS_POLICY_MAX_SITES];
            int neligible = 0, nusable = 0;
            double key[DCS_POLICY_MAX_SITES];
            for (int s = 0; s < obs->nsites; s++) {
                usable[s] = policy_usable(obs, w, s);
                eligible[s] = usable[s] &&
                              (slo <= 0.0 || reg->rtt_s[s] + obs->site[s].p99_s <= slo);
                neligible += eligible[s];
                nusable += usable[s];
                /* Only the eligible part of this ordering is kept: the
                 * other sites are placed by RTT just below. */
                key[s] = eligible[s] ? score[s] : reg->rtt_s[s];
            }
            unsigned char *order = act->order[w][r];
            unsigned char rest[DCS_POLICY_MAX_SITES];
            policy_sort_sites(key, eligible, obs->nsites, order);
            /* Sites after the eligible ones: usable first, by RTT. */
            policy_sort_sites(reg->rtt_s, usable, obs->nsites, rest);
            int k = neligible;
            for (int i = 0; i < obs->nsites; i++)
                if (!eligible[rest[i]])
                    order[k++] = rest[i];

            memset(act->split[w][r], 0, sizeof act->split[w][r]);
            act->drop[w][r] = 0.0;
            if (nusable == 0) {
                act->drop[w][r] = 1.0;
                continue;
            }
            if (reg->demand_rps[w] <= 0.0) {
                act->split[w][r][order[0]] = 1.0;
                continue;
            }
            double left = 1.0;
            left = fill_sites(obs, act, w, r, 0, neligible, p->fill_max, used, left);
            left = fill_sites(obs, act, w, r, 0, neligible, 1.0, used, left);
            left = fill_sites(obs, act, w, r, neligible, nusable, 1.0, used, left);
            if (left > 0.0)
                spread_overload(obs, act, w, r, left);
        }
    }
}

const dcs_policy_type dcs_policy_geolocation = {"geolocation", DCS_POLICY_PLACEMENT, 0, NULL,
                                                geolocation_decide, NULL};
