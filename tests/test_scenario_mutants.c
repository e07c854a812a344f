/*
 * test_scenario_mutants.c - the loader never crashes and never half-succeeds
 * on damaged input.
 *
 * scenarios/minimal.yaml is damaged 3,000 times with a seeded generator
 * (GSL taus2, seed 20261123): a byte replaced by one of YAML's special
 * characters, a tab, a NUL or an invalid UTF-8 byte; a byte deleted; a line
 * duplicated; the file truncated.  Each mutant is loaded with a random
 * --set override, and the outcome must be consistent: either DCS_OK with no
 * errors and a scenario, or DCS_EINPUT with at least one error, no scenario,
 * and a first line that is located ("FILE:..." or "--set:...").  Run under
 * AddressSanitizer (make asan), this also checks that no mutant reads out of
 * bounds or leaks.
 */
#define _POSIX_C_SOURCE 200809L   /* mkstemp */

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcsim/scenario.h"
#include "harness.h"

enum { MUTANTS = 3000 };

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    *len = fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    return buf;
}

static size_t mutate(gsl_rng *r, const char *src, size_t n, char *dst)
{
    static const char special[] = ":-[]{}#&*!|>'\"%@`,? \n\t0";
    memcpy(dst, src, n);
    size_t at = gsl_rng_uniform_int(r, n);
    switch (gsl_rng_uniform_int(r, 5)) {
    case 0:
        dst[at] = special[gsl_rng_uniform_int(r, sizeof special - 1)];
        return n;
    case 1:
        dst[at] = gsl_rng_uniform_int(r, 2) ? '\0' : (char)0xff;
        return n;
    case 2:
        memmove(dst + at, dst + at + 1, n - at - 1);
        return n - 1;
    case 3: {
        /* Duplicate the line that contains `at` (often a duplicate key). */
        size_t b = at, e = at;
        while (b > 0 && src[b - 1] != '\n')
            b--;
        while (e < n && src[e] != '\n')
            e++;
        if (e < n)
            e++;
        memcpy(dst + e, src + b, e - b);
        memcpy(dst + e + (e - b), src + e, n - e);
        return n + (e - b);
    }
    default:
        return at;   /* truncated */
    }
}

static void mutants_fail_cleanly(void)
{
    size_t n = 0;
    char *src = slurp("../scenarios/minimal.yaml", &n);
    CHECK(src != NULL && n > 100);
    char path[] = "/tmp/dcsim-mutant-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (!src || fd < 0) {
        free(src);
        return;
    }
    close(fd);
    char *buf = malloc(2 * n + 2);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    CHECK(buf != NULL && r != NULL);
    if (!buf || !r) {
        free(buf);
        free(src);
        unlink(path);
        return;
    }
    gsl_rng_set(r, 20261123);
    static const char *const sets[] = {
        "duration=2 d", "sites.lulea.power_limit=1 GW", "sites[0].cooling={type: air}",
        "policy.placement=nearest", "sites.x.y=1", "seed=[1", "=", "a..b=1",
    };
    int ok = 0, bad = 0, inconsistent = 0, unlocated = 0;
    for (int i = 0; i < MUTANTS; i++) {
        size_t m = mutate(r, src, n, buf);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, m, f) != m || fclose(f) != 0) {
            CHECK(!"temporary file written");
            break;
        }
        const char *set = sets[gsl_rng_uniform_int(r, sizeof sets / sizeof sets[0])];
        dcs_diag *d = dcs_diag_new();
        dcs_scenario *s = NULL;
        dcs_status st = dcs_scenario_load(path, &set, 1, d, &s);
        if (st == DCS_OK && s && dcs_diag_errors(d) == 0) {
            ok++;
        } else if (st == DCS_EINPUT && !s && dcs_diag_errors(d) > 0) {
            bad++;
            const char *line = dcs_diag_line(d, 0);
            if (!line || (strncmp(line, path, strlen(path)) != 0 &&
                          strncmp(line, "--set:", 6) != 0))
                unlocated++;
        } else {
            inconsistent++;
        }
        dcs_scenario_free(s);
        dcs_diag_free(d);
    }
    fprintf(stderr, "   %d mutants loaded, %d rejected\n", ok, bad);
    CHECK_INT(inconsistent, 0);
    CHECK_INT(unlocated, 0);
    CHECK(bad > MUTANTS / 2);   /* most damage must be noticed */
    gsl_rng_free(r);
    free(buf);
    free(src);
    unlink(path);
}

int main(void)
{
    RUN(mutants_fail_cleanly);
    return TEST_END();
}
