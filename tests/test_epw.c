/* test_epw.c - EPW reader on small hand-written fixtures: header, values,
 * missing-value codes (warnings, filled), bad fields (errors with line and
 * column, all collected). */
#include "dcsim/epw.h"
#include "dcsim/psychro.h"
#include "harness.h"

/* fixtures/epw/good.epw: 24 hours of 1 January, dry-bulb 2.0 + 0.5 h and
 * dew point -1.0 + 0.5 h (h = 1..24), RH 80, 101000 Pa, with four missing
 * codes: hour 5 dew point 99.9, hour 8 dry-bulb 99.9, hour 10 pressure
 * 999999, hour 12 RH 999.  CRLF line endings, as the real files. */
static void good_file(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_epw e;
    CHECK_INT(dcs_epw_read("fixtures/epw/good.epw", d, &e), DCS_OK);
    CHECK_INT(dcs_diag_errors(d), 0);
    CHECK_STR(e.city, "Testville");
    CHECK_STR(e.country, "XTS");
    CHECK_NEAR(e.latitude_deg, 45.5, 1e-12);
    CHECK_NEAR(e.longitude_deg, 7.25, 1e-12);
    CHECK_NEAR(e.elevation_m, 100.0, 1e-12);
    CHECK_INT(e.n, 24);
    CHECK_INT(e.hours[23].hour, 24);
    CHECK_INT(e.hours[23].month, 1);
    CHECK_NEAR(e.hours[0].air.dry_bulb_c, 2.5, 1e-12);
    CHECK_NEAR(e.hours[0].air.dew_point_c, -0.5, 1e-12);
    CHECK_NEAR(e.hours[0].air.rh, 0.80, 1e-12);
    CHECK_NEAR(e.hours[0].air.pressure_pa, 101000.0, 1e-12);
    /* Wet-bulb lies between dew point and dry-bulb. */
    CHECK(e.hours[0].air.wet_bulb_c > -0.5 && e.hours[0].air.wet_bulb_c < 2.5);

    /* The four missing values are warnings at their line and column. */
    CHECK_INT(dcs_diag_warnings(d), 4);
    CHECK_STR(dcs_diag_line(d, 0),
              "fixtures/epw/good.epw:13:63: warning: dew-point temperature missing (99.9); filled");
    CHECK_STR(dcs_diag_line(d, 1),
              "fixtures/epw/good.epw:16:59: warning: dry-bulb temperature missing (99.9); filled");
    CHECK_STR(dcs_diag_line(d, 2),
              "fixtures/epw/good.epw:18:71: warning: station pressure missing (999999); filled");
    CHECK_STR(dcs_diag_line(d, 3),
              "fixtures/epw/good.epw:20:68: warning: relative humidity missing (999); filled");

    /* Hour 5: dew point from RH 80 % at 4.5 degC.  pws(4.5) ~ 842.7 Pa
     * (CRC table: 813.6 at 4, 872.6 at 5), 0.8 * 842.7 = 674.2 Pa, between
     * pws(1) = 657.2 and pws(2) = 706.1: 1 + 17.0/48.9 = 1.35 degC. */
    CHECK_ABS(e.hours[4].air.dew_point_c, 1.35, 0.03);
    /* Hour 8: dry-bulb interpolated between 5.5 (hour 7) and 6.5 (hour 9). */
    CHECK_NEAR(e.hours[7].air.dry_bulb_c, 6.0, 1e-12);
    /* Hour 10: standard atmosphere at 100 m: 101325 * (1 - 2.25577e-3)^5.2559
     * = 101325 * 0.988201 = 100129.4 Pa. */
    CHECK_NEAR(e.hours[9].air.pressure_pa, 100129.4, 1e-6);
    /* Hour 12: RH from dew point 5.0 at 8.0 degC: 872.6 / 1073.0 = 0.8132. */
    CHECK_ABS(e.hours[11].air.rh, 0.8132, 0.001);
    dcs_epw_free(&e);
    dcs_diag_free(d);
}

/* fixtures/epw/bad.epw: five problems, every one reported, in file order,
 * with line and the column where the field starts; the good rows are still
 * read (5 rows: the short one is skipped). */
static void bad_file(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_epw e;
    CHECK_INT(dcs_epw_read("fixtures/epw/bad.epw", d, &e), DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 5);
    CHECK_STR(dcs_diag_line(d, 0),
              "fixtures/epw/bad.epw:1:44: LOCATION latitude 'north' is not a number in [-90, 90]");
    CHECK_STR(dcs_diag_line(d, 1),
              "fixtures/epw/bad.epw:10:6: month '13' is not an integer in [1, 12]");
    CHECK_STR(dcs_diag_line(d, 2),
              "fixtures/epw/bad.epw:11:59: dry-bulb temperature 'abc' is not a number");
    CHECK_STR(dcs_diag_line(d, 3),
              "fixtures/epw/bad.epw:12:67: relative humidity 150 is outside [0, 110]");
    CHECK_STR(dcs_diag_line(d, 4),
              "fixtures/epw/bad.epw:13: data row has 7 fields, expected at least 10 "
              "(35 in a full EPW row)");
    CHECK_INT(e.n, 5);
    /* The bad dry-bulb of hour 3 is filled between hours 2 (3.0) and 4 (4.0). */
    CHECK_NEAR(e.hours[2].air.dry_bulb_c, 3.5, 1e-12);
    dcs_epw_free(&e);
    dcs_diag_free(d);
}

static void missing_file_and_empty_text(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_epw e;
    CHECK_INT(dcs_epw_read("fixtures/epw/no-such-file.epw", d, &e), DCS_EIO);
    CHECK_STR(dcs_diag_line(d, 0),
              "fixtures/epw/no-such-file.epw: cannot open: No such file or directory");
    dcs_diag_free(d);
    d = dcs_diag_new();
    CHECK_INT(dcs_epw_parse("", 0, "empty.epw", d, &e), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 0), "empty.epw:1:1: no LOCATION header line");
    CHECK_STR(dcs_diag_line(d, 1), "empty.epw: no hourly data rows");
    dcs_epw_free(&e);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(good_file);
    RUN(bad_file);
    RUN(missing_file_and_empty_text);
    return TEST_END();
}
