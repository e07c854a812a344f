/*
 * test_fuzz_scenario.c - regression test for the fuzz_scenario harness: replays every
 * crash input the fuzzer found (fixtures/fuzz/scenario/) and the committed seeds
 * (../fuzz/corpus/scenario/, and the test fixtures the seeds come from) through the harness's own code (fuzz/fuzz_scenario.c,
 * included with its entry point renamed), in the normal build.
 */
#define FUZZ_ENTRY fuzz_scenario_one
#include "../fuzz/fuzz_scenario.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/scenario", fuzz_scenario_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/scenario", fuzz_scenario_one);
    seeds += fuzz_replay_dir("../scenarios", fuzz_scenario_one);
    seeds += fuzz_replay_dir("bad", fuzz_scenario_one);
    seeds += fuzz_replay_dir("fixtures/run", fuzz_scenario_one);
    seeds += fuzz_replay_dir("fixtures/scenario", fuzz_scenario_one);
    fprintf(stderr, "   %d crash inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes + seeds > 0);
}

/* `include: [/dev/zero]` (fixtures/fuzz/scenario/include_dev_zero.yaml) was
 * read until memory ran out; files over 64 MiB are now refused, located at
 * the file. */
static void include_endless_device(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    CHECK_INT(dcs_scenario_load("fixtures/fuzz/scenario/include_dev_zero.yaml", NULL, 0, d, &s),
              DCS_EINPUT);
    CHECK(s == NULL);
    CHECK(dcs_diag_count(d) >= 1
          && strstr(dcs_diag_line(d, 0), "/dev/zero: larger than 64 MiB") != NULL);
    if (dcs_diag_count(d) >= 1)
        fprintf(stderr, "   %s\n", dcs_diag_line(d, 0));
    dcs_diag_free(d);
}

/* A site without a name and a random node-failure fault
 * (fixtures/fuzz/scenario/fault_count_site_without_name.yaml): the check of
 * how many fault windows a run would draw compared the fault's site with
 * every site's name, NULL here, and crashed (strcmp on NULL).  Sites
 * without a name are now skipped there (their own check reports them),
 * and the file gets located errors. */
static void fault_count_site_without_name(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    CHECK_INT(dcs_scenario_load("fixtures/fuzz/scenario/fault_count_site_without_name.yaml",
                                NULL, 0, d, &s),
              DCS_EINPUT);
    CHECK(s == NULL);
    bool named = false;
    for (int i = 0; i < dcs_diag_count(d); i++)
        named |= strstr(dcs_diag_line(d, i), "yaml:5:5: missing required key 'name' in site")
                 != NULL;
    CHECK(named);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(replay);
    RUN(include_endless_device);
    RUN(fault_count_site_without_name);
    return TEST_END();
}
