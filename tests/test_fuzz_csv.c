/*
 * test_fuzz_csv.c - regression test for the fuzz_csv harness: replays every
 * crash input the fuzzer found (fixtures/fuzz/csv/) and the committed seeds
 * (../fuzz/corpus/csv/) through the harness's own code (fuzz/fuzz_csv.c,
 * included with its entry point renamed), in the normal build.
 */
#define FUZZ_ENTRY fuzz_csv_one
#include "../fuzz/fuzz_csv.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/csv", fuzz_csv_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/csv", fuzz_csv_one);
    fprintf(stderr, "   %d crash inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes + seeds > 0);
}

int main(void)
{
    RUN(replay);
    return TEST_END();
}
