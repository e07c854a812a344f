/*
 * jobs.h - gang-scheduled training and batch jobs on a GPU pool.
 *
 * A job needs all of its GPUs at once (gang scheduling) for `work` of run
 * time at full speed.  The scheduler is FIFO with EASY backfill (Lifka 1995;
 * Mu'alem and Feitelson 2001): the oldest waiting job gets a reservation at
 * the earliest time enough GPUs free up, and a later job may start now only
 * if it fits in the free GPUs and does not delay that reservation.
 * Progress is checkpointed every `checkpoint_every` of run time; a
 * preemption loses the progress since the last checkpoint, and every start
 * after a preemption first spends `restart_cost` restoring.  Everything is
 * pure bookkeeping: the engine calls these functions from its events.
 */
#ifndef DCSIM_JOBS_H
#define DCSIM_JOBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/time.h"

typedef struct dcs_job {
    uint64_t id;
    int32_t gpus;              /* gang size, >= 1 */
    double gpu_frac;           /* busy share of each GPU (GPU sharing), (0,1] */
    dcs_time submit;
    dcs_time work;             /* run time at full speed, > 0 */
    dcs_time deadline;         /* absolute; DCS_TIME_MAX = none */
    dcs_time checkpoint_every; /* of run time; 0 = never */
    dcs_time restart_cost;     /* restore time after a preemption */
    bool preemptible;
} dcs_job;

typedef enum {
    DCS_JOB_QUEUED,
    DCS_JOB_RUNNING,
    DCS_JOB_DONE
} dcs_job_state;

typedef struct dcs_job_status {
    dcs_job job;
    dcs_job_state state;
    dcs_time first_start;      /* DCS_TIME_MAX until started */
    dcs_time run_start;        /* start of the current run */
    dcs_time end;              /* completion, DCS_TIME_MAX until done */
    dcs_time committed;        /* progress safe in a checkpoint (or done) */
    dcs_time resume_from;      /* progress at the start of the current run */
    dcs_time lost;             /* progress lost to preemptions, summed */
    dcs_time restart_paid;     /* restore time spent, summed */
    int32_t preemptions;
} dcs_job_status;

typedef struct dcs_jobsched dcs_jobsched;

/* A scheduler for a pool of total_gpus GPUs holding up to max_jobs jobs
 * over its life (all storage allocated here).  DCS_EINPUT for a pool or
 * capacity below 1, DCS_ENOMEM. */
dcs_status dcs_jobsched_alloc(int32_t total_gpus, size_t max_jobs,
                              dcs_jobsched **out);
/* Free s and everything it holds; NULL is a no-op. */
void dcs_jobsched_free(dcs_jobsched *s);

/* Queue a job (copied) at its submit time.  DCS_EINPUT when it could never
 * run (gpus > pool, work <= 0), DCS_ERANGE when max_jobs are held. */
dcs_status dcs_jobsched_submit(dcs_jobsched *s, const dcs_job *j);

/* Start every job the policy allows at now; their indices go to
 * started[0..cap), the return value is how many started. */
int dcs_jobsched_schedule(dcs_jobsched *s, dcs_time now, size_t *started, int cap);

/* Earliest completion time among running jobs; DCS_TIME_MAX if none. */
dcs_time dcs_jobsched_next_finish(const dcs_jobsched *s);

/* Complete every running job whose finish time is <= now; indices to
 * finished[0..cap), returns how many. */
int dcs_jobsched_complete(dcs_jobsched *s, dcs_time now, size_t *finished, int cap);

/* Preempt running job `index` at now (its GPUs are freed, it goes back to
 * the queue in submit order).  false when it is not running or not
 * preemptible. */
bool dcs_jobsched_preempt(dcs_jobsched *s, size_t index, dcs_time now);

/* Speed of progress from now on: every running job (and every job started
 * later) progresses at `speed` (> 0; 1 = full rate) seconds of work per
 * second, so finish times move (a power cap slowing a compute-bound job
 * sets its clock here).  Restore time after a preemption is not scaled.
 * Returns false (and changes nothing) for a speed that is not > 0. */
bool dcs_jobsched_set_speed(dcs_jobsched *s, dcs_time now, double speed);

/* Hold (held = true) or release a job: a held job that is queued is
 * skipped by dcs_jobsched_schedule (it neither starts nor blocks the jobs
 * behind it); a running job is not affected until it is preempted.  This
 * is how a temporal policy pauses a deferrable job: preempt, then hold.
 * false for an index past the end. */
bool dcs_jobsched_hold(dcs_jobsched *s, size_t index, bool held);

/* Finish time of a running job if left alone. */
dcs_time dcs_jobsched_finish_time(const dcs_jobsched *s, size_t index);

/* Progress (run time done) of job `index` at now, committed or not. */
dcs_time dcs_jobsched_progress(const dcs_jobsched *s, size_t index, dcs_time now);

/* Idle GPUs of the pool. */
int32_t dcs_jobsched_free_gpus(const dcs_jobsched *s);
/* Busy GPU-equivalents (sum of gpus * gpu_frac of running jobs). */
double dcs_jobsched_busy_gpus(const dcs_jobsched *s);
/* Jobs held (indices 0..count-1 in submit-call order) and the status of
 * one (NULL past the end; borrowed, valid until s is freed). */
size_t dcs_jobsched_count(const dcs_jobsched *s);
const dcs_job_status *dcs_jobsched_get(const dcs_jobsched *s, size_t index);

/* Whether a finished job ended after its deadline (false while not done
 * or without a deadline). */
bool dcs_job_deadline_missed(const dcs_job_status *st);

/* Totals over every job held (for jobs_completed and jobs_deadline_missed
 * in the summary, DESIGN.md section 8). */
typedef struct dcs_jobs_summary {
    uint64_t completed;
    uint64_t deadline_missed;
    uint64_t preemptions;
    double gpu_hours_done;     /* gpus * work of completed jobs */
    double gpu_hours_lost;     /* gpus * progress lost to preemption */
    double mean_wait_s;        /* first start - submit, over started jobs */
} dcs_jobs_summary;
/* Fill *out from every job s holds. */
void dcs_jobsched_summary(const dcs_jobsched *s, dcs_jobs_summary *out);

/* A list of jobs read from a file (caller frees with dcs_job_list_free). */
typedef struct dcs_job_list {
    size_t n;
    dcs_job *v;
    int *line;                 /* file line of each job (for errors found later) */
    size_t skipped;            /* valid rows left out (e.g. CPU-only pods) */
} dcs_job_list;
/* Free the jobs of l and empty it. */
void dcs_job_list_free(dcs_job_list *l);

/* dcsim's simple job CSV (header required, times in seconds):
 *   id,submit_s,gpus,work_s,deadline_s,checkpoint_s,restart_s,preemptible
 * deadline_s empty = none; checkpoint_s 0 = never; preemptible 0 or 1.
 * Bad rows go to d as FILE:LINE:COL and are skipped.  DCS_EIO when the file
 * cannot be opened, DCS_EINPUT when any row was bad, else DCS_OK. */
dcs_status dcs_jobs_load_csv(const char *path, dcs_diag *d, dcs_job_list *out);

/* The Alibaba GPU cluster trace 2023 pod list (openb_pod_list_*.csv; Weng
 * et al., USENIX ATC 2023): id = data row index from 0, submit =
 * creation_time, work = deletion_time - scheduled_time (the run), gpus =
 * num_gpu, gpu_frac = gpu_milli/1000 for single shared GPUs, preemptible
 * when qos is BE.  Pods without GPUs, never scheduled or with no run time
 * are counted in skipped.  No deadline, no checkpoints (the trace has
 * none); the caller may set them. */
dcs_status dcs_jobs_load_alibaba(const char *path, dcs_diag *d, dcs_job_list *out);

#endif
