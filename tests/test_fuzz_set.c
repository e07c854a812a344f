/*
 * test_fuzz_set.c - regression test for the fuzz_set harness: replays every
 * crash input the fuzzer found (fixtures/fuzz/set/) and the committed seeds
 * (../fuzz/corpus/set/) through the harness's own code (fuzz/fuzz_set.c,
 * included with its entry point renamed), in the normal build.
 */
#define FUZZ_ENTRY fuzz_set_one
#include "../fuzz/fuzz_set.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/set", fuzz_set_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/set", fuzz_set_one);
    fprintf(stderr, "   %d crash inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes + seeds > 0);
}

int main(void)
{
    RUN(replay);
    return TEST_END();
}
