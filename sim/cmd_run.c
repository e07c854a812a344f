/*
 * cmd_run.c - `dcsim run SCENARIO [-o OUT.h5] [--seed N] [--threads N]
 * [--set KEY=VALUE]...`: load, build, run, write the trace.
 *
 * Nothing is written until the run has finished: results stay in memory,
 * then the trace is written under OUT.h5.tmp and renamed when complete, so
 * an interrupted or failed run never leaves a file that looks finished.
 * While the run executes, a progress line is shown when stderr is a
 * terminal (progress.h).
 *
 * Interruption: SIGINT and SIGTERM end the run at once with exit code 1 and
 * "dcsim run: interrupted"; if the trace is being written, its OUT.h5.tmp is
 * removed first (a signal after the rename leaves the finished trace).  The
 * handler only calls async-signal-safe functions (unlink, write, _exit);
 * results held in memory are given back by the exit.
 *
 * Invariants (invariant.h) violated during the run stop it with
 * "dcsim run: invariant violated: ..." and exit code 1; no trace is written.
 *
 * Memory: the sampled series are held in memory for the whole run, about
 * rows x (columns + 1) x 8 bytes per site with rows = duration /
 * sample_period + 1.  A scenario whose estimate exceeds --max-memory
 * (default 2 GiB) is refused before anything is allocated (exit 2).
 */
/* clock_gettime(), sigaction() are POSIX.1-2008. */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dcsim/diag.h"
#include "dcsim/model.h"
#include "dcsim/progress.h"
#include "dcsim/scenario.h"
#include "dcsim/site.h"
#include "dcsim/trace.h"

enum { MAX_SETS = 256 };

/* Default for --max-memory: 2 GiB of series held in memory. */
#define DEFAULT_MAX_MEMORY_B (2.0 * 1024 * 1024 * 1024)
/* Engine events per second and thread assumed for the duration estimate:
 * below what `dcsim bench serving` and `dcsim bench phold` measure on a
 * 2-core development machine (docs/robustness.md), so the estimate errs
 * long. */
#define EST_EVENTS_PER_S 2e6

/* The temporary trace a signal must remove ("" while none is open).  A
 * signal handler can only reach state through a static object; it is set
 * before the file is created and cleared after the rename. */
static char interrupt_tmp_path[4096];

static void on_signal(int sig)
{
    (void)sig;
    if (interrupt_tmp_path[0])
        (void)unlink(interrupt_tmp_path);
    static const char msg[] = "dcsim run: interrupted\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(DCS_EXIT_FAIL);
}

/* Install on_signal for SIGINT and SIGTERM, keeping the previous actions. */
static void catch_signals(struct sigaction old[2])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old[0]);
    sigaction(SIGTERM, &sa, &old[1]);
}

static void restore_signals(const struct sigaction old[2])
{
    interrupt_tmp_path[0] = '\0';
    sigaction(SIGINT, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
}

static void help(FILE *out)
{
    fprintf(out,
            "usage: dcsim run SCENARIO.yaml [-o OUT.h5] [--seed N] [--threads N]\n"
            "                 [--set KEY=VALUE]... [--quiet]\n\n"
            "Run a scenario and write its HDF5 trace (default: NAME.h5, NAME being the\n"
            "scenario's name).  --seed overrides the scenario's seed; --threads sets the\n"
            "engine's threads (default: all cores); --set overrides one scenario value\n"
            "(e.g. --set duration=2d --set sites.lulea.power_limit='30 MW').\n"
            "--max-memory SIZE (bytes, or with K, M, G, T: binary multiples; default\n"
            "2G) refuses a scenario whose series would need more memory.\n"
            "A run estimated to take more than a day is refused unless --force is given.\n"
            "SIGINT or SIGTERM stops the run without leaving a trace.\n"
            "Exit codes: 0 ok, 1 run failed (an invariant violated) or interrupted,\n"
            "2 bad input or usage.\n");
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Parse a size "N" or "N[KMGT]" (binary multiples, optional "iB"/"B");
 * false on junk or zero. */
static bool parse_size(const char *text, double *out_b)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-')
        return false;
    double v = strtod(text, &end);
    if (errno || end == text || !(v > 0) || v > 1e30)
        return false;
    static const char units[] = "KMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    if (u) {
        for (const char *k = units; k <= u; k++)
            v *= 1024;
        end++;
        if (*end == 'i')
            end++;
        if (*end == 'B')
            end++;
    } else if (*end == 'B') {
        end++;
    }
    if (*end)
        return false;
    *out_b = v;
    return true;
}

/* Bytes of series the run holds in memory (see the file comment); computed
 * in double so that absurd scenarios cannot overflow the estimate. */
static double series_memory_b(const dcs_scenario *s)
{
    double rows = (double)s->duration / (double)s->sample_period + 1.0;
    return (double)s->nsites * rows * (DCS_SITE_NCOLS + 1) * (double)sizeof(double);
}

/* Refuse (false) a run estimated to take more than a day unless forced;
 * warn above an hour.  The rate is a conservative per-thread figure from
 * `dcsim bench serving` (docs/robustness.md). */
static bool long_run_ok(const dcs_model *m, int threads, bool force, bool quiet)
{
    double events = dcs_model_estimate_events(m);
    /* Parallel speedup depends on the model's decomposition: count one
     * thread unless more were asked for. */
    double wall_s = events / (EST_EVENTS_PER_S * (threads > 0 ? threads : 1));
    if (wall_s > 86400 && !force) {
        fprintf(stderr,
                "dcsim run: this run would take about %.3g engine events, roughly %.1f hours "
                "here; choose fidelity: fluid or a shorter duration, or pass --force\n",
                events, wall_s / 3600);
        return false;
    }
    if (wall_s > 3600 && !quiet)
        fprintf(stderr, "dcsim run: warning: about %.3g engine events, roughly %.1f hours\n",
                events, wall_s / 3600);
    return true;
}

int dcs_cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'}, {"set", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'},
        {"max-memory", required_argument, NULL, 'm'}, {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0}};
    const char *out_path = NULL, *sets[MAX_SETS];
    int nsets = 0, threads = 0;
    bool have_seed = false, quiet = false, force = false;
    uint64_t seed = 0, v;
    double max_memory_b = DEFAULT_MAX_MEMORY_B;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 's':
            if (!dcs_cli_parse_u64(optarg, &seed) || seed > UINT32_MAX) {
                fprintf(stderr, "dcsim run: --seed '%s' is not an integer from 0 to %u\n",
                        optarg, UINT32_MAX);
                return DCS_EXIT_USAGE;
            }
            have_seed = true;
            break;
        case 't':
            if (!dcs_cli_parse_u64(optarg, &v) || v < 1 || v > 1024) {
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
        case 'm':
            if (!parse_size(optarg, &max_memory_b)) {
                fprintf(stderr, "dcsim run: --max-memory '%s' is not a size such as 4G or "
                        "512M\n", optarg);
                return DCS_EXIT_USAGE;
            }
            break;
        case 'q': quiet = true; break;
        case 'f': force = true; break;
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

    struct sigaction old_actions[2];
    catch_signals(old_actions);
    double t0 = wall_now();
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_model *m = NULL;
    int rc = DCS_EXIT_FAIL;
    dcs_status st = dcs_scenario_load(path, sets, nsets, d, &s);
    if (st == DCS_OK && series_memory_b(s) > max_memory_b) {
        dcs_diag_print(d, stderr);
        fprintf(stderr,
                "dcsim run: %s would hold about %.3g GiB of series in memory (%zu sites x "
                "%.0f rows x %d columns x 8 bytes), more than the limit of %.3g GiB; "
                "lengthen sample_period, shorten duration or raise --max-memory\n",
                path, series_memory_b(s) / (1024.0 * 1024 * 1024), s->nsites,
                (double)s->duration / (double)s->sample_period + 1.0, DCS_SITE_NCOLS + 1,
                max_memory_b / (1024.0 * 1024 * 1024));
        rc = DCS_EXIT_USAGE;
        goto done;
    }
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
    if (!long_run_ok(m, threads, force, quiet)) {
        rc = DCS_EXIT_USAGE;
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
        /* An invariant violated: nothing is written (exit 1, not 2: the
         * input passed validation, the run went wrong; invariant.h). */
        const char *why = dcs_model_failure(m);
        if (why)
            fprintf(stderr, "dcsim run: %s\n", why);
        else
            fprintf(stderr, "dcsim run: run failed: %s\n", dcs_status_message(st));
        goto done;
    }
    dcs_trace_meta meta = {s->name, dcs_scenario_text(s), seed, dcs_model_threads(m)};
    dcs_trace *tr = NULL;
    char msg[512];
    if (snprintf(interrupt_tmp_path, sizeof interrupt_tmp_path, "%s.tmp", out_path)
        >= (int)sizeof interrupt_tmp_path)
        interrupt_tmp_path[0] = '\0';   /* too long for the handler: a signal leaves the
                                          * tmp file, whose complete flag is still 0 */
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
    restore_signals(old_actions);
    dcs_model_free(m);
    dcs_scenario_free(s);
    dcs_diag_free(d);
    return rc;
}
