/*
 * site_work_degrade.c - the degraded state of a site's workloads (issue 10,
 * graceful degradation; docs/degradation.md).
 *
 * A site is degraded while one of the causes the scenario's
 * `policy.degrade.when` names holds there (site_work.h, sw_degrade_update):
 * a fault that takes capacity or cooling, the cooling loop throttling the
 * GPUs, or too many SLO violations in the last control period.  While
 * degraded, arrivals of low-priority workloads are served, shed or held
 * (site_work.c's arrival path), and workloads with a fallback model switch
 * to it (the fallback files).  The state is recomputed when the faults
 * change and at every control step, so it changes only at site LP ticks:
 * the site LP's interval accounting (degraded_h) is exact.
 *
 * Left out: a site is judged on its own signals only (the controller does
 * not see the state; failover and placement act on the telemetry as
 * before); overload is judged per control period, so it trips one period
 * after the violations and ends one period after they stop.
 */
#include "site_work.h"

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

void sw_degrade_update(site_work *w, dcs_lp *lp, dcs_time now)
{
    unsigned c = causes_now(w) & w->W->degrade.when;
    bool d = c != 0;
    if (d == w->degraded)
        return;
    w->degraded = d;
    if (d) {
        w->degraded_since = now;
        char detail[80];
        snprintf(detail, sizeof detail, "degraded by%s%s%s",
                 c & DCS_WORK_DEGRADE_FAULT ? " fault" : "",
                 c & DCS_WORK_DEGRADE_THROTTLE ? " throttle" : "",
                 c & DCS_WORK_DEGRADE_OVERLOAD ? " overload" : "");
        log_row(w, now, "degraded", 0.0, detail);
    } else {
        double s = dcs_time_to_s(now - w->degraded_since);
        char detail[80];
        snprintf(detail, sizeof detail, "recovered after %.0f s", s);
        log_row(w, now, "degraded_end", s, detail);
    }
    /* What acts on the change: the held low-priority requests, then the
     * fallback models (docs/degradation.md lists them). */
    sw_fallback_set(w, lp, d && w->W->degrade.fallback, now);
}

void sw_degrade_free(site_work *w)
{
    free(w->dlog);
    w->dlog = NULL;
    w->ndlog = w->cap_dlog = 0;
}

void site_work_degrade_log(const site_work *w, const dcs_event_log_row **rows, size_t *n)
{
    *rows = w->dlog;
    *n = w->ndlog;
}
