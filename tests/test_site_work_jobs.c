/* test_site_work_jobs.c - training jobs inside the site LP: the scheduler's
 * speed factor and hold, a power cap that halves the clock doubling a
 * job's run time, and a pause and resume through the control bus with a
 * scripted controller LP; each job's GPU energy against hand values. */
#include "dcsim/accel.h"
#include "dcsim/power.h"
#include "harness.h"
#include "test_site_work_fixture.h"

/* One 8-GPU job of 100 s alone: at speed 0.5 from 50 s it has 50 s of
 * work left, done at 50 + 50 / 0.5 = 150 s; back to speed 1 at 100 s
 * (progress 50 + 25 = 75 s) it ends at 125 s. */
static void speed(void)
{
    dcs_jobsched *s;
    CHECK_INT(dcs_jobsched_alloc(8, 4, &s), DCS_OK);
    dcs_job j = {.id = 0, .gpus = 8, .gpu_frac = 1.0, .work = 100 * DCS_SECOND,
                 .deadline = DCS_TIME_MAX};
    CHECK_INT(dcs_jobsched_submit(s, &j), DCS_OK);
    size_t started[4];
    CHECK_INT(dcs_jobsched_schedule(s, 0, started, 4), 1);
    CHECK_INT(dcs_jobsched_finish_time(s, 0), 100 * DCS_SECOND);
    CHECK(dcs_jobsched_set_speed(s, 50 * DCS_SECOND, 0.5));
    CHECK_INT(dcs_jobsched_finish_time(s, 0), 150 * DCS_SECOND);
    CHECK_INT(dcs_jobsched_progress(s, 0, 100 * DCS_SECOND), 75 * DCS_SECOND);
    CHECK(dcs_jobsched_set_speed(s, 100 * DCS_SECOND, 1.0));
    CHECK_INT(dcs_jobsched_finish_time(s, 0), 125 * DCS_SECOND);
    CHECK(!dcs_jobsched_set_speed(s, 100 * DCS_SECOND, 0.0));
    size_t fin[4];
    CHECK_INT(dcs_jobsched_complete(s, 125 * DCS_SECOND, fin, 4), 1);
    CHECK_INT(dcs_jobsched_get(s, 0)->end, 125 * DCS_SECOND);
    dcs_jobsched_free(s);
}

/* Hold: the held oldest job neither starts nor blocks a later one;
 * released, it starts when GPUs free up. */
static void hold(void)
{
    dcs_jobsched *s;
    CHECK_INT(dcs_jobsched_alloc(8, 4, &s), DCS_OK);
    dcs_job a = {.id = 0, .gpus = 8, .gpu_frac = 1.0, .work = 10 * DCS_SECOND,
                 .deadline = DCS_TIME_MAX};
    dcs_job b = a;
    b.id = 1;
    b.gpus = 4;
    CHECK_INT(dcs_jobsched_submit(s, &a), DCS_OK);
    CHECK_INT(dcs_jobsched_submit(s, &b), DCS_OK);
    CHECK(dcs_jobsched_hold(s, 0, true));
    CHECK(!dcs_jobsched_hold(s, 2, true));
    size_t st[4];
    CHECK_INT(dcs_jobsched_schedule(s, 0, st, 4), 1);
    CHECK_INT(st[0], 1);
    CHECK(dcs_jobsched_hold(s, 0, false));
    CHECK_INT(dcs_jobsched_schedule(s, 0, st, 4), 0);    /* 4 GPUs free, needs 8 */
    size_t fin[4];
    CHECK_INT(dcs_jobsched_complete(s, 10 * DCS_SECOND, fin, 4), 1);
    CHECK_INT(dcs_jobsched_schedule(s, 10 * DCS_SECOND, st, 4), 1);
    CHECK_INT(dcs_jobsched_get(s, 0)->first_start, 10 * DCS_SECOND);
    dcs_jobsched_free(s);
}

/* A site of one 8-GPU node and no replicas with one 8-GPU training job. */
static fixture *job_site(dcs_time work, dcs_time duration)
{
    fixture *f = fx_new(1, 1, 0, 1, 0.0, duration);
    f->work.nworkloads = 2;
    f->wl[1] = (dcs_work_wl){.name = "train", .kind = 1, .deferrable = true,
                             .job_gpu_util = 1.0};
    f->jobs[0] = (dcs_site_job){
        .job = {.id = 0, .gpus = 8, .gpu_frac = 1.0, .submit = 0, .work = work,
                .deadline = DCS_TIME_MAX, .checkpoint_every = 50 * DCS_SECOND,
                .preemptible = true},
        .workload = 1, .policy_slot = 0};
    f->cfg[0].jobs = f->jobs;
    f->cfg[0].njobs = 1;
    return f;
}

/* A power policy's cap on the cluster (here the cap at which the
 * accelerator's clock at full load would be 0.5: P(0.5) = idle + (max -
 * idle) 0.5^alpha, cap = P(0.5) / max, accel.h) applies to serving
 * replicas, not to job GPUs (site_work_ctl.c): the job still takes 1 h at
 * full power, 8 x max x 1 h / eta, and the series shows the cap.  Rack and
 * site limits do slow jobs (rack_limit_slows_job). */
static void policy_cap_spares_job(void)
{
    fixture *f = job_site(DCS_HOUR, 3 * DCS_HOUR);
    dcs_engine *e = fx_run(f, 1, 1);
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    CHECK_INT(r.njobs, 1);
    CHECK_INT(r.jobs[0].state, DCS_JOB_DONE);
    CHECK_INT(r.jobs[0].end - r.jobs[0].first_start, DCS_HOUR);
    double full_j = r.stats[1].energy_j;
    fx_release(e);

    const dcs_accel_params *g = &f->cl[0].node.gpu;
    double p_half = g->idle_w + (g->max_w - g->idle_w) * pow(0.5, g->dvfs_exponent);
    f->act.cap[0][0] = p_half / g->max_w;
    e = fx_run(f, 1, 1);
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    dcs_site_results sr;
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sr);
    CHECK_INT(r.jobs[0].state, DCS_JOB_DONE);
    double run_s = dcs_time_to_s(r.jobs[0].end - r.jobs[0].first_start);
    printf("job with policy cap %.3f: %.1f s (uncapped 3600 s)\n", f->act.cap[0][0], run_s);
    CHECK_NEAR(run_s, 3600.0, 1e-6);
    double eta = f->cl[0].node.psu_efficiency;
    CHECK_NEAR(r.stats[1].energy_j, full_j, 1e-9);
    CHECK_NEAR(full_j, 8 * g->max_w * 3600.0 / eta, 1e-6);
    /* The job's own energy: all of its GPUs' energy (no overheads here). */
    CHECK_NEAR(r.job_energy_j[0], 8 * g->max_w * 3600.0 / eta, 1e-9);
    CHECK_NEAR(r.gpu_busy_s, 8 * 3600.0, 1e-9);
    CHECK_NEAR(sr.rows[DCS_SITE_COL_power_cap], f->act.cap[0][0], 1e-12);
    fx_release(e);
    free(f);
}

/* A rack limit of 7 kW per node (4 nodes, 28 kW per rack) under the
 * node's 9.2 kW at full load: the site caps the GPUs so a fully busy node
 * stays within 7 kW (within the cap search's 1e-6), the job runs at that
 * cap's clock and takes 1 h / clock. */
static void rack_limit_slows_job(void)
{
    fixture *f = job_site(DCS_HOUR, 4 * DCS_HOUR);
    f->cl[0].rack_power_limit_w = 4 * 7000.0;
    dcs_engine *e = fx_run(f, 1, 1);
    dcs_site_work_results r;
    dcs_site_results sr;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 0), &r);
    dcs_site_results_of(dcs_engine_lp_state(e, 0), &sr);
    double cap = sr.rows[DCS_SITE_COL_power_cap];
    const dcs_accel_params *g = &f->cl[0].node.gpu;
    double clock = dcs_accel_clock_for_cap(g, 1.0, cap * g->max_w);
    double node_w = dcs_node_power_w(&f->cl[0].node, 1.0, clock, 1.0);
    printf("rack limit: cap %.4f, clock %.4f, node %.1f W, job %.1f s\n", cap, clock, node_w,
           dcs_time_to_s(r.jobs[0].end - r.jobs[0].first_start));
    CHECK(cap < 1.0);
    CHECK(node_w <= 7000.0 && node_w > 7000.0 * (1 - 1e-3));
    CHECK_INT(r.jobs[0].state, DCS_JOB_DONE);
    CHECK_NEAR(dcs_time_to_s(r.jobs[0].end - r.jobs[0].first_start), 3600.0 / clock, 1e-6);
    /* Its energy: 8 GPUs at P(1, clock) for 3600 / clock s through the PSU. */
    CHECK_NEAR(r.job_energy_j[0],
               8 * dcs_accel_power_w(g, 1.0, clock) * (3600.0 / clock) / f->cl[0].node.psu_efficiency,
               1e-6);
    fx_release(e);
    free(f);
}

/* A scripted controller: it answers telemetry k with the initial action,
 * except that job slot 0 is paused for the actions applied at
 * [pause_from, pause_to) periods. */
typedef struct ctl_cfg {
    dcs_control_bus *bus;
    dcs_time period;
    int64_t pause_from, pause_to;
} ctl_cfg;

typedef struct ctl_state {
    const ctl_cfg *cfg;
    int64_t seen;             /* telemetry events received */
} ctl_state;

static int ctl_init(dcs_lp *lp, void *state, const void *config)
{
    (void)lp;
    ((ctl_state *)state)->cfg = config;
    return 0;
}

static void ctl_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    ctl_state *cs = state;
    const ctl_cfg *c = cs->cfg;
    int64_t k = (int64_t)ev->p.u[0];
    cs->seen++;
    dcs_policy_action *a = &c->bus->action[k % DCS_CONTROL_RING];
    *a = c->bus->initial;
    a->run[0] = !(k + 1 >= c->pause_from && k + 1 < c->pause_to);
    dcs_event *out = dcs_lp_send(lp, c->bus->site_lp[0], c->period / 2, DCS_EV_ACTION);
    out->p.u[0] = (uint64_t)k;
}

static const dcs_lp_type ctl_type = {
    .name = "test_controller", .state_size = sizeof(ctl_state), .init = ctl_init,
    .handle = ctl_handle};

/* Pause at 3 P = 180 s, resume at 5 P = 300 s: progress 180 s keeps its
 * last checkpoint (150 s, every 50 s) and loses 30 s; the remaining 450 s
 * end at 750 s. */
static void pause_and_run(void)
{
    fixture *f = job_site(600 * DCS_SECOND, 1200 * DCS_SECOND);
    static dcs_site_telemetry tele[1][DCS_CONTROL_RING];
    uint32_t site_lp = 1;
    dcs_control_bus *bus = calloc(1, sizeof *bus);
    bus->nsites = 1;
    bus->controller_lp = 0;
    bus->site_lp = &site_lp;
    bus->tele = tele;
    bus->initial = f->act;
    f->cfg[0].bus = bus;
    ctl_cfg cc = {.bus = bus, .period = 60 * DCS_SECOND, .pause_from = 3, .pause_to = 5};
    dcs_engine_config ec = {.seed = 1, .threads = 1, .end_time = f->cfg[0].duration};
    dcs_engine *e = dcs_engine_new(&ec);
    CHECK_INT(dcs_engine_add_lp(e, &ctl_type, &cc), 0);
    CHECK_INT(dcs_engine_add_lp(e, &dcs_site_lp_type, &f->cfg[0]), 1);
    CHECK_INT(dcs_engine_channel(e, 0, 1, cc.period / 2), DCS_OK);
    CHECK_INT(dcs_engine_channel(e, 1, 0, cc.period / 2), DCS_OK);
    CHECK_INT(dcs_engine_run(e), DCS_OK);
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_engine_lp_state(e, 1), &r);
    const dcs_job_status *st = &r.jobs[0];
    CHECK_INT(st->state, DCS_JOB_DONE);
    CHECK_INT(st->preemptions, 1);
    CHECK_INT(st->lost, 30 * DCS_SECOND);
    CHECK_INT(st->end, 750 * DCS_SECOND);
    /* Energy only while running: [0, 180) and [300, 750) s, 630 s at full
     * power; the paused 120 s cost the job nothing. */
    const dcs_accel_params *g = &f->cl[0].node.gpu;
    CHECK_NEAR(r.job_energy_j[0], 8 * g->max_w * 630.0 / f->cl[0].node.psu_efficiency, 1e-9);
    /* Telemetry of periods 1..19 (sent at k P < 1200 s, received at
     * k P + 30 s); slot k % 4 holds the latest of them. */
    CHECK_INT(((ctl_state *)dcs_engine_lp_state(e, 0))->seen, 19);
    const dcs_site_telemetry *t = &tele[0][19 % DCS_CONTROL_RING];
    CHECK_INT(t->period, 19);
    CHECK_INT(t->njobs, 1);
    CHECK(t->job_done[0]);
    CHECK(t->it_power_w > 0 && t->facility_power_w > t->it_power_w);
    const dcs_site_telemetry *t2 = &tele[0][16 % DCS_CONTROL_RING];
    CHECK_INT(t2->period, 16);
    dcs_site_release(dcs_engine_lp_state(e, 1));
    dcs_engine_free(e);
    free(bus);
    free(f);
}

int main(void)
{
    RUN(speed);
    RUN(hold);
    RUN(policy_cap_spares_job);
    RUN(rack_limit_slows_job);
    RUN(pause_and_run);
    return TEST_END();
}
