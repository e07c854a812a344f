/*
 * power_cap.c - cap GPU power to hold a latency target or a site power
 * limit, trading latency for energy.
 *
 * Every cluster of site s gets a new cap from the one applied now, c, by
 * two feedback rules, of which the lower wins:
 *   latency   e = (target_s - p99_s) / target_s, where the site's target
 *             is the latency target less the longest round trip of the
 *             users the placement now sends to it, for workloads with an
 *             end-to-end SLO:
 *               target_s = min(target, min_{w,r: split > 0} slo_w - rtt_r,s)
 *             (p99_s is service-side; a cap that let it reach the whole
 *             SLO would leave nothing for the round trip, and placement
 *             policies that admit a site while rtt + p99 <= slo would then
 *             move the traffic away: the cap would spend their budget);
 *             c_lat = c x (1 - gain x e)
 *             (p99 below target: e > 0, the cap falls and energy is saved;
 *             above target: the cap rises);  c_lat = 1 without a target
 *             or when target_s <= 0 (a round trip alone breaks an SLO:
 *             full clock is the best the site can do);
 *   power     h = headroom / limit,
 *             c_pow = c x (1 + gain x (h - margin))
 *             (headroom below the margin lowers the cap); c_pow = 1 when
 *             the site has no power limit;
 * and the result is clamped to [cap_min, 1].  The latency rule needs
 * evidence: a site that served nothing in the last period (p99 0), or to
 * which the placement now sends more than it served by over a fifth of its
 * serving capacity, gets c_lat = 1 - its p99 says nothing about the new
 * load, and a site lowered
 * to its minimum cap while idle would meet spilled load at its slowest
 * clock (with geolocation spilling on latency, that made the stack
 * oscillate).  A capped GPU runs at a lower
 * clock: compute-bound work slows roughly in proportion, memory-bound
 * decode much less (FACTS.md 2: 250 -> 175 W cut inference energy about
 * 23 % for 6-7 % more latency, Samsi et al. 2023), which is why the p99
 * feedback, not a fixed cap, decides how far to go.
 *
 * Left out: per-cluster latency (the site's p99 drives all its clusters);
 * the hard power bound is dcs_policy_enforce's, this rule only steers.
 */
#include "dcsim/policy.h"

#include <math.h>

#include "policy_util.h"

/* [assumption] Load added beyond what a site served, as a share of its serving
 * capacity, above which its p99 no longer speaks for it. */
#define NEW_LOAD_SHARE 0.2

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static void power_cap_decide(void *state, const dcs_policy_params *p, const dcs_policy_obs *obs,
                             dcs_policy_action *act)
{
    (void)state;
    for (int s = 0; s < obs->nsites; s++) {
        const dcs_policy_site_obs *site = &obs->site[s];
        double c_lat_factor = 1.0, c_pow_factor = 1.0;
        double target = p->latency_target_s > 0.0
                            ? fmin(p->latency_target_s, policy_latency_budget_s(obs, act, s))
                            : 0.0;
        bool steer_lat = target > 0.0 && isfinite(site->p99_s);
        bool steer_pow = site->power_limit_w > 0.0 && isfinite(site->headroom_w);
        double sent = 0.0, served = 0.0, capacity = 0.0;
        for (int w = 0; w < obs->nworkloads; w++) {
            sent += dcs_policy_site_load_rps(obs, act, w, s);
            served += site->served_rps[w];
            capacity += site->capacity_rps[w];
        }
        bool evidence = site->p99_s > 0.0 && sent - served <= NEW_LOAD_SHARE * capacity;
        if (steer_lat && evidence) {
            double e = (target - site->p99_s) / target;
            c_lat_factor = 1.0 - p->cap_gain * e;
        }
        if (steer_pow) {
            double h = site->headroom_w / site->power_limit_w;
            c_pow_factor = 1.0 + p->cap_gain * (h - p->power_margin);
        }
        for (int c = 0; c < site->nclusters; c++) {
            double now = site->cluster_cap_now[c] > 0.0 ? site->cluster_cap_now[c] : 1.0;
            double c_lat = steer_lat && evidence ? now * c_lat_factor : 1.0;
            double c_pow = steer_pow ? now * c_pow_factor : 1.0;
            double lo = site->cluster_cap_min[c] > 0.0 ? site->cluster_cap_min[c] : 0.0;
            act->cap[s][c] = clamp(fmin(c_lat, c_pow), fmin(lo, 1.0), 1.0);
        }
    }
}

const dcs_policy_type dcs_policy_power_cap = {"power_cap", DCS_POLICY_POWER, 0, NULL,
                                              power_cap_decide, NULL};
