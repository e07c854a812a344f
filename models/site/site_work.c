/*
 * site_work.c - serving replicas inside the site LP: requests arrive,
 * are dispatched to replicas, run in batch iterations and complete; GPU
 * power and busy time are integrated exactly.
 *
 * Arrivals (detailed fidelity).  Workload w's demand from region r reaches
 * this site s with share split[w][r][s] of the action in force, so the
 * site's stream is Poisson (dcs_arrivals_next) with
 *   share_w = sum_r region_share[r] * split[w][r][s]
 * and each request's region drawn in proportion to
 * region_share[r] * split[w][r][s]; its network round trip is rtt_s[r][s].
 * When an action changes the share, the pending arrival is drawn anew
 * from the action's time (memoryless, so the process stays exact).  The
 * burst chain (two-state Markov, arrivals.h) is drawn here, not inside
 * dcs_arrivals, from a stream seeded by (run seed, workload) alone, so
 * every site sees the same burst timeline: the generator runs at the
 * burst rate (mean_rate x burst_mult, no bursts of its own) and the share
 * passed to it is scaled by mult(t) / burst_mult; at each switch the
 * pending arrival is drawn anew.  The fluid mode walks the same chain at
 * its control steps and uses the chain's mean over each period.
 * Trace workloads: every site replays the whole trace and keeps the rows
 * whose uniform u = hash(seed, workload, row, lap) falls in its interval
 * of the cumulative split (sites in index order, regions in index order
 * inside a site), so each row is served by exactly one site or by none
 * when the split sums below 1 (such rows are the controller's drops).
 *
 * Power.  A replica draws its iteration's power while it iterates and
 * dcs_replica_idle_power_w otherwise (sleep power when scaled to zero).
 * GPU board power is DC; the cluster's IT power (AC) follows power.h:
 *   P_it = (P_replica_gpus + P_job_gpus + P_idle_gpus) / eta_psu
 *        + nodes * (P_node(u, c) - gpus * P_accel(u, c) / eta_psu)
 * the second term being dcs_node_power_w with the GPUs' share removed
 * (CPUs, memory, NICs, other, fans), evaluated at each control step with
 * the cluster's busy share u of the period before (fans and CPU load lag
 * one period).  Every change of a replica's power adds to exact integrals
 * (sw_acc) of its energy and its cluster's, so the energy of any interval
 * is the sum of the iterations' energies, idle power and overheads.
 * A workload's energy is its replicas' GPU energy (AC) plus their GPUs'
 * share of their clusters' node overheads (pool GPUs / cluster GPUs of each
 * period's overhead energy); for training and batch workloads, its jobs'
 * GPU energy (AC) alone.  Idle GPUs in no replica and no job, and the rest
 * of the overheads, belong to no workload.
 */
#include "site_work.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dcsim/rng.h"

static double psu_of(const dcs_site_cluster *k)
{
    return k->node.psu_efficiency > 0 ? k->node.psu_efficiency : 1.0;
}

/* sw_acc_add for the updates of every iteration, with the same bits: an
 * interval shorter than a second converts as 0.0 + dt / 1e9, for which
 * dcs_time_to_s would first do an integer division and a remainder. */
static inline void acc_add(sw_acc *a, dcs_time now, double delta)
{
    if (now > a->t) {
        dcs_time dt = now - a->t;
        a->sum += a->rate * (dt < DCS_SECOND ? (double)dt / 1e9 : dcs_time_to_s(dt));
        a->t = now;
    }
    a->rate += delta;
}

void sw_set_rep_power(site_work *w, int i, dcs_time now, double gpu_w)
{
    sw_rep *r = &w->reps[i];
    double psu = w->cl[r->cluster].psu;
    double d = (gpu_w - r->gpu_w) / psu;
    acc_add(&r->energy, now, d);
    acc_add(&w->cl[r->cluster].it, now, d);
    r->gpu_w = gpu_w;
}

void sw_set_pool_power(site_work *w, size_t p, dcs_time now, double gpu_w)
{
    sw_pool *sp = &w->pools[p];
    sw_cluster *cl = &w->cl[w->c->pools[p].cluster];
    double d = (gpu_w - sp->gpu_w) / cl->psu;
    acc_add(&sp->energy, now, d);
    acc_add(&cl->it, now, d);
    sp->gpu_w = gpu_w;
}

static void set_busy(site_work *w, int i, dcs_time now, bool iterating)
{
    sw_rep *r = &w->reps[i];
    if (r->busy == iterating)
        return;
    double d = iterating ? r->gpus : -r->gpus;
    acc_add(&w->cl[r->cluster].busy, now, d);
    acc_add(&w->rep_busy, now, d);
    r->busy = iterating;
}

static bool rep_idle(const sw_rep *r)
{
    return !r->iterating && dcs_replica_queued(r->r) == 0 && dcs_replica_running(r->r) == 0;
}

/* Start the next iteration of replica i if it has work and is awake. */
static void try_start(site_work *w, dcs_lp *lp, int i, dcs_time now)
{
    sw_rep *r = &w->reps[i];
    if (r->iterating)
        return;
    dcs_iteration it;
    if (!dcs_replica_start_iteration(r->r, now, &it)) {
        set_busy(w, i, now, false);
        if (r->draining) {        /* switching model: the batch is done */
            sw_fallback_drained(w, lp, i, now);
            return;
        }
        sw_set_rep_power(w, i, now, dcs_replica_idle_power_w(r->r));
        if (!r->kept && rep_idle(r) && dcs_replica_sleep(r->r))
            sw_set_rep_power(w, i, now, dcs_replica_idle_power_w(r->r));
        return;
    }
    /* Back to back iterations leave the busy integrals alone. */
    set_busy(w, i, now, true);
    r->iterating = true;
    sw_set_rep_power(w, i, now, it.power_w);
    dcs_event *ev = dcs_lp_send(lp, dcs_lp_id(lp), it.duration, SW_EV_ITER_END);
    ev->p.u[0] = (uint64_t)i;
}

/* Wake replica i (scale from zero) and schedule its WAKE event. */
static void wake(site_work *w, dcs_lp *lp, int i, dcs_time now)
{
    sw_rep *r = &w->reps[i];
    if (dcs_replica_awake(r->r) || r->waking)
        return;
    dcs_time ready = dcs_replica_wake(r->r, now);
    sw_set_rep_power(w, i, now, dcs_replica_idle_power_w(r->r));
    r->waking = true;
    dcs_event *ev = dcs_lp_send(lp, dcs_lp_id(lp), ready - now, SW_EV_WAKE);
    ev->p.u[0] = (uint64_t)i;
}

/* Keep `kept` of the site's replicas powered, each workload the same share
 * of its own pool (rounded up, so a workload with load keeps a replica
 * while any is kept): the first ones of each workload stay, idle ones
 * beyond sleep, sleeping ones within wake.  The policy layer sizes one
 * count per site for all pools alike (policy.h, consolidate). */
static void apply_kept(site_work *w, dcs_lp *lp, int kept, dcs_time now)
{
    w->kept = kept < 0 ? 0 : (kept > w->nrep ? w->nrep : kept);
    for (int k = 0; k < w->W->nworkloads; k++) {
        sw_wl *wl = &w->wl[k];
        int nk = w->nrep > 0 ? (int)ceil((double)w->kept * wl->nreps / w->nrep - 1e-9) : 0;
        nk = nk < wl->nreps ? nk : wl->nreps;
        /* Replicas out of service (faults: the last down[k] of the
         * workload) cannot be kept: the first min(nk, in service) are. */
        int live = wl->nreps - w->down[k];
        nk = nk < live ? nk : (live > 0 ? live : 0);
        /* Only the flags between the old and the new count change. */
        int lo = nk < wl->nkept ? nk : wl->nkept, hi = nk < wl->nkept ? wl->nkept : nk;
        for (int j = lo; j < hi; j++)
            w->reps[wl->rep_index[j]].kept = j < nk;
        wl->nkept = nk;
    }
    /* Each pool's share of its workload's kept replicas (the first ones). */
    for (size_t p = 0; p < w->c->npools; p++) {
        sw_pool *sp = &w->pools[p];
        int n = w->wl[w->c->pools[p].workload].nkept - sp->wl_first;
        sp->nkept = n < 0 ? 0 : (n > sp->n ? sp->n : n);
    }
    /* The fluid mode keeps no per-replica power state: the kept counts
     * are all it reads (site_work_ctl.c). */
    if (w->fluid)
        return;
    for (int i = 0; i < w->nrep; i++) {
        sw_rep *r = &w->reps[i];
        if (r->kept)
            wake(w, lp, i, now);
        else if (rep_idle(r) && dcs_replica_sleep(r->r))
            sw_set_rep_power(w, i, now, dcs_replica_idle_power_w(r->r));
    }
}

/* A request of workload k from region reg, sent at arrival, reaches the
 * site's replicas now (arrival < now for a request held while the site was
 * degraded: its latency counts the hold). */
static void dispatch(site_work *w, dcs_lp *lp, int k, int reg, int32_t prompt, int32_t output,
                     dcs_time arrival, dcs_time now)
{
    sw_wl *wl = &w->wl[k];
    /* Only kept replicas take new work, so the others drain and sleep;
     * with none kept, any (asleep) replica is picked and woken. */
    int n = wl->nkept > 0 ? wl->nkept : wl->nreps;
    if (n > wl->nreps - w->down[k])
        n = wl->nreps - w->down[k];     /* replicas out of service take nothing */
    if (w->dark || w->cut[reg] || n <= 0) {
        sw_fault_drop(w, k, 1);
        return;
    }
    if (w->degraded && w->W->wl[k].low_priority &&
        sw_degrade_intercept(w, k, reg, prompt, output, now))
        return;                   /* shed or held (site_work_degrade.c) */
    int pick = dcs_dispatch_pick(&wl->disp, wl->reps, n);
    if (pick < 0) {
        w->stats[k].dropped++;
        w->period_dropped++;
        return;
    }
    int i = wl->rep_index[pick];
    double rtt = w->W->rtt_s[reg][w->c->site_index];
    dcs_request q = {
        .id = (w->next_id++ << 5) | (uint64_t)reg,   /* region in the low bits */
        .arrival = arrival,
        .network = (dcs_time)nearbyint(rtt * 1e9),
        .prompt_tokens = prompt < 1 ? 1 : prompt,
        .output_tokens = output < 1 ? 1 : output,
        .tag = k};
    if (!dcs_replica_admit(wl->reps[pick], &q)) {
        w->stats[k].dropped++;
        w->period_dropped++;
        return;
    }
    if (dcs_replica_awake(w->reps[i].r))
        try_start(w, lp, i, now);
    else
        wake(w, lp, i, now);
}

void sw_dispatch_held(site_work *w, dcs_lp *lp, const sw_held *h, dcs_time now)
{
    dispatch(w, lp, h->wl, h->region, h->prompt, h->output, h->arrival, now);
}

/* Region of a Poisson request: drawn in proportion to region_w. */
static int draw_region(const site_work *w, const sw_wl *wl, gsl_rng *rng)
{
    double u = gsl_rng_uniform(rng) * wl->share, c = 0;
    int last = 0;
    for (int r = 0; r < w->W->nregions; r++) {
        if (wl->region_w[r] <= 0)
            continue;
        c += wl->region_w[r];
        last = r;
        if (u < c)
            return r;
    }
    return last;
}

/* Uniform in [0, 1) common to every site for a trace row. */
static double row_uniform(uint64_t seed, int k, size_t row, uint64_t lap)
{
    uint64_t h = dcs_mix64(seed ^ dcs_mix64((uint64_t)k + 0x9e3779b97f4a7c15u));
    h = dcs_mix64(h ^ dcs_mix64((uint64_t)row));
    h = dcs_mix64(h ^ dcs_mix64(lap + 0x632be59bd9b4e019u));
    return (double)(h >> 11) * 0x1.0p-53;
}

/* Region of a trace row if it belongs to this site, else -1. */
static int row_region(const site_work *w, const sw_wl *wl, int k, size_t row, uint64_t lap)
{
    double u = row_uniform(w->W->seed, k, row, lap);
    if (u < wl->lo)
        return -1;
    double c = wl->lo;
    for (int r = 0; r < w->W->nregions; r++) {
        if (wl->region_w[r] <= 0)
            continue;
        c += wl->region_w[r];
        if (u < c)
            return r;
    }
    return -1;
}

/* The next control step strictly after now: actions change splits there. */
static dcs_time next_boundary(const site_work *w, dcs_time now)
{
    dcs_time p = w->W->control_period > 0 ? w->W->control_period : w->c->control_period;
    return (now / p + 1) * p;
}

/* Trace workload k: read rows until one is ours or lies past the next
 * control step (to be judged then), and schedule its event. */
static void next_row(site_work *w, dcs_lp *lp, int k, dcs_time now)
{
    sw_wl *wl = &w->wl[k];
    dcs_time bound = next_boundary(w, now);
    wl->row_pending = false;
    for (;;) {
        dcs_time at;
        int32_t p, o;
        if (!dcs_trace_replay_next(&wl->replay, &at, &p, &o) || at >= dcs_lp_end(lp))
            return;
        if (at < now)
            continue;             /* before the run's time: cannot happen from t = 0 */
        wl->row_at = at;
        wl->row_prompt = p;
        wl->row_output = o;
        wl->row_index = wl->replay.next - 1;
        wl->row_lap = wl->replay.lap;
        wl->row_ours = false;
        if (at < bound) {
            int reg = row_region(w, wl, k, wl->row_index, wl->row_lap);
            if (reg < 0)
                continue;
            wl->row_ours = true;
            wl->row_region = reg;
        }
        wl->row_pending = true;
        dcs_event *ev = dcs_lp_send(lp, dcs_lp_id(lp), at - now, SW_EV_ARRIVAL);
        ev->p.u[0] = (uint64_t)k;
        ev->p.u[1] = wl->gen;
        return;
    }
}

/* Draw workload k's next Poisson arrival after now. */
static void next_poisson(site_work *w, dcs_lp *lp, int k, dcs_time now)
{
    sw_wl *wl = &w->wl[k];
    double share = wl->share > 1 ? 1 : wl->share;
    if (wl->burst_rng)
        share *= (wl->in_burst ? wl->burst_mult : wl->quiet_mult) / wl->burst_mult;
    dcs_time t = dcs_arrivals_next(&wl->arr, dcs_lp_rng(lp, SW_RNG_ARRIVALS), now, share);
    if (t >= dcs_lp_end(lp))
        return;
    dcs_event *ev = dcs_lp_send(lp, dcs_lp_id(lp), t - now, SW_EV_ARRIVAL);
    ev->p.u[0] = (uint64_t)k;
    ev->p.u[1] = wl->gen;
}

/* (Re)start workload k's arrivals from now: an earlier pending arrival is
 * cancelled by the new generation.  A pending trace row keeps its event. */
void sw_start_arrivals(site_work *w, dcs_lp *lp, int k, dcs_time now)
{
    if (w->fluid || w->W->wl[k].kind != 0 || w->wl[k].nreps == 0)
        return;
    if (w->W->wl[k].from_trace) {
        if (!w->wl[k].row_pending && w->wl[k].gen == 0) {
            w->wl[k].gen = 1;
            next_row(w, lp, k, now);
        }
        return;
    }
    w->wl[k].gen++;
    next_poisson(w, lp, k, now);
}

static void on_arrival(site_work *w, dcs_lp *lp, const dcs_event *ev, dcs_time now)
{
    int k = (int)ev->p.u[0];
    sw_wl *wl = &w->wl[k];
    if (ev->p.u[1] != wl->gen)
        return;                   /* superseded by a new share */
    const dcs_work_wl *spec = &w->W->wl[k];
    if (spec->from_trace) {
        int reg = wl->row_ours ? wl->row_region
                               : row_region(w, wl, k, wl->row_index, wl->row_lap);
        if (reg >= 0)
            dispatch(w, lp, k, reg, wl->row_prompt, wl->row_output, now, now);
        next_row(w, lp, k, now);
        return;
    }
    gsl_rng *rng = dcs_lp_rng(lp, SW_RNG_REQUESTS);
    int reg = draw_region(w, wl, rng);
    int32_t p = dcs_token_sampler_draw(&wl->prompt, rng);
    int32_t o = dcs_token_sampler_draw(&wl->output, rng);
    dispatch(w, lp, k, reg, p, o, now, now);
    next_poisson(w, lp, k, now);
}

/* Exponential duration of mean mean_s in ns, at least 1. */
static dcs_time exp_ns(gsl_rng *rng, double mean_s)
{
    double ns = nearbyint(gsl_ran_exponential(rng, mean_s) * 1e9);
    return ns >= 9.0e18 ? DCS_TIME_MAX / 2 : (ns < 1.0 ? 1 : (dcs_time)ns);
}

static void arm_burst(site_work *w, dcs_lp *lp, int k, dcs_time now)
{
    sw_wl *wl = &w->wl[k];
    if (wl->next_switch >= dcs_lp_end(lp))
        return;
    dcs_event *ev = dcs_lp_send(lp, dcs_lp_id(lp), wl->next_switch - now, SW_EV_BURST);
    ev->p.u[0] = (uint64_t)k;
}

/* Workload k's common burst chain: initial state from its stationary
 * distribution, then alternating exponential spells. */
static int init_bursts(site_work *w, int k)
{
    const dcs_burst_params *b = &w->W->wl[k].burst;
    sw_wl *wl = &w->wl[k];
    /* (run seed, LP id DCS_LP_MAX: no LP has it, purpose = workload). */
    wl->burst_rng = dcs_rng_stream_alloc(NULL, w->W->seed, DCS_LP_MAX, (unsigned)k);
    if (!wl->burst_rng)
        return -1;
    double pi_on = b->mean_on_s / (b->mean_on_s + b->mean_off_s);
    double mean_mult = 1.0 + pi_on * (b->factor - 1.0);
    wl->quiet_mult = 1.0 / mean_mult;
    wl->burst_mult = b->factor / mean_mult;
    wl->in_burst = gsl_rng_uniform(wl->burst_rng) < pi_on;
    wl->next_switch = exp_ns(wl->burst_rng, wl->in_burst ? b->mean_on_s : b->mean_off_s);
    return 0;
}

double sw_burst_mean(site_work *w, int k, dcs_time t, dcs_time end)
{
    const dcs_burst_params *b = &w->W->wl[k].burst;
    sw_wl *wl = &w->wl[k];
    if (!wl->burst_rng || end <= t)
        return 1.0;
    double sum = 0;
    dcs_time a = t;
    while (wl->next_switch < end) {
        if (wl->next_switch > a) {
            sum += (wl->in_burst ? wl->burst_mult : wl->quiet_mult)
                 * dcs_time_to_s(wl->next_switch - a);
            a = wl->next_switch;
        }
        wl->in_burst = !wl->in_burst;
        wl->next_switch = dcs_time_add_sat(
            wl->next_switch,
            exp_ns(wl->burst_rng, wl->in_burst ? b->mean_on_s : b->mean_off_s));
    }
    sum += (wl->in_burst ? wl->burst_mult : wl->quiet_mult) * dcs_time_to_s(end - a);
    return sum / dcs_time_to_s(end - t);
}

static void on_burst(site_work *w, dcs_lp *lp, int k, dcs_time now)
{
    const dcs_burst_params *b = &w->W->wl[k].burst;
    sw_wl *wl = &w->wl[k];
    wl->in_burst = !wl->in_burst;
    wl->next_switch = dcs_time_add_sat(
        now, exp_ns(wl->burst_rng, wl->in_burst ? b->mean_on_s : b->mean_off_s));
    arm_burst(w, lp, k, now);
    if (!w->fluid && wl->nreps > 0) {
        wl->gen++;                /* the rate changed: draw anew from now */
        next_poisson(w, lp, k, now);
    }
}

static void on_iter_end(site_work *w, dcs_lp *lp, int i, dcs_time now)
{
    sw_rep *r = &w->reps[i];
    int n = dcs_replica_finish_iteration(r->r, now, w->done, w->done_cap);
    for (int j = 0; j < n; j++) {
        const dcs_request_done *d = &w->done[j];
        int k = d->tag;
        bool bad = dcs_wl_stats_add(&w->stats[k], &w->W->wl[k].slo, d);
        int reg = (int)(d->id & 31u);
        double net = w->W->rtt_s[reg][w->c->site_index];
        dcs_lathist_add(&w->period_e2e, d->e2e_s > net ? d->e2e_s - net : 0.0);
        w->period_done++;
        w->period_bad += bad;
        w->wl[k].served_period++;
    }
    if (r->fb)
        w->stats[r->wl].fallback += (uint64_t)n;   /* served by the fallback model */
    r->iterating = false;
    try_start(w, lp, i, now);
}

static void on_wake(site_work *w, dcs_lp *lp, int i, dcs_time now)
{
    w->reps[i].waking = false;
    try_start(w, lp, i, now);
}

bool site_work_owns(uint32_t kind)
{
    return (kind >= SW_EV_ARRIVAL && kind <= SW_EV_BURST) || kind == DCS_EV_ACTION;
}

void site_work_handle(site_work *w, dcs_lp *lp, const dcs_event *ev)
{
    dcs_time now = dcs_lp_now(lp);
    switch (ev->kind) {
    case SW_EV_ARRIVAL:
        on_arrival(w, lp, ev, now);
        break;
    case SW_EV_ITER_END:
        on_iter_end(w, lp, (int)ev->p.u[0], now);
        break;
    case SW_EV_WAKE:
        on_wake(w, lp, (int)ev->p.u[0], now);
        break;
    case SW_EV_BURST:
        on_burst(w, lp, (int)ev->p.u[0], now);
        break;
    case SW_EV_JOB_SUBMIT:
    case SW_EV_JOB_FINISH:
        sw_jobs_event(w, lp, ev);
        break;
    case DCS_EV_ACTION: {
        const dcs_control_bus *b = w->c->bus;
        DCS_LP_ASSERT(lp, b, "action without a control bus");
        sw_apply_action(w, lp, &b->action[ev->p.u[0] % DCS_CONTROL_RING], now);
        break;
    }
    default:
        DCS_LP_ASSERT(lp, false, "unknown site work event kind %u", ev->kind);
    }
}

/* Apply the replicas and traffic parts of an action (caps and jobs in
 * site_work_ctl.c and site_work_jobs.c). */
void sw_apply_traffic(site_work *w, dcs_lp *lp, const dcs_policy_action *a, dcs_time now)
{
    const dcs_work_config *W = w->W;
    int s = w->c->site_index;
    apply_kept(w, lp, a->replicas[s], now);
    for (int k = 0; k < W->nworkloads; k++) {
        sw_wl *wl = &w->wl[k];
        double share = 0, lo = 0;
        for (int r = 0; r < W->nregions; r++) {
            double x = a->split[k][r][s];
            wl->region_w[r] = x > 0 ? W->wl[k].region_share[r] * x : 0;
            share += wl->region_w[r];
            for (int t = 0; t < s; t++)
                lo += a->split[k][r][t] > 0 ? W->wl[k].region_share[r] * a->split[k][r][t] : 0;
        }
        bool changed = share != wl->share;
        wl->share = share;
        wl->lo = lo;
        if (changed || now == 0)
            sw_start_arrivals(w, lp, k, now);
    }
}

static int add_pool_replicas(site_work *w, size_t p)
{
    const dcs_site_pool *pool = &w->c->pools[p];
    w->pools[p].first = w->nrep;
    w->pools[p].n = pool->replicas;
    w->pools[p].wl_first = w->wl[pool->workload].nreps;
    /* The fluid mode uses a replica only for its power state (awake,
     * asleep, idle power): no queue or batch slots. */
    dcs_serving_params sp = pool->serving;
    if (w->fluid)
        sp.queue_capacity = sp.max_batch = 1;
    for (int j = 0; j < pool->replicas; j++) {
        sw_rep *r = &w->reps[w->nrep];
        if (dcs_replica_alloc(&sp, &r->r) != DCS_OK)
            return -1;
        r->pool = (int)p;
        r->wl = pool->workload;
        r->cluster = pool->cluster;
        r->gpus = pool->serving.gpus;
        w->cl[pool->cluster].rep_gpus += r->gpus;
        sw_wl *wl = &w->wl[pool->workload];
        wl->reps[wl->nreps] = r->r;
        wl->rep_index[wl->nreps++] = w->nrep;
        if (pool->serving.max_batch > w->done_cap)
            w->done_cap = pool->serving.max_batch;
        if (sw_fallback_init(w, w->nrep) != 0)
            return -1;
        w->nrep++;
    }
    return 0;
}

site_work *site_work_alloc(dcs_lp *lp, const dcs_site_config *c)
{
    const dcs_work_config *W = c->work;
    if (W->nworkloads < 0 || W->nworkloads > DCS_WORK_MAX_WORKLOADS || W->nregions < 0
        || W->nregions > DCS_WORK_MAX_REGIONS || c->site_index < 0
        || c->site_index >= DCS_WORK_MAX_SITES || c->nclusters > DCS_POLICY_MAX_CLUSTERS)
        return NULL;
    site_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->c = c;
    w->W = W;
    w->fluid = W->fidelity == DCS_WORK_FLUID;
    int total = 0;
    for (size_t p = 0; p < c->npools; p++) {
        if (c->pools[p].replicas < 0 || c->pools[p].cluster >= c->nclusters
            || c->pools[p].workload < 0 || c->pools[p].workload >= W->nworkloads)
            goto fail;
        total += c->pools[p].replicas;
    }
    size_t nw = W->nworkloads > 0 ? (size_t)W->nworkloads : 1;
    w->reps = calloc(total ? (size_t)total : 1, sizeof *w->reps);
    w->pools = calloc(c->npools ? c->npools : 1, sizeof *w->pools);
    w->cl = calloc(c->nclusters ? c->nclusters : 1, sizeof *w->cl);
    w->wl = calloc(nw, sizeof *w->wl);
    w->stats = calloc(nw, sizeof *w->stats);
    if (!w->reps || !w->pools || !w->cl || !w->wl || !w->stats)
        goto fail;
    for (int k = 0; k < W->nworkloads; k++) {
        w->wl[k].reps = calloc(total ? (size_t)total : 1, sizeof *w->wl[k].reps);
        w->wl[k].rep_index = calloc(total ? (size_t)total : 1, sizeof *w->wl[k].rep_index);
        if (!w->wl[k].reps || !w->wl[k].rep_index)
            goto fail;
        dcs_wl_stats_init(&w->stats[k]);
        w->wl[k].disp = (dcs_dispatch){.kind = W->wl[k].dispatch};
        dcs_token_sampler_init(&w->wl[k].prompt, &W->wl[k].prompt);
        dcs_token_sampler_init(&w->wl[k].output, &W->wl[k].output);
    }
    for (size_t i = 0; i < c->nclusters; i++) {
        const dcs_site_cluster *k = &c->clusters[i];
        w->cl[i].gpus = (int)(k->nodes * k->node.gpus);
        w->cl[i].psu = psu_of(k);
        w->cl[i].cap = w->cl[i].limit_cap = w->cl[i].clock = 1.0;
    }
    w->done_cap = 1;
    w->throttle = 1.0;
    for (size_t p = 0; p < c->npools; p++)
        if (add_pool_replicas(w, p) != 0)
            goto fail;
    for (size_t i = 0; i < c->nclusters; i++)
        if (w->cl[i].rep_gpus > w->cl[i].gpus)
            goto fail;            /* more replica GPUs than the cluster has */
    w->done = calloc((size_t)w->done_cap, sizeof *w->done);
    w->period_dist = calloc(c->npools ? c->npools : 1, sizeof *w->period_dist);
    w->period_n = calloc(c->npools ? c->npools : 1, sizeof *w->period_n);
    if (!w->done || !w->period_dist || !w->period_n)
        goto fail;
    w->fluid_p99_s = NAN;
    dcs_lathist_init(&w->period_e2e);
    for (int k = 0; k < W->nworkloads; k++) {
        const dcs_work_wl *s = &W->wl[k];
        if (s->kind != 0)
            continue;
        if (s->from_trace && s->trace)
            dcs_trace_replay_init(&w->wl[k].replay, s->trace, s->time_scale, s->loop);
        else if (!s->from_trace && s->burst.factor > 1.0) {
            if (init_bursts(w, k) != 0)
                goto fail;
            if (w->fluid)
                continue;         /* the control steps walk the chain */
            dcs_rate_profile at_burst = s->rate;
            at_burst.mean_rate *= w->wl[k].burst_mult;
            dcs_burst_params none = {.factor = 1.0};
            dcs_arrivals_init(&w->wl[k].arr, &at_burst, &none, c->duration,
                              dcs_lp_rng(lp, SW_RNG_ARRIVALS));
            arm_burst(w, lp, k, 0);
        } else if (!s->from_trace) {
            dcs_arrivals_init(&w->wl[k].arr, &s->rate, &s->burst, c->duration,
                              dcs_lp_rng(lp, SW_RNG_ARRIVALS));
        }
    }
    /* Replica power from t = 0: idle until the first request (fluid mode:
     * per pool). */
    if (w->fluid) {
        for (size_t p = 0; p < c->npools; p++)
            if (w->pools[p].n > 0)
                sw_set_pool_power(w, p, 0, w->pools[p].n
                                  * dcs_replica_idle_power_w(w->reps[w->pools[p].first].r));
    } else {
        for (int i = 0; i < w->nrep; i++)
            sw_set_rep_power(w, i, 0, dcs_replica_idle_power_w(w->reps[i].r));
    }
    w->kept = w->nrep;
    for (int i = 0; i < w->nrep; i++)
        w->reps[i].kept = true;
    for (int k = 0; k < W->nworkloads; k++)
        w->wl[k].nkept = w->wl[k].nreps;
    for (size_t p = 0; p < c->npools; p++)
        w->pools[p].nkept = w->pools[p].n;
    if (sw_jobs_init(w, lp) != 0)
        goto fail;
    const dcs_policy_action *a = c->initial ? c->initial : c->bus ? &c->bus->initial : NULL;
    if (!a)
        goto fail;
    for (size_t i = 0; i < c->nclusters; i++)
        sw_acc_add(&w->cl[i].it, 0, 0);
    sw_apply_action(w, lp, a, 0);
    return w;
fail:
    site_work_free(w);
    return NULL;
}

void site_work_free(site_work *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->nrep; i++) {
        dcs_replica_free(w->reps[i].r);
        dcs_replica_free(w->reps[i].alt);
    }
    if (w->wl)
        for (int k = 0; k < w->W->nworkloads; k++) {
            free(w->wl[k].reps);
            free(w->wl[k].rep_index);
            if (w->wl[k].burst_rng)
                gsl_rng_free(w->wl[k].burst_rng);
        }
    if (w->pools)
        for (size_t p = 0; p < w->c->npools; p++)
            for (int m = 0; m < 2; m++) {
                sw_dist *sd = m ? w->pools[p].fb_dist : w->pools[p].dist;
                for (int i = 0; sd && i < DCS_FLUID_EVAL_MEMO; i++)
                    dcs_fluid_dist_free(&sd[i].d);
                free(sd);
            }
    free(w->period_dist);
    free(w->period_n);
    dcs_jobsched_free(w->js);
    free(w->sched_index);
    free(w->cfg_of);
    free(w->job_out);
    free(w->scratch);
    free(w->paused);
    free(w->job_acc);
    free(w->job_energy_j);
    sw_degrade_free(w);
    free(w->reps);
    free(w->pools);
    free(w->cl);
    free(w->wl);
    free(w->stats);
    free(w->done);
    free(w);
}

void site_work_take(site_work *w, dcs_time t, double *it_j, double *busy_gpu_s)
{
    double e = 0, b = 0;
    for (size_t i = 0; i < w->c->nclusters; i++) {
        sw_acc_add(&w->cl[i].it, t, 0);
        sw_acc_add(&w->cl[i].busy, t, 0);
        e += w->cl[i].it.sum;
        b += w->cl[i].busy.sum;
    }
    *it_j = e - w->taken_j;
    *busy_gpu_s = b - w->taken_busy;
    w->taken_j = e;
    w->taken_busy = b;
}

void site_work_view_now(const site_work *w, site_work_view *out)
{
    double q = 0, cap = 0;
    /* Fluid replicas hold no requests (the fluid model has no queue). */
    for (int i = 0; i < w->nrep && !w->fluid; i++) {
        q += dcs_replica_queued(w->reps[i].r);
        if (w->reps[i].alt)       /* switching model: new requests wait there */
            q += dcs_replica_queued(w->reps[i].alt);
    }
    for (size_t i = 0; i < w->c->nclusters; i++)
        cap += w->cl[i].cap;
    out->queue_len = q;
    out->requests_per_s = w->last_rps;
    out->power_cap = w->c->nclusters ? cap / (double)w->c->nclusters : 1.0;
    out->gpu_util = w->last_util;
}

void site_work_finish(site_work *w, dcs_time t)
{
    sw_degrade_finish(w, t);
    if (w->stepped && t > w->last_step)
        sw_charge_overheads(w, dcs_time_to_s(t - w->last_step));
    sw_fallback_finish(w, t);
    for (int i = 0; i < w->nrep; i++)
        sw_acc_add(&w->reps[i].energy, t, 0);
    for (size_t p = 0; p < w->c->npools; p++)
        sw_acc_add(&w->pools[p].energy, t, 0);
    for (int k = 0; k < w->W->nworkloads; k++)
        sw_acc_add(&w->wl[k].job_energy, t, 0);
    for (int k = 0; k < w->W->nworkloads; k++)
        w->stats[k].energy_j = w->wl[k].job_energy.sum + w->wl[k].overhead_j;
    for (int i = 0; i < w->nrep; i++)
        w->stats[w->reps[i].wl].energy_j += w->reps[i].energy.sum;
    for (size_t p = 0; p < w->c->npools; p++)
        w->stats[w->c->pools[p].workload].energy_j += w->pools[p].energy.sum;
    for (size_t j = 0; j < w->c->njobs; j++) {
        int si = w->sched_index ? w->sched_index[j] : -1;
        const dcs_job_status *st = si >= 0 ? dcs_jobsched_get(w->js, (size_t)si) : NULL;
        if (st)
            w->job_out[j] = *st;
        else
            w->job_out[j] = (dcs_job_status){.job = w->c->jobs[j].job, .state = DCS_JOB_QUEUED,
                                             .first_start = DCS_TIME_MAX, .end = DCS_TIME_MAX};
        if (w->job_acc) {
            sw_acc_add(&w->job_acc[j], t, 0);
            w->job_energy_j[j] = w->job_acc[j].sum;
        }
    }
}

void site_work_results(const site_work *w, dcs_site_work_results *out)
{
    out->nworkloads = w->W->nworkloads;
    out->stats = w->stats;
    out->njobs = w->c->njobs;
    out->jobs = w->job_out;
    out->job_energy_j = w->job_energy_j;
    out->gpu_busy_s = w->taken_busy;
}

/* ---- faults ---------------------------------------------------------------- */

void sw_fault_drop(site_work *w, int k, uint64_t n)
{
    w->stats[k].dropped += n;
    w->period_dropped += n;
    w->fault_dropped += n;
    w->period_fault_dropped += n;
}

void site_work_fault(site_work *w, dcs_lp *lp, const dcs_fault_now *f, dcs_time now)
{
    bool was_dark = w->dark;
    w->dark = f->dark;
    for (int r = 0; r < DCS_WORK_MAX_REGIONS && r < DCS_FAULT_MAX_REGIONS; r++)
        w->cut[r] = f->cut[r];
    for (int k = 0; k < w->W->nworkloads; k++) {
        int n = w->wl[k].nreps;
        int d = (int)ceil(f->gpus_out * n - 1e-9);
        w->down[k] = d < 0 ? 0 : (d > n ? n : d);
    }
    apply_kept(w, lp, w->kept, now);     /* replicas out of service sleep */
    if (was_dark != w->dark)
        sw_jobs_dark(w, lp, w->dark, now);
    w->fault_degrades = f->gpus_out > 0 || f->on_ups || f->on_generator;
    sw_degrade_update(w, lp, now);
}

void site_work_fault_totals(const site_work *w, double *dropped, double *impact_s)
{
    *dropped = (double)w->fault_dropped;
    *impact_s = w->fault_impact_s;
}

void sw_rep_wake(site_work *w, dcs_lp *lp, int i, dcs_time now) { wake(w, lp, i, now); }
