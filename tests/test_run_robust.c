/*
 * test_run_robust.c - `dcsim run` under interruption and resource limits
 * (issue 10, item 4):
 *   - SIGINT and SIGTERM during a long run stop it: exit code 1, the message
 *     "interrupted", and neither OUT nor OUT.tmp left behind;
 *   - a scenario whose series would exceed the memory limit is refused up
 *     front (exit 2) with the estimate, and --max-memory raises the limit.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "cli_util.h"

#include "dcsim/site.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];
static const char *bin;
static char err_text[16384];



/* Run `dcsim ARGS` (quoted for sh); returns the exit code, stderr in
 * err_text. */
static int dcsim(const char *args)
{
    char cmd[4096], p[512];
    snprintf(cmd, sizeof cmd, "'%s' %s >/dev/null 2>'%s/err'", bin, args, dir);
    int st = system(cmd);
    snprintf(p, sizeof p, "%s/err", dir);
    read_file(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Start a two-year run of cooling.yaml (six climates x three designs, about
 * 6 s on one core in the release build), send sig 0.3 s into the run and return the exit code
 * (-1 if it did not exit normally); stderr in err_text. */
static int interrupted_run(int sig, const char *out)
{
    char errp[512];
    snprintf(errp, sizeof errp, "%s/err", dir);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(errp, "w", stderr) || !freopen("/dev/null", "w", stdout))
            _exit(99);
        execl(bin, bin, "run", "../scenarios/cooling.yaml", "-o", out, "--set",
              "duration=730d", "--threads", "1", (char *)NULL);
        _exit(98);
    }
    CHECK(pid > 0);
    if (pid <= 0)
        return -1;
    /* Wait until the run itself has started (the "N sites, seed" line that
     * precedes it), so the signal lands in the run, not in start-up; give up
     * after 60 s. */
    for (int i = 0; i < 600; i++) {
        nanosleep(&(struct timespec){0, 100000000}, NULL);
        read_file(errp, err_text, sizeof err_text);
        if (strstr(err_text, " sites, seed "))
            break;
    }
    nanosleep(&(struct timespec){0, 300000000}, NULL);
    kill(pid, sig);
    int st;
    CHECK_INT(waitpid(pid, &st, 0), pid);
    read_file(errp, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void sigint_leaves_no_trace(void)
{
    char out[512], tmp[520];
    snprintf(out, sizeof out, "%s/int.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    CHECK_INT(interrupted_run(SIGINT, out), 1);
    CHECK(strstr(err_text, "dcsim run: interrupted") != NULL);
    CHECK(!exists(out));
    CHECK(!exists(tmp));
}

static void sigterm_leaves_no_trace(void)
{
    char out[512], tmp[520];
    snprintf(out, sizeof out, "%s/term.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    CHECK_INT(interrupted_run(SIGTERM, out), 1);
    CHECK(strstr(err_text, "dcsim run: interrupted") != NULL);
    CHECK(!exists(out));
    CHECK(!exists(tmp));
}

/* flat.yaml has one site; its series have DCS_SITE_NCOLS columns (20 today)
 * plus time_s, 8 bytes each.  With a 1 s sample period over 10 days:
 * 864,000 + 1 rows x 21 x 8 B = 145,152,168 B = 0.135 GiB, over a 64 MiB
 * limit.  The expected text is rebuilt from DCS_SITE_NCOLS so that a new
 * column does not break the test, only changes the figure. */
static void memory_limit_refuses(void)
{
    char args[1024], out[512], want[128];
    snprintf(out, sizeof out, "%s/mem.h5", dir);
    snprintf(args, sizeof args,
             "run fixtures/run/flat.yaml -o '%s' --set duration=10d --set sample_period=1s "
             "--max-memory 64M", out);
    CHECK_INT(dcsim(args), 2);
    double gib = 864001.0 * (DCS_SITE_NCOLS + 1) * 8 / (1024.0 * 1024 * 1024);
    snprintf(want, sizeof want, "about %.3g GiB", gib);
    CHECK(strstr(err_text, want) != NULL);
    snprintf(want, sizeof want, "1 sites x 864001 rows x %d columns", DCS_SITE_NCOLS + 1);
    CHECK(strstr(err_text, want) != NULL);
    CHECK(strstr(err_text, "--max-memory") != NULL);
    CHECK(!exists(out));
    if (DCS_SITE_NCOLS == 17)
        CHECK(strstr(err_text, "about 0.116 GiB") != NULL);   /* the hand figure */
}

/* The default limit (2 GiB) refuses a 1 ns sample period over ten years:
 * 3.1536e17 rows, whose byte count would not even fit in 64 bits. */
static void memory_default_limit(void)
{
    char args[1024], out[512];
    snprintf(out, sizeof out, "%s/huge.h5", dir);
    snprintf(args, sizeof args,
             "run fixtures/run/flat.yaml -o '%s' --set duration=3650d --set sample_period=1ns",
             out);
    CHECK_INT(dcsim(args), 2);
    CHECK(strstr(err_text, "more than the limit of 2 GiB") != NULL);
    CHECK(!exists(out));
}

/* Raising the limit lets a scenario through: 2 h at 1 s is 7,201 rows
 * x 21 x 8 B = 1,209,768 B (1.15 MiB: time and 20 columns), refused at
 * 512K, accepted at 2MiB. */
static void memory_limit_raised(void)
{
    char args[1024], out[512];
    snprintf(out, sizeof out, "%s/ok.h5", dir);
    snprintf(args, sizeof args,
             "run fixtures/run/flat.yaml -o '%s' --set duration=2h --set sample_period=1s "
             "--max-memory 512K -q", out);
    CHECK_INT(dcsim(args), 2);
    CHECK(!exists(out));
    snprintf(args, sizeof args,
             "run fixtures/run/flat.yaml -o '%s' --set duration=2h --set sample_period=1s "
             "--max-memory 2MiB -q", out);
    CHECK_INT(dcsim(args), 0);
    CHECK(exists(out));
}

static void max_memory_bad_value(void)
{
    CHECK_INT(dcsim("run fixtures/run/flat.yaml --max-memory lots"), 2);
    CHECK(strstr(err_text, "--max-memory 'lots'") != NULL);
    CHECK_INT(dcsim("run fixtures/run/flat.yaml --max-memory 0"), 2);
    CHECK_INT(dcsim("run fixtures/run/flat.yaml --max-memory 4Q"), 2);
}

/* A run that would take days is refused up front with its estimate:
 * 3000 days of 5,000 chat requests a second is 1.3e12 arrivals alone, at
 * the assumed 2e6 events/s over 180 hours; nothing is written.  A small
 * run passes the same check. */
static void long_run_refused(void)
{
    char args[1024], out[512];
    snprintf(out, sizeof out, "%s/long.h5", dir);
    snprintf(args, sizeof args,
             "run fixtures/run/serving-small.yaml --set duration=3000d "
             "--set workloads.chat.arrivals.mean_rate=5000/s -o '%s'", out);
    CHECK_INT(dcsim(args), 2);
    CHECK(strstr(err_text, "engine events") != NULL);
    CHECK(strstr(err_text, "--force") != NULL);
    CHECK(!exists(out));
    snprintf(args, sizeof args,
             "run fixtures/run/serving-small.yaml --set duration=10min -o '%s' -q", out);
    CHECK_INT(dcsim(args), 0);
    CHECK(exists(out));
}

int main(void)
{
    bin = getenv("DCSIM_BIN");
    if (!bin)
        TEST_SKIP("DCSIM_BIN not set");
    snprintf(dir, sizeof dir, "/tmp/dcsim-robust-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(sigint_leaves_no_trace);
    RUN(sigterm_leaves_no_trace);
    RUN(memory_limit_refuses);
    RUN(memory_default_limit);
    RUN(memory_limit_raised);
    RUN(max_memory_bad_value);
    RUN(long_run_refused);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_END();
}
