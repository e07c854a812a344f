/*
 * rl.c - the learned placement policy: a small scoring function of
 * per-(workload, region, site) features, softmax over the usable sites
 * (rl.h, docs/rl.md).
 *
 * Features of site s for workload w and user region r (raw, before the
 * network's normalisation; scales as in obs_vector.c, so raw values are of
 * order 1):
 *   bias          1
 *   ci_now        average intensity now / 1000 gCO2/kWh
 *   ci_forecast   mean of the 24 hourly forecasts / 1000 gCO2/kWh
 *   price         price now / 100 USD/MWh
 *   pue           PUE - 1
 *   utilisation   busy share of the site's awake replicas
 *   p99_slo       service-side p99 / w's SLO (/ 1 s when w has none)
 *   rtt_slo       RTT r -> s / w's SLO (/ 0.1 s when none)
 *   slo_miss      1 when RTT + p99 > SLO (geolocation's eligibility), else 0
 *   room          w's awake capacity at s / w's total demand, capped at 4
 *                 (4 also when there is no demand)
 *   headroom      power headroom / limit (as obs_vector.c, no limit: the
 *                 site's maximum)
 *   served_share  w's completions / w's awake capacity at s, capped at 2
 * The score is theta . x + sum_j v_j tanh(W_j . x), x = (f - mean) / std
 * (the bias feature is not normalised), and
 *   split_s = exp(score_s - max) / sum_{usable} exp(score_s' - max).
 *
 * Replica head (net->replicas): per site, the features averaged over its
 * usable (w, r) give a target utilisation u = 0.3 + 0.7 sigmoid(psi . x),
 * and the site keeps ceil(in_use / u) replicas (at least 1, at most all),
 * in_use being what the chosen split needs (dcs_policy_replicas_in_use).
 *
 * Cap head (net->caps): from the same averaged features, every cluster c
 * of the site gets cap = cap_min_c + (1 - cap_min_c) sigmoid(phi . x),
 * phi after psi in the weights (or after the split head without the
 * replica head).
 *
 * Left out: job deferral stays with the temporal policy; the power
 * policies of the stack run after placement and may overwrite the
 * replicas and caps.  It has no memory between periods (the features carry the
 * recent p99 and utilisation).
 */
#include "dcsim/rl.h"

#include <math.h>
#include <string.h>

#include "policy_util.h"

const char *const dcs_rl_feature_names[DCS_RL_FEATURES] = {
    "bias",    "ci_now",  "ci_forecast", "price", "pue",      "utilisation",
    "p99_slo", "rtt_slo", "slo_miss",    "room",  "headroom", "served_share",
};

static const double CI_SCALE = 1000.0;     /* gCO2/kWh, as obs_vector.c */
static const double PRICE_SCALE = 100.0;   /* USD/MWh */
static const double NO_SLO_P99_S = 1.0;    /* p99 scale without an SLO */
static const double NO_SLO_RTT_S = 0.1;    /* RTT scale without an SLO */
static const double ROOM_MAX = 4.0;        /* capacity / demand beyond this is "plenty" */
static const double SERVED_MAX = 2.0;
/* Floor of a feature's std: raw features are of order 1, and a feature
 * that never varied in training must not be blown up where it does. */
static const double STD_FLOOR = 0.1;
/* Lowest target utilisation of the replica head: below a third busy a
 * site keeps three times the replicas it uses, more than any diurnal
 * swing needs (the hand consolidate policy aims at 0.7). */
static const double UTIL_MIN = 0.3;

const char *dcs_rl_layout(void)
{
    return "bias,ci_now,ci_forecast,price,pue,utilisation,p99_slo,rtt_slo,slo_miss,room,"
           "headroom,served_share";
}

int dcs_rl_nparams(int hidden)
{
    return DCS_RL_FEATURES + hidden * (DCS_RL_FEATURES + 1);
}

int dcs_rl_cap_offset(const dcs_rl_net *net)
{
    return dcs_rl_nparams(net->hidden) + (net->replicas ? DCS_RL_FEATURES : 0);
}

int dcs_rl_net_nparams(const dcs_rl_net *net)
{
    return dcs_rl_cap_offset(net) + (net->caps ? DCS_RL_FEATURES : 0);
}

void dcs_rl_net_init(dcs_rl_net *net, int hidden)
{
    memset(net, 0, sizeof *net);
    net->hidden = hidden < 0 ? 0 : hidden > DCS_RL_MAX_HIDDEN ? DCS_RL_MAX_HIDDEN : hidden;
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        net->std[i] = 1.0;
}

static double awake_rps(const dcs_policy_site_obs *site, int w)
{
    return site->capacity_rps[w] * policy_awake_share(site, site->replicas_total);
}

void dcs_rl_features(const dcs_policy_obs *obs, int w, int r, int s, double *f)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    double slo = obs->workload[w].slo_p99_s;
    double rtt = obs->region[r].rtt_s[s];
    double fc = 0.0;
    for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
        fc += site->ci_forecast_g_kwh[k];
    double demand = 0.0;
    for (int q = 0; q < obs->nregions; q++)
        demand += obs->region[q].demand_rps[w];
    double awake = awake_rps(site, w);
    double limit = site->power_limit_w, headroom = site->headroom_w;
    if (!(limit > 0.0) || !isfinite(limit)) {
        limit = 0.0;
        for (int k = 0; k < site->nclusters; k++)
            limit += site->cluster_max_w[k];
        limit *= site->pue;
        if (!isfinite(headroom))
            headroom = limit - site->pue * site->it_power_w;
    }
    f[0] = 1.0;
    f[1] = site->ci_g_kwh / CI_SCALE;
    f[2] = fc / DCS_POLICY_FORECAST_HOURS / CI_SCALE;
    f[3] = site->price_usd_mwh / PRICE_SCALE;
    f[4] = site->pue - 1.0;
    f[5] = site->utilisation;
    f[6] = site->p99_s / (slo > 0.0 ? slo : NO_SLO_P99_S);
    f[7] = rtt / (slo > 0.0 ? slo : NO_SLO_RTT_S);
    f[8] = slo > 0.0 && rtt + site->p99_s > slo ? 1.0 : 0.0;
    f[9] = demand > 0.0 ? fmin(awake / demand, ROOM_MAX) : ROOM_MAX;
    f[10] = limit > 0.0 ? headroom / limit : 0.0;
    f[11] = awake > 0.0 ? fmin(fmax(site->served_rps[w], 0.0) / awake, SERVED_MAX) : 0.0;
    /* The run fills observations with finite values; a learned function
     * must still never see a NaN. */
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        if (!isfinite(f[i]))
            f[i] = 0.0;
}

static void normalise(const dcs_rl_net *net, const double *f, double *x)
{
    x[0] = 1.0;
    for (int i = 1; i < DCS_RL_FEATURES; i++)
        x[i] = (f[i] - net->mean[i]) / net->std[i];
}

double dcs_rl_target_util(const dcs_rl_net *net, const double *f)
{
    double x[DCS_RL_FEATURES], a = 0.0;
    normalise(net, f, x);
    const double *psi = net->w + dcs_rl_nparams(net->hidden);
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        a += psi[i] * x[i];
    return UTIL_MIN + (1.0 - UTIL_MIN) / (1.0 + exp(-a));
}

double dcs_rl_cap(const dcs_rl_net *net, const double *f, double cap_min)
{
    double x[DCS_RL_FEATURES], a = 0.0;
    normalise(net, f, x);
    const double *phi = net->w + dcs_rl_cap_offset(net);
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        a += phi[i] * x[i];
    /* The observation promises (0, 1]; fmax also turns a NaN into 0. */
    double lo = fmin(fmax(cap_min, 0.0), 1.0);
    return lo + (1.0 - lo) / (1.0 + exp(-a));
}

double dcs_rl_score(const dcs_rl_net *net, const double *f)
{
    double x[DCS_RL_FEATURES];
    normalise(net, f, x);
    double score = 0.0;
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        score += net->w[i] * x[i];
    const double *unit = net->w + DCS_RL_FEATURES;
    for (int j = 0; j < net->hidden; j++, unit += DCS_RL_FEATURES + 1) {
        double a = 0.0;
        for (int i = 0; i < DCS_RL_FEATURES; i++)
            a += unit[i] * x[i];
        score += unit[DCS_RL_FEATURES] * tanh(a);
    }
    return score;
}

void dcs_rl_stats_apply(const dcs_rl_stats *st, dcs_rl_net *net)
{
    net->mean[0] = 0.0;
    net->std[0] = 1.0;
    for (int i = 1; i < DCS_RL_FEATURES; i++) {
        net->mean[i] = st->n > 0.0 ? st->mean[i] : 0.0;
        double var = st->n > 1.0 ? st->m2[i] / (st->n - 1.0) : 1.0;
        net->std[i] = fmax(sqrt(var), STD_FLOOR);
    }
}

static void record(dcs_rl_stats *st, const double *f)
{
    st->n += 1.0;
    for (int i = 0; i < DCS_RL_FEATURES; i++) {
        double d = f[i] - st->mean[i];
        st->mean[i] += d / st->n;
        st->m2[i] += d * (f[i] - st->mean[i]);
    }
}

static bool net_ok(const dcs_rl_net *n)
{
    if (n->hidden < 0 || n->hidden > DCS_RL_MAX_HIDDEN)
        return false;
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        if (!isfinite(n->mean[i]) || !(n->std[i] > 0.0) || !isfinite(n->std[i]))
            return false;
    for (int i = 0; i < dcs_rl_net_nparams(n); i++)
        if (!isfinite(n->w[i]))
            return false;
    return true;
}

/* Without a network the policy is the zero-weight one (equal splits), so
 * generic code (the property tests of every registered type) can make one. */
static int rl_init(void *state, const dcs_policy_params *p)
{
    if (!p->rl_net) {
        dcs_rl_net_init(state, 0);
        return DCS_OK;
    }
    if (!net_ok(p->rl_net))
        return DCS_ERANGE;
    memcpy(state, p->rl_net, sizeof(dcs_rl_net));
    return DCS_OK;
}

static void rl_decide(void *state, const dcs_policy_params *p, const dcs_policy_obs *obs,
                      dcs_policy_action *act)
{
    const dcs_rl_net *net = state;
    double fsum[DCS_POLICY_MAX_SITES][DCS_RL_FEATURES];
    int fcount[DCS_POLICY_MAX_SITES] = {0};
    memset(fsum, 0, sizeof fsum);
    for (int w = 0; w < obs->nworkloads; w++) {
        for (int r = 0; r < obs->nregions; r++) {
            double score[DCS_POLICY_MAX_SITES], key[DCS_POLICY_MAX_SITES];
            bool usable[DCS_POLICY_MAX_SITES];
            double top = -INFINITY;
            int n = 0;
            for (int s = 0; s < obs->nsites; s++) {
                usable[s] = policy_usable(obs, w, s);
                score[s] = 0.0;
                if (!usable[s])
                    continue;
                double f[DCS_RL_FEATURES];
                dcs_rl_features(obs, w, r, s, f);
                if (p->rl_record)
                    record(p->rl_record, f);
                for (int i = 0; i < DCS_RL_FEATURES; i++)
                    fsum[s][i] += f[i];
                fcount[s]++;
                score[s] = dcs_rl_score(net, f);
                top = fmax(top, score[s]);
                n++;
            }
            memset(act->split[w][r], 0, sizeof act->split[w][r]);
            act->drop[w][r] = 0.0;
            if (n == 0) {
                act->drop[w][r] = 1.0;
                policy_order_by_rtt(obs, w, r, act->order[w][r]);
                continue;
            }
            double sum = 0.0;
            for (int s = 0; s < obs->nsites; s++)
                if (usable[s]) {
                    act->split[w][r][s] = exp(score[s] - top);
                    sum += act->split[w][r][s];
                }
            for (int s = 0; s < obs->nsites; s++) {
                act->split[w][r][s] /= sum;
                /* Spill order: largest share first, ties by RTT. */
                key[s] = -act->split[w][r][s] + 1e-9 * obs->region[r].rtt_s[s];
            }
            policy_sort_sites(key, usable, obs->nsites, act->order[w][r]);
        }
    }
    if (!net->replicas && !net->caps)
        return;
    /* Per-site heads see the features averaged over the site's usable
     * (w, r); a site no workload may use keeps what the action holds. */
    for (int s = 0; s < obs->nsites; s++) {
        if (fcount[s] == 0)
            continue;
        for (int i = 0; i < DCS_RL_FEATURES; i++)
            fsum[s][i] /= fcount[s];
        int total = obs->site[s].replicas_total;
        if (net->replicas && total > 0) {
            double u = dcs_rl_target_util(net, fsum[s]);
            double kept = ceil(dcs_policy_replicas_in_use(obs, act, s) / u);
            act->replicas[s] = kept < 1.0 ? 1 : kept > total ? total : (int)kept;
        }
        if (net->caps)
            for (int c = 0; c < obs->site[s].nclusters; c++)
                act->cap[s][c] = dcs_rl_cap(net, fsum[s], obs->site[s].cluster_cap_min[c]);
    }
}

const dcs_policy_type dcs_policy_rl = {"rl", DCS_POLICY_PLACEMENT, sizeof(dcs_rl_net), rl_init,
                                       rl_decide, NULL};
