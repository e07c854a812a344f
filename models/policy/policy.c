/*
 * policy.c - policy instances, the registry of built-in types, default
 * parameters, the neutral action and the composed stack (policy.h).
 *
 * Default parameters are assumptions of dcsim, not measured values; each
 * says why it was chosen, and every one can be set by the scenario.
 */
#include "dcsim/policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/rl.h"
#include "policy_util.h"

struct dcs_policy {
    const dcs_policy_type *type;
    dcs_policy_params params;
    void *state;
};

dcs_policy_params dcs_policy_params_default(void)
{
    return (dcs_policy_params){
        /* Carbon alone decides unless the scenario prices it in. */
        .price_weight = 0.0,
        /* Leave a tenth of a site's capacity free: queueing delay grows
         * steeply as utilisation nears 1 (M/M/c), so a full site breaks its
         * latency SLO before it runs out of replicas. */
        .fill_max = 0.9,
        /* No latency target: power_cap then only holds the power limit. */
        .latency_target_s = 0.0,
        /* Close half of the relative p99 error per control period: fast
         * enough to follow a diurnal load, slow enough not to oscillate on
         * one noisy p99 sample. */
        .cap_gain = 0.5,
        /* Aim 5 % below the power limit, so one period's load rise does
         * not cross it before the next decision. */
        .power_margin = 0.05,
        /* Kept replicas about 70 % busy: the same queueing argument as
         * fill_max, with more room because replicas wake slowly. */
        .util_target = 0.7,
        /* One replica stays awake per site, so a first request does not
         * wait a whole wake-up delay. */
        .min_replicas = 1,
        /* Ten minutes of low load before powering down, so short lulls do
         * not cycle replicas (raised to the wake delay if that is longer). */
        .hold_s = 600.0,
    };
}

static bool params_ok(const dcs_policy_params *p)
{
    return p->price_weight >= 0.0 && p->fill_max > 0.0 && p->fill_max <= 1.0 &&
           p->latency_target_s >= 0.0 && p->cap_gain >= 0.0 && p->power_margin >= 0.0 &&
           p->power_margin < 1.0 && p->util_target > 0.0 && p->util_target <= 1.0 &&
           p->min_replicas >= 0 && p->hold_s >= 0.0 && isfinite(p->price_weight) &&
           isfinite(p->cap_gain) && isfinite(p->hold_s) && isfinite(p->latency_target_s);
}

dcs_policy *dcs_policy_alloc(const dcs_policy_type *t, const dcs_policy_params *p, int *st)
{
    int status = DCS_OK;
    dcs_policy *pol = NULL;
    if (!params_ok(p)) {
        status = DCS_ERANGE;
        goto out;
    }
    pol = calloc(1, sizeof *pol);
    if (!pol) {
        status = DCS_ENOMEM;
        goto out;
    }
    pol->type = t;
    pol->params = *p;
    if (t->state_size) {
        pol->state = calloc(1, t->state_size);
        if (!pol->state) {
            status = DCS_ENOMEM;
            goto fail;
        }
    }
    if (t->init) {
        status = t->init(pol->state, &pol->params);
        if (status != DCS_OK)
            goto fail;
    }
    goto out;
fail:
    free(pol->state);
    free(pol);
    pol = NULL;
out:
    if (st)
        *st = status;
    return pol;
}

void dcs_policy_free(dcs_policy *pol)
{
    if (!pol)
        return;
    if (pol->type->free)
        pol->type->free(pol->state);
    free(pol->state);
    free(pol);
}

const dcs_policy_type *dcs_policy_type_of(const dcs_policy *pol)
{
    return pol->type;
}

const dcs_policy_params *dcs_policy_params_of(const dcs_policy *pol)
{
    return &pol->params;
}

void dcs_policy_decide(dcs_policy *pol, const dcs_policy_obs *obs, dcs_policy_action *act)
{
    pol->type->decide(pol->state, &pol->params, obs, act);
}

void policy_sort_sites(const double *key, const bool *first, int n, unsigned char *order)
{
    for (int i = 0; i < n; i++)
        order[i] = (unsigned char)i;
    /* Insertion sort: n is at most DCS_POLICY_MAX_SITES, and it is stable,
     * so equal keys keep site order. */
    for (int i = 1; i < n; i++) {
        unsigned char v = order[i];
        int j = i;
        while (j > 0) {
            unsigned char u = order[j - 1];
            bool fu = first ? first[u] : true, fv = first ? first[v] : true;
            bool before = (fv && !fu) || (fv == fu && key[v] < key[u]);
            if (!before)
                break;
            order[j] = u;
            j--;
        }
        order[j] = v;
    }
}

void policy_order_by_rtt(const dcs_policy_obs *obs, int w, int r, unsigned char *order)
{
    bool usable[DCS_POLICY_MAX_SITES];
    for (int s = 0; s < obs->nsites; s++)
        usable[s] = policy_usable(obs, w, s);
    policy_sort_sites(obs->region[r].rtt_s, usable, obs->nsites, order);
}

double policy_awake_share(const dcs_policy_site_obs *site, int kept)
{
    if (site->replicas_total <= 0)
        return 0.0;
    int n = kept < site->replicas_up ? kept : site->replicas_up;
    return n > 0 ? (double)n / site->replicas_total : 0.0;
}

double policy_latency_budget_s(const dcs_policy_obs *obs, const dcs_policy_action *act, int s)
{
    double budget = INFINITY;
    for (int w = 0; w < obs->nworkloads; w++) {
        double slo = obs->workload[w].slo_p99_s;
        if (!(slo > 0.0))
            continue;
        for (int r = 0; r < obs->nregions; r++)
            if (act->split[w][r][s] > 0.0 && obs->region[r].demand_rps[w] > 0.0)
                budget = fmin(budget, slo - obs->region[r].rtt_s[s]);
    }
    return budget;
}

void dcs_policy_action_default(const dcs_policy_obs *obs, dcs_policy_action *act)
{
    memset(act, 0, sizeof *act);
    for (int w = 0; w < obs->nworkloads; w++) {
        for (int r = 0; r < obs->nregions; r++) {
            unsigned char *order = act->order[w][r];
            policy_order_by_rtt(obs, w, r, order);
            if (obs->nsites > 0 && policy_usable(obs, w, order[0]))
                act->split[w][r][order[0]] = 1.0;
            else
                act->drop[w][r] = 1.0;
        }
    }
    for (int s = 0; s < obs->nsites; s++) {
        const dcs_policy_site_obs *site = &obs->site[s];
        for (int c = 0; c < site->nclusters; c++)
            act->cap[s][c] = site->cluster_cap_now[c] > 0.0 ? site->cluster_cap_now[c] : 1.0;
        act->replicas[s] = site->replicas_total;
    }
    for (int j = 0; j < obs->njobs; j++)
        act->run[j] = true;
}

void dcs_policy_stack_decide(const dcs_policy_stack *s, const dcs_policy_obs *obs,
                             dcs_policy_action *act, dcs_policy_report *rep)
{
    dcs_policy_action_default(obs, act);
    if (s->placement)
        dcs_policy_decide(s->placement, obs, act);
    for (int i = 0; i < DCS_POLICY_MAX_POWER; i++)
        if (s->power[i])
            dcs_policy_decide(s->power[i], obs, act);
    if (s->temporal)
        dcs_policy_decide(s->temporal, obs, act);
    dcs_policy_enforce(obs, act, rep);
}

double dcs_policy_site_load_rps(const dcs_policy_obs *obs, const dcs_policy_action *act, int w,
                                int s)
{
    double load = 0.0;
    for (int r = 0; r < obs->nregions; r++)
        load += obs->region[r].demand_rps[w] * act->split[w][r][s];
    return load;
}

/* Sorted by name (strcmp order); tests run dcs_registry_check on it. */
static const dcs_registry_entry policy_entries[] = {
    {"carbon_shift", &dcs_policy_carbon_shift}, {"consolidate", &dcs_policy_consolidate},
    {"geolocation", &dcs_policy_geolocation},   {"least_loaded", &dcs_policy_least_loaded},
    {"nearest", &dcs_policy_nearest},           {"power_cap", &dcs_policy_power_cap},
    {"rl", &dcs_policy_rl},                     {"round_robin", &dcs_policy_round_robin},
};

const dcs_registry dcs_policy_types = {"policy", policy_entries,
                                       sizeof policy_entries / sizeof policy_entries[0]};
