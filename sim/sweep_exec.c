/*
 * sweep_exec.c - running a sweep's runs in parallel child processes.
 *
 * Each run is one forked child that calls the run path (dcs_cmd_run, as
 * `dcsim run SCENARIO -o DIR/NAME.h5 --seed N --threads T --quiet --set
 * ...`) with its stdout and stderr in DIR/NAME.log, then exits with the run's
 * exit code.  Processes rather than threads because a run owns its engine's
 * OpenMP threads and the HDF5 library is not built thread-safe here; fork
 * rather than exec so the same code works from the test programs.  Children
 * stay in the sweep's process group, so killing the group stops the runs.
 *
 * Resume rests on the trace writer's guarantee (trace.h): DIR/NAME.h5
 * exists only once its run has committed.  A killed run leaves at most
 * DIR/NAME.h5.tmp and DIR/NAME.log, which the next attempt truncates.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcsim/cli.h"
#include "dcsim/trace.h"

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void path_of(char *out, size_t size, const char *dir, const char *name, const char *ext)
{
    snprintf(out, size, "%s/%s%s", dir, name, ext);
}

/* True if path is a complete trace; its wall_seconds in *wall_s. */
static bool trace_complete(const char *path, double *wall_s)
{
    dcs_trace_reader *r = NULL;
    char msg[256];
    if (access(path, F_OK) != 0 || dcs_trace_reader_open(path, false, &r, msg, sizeof msg) != DCS_OK)
        return false;
    if (dcs_trace_reader_attr_f64(r, "", "wall_seconds", wall_s) != DCS_OK)
        *wall_s = NAN;
    dcs_trace_reader_close(r);
    return true;
}

/* Remove NAME.log, NAME.err and NAME.h5.tmp: what unfinished or failed
 * attempts of a run leave, once the run is complete. */
static void remove_leftovers(const char *dir, const char *name)
{
    static const char *const ext[] = {".log", ".err", ".h5.tmp"};
    char path[4096];
    for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        path_of(path, sizeof path, dir, name, ext[k]);
        unlink(path);
    }
}

/* In the child: redirect output to the log and call the run path. */
static _Noreturn void child_run(const dcs_sweep_run *run, const char *dir, int threads)
{
    char log[4096], trace[4096], seed[32], thr[16];
    path_of(log, sizeof log, dir, run->name, ".log");
    path_of(trace, sizeof trace, dir, run->name, ".h5");
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
        _exit(DCS_EXIT_FAIL);
    close(fd);
    snprintf(seed, sizeof seed, "%" PRIu64, run->seed);
    snprintf(thr, sizeof thr, "%d", threads);
    size_t argc = 0;
    char **argv = calloc(9 + 2 * run->nsets + 1, sizeof *argv);
    if (!argv)
        _exit(DCS_EXIT_FAIL);
    /* getopt wants writable strings: copies. */
    const char *fixed[] = {"run", run->scenario, "-o", trace, "--seed", seed,
                           "--threads", thr, "--quiet"};
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
        argv[argc++] = strdup(fixed[k]);
    for (size_t k = 0; k < run->nsets; k++) {
        argv[argc++] = strdup("--set");
        argv[argc++] = strdup(run->sets[k]);
    }
    for (size_t k = 0; k < argc; k++)
        if (!argv[k])
            _exit(DCS_EXIT_FAIL);
    int rc = dcs_cmd_run((int)argc, argv);
    /* Freed although _exit follows: memcheck (scripts/valgrind) would
     * report the copies as lost in every run of a sweep. */
    for (size_t k = 0; k < argc; k++)
        free(argv[k]);
    free(argv);
    fflush(NULL);
    _exit(rc);
}

/* After a failed run: its log becomes NAME.err, with a last line saying how
 * the child ended when it did not say so itself. */
static void record_failure(const char *dir, const char *name, int status)
{
    char log[4096], err[4096];
    path_of(log, sizeof log, dir, name, ".log");
    path_of(err, sizeof err, dir, name, ".err");
    FILE *f = fopen(log, "a");
    if (f) {
        if (WIFSIGNALED(status))
            fprintf(f, "run killed by signal %d\n", WTERMSIG(status));
        else if (WIFEXITED(status) && ftell(f) == 0)
            fprintf(f, "run exited with code %d\n", WEXITSTATUS(status));
        fclose(f);
    }
    if (rename(log, err) != 0) {
        f = fopen(err, "w");
        if (f) {
            fprintf(f, "run failed and its log could not be kept\n");
            fclose(f);
        }
    }
}

static void fmt_dur(char *out, size_t size, double s)
{
    if (!isfinite(s) || s < 0) {
        snprintf(out, size, "--:--");
        return;
    }
    long t = lround(s);
    if (t >= 3600)
        snprintf(out, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, size, "%ld:%02ld", t / 60, t % 60);
}

/* Progress: a bar redrawn in place on a terminal, a line per run otherwise. */
static void progress(const dcs_sweep_opts *o, const dcs_sweep_result *res, double t0,
                     const char *name, bool ok)
{
    if (!o->progress)
        return;
    size_t done = res->skipped + res->ok + res->failed;
    size_t now = res->ok + res->failed;
    double el = wall_now() - t0;
    double eta = now ? el / (double)now * (double)(res->planned - done) : (double)NAN;
    char e1[32], e2[32];
    fmt_dur(e1, sizeof e1, el);
    fmt_dur(e2, sizeof e2, eta);
    if (o->progress_bar) {
        enum { WIDTH = 30 };
        int fill = res->planned ? (int)(WIDTH * done / res->planned) : WIDTH;
        char bar[WIDTH + 1];
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[WIDTH] = '\0';
        fprintf(o->progress, "\r[%s] %zu/%zu done, %zu failed, %s elapsed, ETA %s ", bar, done,
                res->planned, res->failed, e1, e2);
        if (done == res->planned)
            fputc('\n', o->progress);
    } else if (name) {
        fprintf(o->progress, "dcsim sweep: %s[%zu/%zu] %s %s (%zu failed, %s elapsed, ETA %s)\n",
                o->label ? o->label : "", done, res->planned, name, ok ? "ok" : "FAILED",
                res->failed, e1, e2);
    }
    fflush(o->progress);
}

dcs_status dcs_sweep_execute(const dcs_sweep_plan *p, const char *dir,
                             const dcs_sweep_opts *opts, dcs_sweep_result *res,
                             char *msg, size_t msg_size)
{
    double t0 = wall_now();
    *res = (dcs_sweep_result){0};
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(msg, msg_size, "cannot create %s: %s", dir, strerror(errno));
        return DCS_EIO;
    }
    unsigned nsh = opts->nshards ? opts->nshards : 1;
    int jobs = opts->jobs > 0 ? opts->jobs : 1;
    for (size_t i = 0; i < p->nruns; i++)
        res->planned += i % nsh == opts->shard;
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    size_t *which = calloc((size_t)jobs, sizeof *which);
    double *started = calloc((size_t)jobs, sizeof *started);
    if (!pids || !which || !started) {
        fprintf(stderr, "dcsim: out of memory\n");
        abort();
    }
    dcs_status st = DCS_OK;
    int running = 0;
    size_t next = 0;
    char path[4096];
    for (;;) {
        while (st == DCS_OK && running < jobs && next < p->nruns) {
            size_t i = next++;
            if (i % nsh != opts->shard)
                continue;
            double w;
            path_of(path, sizeof path, dir, p->runs[i].name, ".h5");
            if (trace_complete(path, &w)) {
                /* A kill between the run's commit and our cleanup can leave
                 * its log behind; the finished trace makes it stale. */
                remove_leftovers(dir, p->runs[i].name);
                res->skipped++;
                progress(opts, res, t0, NULL, true);
                continue;
            }
            fflush(NULL);   /* no buffered output duplicated into the child */
            pid_t pid = fork();
            if (pid < 0) {
                snprintf(msg, msg_size, "cannot start a run: %s", strerror(errno));
                st = DCS_EIO;
                break;
            }
            if (pid == 0)
                child_run(&p->runs[i], dir, opts->threads_per_run > 0 ? opts->threads_per_run : 1);
            int slot = 0;
            while (pids[slot])
                slot++;
            pids[slot] = pid;
            which[slot] = i;
            started[slot] = wall_now();
            running++;
        }
        if (running == 0)
            break;
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            snprintf(msg, msg_size, "waiting for runs: %s", strerror(errno));
            st = DCS_EIO;
            break;
        }
        int slot = 0;
        while (slot < jobs && pids[slot] != pid)
            slot++;
        if (slot == jobs)
            continue;   /* not one of ours */
        pids[slot] = 0;
        running--;
        double lifetime = wall_now() - started[slot];
        const dcs_sweep_run *run = &p->runs[which[slot]];
        double w = NAN;
        path_of(path, sizeof path, dir, run->name, ".h5");
        bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && trace_complete(path, &w);
        if (ok) {
            res->ok++;
            if (isfinite(w))
                res->runs_wall_s += w;
            res->procs_wall_s += lifetime;
            remove_leftovers(dir, run->name);
        } else {
            res->failed++;
            record_failure(dir, run->name, status);
        }
        progress(opts, res, t0, run->name, ok);
    }
    /* Only after a failure to fork can children still be running: wait for
     * them so none outlives the call. */
    for (int s = 0; s < jobs; s++)
        if (pids[s])
            waitpid(pids[s], NULL, 0);
    free(pids);
    free(which);
    free(started);
    res->wall_s = wall_now() - t0;
    return st;
}
