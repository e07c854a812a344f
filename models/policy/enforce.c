/*
 * enforce.c - the constraints no policy may break, applied to an action
 * after the policies have written it (policy.h, docs/policies.md).
 *
 * In order:
 *  1. clean: non-finite or negative shares become 0; caps are clamped to
 *     [cap_min, 1] (non-finite: 1); replicas to [0, total]; an order that
 *     is not a permutation of the sites is replaced by the RTT order.
 *  2. sovereignty: a share sent to a site the workload may not use (or one
 *     with no capacity for it) moves to the first usable site of the
 *     region's order (or is dropped when there is none); counted.
 *  3. normalise: per workload and region, sum_s split + drop = 1 (all
 *     zero: everything to the first usable site).  A region with a usable
 *     site drops nothing: a drop share the policy wrote goes to the sites
 *     in proportion to its split (all to the first usable site when it
 *     split nothing), because the policy layer does not shed load (the
 *     sites' queues do, and count it).  A region with no usable site
 *     drops all of it: dropped_rps.
 *  4. capacity, per (site, workload): each workload has its own replicas,
 *     and site s keeps the awake share a_s = min(kept, up) / total of
 *     them (of every pool alike), so w may load s with at most
 *       avail_w,s = a_s x capacity_w,s      [requests/s].
 *     A (site, workload) over it keeps avail / load of every region's
 *     share of w there; the cut demand spills, region by region in index
 *     order, along the region's order into the room (avail - load) other
 *     usable sites have left for w.  What finds no room is NOT dropped:
 *     as a global load balancer would, it stays at the sites it was cut
 *     from (in proportion to what was cut at each), whose queues then
 *     decide; the amount above avail is reported as overload_rps.  So
 *     sum_w,s max(0, load_w,s - avail_w,s) = overload_rps.
 *  5. power: the facility power bound of a site,
 *       P = PUE x (kept / total) x sum_c cap_c x max_w_c,
 *     must not exceed the limit.  Caps are scaled by one factor k, each
 *     floored at its cluster's minimum, with k solved exactly (floored
 *     clusters drop out of the scaling); when even minimum caps exceed the
 *     limit the excess is reported in power_unmet_w.
 *  6. deadlines: a paused job whose slack (deadline - remaining) is below
 *     one control period runs.
 *
 * Simplifications: a power cap is taken not to reduce serving capacity
 * (the power_cap policy watches p99 instead); powered replicas are spread
 * evenly over a site's clusters; a power limit of 0 or less means none.
 */
#include "dcsim/policy.h"

#include <math.h>
#include <string.h>

#include "policy_util.h"

/* Shares below this are treated as zero when cutting and spilling, so
 * rounding residues are not moved around. */
static const double TINY = 1e-12;

static double clean_share(double x)
{
    return isfinite(x) && x > 0.0 ? x : 0.0;
}

/* A cluster's lowest cap, read defensively: within [0, 1]. */
static double cap_floor(const dcs_policy_site_obs *site, int c)
{
    double lo = site->cluster_cap_min[c];
    return isfinite(lo) && lo > 0.0 ? (lo < 1.0 ? lo : 1.0) : 0.0;
}

static bool is_permutation(const unsigned char *order, int n)
{
    bool seen[DCS_POLICY_MAX_SITES] = {false};
    for (int i = 0; i < n; i++) {
        if (order[i] >= n || seen[order[i]])
            return false;
        seen[order[i]] = true;
    }
    return true;
}

static int first_usable(const dcs_policy_obs *obs, int w, const unsigned char *order)
{
    for (int i = 0; i < obs->nsites; i++)
        if (policy_usable(obs, w, order[i]))
            return order[i];
    return -1;
}

/* Steps 1 to 3 for one workload and region. */
static void fix_route(const dcs_policy_obs *obs, dcs_policy_action *act, int w, int r,
                      dcs_policy_report *rep)
{
    double *split = act->split[w][r];
    unsigned char *order = act->order[w][r];
    double demand = clean_share(obs->region[r].demand_rps[w]);
    if (!is_permutation(order, obs->nsites))
        policy_order_by_rtt(obs, w, r, order);
    int home = first_usable(obs, w, order);

    double moved = 0.0;
    for (int s = 0; s < obs->nsites; s++) {
        split[s] = clean_share(split[s]);
        if (!policy_usable(obs, w, s)) {
            moved += split[s];
            split[s] = 0.0;
        }
    }
    for (int s = obs->nsites; s < DCS_POLICY_MAX_SITES; s++)
        split[s] = 0.0;
    act->drop[w][r] = clean_share(act->drop[w][r]);

    double total = act->drop[w][r] + moved;
    for (int s = 0; s < obs->nsites; s++)
        total += split[s];
    if (total <= 0.0 || total - act->drop[w][r] <= 0.0) {
        /* Nothing split (or only a drop): all to the first usable site. */
        for (int s = 0; s < obs->nsites; s++)
            split[s] = 0.0;
        act->drop[w][r] = home >= 0 ? 0.0 : 1.0;
        if (home >= 0)
            split[home] = 1.0;
        else
            rep->dropped_rps += demand;
        return;
    }
    rep->forbidden_rps += demand * moved / total;
    if (home < 0) {
        /* Nowhere to go: all of it is dropped. */
        for (int s = 0; s < obs->nsites; s++)
            split[s] = 0.0;
        act->drop[w][r] = 1.0;
        rep->dropped_rps += demand;
        return;
    }
    split[home] += moved;
    /* A drop share goes where the policy sent the rest, so the split alone
     * sums to 1 (kept > 0: tested above). */
    double kept = total - act->drop[w][r];
    for (int s = 0; s < obs->nsites; s++)
        split[s] /= kept;
    act->drop[w][r] = 0.0;
}

/* Step 4 for workload w. */
static void enforce_capacity(const dcs_policy_obs *obs, dcs_policy_action *act, int w,
                             dcs_policy_report *rep)
{
    double avail[DCS_POLICY_MAX_SITES], load[DCS_POLICY_MAX_SITES];
    double cut[DCS_POLICY_MAX_REGIONS][DCS_POLICY_MAX_SITES];
    double excess[DCS_POLICY_MAX_REGIONS] = {0.0};
    memset(cut, 0, sizeof cut);

    for (int s = 0; s < obs->nsites; s++) {
        const dcs_policy_site_obs *site = &obs->site[s];
        avail[s] = policy_usable(obs, w, s)
                       ? policy_awake_share(site, act->replicas[s]) * site->capacity_rps[w]
                       : 0.0;
        load[s] = dcs_policy_site_load_rps(obs, act, w, s);
        if (load[s] <= avail[s] * (1.0 + TINY) || load[s] <= 0.0)
            continue;
        double keep = avail[s] / load[s];
        for (int r = 0; r < obs->nregions; r++) {
            if (obs->region[r].demand_rps[w] <= 0.0 || act->split[w][r][s] <= 0.0)
                continue;
            cut[r][s] = act->split[w][r][s] * (1.0 - keep);
            excess[r] += cut[r][s];
            act->split[w][r][s] *= keep;
        }
        load[s] = avail[s];
    }

    for (int r = 0; r < obs->nregions; r++) {
        double left = excess[r], demand = obs->region[r].demand_rps[w];
        if (!(left > 0.0))
            continue;
        for (int i = 0; i < obs->nsites && left > TINY; i++) {
            int s = act->order[w][r][i];
            double room = (avail[s] - load[s]) / demand;
            if (room <= TINY)
                continue;
            double take = room < left ? room : left;
            act->split[w][r][s] += take;
            load[s] += take * demand;
            left -= take;
            rep->spilled_rps += take * demand;
        }
        /* No room anywhere for the rest: it stays where it was cut, over
         * capacity (a rounding residue goes back the same way, so the
         * split still sums to 1). */
        for (int s = 0; s < obs->nsites; s++)
            act->split[w][r][s] += cut[r][s] * left / excess[r];
        rep->overload_rps += left * demand;
    }
}

static void enforce_power(const dcs_policy_obs *obs, dcs_policy_action *act, int s,
                          dcs_policy_report *rep)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    double *cap = act->cap[s];
    if (!(site->power_limit_w > 0.0) || site->replicas_total <= 0)
        return;
    double on = (double)act->replicas[s] / site->replicas_total;
    /* A PUE below 1 (or missing) would understate facility power. */
    double pue = isfinite(site->pue) && site->pue > 1.0 ? site->pue : 1.0;
    double scale = pue * on;
    double it = 0.0, it_min = 0.0;
    for (int c = 0; c < site->nclusters; c++) {
        it += cap[c] * site->cluster_max_w[c];
        it_min += cap_floor(site, c) * site->cluster_max_w[c];
    }
    if (scale * it <= site->power_limit_w)
        return;
    rep->caps_tightened++;
    double target = site->power_limit_w / scale;
    if (it_min >= target) {
        for (int c = 0; c < site->nclusters; c++)
            cap[c] = cap_floor(site, c);
        rep->power_unmet_w[s] = scale * it_min - site->power_limit_w;
        return;
    }
    /* Solve sum_c max(min_c, k cap_c) max_c = target for k: clusters whose
     * scaled cap falls below their minimum are fixed there and k is solved
     * again over the others; each pass fixes at least one more cluster or
     * ends, so there are at most nclusters passes. */
    bool floored[DCS_POLICY_MAX_CLUSTERS] = {false};
    double k = 1.0;
    for (int pass = 0; pass <= site->nclusters; pass++) {
        double fixed = 0.0, free_it = 0.0;
        for (int c = 0; c < site->nclusters; c++) {
            if (floored[c])
                fixed += cap_floor(site, c) * site->cluster_max_w[c];
            else
                free_it += cap[c] * site->cluster_max_w[c];
        }
        k = free_it > 0.0 ? (target - fixed) / free_it : 0.0;
        bool more = false;
        for (int c = 0; c < site->nclusters; c++) {
            if (!floored[c] && k * cap[c] < cap_floor(site, c)) {
                floored[c] = true;
                more = true;
            }
        }
        if (!more)
            break;
    }
    for (int c = 0; c < site->nclusters; c++)
        cap[c] = floored[c] ? cap_floor(site, c) : k * cap[c];
}

void dcs_policy_enforce(const dcs_policy_obs *obs, dcs_policy_action *act,
                        dcs_policy_report *rep)
{
    memset(rep, 0, sizeof *rep);
    for (int s = 0; s < obs->nsites; s++) {
        const dcs_policy_site_obs *site = &obs->site[s];
        for (int c = 0; c < site->nclusters; c++) {
            double lo = cap_floor(site, c);
            double x = act->cap[s][c];
            act->cap[s][c] = !isfinite(x) || x > 1.0 ? 1.0 : x < lo ? lo : x;
        }
        if (act->replicas[s] < 0)
            act->replicas[s] = 0;
        if (act->replicas[s] > site->replicas_total)
            act->replicas[s] = site->replicas_total > 0 ? site->replicas_total : 0;
    }
    for (int w = 0; w < obs->nworkloads; w++)
        for (int r = 0; r < obs->nregions; r++)
            fix_route(obs, act, w, r, rep);
    for (int w = 0; w < obs->nworkloads; w++)
        enforce_capacity(obs, act, w, rep);
    for (int s = 0; s < obs->nsites; s++)
        enforce_power(obs, act, s, rep);
    for (int j = 0; j < obs->njobs; j++) {
        const dcs_policy_job_obs *job = &obs->job[j];
        if (!act->run[j] && job->remaining_s > 0.0 &&
            job->deadline_s - job->remaining_s < obs->period_s) {
            act->run[j] = true;
            rep->jobs_forced++;
        }
    }
}
