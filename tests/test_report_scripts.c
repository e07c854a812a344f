/*
 * test_report_scripts.c - every gnuplot script in analysis/ renders a small
 * input: a sweep of tests/fixtures/run/flat.yaml (2 h, air and immersion
 * cooling, seeds 3 and 4), its `dcsim compare --format csv` table and one
 * trace's site series.  Each plot must exist as an SVG (with an <svg> root)
 * and a PNG (with the PNG signature).  The workload plots (latency CDF,
 * load against carbon intensity, a fault window) render from two short
 * serving runs.  Skipped (exit 77) when gnuplot is not
 * on PATH, as the scripts need it at run time.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[128];
static const char *bin;

static int sh(const char *cmd)
{
    return system(cmd);
}

/* First size-1 bytes of path into buf (empty if unreadable). */
static size_t slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return n;
}

/* Render script with vars into DIR/out and check the file's kind. */
static void render(const char *script, const char *vars, const char *out)
{
    char cmd[2048], path[512], buf[4096];
    snprintf(path, sizeof path, "%s/%s", dir, out);
    snprintf(cmd, sizeof cmd, "gnuplot -e \"%s; out='%s'\" ../analysis/%s 2>'%s/gp.err'", vars,
             path, script, dir);
    CHECK_INT(sh(cmd), 0);
    size_t n = slurp(path, buf, sizeof buf);
    CHECK(n > 100);
    if (strstr(out, ".svg"))
        CHECK(strstr(buf, "<svg") != NULL);
    else
        CHECK(n > 8 && memcmp(buf, "\x89PNG", 4) == 0);
}

static void scripts_render(void)
{
    char cmd[2048], vars[1024];
    snprintf(cmd, sizeof cmd,
             "'%s' sweep fixtures/run/flat.yaml --set duration=2h "
             "--set sites.hall.cooling.type=air,immersion --seeds 2 -o '%s/sw' --quiet "
             ">/dev/null 2>&1",
             bin, dir);
    CHECK_INT(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "'%s' compare '%s/sw' --format csv >'%s/c.csv' 2>/dev/null", bin,
             dir, dir);
    CHECK_INT(sh(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "'%s' export '%s/sw/flat__duration=2h__sites.hall.cooling.type=air__seed3.h5' "
             "sites/hall/series >'%s/s.tsv'",
             bin, dir, dir);
    CHECK_INT(sh(cmd), 0);
    const char *ext[2] = {".svg", ".png"};
    for (int i = 0; i < 2; i++) {
        char out[64];
        snprintf(vars, sizeof vars, "in='%s/s.tsv'; site='hall'", dir);
        snprintf(out, sizeof out, "series%s", ext[i]);
        render("series.gp", vars, out);
        snprintf(out, sizeof out, "pue_ambient%s", ext[i]);
        render("pue_ambient.gp", vars, out);
        snprintf(vars, sizeof vars, "in='%s/c.csv'; metric='energy_facility_kwh'", dir);
        snprintf(out, sizeof out, "bars%s", ext[i]);
        render("design_bars.gp", vars, out);
        snprintf(vars, sizeof vars, "in='%s/c.csv'; x='cost_usd'; y='carbon_kg'", dir);
        snprintf(out, sizeof out, "pareto%s", ext[i]);
        render("pareto.gp", vars, out);
    }
    /* The bar chart names both designs on its axis. */
    char buf[1 << 16];
    snprintf(cmd, sizeof cmd, "%s/bars.svg", dir);
    slurp(cmd, buf, sizeof buf);
    CHECK(strstr(buf, "cooling.type=air") != NULL);
    CHECK(strstr(buf, "cooling.type=immersion") != NULL);
    /* A script without in/out refuses with exit status 2. */
    CHECK(sh("gnuplot ../analysis/series.gp >/dev/null 2>&1") != 0);
}

/* The workload plots from two short runs of a serving site (seeds 1 and
 * 2): the chat workload's end-to-end latency CDF, and the site's load
 * against its grid intensity; the CDF's legend names both curves. */
static void workload_scripts_render(void)
{
    char cmd[2048], vars[1024];
    for (int seed = 1; seed <= 2; seed++) {
        snprintf(cmd, sizeof cmd,
                 "'%s' run fixtures/run/serving-small.yaml --set duration=20min --seed %d "
                 "-o '%s/w%d.h5' -q && '%s' export '%s/w%d.h5' workloads/chat/histograms/e2e "
                 ">'%s/e2e%d.tsv' && '%s' export '%s/w%d.h5' sites/dc/series >'%s/dc%d.tsv'",
                 bin, seed, dir, seed, bin, dir, seed, dir, seed, bin, dir, seed, dir, seed);
        CHECK_INT(sh(cmd), 0);
    }
    const char *ext[2] = {".svg", ".png"};
    for (int i = 0; i < 2; i++) {
        char out[64];
        snprintf(vars, sizeof vars,
                 "in='%s/e2e1.tsv %s/e2e2.tsv'; titles='seed-one seed-two'; what='chat e2e'", dir,
                 dir);
        snprintf(out, sizeof out, "cdf%s", ext[i]);
        render("latency_cdf.gp", vars, out);
        snprintf(vars, sizeof vars, "in='%s/dc1.tsv'; titles='dc'", dir);
        snprintf(out, sizeof out, "placement%s", ext[i]);
        render("carbon_placement.gp", vars, out);
        snprintf(vars, sizeof vars, "in='%s/dc1.tsv %s/dc2.tsv'; titles='dc-one dc-two'; "
                 "from=0; to=0.3", dir, dir);
        snprintf(out, sizeof out, "faults%s", ext[i]);
        render("faults.gp", vars, out);
    }
    char buf[1 << 16];
    snprintf(cmd, sizeof cmd, "%s/cdf.svg", dir);
    slurp(cmd, buf, sizeof buf);
    CHECK(strstr(buf, "seed-one") != NULL);
    CHECK(strstr(buf, "seed-two") != NULL);
    snprintf(cmd, sizeof cmd, "%s/faults.svg", dir);
    slurp(cmd, buf, sizeof buf);
    CHECK(strstr(buf, "dc-two") != NULL);
    CHECK(strstr(buf, "requests served") != NULL);
}

int main(void)
{
    if (sh("command -v gnuplot >/dev/null 2>&1") != 0)
        TEST_SKIP("gnuplot is not on PATH");
    bin = getenv("DCSIM_BIN");
    if (!bin)
        bin = "../build/dcsim";
    snprintf(dir, sizeof dir, "/tmp/dcsim_test_report_scripts_%ld", (long)getpid());
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (sh(cmd) != 0)
        TEST_SKIP("cannot make a scratch folder");
    RUN(scripts_render);
    RUN(workload_scripts_render);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    (void)sh(cmd);
    return TEST_END();
}
