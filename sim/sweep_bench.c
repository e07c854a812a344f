/*
 * sweep_bench.c - `dcsim bench sweep [--runs N] [-j N] [--scenario PATH]
 * [--duration D]`: the same N runs (seeds of one scenario) swept with -j 1
 * and with -j N, into two fresh temporary folders.
 *
 * Prints `key value unit` lines:
 *   sweep_runs_per_s    runs / wall time of the -j N sweep
 *   sweep_speedup       wall(-j 1) / wall(-j N)           (issue 9 target 1.9
 *                                                          on 2 cores)
 *   sweep_overhead_pct  100 * (wall(-j 1) - sum of the runs' child
 *                       process lifetimes) / that sum     (target < 2 %):
 *                       the sweep machinery itself (resume check, fork,
 *                       waiting, bookkeeping)
 *   sweep_overhead_trace_pct  the same against the wall_seconds each run
 *                       writes into its trace (load to written, so it also
 *                       counts the trace's final flush and close, and the
 *                       process exit, as overhead)
 * The index is not written (it is built once per sweep, after the runs).
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/bench.h"
#include "dcsim/cli.h"
#include "dcsim/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void help(FILE *out)
{
    fprintf(out, "usage: dcsim bench sweep [--runs N] [-j N] [--scenario PATH] [--duration D]\n"
                 "Sweep N seeds (default 8) of a scenario (default scenarios/cooling.yaml,\n"
                 "--set duration=D, default 60d) with -j 1 and -j N (default 2).\n");
}

/* Empty and remove a folder this benchmark made (files only, no subfolders). */
static void remove_tree(const char *dir)
{
    DIR *dh = opendir(dir);
    if (dh) {
        struct dirent *de;
        char path[4096];
        while ((de = readdir(dh)))
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                unlink(path);
            }
        closedir(dh);
    }
    rmdir(dir);
}

static bool one_sweep(const dcs_sweep_plan *p, const char *dir, int jobs, dcs_sweep_result *res)
{
    dcs_sweep_opts o = {jobs, 1, 0, 1, NULL, false, NULL};
    char msg[1024];
    if (dcs_sweep_execute(p, dir, &o, res, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim bench sweep: %s\n", msg);
        return false;
    }
    if (res->failed) {
        fprintf(stderr, "dcsim bench sweep: %zu runs failed (logs in %s)\n", res->failed, dir);
        return false;
    }
    return true;
}

int dcs_bench_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"runs", required_argument, NULL, 'r'},     {"jobs", required_argument, NULL, 'j'},
        {"scenario", required_argument, NULL, 's'}, {"duration", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    long runs = 8, jobs = 2;
    const char *scenario = "scenarios/cooling.yaml", *duration = "60d";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'r':
        case 'j': {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || *end || v < 1 || v > 4096) {
                fprintf(stderr, "dcsim bench sweep: %s '%s': expected an integer from 1 to 4096\n",
                        c == 'r' ? "--runs" : "-j", optarg);
                return DCS_EXIT_USAGE;
            }
            *(c == 'r' ? &runs : &jobs) = v;
            break;
        }
        case 's': scenario = optarg; break;
        case 'd': duration = optarg; break;
        case 'h': help(stdout); return DCS_EXIT_OK;
        default:
            fprintf(stderr, "dcsim bench sweep: unknown or incomplete option '%s' (see --help)\n",
                    argv[optind - 1]);
            return DCS_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        help(stderr);
        return DCS_EXIT_USAGE;
    }
    char set[256];
    snprintf(set, sizeof set, "duration=%s", duration);
    const char *sets[] = {set};
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_plan *p = NULL;
    dcs_status st = dcs_sweep_plan_build(&scenario, 1, sets, 1, (unsigned)runs, d, &p);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    if (st != DCS_OK)
        return DCS_EXIT_USAGE;

    const char *tmp = getenv("TMPDIR");
    char root[4096], d1[4200], dn[4200];
    snprintf(root, sizeof root, "%s/dcsim-bench-sweep-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        fprintf(stderr, "dcsim bench sweep: cannot make a folder in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        dcs_sweep_plan_free(p);
        return DCS_EXIT_FAIL;
    }
    snprintf(d1, sizeof d1, "%s/j1", root);
    snprintf(dn, sizeof dn, "%s/jN", root);
    dcs_sweep_result r1, rn;
    bool ok = one_sweep(p, d1, 1, &r1) && one_sweep(p, dn, (int)jobs, &rn);
    if (ok) {
        printf("sweep_runs %ld 1\n", runs);
        printf("sweep_jobs %ld 1\n", jobs);
        printf("sweep_wall_j1_s %.3f s\n", r1.wall_s);
        printf("sweep_wall_jN_s %.3f s\n", rn.wall_s);
        printf("sweep_runs_per_s %.3f 1/s\n", (double)runs / rn.wall_s);
        printf("sweep_speedup %.3f 1\n", r1.wall_s / rn.wall_s);
        printf("sweep_overhead_pct %.3f %%\n",
               100.0 * (r1.wall_s - r1.procs_wall_s) / r1.procs_wall_s);
        printf("sweep_overhead_trace_pct %.3f %%\n",
               100.0 * (r1.wall_s - r1.runs_wall_s) / r1.runs_wall_s);
    }
    remove_tree(d1);
    remove_tree(dn);
    rmdir(root);
    dcs_sweep_plan_free(p);
    return ok ? DCS_EXIT_OK : DCS_EXIT_FAIL;
}
