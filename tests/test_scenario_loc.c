/*
 * test_scenario_loc.c - errors found after loading point into the
 * scenario: dcs_scenario_loc walks key paths to the line and column where
 * the value was written (fixtures/scenario_loc/short_epw.yaml, whose lines
 * are counted in its header), and the model build reports a weather file
 * that is one day long at the `epw:` key, exit 2 and no trace.
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "scenario_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcsim/model.h"

static const char *FIX = "fixtures/scenario_loc/short_epw.yaml";

static void paths_to_lines(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load(FIX, NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    /* `    climate: {epw: ../epw/good.epw}` is line 11; the value starts at
     * column 20 (4 spaces, then "climate: {" is columns 5-14 and "epw: "
     * 15-19). */
    dcs_loc epw = dcs_scenario_loc(s, "sites[%d].climate.epw", 0);
    CHECK_STR(epw.file, FIX);
    CHECK_INT(epw.line, 11);
    CHECK_INT(epw.col, 20);
    /* The same item by its name. */
    dcs_loc by_name = dcs_scenario_loc(s, "sites.hall.climate.epw");
    CHECK_INT(by_name.line, 11);
    CHECK_INT(by_name.col, 20);
    /* A default (no `start:` written) gives the nearest written value:
     * the document itself; a missing key under a site gives the site
     * (line 9, `  - name: hall`, the mapping starts at column 5). */
    dcs_loc start = dcs_scenario_loc(s, "start");
    CHECK_STR(start.file, FIX);
    CHECK(start.line >= 1 && start.line <= 4);
    dcs_loc limit = dcs_scenario_loc(s, "sites[0].power_limit");
    CHECK_INT(limit.line, 9);
    CHECK_INT(limit.col, 5);
    /* Out of range and unknown names stop at the list, which starts at its
     * first dash (line 9, column 3). */
    dcs_loc list = dcs_scenario_loc(s, "sites[7].name");
    CHECK_INT(list.line, 9);
    CHECK_INT(list.col, 3);
    CHECK_INT(dcs_scenario_loc(s, "sites.nowhere").col, 3);
    dcs_scenario_free(s);

    /* An override is located in its --set argument: "policy.control_period="
     * is 22 characters, so the value starts at column 23 of override 1. */
    const char *sets[] = {"policy.control_period=20 min"};
    s = load(FIX, sets, 1, d);
    if (s) {
        dcs_loc cp = dcs_scenario_loc(s, "policy.control_period");
        CHECK_STR(cp.file, "--set");
        CHECK_INT(cp.line, 1);
        CHECK_INT(cp.col, 23);
        dcs_scenario_free(s);
    }
    dcs_diag_free(d);
}

/* The model build refuses the scenario at path with one error, want (the
 * reader's warnings about filled values may come before it). */
static void build_error(const char *path, const char *want)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load(path, NULL, 0, d);
    if (s) {
        dcs_model *m = NULL;
        CHECK_INT(dcs_model_build(s, path, 1, 1, d, &m), DCS_EINPUT);
        CHECK_INT(dcs_diag_errors(d), 1);
        if (dcs_diag_count(d) > 0)
            CHECK_STR(dcs_diag_line(d, dcs_diag_count(d) - 1), want);
        dcs_model_free(m);
        dcs_scenario_free(s);
    }
    dcs_diag_free(d);
}

static void short_weather_file_located(void)
{
    build_error(FIX,
                "fixtures/scenario_loc/short_epw.yaml:11:20: a weather file needs 8760 "
                "hourly rows (a whole year); 'fixtures/scenario_loc/../epw/good.epw' has 24");
    const char *bin = getenv("DCSIM_BIN");
    if (!bin) {
        CHECK(!"DCSIM_BIN is set by CTest");
        return;
    }
    char out[256], cmd[1024];
    snprintf(out, sizeof out, "/tmp/dcsim-scenario-loc-%d.h5", (int)getpid());
    snprintf(cmd, sizeof cmd, "'%s' run %s -o %s 2>/dev/null", bin, FIX, out);
    int rc = system(cmd);
    CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 2);
    CHECK(access(out, F_OK) != 0);
}

/* A job of a job file larger than every site: at its row (line 3, the
 * second job).  Generated jobs that are too large are refused earlier, by
 * the scenario checker at their `gpus:`. */
static void job_too_big_located(void)
{
    build_error("fixtures/scenario_loc/job_too_big.yaml",
                "fixtures/scenario_loc/jobs_big.csv:3:1: job 1 of workload 'train' needs 64 "
                "GPUs; no allowed site has that many free of replicas");
}

int main(void)
{
    RUN(paths_to_lines);
    RUN(short_weather_file_located);
    RUN(job_too_big_located);
    return TEST_END();
}
