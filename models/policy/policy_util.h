/*
 * policy_util.h - private helpers shared by the policy files: which sites
 * may serve a workload, and ordering sites by a key.
 */
#ifndef DCSIM_POLICY_UTIL_H
#define DCSIM_POLICY_UTIL_H

#include <stdbool.h>

#include "dcsim/policy.h"

/* Site s may serve workload w: sovereignty allows it and it has capacity
 * for w at all. */
static inline bool policy_usable(const dcs_policy_obs *obs, int w, int s)
{
    return obs->workload[w].allowed[s] && obs->site[s].capacity_rps[w] > 0.0;
}

/* Write into order[0..n) the sites 0..n-1: those with first[s] set before
 * the others, each group by key ascending, ties by site index (so the
 * order is deterministic).  first may be NULL (one group). */
void policy_sort_sites(const double *key, const bool *first, int n, unsigned char *order);

/* Order of workload w's sites for region r by RTT, usable sites first. */
void policy_order_by_rtt(const dcs_policy_obs *obs, int w, int r, unsigned char *order);

/* Awake share of site s's replicas, min(kept, up) / total (0 when the site
 * has none). */
double policy_awake_share(const dcs_policy_site_obs *site, int kept);

/* Service-side latency budget of site s under act: the least, over the
 * workloads with an end-to-end SLO and the regions act sends them from to
 * s, of SLO - round trip (s); +inf when no SLO applies, <= 0 when a round
 * trip alone breaks an SLO.  A site's p99 (service-side) above it means
 * some of those users see the SLO broken. */
double policy_latency_budget_s(const dcs_policy_obs *obs, const dcs_policy_action *act, int s);

#endif
