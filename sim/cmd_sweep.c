/*
 * cmd_sweep.c - `dcsim sweep SCENARIO... [--set KEY=V1,V2,...]...
 * [--seeds N] [-j N] [--threads-per-run N] [--shard I/N] -o DIR` and
 * `dcsim sweep --merge DIR`: option parsing around sweep.h.  Started by
 * mpirun (and built with MPI) the runs are spread over the ranks, rank r
 * running the runs whose index % N == r, and rank 0 writes the index once
 * every rank is done (docs/sweep.md).
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/cli.h"
#include "dcsim/sweep.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_SETS = 64 };

static void help(FILE *out)
{
    fprintf(out,
            "usage: dcsim sweep SCENARIO.yaml... -o DIR [--set KEY=V1,V2,...]... [--seeds N]\n"
            "                   [-j N] [--threads-per-run N] [--shard I/N] [--quiet]\n"
            "       dcsim sweep --merge DIR\n\n"
            "Run every combination of scenario, --set value and seed (the scenario's seed\n"
            "+ 0..N-1, default N = 1), -j at a time (default: all cores), each run with\n"
            "--threads-per-run engine threads (default 1).  Writes DIR/NAME.h5 per run,\n"
            "NAME = SCENARIO__KEY=VALUE...__seedS, DIR/NAME.err for a failed run, and the\n"
            "index DIR/sweep.csv and DIR/sweep.h5.  Rerunning the same command skips\n"
            "complete runs.  --shard I/N runs only runs whose index %% N == I and leaves the\n"
            "index to --merge, which rebuilds it from the runs in DIR.\n"
            "Under mpirun (dcsim built with MPI) rank r of N runs the runs whose index %% N\n"
            "== r, -j at a time (default: the cores over the ranks on that machine), and\n"
            "rank 0 writes the index when every rank is done.\n"
            "Exit codes: 0 all runs ok, 1 a run or the sweep failed, 2 bad input or usage.\n");
}

static bool parse_int(const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int merge(const char *dir)
{
    size_t n = 0;
    char msg[1024];
    dcs_status st = dcs_sweep_index(dir, &n, msg, sizeof msg);
    if (st == DCS_EIO) {
        fprintf(stderr, "dcsim sweep: %s\n", msg);
        return DCS_EXIT_FAIL;
    }
    if (st != DCS_OK)
        fprintf(stderr, "dcsim sweep: warning: %s\n", msg);
    fprintf(stderr, "dcsim sweep: indexed %zu runs in %s/sweep.csv and %s/sweep.h5\n", n, dir,
            dir);
    return DCS_EXIT_OK;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --merge under mpirun: rank 0 merges, every rank exits with its code. */
static int merge_mpi(const char *dir)
{
    dcs_sweep_mpi m;
    char msg[1024];
    if (dcs_sweep_mpi_init(&m, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim sweep: %s\n", msg);
        return DCS_EXIT_FAIL;
    }
    double rc = m.rank == 0 ? merge(dir) : DCS_EXIT_OK;
    if (dcs_sweep_mpi_sum(&m, &rc, 1, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim sweep: rank %d: %s\n", m.rank, msg);
        rc = DCS_EXIT_FAIL;
    }
    dcs_sweep_mpi_finish(&m);
    return rc != 0 ? DCS_EXIT_FAIL : DCS_EXIT_OK;
}

/* What the ranks add up after their runs (dcs_sweep_mpi_sum). */
enum { SUM_OK, SUM_FAILED, SUM_SKIPPED, SUM_BROKEN, SUM_RUNS_WALL, SUM_RANK_WALL, SUM_N };

/* The sweep under mpirun: plan on every rank (the plan is deterministic, so
 * all ranks agree on it and on run i's rank, which is checked), run this
 * rank's share, add up, index on rank 0, agree on the exit code.  jobs 0:
 * not given. */
static int sweep_mpi(char **scenarios, size_t nscenarios, const char *const *sets, size_t nsets,
                     long seeds, const char *dir, long jobs, long threads, bool quiet)
{
    dcs_sweep_mpi m;
    char msg[1024], label[32];
    if (dcs_sweep_mpi_init(&m, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim sweep: %s\n", msg);
        return DCS_EXIT_FAIL;
    }
    double t0 = wall_now();
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_plan *plan = NULL;
    dcs_status st = dcs_sweep_plan_build((const char *const *)scenarios, nscenarios, sets, nsets,
                                         (unsigned)seeds, d, &plan);
    if (m.rank == 0)   /* every rank finds the same problems: say them once */
        dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    if (st != DCS_OK) {
        dcs_sweep_mpi_finish(&m);
        return DCS_EXIT_USAGE;
    }
    /* Run i goes to rank i % N only if every rank planned the same runs; a
     * scenario file that differs between machines would break that. */
    double hash[2] = {dcs_sweep_plan_hash(plan), -dcs_sweep_plan_hash(plan)};
    if (dcs_sweep_mpi_max(&m, hash, 2, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim sweep: rank %d: %s\n", m.rank, msg);
        dcs_sweep_plan_free(plan);
        dcs_sweep_mpi_finish(&m);
        return DCS_EXIT_FAIL;
    }
    if (hash[0] != -hash[1]) {
        if (m.rank == 0)
            fprintf(stderr, "dcsim sweep: the MPI ranks planned different runs: are the scenario "
                            "files the same on every machine?\n");
        dcs_sweep_plan_free(plan);
        dcs_sweep_mpi_finish(&m);
        return DCS_EXIT_USAGE;
    }
    /* Ranks sharing a machine share its cores. */
    if (jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores / (m.local_size > 0 ? m.local_size : 1);
        if (jobs < 1)
            jobs = 1;
    }
    snprintf(label, sizeof label, "rank %d: ", m.rank);
    if (!quiet && m.rank == 0)
        fprintf(stderr, "dcsim sweep: %zu runs over %d MPI ranks (run i on rank i %% %d), %ld at "
                        "a time on each, into %s\n", plan->nruns, m.size, m.size, jobs, dir);
    dcs_sweep_opts o = {(int)jobs, (int)threads, (unsigned)m.rank, (unsigned)m.size,
                        quiet ? NULL : stderr, false, label};
    dcs_sweep_result res;
    st = dcs_sweep_execute(plan, dir, &o, &res, msg, sizeof msg);
    dcs_sweep_plan_free(plan);
    if (st != DCS_OK)
        fprintf(stderr, "dcsim sweep: rank %d: %s\n", m.rank, msg);
    double sum[SUM_N] = {0};
    sum[SUM_OK] = (double)res.ok;
    sum[SUM_FAILED] = (double)res.failed;
    sum[SUM_SKIPPED] = (double)res.skipped;
    sum[SUM_BROKEN] = st != DCS_OK;
    sum[SUM_RUNS_WALL] = res.runs_wall_s;
    sum[SUM_RANK_WALL] = res.wall_s;
    /* The slowest rank's wall time against the mean shows what static
     * assignment costs when run lengths are uneven. */
    double slowest = res.wall_s;
    /* Also the barrier: rank 0 indexes only once every rank is done. */
    if (dcs_sweep_mpi_sum(&m, sum, SUM_N, msg, sizeof msg) != DCS_OK ||
        dcs_sweep_mpi_max(&m, &slowest, 1, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim sweep: rank %d: %s\n", m.rank, msg);
        dcs_sweep_mpi_finish(&m);
        return DCS_EXIT_FAIL;
    }
    double index_failed = 0;
    if (m.rank == 0 && sum[SUM_BROKEN] == 0) {
        size_t n = 0;
        st = dcs_sweep_index(dir, &n, msg, sizeof msg);
        if (st == DCS_EIO) {
            fprintf(stderr, "dcsim sweep: %s\n", msg);
            index_failed = 1;
        } else if (st != DCS_OK) {
            fprintf(stderr, "dcsim sweep: warning: %s\n", msg);
        }
    }
    /* The second meeting tells every rank whether the index was written, so
     * all exit with the same code. */
    if (dcs_sweep_mpi_sum(&m, &index_failed, 1, msg, sizeof msg) != DCS_OK) {
        fprintf(stderr, "dcsim sweep: rank %d: %s\n", m.rank, msg);
        index_failed = 1;
    }
    if (m.rank == 0) {
        fprintf(stderr,
                "dcsim sweep: %.0f ok, %.0f failed, %.0f already done over %d ranks; %.2f s "
                "wall, %.2f s in runs\n", sum[SUM_OK], sum[SUM_FAILED], sum[SUM_SKIPPED], m.size,
                wall_now() - t0, sum[SUM_RUNS_WALL]);
        if (!quiet)
            fprintf(stderr, "dcsim sweep: ranks' own wall time: slowest %.2f s, mean %.2f s\n",
                    slowest, sum[SUM_RANK_WALL] / m.size);
        if (sum[SUM_FAILED] > 0)
            fprintf(stderr, "dcsim sweep: failed runs are listed in %s/sweep.csv; their logs are "
                            "%s/NAME.err\n", dir, dir);
    }
    dcs_sweep_mpi_finish(&m);
    bool bad = sum[SUM_FAILED] > 0 || sum[SUM_BROKEN] > 0 || index_failed > 0;
    return bad ? DCS_EXIT_FAIL : DCS_EXIT_OK;
}

int dcs_cmd_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},   {"set", required_argument, NULL, 'S'},
        {"seeds", required_argument, NULL, 'n'},    {"jobs", required_argument, NULL, 'j'},
        {"threads-per-run", required_argument, NULL, 't'},
        {"shard", required_argument, NULL, 'x'},    {"merge", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *merge_dir = NULL, *sets[MAX_SETS];
    int nsets = 0;
    long seeds = 1, threads = 1;
    long jobs = 0;   /* 0: not given */
    unsigned shard = 0, nshards = 1;
    bool quiet = false, sharded = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'm': merge_dir = optarg; break;
        case 'S':
            if (nsets == MAX_SETS) {
                fprintf(stderr, "dcsim sweep: more than %d --set options\n", MAX_SETS);
                return DCS_EXIT_USAGE;
            }
            sets[nsets++] = optarg;
            break;
        case 'n':
            if (!parse_int(optarg, 1, 1000000, &seeds)) {
                fprintf(stderr, "dcsim sweep: --seeds '%s' is not an integer from 1 to 1000000\n",
                        optarg);
                return DCS_EXIT_USAGE;
            }
            break;
        case 'j':
            if (!parse_int(optarg, 1, 4096, &jobs)) {
                fprintf(stderr, "dcsim sweep: -j '%s' is not an integer from 1 to 4096\n", optarg);
                return DCS_EXIT_USAGE;
            }
            break;
        case 't':
            if (!parse_int(optarg, 1, 1024, &threads)) {
                fprintf(stderr,
                        "dcsim sweep: --threads-per-run '%s' is not an integer from 1 to 1024\n",
                        optarg);
                return DCS_EXIT_USAGE;
            }
            break;
        case 'x': {
            const char *slash = strchr(optarg, '/');
            char head[32];
            long i = -1, n = 0;
            if (slash && (size_t)(slash - optarg) < sizeof head) {
                memcpy(head, optarg, (size_t)(slash - optarg));
                head[slash - optarg] = '\0';
                if (!parse_int(slash + 1, 1, 1000000, &n) || !parse_int(head, 0, n - 1, &i))
                    i = -1;
            }
            if (i < 0) {
                fprintf(stderr, "dcsim sweep: --shard '%s' is not I/N with 0 <= I < N\n", optarg);
                return DCS_EXIT_USAGE;
            }
            shard = (unsigned)i;
            nshards = (unsigned)n;
            sharded = true;
            break;
        }
        case 'q': quiet = true; break;
        case 'h': help(stdout); return DCS_EXIT_OK;
        default:
            fprintf(stderr, "dcsim sweep: unknown or incomplete option '%s'\n", argv[optind - 1]);
            help(stderr);
            return DCS_EXIT_USAGE;
        }
    }
    bool use_mpi = false;
    if (dcs_sweep_mpi_launched()) {
        use_mpi = dcs_sweep_mpi_available();
        if (!use_mpi)
            fprintf(stderr, "dcsim sweep: warning: started by an MPI launcher but built without "
                            "MPI: every process runs the whole sweep (use --shard I/N)\n");
    }
    if (use_mpi && sharded) {
        fprintf(stderr, "dcsim sweep: --shard does not combine with mpirun: the ranks are the "
                        "shards\n");
        return DCS_EXIT_USAGE;
    }
    if (merge_dir) {
        if (optind != argc || dir) {
            fprintf(stderr, "dcsim sweep: --merge DIR takes no scenarios and no -o\n");
            return DCS_EXIT_USAGE;
        }
        return use_mpi ? merge_mpi(merge_dir) : merge(merge_dir);
    }
    if (optind == argc || !dir) {
        fprintf(stderr, "dcsim sweep: expected scenario files and -o DIR\n");
        help(stderr);
        return DCS_EXIT_USAGE;
    }
    if (use_mpi)
        return sweep_mpi(argv + optind, (size_t)(argc - optind), sets, (size_t)nsets, seeds, dir,
                         jobs, threads, quiet);
    if (jobs == 0)
        jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;

    dcs_diag *d = dcs_diag_new();
    dcs_sweep_plan *plan = NULL;
    dcs_status st = dcs_sweep_plan_build((const char *const *)argv + optind,
                                         (size_t)(argc - optind), sets, (size_t)nsets,
                                         (unsigned)seeds, d, &plan);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    if (st != DCS_OK)
        return DCS_EXIT_USAGE;

    dcs_sweep_opts o = {(int)jobs, (int)threads, shard, nshards, quiet ? NULL : stderr,
                        isatty(STDERR_FILENO) == 1, NULL};
    dcs_sweep_result res;
    char msg[1024];
    if (!quiet)
        fprintf(stderr, "dcsim sweep: %zu runs (%zu in this shard), %ld at a time, into %s\n",
                plan->nruns, (plan->nruns + nshards - 1 - shard) / nshards, jobs, dir);
    st = dcs_sweep_execute(plan, dir, &o, &res, msg, sizeof msg);
    dcs_sweep_plan_free(plan);
    if (st != DCS_OK) {
        fprintf(stderr, "dcsim sweep: %s\n", msg);
        return DCS_EXIT_FAIL;
    }
    fprintf(stderr,
            "dcsim sweep: %zu ok, %zu failed, %zu already done; %.2f s wall, %.2f s in runs\n",
            res.ok, res.failed, res.skipped, res.wall_s, res.runs_wall_s);
    if (nshards == 1) {
        size_t n = 0;
        st = dcs_sweep_index(dir, &n, msg, sizeof msg);
        if (st == DCS_EIO) {
            fprintf(stderr, "dcsim sweep: %s\n", msg);
            return DCS_EXIT_FAIL;
        }
        if (st != DCS_OK)
            fprintf(stderr, "dcsim sweep: warning: %s\n", msg);
    } else if (!quiet) {
        fprintf(stderr, "dcsim sweep: shard %u/%u done; `dcsim sweep --merge %s` writes the "
                        "index once every shard has run\n", shard, nshards, dir);
    }
    if (res.failed)
        fprintf(stderr, "dcsim sweep: failed runs are listed in %s/sweep.csv; their logs are "
                        "%s/NAME.err\n", dir, dir);
    return res.failed ? DCS_EXIT_FAIL : DCS_EXIT_OK;
}
