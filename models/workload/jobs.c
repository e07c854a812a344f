/*
 * jobs.c - gang scheduler for training and batch jobs on a GPU pool with
 * FIFO + EASY backfill, checkpoints and preemption (contract in
 * include/dcsim/jobs.h).
 *
 * EASY backfill (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995;
 * Mu'alem and Feitelson, IEEE TPDS 12(6), 2001), at each scheduling point:
 *   1. start waiting jobs in submit order while the oldest fits;
 *   2. for the oldest job that does not fit, find its shadow time: walk the
 *      running jobs by finish time until enough GPUs would be free; the
 *      GPUs free at that moment beyond its need are the "extra" GPUs;
 *   3. start a later job now if it fits in the free GPUs and either ends by
 *      the shadow time or uses only extra GPUs.
 * Finish estimates are exact here (the simulator knows each job's work),
 * which is the optimistic case of EASY; real schedulers see user estimates.
 *
 * Progress: a run started at t0 with progress w0 (committed) first spends
 * the restart cost r (only after a preemption), then progresses at 1 s/s:
 *   progress(t) = w0 + clamp(t - t0 - r, 0, work - w0)
 *   finish      = t0 + r + (work - w0)
 * A speed factor v (dcs_jobsched_set_speed: a power cap slowing compute-
 * bound training) scales the rate of progress from the moment it is set:
 * each running job keeps the time t_s and progress w_s of its last speed
 * change (its start at first), and
 *   progress(t) = w_s + clamp(floor((t - max(t_s, t0 + r)) v), 0, work - w_s)
 *   finish      = max(t_s, t0 + r) + ceil((work - w_s) / v)
 * which is the formula above when v = 1 (then computed in integers).
 * Checkpoints are taken at multiples of checkpoint_every of progress, at no
 * cost (a write cost would lengthen runs by a few per cent: left out), so a
 * preemption at progress p keeps floor(p / C) * C and loses the rest.
 *
 * Storage: every array is allocated in dcs_jobsched_alloc.
 */
#include "dcsim/jobs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct dcs_jobsched {
    int32_t total_gpus, free_gpus;
    size_t cap, n;
    dcs_job_status *jobs;
    size_t *queue, nqueue;        /* waiting, in (submit, index) order */
    size_t *running, nrunning;
    size_t *scratch;              /* running sorted by finish, for backfill */
    double speed;                 /* work seconds per second, > 0 */
    dcs_time *seg_t;              /* per job: time of the last speed change */
    dcs_time *seg_p;              /* per job: progress then */
    bool *held;                   /* per job: kept out of scheduling */
};

dcs_status dcs_jobsched_alloc(int32_t total_gpus, size_t max_jobs, dcs_jobsched **out)
{
    *out = NULL;
    if (total_gpus < 1 || max_jobs < 1)
        return DCS_EINPUT;
    dcs_jobsched *s = calloc(1, sizeof *s);
    if (!s)
        return DCS_ENOMEM;
    s->total_gpus = s->free_gpus = total_gpus;
    s->cap = max_jobs;
    s->jobs = calloc(max_jobs, sizeof *s->jobs);
    s->queue = calloc(max_jobs, sizeof *s->queue);
    s->running = calloc(max_jobs, sizeof *s->running);
    s->scratch = calloc(max_jobs, sizeof *s->scratch);
    s->seg_t = calloc(max_jobs, sizeof *s->seg_t);
    s->seg_p = calloc(max_jobs, sizeof *s->seg_p);
    s->held = calloc(max_jobs, sizeof *s->held);
    s->speed = 1.0;
    if (!s->jobs || !s->queue || !s->running || !s->scratch || !s->seg_t || !s->seg_p
        || !s->held) {
        dcs_jobsched_free(s);
        return DCS_ENOMEM;
    }
    *out = s;
    return DCS_OK;
}

void dcs_jobsched_free(dcs_jobsched *s)
{
    if (!s)
        return;
    free(s->jobs);
    free(s->queue);
    free(s->running);
    free(s->scratch);
    free(s->seg_t);
    free(s->seg_p);
    free(s->held);
    free(s);
}

static bool queued_before(const dcs_jobsched *s, size_t a, size_t b)
{
    dcs_time ta = s->jobs[a].job.submit, tb = s->jobs[b].job.submit;
    return ta < tb || (ta == tb && a < b);
}

/* Insert job index j into the queue keeping (submit, index) order. */
static void enqueue(dcs_jobsched *s, size_t j)
{
    size_t k = s->nqueue;
    while (k > 0 && queued_before(s, j, s->queue[k - 1])) {
        s->queue[k] = s->queue[k - 1];
        k--;
    }
    s->queue[k] = j;
    s->nqueue++;
}

dcs_status dcs_jobsched_submit(dcs_jobsched *s, const dcs_job *j)
{
    if (j->gpus < 1 || j->gpus > s->total_gpus || j->work <= 0
        || !(j->gpu_frac > 0.0 && j->gpu_frac <= 1.0) || j->checkpoint_every < 0
        || j->restart_cost < 0)
        return DCS_EINPUT;
    if (s->n == s->cap)
        return DCS_ERANGE;
    size_t i = s->n++;
    s->jobs[i] = (dcs_job_status){.job = *j, .state = DCS_JOB_QUEUED,
                                  .first_start = DCS_TIME_MAX, .end = DCS_TIME_MAX};
    enqueue(s, i);
    return DCS_OK;
}

/* Restore time owed by the current (or next) run. */
static dcs_time restart_due(const dcs_job_status *st)
{
    return st->preemptions > 0 ? st->job.restart_cost : 0;
}

/* Wall time to do `work` of progress at the scheduler's speed. */
static dcs_time run_len(const dcs_jobsched *s, dcs_time work)
{
    if (s->speed == 1.0)
        return work;
    double ns = ceil((double)work / s->speed);
    return ns >= 9.0e18 ? DCS_TIME_MAX / 2 : (dcs_time)ns;
}

/* When progress (re)starts counting in the current speed segment. */
static dcs_time progress_from(const dcs_jobsched *s, size_t index)
{
    const dcs_job_status *st = &s->jobs[index];
    dcs_time restored = st->run_start + restart_due(st);
    return s->seg_t[index] > restored ? s->seg_t[index] : restored;
}

dcs_time dcs_jobsched_finish_time(const dcs_jobsched *s, size_t index)
{
    const dcs_job_status *st = &s->jobs[index];
    if (st->state != DCS_JOB_RUNNING)
        return st->state == DCS_JOB_DONE ? st->end : DCS_TIME_MAX;
    return dcs_time_add_sat(progress_from(s, index), run_len(s, st->job.work - s->seg_p[index]));
}

dcs_time dcs_jobsched_progress(const dcs_jobsched *s, size_t index, dcs_time now)
{
    const dcs_job_status *st = &s->jobs[index];
    if (st->state != DCS_JOB_RUNNING)
        return st->committed;
    dcs_time left = st->job.work - s->seg_p[index];
    if (now >= dcs_jobsched_finish_time(s, index))
        return st->job.work;
    dcs_time ran = now - progress_from(s, index);
    if (ran < 0)
        ran = 0;
    if (s->speed != 1.0)
        ran = (dcs_time)floor((double)ran * s->speed);
    if (ran > left)
        ran = left;
    return s->seg_p[index] + ran;
}

bool dcs_jobsched_set_speed(dcs_jobsched *s, dcs_time now, double speed)
{
    if (!(speed > 0.0) || !isfinite(speed))
        return false;
    /* Close every running job's segment at the old speed first. */
    for (size_t a = 0; a < s->nrunning; a++) {
        size_t j = s->running[a];
        s->seg_p[j] = dcs_jobsched_progress(s, j, now);
        s->seg_t[j] = now;
    }
    s->speed = speed;
    return true;
}

static void start(dcs_jobsched *s, size_t qpos, dcs_time now)
{
    size_t j = s->queue[qpos];
    memmove(&s->queue[qpos], &s->queue[qpos + 1], (s->nqueue - qpos - 1) * sizeof *s->queue);
    s->nqueue--;
    dcs_job_status *st = &s->jobs[j];
    st->state = DCS_JOB_RUNNING;
    st->run_start = now;
    st->resume_from = st->committed;
    s->seg_t[j] = now;
    s->seg_p[j] = st->committed;
    if (st->first_start == DCS_TIME_MAX)
        st->first_start = now;
    s->free_gpus -= st->job.gpus;
    s->running[s->nrunning++] = j;
}

/* Shadow time of a job needing `need` GPUs and the extra GPUs then, from
 * the running jobs in finish order (insertion sort: the running set is
 * small next to the cost of a scheduling event). */
static dcs_time shadow(dcs_jobsched *s, int32_t need, int32_t *extra)
{
    size_t m = s->nrunning;
    for (size_t a = 0; a < m; a++) {
        size_t x = s->running[a], b = a;
        dcs_time fx = dcs_jobsched_finish_time(s, x);
        while (b > 0 && dcs_jobsched_finish_time(s, s->scratch[b - 1]) > fx) {
            s->scratch[b] = s->scratch[b - 1];
            b--;
        }
        s->scratch[b] = x;
    }
    int32_t avail = s->free_gpus;
    for (size_t a = 0; a < m; a++) {
        avail += s->jobs[s->scratch[a]].job.gpus;
        if (avail >= need) {
            *extra = avail - need;
            return dcs_jobsched_finish_time(s, s->scratch[a]);
        }
    }
    *extra = 0;
    return DCS_TIME_MAX;   /* unreachable: need <= total_gpus */
}

int dcs_jobsched_schedule(dcs_jobsched *s, dcs_time now, size_t *started, int cap)
{
    int n = 0;
    size_t q = 0;
    /* 1. FIFO from the head among jobs that have arrived. */
    while (q < s->nqueue) {
        dcs_job_status *st = &s->jobs[s->queue[q]];
        if (st->job.submit > now || s->held[s->queue[q]]) {
            q++;                      /* not arrived or held: does not block */
            continue;
        }
        if (st->job.gpus > s->free_gpus)
            break;
        if (n < cap)
            started[n] = s->queue[q];
        n++;
        start(s, q, now);
    }
    if (q >= s->nqueue)
        return n < cap ? n : cap;
    /* 2. Reservation for the blocked head. */
    int32_t extra;
    dcs_time shadow_t = shadow(s, s->jobs[s->queue[q]].job.gpus, &extra);
    /* 3. Backfill later arrived jobs that do not delay it. */
    size_t k = q + 1;
    while (k < s->nqueue && s->free_gpus > 0) {
        dcs_job_status *st = &s->jobs[s->queue[k]];
        dcs_time end = dcs_time_add_sat(now + restart_due(st),
                                        run_len(s, st->job.work - st->committed));
        bool fits = st->job.submit <= now && !s->held[s->queue[k]]
                 && st->job.gpus <= s->free_gpus;
        bool before_shadow = end <= shadow_t;
        if (fits && (before_shadow || st->job.gpus <= extra)) {
            if (!before_shadow)
                extra -= st->job.gpus;
            if (n < cap)
                started[n] = s->queue[k];
            n++;
            start(s, k, now);         /* the queue shifts down: keep k */
        } else {
            k++;
        }
    }
    return n < cap ? n : cap;
}

dcs_time dcs_jobsched_next_finish(const dcs_jobsched *s)
{
    dcs_time t = DCS_TIME_MAX;
    for (size_t a = 0; a < s->nrunning; a++) {
        dcs_time f = dcs_jobsched_finish_time(s, s->running[a]);
        if (f < t)
            t = f;
    }
    return t;
}

/* Take running[a] out of the running set (order is irrelevant there). */
static void unrun(dcs_jobsched *s, size_t a)
{
    s->free_gpus += s->jobs[s->running[a]].job.gpus;
    s->running[a] = s->running[--s->nrunning];
}

int dcs_jobsched_complete(dcs_jobsched *s, dcs_time now, size_t *finished, int cap)
{
    int n = 0;
    size_t a = 0;
    while (a < s->nrunning) {
        size_t j = s->running[a];
        dcs_time f = dcs_jobsched_finish_time(s, j);
        if (f > now) {
            a++;
            continue;
        }
        dcs_job_status *st = &s->jobs[j];
        st->restart_paid += restart_due(st);
        st->committed = st->job.work;
        st->end = f;
        st->state = DCS_JOB_DONE;
        unrun(s, a);
        if (n < cap)
            finished[n] = j;
        n++;
    }
    return n < cap ? n : cap;
}

bool dcs_jobsched_preempt(dcs_jobsched *s, size_t index, dcs_time now)
{
    dcs_job_status *st = &s->jobs[index];
    if (st->state != DCS_JOB_RUNNING || !st->job.preemptible)
        return false;
    size_t a = 0;
    while (s->running[a] != index)
        a++;
    dcs_time p = dcs_jobsched_progress(s, index, now);
    dcs_time c = st->job.checkpoint_every;
    dcs_time kept = c > 0 ? (p / c) * c : 0;
    if (kept < st->resume_from)
        kept = st->resume_from;       /* what was committed stays committed */
    dcs_time spent = now - st->run_start, due = restart_due(st);
    st->restart_paid += spent < due ? spent : due;
    st->lost += p - kept;
    st->committed = kept;
    st->preemptions++;
    st->state = DCS_JOB_QUEUED;
    unrun(s, a);
    enqueue(s, index);
    return true;
}

bool dcs_jobsched_hold(dcs_jobsched *s, size_t index, bool held)
{
    if (index >= s->n)
        return false;
    s->held[index] = held;
    return true;
}

int32_t dcs_jobsched_free_gpus(const dcs_jobsched *s) { return s->free_gpus; }

double dcs_jobsched_busy_gpus(const dcs_jobsched *s)
{
    double busy = 0.0;
    for (size_t a = 0; a < s->nrunning; a++) {
        const dcs_job *j = &s->jobs[s->running[a]].job;
        busy += j->gpus * j->gpu_frac;
    }
    return busy;
}

size_t dcs_jobsched_count(const dcs_jobsched *s) { return s->n; }

const dcs_job_status *dcs_jobsched_get(const dcs_jobsched *s, size_t index)
{
    return index < s->n ? &s->jobs[index] : NULL;
}

bool dcs_job_deadline_missed(const dcs_job_status *st)
{
    return st->state == DCS_JOB_DONE && st->job.deadline != DCS_TIME_MAX
        && st->end > st->job.deadline;
}

void dcs_jobsched_summary(const dcs_jobsched *s, dcs_jobs_summary *out)
{
    *out = (dcs_jobs_summary){0};
    double wait = 0.0;
    uint64_t started = 0;
    for (size_t i = 0; i < s->n; i++) {
        const dcs_job_status *st = &s->jobs[i];
        double g = st->job.gpus;
        out->preemptions += (uint64_t)st->preemptions;
        out->gpu_hours_lost += g * dcs_time_to_s(st->lost) / 3600.0;
        if (st->first_start != DCS_TIME_MAX) {
            wait += dcs_time_to_s(st->first_start - st->job.submit);
            started++;
        }
        if (st->state == DCS_JOB_DONE) {
            out->completed++;
            out->gpu_hours_done += g * dcs_time_to_s(st->job.work) / 3600.0;
            out->deadline_missed += dcs_job_deadline_missed(st);
        }
    }
    out->mean_wait_s = started ? wait / (double)started : 0.0;
}
