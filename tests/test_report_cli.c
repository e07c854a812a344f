/*
 * test_report_cli.c - `dcsim report` on a tiny sweep (air and immersion
 * cooling x seeds 3, 4 of tests/fixtures/run/flat.yaml, 2 h): index.html
 * holds every plot inline (5 default bar charts, the Pareto plot, the site
 * series and PUE against ambient: 8 <svg>), the comparison table, each
 * design's scenario in <details>, the seeds, and no script or external
 * stylesheet.  When chromium is installed the page is rendered headless and
 * the same elements are looked for in the DOM; otherwise that part is left
 * out.  Skipped (exit 77) when gnuplot is not on PATH.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[128];
static const char *bin;
static char page[1 << 20];

static size_t slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return n;
}

static int count(const char *text, const char *what)
{
    int n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* The elements a reader must see, in the file or the rendered DOM. */
static void check_page(const char *text)
{
    CHECK_INT(count(text, "<svg"), 8);
    CHECK_INT(count(text, "<table"), 1);
    CHECK(strstr(text, "energy_facility_kwh") != NULL);
    CHECK(strstr(text, "cooling.type=immersion") != NULL);
    CHECK_INT(count(text, "<details>"), 2);
    CHECK(strstr(text, "seed 4") != NULL);
}

static void report_renders(void)
{
    char cmd[2048], path[256];
    snprintf(cmd, sizeof cmd,
             "'%s' sweep fixtures/run/flat.yaml --set duration=2h "
             "--set sites.hall.cooling.type=air,immersion --seeds 2 -o '%s/sw' --quiet "
             ">/dev/null 2>&1",
             bin, dir);
    CHECK_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "'%s' report '%s/sw' -o '%s/rep' >/dev/null 2>&1", bin, dir, dir);
    CHECK_INT(system(cmd), 0);
    snprintf(path, sizeof path, "%s/rep/index.html", dir);
    CHECK(slurp(path, page, sizeof page) > 1000);
    check_page(page);
    CHECK(strstr(page, "<script") == NULL);
    CHECK(strstr(page, "<link") == NULL);
    /* No output folder is a usage error. */
    snprintf(cmd, sizeof cmd, "'%s' report '%s/sw' >/dev/null 2>&1", bin, dir);
    CHECK(system(cmd) != 0);
    if (system("command -v chromium >/dev/null 2>&1") != 0) {
        fprintf(stderr, "chromium is not installed: headless rendering left out\n");
        return;
    }
    snprintf(cmd, sizeof cmd,
             "chromium --headless --no-sandbox --disable-gpu --dump-dom 'file://%s' "
             ">'%s/dom.html' 2>/dev/null",
             path, dir);
    CHECK_INT(system(cmd), 0);
    snprintf(path, sizeof path, "%s/dom.html", dir);
    slurp(path, page, sizeof page);
    check_page(page);
}

int main(void)
{
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        TEST_SKIP("gnuplot is not on PATH");
    bin = getenv("DCSIM_BIN");
    if (!bin)
        bin = "../build/dcsim";
    snprintf(dir, sizeof dir, "/tmp/dcsim_test_report_cli_%ld", (long)getpid());
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(cmd) != 0)
        TEST_SKIP("cannot make a scratch folder");
    RUN(report_renders);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_END();
}
