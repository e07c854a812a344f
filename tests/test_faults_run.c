/*
 * test_faults_run.c - faults in whole runs (the yaml files in
 * fixtures/faults): a
 * utility loss ridden on UPS and generator, or gone dark when the
 * generator fails; a CDU pump; random node failures against their MTBF;
 * a site outage with and without failover; a network partition;
 * sovereignty under failover; a job restarting from its checkpoint after
 * an outage; 1 and 2 threads agree.
 */
#include <math.h>
#include <string.h>

#include "dcsim/control.h"
#include "dcsim/fault.h"
#include "dcsim/model.h"
#include "dcsim/scenario.h"
#include "dcsim/site.h"
#include "harness.h"
#include "run_util.h"

#include "../sim/model_internal.h"

static const double KWH = 3.6e6;

/* The site's series value of column col in the row at time t. */
static double series_at(const dcs_model *m, size_t site, size_t col, dcs_time t)
{
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, site), &r);
    for (size_t k = 0; k < r.nrows; k++)
        if (r.times[k] == t)
            return r.rows[k * DCS_SITE_NCOLS + col];
    return NAN;
}

/* utility.yaml: the feed is lost at 2 h for 1 h at a constant load P (the
 * facility power of the 2:00 step, the series row at 2:00).
 *   UPS:        P x 10 s                      (generator start, NFPA 110)
 *   generator:  the rest of the hour's facility energy, 3590 s of it
 *   fuel:       generator kWh x 0.27 l/kWh;   CO2: fuel x 2.697 kg/l
 *   carbon:     0.36 kg/kWh x (facility - UPS - generator) kWh, exactly,
 *               since only the grid's energy carries grid carbon. */
static void utility_loss_generator(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/faults/utility.yaml", &s, 1);
    if (!m)
        return;
    double p = series_at(m, 0, DCS_SITE_COL_facility_power_w, 120 * 60 * DCS_SECOND);
    CHECK(p > 0);
    CHECK_NEAR(dcs_model_metric(m, "ups_kwh"), p * 10 / KWH, 1e-9);
    double gen = dcs_model_metric(m, "generator_kwh");
    CHECK(gen > 0.99 * p * 3590 / KWH && gen < 1.01 * p * 3590 / KWH);
    const dcs_backup_params *b = &m->sites[0].cfg.backup;
    CHECK_NEAR(dcs_model_metric(m, "generator_fuel_l"), gen * 0.27, 1e-9);
    CHECK_NEAR(dcs_model_metric(m, "generator_co2_kg"), gen * 0.27 * b->co2_kg_per_l, 1e-9);
    double fac = dcs_model_metric(m, "energy_facility_kwh");
    CHECK_NEAR(dcs_model_metric(m, "carbon_kg"),
               0.36 * (fac - gen - dcs_model_metric(m, "ups_kwh")), 1e-9);
    CHECK_NEAR(dcs_model_metric(m, "fault_dark_h"), 0, 0);
    const dcs_event_log_row *log;
    size_t nlog;
    dcs_site_fault_log_of(dcs_model_site_state(m, 0), &log, &nlog);
    CHECK_INT(nlog, 1);
    if (nlog == 1) {
        CHECK_STR(log[0].kind, "generator_on");
        CHECK_INT(log[0].time, 7210 * DCS_SECOND);
    }
    /* The series shows the generator carrying the site, then not. */
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_generator_power_w, 150 * 60 * DCS_SECOND),
               series_at(m, 0, DCS_SITE_COL_facility_power_w, 150 * 60 * DCS_SECOND), 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_generator_power_w, 190 * 60 * DCS_SECOND), 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* The generator fails: the UPS holds E = design IT power x 300 s; at the
 * load P it runs t = E / P, then the site is dark for 3600 s - t.  The
 * UPS delivers all of E.  No diesel is burnt. */
static void utility_loss_dark(void)
{
    const char *set[] = {"faults[0].generator_fails=true"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set("fixtures/faults/utility.yaml", set, 1, &s, 1);
    if (!m)
        return;
    double p = series_at(m, 0, DCS_SITE_COL_facility_power_w, 120 * 60 * DCS_SECOND);
    double e = m->sites[0].cfg.backup.ups_energy_j;
    double t = e / p;
    CHECK(t > 10 && t < 3600);
    CHECK_NEAR(dcs_model_metric(m, "fault_dark_h"), (3600 - t) / 3600, 1e-6);
    CHECK_NEAR(dcs_model_metric(m, "ups_kwh"), e / KWH, 1e-6);
    CHECK_NEAR(dcs_model_metric(m, "generator_fuel_l"), 0, 0);
    /* The site logs the moment the UPS ran out. */
    const dcs_event_log_row *log;
    size_t nlog;
    dcs_site_fault_log_of(dcs_model_site_state(m, 0), &log, &nlog);
    CHECK_INT(nlog, 1);
    if (nlog == 1) {
        CHECK_STR(log[0].kind, "backup_exhausted");
        CHECK_NEAR(dcs_time_to_s(log[0].time), 7200 + t, 1e-9);
    }
    /* Dark: no power, and availability 0 in the series at 2:30. */
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_facility_power_w, 150 * 60 * DCS_SECOND), 0, 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_available, 150 * 60 * DCS_SECOND), 0, 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_available, 190 * 60 * DCS_SECOND), 1, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* Random utility losses (MTBF 10 h, MTTR 1 h, a year: about 8760 / 11 =
 * 796) whose generator fails to start with chance 0.5: the share of
 * windows marked failing is 0.5 within 4 sd (sqrt(0.25 / 796) = 0.018);
 * every failed start leaves the site dark, so dark time is positive. */
static void generator_fail_prob(void)
{
    const char *set[] = {"duration=365d", "sample_period=1d",
                         "faults=[{site: hall, kind: utility_loss, mtbf: 10 h, mttr: 1 h, "
                         "generator_fail_prob: 0.5}]"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set("fixtures/faults/utility.yaml", set, 3, &s, 1);
    if (!m)
        return;
    const dcs_fault_list *l = &m->sites[0].faults;
    size_t fails = 0;
    for (size_t i = 0; i < l->n; i++)
        fails += l->w[i].generator_fails;
    CHECK(fabs((double)l->n - 796) < 4 * sqrt(796.0));
    CHECK(l->n > 0 && fabs((double)fails / (double)l->n - 0.5) < 4 * 0.018);
    CHECK(dcs_model_metric(m, "fault_dark_h") > 0);
    CHECK(dcs_model_metric(m, "generator_kwh") > 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* A CDU pump lost at 2 h for 1 h with the default share 0.25 (one CDU of
 * four): a quarter of the 80 GPUs is out, so the IT power of the 2:00
 * step is 0.75 of what the same step draws without the fault, and the
 * GPU time out is 80 x 0.25 x 1 h = 20 GPU-hours. */
static void cdu_pump(void)
{
    const char *set[] = {"faults=[{at: 2 h, site: hall, kind: cdu_pump, duration: 1 h}]"};
    const char *none[] = {"faults=[]"};
    dcs_scenario *s, *s0;
    dcs_model *m = load_and_run_set("fixtures/faults/utility.yaml", set, 1, &s, 1);
    dcs_model *m0 = load_and_run_set("fixtures/faults/utility.yaml", none, 1, &s0, 1);
    if (m && m0) {
        dcs_time t = 150 * 60 * DCS_SECOND;
        CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_it_power_w, t),
                   0.75 * series_at(m0, 0, DCS_SITE_COL_it_power_w, t), 1e-12);
        CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_available, t), 0.75, 1e-15);
        CHECK_NEAR(dcs_model_metric(m, "fault_gpu_out_h"), 20, 1e-12);
    }
    dcs_model_free(m);
    dcs_model_free(m0);
    dcs_scenario_free(s);
    dcs_scenario_free(s0);
}

/* nodes.yaml: 100 nodes, MTBF 1000 h, fixed repair 24 h, one year.  Each
 * node's failures form a renewal process of cycle 1024 h (about), so the
 * count is about 100 x 8760 / 1024 = 855.5 with sd about
 * sqrt(100 x 8760 x 1000^2 / 1024^3) = 28.6: within 4 sd, 115.  GPU
 * time out of service: 24 h per failure x 8 GPUs (one node each), exact
 * for the windows inside the year, so it equals the windows' sum. */
static void node_failures(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/faults/nodes.yaml", &s, 1);
    if (!m)
        return;
    const dcs_fault_list *l = &m->sites[0].faults;
    CHECK(fabs((double)l->n - 855.5) < 115);
    double gpu_h = 0;
    dcs_time end = s->duration;
    for (size_t i = 0; i < l->n; i++) {
        CHECK_NEAR(l->w[i].fraction, 8.0 / 800.0, 1e-15);
        dcs_time e = l->w[i].end < end ? l->w[i].end : end;
        gpu_h += 8 * dcs_time_to_s(e - l->w[i].at) / 3600;
    }
    CHECK_NEAR(dcs_model_metric(m, "fault_gpu_out_h"), gpu_h, 1e-9);
    /* IT energy falls by the share out: about 2.3 % of a 50 % load. */
    double share = gpu_h / (800 * 8760);
    CHECK(share > 0.018 && share < 0.029);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

static const dcs_wl_stats *site_stats(const dcs_model *m, size_t site, int w)
{
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_model_site_state(m, site), &r);
    return w < r.nworkloads ? &r.stats[w] : NULL;
}

/* serving.yaml, failover off: `near` is dark from 30 to 60 min and every
 * request sent there in that half hour is lost: chat 3/s + code 5/s over
 * 1800 s = 14,400 expected (Poisson sd 120).  The loss lasts exactly the
 * outage: 30 control periods of 60 s with losses, 0.5 h; no request is
 * served at near in between (its series shows 0 requests/s and 0 power). */
static void outage_no_failover(void)
{
    const char *set[] = {"faults[0].failover=false"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set("fixtures/faults/serving.yaml", set, 1, &s, 1);
    if (!m)
        return;
    double lost = dcs_model_metric(m, "fault_dropped_requests");
    CHECK(fabs(lost - 14400) < 5 * 120);
    CHECK_NEAR(dcs_model_metric(m, "fault_impact_h"), 0.5, 1e-12);
    CHECK_NEAR(dcs_model_metric(m, "fault_dark_h"), 0.5, 1e-12);
    for (int min = 32; min < 60; min += 5) {
        dcs_time t = min * 60 * DCS_SECOND;
        CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_requests_per_s, t), 0, 0);
        CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_facility_power_w, t), 0, 0);
    }
    CHECK(series_at(m, 0, DCS_SITE_COL_requests_per_s, 62 * 60 * DCS_SECOND) > 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* Failover on: the outage starts at the 30 min report, the controller
 * decides at 30.5 min, and the sites apply it at 31 min, so about 60 s of
 * traffic is lost: 8/s x 60 s = 480 (sd 22), in one control period.  Chat
 * moves to far (allowed) and code to guarded; far and guarded serve it
 * without refusing any (they have room). */
static void outage_failover(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/faults/serving.yaml", &s, 1);
    if (!m)
        return;
    double lost = dcs_model_metric(m, "fault_dropped_requests");
    CHECK(fabs(lost - 480) < 5 * 22);
    CHECK_NEAR(dcs_model_metric(m, "fault_impact_h"), 1.0 / 60, 1e-12);
    const dcs_wl_stats *chat_far = site_stats(m, 1, 0), *code_guarded = site_stats(m, 2, 1);
    CHECK(chat_far && chat_far->requests > 0.8 * 3 * 1800);
    CHECK(code_guarded && code_guarded->requests > 0.8 * 5 * 1800);
    CHECK(chat_far && chat_far->dropped == 0);
    CHECK(code_guarded && code_guarded->dropped == 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* No decision ever gives chat a share at guarded or code one at far (the
 * controller's log of split changes). */
static bool sovereign(const dcs_model *m)
{
    dcs_controller_results cr;
    dcs_controller_results_of(dcs_engine_lp_state(m->engine, m->work.ctrl_lp), &cr);
    bool ok = cr.nrows > 0;
    for (size_t i = 0; i < cr.nrows; i++) {
        const dcs_event_log_row *r = &cr.rows[i];
        if (strcmp(r->kind, "split") != 0 || !(r->value > 0))
            continue;
        ok &= !(r->workload == 0 && r->site == 2) && !(r->workload == 1 && r->site == 1);
    }
    return ok;
}

/* A partition of the region from near for 30 min: the same traffic moves
 * as for an outage (near cannot be reached), within sovereignty; near
 * stays powered (not dark) and loses about one period of traffic. */
static void partition(void)
{
    const char *set[] = {"faults=[{at: 30 min, site: near, kind: network_partition, "
                         "users: here, duration: 30 min}]"};
    dcs_scenario *s;
    dcs_model *m = load_and_run_set("fixtures/faults/serving.yaml", set, 1, &s, 1);
    if (!m)
        return;
    CHECK(sovereign(m));
    CHECK_NEAR(dcs_model_metric(m, "fault_dark_h"), 0, 0);
    double lost = dcs_model_metric(m, "fault_dropped_requests");
    CHECK(fabs(lost - 480) < 5 * 22);
    CHECK(series_at(m, 0, DCS_SITE_COL_facility_power_w, 45 * 60 * DCS_SECOND) > 0);
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_requests_per_s, 45 * 60 * DCS_SECOND), 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
    m = load_and_run("fixtures/faults/serving.yaml", &s, 1);
    if (m)
        CHECK(sovereign(m));
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* Half of near's GPUs fail from 30 to 60 min: ceil(0.5 x 2) = 1 of its 2
 * chat and 1 of its 2 code replicas leave service and sleep; the other
 * two hold the traffic (8/s, far below their capacity), so nothing is
 * lost, near keeps serving and draws less IT power than with all four
 * replicas up (the same run without the fault). */
static void node_failure_serving(void)
{
    const char *set[] = {"faults=[{at: 30 min, site: near, kind: node_failure, fraction: 0.5, "
                         "duration: 30 min}]"};
    const char *none[] = {"faults=[]"};
    dcs_scenario *s, *s0;
    dcs_model *m = load_and_run_set("fixtures/faults/serving.yaml", set, 1, &s, 1);
    dcs_model *m0 = load_and_run_set("fixtures/faults/serving.yaml", none, 1, &s0, 1);
    if (m && m0) {
        dcs_time t = 40 * 60 * DCS_SECOND;
        CHECK_NEAR(dcs_model_metric(m, "fault_dropped_requests"), 0, 0);
        CHECK_NEAR(dcs_model_metric(m, "fault_gpu_out_h"), 0.5 * 32 * 0.5, 1e-12);
        CHECK(series_at(m, 0, DCS_SITE_COL_requests_per_s, t) > 6);
        CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_available, t), 0.5, 0);
        CHECK(series_at(m, 0, DCS_SITE_COL_it_power_w, t) <
              0.9 * series_at(m0, 0, DCS_SITE_COL_it_power_w, t));
    }
    dcs_model_free(m);
    dcs_model_free(m0);
    dcs_scenario_free(s);
    dcs_scenario_free(s0);
}

/* jobs.yaml: 2 h of training from t = 0, checkpoints every 30 min, the
 * site dark from 70 to 100 min.  At 70 min the job has done 70 min and
 * saved 60: it loses 10 min, waits in the dark, restarts at 100 min,
 * restores for 5 min and runs the remaining 60 min: it ends at
 * 100 + 5 + 60 = 165 min = 9900 s (45 min later than without the fault),
 * after one preemption. */
static void job_checkpoint(void)
{
    dcs_scenario *s;
    dcs_model *m = load_and_run("fixtures/faults/jobs.yaml", &s, 1);
    if (!m)
        return;
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_model_site_state(m, 0), &r);
    CHECK_INT(r.njobs, 1);
    if (r.njobs == 1) {
        CHECK_INT(r.jobs[0].state, DCS_JOB_DONE);
        CHECK_INT(r.jobs[0].end, 9900 * DCS_SECOND);
        CHECK_INT(r.jobs[0].preemptions, 1);
        CHECK_INT(r.jobs[0].lost, 10 * 60 * DCS_SECOND);
    }
    /* Dark: no IT power while the job waits. */
    CHECK_NEAR(series_at(m, 0, DCS_SITE_COL_it_power_w, 90 * 60 * DCS_SECOND), 0, 0);
    dcs_model_free(m);
    dcs_scenario_free(s);
}

/* The outage run and the random node failures on 1 and 2 threads:
 * identical metrics and series, bit for bit. */
static void threads_agree_one(const char *path)
{
    dcs_scenario *s1, *s2;
    dcs_model *m1 = load_and_run(path, &s1, 1);
    dcs_model *m2 = load_and_run(path, &s2, 2);
    if (m1 && m2) {
        const char *names[] = {"energy_facility_kwh", "carbon_kg", "fault_dropped_requests",
                               "fault_gpu_out_h", "fault_impact_h"};
        for (size_t k = 0; k < sizeof names / sizeof *names; k++)
            CHECK(dcs_model_metric(m1, names[k]) == dcs_model_metric(m2, names[k]) ||
                  (isnan(dcs_model_metric(m1, names[k])) &&
                   isnan(dcs_model_metric(m2, names[k]))));
        for (size_t i = 0; i < m1->nsites; i++) {
            dcs_site_results a, b;
            dcs_site_results_of(dcs_model_site_state(m1, i), &a);
            dcs_site_results_of(dcs_model_site_state(m2, i), &b);
            CHECK_INT(a.nrows, b.nrows);
            if (a.nrows == b.nrows) {
                bool same = true;
                for (size_t k = 0; k < a.nrows * DCS_SITE_NCOLS; k++)
                    same &= a.rows[k] == b.rows[k] || (isnan(a.rows[k]) && isnan(b.rows[k]));
                CHECK(same);
            }
        }
    }
    dcs_model_free(m1);
    dcs_model_free(m2);
    dcs_scenario_free(s1);
    dcs_scenario_free(s2);
}

static void threads_agree(void)
{
    threads_agree_one("fixtures/faults/serving.yaml");
    threads_agree_one("fixtures/faults/nodes.yaml");
}

int main(void)
{
    RUN(utility_loss_generator);
    RUN(utility_loss_dark);
    RUN(cdu_pump);
    RUN(generator_fail_prob);
    RUN(node_failures);
    RUN(outage_no_failover);
    RUN(outage_failover);
    RUN(partition);
    RUN(node_failure_serving);
    RUN(job_checkpoint);
    RUN(threads_agree);
    return TEST_END();
}
