/*
 * test_fuzz_trace.c - regression test for the fuzz_trace harness: replays every
 * crash input the fuzzer found (fixtures/fuzz/trace/) and the committed seeds
 * (../fuzz/corpus/trace/) through the harness's own code (fuzz/fuzz_trace.c,
 * included with its entry point renamed), in the normal build.
 */
#define FUZZ_ENTRY fuzz_trace_one
#include "../fuzz/fuzz_trace.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/trace", fuzz_trace_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/trace", fuzz_trace_one);
    fprintf(stderr, "   %d crash inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes + seeds > 0);
}

int main(void)
{
    RUN(replay);
    return TEST_END();
}
