/*
 * cmd_run.c - `dcsim run SCENARIO [-o OUT.h5] [--seed N] [--threads N]
 * [--set KEY=VALUE]...`: load, build, run, write the trace.
 *
 * Nothing is written until the run has finished: results stay in memory,
 * then the trace is written under OUT.h5.tmp and renamed when complete, so
 * an interrupted or failed run never leaves a file that looks finished.
 * While the run executes, a progress line is shown when stderr is a
 * terminal (progress.h).
 */
#include "dcsim/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dcsim/diag.h"
#include "dcsim/model.h"
#include "dcsim/progress.h"
#include "dcsim/scenario.h"
#include "dcsim/trace.h"

enum { MAX_SETS = 256 };

static void help(FILE *out)
{
    fprintf(out,
            "usage: dcsim run SCENARIO.yaml [-o OUT.h5] [--seed N] [--threads N]\n"
            "                 [--set KEY=VALUE]... [--quiet]\n\n"
            "Run a scenario and write its HDF5 trace (default: NAME.h5, NAME being the\n"
            "scenario's name).  --seed overrides the scenario's seed; --threads sets the\n"
            "engine's threads (default: all cores); --set overrides one scenario value\n"
            "(e.g. --set duration=2d --set sites.lulea.power_limit='30 MW').\n"
            "Exit codes: 0 ok, 1 run failed, 2 bad input or usage.\n");
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Parse a non-negative integer option; false on junk or overflow. */
static bool parse_u64(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-')
        return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int dcs_cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out_path = NULL, *sets[MAX_SETS];
    int nsets = 0, threads = 0;
    bool have_seed = false, quiet = false;
    uint64_t seed = 0, v;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 's':
            if (!parse_u64(optarg, &seed) || seed > UINT32_MAX) {
                fprintf(stderr, "dcsim run: --seed '%s' is not an integer from 0 to %u\n",
                        optarg, UINT32_MAX);
                return DCS_EXIT_USAGE;
            }
            have_seed = true;
            break;
        case 't':
            if (!parse_u64(optarg, &v) || v < 1 || v > 1024) {
                fprintf(stderr, "dcsim run: --threads '%s' is not an integer from 1 to 1024\n",
                        optarg);
                return DCS_EXIT_USAGE;
            }
            threads = (int)v;
            break;
        case 'S':
            if (nsets == MAX_SETS) {
                fprintf(stderr, "dcsim run: more than %d --set options\n", MAX_SETS);
                return DCS_EXIT_USAGE;
            }
            sets[nsets++] = optarg;
            break;
        case 'q': quiet = true; break;
        case 'h': help(stdout); return DCS_EXIT_OK;
        default:
            fprintf(stderr, "dcsim run: unknown or incomplete option '%s'\n", argv[optind - 1]);
            help(stderr);
            return DCS_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "dcsim run: expected one scenario file\n");
        help(stderr);
        return DCS_EXIT_USAGE;
    }
    const char *path = argv[optind];

    double t0 = wall_now();
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    int rc = DCS_EXIT_FAIL;
    dcs_status st = dcs_scenario_load(path, sets, nsets, d, &s);
    if (st == DCS_OK) {
        if (!have_seed)
            seed = (uint64_t)s->seed;
        st = dcs_model_build(s, path, seed, threads, d, &m);
    }
    dcs_diag_print(d, stderr);
    if (st != DCS_OK) {
        rc = st == DCS_EINPUT ? DCS_EXIT_USAGE : DCS_EXIT_FAIL;
        if (st != DCS_EINPUT)
            fprintf(stderr, "dcsim run: %s\n", dcs_status_message(st));
        goto done;
    }
    char def_out[512];
    if (!out_path) {
        snprintf(def_out, sizeof def_out, "%s.h5", s->name);
        out_path = def_out;
    }
    if (!quiet)
        fprintf(stderr, "dcsim run: %s, %zu sites, seed %" PRIu64 "\n", s->name, s->nsites,
                seed);
    dcs_progress *prog = quiet ? NULL : dcs_progress_start("dcsim run", s->duration);
    st = dcs_model_run(m, dcs_progress_cell(prog));
    dcs_progress_stop(prog);
    if (st != DCS_OK) {
        fprintf(stderr, "dcsim run: run failed: %s\n", dcs_status_message(st));
        goto done;
    }
    dcs_trace_meta meta = {s->name, dcs_scenario_text(s), seed, dcs_model_threads(m)};
    dcs_trace *tr = NULL;
    char msg[512];
    if (dcs_trace_open(out_path, &meta, &tr, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim run: %s\n", msg);
        goto done;
    }
    st = dcs_model_write(m, tr);
    double wall = wall_now() - t0;
    if (st == DCS_OK)
        st = dcs_trace_commit(tr, wall);
    if (st != DCS_OK)
        fprintf(stderr, "dcsim run: writing %s failed: %s\n", out_path, dcs_trace_error(tr));
    dcs_trace_close(tr);
    if (st == DCS_OK) {
        rc = DCS_EXIT_OK;
        if (!quiet)
            fprintf(stderr, "dcsim run: wrote %s (%" PRIu64 " events, %d threads, %.2f s)\n",
                    out_path, dcs_model_events(m), dcs_model_threads(m), wall);
    }
done:
    dcs_model_free(m);
    dcs_scenario_free(s);
    dcs_diag_free(d);
    return rc;
}
