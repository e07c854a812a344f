/*
 * site_fault.c - lists of fault windows and the random ones
 * (fault.h).
 *
 * Random faults are an alternating renewal process started "up" at t = 0:
 *   up_i  ~ Exp(mean MTBF)            (constant failure rate)
 *   down_i ~ Exp(mean MTTR), or = MTTR when the repair time is fixed
 * so over a horizon T the expected number of failures is about
 * T / (MTBF + MTTR) and the expected unavailability MTTR / (MTBF + MTTR)
 * (renewal-reward theorem).  Draws use gsl_ran_exponential on the stream
 * the caller passes (model_build.c seeds it by run seed, fault and site).
 * Left out: wear-out (Weibull) and correlated failures.
 */
#include "dcsim/fault.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dcsim/xalloc.h"

void dcs_fault_list_push(dcs_fault_list *l, const dcs_fault_window *w)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->w = dcs_xrealloc(l->w, l->cap * sizeof *l->w);
    }
    l->w[l->n++] = *w;
}

static int cmp_window(const void *pa, const void *pb)
{
    const dcs_fault_window *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->source != b->source)
        return a->source < b->source ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return 0;
}

void dcs_fault_list_sort(dcs_fault_list *l)
{
    if (l->n > 1)
        qsort(l->w, l->n, sizeof *l->w, cmp_window);
}

void dcs_fault_list_free(dcs_fault_list *l)
{
    free(l->w);
    memset(l, 0, sizeof *l);
}

/* A duration in ns from seconds, saturated, at least 1 ns. */
static dcs_time ns_of(double s)
{
    dcs_time t;
    if (!dcs_time_from_s(s, &t))
        return DCS_TIME_MAX;
    return t > 0 ? t : 1;
}

size_t dcs_fault_renewal(gsl_rng *rng, const dcs_fault_window *proto, double mtbf_s,
                         double mttr_s, dcs_repair_dist repair, dcs_time horizon,
                         dcs_fault_list *out)
{
    if (!(mtbf_s > 0.0) || !(mttr_s > 0.0))
        return 0;
    size_t n = 0;
    dcs_time t = 0;
    for (;;) {
        t = dcs_time_add_sat(t, ns_of(gsl_ran_exponential(rng, mtbf_s)));
        if (t >= horizon)
            break;
        double down = repair == DCS_REPAIR_FIXED ? mttr_s : gsl_ran_exponential(rng, mttr_s);
        dcs_fault_window w = *proto;
        w.at = t;
        w.end = dcs_time_add_sat(t, ns_of(down));
        dcs_fault_list_push(out, &w);
        n++;
        t = w.end;
    }
    return n;
}

/* ---- the tracker ---------------------------------------------------------- */

#include "dcsim/scenario.h"

static bool tracked(const dcs_fault_window *w)
{
    return w->kind != DCS_FAULT_CHILLER_TRIP && w->end > w->at;
}

int dcs_fault_tracker_init(dcs_fault_tracker *tr, const dcs_fault_window *w, size_t n,
                           const dcs_backup_params *backup)
{
    memset(tr, 0, sizeof *tr);
    tr->w = w;
    tr->n = n;
    tr->backup = *backup;
    size_t m = n ? n : 1;
    tr->active = malloc(m * sizeof *tr->active);
    tr->gen_at = malloc(m * sizeof *tr->gen_at);
    tr->dark_at = malloc(m * sizeof *tr->dark_at);
    if (!tr->active || !tr->gen_at || !tr->dark_at) {
        dcs_fault_tracker_free(tr);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        tr->gen_at[i] = tr->dark_at[i] = DCS_TIME_MAX;
    tr->now = -1;
    return 0;
}

void dcs_fault_tracker_free(dcs_fault_tracker *tr)
{
    free(tr->active);
    free(tr->gen_at);
    free(tr->dark_at);
    tr->active = NULL;
    tr->gen_at = tr->dark_at = NULL;
}

/* at + s, in ns, saturated (s may be +inf). */
static dcs_time after(dcs_time at, double s)
{
    dcs_time d;
    if (!(s < 9e9) || !dcs_time_from_s(s, &d))
        return DCS_TIME_MAX;
    return dcs_time_add_sat(at, d);
}

/* A utility loss starting now: when the generator takes over and when the
 * site goes dark (ups.c's plan at load load_w). */
static void plan_loss(dcs_fault_tracker *tr, size_t i, double load_w)
{
    const dcs_fault_window *w = &tr->w[i];
    dcs_backup_plan p;
    dcs_backup_plan_for(&tr->backup, load_w, w->generator_fails, &p);
    tr->gen_at[i] = p.generator ? after(w->at, p.ups_s) : DCS_TIME_MAX;
    tr->dark_at[i] = p.generator ? DCS_TIME_MAX : after(w->at, p.dark_after_s);
}

static void describe(const dcs_fault_tracker *tr, dcs_time t, dcs_fault_now *out)
{
    memset(out, 0, sizeof *out);
    for (size_t a = 0; a < tr->nactive; a++) {
        size_t i = tr->active[a];
        const dcs_fault_window *w = &tr->w[i];
        out->active++;
        switch (w->kind) {
        case DCS_FAULT_UTILITY_LOSS:
            if (t >= tr->dark_at[i]) {
                out->dark = out->backup_exhausted = true;
                out->dark_reported |= w->failover;
            } else if (t >= tr->gen_at[i]) {
                out->on_generator = true;
            } else {
                out->on_ups = true;
            }
            break;
        case DCS_FAULT_SITE_OUTAGE:
        case DCS_FAULT_REGION_OUTAGE:
            out->dark = true;
            out->dark_reported |= w->failover;
            break;
        case DCS_FAULT_NODE_FAILURE:
        case DCS_FAULT_CDU_PUMP:
            out->gpus_out += w->fraction;
            break;
        case DCS_FAULT_NETWORK_PARTITION:
            if (w->region >= 0 && w->region < DCS_FAULT_MAX_REGIONS) {
                out->cut[w->region] = true;
                out->cut_reported[w->region] |= w->failover;
            }
            break;
        default:
            break;
        }
    }
    if (out->gpus_out > 1.0)
        out->gpus_out = 1.0;
    /* A dark site is dark on every account: no backup runs it. */
    if (out->dark)
        out->on_ups = out->on_generator = false;
    else if (out->on_ups)
        out->on_generator = false;   /* two losses at once: the later one is on batteries */
}

bool dcs_fault_tracker_advance(dcs_fault_tracker *tr, dcs_time t, double load_w,
                               dcs_fault_now *out)
{
    bool changed = false;
    /* Ends first, so a window ending when another starts hands over. */
    for (size_t a = 0; a < tr->nactive;) {
        size_t i = tr->active[a];
        if (tr->w[i].end <= t) {
            tr->active[a] = tr->active[--tr->nactive];
            changed = true;
            continue;
        }
        bool phase = (tr->gen_at[i] > tr->now && tr->gen_at[i] <= t) ||
                     (tr->dark_at[i] > tr->now && tr->dark_at[i] <= t);
        changed |= phase;      /* the generator took over, or the UPS ran out */
        a++;
    }
    while (tr->next < tr->n && tr->w[tr->next].at <= t) {
        size_t i = tr->next++;
        if (!tracked(&tr->w[i]) || tr->w[i].end <= t)
            continue;
        if (tr->w[i].kind == DCS_FAULT_UTILITY_LOSS)
            plan_loss(tr, i, load_w);
        tr->active[tr->nactive++] = i;
        changed = true;
    }
    /* Keep the active set in window order so the description does not
     * depend on removal order. */
    for (size_t a = 1; a < tr->nactive; a++) {
        size_t v = tr->active[a], b = a;
        while (b > 0 && tr->active[b - 1] > v) {
            tr->active[b] = tr->active[b - 1];
            b--;
        }
        tr->active[b] = v;
    }
    tr->now = t;
    describe(tr, t, out);
    return changed;
}

void dcs_fault_tracker_replan(dcs_fault_tracker *tr, dcs_time t, double load_w)
{
    for (size_t a = 0; a < tr->nactive; a++) {
        size_t i = tr->active[a];
        if (tr->w[i].kind == DCS_FAULT_UTILITY_LOSS && tr->w[i].at == t)
            plan_loss(tr, i, load_w);
    }
}

dcs_time dcs_fault_tracker_next(const dcs_fault_tracker *tr)
{
    dcs_time n = DCS_TIME_MAX;
    for (size_t a = 0; a < tr->nactive; a++) {
        size_t i = tr->active[a];
        if (tr->w[i].end < n)
            n = tr->w[i].end;
        if (tr->gen_at[i] > tr->now && tr->gen_at[i] < n)
            n = tr->gen_at[i];
        if (tr->dark_at[i] > tr->now && tr->dark_at[i] < n)
            n = tr->dark_at[i];
    }
    for (size_t i = tr->next; i < tr->n; i++)
        if (tracked(&tr->w[i])) {
            if (tr->w[i].at < n)
                n = tr->w[i].at;
            break;
        }
    return n;
}
