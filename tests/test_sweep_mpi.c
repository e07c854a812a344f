/*
 * test_sweep_mpi.c - `mpirun -n 2 dcsim sweep ...` against a local `dcsim
 * sweep` of the same command: the same index (sweep.csv byte for byte,
 * sweep.h5's tables as h5dump prints them), the runs spread over both ranks,
 * a failing run on each rank listed while the other runs finish, and a
 * rerun under mpirun that redoes nothing finished; an interrupted mpirun
 * leaves no run going on and the same command finishes the sweep; --merge
 * under mpirun;
 * --shard and ranks that planned different runs refused.
 *
 * The sweep: fixtures/run/flat.yaml (seed 3) at duration 2h and 3h, which
 * run, and -1h, which the loader refuses, over 2 seeds: 6 runs in the order
 * 2h/3, 2h/4, 3h/3, 3h/4, -1h/3, -1h/4, so rank 0 gets runs 0, 2, 4 and
 * rank 1 runs 1, 3, 5 (one failing run each).
 *
 * Skipped (exit 77) when dcsim was built without MPI or mpirun is not
 * installed.  mpirun refuses root unless told (CI runs as root), and two
 * ranks on a one-core machine need oversubscription: both are set here.
 * The ranks run with ASAN_OPTIONS=detect_leaks=0: in the sanitizer build
 * (make asan) Open MPI leaves allocations at exit from components it has
 * already unloaded, so LeakSanitizer cannot name their library and no
 * suppression file can single them out.  AddressSanitizer's other checks
 * stay on in the ranks; the local sweep here and tests/test_sweep_cli.c
 * check the sweep code itself (the same plan, execute and index code) for
 * leaks.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "cli_util.h"

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcsim/sweep.h"

static char dir[256];
static const char *bin;
static char err_text[16384];

/* mpirun, with the ranks' leak check off (see above). */
#define MPIRUN "ASAN_OPTIONS=detect_leaks=0 mpirun -n 2"

static const char *const sweep_args =
    "sweep fixtures/run/flat.yaml --set duration=2h,3h,-1h --seeds 2";

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Run `PREFIX dcsim sweep_args -o DIR/out` from tests/; stderr into
 * err_text, the wall time into *wall_s.  Returns the exit code. */
static int sweep(const char *prefix, const char *out, double *wall_s)
{
    char cmd[4096], p[512];
    snprintf(cmd, sizeof cmd, "%s '%s' %s -o '%s/%s' >/dev/null 2>'%s/err'", prefix, bin,
             sweep_args, dir, out, dir);
    double t0 = wall_now();
    int st = system(cmd);
    *wall_s = wall_now() - t0;
    snprintf(p, sizeof p, "%s/err", dir);
    read_file(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int lines(const char *text)
{
    int n = 0;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    return n;
}

/* The index of DIR/out: sweep.csv into csv, sweep.h5's dump (without its
 * first line, which names the file) into h5; h5 is "" without h5dump. */
static void index_of(const char *out, char *csv, size_t csv_size, char *h5, size_t h5_size)
{
    char p[512], cmd[1024];
    snprintf(p, sizeof p, "%s/%s/sweep.csv", dir, out);
    read_file(p, csv, csv_size);
    snprintf(p, sizeof p, "%s/%s.dump", dir, out);
    snprintf(cmd, sizeof cmd,
             "command -v h5dump >/dev/null && h5dump '%s/%s/sweep.h5' | tail -n +2 >'%s'", dir,
             out, p);
    if (system(cmd) != 0)
        unlink(p);
    read_file(p, h5, h5_size);
}

typedef struct stamp {
    ino_t ino;
    struct timespec mtime;
} stamp;

static bool stamp_of(const char *out, const char *name, stamp *s)
{
    char p[512];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s/%s.h5", dir, out, name);
    if (stat(p, &sb) != 0)
        return false;
    s->ino = sb.st_ino;
    s->mtime = sb.st_mtim;
    return true;
}

static void same_index_as_local(void)
{
    static char csv_local[65536], csv_mpi[65536], h5_local[65536], h5_mpi[65536];
    double wall_local, wall_mpi;
    CHECK_INT(sweep("", "local", &wall_local), 1);   /* 1: the -1h runs fail */
    CHECK_INT(sweep(MPIRUN, "mpi", &wall_mpi), 1);
    printf("wall: local sweep (-j all cores) %.2f s, mpirun -n 2 %.2f s\n", wall_local,
           wall_mpi);

    /* The MPI path was taken, and each rank ran its three runs. */
    CHECK(strstr(err_text, "6 runs over 2 MPI ranks") != NULL);
    CHECK(strstr(err_text, "rank 0: [3/3] ") != NULL);
    CHECK(strstr(err_text, "rank 1: [3/3] ") != NULL);
    CHECK(strstr(err_text, "rank 0: [") && strstr(err_text, "flat__duration=-1h__seed3 FAILED"));
    CHECK(strstr(err_text, "rank 1: [") && strstr(err_text, "flat__duration=-1h__seed4 FAILED"));
    CHECK(strstr(err_text, "4 ok, 2 failed, 0 already done over 2 ranks") != NULL);
    CHECK(strstr(err_text, "ranks' own wall time: slowest ") != NULL);

    index_of("local", csv_local, sizeof csv_local, h5_local, sizeof h5_local);
    index_of("mpi", csv_mpi, sizeof csv_mpi, h5_mpi, sizeof h5_mpi);
    CHECK_INT(lines(csv_local), 1 + 6);
    CHECK_STR(csv_mpi, csv_local);
    CHECK_STR(h5_mpi, h5_local);
    /* A real index: ok rows with metrics after the error column, failed
     * rows with the loader's message. */
    CHECK(strstr(csv_mpi, "\nflat__duration=3h__seed4,flat,3h,4,ok,,") != NULL);
    CHECK(strstr(csv_mpi, "\nflat__duration=-1h__seed3,flat,-1h,3,failed,--set:1:10: duration: "
                          "'-1h' is out of range") != NULL);
    const char *row = strstr(csv_mpi, "\nflat__duration=2h__seed3,flat,2h,3,ok,,");
    CHECK(row && row[strlen("\nflat__duration=2h__seed3,flat,2h,3,ok,,")] != ',');

    /* Rerun under mpirun: the four finished runs are kept (same inode and
     * modification time), the failed ones retried, the index unchanged. */
    static const char *const done[] = {"flat__duration=2h__seed3", "flat__duration=2h__seed4",
                                       "flat__duration=3h__seed3", "flat__duration=3h__seed4"};
    stamp before[4], after[4];
    for (int i = 0; i < 4; i++)
        CHECK(stamp_of("mpi", done[i], &before[i]));
    double wall_again;
    CHECK_INT(sweep(MPIRUN, "mpi", &wall_again), 1);
    CHECK(strstr(err_text, "0 ok, 2 failed, 4 already done over 2 ranks") != NULL);
    for (int i = 0; i < 4; i++) {
        CHECK(stamp_of("mpi", done[i], &after[i]));
        CHECK(after[i].ino == before[i].ino);
        CHECK(after[i].mtime.tv_sec == before[i].mtime.tv_sec &&
              after[i].mtime.tv_nsec == before[i].mtime.tv_nsec);
    }
    index_of("mpi", csv_mpi, sizeof csv_mpi, h5_mpi, sizeof h5_mpi);
    CHECK_STR(csv_mpi, csv_local);
}

/* Processes whose arguments include word (the runs of a sweep carry its
 * `-o DIR`: they are forked, not executed, so they keep the rank's). */
static int processes_with(const char *word)
{
    DIR *dh = opendir("/proc");
    struct dirent *de;
    int n = 0;
    while (dh && (de = readdir(dh))) {
        char p[300], args[8192];
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        snprintf(p, sizeof p, "/proc/%s/cmdline", de->d_name);
        FILE *f = fopen(p, "r");
        size_t len = f ? fread(args, 1, sizeof args - 1, f) : 0;
        if (f)
            fclose(f);
        for (size_t k = 0; k < len; k += strlen(args + k) + 1) {
            args[len] = '\0';
            if (strcmp(args + k, word) == 0) {
                n++;
                break;
            }
        }
    }
    if (dh)
        closedir(dh);
    return n;
}

static int count_ending(const char *d, const char *suffix)
{
    DIR *dh = opendir(d);
    int n = 0;
    struct dirent *de;
    while (dh && (de = readdir(dh))) {
        size_t l = strlen(de->d_name), m = strlen(suffix);
        n += l >= m && strcmp(de->d_name + l - m, suffix) == 0;
    }
    if (dh)
        closedir(dh);
    return n;
}

static void interrupt_and_resume(void)
{
    /* Ctrl-C reaches mpirun, which stops the ranks: their runs (forked
     * children in each rank's process group, which Open MPI signals) must
     * stop with them, no orphan going on, and the same command then
     * finishes the sweep.  Four runs of 3000 simulated days at 1-minute
     * control steps, about 1.2 s each on a quiet machine (at 10-minute
     * steps they took 0.25 s and could all finish before the signal). */
    char out[300], cmd[2048];
    snprintf(out, sizeof out, "%s/int", dir);
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 exec mpirun -n 2 '%s' sweep fixtures/run/flat.yaml --set "
             "duration=3000d,3001d,3002d,3003d --set policy.control_period=1min -o '%s' -q "
             ">/dev/null 2>&1", bin, out);
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    /* Wait until runs are under way (their logs exist), then interrupt. */
    struct timespec nap = {0, 10000000};
    for (int i = 0; i < 3000 && count_ending(out, ".log") < 2; i++)
        nanosleep(&nap, NULL);
    CHECK(count_ending(out, ".log") >= 1);
    kill(pid, SIGINT);
    int status;
    waitpid(pid, &status, 0);
    CHECK(!WIFEXITED(status) || WEXITSTATUS(status) != 0);
    int left = 1;
    for (int i = 0; i < 300 && (left = processes_with(out)) > 0; i++)
        nanosleep(&nap, NULL);
    CHECK_INT(left, 0);
    CHECK(count_ending(out, ".h5") < 4);   /* interrupted midway */
    snprintf(cmd, sizeof cmd,
             MPIRUN " '%s' sweep fixtures/run/flat.yaml --set duration=3000d,3001d,3002d,3003d "
             "--set policy.control_period=1min -o '%s' -q >/dev/null 2>&1", bin, out);
    int rc = system(cmd);
    CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    CHECK_INT(count_ending(out, ".h5"), 4 + 1);   /* the runs and sweep.h5 */
    CHECK_INT(count_ending(out, ".log") + count_ending(out, ".tmp"), 0);
}

static void merge_and_refusals(void)
{
    char cmd[2048], p[512], csv[65536], want[65536];
    /* --merge under mpirun: rank 0 alone rebuilds the index. */
    snprintf(p, sizeof p, "%s/mpi/sweep.csv", dir);
    read_file(p, want, sizeof want);
    CHECK(unlink(p) == 0);
    snprintf(cmd, sizeof cmd, MPIRUN " '%s' sweep --merge '%s/mpi' >/dev/null 2>'%s/err'", bin,
             dir, dir);
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    read_file(p, csv, sizeof csv);
    CHECK_STR(csv, want);
    snprintf(p, sizeof p, "%s/err", dir);
    read_file(p, err_text, sizeof err_text);
    CHECK(strstr(err_text, "indexed 6 runs") != NULL);
    CHECK(strstr(strstr(err_text, "indexed 6 runs") + 1, "indexed 6 runs") == NULL);
    /* The ranks are the shards: --shard is refused under mpirun. */
    snprintf(cmd, sizeof cmd,
             MPIRUN " '%s' %s --shard 0/2 -o '%s/x' >/dev/null 2>'%s/err'", bin, sweep_args,
             dir, dir);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 0);
    read_file(p, err_text, sizeof err_text);
    CHECK(strstr(err_text, "--shard does not combine with mpirun") != NULL);
    /* Ranks that plan different runs (here two commands, as when a scenario
     * file differs between machines) are refused before anything runs. */
    snprintf(cmd, sizeof cmd,
             "ASAN_OPTIONS=detect_leaks=0 mpirun -n 1 '%s' sweep fixtures/run/flat.yaml --set "
             "duration=2h -o '%s/y' : -n 1 '%s' sweep fixtures/run/flat.yaml --set duration=3h "
             "-o '%s/y' >/dev/null 2>'%s/err'", bin, dir, bin, dir, dir);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    read_file(p, err_text, sizeof err_text);
    CHECK(strstr(err_text, "the MPI ranks planned different runs") != NULL);
    snprintf(p, sizeof p, "%s/y", dir);
    CHECK(!exists(p));
}

int main(void)
{
    bin = getenv("DCSIM_BIN");
    if (!bin)
        TEST_SKIP("DCSIM_BIN not set (run through ctest)");
    if (!dcs_sweep_mpi_available())
        TEST_SKIP("dcsim built without MPI");
    if (system("command -v mpirun >/dev/null 2>&1") != 0)
        TEST_SKIP("mpirun not installed");
    /* mpirun as root (CI) and two ranks on fewer cores. */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    setenv("OMPI_MCA_rmaps_base_oversubscribe", "1", 1);
    snprintf(dir, sizeof dir, "/tmp/dcsim-test-sweep-mpi-XXXXXX");
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return TEST_END();
    }
    RUN(same_index_as_local);
    RUN(interrupt_and_resume);
    RUN(merge_and_refusals);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_END();
}
