/*
 * test_fuzz_epw.c - regression test for the fuzz_epw harness: replays every
 * crash input the fuzzer found (fixtures/fuzz/epw/) and the committed seeds
 * (../fuzz/corpus/epw/, and the test fixtures the seeds come from) through the harness's own code (fuzz/fuzz_epw.c,
 * included with its entry point renamed), in the normal build.
 */
#define FUZZ_ENTRY fuzz_epw_one
#include "../fuzz/fuzz_epw.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/epw", fuzz_epw_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/epw", fuzz_epw_one);
    seeds += fuzz_replay_dir("fixtures/epw", fuzz_epw_one);
    fprintf(stderr, "   %d crash inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes + seeds > 0);
}

int main(void)
{
    RUN(replay);
    return TEST_END();
}
