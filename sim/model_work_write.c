/*
 * model_work_write.c - workload, job and decision results into the trace.
 *
 * Every workload's statistics are the sum of the sites' shares, merged in
 * site order (counts exactly, sums as doubles), so they do not depend on
 * threads.  Written:
 *   /workloads/NAME/summary      dcs_wl_stats_metrics rows (wlstats.h), and
 *                                jobs_completed / jobs_deadline_missed for
 *                                training and batch workloads;
 *   /workloads/NAME/histograms/{ttft,tpot,e2e}
 *                                the log-spaced bins of lathist.h with an
 *                                underflow bin [0, 1 us) and an overflow bin
 *                                [1 h, inf);
 *   /jobs                        one row per job, run-wide id order;
 *   /events                      every fault window's start and end (a
 *                                _end kind) at each site, the backup
 *                                power's transitions (site LP), and the
 *                                controller's decision log, by time.
 * The whole run's summary gets the same workload rows over all inference
 * workloads together (their histograms merged) plus the job counts.
 */
#include "model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/xalloc.h"

/* The sum over sites of workload w's statistics, plus the requests the
 * controller dropped because no site could take them (rounded expected
 * counts, control.h). */
void dcs_model_workload_stats(const dcs_model *m, int w, dcs_wl_stats *out)
{
    dcs_wl_stats_init(out);
    for (size_t i = 0; i < m->nsites; i++) {
        dcs_site_work_results r;
        dcs_site_work_results_of(dcs_model_site_state(m, i), &r);
        if (w < r.nworkloads)
            dcs_wl_stats_merge(out, &r.stats[w]);
    }
    dcs_controller_results cr;
    dcs_controller_results_of(dcs_engine_lp_state(m->engine, m->work.ctrl_lp), &cr);
    if (w < DCS_WORK_MAX_WORKLOADS)
        out->dropped += (uint64_t)llround(cr.dropped_requests[w]);
}

typedef struct job_counts {
    uint64_t completed, missed, total;
} job_counts;

static job_counts count_jobs(const dcs_model *m, int w)
{
    job_counts c = {0, 0, 0};
    for (size_t i = 0; i < m->nsites; i++) {
        dcs_site_work_results r;
        dcs_site_work_results_of(dcs_model_site_state(m, i), &r);
        for (size_t k = 0; k < r.njobs && k < m->sites[i].cfg.njobs; k++) {
            if (w >= 0 && m->sites[i].cfg.jobs[k].workload != w)
                continue;
            c.total++;
            c.completed += r.jobs[k].state == DCS_JOB_DONE;
            c.missed += dcs_job_deadline_missed(&r.jobs[k]);
        }
    }
    return c;
}

static size_t wl_rows(const dcs_wl_stats *st, dcs_trace_metric *rows)
{
    dcs_metric mt[DCS_WL_METRICS];
    int n = dcs_wl_stats_metrics(st, mt);
    for (int k = 0; k < n; k++)
        rows[k] = (dcs_trace_metric){mt[k].name, mt[k].value, mt[k].unit};
    return (size_t)n;
}

static size_t job_rows(job_counts c, dcs_trace_metric *rows)
{
    rows[0] = (dcs_trace_metric){"jobs_completed", (double)c.completed, "1"};
    rows[1] = (dcs_trace_metric){"jobs_deadline_missed", (double)c.missed, "1"};
    rows[2] = (dcs_trace_metric){"jobs", (double)c.total, "1"};
    return 3;
}

size_t dcs_model_work_metrics(const dcs_model *m, dcs_trace_metric *rows)
{
    if (!m->work.on)
        return 0;
    dcs_wl_stats *all = dcs_xcalloc(1, sizeof *all);
    dcs_wl_stats *one = dcs_xcalloc(1, sizeof *one);
    dcs_wl_stats_init(all);
    bool inference = false;
    for (int w = 0; w < m->work.cfg.nworkloads; w++) {
        if (m->work.wl[w].kind != DCS_WORKLOAD_INFERENCE)
            continue;
        inference = true;
        dcs_model_workload_stats(m, w, one);
        dcs_wl_stats_merge(all, one);
    }
    size_t n = inference ? wl_rows(all, rows) : 0;
    n += job_rows(count_jobs(m, -1), rows + n);
    free(all);
    free(one);
    return n;
}

static dcs_status write_hist(dcs_trace *tr, const char *wl, const char *name,
                             const dcs_lathist *h)
{
    enum { N = DCS_LATHIST_NBINS + 2 };
    double *edges = dcs_xcalloc(N + 1, sizeof *edges);
    double *counts = dcs_xcalloc(N, sizeof *counts);
    edges[0] = 0.0;
    for (int i = 0; i <= DCS_LATHIST_NBINS; i++)
        edges[i + 1] = dcs_lathist_edge_s(i);
    edges[N] = INFINITY;
    counts[0] = (double)h->under;
    for (int i = 0; i < DCS_LATHIST_NBINS; i++)
        counts[i + 1] = (double)h->count[i];
    counts[N - 1] = (double)h->over;
    dcs_status st = dcs_trace_histogram(tr, wl, name, "s", N, edges, counts);
    free(edges);
    free(counts);
    return st;
}

static dcs_status write_workloads(const dcs_model *m, dcs_trace *tr)
{
    dcs_status st = DCS_OK;
    dcs_wl_stats *one = dcs_xcalloc(1, sizeof *one);
    for (int w = 0; w < m->work.cfg.nworkloads && st == DCS_OK; w++) {
        const dcs_work_wl *wl = &m->work.wl[w];
        char scope[512];
        snprintf(scope, sizeof scope, "workloads/%s", wl->name);
        dcs_trace_metric rows[DCS_MODEL_NMETRICS];
        size_t n;
        if (wl->kind == DCS_WORKLOAD_INFERENCE) {
            dcs_model_workload_stats(m, w, one);
            n = wl_rows(one, rows);
            st = dcs_trace_summary(tr, scope, rows, n);
            if (st == DCS_OK)
                st = write_hist(tr, wl->name, "ttft", &one->ttft);
            if (st == DCS_OK)
                st = write_hist(tr, wl->name, "tpot", &one->tpot);
            if (st == DCS_OK)
                st = write_hist(tr, wl->name, "e2e", &one->e2e);
        } else {
            n = job_rows(count_jobs(m, w), rows);
            st = dcs_trace_summary(tr, scope, rows, n);
        }
    }
    free(one);
    return st;
}

static const char *job_state(const dcs_job_status *j)
{
    if (j->state == DCS_JOB_DONE)
        return dcs_job_deadline_missed(j) ? "deadline_missed" : "completed";
    return j->state == DCS_JOB_RUNNING ? "running" : "queued";
}

static double secs_or_nan(dcs_time t) { return t == DCS_TIME_MAX ? (double)NAN : dcs_time_to_s(t); }

static dcs_status write_jobs(const dcs_model *m, dcs_trace *tr)
{
    /* Rows in run-wide id order: gather (site, index) per id first. */
    size_t n = m->work.njobs;
    size_t *site = dcs_xcalloc(n ? n : 1, sizeof *site);
    size_t *idx = dcs_xcalloc(n ? n : 1, sizeof *idx);
    for (size_t i = 0; i < m->nsites; i++)
        for (size_t k = 0; k < m->sites[i].cfg.njobs; k++) {
            uint64_t id = m->sites[i].cfg.jobs[k].job.id;
            if (id < n) {
                site[id] = i;
                idx[id] = k;
            }
        }
    dcs_status st = DCS_OK;
    for (size_t id = 0; id < n && st == DCS_OK; id++) {
        const dcs_model_site *ms = &m->sites[site[id]];
        dcs_site_work_results r;
        dcs_site_work_results_of(dcs_model_site_state(m, site[id]), &r);
        if (idx[id] >= r.njobs)
            continue;
        const dcs_job_status *js = &r.jobs[idx[id]];
        const dcs_site_job *sj = &ms->cfg.jobs[idx[id]];
        const dcs_work_wl *wl = &m->work.wl[sj->workload];
        char name[64];
        snprintf(name, sizeof name, "%s-%zu", wl->name, id);
        dcs_trace_job row = {
            .name = name, .workload = wl->name, .site = ms->cfg.name,
            .gpus = js->job.gpus, .submit_s = dcs_time_to_s(js->job.submit),
            .start_s = secs_or_nan(js->first_start), .end_s = secs_or_nan(js->end),
            .deadline_s = secs_or_nan(js->job.deadline), .state = job_state(js),
            .preemptions = js->preemptions,
            .energy_kwh = r.job_energy_j ? r.job_energy_j[idx[id]] / 3.6e6 : (double)NAN};
        st = dcs_trace_job_append(tr, &row);
    }
    free(site);
    free(idx);
    return st;
}

static int by_time(const void *a, const void *b)
{
    const dcs_event_log_row *x = a, *y = b;
    return (x->time > y->time) - (x->time < y->time);
}

/* What a fault does, for its start row. */
static const char *fault_effect(const dcs_fault_window *w)
{
    switch (w->kind) {
    case DCS_FAULT_CHILLER_TRIP: return "chiller off";
    case DCS_FAULT_CDU_PUMP: return "CDU pump lost, its racks off";
    case DCS_FAULT_NODE_FAILURE: return "nodes down";
    case DCS_FAULT_UTILITY_LOSS:
        return w->generator_fails ? "grid lost, UPS then dark (generator fails)"
                                  : "grid lost, UPS then generator";
    case DCS_FAULT_NETWORK_PARTITION: return "user region cut off";
    default: return "site dark";
    }
}

/* The start row of fault window w at site j, and its end row when it ends
 * within the run; value = its duration (s).  Returns the rows written. */
static size_t fault_rows(const dcs_scenario *s, const dcs_fault_window *w, int32_t j,
                         dcs_event_log_row *out)
{
    const char *name = dcs_fault_kind_names[w->kind];
    dcs_time end = w->end < s->duration ? w->end : s->duration;
    double dur_s = dcs_time_to_s(end - w->at);
    const char *region = w->region >= 0 && (size_t)w->region < s->nusers
                             ? s->users[w->region].name : NULL;
    dcs_event_log_row *r = &out[0];
    *r = (dcs_event_log_row){.time = w->at, .site = j, .workload = -1, .value = dur_s};
    snprintf(r->kind, sizeof r->kind, "%s", name);
    snprintf(r->detail, sizeof r->detail, "%s%s%s, %s, for %.0f s%s", fault_effect(w),
             region ? ": " : "", region ? region : "", s->faults[w->source].mtbf > 0
                 ? "random" : "scheduled", dur_s, w->failover ? "" : ", failover off");
    if (w->kind == DCS_FAULT_NODE_FAILURE || w->kind == DCS_FAULT_CDU_PUMP)
        r->value = w->fraction;
    if (w->end >= s->duration)
        return 1;
    r = &out[1];
    *r = (dcs_event_log_row){.time = w->end, .site = j, .workload = -1, .value = dur_s};
    snprintf(r->kind, sizeof r->kind, "%s_end", name);
    snprintf(r->detail, sizeof r->detail, "recovered after %.0f s", dur_s);
    return 2;
}

static dcs_status write_events(const dcs_model *m, dcs_trace *tr)
{
    const dcs_scenario *s = m->scenario;
    dcs_controller_results cr = {0};
    if (m->work.on)
        dcs_controller_results_of(dcs_engine_lp_state(m->engine, m->work.ctrl_lp), &cr);
    size_t nf = 0;
    for (size_t j = 0; j < m->nsites; j++) {
        const dcs_event_log_row *fl;
        size_t nfl;
        dcs_site_fault_log_of(dcs_model_site_state(m, j), &fl, &nfl);
        nf += 2 * m->sites[j].faults.n + nfl;
    }
    size_t n = cr.nrows + nf;
    dcs_event_log_row *rows = dcs_xcalloc(n ? n : 1, sizeof *rows);
    size_t k = 0;
    for (size_t j = 0; j < m->nsites; j++) {
        for (size_t i = 0; i < m->sites[j].faults.n; i++)
            k += fault_rows(s, &m->sites[j].faults.w[i], (int32_t)j, &rows[k]);
        const dcs_event_log_row *fl;
        size_t nfl;
        dcs_site_fault_log_of(dcs_model_site_state(m, j), &fl, &nfl);
        for (size_t i = 0; i < nfl; i++) {
            rows[k] = fl[i];
            rows[k++].site = (int32_t)j;
        }
    }
    n = k + cr.nrows;
    /* Faults first among equal times (they cause decisions), then the
     * controller's rows in their logged order: a stable merge by time. */
    if (cr.nrows)
        memcpy(rows + k, cr.rows, cr.nrows * sizeof *rows);
    qsort(rows, k, sizeof *rows, by_time);
    dcs_status st = DCS_OK;
    size_t a = 0, b = k;
    while ((a < k || b < n) && st == DCS_OK) {
        const dcs_event_log_row *r =
            b >= n || (a < k && rows[a].time <= rows[b].time) ? &rows[a++] : &rows[b++];
        char detail[160];
        const char *wl = r->workload >= 0 && r->workload < m->work.cfg.nworkloads
                             ? m->work.wl[r->workload].name
                             : NULL;
        snprintf(detail, sizeof detail, "%s%s%s (%g)", wl ? wl : "", wl ? ": " : "", r->detail,
                 r->value);
        dcs_trace_event ev = {
            .time = r->time, .kind = r->kind,
            .site = r->site >= 0 && (size_t)r->site < m->nsites ? m->sites[r->site].cfg.name : "",
            .detail = detail};
        st = dcs_trace_event_append(tr, &ev);
    }
    free(rows);
    return st;
}

dcs_status dcs_model_work_write(const dcs_model *m, dcs_trace *tr)
{
    dcs_status st = DCS_OK;
    if (m->work.on) {
        st = write_workloads(m, tr);
        if (st == DCS_OK)
            st = write_jobs(m, tr);
    }
    if (st == DCS_OK)
        st = write_events(m, tr);
    return st;
}
