/*
 * test_sweep_cli.c - `dcsim sweep` as a user runs it: run names and the
 * index; a failing run listed with its error while the others finish;
 * resume after kill -9 of the sweep's process group midway (no finished run
 * redone, checked by inode and modification time; no partial trace or log
 * left); shards joined with --merge give the same index as one sweep.
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

static char dir[256];
static const char *bin;
static char err_text[16384];


/* Run `dcsim ARGS` (quoted for sh) from tests/; stderr into err_text. */
static int dcsim(const char *args)
{
    char cmd[4096], p[512];
    snprintf(cmd, sizeof cmd, "'%s' %s >/dev/null 2>'%s/err'", bin, args, dir);
    int st = system(cmd);
    snprintf(p, sizeof p, "%s/err", dir);
    read_file(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}


/* Files in d ending in suffix. */
static int count(const char *d, const char *suffix)
{
    DIR *dh = opendir(d);
    int n = 0;
    struct dirent *de;
    while (dh && (de = readdir(dh))) {
        size_t l = strlen(de->d_name), m = strlen(suffix);
        n += l >= m && strcmp(de->d_name + l - m, suffix) == 0 &&
             strcmp(de->d_name, "sweep.h5") != 0;
    }
    if (dh)
        closedir(dh);
    return n;
}

static int lines(const char *text)
{
    int n = 0;
    for (const char *c = text; *c; c++)
        n += *c == '\n';
    return n;
}

static void names_and_failure(void)
{
    char args[1024], p[512], csv[65536];
    snprintf(args, sizeof args,
             "sweep fixtures/run/flat.yaml --set duration=2h,-1h --set "
             "'sites.hall.grid.intensity=100 gCO2/kWh,300 gCO2/kWh' --seeds 2 -j 2 -o '%s/a' -q",
             dir);
    /* One failing duration: exit 1, the other runs finish. */
    CHECK_INT(dcsim(args), 1);
    snprintf(p, sizeof p, "%s/a/flat__duration=2h__sites.hall.grid.intensity=300gCO2_kWh__seed4.h5",
             dir);
    CHECK(exists(p));
    snprintf(p, sizeof p, "%s/a", dir);
    CHECK_INT(count(p, ".h5"), 4);
    CHECK_INT(count(p, ".err"), 4);
    CHECK_INT(count(p, ".log") + count(p, ".tmp"), 0);
    snprintf(p, sizeof p, "%s/a/sweep.csv", dir);
    read_file(p, csv, sizeof csv);
    const char *head = "name,scenario,duration,sites.hall.grid.intensity,seed,status,error,";
    CHECK(strncmp(csv, head, strlen(head)) == 0);
    CHECK_INT(lines(csv), 1 + 8);
    /* The failed run with the loader's located message, metrics empty. */
    CHECK(strstr(csv, "\nflat__duration=-1h__sites.hall.grid.intensity=100gCO2_kWh__seed3,flat,"
                      "-1h,100gCO2_kWh,3,failed,--set:1:10: duration: '-1h' is out of range")
          != NULL);
    CHECK(strstr(csv, "\nflat__duration=2h__sites.hall.grid.intensity=300gCO2_kWh__seed4,flat,"
                      "2h,300gCO2_kWh,4,ok,,") != NULL);
    snprintf(p, sizeof p, "%s/a/sweep.h5", dir);
    CHECK(exists(p));
}

/* Modification time and inode of a file, to tell a kept file from a redone
 * one. */
typedef struct stamp {
    char name[600];
    ino_t ino;
    struct timespec mtime;
} stamp;

static void resume_after_kill(void)
{
    char out[300], p[1024];
    snprintf(out, sizeof out, "%s/k", dir);
    /* 12 runs of about 0.1-0.3 s each, two at a time. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "exec '%s' sweep fixtures/run/flat.yaml --set duration=20d,21d,22d,23d,24d,25d "
             "--seeds 2 -j 2 -o '%s' -q 2>/dev/null", bin, out);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);   /* its own group, so kill(-pid) reaches every run */
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    setpgid(pid, pid);
    /* Wait for the first two finished runs, then kill the whole group. */
    struct timespec nap = {0, 5000000};
    for (int i = 0; i < 4000 && count(out, ".h5") < 2; i++)
        nanosleep(&nap, NULL);
    kill(-pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
    int before = count(out, ".h5");
    CHECK(before >= 2);
    CHECK(before < 12);   /* killed midway */
    snprintf(p, sizeof p, "%s/sweep.csv", out);
    CHECK(!exists(p));    /* the index comes only at the end */

    stamp st[12];
    int ns = 0;
    DIR *dh = opendir(out);
    struct dirent *de;
    while (dh && (de = readdir(dh)) && ns < 12) {
        size_t l = strlen(de->d_name);
        if (l > 3 && strcmp(de->d_name + l - 3, ".h5") == 0) {
            struct stat sb;
            snprintf(p, sizeof p, "%s/%s", out, de->d_name);
            stat(p, &sb);
            snprintf(st[ns].name, sizeof st[ns].name, "%s", de->d_name);
            st[ns].ino = sb.st_ino;
            st[ns++].mtime = sb.st_mtim;
        }
    }
    if (dh)
        closedir(dh);

    /* The same command again: only the missing runs are made. */
    char args[1024];
    snprintf(args, sizeof args,
             "sweep fixtures/run/flat.yaml --set duration=20d,21d,22d,23d,24d,25d --seeds 2 "
             "-j 2 -o '%s'", out);
    CHECK_INT(dcsim(args), 0);
    char want[128];
    snprintf(want, sizeof want, "%d ok, 0 failed, %d already done", 12 - before, before);
    CHECK(strstr(err_text, want) != NULL);
    CHECK_INT(count(out, ".h5"), 12);
    CHECK_INT(count(out, ".tmp") + count(out, ".log") + count(out, ".err"), 0);
    for (int i = 0; i < ns; i++) {
        struct stat sb;
        snprintf(p, sizeof p, "%.300s/%.600s", out, st[i].name);
        CHECK(stat(p, &sb) == 0);
        CHECK(sb.st_ino == st[i].ino);
        CHECK(sb.st_mtim.tv_sec == st[i].mtime.tv_sec &&
              sb.st_mtim.tv_nsec == st[i].mtime.tv_nsec);
    }
    char csv[65536];
    snprintf(p, sizeof p, "%s/sweep.csv", out);
    read_file(p, csv, sizeof csv);
    CHECK_INT(lines(csv), 1 + 12);
}

static void shards_and_merge(void)
{
    const char *cmd = "sweep fixtures/run/flat.yaml fixtures/run/fleet.yaml "
                      "--set duration=2d,3d --seeds 2 -j 2 -q";
    char args[1024], p[512], one[65536], merged[65536];
    snprintf(args, sizeof args, "%s -o '%s/one'", cmd, dir);
    CHECK_INT(dcsim(args), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "%s --shard %d/3 -o '%s/sh'", cmd, i, dir);
        CHECK_INT(dcsim(args), 0);
    }
    snprintf(p, sizeof p, "%s/sh/sweep.csv", dir);
    CHECK(!exists(p));   /* shards leave the index to --merge */
    snprintf(args, sizeof args, "sweep --merge '%s/sh'", dir);
    CHECK_INT(dcsim(args), 0);
    CHECK(strstr(err_text, "indexed 8 runs") != NULL);
    snprintf(p, sizeof p, "%s/one/sweep.csv", dir);
    read_file(p, one, sizeof one);
    snprintf(p, sizeof p, "%s/sh/sweep.csv", dir);
    read_file(p, merged, sizeof merged);
    CHECK_INT(lines(one), 1 + 8);
    CHECK_STR(merged, one);
    /* The HDF5 index lists the same columns as the CSV header (checked with
     * h5dump where HDF5's tools are installed). */
    snprintf(args, sizeof args,
             "command -v h5dump >/dev/null || exit 77; h5dump -a /runs/columns '%s/one/sweep.h5' "
             "| grep -q '\"duration\"' && "
             "h5dump -d /runs/status '%s/one/sweep.h5' | grep -o '\"ok\"' | wc -l | grep -qx 8",
             dir, dir);
    int h5 = system(args);
    if (!WIFEXITED(h5) || WEXITSTATUS(h5) != 77)
        CHECK(WIFEXITED(h5) && WEXITSTATUS(h5) == 0);
    /* dcsim compare over the directory: a header and one row per design
     * (flat and fleet at 2 d and 3 d), each over 2 seeds with 2 pairs or the
     * baseline mark. */
    snprintf(args, sizeof args,
             "'%s' compare '%s/one' --format csv --metrics carbon_kg > '%s/cmp' 2>/dev/null",
             bin, dir, dir);
    CHECK_INT(system(args), 0);
    char cmp[8192];
    snprintf(p, sizeof p, "%s/cmp", dir);
    read_file(p, cmp, sizeof cmp);
    CHECK_INT(lines(cmp), 1 + 4);
    CHECK(strstr(cmp, "\nflat__duration=2d,carbon_kg,kg,2,") != NULL);
    CHECK(strstr(cmp, ",baseline\n") != NULL);
    CHECK(strstr(cmp, "\nfleet__duration=3d,carbon_kg,kg,2,") != NULL);
    /* Bad shard syntax is a usage error. */
    snprintf(args, sizeof args, "%s --shard 3/3 -o '%s/x'", cmd, dir);
    CHECK_INT(dcsim(args), 2);
}

static void progress(void)
{
    /* Not a terminal: one plain line per finished run. */
    char args[1024], p[512], out[8192];
    snprintf(args, sizeof args, "sweep fixtures/run/flat.yaml --set duration=2h,3h -j 1 -o '%s/pr'",
             dir);
    CHECK_INT(dcsim(args), 0);
    CHECK(strstr(err_text, "dcsim sweep: [1/2] flat__duration=2h__seed3 ok (0 failed, ") != NULL);
    CHECK(strstr(err_text, "dcsim sweep: [2/2] flat__duration=3h__seed3 ok (0 failed, ") != NULL);
    CHECK(strchr(err_text, '\r') == NULL);
    /* A terminal (script(1) provides one): a bar redrawn with \r, ending
     * complete; skipped where script is not installed. */
    snprintf(p, sizeof p, "%s/tty", dir);
    snprintf(args, sizeof args,
             "command -v script >/dev/null || exit 77; script -qec \"'%s' sweep "
             "fixtures/run/flat.yaml --set duration=2h,3h -j 1 -o '%s/tty.d'\" /dev/null >'%s'",
             bin, dir, p);
    int rc = system(args);
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
        return;
    CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    read_file(p, out, sizeof out);
    CHECK(strstr(out, "\r[###############...............] 1/2 done, 0 failed, ") != NULL);
    CHECK(strstr(out, "\r[##############################] 2/2 done, 0 failed, ") != NULL);
    CHECK(strstr(out, " elapsed, ETA ") != NULL);
}

static void bench(void)
{
    /* Two short runs: every key printed, values sane. */
    char p[512], out[4096];
    snprintf(p, sizeof p, "%s/out", dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "'%s' bench sweep --runs 2 -j 2 --scenario fixtures/run/flat.yaml --duration 2h "
             ">'%s' 2>/dev/null", bin, p);
    CHECK_INT(system(cmd), 0);
    read_file(p, out, sizeof out);
    const char *keys[] = {"\nsweep_runs_per_s ", "\nsweep_speedup ", "\nsweep_overhead_pct ",
                          "\nsweep_overhead_trace_pct "};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *k = strstr(out, keys[i]);
        CHECK(k != NULL);
        if (k)
            CHECK(strtod(k + strlen(keys[i]), NULL) > (i < 2 ? 0.0 : -100.0));
    }
    CHECK_INT(dcsim("bench sweep --runs 0"), 2);
    CHECK(strstr(err_text, "--runs '0': expected an integer from 1 to 4096") != NULL);
}

int main(void)
{
    bin = getenv("DCSIM_BIN");
    if (!bin)
        TEST_SKIP("DCSIM_BIN not set (run through ctest)");
    snprintf(dir, sizeof dir, "/tmp/dcsim-test-sweep-XXXXXX");
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return TEST_END();
    }
    RUN(names_and_failure);
    RUN(resume_after_kill);
    RUN(shards_and_merge);
    RUN(progress);
    RUN(bench);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_END();
}
