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

/* Two rows dated 0001 and 9999 (fixtures/fuzz/csv/span_0001_to_9999, the
 * fuzzer's find) once made the importer fill 87.6 million hours (about 1 GB,
 * 25 s); a span of 100 years or more is now an error at the last row. */
static void span_over_a_century(void)
{
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".csv");
    static const char text[] = "timestamp,value\n0001-01-01 00:00,100\n9999-12-31 23:00,200\n";
    fuzz_write_file(path, (const uint8_t *)text, sizeof text - 1);
    dcs_csv_hourly_opts o = {0, DCS_DST_NONE, DCS_G_PER_KWH, false};
    dcs_hourly h = {0, 0, NULL};
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_ci_csv_read_generic(path, &o, &h, d), DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK(dcs_diag_count(d) >= 1 && strstr(dcs_diag_line(d, 0), ":3:1: the rows span") != NULL);
    CHECK(h.value == NULL);
    dcs_diag_free(d);
    unlink(path);

    /* 99 years and a bit still reads (867,240 hours + 1). */
    static const char ok[] = "timestamp,value\n1950-01-01 00:00,100\n2048-12-31 23:00,200\n";
    fuzz_write_file(path, (const uint8_t *)ok, sizeof ok - 1);
    d = dcs_diag_new();
    CHECK_INT(dcs_ci_csv_read_generic(path, &o, &h, d), DCS_OK);
    CHECK_INT(dcs_diag_errors(d), 0);
    dcs_hourly_free(&h);
    dcs_diag_free(d);
    unlink(path);
}

int main(void)
{
    RUN(replay);
    RUN(span_over_a_century);
    return TEST_END();
}
