/*
 * test_fuzz_jobs.c - regression test for the fuzz_jobs harness: replays
 * every problem input kept in fixtures/fuzz/jobs/ and the committed seeds
 * (../fuzz/corpus/jobs/) through the harness's own code (fuzz/fuzz_jobs.c,
 * included with its entry point renamed), in the normal build and under
 * `make asan`, with a focused test of the fix.
 */
#define FUZZ_ENTRY fuzz_jobs_one
#include "../fuzz/fuzz_jobs.c"

#include "harness.h"
#include "fuzz_replay.h"

static void replay(void)
{
    int crashes = fuzz_replay_dir("fixtures/fuzz/jobs", fuzz_jobs_one);
    int seeds = fuzz_replay_dir("../fuzz/corpus/jobs", fuzz_jobs_one);
    fprintf(stderr, "   %d problem inputs, %d seeds replayed\n", crashes, seeds);
    CHECK(crashes > 0 && seeds > 0);
}

/* fixtures/fuzz/jobs/alibaba_time_1e10_s.csv: the Alibaba importer took
 * times up to 1e10 s, and 1e10 s = 1e19 ns is past dcs_time's 9.22e18
 * (UBSan: float-cast-overflow).  Times are now limited to 100 years
 * (3,153,600,000 s), as in dcsim's own job CSV: that much is read, one
 * second more is a located error. */
static void alibaba_times_bounded(void)
{
    static const char hdr[] = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,"
                              "pod_phase,creation_time,deletion_time,scheduled_time\n";
    char text[512], path[512];
    fuzz_tmp_path(path, sizeof path, ".csv");
    snprintf(text, sizeof text, "%sa,1,1,1,1000,,LS,Running,0,3153600000,0\n"
                                "b,1,1,1,1000,,LS,Running,0,3153600001,0\n", hdr);
    fuzz_write_file(path, (const uint8_t *)text, strlen(text));
    dcs_diag *d = dcs_diag_new();
    dcs_job_list l = {0};
    CHECK_INT(dcs_jobs_load_alibaba(path, d, &l), DCS_EINPUT);
    CHECK_INT(l.n, 1);
    CHECK_INT(l.v[0].work, (dcs_time)3153600000 * DCS_SECOND);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK(strstr(dcs_diag_line(d, 0), ":3:28: deletion_time '3153600001' is not a time in "
                                      "[0, 100 years] s") != NULL);
    dcs_job_list_free(&l);
    dcs_diag_free(d);
    unlink(path);
}

int main(void)
{
    RUN(replay);
    RUN(alibaba_times_bounded);
    return TEST_END();
}
