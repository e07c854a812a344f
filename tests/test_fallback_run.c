/*
 * test_fallback_run.c - the fallback model in whole runs
 * (models/site/site_work_fallback.c, docs/fallback.md) on
 * fixtures/fallback/nodes.yaml: 4 replicas of Llama-3.1-70B on 4 H100 each,
 * Llama-3.1-8B as fallback, 12 req/s, half of the GPUs out of service from
 * 20 to 40 min (the site is degraded then: policy.degrade's default `when`
 * holds a node failure).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dcsim/model.h"
#include "dcsim/scenario.h"
#include "dcsim/site.h"
#include "harness.h"
#include "run_util.h"

#include "../sim/model_internal.h"

#define PATH "fixtures/fallback/nodes.yaml"

static dcs_model *run(const char *fidelity, bool fallback, int threads, dcs_scenario **s)
{
    char fid[64], fb[64];
    snprintf(fid, sizeof fid, "fidelity=%s", fidelity);
    snprintf(fb, sizeof fb, "policy.degrade.fallback=%s", fallback ? "true" : "false");
    const char *sets[] = {fid, fb};
    return load_and_run_set(PATH, sets, 2, s, threads);
}

/* Completions the series counts in (from, to]: each row holds the
 * completions of the control period (60 s) before it, per second. */
static double completions(const dcs_model *m, dcs_time from, dcs_time to)
{
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, 0), &r);
    double n = 0;
    for (size_t k = 0; k < r.nrows; k++)
        if (r.times[k] > from && r.times[k] <= to)
            n += r.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_requests_per_s] * 60.0;
    return n;
}

/* Two 70B replicas get the traffic of four while the nodes are out: at
 * 12 req/s their batches of 32 fill and requests wait past the SLO.  On
 * the 8B model the same GPUs read 16 GB of weights per iteration instead
 * of 141 GB (tests/test_fallback.c: 7.5 times shorter iterations), so the
 * two serve it, after the 20 s reload.  Checks: violations fall to under
 * a third; the fallback served what was completed while switched (the
 * series' completions over (20, 40] min, within the drains at either end:
 * a few seconds of traffic, at most 10 s x 12 req/s = 120 requests); the
 * 8B iterations cost less energy; nothing happens without the switch. */
static void node_failure(void)
{
    dcs_scenario *s0 = NULL, *s1 = NULL;
    dcs_model *off = run("detailed", false, 1, &s0);
    dcs_model *on = run("detailed", true, 1, &s1);
    if (off && on) {
        double v_off = dcs_model_metric(off, "sla_violation_pct");
        double v_on = dcs_model_metric(on, "sla_violation_pct");
        fprintf(stderr, "violations %.2f %% without, %.2f %% with the fallback\n", v_off, v_on);
        CHECK(v_off > 5.0);
        CHECK(v_on < v_off / 3);
        CHECK_NEAR(dcs_model_metric(off, "fallback_requests"), 0, 0);
        double fb = dcs_model_metric(on, "fallback_requests");
        double window = completions(on, 20 * DCS_MINUTE, 40 * DCS_MINUTE);
        fprintf(stderr, "fallback_requests %.0f, completed in the window %.0f\n", fb, window);
        CHECK(fb > 0);
        CHECK_ABS(fb, window, 120);
        /* The same requests arrive (the same arrival stream): every one is
         * served either way. */
        CHECK_ABS(dcs_model_metric(on, "requests"), dcs_model_metric(off, "requests"), 10);
        CHECK_NEAR(dcs_model_metric(on, "degraded_h"), 1.0 / 3.0, 1e-12);
        double e_off = dcs_model_metric(off, "energy_it_kwh");
        double e_on = dcs_model_metric(on, "energy_it_kwh");
        fprintf(stderr, "IT energy %.3f kWh without, %.3f kWh with\n", e_off, e_on);
        CHECK(e_on < e_off);
    }
    dcs_model_free(off);
    dcs_model_free(on);
    dcs_scenario_free(s0);
    dcs_scenario_free(s1);
}

/* 1 and 2 threads give the same run. */
static void threads(void)
{
    dcs_scenario *s1 = NULL, *s2 = NULL;
    dcs_model *a = run("detailed", true, 1, &s1);
    dcs_model *b = run("detailed", true, 2, &s2);
    if (a && b) {
        static const char *const names[] = {"fallback_requests", "requests", "sla_violation_pct",
                                            "e2e_p99_ms", "energy_it_kwh"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            CHECK_NEAR(dcs_model_metric(a, names[i]), dcs_model_metric(b, names[i]), 0);
    }
    dcs_model_free(a);
    dcs_model_free(b);
    dcs_scenario_free(s1);
    dcs_scenario_free(s2);
}

/* Detailed and fluid agree on what the fallback serves and what it saves:
 * the fluid mode serves 12 req/s x 1200 s = 14400 requests with the 8B
 * model (it switches at the period boundary, without the reload gap; the
 * detailed mode's reload holds requests that the fallback then serves),
 * and the 8B iterations' energy saving agrees within 15 % (the two modes'
 * energies agree within a few per cent, tests/test_fluid_agreement.c). */
static void fluid_agrees(void)
{
    dcs_scenario *s[4] = {NULL};
    dcs_model *d_on = run("detailed", true, 1, &s[0]);
    dcs_model *f_on = run("fluid", true, 1, &s[1]);
    dcs_model *d_off = run("detailed", false, 1, &s[2]);
    dcs_model *f_off = run("fluid", false, 1, &s[3]);
    if (d_on && f_on && d_off && f_off) {
        double fd = dcs_model_metric(d_on, "fallback_requests");
        double ff = dcs_model_metric(f_on, "fallback_requests");
        fprintf(stderr, "fallback_requests detailed %.0f fluid %.0f\n", fd, ff);
        CHECK_NEAR(ff, 14400, 1e-12);
        CHECK_NEAR(fd, ff, 0.02);
        double sd = dcs_model_metric(d_off, "energy_it_kwh") - dcs_model_metric(d_on, "energy_it_kwh");
        double sf = dcs_model_metric(f_off, "energy_it_kwh") - dcs_model_metric(f_on, "energy_it_kwh");
        fprintf(stderr, "energy saved detailed %.3f fluid %.3f kWh\n", sd, sf);
        CHECK(sd > 0 && sf > 0);
        CHECK_NEAR(sf, sd, 0.15);
        CHECK_NEAR(dcs_model_metric(f_off, "fallback_requests"), 0, 0);
    }
    dcs_model_free(d_on);
    dcs_model_free(f_on);
    dcs_model_free(d_off);
    dcs_model_free(f_off);
    for (int i = 0; i < 4; i++)
        dcs_scenario_free(s[i]);
}

/* Per-workload summary metric of a run (the site's share: one site). */
static double wl_metric(const dcs_model *m, int w, const char *name)
{
    dcs_site_work_results r;
    dcs_site_work_results_of(dcs_model_site_state(m, 0), &r);
    if (w >= r.nworkloads)
        return NAN;
    const dcs_wl_stats *st = &r.stats[w];
    if (strcmp(name, "fallback") == 0)
        return (double)st->fallback;
    if (strcmp(name, "requests") == 0)
        return (double)st->requests;
    return (double)st->violations;
}

/* scenarios/degradation.yaml (a chiller trip on a hot Phoenix afternoon,
 * 2 h to 2 h 45 of a 3 h run here) with Llama-3.1-8B as both workloads'
 * fallback: while the loop heats and throttles the GPUs, the 70B paid
 * chat breaks its SLO for a quarter of its requests; on the 8B model it
 * keeps it.  Each workload's fallback requests are its arrivals while
 * degraded, 12 req/s x degraded_h x 3600 s, within Poisson noise (3
 * sigma of ~40000 is 1.5 %) and the drains at either end. */
static void chiller_trip(void)
{
    const char *base[] = {"duration=3 h"};
    const char *fb[] = {"duration=3 h", "workloads[0].fallback_model=Llama-3.1-8B",
                        "workloads[1].fallback_model=Llama-3.1-8B"};
    dcs_scenario *s0 = NULL, *s1 = NULL;
    dcs_model *off = load_and_run_set("../scenarios/degradation.yaml", base, 1, &s0, 1);
    dcs_model *on = load_and_run_set("../scenarios/degradation.yaml", fb, 3, &s1, 1);
    if (off && on) {
        double v_off = wl_metric(off, 0, "violations") / wl_metric(off, 0, "requests");
        double v_on = wl_metric(on, 0, "violations") / wl_metric(on, 0, "requests");
        fprintf(stderr, "chat violations %.2f %% without, %.2f %% with the fallback\n",
                100 * v_off, 100 * v_on);
        CHECK(v_off > 0.05);
        CHECK(v_on < v_off / 10);
        double deg_s = dcs_model_metric(on, "degraded_h") * 3600;
        CHECK(deg_s > 0);
        for (int w = 0; w < 2; w++) {
            double f = wl_metric(on, w, "fallback");
            fprintf(stderr, "workload %d: fallback_requests %.0f, 12/s x %.0f s = %.0f\n", w,
                    f, deg_s, 12 * deg_s);
            CHECK_NEAR(f, 12 * deg_s, 0.02);
        }
        CHECK_NEAR(wl_metric(off, 0, "fallback"), 0, 0);
        /* The 8B iterations make less heat: the loop throttles no longer than
         * without them, and the IT energy falls. */
        CHECK(dcs_model_metric(on, "throttled_h") <= dcs_model_metric(off, "throttled_h"));
        CHECK(dcs_model_metric(on, "energy_it_kwh") < dcs_model_metric(off, "energy_it_kwh"));
    }
    dcs_model_free(off);
    dcs_model_free(on);
    dcs_scenario_free(s0);
    dcs_scenario_free(s1);
}

int main(void)
{
    (void)load_and_run;           /* run_util.h's other entry, not needed here */
    RUN(node_failure);
    RUN(threads);
    RUN(fluid_agrees);
    RUN(chiller_trip);
    return TEST_END();
}
