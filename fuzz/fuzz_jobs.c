/*
 * fuzz_jobs.c - libFuzzer harness for the job-trace importers
 * (models/workload/jobs_csv.c: dcsim's job CSV and the Alibaba GPU cluster
 * trace 2023 pod list) and the scheduler they feed (jobs.c).
 *
 * The importers take a path, so the input after its first byte is written
 * to a per-process temporary file; the first byte's parity picks the
 * importer (the seed corpus prefixes each fixture with '0' for dcsim's CSV
 * or '1' for Alibaba).
 * Invariants: a failure reports at least one error; every job loaded (also
 * on DCS_EINPUT, which keeps the good rows) has 1 or more GPUs, a GPU share
 * in (0, 1], work > 0 and times >= 0; the first 64 jobs then run to
 * completion on a pool as large as the largest of them (FIFO with
 * backfill): the scheduler never gets stuck, and every job that completes
 * (before the clock's end, where finish times saturate) ran its work after
 * its submit time.
 */
#include "fuzz_common.h"

#include "dcsim/jobs.h"

enum { SCHED_JOBS = 64 };

/* Run the first jobs of l through a scheduler until all are done. */
static void schedule_all(const dcs_job_list *l)
{
    size_t n = l->n < SCHED_JOBS ? l->n : SCHED_JOBS;
    int32_t pool = 1;
    for (size_t i = 0; i < n; i++)
        if (l->v[i].gpus > pool)
            pool = l->v[i].gpus;
    dcs_jobsched *s = NULL;
    if (n == 0 || dcs_jobsched_alloc(pool, n, &s) != DCS_OK)
        return;
    /* Submit in submit-time order, as the site LP does: sort a copy. */
    dcs_job v[SCHED_JOBS];
    memcpy(v, l->v, n * sizeof *v);
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && v[k].submit < v[k - 1].submit; k--) {
            dcs_job tmp = v[k];
            v[k] = v[k - 1];
            v[k - 1] = tmp;
        }
    size_t next = 0, done = 0, idx[SCHED_JOBS];
    dcs_time now = 0;
    /* Each step submits, completes or starts something: 3 n + 1 steps at
     * most, or the scheduler is stuck. */
    for (size_t step = 0; done < n; step++) {
        fuzz_require(step <= 3 * n + 1);
        while (next < n && v[next].submit <= now)
            fuzz_require(dcs_jobsched_submit(s, &v[next++]) == DCS_OK);
        done += (size_t)dcs_jobsched_complete(s, now, idx, SCHED_JOBS);
        dcs_jobsched_schedule(s, now, idx, SCHED_JOBS);
        dcs_time t = dcs_jobsched_next_finish(s);
        if (next < n && v[next].submit < t)
            t = v[next].submit;
        if (done < n && t == DCS_TIME_MAX) {
            /* Finish times saturate at the end of the clock (292 years):
             * the jobs left would end beyond it.  Something must be
             * running, though, or the scheduler is stuck. */
            fuzz_require(dcs_jobsched_free_gpus(s) < pool);
            break;
        }
        if (done < n) {
            fuzz_require(t > now);
            now = t;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const dcs_job_status *js = dcs_jobsched_get(s, i);
        if (js->state != DCS_JOB_DONE)
            continue;
        fuzz_require(js->end - js->first_start >= js->job.work);
        fuzz_require(js->first_start >= js->job.submit);
    }
    dcs_jobsched_free(s);
}

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool alibaba = data[0] & 1;
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".csv");
    fuzz_write_file(path, data + 1, size - 1);

    dcs_diag *d = dcs_diag_new();
    dcs_job_list l = {0};
    dcs_status st = alibaba ? dcs_jobs_load_alibaba(path, d, &l) : dcs_jobs_load_csv(path, d, &l);
    unlink(path);
    if (st != DCS_OK)
        fuzz_require(dcs_diag_errors(d) > 0 || st == DCS_ENOMEM);
    else
        fuzz_require(dcs_diag_errors(d) == 0);
    for (size_t i = 0; i < l.n; i++) {
        const dcs_job *j = &l.v[i];
        fuzz_require(j->gpus >= 1);
        fuzz_require(j->gpu_frac > 0 && j->gpu_frac <= 1);
        fuzz_require(j->work > 0 && j->submit >= 0);
        fuzz_require(j->deadline >= 0 && j->checkpoint_every >= 0 && j->restart_cost >= 0);
    }
    schedule_all(&l);
    dcs_job_list_free(&l);
    dcs_diag_free(d);
    return 0;
}
