/*
 * controller_obs.c - the policy observation of a run (control.h): its
 * static part from the scenario's sites and workloads, and the part that
 * follows from time alone (grid signals, demand).  The controller LP
 * overlays the sites' telemetry on it (controller_lp.c).
 *
 * Static part, per site:
 *   capacity_w = sum over the site's pools of w of
 *                replicas x capacity_rate                        [req/s]
 *     with capacity_rate the fluid model's highest sustainable rate of
 *     one replica at full clock (dcs_fluid_prepare, fluid.c);
 *   cluster_max_c = nodes x P_node(util 1, clock 1, cpu 1)         [W]
 *     (dcs_node_power_w, power.h);
 *   cap_min_c = P_gpu(util 1, clock_min) / P_gpu,max                [1]
 *     the lowest board power a GPU at full load can be held to by its
 *     clock (dcs_accel_power_w, accel.h); it is slightly above the
 *     idle/max ratio because clock_min > 0;
 *   power limit: the site's, +inf when it has none (enforcement and
 *     power_cap then leave the site alone).
 * Time part at t (s = t in seconds):
 *   ci now = ci(t) x 3.6e9 [g/kWh from kg/J], forecast hour k = ci(t + k h)
 *     (a perfect forecast of the scenario's hourly signal: forecast errors
 *     are left out here);
 *   marginal = the marginal signal, or the average one when there is none;
 *   price = price(t) / DCS_USD_PER_MWH, or the flat price;
 *   demand_w,r = rate_w(t) x region_share_w,r with rate_w the Poisson
 *     profile's deterministic rate (dcs_arrivals_rate: bursts left out), or
 *     for a trace workload its mean arrival rate over [t - P, t) of the
 *     replayed (scaled, looped) trace, [0, P) while t < P.
 */
#include "dcsim/control.h"

#include <math.h>
#include <string.h>

#include "dcsim/fluid.h"
#include "dcsim/power.h"
#include "dcsim/site.h"

static int imin(int a, int b) { return a < b ? a : b; }

/* Lowest cap (fraction of board power) a GPU at full load can be held to. */
static double cap_floor(const dcs_accel_params *gpu)
{
    if (!(gpu->max_w > 0.0))
        return 1.0;
    double lo = dcs_accel_power_w(gpu, 1.0, gpu->clock_min) / gpu->max_w;
    return lo > 0.0 && lo <= 1.0 ? lo : 1.0;
}

static void static_site(const dcs_work_config *w, const dcs_site_config *c,
                        dcs_policy_site_obs *o)
{
    o->power_limit_w = c->power_limit_w > 0.0 ? c->power_limit_w : HUGE_VAL;
    o->headroom_w = o->power_limit_w;
    o->pue = 1.0;
    o->nclusters = imin((int)c->nclusters, DCS_POLICY_MAX_CLUSTERS);
    for (int k = 0; k < o->nclusters; k++) {
        const dcs_site_cluster *cl = &c->clusters[k];
        o->cluster_max_w[k] = (double)cl->nodes * dcs_node_power_w(&cl->node, 1.0, 1.0, 1.0);
        o->cluster_cap_min[k] = cap_floor(&cl->node.gpu);
        o->cluster_cap_now[k] = 1.0;
    }
    dcs_fluid_calib calib;
    dcs_fluid_calib_default(&calib);
    for (size_t i = 0; i < c->npools; i++) {
        const dcs_site_pool *pool = &c->pools[i];
        if (pool->workload < 0 || pool->workload >= w->nworkloads ||
            pool->workload >= DCS_POLICY_MAX_WORKLOADS || pool->replicas <= 0)
            continue;
        const dcs_work_wl *wl = &w->wl[pool->workload];
        dcs_fluid_model m;
        dcs_fluid_prepare(&m, &pool->serving, &calib, &wl->prompt, &wl->output, 1.0);
        o->capacity_rps[pool->workload] += pool->replicas * m.capacity_rate;
        o->replicas_total += pool->replicas;
        if (pool->serving.wake_s > o->wake_delay_s)
            o->wake_delay_s = pool->serving.wake_s;
    }
    o->replicas_up = o->replicas_total;
}

void dcs_controller_static_obs(const dcs_work_config *w, const struct dcs_site_config *sites,
                               int nsites, dcs_policy_obs *out)
{
    memset(out, 0, sizeof *out);
    out->period_s = (double)w->control_period / DCS_SECOND;
    out->nsites = imin(nsites, DCS_POLICY_MAX_SITES);
    out->nregions = imin(w->nregions, DCS_POLICY_MAX_REGIONS);
    out->nworkloads = imin(w->nworkloads, DCS_POLICY_MAX_WORKLOADS);
    for (int r = 0; r < out->nregions; r++)
        for (int s = 0; s < out->nsites; s++)
            out->region[r].rtt_s[s] = w->rtt_s[r][s];
    for (int k = 0; k < out->nworkloads; k++) {
        const dcs_work_wl *wl = &w->wl[k];
        out->workload[k].slo_p99_s = wl->slo.e2e_s > 0.0 ? wl->slo.e2e_s : 0.0;
        for (int s = 0; s < out->nsites; s++)
            out->workload[k].allowed[s] = wl->allowed[s];
    }
    for (int s = 0; s < out->nsites; s++) {
        static_site(w, &sites[s], &out->site[s]);
        for (size_t i = 0; i < sites[s].njobs; i++) {
            const dcs_site_job *sj = &sites[s].jobs[i];
            int slot = sj->policy_slot;
            if (slot < 0 || slot >= DCS_POLICY_MAX_JOBS)
                continue;
            dcs_policy_job_obs *j = &out->job[slot];
            j->workload = sj->workload;
            j->site = s;
            j->remaining_s = (double)sj->job.work / DCS_SECOND;
            j->deadline_s = sj->job.deadline == DCS_TIME_MAX
                                ? HUGE_VAL
                                : (double)sj->job.deadline / DCS_SECOND;
            j->running = false;
            if (slot + 1 > out->njobs)
                out->njobs = slot + 1;
        }
    }
}

void dcs_controller_config_jobs(const struct dcs_site_config *sites, int nsites,
                                dcs_controller_config *cfg)
{
    cfg->njobs = 0;
    for (int j = 0; j < DCS_POLICY_MAX_JOBS; j++) {
        cfg->job_site[j] = -1;
        cfg->job_index[j] = -1;
        cfg->job_deadline_s[j] = HUGE_VAL;
    }
    for (int s = 0; s < nsites && s < DCS_POLICY_MAX_SITES; s++) {
        for (size_t i = 0; i < sites[s].njobs; i++) {
            const dcs_site_job *sj = &sites[s].jobs[i];
            int slot = sj->policy_slot;
            if (slot < 0 || slot >= DCS_POLICY_MAX_JOBS)
                continue;
            cfg->job_site[slot] = s;
            cfg->job_index[slot] = (int)i;
            cfg->job_deadline_s[slot] = sj->job.deadline == DCS_TIME_MAX
                                            ? HUGE_VAL
                                            : (double)sj->job.deadline / DCS_SECOND;
            if (slot + 1 > cfg->njobs)
                cfg->njobs = slot + 1;
        }
    }
}

/* Arrivals of the replayed trace before time t (scaled, looped as
 * dcs_trace_replay does: lap L starts at L x period). */
static double trace_count_before(const dcs_work_wl *wl, dcs_time t)
{
    const dcs_llm_trace *tr = wl->trace;
    if (!tr || tr->n == 0 || t <= 0 || !(wl->time_scale > 0.0))
        return 0.0;
    dcs_trace_replay rep;
    dcs_trace_replay_init(&rep, tr, wl->time_scale, wl->loop);
    double laps = 0.0;
    dcs_time rest = t;
    if (wl->loop) {
        laps = (double)(t / rep.period);
        rest = t % rep.period;
    }
    /* Rows with round(at x scale) < rest: at is ascending, so bisect. */
    size_t lo = 0, hi = tr->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (nearbyint((double)tr->at[mid] * wl->time_scale) < (double)rest)
            lo = mid + 1;
        else
            hi = mid;
    }
    return laps * (double)tr->n + (double)lo;
}

static double trace_rate(const dcs_work_wl *wl, dcs_time t, dcs_time period)
{
    if (period <= 0)
        return 0.0;
    dcs_time t1 = t < period ? period : t;
    return (trace_count_before(wl, t1) - trace_count_before(wl, t1 - period)) /
           ((double)period / DCS_SECOND);
}

void dcs_controller_obs_at(const dcs_controller_config *cfg, dcs_time t, dcs_policy_obs *out)
{
    *out = cfg->base;
    out->now_s = (double)t / DCS_SECOND;
    for (int s = 0; s < out->nsites; s++) {
        dcs_policy_site_obs *o = &out->site[s];
        const dcs_hourly *ci = cfg->ci ? cfg->ci[s] : NULL;
        const dcs_hourly *mci = cfg->ci_marginal ? cfg->ci_marginal[s] : NULL;
        const dcs_hourly *price = cfg->price ? cfg->price[s] : NULL;
        if (ci) {
            o->ci_g_kwh = dcs_hourly_at(ci, t) / DCS_G_PER_KWH;
            for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
                o->ci_forecast_g_kwh[k] = dcs_hourly_at(ci, t + (k + 1) * DCS_HOUR) / DCS_G_PER_KWH;
        }
        o->marginal_ci_g_kwh = mci ? dcs_hourly_at(mci, t) / DCS_G_PER_KWH : o->ci_g_kwh;
        if (price)
            o->price_usd_mwh = dcs_hourly_at(price, t) / DCS_USD_PER_MWH;
        else if (cfg->flat_price_usd_per_j)
            o->price_usd_mwh = cfg->flat_price_usd_per_j[s] / DCS_USD_PER_MWH;
    }
    const dcs_work_config *w = cfg->work;
    for (int k = 0; k < out->nworkloads; k++) {
        const dcs_work_wl *wl = &w->wl[k];
        double rate = wl->from_trace ? trace_rate(wl, t, w->control_period)
                                     : dcs_arrivals_rate(&wl->rate, t);
        for (int r = 0; r < out->nregions; r++)
            out->region[r].demand_rps[k] = rate * wl->region_share[r];
    }
    for (int j = 0; j < out->njobs; j++)
        out->job[j].deadline_s -= out->now_s;
}

void dcs_controller_initial_action(const dcs_policy_stack *st, const dcs_policy_obs *obs,
                                   dcs_policy_action *act)
{
    static const dcs_policy_stack none = {0};
    dcs_policy_report rep;
    dcs_policy_stack_decide(st ? st : &none, obs, act, &rep);
}
