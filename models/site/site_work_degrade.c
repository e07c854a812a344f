/*
 * site_work_degrade.c - the degraded state of a site's workloads (issue 10,
 * graceful degradation; docs/degradation.md).
 *
 * A site is degraded while one of the causes the scenario's
 * `policy.degrade.when` names holds there (site_work.h, sw_degrade_update):
 * a fault that takes capacity or cooling, the cooling loop throttling the
 * GPUs, or too many SLO violations in the last control period.  While
 * degraded, arrivals of low-priority workloads are served, shed or held
 * (site_work.c's arrival path calls sw_degrade_intercept; the fluid mode
 * sw_degrade_fluid), and workloads with a fallback model switch to it (the
 * fallback files).  Held requests go out on recovery, paced so the
 * replicas' queues do not overflow: detailed, half the free room of their
 * queues per control step; fluid, 90 % of the pools' spare capacity per
 * period.  The state is recomputed when the faults
 * change and at every control step, so it changes only at site LP ticks:
 * the site LP's interval accounting (degraded_h) is exact.
 *
 * Left out: a site is judged on its own signals only (the controller does
 * not see the state; failover and placement act on the telemetry as
 * before); overload is judged per control period, so it trips one period
 * after the violations and ends one period after they stop.
 */
#include "site_work.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/xalloc.h"

/* The causes that hold now, as DCS_WORK_DEGRADE_* bits (all of them, the
 * scenario's `when` selects). */
static unsigned causes_now(const site_work *w)
{
    unsigned c = 0;
    if (!w->dark && (w->fault_degrades || w->chiller_out))
        c |= DCS_WORK_DEGRADE_FAULT;
    if (!w->dark && w->throttle < 1.0)
        c |= DCS_WORK_DEGRADE_THROTTLE;
    if (!w->dark && w->overload_share > w->W->degrade.overload_violations)
        c |= DCS_WORK_DEGRADE_OVERLOAD;
    return c;
}

static void release_held(site_work *w, dcs_lp *lp, dcs_time now);

static void log_row(site_work *w, dcs_time now, const char *kind, double value,
                    const char *detail)
{
    if (w->ndlog >= DCS_EVENT_LOG_MAX)
        return;                   /* as the controller's log: later ones are not kept */
    if (w->ndlog == w->cap_dlog) {
        w->cap_dlog = w->cap_dlog ? 2 * w->cap_dlog : 16;
        w->dlog = dcs_xrealloc(w->dlog, w->cap_dlog * sizeof *w->dlog);
    }
    dcs_event_log_row *r = &w->dlog[w->ndlog++];
    *r = (dcs_event_log_row){.time = now, .site = w->c->site_index, .workload = -1,
                             .value = value};
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    snprintf(r->detail, sizeof r->detail, "%s", detail);
}

/* The state changed to degraded at now (causes c): its /events row. */
static void log_change(site_work *w, unsigned c, dcs_time now)
{
    char detail[80];
    if (w->degraded) {
        w->degraded_since = now;
        snprintf(detail, sizeof detail, "degraded by%s%s%s",
                 c & DCS_WORK_DEGRADE_FAULT ? " fault" : "",
                 c & DCS_WORK_DEGRADE_THROTTLE ? " throttle" : "",
                 c & DCS_WORK_DEGRADE_OVERLOAD ? " overload" : "");
        log_row(w, now, "degraded", 0.0, detail);
        return;
    }
    double s = dcs_time_to_s(now - w->degraded_since);
    snprintf(detail, sizeof detail, "recovered after %.0f s", s);
    log_row(w, now, "degraded_end", s, detail);
}

void sw_degrade_update(site_work *w, dcs_lp *lp, dcs_time now)
{
    unsigned c = causes_now(w) & w->W->degrade.when;
    bool changed = (c != 0) != w->degraded;
    w->degraded = c != 0;
    if (changed)
        log_change(w, c, now);
    /* What acts on the state: held low-priority requests go out on
     * recovery and at each control step after it (paced, release_held);
     * the fallback models follow the state (docs/degradation.md). */
    if (!w->degraded && w->nheld > 0)
        release_held(w, lp, now);
    sw_fallback_set(w, lp, w->degraded && w->W->degrade.fallback, now);
}

void sw_degrade_free(site_work *w)
{
    free(w->dlog);
    free(w->held);
    free(w->backlog);
    w->dlog = NULL;
    w->held = NULL;
    w->backlog = NULL;
    w->ndlog = w->cap_dlog = w->nheld = w->cap_held = w->nbacklog = w->cap_backlog = 0;
}

/* ---- shed and queue ---------------------------------------------------- */

/* n requests of workload k not served because the site is degraded. */
static void shed(site_work *w, int k, uint64_t n)
{
    w->stats[k].shed += n;
    w->stats[k].dropped += n;
    w->period_dropped += n;
}

/* Room left in the site's hold (requests). */
static double hold_room(const site_work *w)
{
    double held = w->fluid ? w->backlog_n : (double)w->nheld;
    double room = (double)w->W->degrade.hold_limit - held;
    return room > 0 ? room : 0;
}

bool sw_degrade_intercept(site_work *w, int k, int reg, int32_t prompt, int32_t output,
                          dcs_time now)
{
    int act = w->W->degrade.low_priority;
    if (act == DCS_WORK_LOW_SERVE)
        return false;
    if (act == DCS_WORK_LOW_SHED || hold_room(w) < 1) {
        shed(w, k, 1);
        return true;
    }
    if (w->nheld == w->cap_held) {
        w->cap_held = w->cap_held ? 2 * w->cap_held : 256;
        w->held = dcs_xrealloc(w->held, w->cap_held * sizeof *w->held);
    }
    w->held[w->nheld++] = (sw_held){.arrival = now, .prompt = prompt, .output = output,
                                    .wl = k, .region = reg};
    w->stats[k].held++;
    return true;
}

/* Requests workload k's replicas may take from the hold now: half the
 * free room of the queues of the replicas dispatch uses (kept and in
 * service), so that its new arrivals still find room; with queued = 0
 * (fluid) half their capacity. */
static double release_room(const site_work *w, int k, bool fluid)
{
    const sw_wl *wl = &w->wl[k];
    int n = wl->nkept > 0 ? wl->nkept : wl->nreps;
    if (n > wl->nreps - w->down[k])
        n = wl->nreps - w->down[k];
    double room = 0;
    for (int j = 0; j < n; j++) {
        const sw_rep *r = &w->reps[wl->rep_index[j]];
        int cap = w->c->pools[r->pool].serving.queue_capacity;
        int free_q = cap - (fluid ? 0 : dcs_replica_queued(r->r));
        room += free_q > 0 ? free_q / 2 : 0;
    }
    return room;
}

/* Detailed: dispatch held requests in arrival order (FIFO), each keeping
 * its arrival time, as many per workload as release_room allows; the rest
 * wait for the next control step. */
static void release_held(site_work *w, dcs_lp *lp, dcs_time now)
{
    double room[DCS_WORK_MAX_WORKLOADS];
    for (int k = 0; k < w->W->nworkloads; k++)
        room[k] = w->W->wl[k].low_priority ? release_room(w, k, false) : 0;
    size_t keep = 0;
    for (size_t i = 0; i < w->nheld; i++) {
        const sw_held *h = &w->held[i];
        if (room[h->wl] < 1) {
            w->held[keep++] = *h;
            continue;
        }
        room[h->wl] -= 1;
        w->stats[h->wl].hold_s += dcs_time_to_s(now - h->arrival);
        sw_dispatch_held(w, lp, h, now);
    }
    w->nheld = keep;
}

/* Share of workload k's requests here that reach the site (not from a
 * region cut off from it). */
static double live_share(const site_work *w, int k)
{
    const sw_wl *wl = &w->wl[k];
    if (!(wl->share > 0))
        return 0;
    double cut = 0;
    for (int r = 0; r < w->W->nregions; r++)
        cut += w->cut[r] ? wl->region_w[r] : 0.0;
    double live = 1.0 - cut / wl->share;
    return live > 0 ? live : 0;
}

/* Fluid: requests workload k's pools can take over [t, t + dt) besides
 * their offered rate: 90 % of their capacity (kept replicas, or one woken
 * when none is kept; at the clock each pool's model was last prepared
 * for) less the rate, as a backlog drains through a server at its spare
 * capacity (90 %: the fill the geolocation policy leaves, so queues stay
 * short).  Before a pool's model was prepared, release_room. */
static double fluid_room(const site_work *w, int k, double rate, dcs_time dt)
{
    double cap = 0;
    for (size_t p = 0; p < w->c->npools; p++) {
        const sw_pool *sp = &w->pools[p];
        if (w->c->pools[p].workload != k)
            continue;
        if (sp->fm_clock == 0.0)
            return release_room(w, k, true);
        cap += sp->fm.capacity_rate * (sp->nkept > 0 ? sp->nkept : (sp->n > 0 ? 1 : 0));
    }
    double spare = 0.9 * cap - rate;
    return spare > 0 ? spare * dcs_time_to_s(dt) : 0;
}

/* Fluid: release workload k's chunks at t, oldest first, at most
 * fluid_room (the rest wait for the next period).  Each chunk's requests
 * waited t - mid (arrivals spread over its period: mid is their mean);
 * those whose hold alone breaks the TTFT or e2e objective are counted
 * violations (the fluid histograms get them at the release period's
 * latency, without the hold: docs/degradation.md, Fluid fidelity).
 * Returns the requests released. */
static double release_backlog(site_work *w, int k, double rate, dcs_time t, dcs_time dt)
{
    double room = fluid_room(w, k, rate, dt);
    const dcs_slo *slo = &w->W->wl[k].slo;
    double limit = slo->ttft_s > 0 ? slo->ttft_s : 0;
    if (slo->e2e_s > 0 && (limit == 0 || slo->e2e_s < limit))
        limit = slo->e2e_s;
    double n = 0, bad = 0;
    size_t keep = 0;
    for (size_t i = 0; i < w->nbacklog; i++) {
        sw_backlog *b = &w->backlog[i];
        if (b->wl != k || room < 1) {
            w->backlog[keep++] = *b;
            continue;
        }
        /* The oldest first; a chunk larger than the room is split. */
        double take = b->n < room ? b->n : floor(room);
        room -= take;
        double hold = dcs_time_to_s(t - b->mid);
        w->stats[k].hold_s += take * hold;
        n += take;
        if (limit > 0 && hold > limit)
            bad += take;
        if (take < b->n) {
            w->backlog[keep] = *b;
            w->backlog[keep++].n -= take;
        }
    }
    w->nbacklog = keep;
    w->backlog_n -= n;
    if (w->backlog_n < 0.5)
        w->backlog_n = 0;
    w->stats[k].violations += (uint64_t)nearbyint(bad);
    w->period_bad += (uint64_t)nearbyint(bad);
    return n;
}

double sw_degrade_fluid(site_work *w, int k, double rate, dcs_time t, dcs_time dt)
{
    const dcs_work_wl *spec = &w->W->wl[k];
    int act = w->W->degrade.low_priority;
    if (!spec->low_priority || act == DCS_WORK_LOW_SERVE)
        return rate;
    double period_s = dcs_time_to_s(dt);
    if (!w->degraded) {
        /* Recovered: the backlog joins this period's load (paced). */
        double n = w->nbacklog ? release_backlog(w, k, rate, t, dt) : 0;
        return rate + n / period_s;
    }
    double live = rate * live_share(w, k);
    double n = nearbyint(live * period_s);   /* as the pools count requests */
    double held = act == DCS_WORK_LOW_QUEUE ? floor(n < hold_room(w) ? n : hold_room(w)) : 0;
    if (held > 0) {
        if (w->nbacklog == w->cap_backlog) {
            w->cap_backlog = w->cap_backlog ? 2 * w->cap_backlog : 64;
            w->backlog = dcs_xrealloc(w->backlog, w->cap_backlog * sizeof *w->backlog);
        }
        w->backlog[w->nbacklog++] = (sw_backlog){.wl = k, .n = held, .mid = t + dt / 2};
        w->backlog_n += held;
        w->stats[k].held += (uint64_t)held;
    }
    shed(w, k, (uint64_t)(n - held));
    return rate - live;
}

void sw_degrade_finish(site_work *w, dcs_time end)
{
    for (size_t i = 0; i < w->nheld; i++) {
        const sw_held *h = &w->held[i];
        w->stats[h->wl].dropped++;
        if (end > h->arrival)
            w->stats[h->wl].hold_s += dcs_time_to_s(end - h->arrival);
    }
    w->nheld = 0;
    for (size_t i = 0; i < w->nbacklog; i++) {
        const sw_backlog *b = &w->backlog[i];
        w->stats[b->wl].dropped += (uint64_t)b->n;
        if (end > b->mid)
            w->stats[b->wl].hold_s += b->n * dcs_time_to_s(end - b->mid);
    }
    w->nbacklog = 0;
    w->backlog_n = 0;
}

void site_work_degrade_log(const site_work *w, const dcs_event_log_row **rows, size_t *n)
{
    *rows = w->dlog;
    *n = w->ndlog;
}
