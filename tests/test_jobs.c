/* test_jobs.c - gang scheduler (FIFO + EASY backfill) worked by hand,
 * checkpoint and preemption accounting, and the two job-file importers. */
#include "dcsim/jobs.h"
#include "harness.h"

static dcs_job job(uint64_t id, int32_t gpus, dcs_time work)
{
    return (dcs_job){.id = id, .gpus = gpus, .gpu_frac = 1.0, .submit = 0, .work = work,
                     .deadline = DCS_TIME_MAX};
}

/* Pool of 8 GPUs, all submitted at 0 in this order:
 *   A 6 GPUs 10 h, B 4 GPUs 2 h, C 2 GPUs 3 h, D 2 GPUs 20 h.
 * t = 0: A starts (2 free).  B blocks; its shadow time is A's end at 10 h
 *   with 8 - 4 = 4 extra GPUs.  C fits and ends at 3 h <= 10 h: backfilled.
 *   D does not fit (0 free).
 * t = 3 h: C ends; D fits in 2 free, ends at 23 h > 10 h but uses 2 <= 4
 *   extra GPUs: backfilled.
 * t = 10 h: A ends; 6 free -> B starts, ends at 12 h. */
static void easy_backfill_by_hand(void)
{
    dcs_jobsched *s = NULL;
    CHECK_INT(dcs_jobsched_alloc(8, 10, &s), DCS_OK);
    const int32_t g[4] = {6, 4, 2, 2};
    const dcs_time w[4] = {10 * DCS_HOUR, 2 * DCS_HOUR, 3 * DCS_HOUR, 20 * DCS_HOUR};
    for (int i = 0; i < 4; i++) {
        dcs_job j = job((uint64_t)i, g[i], w[i]);
        CHECK_INT(dcs_jobsched_submit(s, &j), DCS_OK);
    }
    size_t ix[8];
    CHECK_INT(dcs_jobsched_schedule(s, 0, ix, 8), 2);
    CHECK_INT(ix[0], 0);
    CHECK_INT(ix[1], 2);
    CHECK_INT(dcs_jobsched_free_gpus(s), 0);
    CHECK_INT(dcs_jobsched_next_finish(s), 3 * DCS_HOUR);
    CHECK_INT(dcs_jobsched_complete(s, 3 * DCS_HOUR, ix, 8), 1);
    CHECK_INT(ix[0], 2);
    CHECK_INT(dcs_jobsched_schedule(s, 3 * DCS_HOUR, ix, 8), 1);
    CHECK_INT(ix[0], 3);
    CHECK_INT(dcs_jobsched_next_finish(s), 10 * DCS_HOUR);
    CHECK_INT(dcs_jobsched_complete(s, 10 * DCS_HOUR, ix, 8), 1);
    CHECK_INT(dcs_jobsched_schedule(s, 10 * DCS_HOUR, ix, 8), 1);
    CHECK_INT(ix[0], 1);
    CHECK_INT(dcs_jobsched_finish_time(s, 1), 12 * DCS_HOUR);
    CHECK_INT(dcs_jobsched_finish_time(s, 3), 23 * DCS_HOUR);
    CHECK_NEAR(dcs_jobsched_busy_gpus(s), 6.0, 0);
    CHECK_INT(dcs_jobsched_complete(s, 23 * DCS_HOUR, ix, 8), 2);
    for (size_t i = 0; i < 4; i++)
        CHECK_INT(dcs_jobsched_get(s, i)->state, DCS_JOB_DONE);
    CHECK_INT(dcs_jobsched_get(s, 1)->first_start, 10 * DCS_HOUR);
    CHECK_INT(dcs_jobsched_free_gpus(s), 8);
    /* Waits: A 0, B 10 h, C 0, D 3 h -> mean 3.25 h. */
    dcs_jobs_summary sum;
    dcs_jobsched_summary(s, &sum);
    CHECK_INT(sum.completed, 4);
    CHECK_NEAR(sum.mean_wait_s, 3.25 * 3600.0, 1e-12);
    CHECK_NEAR(sum.gpu_hours_done, 60.0 + 8.0 + 6.0 + 40.0, 1e-12);
    dcs_jobsched_free(s);
}

/* Without backfill the head blocks: a later small job that would delay
 * the head's reservation must wait.  Pool 8: A 6 GPUs 10 h; B 8 GPUs 1 h
 * (shadow 10 h, extra 0); C 2 GPUs 11 h would end after 10 h and there
 * are no extra GPUs -> not started. */
static void backfill_respects_reservation(void)
{
    dcs_jobsched *s = NULL;
    CHECK_INT(dcs_jobsched_alloc(8, 4, &s), DCS_OK);
    dcs_job a = job(1, 6, 10 * DCS_HOUR), b = job(2, 8, DCS_HOUR), c = job(3, 2, 11 * DCS_HOUR);
    dcs_jobsched_submit(s, &a);
    dcs_jobsched_submit(s, &b);
    dcs_jobsched_submit(s, &c);
    size_t ix[4];
    CHECK_INT(dcs_jobsched_schedule(s, 0, ix, 4), 1);
    CHECK_INT(dcs_jobsched_free_gpus(s), 2);
    /* A job that has not arrived yet does not block the queue. */
    dcs_job late = job(4, 2, DCS_HOUR);
    late.submit = 5 * DCS_HOUR;
    CHECK_INT(dcs_jobsched_submit(s, &late), DCS_OK);
    CHECK_INT(dcs_jobsched_schedule(s, 0, ix, 4), 0);
    /* At 5 h it has arrived and ends at 6 h <= 10 h: backfilled. */
    CHECK_INT(dcs_jobsched_schedule(s, 5 * DCS_HOUR, ix, 4), 1);
    CHECK_INT(ix[0], 3);
    /* Bad jobs and a full table. */
    dcs_job huge = job(5, 9, DCS_HOUR), none = job(6, 1, 0);
    CHECK_INT(dcs_jobsched_submit(s, &huge), DCS_EINPUT);
    CHECK_INT(dcs_jobsched_submit(s, &none), DCS_EINPUT);
    dcs_job ok = job(7, 1, 1);
    CHECK_INT(dcs_jobsched_submit(s, &ok), DCS_ERANGE);   /* 4 held */
    dcs_jobsched_free(s);
    CHECK_INT(dcs_jobsched_alloc(0, 4, &s), DCS_EINPUT);
}

/* One job, 4 GPUs, 5 h of work, checkpoint every 1 h, 10 min restore.
 *   start 0; preempt at 2 h 30: progress 2.5 h, kept 2 h, lost 0.5 h
 *   restart at 3 h: finish = 3 h + 10 min + 3 h = 6 h 10
 *   preempt at 3 h 05 (still restoring): progress 2 h, lost 0, 5 min paid
 *   restart at 4 h: finish 7 h 10; restore paid in all 5 + 10 = 15 min. */
static void checkpoints_and_preemption(void)
{
    dcs_jobsched *s = NULL;
    CHECK_INT(dcs_jobsched_alloc(8, 2, &s), DCS_OK);
    dcs_job j = job(1, 4, 5 * DCS_HOUR);
    j.checkpoint_every = DCS_HOUR;
    j.restart_cost = 10 * DCS_MINUTE;
    j.preemptible = true;
    j.gpu_frac = 0.75;
    CHECK_INT(dcs_jobsched_submit(s, &j), DCS_OK);
    size_t ix[2];
    CHECK_INT(dcs_jobsched_schedule(s, 0, ix, 2), 1);
    CHECK_NEAR(dcs_jobsched_busy_gpus(s), 3.0, 0);
    const dcs_time t1 = 2 * DCS_HOUR + 30 * DCS_MINUTE;
    CHECK_INT(dcs_jobsched_progress(s, 0, t1), t1);
    CHECK(dcs_jobsched_preempt(s, 0, t1));
    CHECK(!dcs_jobsched_preempt(s, 0, t1));   /* not running any more */
    const dcs_job_status *st = dcs_jobsched_get(s, 0);
    CHECK_INT(st->committed, 2 * DCS_HOUR);
    CHECK_INT(st->lost, 30 * DCS_MINUTE);
    CHECK_INT(dcs_jobsched_free_gpus(s), 8);
    CHECK_INT(dcs_jobsched_schedule(s, 3 * DCS_HOUR, ix, 2), 1);
    CHECK_INT(dcs_jobsched_finish_time(s, 0), 6 * DCS_HOUR + 10 * DCS_MINUTE);
    CHECK(dcs_jobsched_preempt(s, 0, 3 * DCS_HOUR + 5 * DCS_MINUTE));
    CHECK_INT(st->committed, 2 * DCS_HOUR);
    CHECK_INT(st->lost, 30 * DCS_MINUTE);
    CHECK_INT(st->restart_paid, 5 * DCS_MINUTE);
    CHECK_INT(dcs_jobsched_schedule(s, 4 * DCS_HOUR, ix, 2), 1);
    CHECK_INT(dcs_jobsched_finish_time(s, 0), 7 * DCS_HOUR + 10 * DCS_MINUTE);
    CHECK_INT(dcs_jobsched_complete(s, 7 * DCS_HOUR, ix, 2), 0);
    CHECK_INT(dcs_jobsched_complete(s, 8 * DCS_HOUR, ix, 2), 1);
    CHECK_INT(st->end, 7 * DCS_HOUR + 10 * DCS_MINUTE);   /* the true end */
    CHECK_INT(st->restart_paid, 15 * DCS_MINUTE);
    CHECK_INT(st->preemptions, 2);
    CHECK_INT(st->first_start, 0);
    /* A job that never checkpoints loses everything. */
    dcs_job k = job(2, 2, DCS_HOUR);
    k.preemptible = true;
    k.submit = 8 * DCS_HOUR;
    CHECK_INT(dcs_jobsched_submit(s, &k), DCS_OK);
    dcs_jobsched_schedule(s, 8 * DCS_HOUR, ix, 2);
    CHECK(dcs_jobsched_preempt(s, 1, 8 * DCS_HOUR + 40 * DCS_MINUTE));
    CHECK_INT(dcs_jobsched_get(s, 1)->lost, 40 * DCS_MINUTE);
    CHECK_INT(dcs_jobsched_get(s, 1)->committed, 0);
    /* Summary: job 0 done (4 GPUs x 5 h = 20 GPU-h), 3 preemptions in all,
     * lost 4 x 0.5 h + 2 x 40 min = 3.333 GPU-h; waits 0 and 0. */
    dcs_jobs_summary sum;
    dcs_jobsched_summary(s, &sum);
    CHECK_INT(sum.completed, 1);
    CHECK_INT(sum.preemptions, 3);
    CHECK_NEAR(sum.gpu_hours_done, 20.0, 1e-12);
    CHECK_NEAR(sum.gpu_hours_lost, 2.0 + 4.0 / 3.0, 1e-12);
    CHECK_NEAR(sum.mean_wait_s, 0.0, 0);
    CHECK_INT(sum.deadline_missed, 0);
    dcs_jobsched_free(s);
}

static void simple_csv(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_job_list l;
    CHECK_INT(dcs_jobs_load_csv("fixtures/workload/jobs_good.csv", d, &l), DCS_OK);
    CHECK_INT(l.n, 2);
    CHECK_INT(l.v[0].gpus, 512);
    CHECK_INT(l.v[0].work, 48 * DCS_HOUR);
    CHECK_INT(l.v[0].deadline, 72 * DCS_HOUR);
    CHECK_INT(l.v[0].checkpoint_every, DCS_HOUR);
    CHECK_INT(l.v[0].restart_cost, 10 * DCS_MINUTE);
    CHECK(l.v[0].preemptible);
    CHECK_INT(l.v[1].submit, 3600500000000);
    CHECK_INT(l.v[1].deadline, DCS_TIME_MAX);
    CHECK(!l.v[1].preemptible);
    dcs_job_list_free(&l);

    CHECK_INT(dcs_jobs_load_csv("fixtures/workload/jobs_bad.csv", d, &l), DCS_EINPUT);
    const char *want[] = {
        "fixtures/workload/jobs_bad.csv:2:5: gpus '0' is not an integer in [1, 10000000]",
        "fixtures/workload/jobs_bad.csv:3:3: submit_s '-5' is not a time in [0, 100 years] s",
        "fixtures/workload/jobs_bad.csv:4:8: work_s '0' is not a time in (0, 100 years] s",
        "fixtures/workload/jobs_bad.csv:5:12: deadline_s 'soon' is not empty or a time in [0, 100 years] s",
        "fixtures/workload/jobs_bad.csv:6:17: preemptible 'yes' is not 0 or 1",
        "fixtures/workload/jobs_bad.csv:7:1: expected 8 fields, found 4",
        "fixtures/workload/jobs_bad.csv:8:6: gpus '2.5' is not an integer in [1, 10000000]",
    };
    CHECK_INT(dcs_diag_errors(d), 7);
    for (int i = 0; i < 7; i++)
        CHECK_STR(dcs_diag_line(d, i), want[i]);
    CHECK_INT(l.n, 1);   /* the good last row */
    CHECK_INT(l.v[0].id, 8);
    dcs_job_list_free(&l);
    dcs_diag_free(d);
}

/* Alibaba format: pod-a runs 5000 - 100 = 4900 s on 1 GPU; pod-b 890 s on
 * a quarter GPU, best effort; pod-c has no GPU, pod-e never ran, pod-f
 * ran 1 s (kept), pod-g has a bad creation time. */
static void alibaba_format(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_job_list l;
    CHECK_INT(dcs_jobs_load_alibaba("fixtures/workload/alibaba_small.csv", d, &l), DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/workload/alibaba_small.csv:8:35: creation_time "
              "'later' is not a time in [0, 100 years] s");
    CHECK_INT(l.n, 4);
    CHECK_INT(l.skipped, 2);
    CHECK_INT(l.v[0].work, 4900 * DCS_SECOND);
    CHECK_INT(l.v[0].submit, 0);
    CHECK_INT(l.v[1].id, 1);
    CHECK_NEAR(l.v[1].gpu_frac, 0.25, 0);
    CHECK(l.v[1].preemptible);
    CHECK_INT(l.v[2].gpus, 8);
    CHECK_INT(l.v[2].work, 10000 * DCS_SECOND);
    CHECK(!l.v[2].preemptible);
    CHECK_INT(l.v[3].work, DCS_SECOND);
    dcs_job_list_free(&l);
    CHECK_INT(dcs_jobs_load_alibaba("fixtures/workload/jobs_good.csv", d, &l), DCS_EINPUT);
    CHECK(strstr(dcs_diag_line(d, 1), "jobs_good.csv:1:1: expected header 'name,cpu_milli,") != NULL);
    dcs_diag_free(d);
}

/* Deadlines: a 2 h job due at 1 h misses; one due at 3 h makes it. */
static void deadlines(void)
{
    dcs_jobsched *s = NULL;
    CHECK_INT(dcs_jobsched_alloc(4, 3, &s), DCS_OK);
    dcs_job late = job(1, 4, 2 * DCS_HOUR), fine = job(2, 4, 2 * DCS_HOUR);
    late.deadline = DCS_HOUR;
    fine.deadline = 5 * DCS_HOUR;   /* waits 2 h behind `late`, ends at 4 h */
    dcs_jobsched_submit(s, &late);
    dcs_jobsched_submit(s, &fine);
    size_t ix[2];
    dcs_jobsched_schedule(s, 0, ix, 2);
    CHECK(!dcs_job_deadline_missed(dcs_jobsched_get(s, 0)));   /* not done yet */
    dcs_jobsched_complete(s, 2 * DCS_HOUR, ix, 2);
    dcs_jobsched_schedule(s, 2 * DCS_HOUR, ix, 2);
    dcs_jobsched_complete(s, 4 * DCS_HOUR, ix, 2);
    CHECK(dcs_job_deadline_missed(dcs_jobsched_get(s, 0)));
    CHECK(!dcs_job_deadline_missed(dcs_jobsched_get(s, 1)));
    dcs_jobs_summary sum;
    dcs_jobsched_summary(s, &sum);
    CHECK_INT(sum.completed, 2);
    CHECK_INT(sum.deadline_missed, 1);
    CHECK_NEAR(sum.mean_wait_s, 3600.0, 1e-12);
    dcs_jobsched_free(s);
}

int main(void)
{
    RUN(deadlines);
    RUN(easy_backfill_by_hand);
    RUN(backfill_respects_reservation);
    RUN(checkpoints_and_preemption);
    RUN(simple_csv);
    RUN(alibaba_format);
    return TEST_END();
}
