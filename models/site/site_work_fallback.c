/*
 * site_work_fallback.c - graceful degradation by switching to a smaller
 * model: while its site is degraded (site_work_degrade.c, policy.degrade
 * with fallback: true), every replica of a workload that names a
 * `fallback_model` serves that model instead, on the same GPUs.
 *
 * What a switch costs (detailed fidelity).  A running batch's KV cache
 * belongs to the model that built it and cannot move to another, so a
 * replica switches in three steps:
 *   1. drain: its waiting requests move, in order, to the other model's
 *      queue (dcs_replica_move_queue), where new requests queue too; the
 *      replica admits nothing more and finishes its running batch;
 *   2. reload: with the batch done it unloads and the other model's
 *      weights load, for the serving wake time wake_s (the scale-from-zero
 *      delay, serving.h: reloading weights), dark, its GPUs at idle power;
 *   3. serve: it serves its queue with the other model, whose iteration
 *      costs (dcs_serving_iter_cost with the fallback's parameters) set its
 *      latency, power and energy.
 * The way back is the same.  Asked back while still draining, it has
 * unloaded nothing and simply admits again (the queue moves back).  A
 * replica that was asleep switches at once and loads when work comes.
 * So the switch trades up to wake_s of darkness, plus the drain, for
 * iterations that read fewer weight bytes and do fewer FLOPs per token:
 *   compute_s = 2 * active_params * T / (peak * compute_eff * k)
 *   memory_s  = (weight_bytes + kv_tokens * kv_bytes) / (bw * mem_eff * k)
 * over the same k GPUs, with more room left for the KV cache.
 *
 * Fluid fidelity.  A pool evaluates each period with the fluid model of
 * the model in force at the period's start (a second dcs_fluid_model per
 * pool, prepared at its first use); a switch asked mid-period takes
 * effect at the next period, and the reload gap is left out (the fluid
 * mode wakes replicas without delay either).  Requests it serves while
 * switched count as fallback requests.
 *
 * Simplification: a replica of k GPUs runs the fallback over all k
 * (tensor parallel); splitting them into k / k' replicas of the smaller
 * model would serve more, so this understates the fallback's capacity.
 * The fallback keeps the workload's engine settings (batch, chunk, queue,
 * wake time) and its token laws.  Requests that do not fit the other
 * model's queue or KV cache when moved are dropped.
 */
#include "site_work.h"

#include <stdlib.h>

int sw_fallback_init(site_work *w, int i)
{
    sw_rep *r = &w->reps[i];
    const dcs_site_pool *pool = &w->c->pools[r->pool];
    if (!pool->has_fallback || w->fluid)
        return 0;                 /* fluid replicas hold power state only */
    if (dcs_replica_alloc(&pool->fallback, &r->alt) != DCS_OK)
        return -1;
    dcs_replica_unload(r->alt);   /* its weights are not loaded */
    return 0;
}

/* Index of replica i among its workload's replicas (wl->reps). */
static int wl_slot(const site_work *w, int i)
{
    const sw_pool *sp = &w->pools[w->reps[i].pool];
    return sp->wl_first + (i - sp->first);
}

/* Requests of workload k the other model refused while moving. */
static void drop_moved(site_work *w, int k, int n)
{
    if (n <= 0)
        return;
    w->stats[k].dropped += (uint64_t)n;
    w->period_dropped += (uint64_t)n;
}

/* New requests of replica i go to object q from now. */
static void route_to(site_work *w, int i, dcs_replica *q)
{
    w->wl[w->reps[i].wl].reps[wl_slot(w, i)] = q;
}

void sw_fallback_drained(site_work *w, dcs_lp *lp, int i, dcs_time now)
{
    sw_rep *r = &w->reps[i];
    dcs_replica *old = r->r;
    /* Its batch is done and its queue moved: it unloads.  A pending wake
     * event of the old model finds the new one not ready and does nothing
     * (try_start fails); the wake below schedules the new one's. */
    dcs_replica_unload(old);
    r->r = r->alt;
    r->alt = old;
    r->fb = !r->fb;
    r->draining = false;
    r->waking = false;
    dcs_replica_set_clock(r->r, w->pools[r->pool].clock);
    sw_set_rep_power(w, i, now, dcs_replica_idle_power_w(r->r));
    if (r->kept || dcs_replica_queued(r->r) > 0)
        sw_rep_wake(w, lp, i, now);
}

/* Start switching replica i towards the fallback (on) or its own model. */
static void switch_rep(site_work *w, dcs_lp *lp, int i, bool on, dcs_time now)
{
    sw_rep *r = &w->reps[i];
    if (!r->alt)
        return;
    bool target_now = r->draining ? !r->fb : r->fb;
    if (target_now == on)
        return;
    if (r->draining) {
        /* Asked back before its batch ended: nothing was unloaded. */
        drop_moved(w, r->wl, dcs_replica_move_queue(r->alt, r->r));
        route_to(w, i, r->r);
        r->draining = false;
        return;
    }
    drop_moved(w, r->wl, dcs_replica_move_queue(r->r, r->alt));
    route_to(w, i, r->alt);
    r->draining = true;
    if (!r->iterating && dcs_replica_running(r->r) == 0)
        sw_fallback_drained(w, lp, i, now);
    /* Otherwise the end of its last iteration finds nothing to start. */
}

void sw_fallback_set(site_work *w, dcs_lp *lp, bool on, dcs_time now)
{
    if (on == w->fb_on)
        return;
    bool any = false;
    for (size_t p = 0; p < w->c->npools; p++) {
        if (!w->c->pools[p].has_fallback)
            continue;
        any = true;
        w->pools[p].fb_on = on;
        for (int j = 0; j < w->pools[p].n && !w->fluid; j++)
            switch_rep(w, lp, w->pools[p].first + j, on, now);
    }
    if (!any)
        return;                   /* no workload here has a fallback */
    if (on) {
        w->fb_switches++;
        w->fb_since = now;
    } else {
        w->fb_s += dcs_time_to_s(now - w->fb_since);
    }
    w->fb_on = on;
}

void sw_fallback_fluid_swap(site_work *w, size_t p)
{
    sw_pool *sp = &w->pools[p];
    dcs_fluid_model fm = sp->fm;
    sp->fm = sp->fb_fm;
    sp->fb_fm = fm;
    double c = sp->fm_clock;
    sp->fm_clock = sp->fb_fm_clock;
    sp->fb_fm_clock = c;
    sw_dist *d = sp->dist;
    sp->dist = sp->fb_dist;
    sp->fb_dist = d;
    sp->fm_fb = !sp->fm_fb;
}

void sw_fallback_finish(site_work *w, dcs_time t)
{
    if (w->fb_on && t > w->fb_since) {
        w->fb_s += dcs_time_to_s(t - w->fb_since);
        w->fb_since = t;
    }
}
