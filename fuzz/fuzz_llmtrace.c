/*
 * fuzz_llmtrace.c - libFuzzer harness for the Azure LLM trace importer and
 * its replay (models/workload/llmtrace.c, dcs_llm_trace_load and
 * dcs_trace_replay_*).
 *
 * The importer takes a path, so the input after its first byte is written
 * to a per-process temporary file.  The first byte chooses the replay: its
 * value modulo 4 picks the time scale (1, 2, 0.001 or 1e6, the largest the
 * scenario schema allows) and bit 2 turns looping on (the seed corpus
 * prefixes each fixture with a digit '0'..'7').
 * Invariants: a failure reports at least one error; the rows loaded (also
 * on DCS_EINPUT, which keeps the good rows) start at 0, never go back in
 * time, have 1..10^7 prompt and 0..10^7 output tokens; a replay's arrivals
 * never go back in time and give at least one output token.
 */
#include "fuzz_common.h"

#include "dcsim/llmtrace.h"

/* Draws per replay: enough for a few laps of a short trace. */
enum { REPLAY_DRAWS = 4096 };

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const double scales[4] = {1.0, 2.0, 1e-3, 1e6};
    double scale = scales[data[0] % 4];
    bool loop = (data[0] & 4) != 0;
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".csv");
    fuzz_write_file(path, data + 1, size - 1);

    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t = {0};
    dcs_status st = dcs_llm_trace_load(path, d, &t);
    unlink(path);
    if (st != DCS_OK)
        fuzz_require(dcs_diag_errors(d) > 0 || st == DCS_ENOMEM);
    else
        fuzz_require(dcs_diag_errors(d) == 0 && t.n > 0);
    for (size_t i = 0; i < t.n; i++) {
        fuzz_require(i == 0 ? t.at[i] == 0 : t.at[i] >= t.at[i - 1]);
        fuzz_require(t.prompt_tokens[i] >= 1 && t.prompt_tokens[i] <= 10000000);
        fuzz_require(t.output_tokens[i] >= 0 && t.output_tokens[i] <= 10000000);
    }
    dcs_trace_replay r;
    dcs_trace_replay_init(&r, &t, scale, loop);
    dcs_time at, prev = 0;
    int32_t pr, ou;
    for (int k = 0; k < REPLAY_DRAWS && dcs_trace_replay_next(&r, &at, &pr, &ou); k++) {
        fuzz_require(at >= prev);
        fuzz_require(pr >= 1 && ou >= 1);
        prev = at;
    }
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);
    return 0;
}
