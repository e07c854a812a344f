/*
 * consolidate.c - pack load onto the fewest replicas that meet a
 * utilisation target; power the others down (scale to zero when allowed).
 *
 * Each workload has its own replicas at a site, but the action keeps one
 * count per site: kept_s of total_s, a share that (as enforcement takes
 * it) holds for every workload's pool alike.  Workload w needs the share
 * load_w,s / capacity_w,s of its pool busy, so the site needs the share
 * of its most loaded workload:
 *   m_s = total_s x max_w load_w,s / capacity_w,s     [replicas]
 *   n_s = ceil(m_s / util_target), at least min_replicas, at most total_s.
 * (With several workloads this keeps more than the sum of each pool's own
 * need when their loads differ: the price of one count per site.)
 * More replicas are woken at once when n_s exceeds those powered now (up +
 * waking); they serve only after the wake delay, and until then
 * dcs_policy_enforce counts only replicas up as capacity, so load spills
 * rather than queueing on sleeping hardware.  Fewer are powered down only
 * after the site has needed no more than n_s for hold = max(hold_s,
 * wake_delay) seconds: powering down sooner than a replica can wake again
 * would cycle replicas on every lull.
 *
 * Latency guard.  Fuller replicas decode bigger batches, and every decode
 * iteration then reads more KV cache: latency rises with the load per
 * replica.  A utilisation target alone would keep packing while users see
 * the SLO broken, so the site's recent service-side p99 is compared with
 * its latency budget b_s (the SLO less the longest round trip of the users
 * sent there, policy_util.h):
 *   p99_s > b_s          wake replicas in proportion to the excess,
 *                        n_s >= max(powered + 1, ceil(powered x p99_s / b_s))
 *                        (to first order a replica's decode time grows
 *                        with its batch, so latency scales as load per
 *                        replica);
 *   p99_s > 0.9 b_s      power none down (n_s >= powered);
 * both count as needing more for the hold timer.  Sites with no SLO to
 * meet, or no p99 yet, get no guard.
 *
 * Caps.  Capacities are observed at full clock; when a power policy
 * earlier in the stack capped the site, m_s is divided by the lowest cap
 * it set (throughput in proportion to the cap: a lower bound, since
 * memory-bound decode slows less than the clock), so that capping and
 * packing do not both spend the same latency headroom.
 *
 * State: per site, the last time more replicas were needed.  Left out:
 * which replica goes to sleep (the run picks the idlest), and the energy
 * of a wake-up itself.
 */
#include "dcsim/policy.h"

#include <math.h>

#include "policy_util.h"

/* [assumption] Share of the latency budget above which replicas stay
 * powered: a p99 this close to the budget leaves no room for the load of a
 * replica powered down. */
#define NEAR_BUDGET 0.9

typedef struct consolidate_state {
    double last_high_s[DCS_POLICY_MAX_SITES];
} consolidate_state;

static int consolidate_init(void *state, const dcs_policy_params *p)
{
    (void)p;
    consolidate_state *st = state;
    /* Never needed more: the first decision may power down at once. */
    for (int s = 0; s < DCS_POLICY_MAX_SITES; s++)
        st->last_high_s[s] = -INFINITY;
    return DCS_OK;
}

double dcs_policy_replicas_in_use(const dcs_policy_obs *obs, const dcs_policy_action *act, int s)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    double m = 0.0;
    for (int w = 0; w < obs->nworkloads; w++) {
        if (!(site->capacity_rps[w] > 0.0))
            continue;
        double mw = dcs_policy_site_load_rps(obs, act, w, s) * site->replicas_total /
                    site->capacity_rps[w];
        m = mw > m ? mw : m;
    }
    return m;
}

/* Replicas site s needs for the load act sends to it. */
static int replicas_needed(const dcs_policy_params *p, const dcs_policy_obs *obs,
                           const dcs_policy_action *act, int s)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    /* Capacities are at full clock; capped GPUs serve less.  Taking
     * throughput in proportion to the lowest cap the action sets is a lower
     * bound (memory-bound decode slows less than the clock), so the
     * replicas kept are enough whatever the power policy chose. */
    double cap = 1.0;
    for (int c = 0; c < site->nclusters && c < DCS_POLICY_MAX_CLUSTERS; c++)
        if (act->cap[s][c] > 0.0 && act->cap[s][c] < cap)
            cap = act->cap[s][c];
    double m = dcs_policy_replicas_in_use(obs, act, s) / cap;
    /* Rounding residue of a split must not ask for one more replica. */
    double n = ceil(m / p->util_target - 1e-9);
    if (n < p->min_replicas)
        n = p->min_replicas;
    return n > site->replicas_total ? site->replicas_total : (int)n;
}

/* need raised by the latency guard (see the header). */
static int latency_guard(const dcs_policy_obs *obs, const dcs_policy_action *act, int s,
                         int powered, int need)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    double b = policy_latency_budget_s(obs, act, s);
    if (!(site->p99_s > 0.0) || !isfinite(b) || !(b > 0.0))
        return need;
    int floor = 0;
    if (site->p99_s > b) {
        double n = ceil(powered * site->p99_s / b - 1e-9);
        floor = n > powered + 1 ? (int)fmin(n, site->replicas_total) : powered + 1;
    } else if (site->p99_s > NEAR_BUDGET * b) {
        floor = powered;
    }
    if (floor > site->replicas_total)
        floor = site->replicas_total;
    return need > floor ? need : floor;
}

static void consolidate_decide(void *state, const dcs_policy_params *p,
                               const dcs_policy_obs *obs, dcs_policy_action *act)
{
    consolidate_state *st = state;
    for (int s = 0; s < obs->nsites; s++) {
        const dcs_policy_site_obs *site = &obs->site[s];
        int need = replicas_needed(p, obs, act, s);
        int powered = site->replicas_up + site->replicas_waking;
        need = latency_guard(obs, act, s, powered, need);
        double hold = fmax(p->hold_s, site->wake_delay_s);
        if (need >= powered) {
            st->last_high_s[s] = obs->now_s;
            act->replicas[s] = need;
        } else if (obs->now_s - st->last_high_s[s] >= hold) {
            act->replicas[s] = need;
        } else {
            act->replicas[s] = powered;
        }
    }
}

const dcs_policy_type dcs_policy_consolidate = {"consolidate", DCS_POLICY_POWER,
                                                sizeof(consolidate_state), consolidate_init,
                                                consolidate_decide, NULL};
