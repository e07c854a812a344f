/*
 * bench_work.c - the workload benchmarks of issue 6:
 *
 *   dcsim bench serving [--scenario PATH] [--duration D] [-j N]
 *       the detailed mode on request-level traffic (default
 *       scenarios/bench/serving-4site.yaml: four sites, chat and code
 *       workloads like scenarios/serving.yaml), run with 1 thread and with
 *       N threads (default 2) in one invocation:
 *         serving_requests          requests simulated (completed + dropped)
 *         serving_events            engine events of the run
 *         serving_req_per_s_1t      requests per wall second, 1 thread
 *                                   (target >= 2e6 per core)
 *         serving_req_per_s_nt      the same with N threads
 *         serving_speedup           wall(1) / wall(N)  (target >= 1.7 on 2)
 *         serving_results_equal     1 when both runs gave identical summary
 *                                   metrics (determinism across threads)
 *
 *   dcsim bench fleet-year [--scenario PATH] [--duration D]
 *       the fluid mode over a year (default scenarios/bench/fleet-year.yaml:
 *       three sites, 24,000 GPUs, hourly climate and grid) on one thread:
 *         fleet_year_wall_s         wall time of the run (target < 5 s)
 *         fleet_year_sim_days       simulated days
 *         fleet_year_events         engine events
 * Wall times cover build and run (loading signals included), not the trace.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/bench.h"
#include "dcsim/cli.h"
#include "dcsim/model.h"
#include "dcsim/scenario.h"
#include "dcsim/units.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef DCSIM_SOURCE_DIR
#define DCSIM_SOURCE_DIR "."
#endif

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Metrics compared across thread counts. */
static const char *const checked[] = {
    "energy_it_kwh", "energy_facility_kwh", "carbon_kg", "requests", "requests_dropped",
    "sla_violation_pct", "ttft_p99_ms", "e2e_p99_ms", "tokens_per_joule", NULL};

typedef struct run_out {
    double wall_s;
    uint64_t events;
    double metric[16];
} run_out;

/* Load, build and run the scenario once; false (after a message) on failure. */
static bool run_once(const char *path, const char *duration, int threads, run_out *out)
{
    char set[128];
    const char *sets[1] = {set};
    snprintf(set, sizeof set, "duration=%s", duration);
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    bool ok = false;
    double t0 = wall_s();
    if (dcs_scenario_load(path, sets, duration ? 1 : 0, d, &s) == DCS_OK &&
        dcs_model_build(s, path, (uint64_t)s->seed, threads, d, &m) == DCS_OK &&
        dcs_model_run(m, NULL) == DCS_OK) {
        out->wall_s = wall_s() - t0;
        out->events = dcs_model_events(m);
        for (int k = 0; checked[k]; k++)
            out->metric[k] = dcs_model_metric(m, checked[k]);
        ok = true;
    }
    if (!ok)
        dcs_diag_print(d, stderr);
    dcs_model_free(m);
    dcs_scenario_free(s);
    dcs_diag_free(d);
    return ok;
}

static bool same(const run_out *a, const run_out *b)
{
    for (int k = 0; checked[k]; k++)
        if (memcmp(&a->metric[k], &b->metric[k], sizeof(double)) != 0)
            return false;
    return a->events == b->events;
}

typedef struct bench_opts {
    const char *scenario, *duration;
    int jobs;
} bench_opts;

static int parse(int argc, char **argv, bench_opts *o, const char *usage)
{
    static const struct option longs[] = {
        {"scenario", required_argument, NULL, 's'},
        {"duration", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "j:h", longs, NULL)) != -1) {
        switch (c) {
        case 's': o->scenario = optarg; break;
        case 'd': o->duration = optarg; break;
        case 'j': o->jobs = atoi(optarg); break;
        case 'h': fputs(usage, stdout); return DCS_EXIT_OK + 100;
        default: fputs(usage, stderr); return DCS_EXIT_USAGE;
        }
    }
    if (optind != argc || o->jobs < 1) {
        fputs(usage, stderr);
        return DCS_EXIT_USAGE;
    }
    return -1;
}

int dcs_bench_serving(int argc, char **argv)
{
    bench_opts o = {DCSIM_SOURCE_DIR "/scenarios/bench/serving-4site.yaml", "2h", 2};
    int rc = parse(argc, argv, &o,
                   "usage: dcsim bench serving [--scenario PATH] [--duration D] [-j N]\n"
                   "Run a detailed-mode serving scenario (default four sites, 2 h) with 1\n"
                   "thread and N threads (default 2): requests per wall second, speedup.\n");
    if (rc >= 0)
        return rc == DCS_EXIT_OK + 100 ? DCS_EXIT_OK : rc;
    run_out one, many;
    if (!run_once(o.scenario, o.duration, 1, &one) || !run_once(o.scenario, o.duration, o.jobs, &many))
        return DCS_EXIT_FAIL;
    double req = one.metric[3] + one.metric[4];
    printf("serving_requests %.0f 1\n", req);
    printf("serving_events %llu 1\n", (unsigned long long)one.events);
    printf("serving_req_per_s_1t %.4g 1/s\n", req / one.wall_s);
    printf("serving_req_per_s_nt %.4g 1/s\n", req / many.wall_s);
    printf("serving_threads %d 1\n", o.jobs);
    printf("serving_speedup %.3f 1\n", one.wall_s / many.wall_s);
    bool equal = same(&one, &many);
    printf("serving_results_equal %d 1\n", equal);
    return equal ? DCS_EXIT_OK : DCS_EXIT_FAIL;
}

int dcs_bench_fleet_year(int argc, char **argv)
{
    bench_opts o = {DCSIM_SOURCE_DIR "/scenarios/bench/fleet-year.yaml", "365d", 1};
    int rc = parse(argc, argv, &o,
                   "usage: dcsim bench fleet-year [--scenario PATH] [--duration D]\n"
                   "Run a fluid-mode fleet (default three sites, 24,000 GPUs) for a year on\n"
                   "one thread: wall time.\n");
    if (rc >= 0)
        return rc == DCS_EXIT_OK + 100 ? DCS_EXIT_OK : rc;
    run_out r;
    if (!run_once(o.scenario, o.duration, 1, &r))
        return DCS_EXIT_FAIL;
    dcs_time dur = 0;
    char msg[128];
    if (!dcs_unit_parse_duration(o.duration, &dur, msg, sizeof msg))
        dur = 0;
    printf("fleet_year_wall_s %.3f s\n", r.wall_s);
    printf("fleet_year_sim_days %.1f d\n", dcs_time_to_s(dur) / 86400.0);
    printf("fleet_year_events %llu 1\n", (unsigned long long)r.events);
    printf("fleet_year_energy_facility_kwh %.6g kWh\n", r.metric[1]);
    return DCS_EXIT_OK;
}
