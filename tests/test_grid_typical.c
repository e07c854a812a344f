/* test_grid_typical.c - typical-day profiles against hand computations. */
#include "dcsim/typical.h"
#include "harness.h"

static void build_utc_and_local(void)
{
    /* 48 hours from 2023-01-01 00:00 UTC with value i at hour i. */
    dcs_hourly h;
    CHECK_INT(dcs_hourly_init(&h, dcs_civil_to_utc_s(2023, 1, 1, 0, 0, 0), 48), DCS_OK);
    for (size_t i = 0; i < 48; i++)
        h.value[i] = (double)i;
    dcs_typical_day t;
    /* Only January is covered, so other months have no value: ERANGE. */
    CHECK_INT(dcs_typical_day_build(&h, 0, &t), DCS_ERANGE);
    /* UTC: January hour k holds hours k and k + 24, mean k + 12. */
    CHECK_NEAR(t.value[0][0], 12.0, 0);
    CHECK_NEAR(t.value[0][23], 35.0, 0);
    /* Local UTC+1: local hour 0 is UTC 23:00 of the day before, so January
     * 00:00 local holds hours 23 and 47 (mean 35); local 01:00 holds 0 and
     * 24 (mean 12). */
    CHECK_INT(dcs_typical_day_build(&h, 1, &t), DCS_ERANGE);
    CHECK_NEAR(t.value[0][0], 35.0, 0);
    CHECK_NEAR(t.value[0][1], 12.0, 0);
    /* UTC-5: UTC hours 0..4 of 1 January are 19:00..23:00 local on 31
     * December 2022, so they land in December's cells: 19:00 holds hour 0
     * only. */
    CHECK_INT(dcs_typical_day_build(&h, -5, &t), DCS_ERANGE);
    CHECK_NEAR(t.value[11][19], 0.0, 0);
    CHECK_NEAR(t.value[0][19], 24.0, 0);   /* hours 24 only: 1 Jan 19:00 local = 2 Jan 00 UTC */
    dcs_hourly_free(&h);
}

static void expand_round_trip(void)
{
    /* A profile with cell value 100 m + k expands to hours whose local
     * month and hour recover the cell, across a month boundary. */
    dcs_typical_day t = {.utc_offset_h = -6};
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 24; k++)
            t.value[m][k] = 100.0 * m + k;
    dcs_hourly h;
    /* 2023-02-01 04:00 UTC = 31 January 22:00 local (UTC-6). */
    CHECK_INT(dcs_hourly_init(&h, dcs_civil_to_utc_s(2023, 2, 1, 4, 0, 0), 4), DCS_OK);
    dcs_typical_day_expand(&t, &h);
    CHECK_NEAR(h.value[0], 22.0, 0);       /* January, 22:00 */
    CHECK_NEAR(h.value[1], 23.0, 0);       /* January, 23:00 */
    CHECK_NEAR(h.value[2], 100.0, 0);      /* February, 00:00 */
    CHECK_NEAR(h.value[3], 101.0, 0);
    dcs_hourly_free(&h);
}

int main(void)
{
    RUN(build_utc_and_local);
    RUN(expand_round_trip);
    return TEST_END();
}
