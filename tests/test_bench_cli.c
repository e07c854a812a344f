/* test_bench_cli.c - `dcsim bench` on the command line: the listing, help,
 * bad options (exit 2 with a clear message) and the keys a small PHOLD run
 * prints. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "harness.h"

static char out[8192];

/* Run `dcsim ARGS 2>&1`, keep its output in `out`, return the exit code. */
static int dcsim(const char *args)
{
    const char *bin = getenv("DCSIM_BIN");
    if (!bin)
        TEST_SKIP("DCSIM_BIN is not set (run through CTest)");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", bin, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void listing_and_help(void)
{
    CHECK_INT(dcsim("bench"), 2);
    CHECK(strstr(out, "phold") != NULL);
    CHECK_INT(dcsim("bench --help"), 0);
    CHECK(strstr(out, "phold") != NULL);
    CHECK_INT(dcsim("bench phold --help"), 0);
    CHECK(strstr(out, "--lookahead S") != NULL);
}

static void bad_options(void)
{
    CHECK_INT(dcsim("bench nosuch"), 2);
    CHECK_STR(out, "dcsim bench: unknown benchmark 'nosuch'; valid names: fleet-year, phold, serving, sweep\n");
    CHECK_INT(dcsim("bench phold --lps 0"), 2);
    CHECK_STR(out, "dcsim bench phold: --lps '0': expected an integer from 1 to 16777215\n");
    CHECK_INT(dcsim("bench phold --remote 1.5"), 2);
    CHECK_STR(out, "dcsim bench phold: --remote '1.5': expected a probability from 0 to 1\n");
    CHECK_INT(dcsim("bench phold --lookahead abc"), 2);
    CHECK_STR(out, "dcsim bench phold: --lookahead 'abc': expected seconds from 1e-9 to 1e6\n");
    CHECK_INT(dcsim("bench phold --threads"), 2);
    CHECK_STR(out, "dcsim bench phold: --threads needs a value (see --help)\n");
    CHECK_INT(dcsim("bench phold --frobnicate 3"), 2);
    CHECK_STR(out, "dcsim bench phold: unknown option '--frobnicate' (see --help)\n");
}

static void small_run_prints_keys(void)
{
    CHECK_INT(dcsim("bench phold --lps 200 --end 50 --threads 2 --repeat 1"), 0);
    const char *keys[] = {"phold_events_per_s ", "phold_bare_events_per_s ", "phold_ratio ",
                          "phold_checksum ", "phold_bytes_per_event ", "phold_speedup ",
                          "phold_checksum_equal 1 bool", "phold_bare_checksum_equal 1 bool"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int found = strstr(out, keys[i]) != NULL;
        CHECK(found);
        if (!found)
            fprintf(stderr, "    missing '%s' in:\n%s", keys[i], out);
    }
}

int main(void)
{
    RUN(listing_and_help);
    RUN(bad_options);
    RUN(small_run_prints_keys);
    return TEST_END();
}
