/*
 * site_work_ctl.c - what the site's workloads do at each control step and
 * when an action arrives: clocks from caps, node overheads, the fluid
 * evaluation of every pool, and the telemetry for the controller.
 *
 * Clocks.  A replica's clock is
 *   c = max(0.1, min(dcs_serving_clock_for_cap(cap x max_w), throttle))
 * with cap = min(the action's cap for its cluster, the rack and site
 * limit caps the site LP computed); jobs on a cluster run at the
 * accelerator's clock for that cap (dcs_accel_clock_for_cap at full load)
 * under the same throttle.  Compute-bound training slows in proportion to
 * the clock: the site's job scheduler runs at the lowest clock of the
 * clusters that hold job GPUs (a gang runs at its slowest member's pace).
 *
 * Fluid fidelity.  At each control step, per pool, the offered rate over
 * [t, t + P) is the workload's deterministic rate at the period's midpoint
 * (dcs_arrivals_rate) times the mean of the common burst chain over the
 * period (the chain the detailed mode uses, site_work.c) times
 * the site's share, or for traces the trace rows of the period times the
 * share; pools of one workload split it in proportion to their replicas.
 * It is spread over the pool's powered replicas (its kept share; one is
 * woken when load arrives and none is kept, as the
 * detailed mode does, without its wake delay).  dcs_fluid_eval gives the
 * pool's power (GPU power of the period) and its busy share;
 * dcs_fluid_record adds each region's served share to the workload's
 * histograms with that region's round trip.  Completions, drops and
 * violations go through the same counters as the detailed mode's.
 */
#include "site_work.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/accel.h"
#include "dcsim/power.h"


static double clamp_clock(double c)
{
    return c < 0.1 ? 0.1 : (c > 1.0 ? 1.0 : c);
}

/* Caps and clocks from the action in force and the step's limits. */
static void apply_caps(site_work *w, dcs_lp *lp, dcs_time now)
{
    const dcs_site_config *c = w->c;
    int s = c->site_index;
    for (size_t i = 0; i < c->nclusters; i++) {
        sw_cluster *k = &w->cl[i];
        double a = w->act->cap[s][i];
        if (!(a > 0) || a > 1)
            a = 1.0;              /* no cap given */
        k->cap = a < k->limit_cap ? a : k->limit_cap;
        /* Job GPUs follow the rack and site limits and the throttle, not
         * the power policy's cap: GPU power caps are set per GPU, and the
         * policy caps serving to trade its latency for energy (it cannot
         * see a job's deadline, and the temporal policy counts on jobs
         * running at full speed). */
        const dcs_accel_params *g = &c->clusters[i].node.gpu;
        double jc = k->limit_cap < 1.0
                        ? dcs_accel_clock_for_cap(g, 1.0, k->limit_cap * g->max_w) : 1.0;
        k->clock = clamp_clock(jc < w->throttle ? jc : w->throttle);
    }
    for (size_t p = 0; p < c->npools; p++) {
        const dcs_serving_params *sp = &c->pools[p].serving;
        double cap = w->cl[c->pools[p].cluster].cap;
        double rc = cap < 1.0 ? dcs_serving_clock_for_cap(sp, cap * sp->gpu.max_w) : 1.0;
        double clock = clamp_clock(rc < w->throttle ? rc : w->throttle);
        w->pools[p].clock = clock;
        /* The fluid model takes the pool's clock (fluid_pool). */
        for (int j = 0; j < w->pools[p].n && !w->fluid; j++)
            dcs_replica_set_clock(w->reps[w->pools[p].first + j].r, clock);
    }
    sw_jobs_speed(w, lp, now);
}

void sw_apply_action(site_work *w, dcs_lp *lp, const dcs_policy_action *a, dcs_time now)
{
    w->act = a;
    sw_apply_traffic(w, lp, a, now);
    apply_caps(w, lp, now);
    sw_jobs_apply(w, lp, a, now);
}

/* Node overheads of every cluster for the coming period, from the busy
 * share u of the period before: nodes (P_node(u, c) - gpus P_gpu(u, c) /
 * eta).  Their share for each pool's GPUs is charged to its workload. */
static void overheads(site_work *w, dcs_time now, const double *busy_share)
{
    const dcs_site_config *c = w->c;
    for (size_t i = 0; i < c->nclusters; i++) {
        const dcs_site_cluster *k = &c->clusters[i];
        sw_cluster *cl = &w->cl[i];
        double u = busy_share[i];
        double node = dcs_node_power_w(&k->node, u, cl->clock, u);
        double gpus = k->node.gpus * dcs_accel_power_w(&k->node.gpu, u, cl->clock) / cl->psu;
        double o = (double)k->nodes * (node - gpus);
        sw_acc_add(&cl->it, now, o - cl->overhead_w);
        cl->overhead_w = o;
    }
}

/* Charge each pool's workload its GPUs' share of the overheads of the
 * period [t0, t0 + dt_s) that just ended. */
void sw_charge_overheads(site_work *w, double dt_s)
{
    const dcs_site_config *c = w->c;
    for (size_t p = 0; p < c->npools; p++) {
        const sw_cluster *cl = &w->cl[c->pools[p].cluster];
        if (cl->gpus <= 0)
            continue;
        double g = (double)w->pools[p].n * c->pools[p].serving.gpus;
        w->wl[c->pools[p].workload].overhead_j += cl->overhead_w * g / cl->gpus * dt_s;
    }
}

/* Offered rate (req/s) of workload k at this site over [t, t + dt). */
static double fluid_rate(site_work *w, int k, dcs_time t, dcs_time dt)
{
    const dcs_work_wl *spec = &w->W->wl[k];
    sw_wl *wl = &w->wl[k];
    double share = wl->share > 1 ? 1 : wl->share;
    if (!spec->from_trace)
        return dcs_arrivals_rate(&spec->rate, t + dt / 2) * share
             * sw_burst_mean(w, k, t, t + dt);
    if (!spec->trace)
        return 0;
    /* Count the trace rows of the period (one row is read ahead). */
    uint64_t n = 0;
    dcs_time end = t + dt;
    for (;;) {
        if (!wl->row_pending) {
            if (!dcs_trace_replay_next(&wl->replay, &wl->row_at, &wl->row_prompt,
                                       &wl->row_output))
                break;
            wl->row_pending = true;
        }
        if (wl->row_at >= end)
            break;
        if (wl->row_at >= t)
            n++;
        wl->row_pending = false;
    }
    return (double)n / dcs_time_to_s(dt) * share;
}

/* Record the requests a remembered state of pool p has served so far
 * into its workload's histograms, region by region, and clear them.
 * The state's latencies were found at the clock it was solved at. */
static void flush_state(site_work *w, size_t p, dcs_fluid_memo_entry *e)
{
    const dcs_site_config *c = w->c;
    sw_pool *sp = &w->pools[p];
    int k = c->pools[p].workload;
    double clock = sp->fm.clock;
    sp->fm.clock = e->clock;   /* dcs_fluid_record prefills at the model's clock */
    for (int r = 0; r < w->W->nregions && r < DCS_FLUID_MEMO_REGIONS; r++) {
        if (!(e->pending[r] >= 1.0))
            continue;
        dcs_fluid_state sr = e->st;
        sr.served_rate = e->pending[r];   /* over one second: the count itself */
        dcs_fluid_record(&sp->fm, &sr, 1.0, w->W->rtt_s[r][c->site_index], 0, 0,
                         &w->stats[k].ttft, &w->stats[k].e2e);
        dcs_fluid_record_tpot(&sp->fm, &sr, 1.0, &w->stats[k].tpot);
        e->pending[r] = 0.0;
    }
    sp->fm.clock = clock;
}

/* At the end of the run: every pool's remembered states. */
static void flush_all(site_work *w)
{
    for (size_t p = 0; p < w->c->npools; p++) {
        if (w->pools[p].fm_clock == 0.0)
            continue;            /* never prepared */
        for (int i = 0; i < DCS_FLUID_EVAL_MEMO; i++)
            if (w->pools[p].fm.eval_memo[i].clock > 0.0)
                flush_state(w, p, &w->pools[p].fm.eval_memo[i]);
    }
}

/* The e2e distribution (no network) of the state memo entry e of pool sp
 * holds, built when the slot's state is new; NULL when out of memory (the
 * period's p99 then leaves the pool out). */
static const dcs_fluid_dist *state_dist(sw_pool *sp, const dcs_fluid_memo_entry *e)
{
    if (!sp->dist) {
        sp->dist = calloc(DCS_FLUID_EVAL_MEMO, sizeof *sp->dist);
        if (!sp->dist)
            return NULL;
    }
    sw_dist *sd = &sp->dist[e - sp->fm.eval_memo];
    if (!(sd->clock == e->clock && sd->replicas == e->replicas && sd->cell == e->cell)) {
        sd->clock = 0.0;
        if (!dcs_fluid_e2e_dist(&sp->fm, &e->st, 0.0, &sd->d))
            return NULL;
        sd->clock = e->clock;
        sd->replicas = e->replicas;
        sd->cell = e->cell;
    }
    return &sd->d;
}

static void fluid_pool(site_work *w, size_t p, dcs_time t, dcs_time dt, double rate_k)
{
    const dcs_site_config *c = w->c;
    const dcs_site_pool *pool = &c->pools[p];
    sw_pool *sp = &w->pools[p];
    int k = pool->workload;
    const dcs_work_wl *spec = &w->W->wl[k];
    sw_wl *wl = &w->wl[k];
    double rate = wl->nreps > 0 ? rate_k * sp->n / wl->nreps : 0;
    double period_s = dcs_time_to_s(dt);
    /* Faults: what a dark site or a cut region would get is lost. */
    double cut_w = w->dark ? wl->share : 0.0;
    for (int r = 0; r < w->W->nregions && !w->dark; r++)
        cut_w += w->cut[r] ? wl->region_w[r] : 0.0;
    if (cut_w > 0 && wl->share > 0) {
        double lost = rate * cut_w / wl->share;
        sw_fault_drop(w, k, (uint64_t)nearbyint(lost * period_s));
        rate -= lost;
    }
    double live_w = wl->share - cut_w;
    if (w->down[k] >= wl->nreps && rate > 0) {
        sw_fault_drop(w, k, (uint64_t)nearbyint(rate * period_s));   /* none in service */
        rate = 0;
    }
    int awake = sp->nkept;
    if (awake == 0 && rate > 0 && sp->n > 0)
        awake = 1;                /* woken on demand */
    double busy_w = 0;
    if (sp->fb_on != sp->fm_fb) {
        /* The model changed (site_work_fallback.c): record what the old
         * one's remembered states served, then evaluate with the other. */
        for (int i = 0; i < DCS_FLUID_EVAL_MEMO && sp->fm_clock != 0.0; i++)
            if (sp->fm.eval_memo[i].clock > 0.0)
                flush_state(w, p, &sp->fm.eval_memo[i]);
        sw_fallback_fluid_swap(w, p);
    }
    uint64_t served_before = w->stats[k].requests;
    if (awake > 0) {
        if (sp->fm_clock == 0.0) {
            dcs_fluid_calib cal;
            dcs_fluid_calib_default(&cal);
            dcs_fluid_prepare(&sp->fm, sp->fm_fb ? &pool->fallback : &pool->serving, &cal,
                              &spec->prompt, &spec->output, sp->clock);
            sp->fm_clock = sp->clock;
        } else if (sp->fm_clock != sp->clock) {
            /* The same as a prepare at that clock, keeping the model's
             * remembered capacities and states (keyed by clock). */
            dcs_fluid_set_clock(&sp->fm, sp->clock);
            sp->fm_clock = sp->clock;
        }
        dcs_fluid_state st;
        dcs_fluid_memo_entry old;
        dcs_fluid_memo_entry *e = dcs_fluid_eval_memo(&sp->fm, rate, awake, &st, &old);
        if (old.clock > 0.0)
            flush_state(w, p, &old);
        busy_w = st.busy * awake * pool->serving.gpus;
        bool defer = w->W->nregions <= DCS_FLUID_MEMO_REGIONS;
        for (int r = 0; r < w->W->nregions && live_w > 0; r++) {
            if (w->cut[r])
                continue;
            double q = wl->region_w[r] / live_w;
            if (!(q > 0))
                continue;
            dcs_fluid_state sr = st;
            sr.served_rate *= q;
            double net = w->W->rtt_s[r][c->site_index];
            /* As dcs_fluid_record counts and rounds them. */
            double total = nearbyint(sr.served_rate * period_s);
            uint64_t n = total >= 1.0 ? (uint64_t)total : 0, bad = 0;
            if (n > 0) {
                /* The share depends on the state, the SLO and the round
                 * trip only: once per remembered state and region. */
                if (defer && isnan(e->viol[r]))
                    e->viol[r] = dcs_fluid_violation_share(&sp->fm, &sr, net, spec->slo.ttft_s,
                                                           spec->slo.e2e_s);
                double viol = defer ? e->viol[r]
                                    : dcs_fluid_violation_share(&sp->fm, &sr, net,
                                                                spec->slo.ttft_s, spec->slo.e2e_s);
                bad = (uint64_t)nearbyint(viol * (double)n);
            }
            if (defer)
                e->pending[r] += (double)n;
            else {
                dcs_fluid_record(&sp->fm, &sr, period_s, net, 0, 0, &w->stats[k].ttft,
                                 &w->stats[k].e2e);
                dcs_fluid_record_tpot(&sp->fm, &sr, period_s, &w->stats[k].tpot);
            }
            uint64_t drop = (uint64_t)nearbyint(st.dropped_rate * q * period_s);
            w->stats[k].requests += n;
            w->stats[k].violations += bad;
            w->stats[k].dropped += drop;
            w->stats[k].prompt_tokens += (double)n * sp->fm.mean_prompt;
            w->stats[k].output_tokens += (double)n * sp->fm.mean_output;
            w->period_done += n;
            w->period_bad += bad;
            w->period_dropped += drop;
            wl->served_period += n;
        }
        /* The period's e2e for the controller's p99: the whole pool's
         * requests (as dcs_fluid_record counts them), without network,
         * from the state's distribution, built once per remembered state. */
        double n_pool = nearbyint(st.served_rate * period_s);
        if (n_pool >= 1.0) {
            w->period_dist[p] = state_dist(sp, e);
            w->period_n[p] = n_pool;
        }
        /* The pool's power: its powered replicas' and the others' sleep. */
        sw_set_pool_power(w, p, t, st.power_w + (sp->n - awake) * pool->serving.sleep_w
                                                    * pool->serving.gpus);
    } else {
        sw_set_pool_power(w, p, t, sp->n * pool->serving.sleep_w * pool->serving.gpus);
    }
    if (sp->fm_fb)
        w->stats[k].fallback += w->stats[k].requests - served_before;
    /* Busy GPUs of the pool as a rate over the period. */
    sw_cluster *cl = &w->cl[pool->cluster];
    sw_acc_add(&cl->busy, t, busy_w - sp->busy_w);
    sw_acc_add(&w->rep_busy, t, busy_w - sp->busy_w);
    sp->busy_w = busy_w;
}

static void fluid_step(site_work *w, dcs_lp *lp, dcs_time t, dcs_time dt)
{
    dcs_time end = dcs_lp_end(lp);
    w->fluid_p99_s = NAN;
    if (t + dt > end)
        dt = end - t;
    if (dt <= 0)
        return;
    double rate[DCS_WORK_MAX_WORKLOADS] = {0};
    for (int k = 0; k < w->W->nworkloads; k++)
        if (w->W->wl[k].kind == 0 && w->wl[k].nreps > 0)
            rate[k] = sw_degrade_fluid(w, k, fluid_rate(w, k, t, dt), t, dt);
    for (size_t p = 0; p < w->c->npools; p++) {
        w->period_dist[p] = NULL;
        w->period_n[p] = 0;
        fluid_pool(w, p, t, dt, rate[w->c->pools[p].workload]);
    }
    /* The controller's p99 of this period, read when it closes. */
    w->fluid_p99_s = dcs_fluid_dist_quantile_s(w->period_dist, w->period_n,
                                               (int)w->c->npools, 0.99);
    /* Requests are recorded into the histograms once per remembered state
     * (fluid_pool), so the last period records them all. */
    if (t + dt >= end)
        flush_all(w);
}

double site_work_control(site_work *w, dcs_lp *lp, dcs_time t, dcs_time dt,
                         const site_work_limits *lim)
{
    const dcs_site_config *c = w->c;
    double busy_share[DCS_POLICY_MAX_CLUSTERS] = {0};
    double heat = 0;
    double it_now = 0, busy_now = 0, rep_busy_now;
    for (size_t i = 0; i < c->nclusters; i++) {
        sw_acc_add(&w->cl[i].it, t, 0);
        sw_acc_add(&w->cl[i].busy, t, 0);
        it_now += w->cl[i].it.sum;
        busy_now += w->cl[i].busy.sum;
    }
    sw_acc_add(&w->rep_busy, t, 0);
    rep_busy_now = w->rep_busy.sum;
    if (w->stepped && t > w->last_step) {
        double ps = dcs_time_to_s(t - w->last_step);
        double gpus = 0, rep_gpus = 0;
        for (size_t i = 0; i < c->nclusters; i++) {
            gpus += w->cl[i].gpus;
            double b = w->cl[i].busy.sum - w->cl[i].busy_mark;
            busy_share[i] = w->cl[i].gpus > 0 ? b / (w->cl[i].gpus * ps) : 0;
            w->cl[i].busy_mark = w->cl[i].busy.sum;
        }
        for (size_t p = 0; p < c->npools; p++)
            rep_gpus += (double)w->pools[p].nkept * c->pools[p].serving.gpus;
        heat = (it_now - w->it_mark) / ps;
        w->last_util = gpus > 0 ? (busy_now - w->busy_mark) / (gpus * ps) : 0;
        w->last_rep_util = rep_gpus > 0 ? (rep_busy_now - w->rep_busy_mark) / (rep_gpus * ps) : 0;
        if (w->last_rep_util > 1)
            w->last_rep_util = 1;
        w->last_rps = (double)w->period_done / ps;
        uint64_t all = w->period_done + w->period_dropped;
        w->last_bad_share = all ? (double)(w->period_bad + w->period_dropped) / (double)all : 0;
        w->overload_share = w->period_done ? (double)w->period_bad / (double)w->period_done : 0;
        if (w->fluid)
            w->last_p99_s = w->fluid_p99_s;
        else
            w->last_p99_s = dcs_lathist_count(&w->period_e2e)
                          ? dcs_lathist_quantile_s(&w->period_e2e, 0.99) : (double)NAN;
        for (int k = 0; k < w->W->nworkloads; k++) {
            w->wl[k].served_rps = (double)w->wl[k].served_period / ps;
            w->wl[k].served_period = 0;
        }
        sw_charge_overheads(w, ps);
        if (w->period_fault_dropped > 0)
            w->fault_impact_s += ps;
        w->period_fault_dropped = 0;
        w->period_done = w->period_bad = w->period_dropped = 0;
        if (!w->fluid)
            dcs_lathist_init(&w->period_e2e);
    } else {
        for (size_t i = 0; i < c->nclusters; i++)
            heat += w->cl[i].it.rate;
    }
    w->it_mark = it_now;
    w->busy_mark = busy_now;
    w->rep_busy_mark = rep_busy_now;
    w->last_step = t;
    w->stepped = true;
    for (size_t i = 0; i < c->nclusters; i++)
        w->cl[i].limit_cap = lim->limit_cap ? lim->limit_cap[i] : 1.0;
    w->throttle = lim->throttle;
    w->chiller_out = lim->chiller_out;
    /* Before the fluid evaluation, which serves the new period in the
     * state it starts in. */
    sw_degrade_update(w, lp, t);
    apply_caps(w, lp, t);
    overheads(w, t, busy_share);
    /* A fault or trip mid-period also runs a step; the fluid evaluation
     * of the period already counted its requests, so it waits for the
     * next period (a second one would count [t, end) twice). */
    if (w->fluid && t % c->control_period == 0)
        fluid_step(w, lp, t, dt);
    return heat;
}

void site_work_telemetry(const site_work *w, int64_t k, dcs_site_telemetry *out)
{
    site_work_view v;
    site_work_view_now(w, &v);
    out->period = k;
    out->utilisation = w->last_rep_util;
    out->queue_len = v.queue_len;
    out->p99_s = w->last_p99_s;
    out->slo_violation_share = w->last_bad_share;
    int up = 0, waking = 0;
    if (w->fluid) {
        /* Kept replicas are up at once (no wake delay in the fluid mode). */
        for (size_t p = 0; p < w->c->npools; p++)
            up += w->pools[p].nkept;
    } else {
        for (int i = 0; i < w->nrep; i++) {
            bool awake = dcs_replica_awake(w->reps[i].r);
            up += awake;
            waking += !awake && w->reps[i].waking;
        }
    }
    out->replicas_up = up;        /* replicas out of service are not kept: asleep */
    out->replicas_waking = waking;
    out->replicas_total = w->nrep;
    for (size_t i = 0; i < w->c->nclusters && i < DCS_POLICY_MAX_CLUSTERS; i++)
        out->cluster_cap_now[i] = w->cl[i].cap;
    for (int j = 0; j < w->W->nworkloads; j++)
        out->served_rps[j] = w->wl[j].served_rps;
    size_t nj = w->c->njobs < DCS_POLICY_MAX_JOBS ? w->c->njobs : DCS_POLICY_MAX_JOBS;
    out->njobs = (int)nj;
    for (size_t j = 0; j < nj; j++) {
        int si = w->sched_index[j];
        const dcs_job_status *st = si >= 0 ? dcs_jobsched_get(w->js, (size_t)si) : NULL;
        dcs_time now = w->last_step;
        dcs_time done = st ? dcs_jobsched_progress(w->js, (size_t)si, now) : 0;
        out->job_remaining_s[j] = dcs_time_to_s(w->c->jobs[j].job.work - done);
        out->job_running[j] = st && st->state == DCS_JOB_RUNNING;
        out->job_done[j] = st && st->state == DCS_JOB_DONE;
    }
}
