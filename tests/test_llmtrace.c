/* test_llmtrace.c - Azure-format LLM trace import (good rows, every kind of
 * bad row with its exact located message) and replay with time scaling and
 * looping. */
#include "dcsim/llmtrace.h"
#include "harness.h"

static void good_file(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t;
    CHECK_INT(dcs_llm_trace_load("fixtures/workload/llm_good.csv", d, &t), DCS_OK);
    CHECK_INT(dcs_diag_errors(d), 0);
    CHECK_INT(t.n, 4);
    /* 18:17:03.97996 is t = 0; .03196 is 52 ms later; 04.5 is 520.04 ms
     * later; 05 is 1.02004 s later. */
    CHECK_INT(t.at[0], 0);
    CHECK_INT(t.at[1], 52000000);
    CHECK_INT(t.at[2], 520040000);
    CHECK_INT(t.at[3], 1020040000);
    CHECK_INT(t.prompt_tokens[3], 7433);
    CHECK_INT(t.output_tokens[0], 10);
    CHECK_INT(t.output_tokens[2], 0);

    /* Replay at time scale 2 with looping: period = (span + span / 3) * 2
     * = (1.02004 + 0.34001333) * 2 s = 2.72010667 s. */
    dcs_trace_replay r;
    dcs_trace_replay_init(&r, &t, 2.0, true);
    CHECK_INT(r.period, 2720106667);
    dcs_time at;
    int32_t pr, ou;
    dcs_time want[6] = {0, 104000000, 1040080000, 2040080000, 2720106667, 2720106667 + 104000000};
    for (int k = 0; k < 6; k++) {
        CHECK(dcs_trace_replay_next(&r, &at, &pr, &ou));
        CHECK_INT(at, want[k]);
        if (k == 2)
            CHECK_INT(ou, 1);   /* 0 generated tokens replays as 1 */
    }
    /* Without looping the trace ends after its 4 rows. */
    dcs_trace_replay_init(&r, &t, 0.5, false);
    int n = 0;
    while (dcs_trace_replay_next(&r, &at, &pr, &ou))
        n++;
    CHECK_INT(n, 4);
    CHECK_INT(at, 510020000);   /* 1.02004 s * 0.5 */
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);
}

static void bad_rows_are_located(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t;
    CHECK_INT(dcs_llm_trace_load("fixtures/workload/llm_bad.csv", d, &t), DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 5);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/workload/llm_bad.csv:3:1: bad timestamp "
              "'2023-11-16 18:17:0x.0' (want YYYY-MM-DD HH:MM:SS.fffffff)");
    CHECK_STR(dcs_diag_line(d, 1), "fixtures/workload/llm_bad.csv:4:23: ContextTokens "
              "'-3' is not an integer in [1, 10000000]");
    CHECK_STR(dcs_diag_line(d, 2), "fixtures/workload/llm_bad.csv:5:26: GeneratedTokens "
              "'many' is not an integer in [0, 10000000]");
    CHECK_STR(dcs_diag_line(d, 3), "fixtures/workload/llm_bad.csv:6:1: expected 3 fields "
              "(TIMESTAMP,ContextTokens,GeneratedTokens)");
    CHECK_STR(dcs_diag_line(d, 4), "fixtures/workload/llm_bad.csv:7:1: timestamp goes "
              "back in time (rows must be in arrival order)");
    /* The two good rows are still loaded (CRLF line ends accepted). */
    CHECK_INT(t.n, 2);
    CHECK_INT(t.at[1], 3020040000);
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);
}

static void whole_file_problems(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t;
    CHECK_INT(dcs_llm_trace_load("fixtures/workload/llm_badheader.csv", d, &t), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/workload/llm_badheader.csv:1:1: expected header "
              "'TIMESTAMP,ContextTokens,GeneratedTokens', found 'time,prompt,output'");
    CHECK_INT(dcs_llm_trace_load("fixtures/workload/llm_empty.csv", d, &t), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 1), "fixtures/workload/llm_empty.csv: no requests in trace");
    CHECK_INT(dcs_llm_trace_load("fixtures/workload/no_such.csv", d, &t), DCS_EIO);
    CHECK_STR(dcs_diag_line(d, 2),
              "fixtures/workload/no_such.csv: cannot open: No such file or directory");
    CHECK(t.n == 0 && t.at == NULL);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(good_file);
    RUN(bad_rows_are_located);
    RUN(whole_file_problems);
    return TEST_END();
}
