/*
 * test_compare.c - dcsim compare's statistics against hand computations,
 * and the comparison table on hand-made traces written with the trace
 * writer (two designs over common seeds, one extra seed, a failed run).
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcsim/compare.h"
#include "dcsim/sweep.h"
#include "dcsim/trace.h"

static void mean_ci(void)
{
    /* x = 1, 2, 3, 4: mean 2.5; sum of squared deviations 2.25 + 0.25 +
     * 0.25 + 2.25 = 5, sd = sqrt(5/3) = 1.290994; t(0.975, 3) = 3.182446;
     * half-width 3.182446 * 1.290994 / sqrt(4) = 2.054260. */
    const double x[] = {1, 2, 3, 4};
    dcs_compare_ci ci = dcs_compare_mean_ci(x, 4, 0.95);
    CHECK_INT((int)ci.n, 4);
    CHECK_NEAR(ci.mean, 2.5, 1e-15);
    CHECK_NEAR(ci.sd, 1.290994, 1e-6);
    CHECK_NEAR(ci.half_width, 2.054260, 1e-6);
    /* 90 %: t(0.95, 3) = 2.353363, half-width 2.353363 * 1.290994 / 2 =
     * 1.519089. */
    CHECK_NEAR(dcs_compare_mean_ci(x, 4, 0.90).half_width, 1.519089, 1e-6);
    /* One value: a mean, no interval; none: nothing. */
    ci = dcs_compare_mean_ci(x, 1, 0.95);
    CHECK_NEAR(ci.mean, 1.0, 1e-15);
    CHECK(isnan(ci.half_width));
    CHECK(isnan(dcs_compare_mean_ci(x, 0, 0.95).mean));
}

static void paired_ci(void)
{
    /* d = (10-9, 12-10, 14-13, 11-9) = 1, 2, 1, 2: mean 1.5, sd =
     * sqrt(4 * 0.25 / 3) = 0.577350, half-width 3.182446 * 0.577350 / 2 =
     * 0.918693. */
    const double x[] = {10, 12, 14, 11}, y[] = {9, 10, 13, 9};
    dcs_compare_ci ci = dcs_compare_paired_ci(x, y, 4, 0.95);
    CHECK_NEAR(ci.mean, 1.5, 1e-15);
    CHECK_NEAR(ci.sd, 0.577350, 1e-6);
    CHECK_NEAR(ci.half_width, 0.918693, 1e-6);
}

static char dir[64];

/* A complete trace DIR/NAME.h5 with seed and one summary metric. */
static void write_trace(const char *name, const char *scenario, uint64_t seed, double m)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.h5", dir, name);
    dcs_trace_meta meta = {scenario, "name: x\n", seed, 1};
    dcs_trace *tr = NULL;
    CHECK_INT(dcs_trace_open(path, &meta, &tr, NULL, 0), DCS_OK);
    dcs_trace_metric rows[] = {{"energy_kwh", m, "kWh"}, {"pue", 1.25, "1"}};
    CHECK_INT(dcs_trace_summary(tr, NULL, rows, 2), DCS_OK);
    CHECK_INT(dcs_trace_commit(tr, 0.5), DCS_OK);
    dcs_trace_close(tr);
}

/* Run dcs_compare_print as CSV into buf; returns its exit code. */
static int compare_csv(const dcs_compare_opts *o, char *buf, size_t size)
{
    const char *paths[] = {dir};
    FILE *out = fmemopen(buf, size, "w");
    FILE *err = fopen("/dev/null", "w");
    int rc = dcs_compare_print(paths, 1, o, out, err);
    fclose(out);
    fclose(err);
    return rc;
}

static void table(void)
{
    /* Design a: seeds 1..4, energy 1, 2, 3, 4 (CI as in mean_ci).
     * Design b: seeds 1..5, energy 3, 5, 4, 7, 6: mean 5, squared deviations
     * 4 + 0 + 1 + 4 + 1 = 10, sd = sqrt(10/4) = 1.581139, t(0.975, 4) =
     * 2.776445, half-width 2.776445 * 1.581139 / sqrt(5) = 1.963243.
     * b - a over the common seeds 1..4: 2, 3, 1, 3: mean 2.25, squared
     * deviations 0.0625 + 0.5625 + 1.5625 + 0.5625 = 2.75, sd =
     * sqrt(2.75/3) = 0.957427, half-width 3.182446 * 0.957427 / 2 =
     * 1.523480. */
    const double a[] = {1, 2, 3, 4}, b[] = {3, 5, 4, 7, 6};
    char name[128];
    for (int s = 0; s < 4; s++) {
        snprintf(name, sizeof name, "toy__k=a__seed%d", s + 1);
        write_trace(name, "toy", (uint64_t)s + 1, a[s]);
    }
    for (int s = 0; s < 5; s++) {
        snprintf(name, sizeof name, "toy__k=b__seed%d", s + 1);
        write_trace(name, "toy", (uint64_t)s + 1, b[s]);
    }
    /* A failed run is left out. */
    snprintf(name, sizeof name, "%s/toy__k=c__seed1.err", dir);
    FILE *f = fopen(name, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("boom\n", f);
        fclose(f);
    }

    const char *only[] = {"energy_kwh"};
    dcs_compare_opts o = {NULL, NULL, only, 1, 0.95, DCS_COMPARE_CSV};
    char buf[4096];
    CHECK_INT(compare_csv(&o, buf, sizeof buf), 0);
    char *l1 = strchr(buf, '\n');
    char *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
    CHECK(l1 && l2);
    if (!l1 || !l2)
        return;
    *l1 = *l2 = '\0';
    CHECK_STR(buf, "design,metric,unit,n,mean,ci95_half_width,diff_vs_baseline,"
                   "diff_ci95_half_width,n_pairs");
    /* Row a (the baseline: first design). */
    double n, mean, hw;
    char design[64];
    CHECK_INT(sscanf(l1 + 1, "%63[^,],energy_kwh,kWh,%lf,%lf,%lf,,,baseline", design, &n, &mean,
                     &hw), 4);
    CHECK_STR(design, "toy__k=a");
    CHECK_NEAR(n, 4, 0);
    CHECK_NEAR(mean, 2.5, 1e-12);
    CHECK_NEAR(hw, 2.054260, 1e-6);
    /* Row b with its paired difference. */
    double diff, dhw, pairs;
    CHECK_INT(sscanf(l2 + 1, "%63[^,],energy_kwh,kWh,%lf,%lf,%lf,%lf,%lf,%lf", design, &n,
                     &mean, &hw, &diff, &dhw, &pairs), 7);
    CHECK_STR(design, "toy__k=b");
    CHECK_NEAR(n, 5, 0);
    CHECK_NEAR(mean, 5.0, 1e-12);
    CHECK_NEAR(hw, 1.963243, 1e-6);
    CHECK_NEAR(diff, 2.25, 1e-12);
    CHECK_NEAR(dhw, 1.523480, 1e-6);
    CHECK_NEAR(pairs, 4, 0);

    /* Baseline b: the difference changes sign, same interval. */
    o.baseline = "toy__k=b";
    CHECK_INT(compare_csv(&o, buf, sizeof buf), 0);
    const char *ra = strstr(buf, "\ntoy__k=a,");
    CHECK(ra && sscanf(ra + 1, "%63[^,],energy_kwh,kWh,%lf,%lf,%lf,%lf,%lf", design, &n, &mean,
                       &hw, &diff, &dhw) == 6);
    CHECK_NEAR(diff, -2.25, 1e-12);
    CHECK_NEAR(dhw, 1.523480, 1e-6);

    /* --by k gives the same designs under the names "k=a", "k=b". */
    o.baseline = "k=a";
    o.by = "k";
    CHECK_INT(compare_csv(&o, buf, sizeof buf), 0);
    CHECK(strstr(buf, "\nk=b,energy_kwh,kWh,5,5,") != NULL);

    /* Unknown baseline or metric: usage errors. */
    o.baseline = "nope";
    CHECK_INT(compare_csv(&o, buf, sizeof buf), 2);
    const char *bad[] = {"no_metric"};
    dcs_compare_opts o2 = {NULL, NULL, bad, 1, 0.95, DCS_COMPARE_TEXT};
    CHECK_INT(compare_csv(&o2, buf, sizeof buf), 2);
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    if (dcs_trace_init() != DCS_OK)
        return 1;
    snprintf(dir, sizeof dir, "/tmp/dcsim-test-compare-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(mean_ci);
    RUN(paired_ci);
    RUN(table);
    cleanup();
    return TEST_END();
}
