/*
 * site_work_jobs.c - training and batch jobs of a site: one gang scheduler
 * (jobs.h, FIFO with EASY backfill) over the GPUs no serving replica
 * holds, submissions and completions as self-events, power per GPU from
 * the accelerator, pauses from the controller's run flags.
 *
 * Placement: the busy GPUs fill the clusters' free GPUs in cluster order
 * (running jobs in scheduler order), so a job may span clusters; each GPU
 * draws dcs_accel_power_w(util, clock) with util = the workload's
 * job_gpu_util x the job's gpu_frac and the clock of its cluster; free
 * GPUs draw the accelerator's idle power.  Speed: the scheduler's speed
 * (dcs_jobsched_set_speed) is the lowest clock of the clusters with job
 * GPUs, i.e. training is taken as compute-bound and slows in proportion
 * to the clock a power cap allows (memory-bound phases would slow less).
 * Pause: a job whose run flag is false is preempted (losing the progress
 * since its last checkpoint, as jobs.h defines) and held out of
 * scheduling until the flag is true again; a job that is not preemptible
 * runs on.
 *
 * Energy per job: the AC energy of the GPUs it holds (their board power at
 * its utilisation and clock, through the cluster's power supplies), the
 * exact integral of that piecewise-constant power.  Node overheads (CPUs,
 * fans, network) and the facility's cooling and losses are charged to the
 * workload and the site, not to single jobs.
 */
#include "site_work.h"

#include <stdlib.h>

#include "dcsim/accel.h"

static void arm_finish(site_work *w, dcs_lp *lp, dcs_time now)
{
    w->job_gen++;
    dcs_time f = dcs_jobsched_next_finish(w->js);
    if (f >= dcs_lp_end(lp))
        return;
    dcs_event *ev = dcs_lp_send(lp, dcs_lp_id(lp), f > now ? f - now : 0, SW_EV_JOB_FINISH);
    ev->p.u[0] = w->job_gen;
}

void sw_jobs_power(site_work *w, dcs_time now)
{
    const dcs_site_config *c = w->c;
    double dc[DCS_POLICY_MAX_CLUSTERS] = {0}, busy[DCS_POLICY_MAX_CLUSTERS] = {0};
    int used[DCS_POLICY_MAX_CLUSTERS] = {0};
    double wl_w[DCS_WORK_MAX_WORKLOADS] = {0};
    size_t k = 0;
    size_t n = w->js ? dcs_jobsched_count(w->js) : 0;
    for (size_t si = 0; si < n; si++) {
        const dcs_job_status *st = dcs_jobsched_get(w->js, si);
        sw_acc *acc = &w->job_acc[w->cfg_of[si]];
        if (st->state != DCS_JOB_RUNNING) {
            sw_acc_add(acc, now, -acc->rate);
            continue;
        }
        const dcs_site_job *sj = &c->jobs[w->cfg_of[si]];
        double job_w = 0.0;
        double util = w->W->wl[sj->workload].job_gpu_util * st->job.gpu_frac;
        for (int left = st->job.gpus; left > 0;) {
            while (k < c->nclusters && used[k] >= w->cl[k].gpus - w->cl[k].rep_gpus)
                k++;
            if (k >= c->nclusters)
                break;            /* cannot happen: the scheduler holds the pool's size */
            int room = w->cl[k].gpus - w->cl[k].rep_gpus - used[k];
            int g = left < room ? left : room;
            double p = g * dcs_accel_power_w(&c->clusters[k].node.gpu, util, w->cl[k].clock);
            dc[k] += p;
            busy[k] += g * util;
            used[k] += g;
            left -= g;
            wl_w[sj->workload] += p / w->cl[k].psu;
            job_w += p / w->cl[k].psu;
        }
        sw_acc_add(acc, now, job_w - acc->rate);
    }
    for (size_t i = 0; i < c->nclusters; i++) {
        sw_cluster *cl = &w->cl[i];
        int idle = cl->gpus - cl->rep_gpus - used[i];
        double base = dc[i] + idle * c->clusters[i].node.gpu.idle_w;
        sw_acc_add(&cl->it, now, (base - cl->base_dc_w) / cl->psu);
        sw_acc_add(&cl->busy, now, busy[i] - cl->job_busy);
        cl->base_dc_w = base;
        cl->job_busy = busy[i];
        cl->job_gpus = used[i];
    }
    for (int j = 0; j < w->W->nworkloads; j++) {
        sw_acc_add(&w->wl[j].job_energy, now, wl_w[j] - w->wl[j].job_w);
        w->wl[j].job_w = wl_w[j];
    }
}

/* Schedule, then bring power and the finish event up to date. */
static void reschedule(site_work *w, dcs_lp *lp, dcs_time now)
{
    size_t n = dcs_jobsched_count(w->js);
    dcs_jobsched_schedule(w->js, now, w->scratch, (int)(n ? n : 1));
    sw_jobs_power(w, now);
    arm_finish(w, lp, now);
}

static void arm_submit(site_work *w, dcs_lp *lp, dcs_time now)
{
    if (w->next_submit >= w->c->njobs)
        return;
    dcs_time at = w->c->jobs[w->next_submit].job.submit;
    if (at >= dcs_lp_end(lp))
        return;
    dcs_lp_send(lp, dcs_lp_id(lp), at > now ? at - now : 0, SW_EV_JOB_SUBMIT);
}

int sw_jobs_init(site_work *w, dcs_lp *lp)
{
    const dcs_site_config *c = w->c;
    int32_t pool = 0;
    for (size_t i = 0; i < c->nclusters; i++)
        pool += w->cl[i].gpus - w->cl[i].rep_gpus;
    size_t n = c->njobs ? c->njobs : 1;
    w->sched_index = malloc(n * sizeof *w->sched_index);
    w->cfg_of = calloc(n, sizeof *w->cfg_of);
    w->job_out = calloc(n, sizeof *w->job_out);
    w->scratch = calloc(n, sizeof *w->scratch);
    w->paused = calloc(n, sizeof *w->paused);
    w->job_acc = calloc(n, sizeof *w->job_acc);
    w->job_energy_j = calloc(n, sizeof *w->job_energy_j);
    if (!w->sched_index || !w->cfg_of || !w->job_out || !w->scratch || !w->paused
        || !w->job_acc || !w->job_energy_j)
        return -1;
    for (size_t j = 0; j < n; j++)
        w->sched_index[j] = -1;
    w->job_speed = 1.0;
    /* No GPU left for jobs: they are never submitted and stay queued. */
    if (c->njobs > 0 && pool > 0 && dcs_jobsched_alloc(pool, c->njobs, &w->js) == DCS_ENOMEM)
        return -1;
    sw_jobs_power(w, 0);          /* GPUs outside replicas start idle */
    if (w->js)
        arm_submit(w, lp, 0);
    return 0;
}

void sw_jobs_event(site_work *w, dcs_lp *lp, const dcs_event *ev)
{
    dcs_time now = dcs_lp_now(lp);
    const dcs_site_config *c = w->c;
    if (ev->kind == SW_EV_JOB_FINISH) {
        if (ev->p.u[0] != w->job_gen)
            return;               /* a speed change moved the finish */
        size_t n = dcs_jobsched_count(w->js);
        dcs_jobsched_complete(w->js, now, w->scratch, (int)(n ? n : 1));
        reschedule(w, lp, now);
        return;
    }
    while (w->next_submit < c->njobs && c->jobs[w->next_submit].job.submit <= now) {
        size_t j = w->next_submit++;
        size_t si = dcs_jobsched_count(w->js);
        /* A job that can never run here (bigger than the pool) stays
         * unsubmitted and is reported queued. */
        if (dcs_jobsched_submit(w->js, &c->jobs[j].job) != DCS_OK)
            continue;
        w->sched_index[j] = (int)si;
        w->cfg_of[si] = j;
        if (w->paused[j] || w->dark)
            dcs_jobsched_hold(w->js, si, true);
    }
    reschedule(w, lp, now);
    arm_submit(w, lp, now);
}

void sw_jobs_apply(site_work *w, dcs_lp *lp, const dcs_policy_action *a, dcs_time now)
{
    const dcs_site_config *c = w->c;
    if (!w->js)
        return;
    bool changed = false;
    for (size_t j = 0; j < c->njobs; j++) {
        int slot = c->jobs[j].policy_slot;
        if (slot < 0 || slot >= DCS_POLICY_MAX_JOBS)
            continue;
        bool run = a->run[slot];
        if (run == !w->paused[j])
            continue;
        w->paused[j] = !run;
        changed = true;
        int si = w->sched_index[j];
        if (si < 0)
            continue;             /* not submitted yet: held when it is */
        if (!run)
            dcs_jobsched_preempt(w->js, (size_t)si, now);
        dcs_jobsched_hold(w->js, (size_t)si, !run || w->dark);
    }
    if (changed)
        reschedule(w, lp, now);
}

void sw_jobs_speed(site_work *w, dcs_lp *lp, dcs_time now)
{
    if (!w->js)
        return;
    double v = 1.0;
    for (size_t i = 0; i < w->c->nclusters; i++)
        if (w->cl[i].gpus > w->cl[i].rep_gpus && w->cl[i].clock < v)
            v = w->cl[i].clock;
    sw_jobs_power(w, now);        /* clocks may have changed */
    if (v == w->job_speed)
        return;
    w->job_speed = v;
    dcs_jobsched_set_speed(w->js, now, v);
    arm_finish(w, lp, now);
}

void sw_jobs_dark(site_work *w, dcs_lp *lp, bool dark, dcs_time now)
{
    if (!w->js)
        return;
    for (size_t j = 0; j < w->c->njobs; j++) {
        int si = w->sched_index[j];
        if (si < 0)
            continue;             /* not submitted yet: held when it is */
        /* Preemption loses the progress since the last checkpoint (jobs.h);
         * a job that is not preemptible keeps running in the model. */
        if (dark)
            dcs_jobsched_preempt(w->js, (size_t)si, now);
        dcs_jobsched_hold(w->js, (size_t)si, dark || w->paused[j]);
    }
    reschedule(w, lp, now);
}
