/*
 * test_run_cli.c - `dcsim run` as a user runs it: run -> export round trip,
 * identical exported data with 1 and 4 threads for every dataset, and bad
 * input (exit 2, the located message, no output file).
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "cli_util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];
static const char *bin;
static char out_text[1 << 20], err_text[16384];


/* Run `dcsim ARGS` (quoted for sh); returns the exit code, with stdout and
 * stderr in out_text and err_text. */
static int dcsim(const char *args)
{
    char cmd[4096], p[512];
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s/out' 2>'%s/err'", bin, args, dir, dir);
    int st = system(cmd);
    snprintf(p, sizeof p, "%s/out", dir);
    read_file(p, out_text, sizeof out_text);
    snprintf(p, sizeof p, "%s/err", dir);
    read_file(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}


/* The value of metric name in an exported summary (NAN if absent). */
static double metric(const char *tsv, const char *name)
{
    char key[128];
    snprintf(key, sizeof key, "\n%s\t", name);
    const char *p = strstr(tsv, key);
    return p ? strtod(p + strlen(key), NULL) : (double)NAN;
}

static void round_trip(void)
{
    char args[1024], path[512];
    snprintf(path, sizeof path, "%s/flat.h5", dir);
    snprintf(args, sizeof args, "run fixtures/run/flat.yaml -o '%s' --set duration=6h -q", path);
    CHECK_INT(dcsim(args), 0);
    CHECK(exists(path));
    snprintf(args, sizeof args, "export '%s' --summary", path);
    CHECK_INT(dcsim(args), 0);
    CHECK(strncmp(out_text, "metric\tvalue\tunit\n", 18) == 0);
    /* The flat intensity of flat.yaml: 0.36 kg/kWh of facility energy. */
    double fac = metric(out_text, "energy_facility_kwh");
    CHECK(fac > 0);
    CHECK_NEAR(metric(out_text, "carbon_kg"), 0.36 * fac, 1e-12);
    snprintf(args, sizeof args, "export '%s' sites/hall/series", path);
    CHECK_INT(dcsim(args), 0);
    CHECK(strncmp(out_text, "time_s\tambient_c\t", 17) == 0);
    int lines = 0;
    for (const char *c = out_text; *c; c++)
        lines += *c == '\n';
    CHECK_INT(lines, 1 + 6);     /* header and six hourly samples */
    snprintf(args, sizeof args, "export '%s' scenario", path);
    CHECK_INT(dcsim(args), 0);
    CHECK(strstr(out_text, "duration: 6h") != NULL);   /* the --set is recorded */
}

/* Every exportable dataset of the fleet scenario, run with 1 and 4 threads. */
static void threads_identical(void)
{
    char args[1024], a[512], b[512];
    snprintf(a, sizeof a, "%s/t1.h5", dir);
    snprintf(b, sizeof b, "%s/t4.h5", dir);
    snprintf(args, sizeof args, "run fixtures/run/fleet.yaml -o '%s' --threads 1 -q", a);
    CHECK_INT(dcsim(args), 0);
    snprintf(args, sizeof args, "run fixtures/run/fleet.yaml -o '%s' --threads 4 -q", b);
    CHECK_INT(dcsim(args), 0);
    snprintf(args, sizeof args, "export '%s' --list", a);
    CHECK_INT(dcsim(args), 0);
    char *list = strdup(out_text);
    int compared = 0;
    for (char *name = strtok(list, "\n"); name; name = strtok(NULL, "\n")) {
        static char first[1 << 20];
        snprintf(args, sizeof args, "export '%s' '%s'", a, name);
        CHECK_INT(dcsim(args), 0);
        memcpy(first, out_text, sizeof first);
        snprintf(args, sizeof args, "export '%s' '%s'", b, name);
        CHECK_INT(dcsim(args), 0);
        if (strcmp(first, out_text) != 0)
            fprintf(stderr, "    dataset %s differs\n", name);
        CHECK(strcmp(first, out_text) == 0);
        compared++;
    }
    free(list);
    CHECK(compared >= 10);     /* summary, scenario, jobs, events, 4 series, 4 summaries */
}

static void bad_input_writes_nothing(void)
{
    char args[1024], path[512], tmp[520];
    snprintf(path, sizeof path, "%s/bad.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(args, sizeof args, "run bad/unit_missing.yaml -o '%s'", path);
    CHECK_INT(dcsim(args), 2);
    CHECK(strncmp(err_text, "bad/unit_missing.yaml:", 22) == 0);
    CHECK(!exists(path) && !exists(tmp));
    snprintf(args, sizeof args, "run fixtures/run/flat.yaml -o '%s' --set sites.hall.nodes=3", path);
    CHECK_INT(dcsim(args), 2);
    CHECK(strncmp(err_text, "--set:1:", 8) == 0);
    CHECK(!exists(path) && !exists(tmp));
    CHECK_INT(dcsim("run"), 2);
    CHECK_INT(dcsim("run fixtures/run/flat.yaml --threads 0"), 2);
    CHECK_INT(dcsim("run fixtures/run/flat.yaml --seed x"), 2);
    CHECK_INT(dcsim("run --help"), 0);
    CHECK(strstr(out_text, "usage: dcsim run") != NULL);
}

/* On a terminal (script(1) provides one) a progress line is shown; in a
 * pipe (every other test here) it is not. */
static void progress_on_terminal(void)
{
    if (system("command -v script >/dev/null 2>&1") != 0) {
        fprintf(stderr, "    script(1) not found: progress check skipped\n");
        return;
    }
    char args[1024], path[512];
    snprintf(path, sizeof path, "%s/prog.h5", dir);
    snprintf(args, sizeof args, "-qc \"'%s' run fixtures/run/fleet.yaml -o '%s' "
             "--set duration=200d\" /dev/null", bin, path);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "script %s >'%s/out' 2>&1", args, dir);
    CHECK_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/out", dir);
    read_file(cmd, out_text, sizeof out_text);
    CHECK(strstr(out_text, "dcsim run: ") != NULL);
    CHECK(strstr(out_text, "simulated days") != NULL);
    CHECK(strstr(err_text, "simulated days") == NULL);   /* the pipe runs above */
}

int main(void)
{
    bin = getenv("DCSIM_BIN");
    if (!bin) {
        fprintf(stderr, "DCSIM_BIN is not set (CTest sets it)\n");
        CHECK(!"DCSIM_BIN is set by CTest");
        return TEST_END();
    }
    snprintf(dir, sizeof dir, "/tmp/dcsim-run-XXXXXX");
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return TEST_END();
    }
    RUN(round_trip);
    RUN(threads_identical);
    RUN(bad_input_writes_nothing);
    RUN(progress_on_terminal);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
    return TEST_END();
}
