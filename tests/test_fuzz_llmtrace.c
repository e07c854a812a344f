/*
 * test_fuzz_llmtrace.c - regression test for the fuzz_llmtrace harness:
 * replays every crash input the fuzzer found (fixtures/fuzz/llmtrace/) and
 * the committed seeds (../fuzz/corpus/llmtrace/) through the harness's own
 * code (fuzz/fuzz_llmtrace.c, included with its entry point renamed), in the
 * normal build and under `make asan`, with focused tests of the fixes.
 */
#define FUZZ_ENTRY fuzz_llmtrace_one
#include "../fuzz/fuzz_llmtrace.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/llmtrace", fuzz_llmtrace_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/llmtrace", fuzz_llmtrace_one);
    fprintf(stderr, "   %d crash inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes > 0 && seeds > 0);
}

/* Load text as a trace; returns the status, the trace in *t. */
static dcs_status load_text(const char *text, dcs_diag *d, dcs_llm_trace *t)
{
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".csv");
    fuzz_write_file(path, (const uint8_t *)text, strlen(text));
    dcs_status st = dcs_llm_trace_load(path, d, t);
    unlink(path);
    return st;
}

/* The fuzzer's find (fixtures/fuzz/llmtrace/year_0223_overflow.csv): a row
 * of year 0223 made seconds since 1970 times 1e9 overflow int64 (-5.5e10 s
 * x 1e9 ns).  Years are now 1970 to 2200: 0223 and 2201 are bad
 * timestamps, 1970 and 2200 are read, and their span, 230 years and a bit
 * (2200-12-31 is 84,370 days after 1970-01-01: 7.290e18 ns), fits. */
static void years_bounded(void)
{
    static const char hdr[] = "TIMESTAMP,ContextTokens,GeneratedTokens\n";
    char text[512];
    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t = {0};
    snprintf(text, sizeof text, "%s0223-11-16 18:17:04,10,1\n2201-01-01 00:00:00,10,1\n", hdr);
    CHECK_INT(load_text(text, d, &t), DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 3);   /* both rows, then "no requests in trace" */
    CHECK(strstr(dcs_diag_line(d, 0), ":2:1: bad timestamp '0223-11-16 18:17:04'") != NULL);
    CHECK(strstr(dcs_diag_line(d, 1), ":3:1: bad timestamp '2201-01-01 00:00:00'") != NULL);
    CHECK(strstr(dcs_diag_line(d, 2), ": no requests in trace") != NULL);
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);

    d = dcs_diag_new();
    snprintf(text, sizeof text, "%s1970-01-01 00:00:00,10,1\n2200-12-31 00:00:00,10,1\n", hdr);
    CHECK_INT(load_text(text, d, &t), DCS_OK);
    CHECK_INT(t.n, 2);
    CHECK_INT(t.at[0], 0);
    CHECK_INT(t.at[1], (dcs_time)84370 * 86400 * DCS_SECOND);
    /* Replayed at the largest time scale the schema allows (1e6), looping:
     * the period (span + one gap = 2 x 7.29e18 ns, x 1e6) saturates instead
     * of overflowing, and arrivals never go back. */
    dcs_trace_replay r;
    dcs_trace_replay_init(&r, &t, 1e6, true);
    dcs_time at, prev = 0;
    int32_t pr, ou;
    for (int k = 0; k < 6 && dcs_trace_replay_next(&r, &at, &pr, &ou); k++) {
        CHECK(at >= prev);
        prev = at;
    }
    CHECK(r.period == DCS_TIME_MAX);
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(replay);
    RUN(years_bounded);
    return TEST_END();
}
