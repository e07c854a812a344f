/* test_diag.c - diagnostics format and collection; time arithmetic. */
#include "dcsim/diag.h"
#include "dcsim/time.h"
#include "harness.h"

static void located_lines(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_diag_error(d, (dcs_loc){"a.yaml", 3, 7}, "unknown key '%s'", "nmae");
    dcs_diag_warn(d, (dcs_loc){"a.yaml", 4, 0}, "unused");
    dcs_diag_error(d, (dcs_loc){"b.yaml", 0, 0}, "empty file");
    dcs_diag_error(d, (dcs_loc){NULL, 0, 0}, "bad --set");
    CHECK_INT(dcs_diag_errors(d), 3);
    CHECK_INT(dcs_diag_warnings(d), 1);
    CHECK_STR(dcs_diag_line(d, 0), "a.yaml:3:7: unknown key 'nmae'");
    CHECK_STR(dcs_diag_line(d, 1), "a.yaml:4: warning: unused");
    CHECK_STR(dcs_diag_line(d, 2), "b.yaml: empty file");
    CHECK_STR(dcs_diag_line(d, 3), "dcsim: bad --set");
    CHECK(dcs_diag_line(d, 4) == NULL);
    dcs_diag_free(d);
}

static void many_errors_are_counted(void)
{
    dcs_diag *d = dcs_diag_new();
    for (int i = 0; i < 150; i++)
        dcs_diag_error(d, (dcs_loc){"x", i + 1, 1}, "e%d", i);
    CHECK_INT(dcs_diag_errors(d), 150);
    CHECK_INT(dcs_diag_count(d), 100);
    dcs_diag_free(d);
}

static void status_names(void)
{
    CHECK_STR(dcs_status_name(DCS_EIO), "DCS_EIO");
    CHECK_STR(dcs_status_message(DCS_OK), "ok");
}

static void time_checked(void)
{
    dcs_time t;
    CHECK(dcs_time_add(DCS_TIME_MAX - 5, 5, &t) && t == DCS_TIME_MAX);
    CHECK(!dcs_time_add(DCS_TIME_MAX - 5, 6, &t));
    CHECK(!dcs_time_mul(DCS_DAY, 200000, &t));   /* 200,000 days > 292 years */
    CHECK(dcs_time_mul(DCS_DAY, 365, &t) && t == 365 * DCS_DAY);
    CHECK_INT(dcs_time_add_sat(DCS_TIME_MAX, 1), DCS_TIME_MAX);
    CHECK(dcs_time_from_s(1.5e-9, &t) && t == 2);   /* rounds to nearest */
    CHECK(dcs_time_from_s(86400.0, &t) && t == DCS_DAY);
    CHECK(!dcs_time_from_s(1e11, &t));              /* 3,170 years */
    CHECK(!dcs_time_from_s(NAN, &t));
    CHECK_NEAR(dcs_time_to_s(3 * DCS_HOUR), 10800.0, 0);
    /* 3900 s = 65 min: exact, where 3.9e12 * 1e-9 gives 3900.0000000000005. */
    CHECK(dcs_time_to_s(65 * DCS_MINUTE) == 3900.0);
    for (int k = 0; k < 3000; k++)     /* every 5-minute mark of 10 days */
        if (dcs_time_to_s(k * 5 * DCS_MINUTE) != k * 300.0)
            CHECK(!"5-minute mark not exact");
    CHECK(dcs_time_to_s(1500 * DCS_MS) == 1.5);
}

int main(void)
{
    RUN(located_lines);
    RUN(many_errors_are_counted);
    RUN(status_names);
    RUN(time_checked);
    return TEST_END();
}
