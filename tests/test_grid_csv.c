/* test_grid_csv.c - hourly signals, UTC calendar, daylight-saving rules and
 * the grid CSV importers on small fixtures written for these tests
 * (tests/fixtures/grid/): clean files, malformed rows, gaps, duplicates and
 * both EU daylight-saving changes of 2023. */
#include "dcsim/ci_csv.h"
#include "dcsim/hourly.h"
#include "harness.h"

static void calendar(void)
{
    /* 2023-01-01 00:00 UTC = 1,672,531,200 s (19,358 days x 86,400). */
    CHECK_INT(dcs_civil_to_utc_s(2023, 1, 1, 0, 0, 0), 1672531200);
    CHECK_INT(dcs_civil_to_utc_s(1970, 1, 1, 0, 0, 0), 0);
    /* 2024-02-29 12:00: 2024-01-01 is 1,704,067,200; + 59 days + 12 h. */
    CHECK_INT(dcs_civil_to_utc_s(2024, 2, 29, 12, 0, 0), 1704067200 + 59 * 86400 + 12 * 3600);
    int y, m, d, h, yd, wd;
    dcs_utc_s_to_civil(1704067200 + 59 * 86400 + 12 * 3600, &y, &m, &d, &h, &yd, &wd);
    CHECK_INT(y, 2024); CHECK_INT(m, 2); CHECK_INT(d, 29); CHECK_INT(h, 12);
    CHECK_INT(yd, 60);
    CHECK_INT(wd, 4);                                  /* a Thursday */
    dcs_utc_s_to_civil(dcs_civil_to_utc_s(2023, 12, 31, 23, 0, 0), &y, &m, &d, &h, &yd, &wd);
    CHECK_INT(yd, 365); CHECK_INT(wd, 0);             /* a Sunday */
    dcs_utc_s_to_civil(-1, &y, &m, &d, &h, NULL, NULL);
    CHECK_INT(y, 1969); CHECK_INT(m, 12); CHECK_INT(d, 31); CHECK_INT(h, 23);
}

static void hourly_lookup_and_integral(void)
{
    dcs_hourly h;
    CHECK_INT(dcs_hourly_init(&h, 1672531200 + 1800, 3), DCS_ERANGE);  /* not a whole hour */
    CHECK_INT(dcs_hourly_init(&h, 1672531200, 3), DCS_OK);
    h.value[0] = 2.0; h.value[1] = 4.0; h.value[2] = 8.0;
    CHECK_NEAR(dcs_hourly_at(&h, 0), 2.0, 0);
    CHECK_NEAR(dcs_hourly_at(&h, DCS_HOUR - 1), 2.0, 0);     /* held to the end of the hour */
    CHECK_NEAR(dcs_hourly_at(&h, DCS_HOUR), 4.0, 0);
    CHECK_NEAR(dcs_hourly_at(&h, 3 * DCS_HOUR), 2.0, 0);     /* wraps */
    CHECK_NEAR(dcs_hourly_at(&h, -1), 8.0, 0);               /* wraps backwards */
    /* From 0.5 h to 2.25 h: 0.5 h x 2 + 1 h x 4 + 0.25 h x 8 = 1800x2 + 3600x4
     * + 900x8 = 3600 + 14400 + 7200 = 25200 value-seconds. */
    CHECK_NEAR(dcs_hourly_integral(&h, DCS_HOUR / 2, 2 * DCS_HOUR + DCS_HOUR / 4), 25200.0, 0);
    /* A whole wrap, 3 h to 6 h, equals one period: 3600 x 14 = 50400. */
    CHECK_NEAR(dcs_hourly_integral(&h, 3 * DCS_HOUR, 6 * DCS_HOUR), 50400.0, 0);
    CHECK_NEAR(dcs_hourly_mean(&h), 14.0 / 3.0, 1e-15);
    dcs_hourly_free(&h);
    dcs_hourly_free(&h);                                      /* harmless twice */
}

static void dst_rules(void)
{
    /* EU 2023: CEST from 26 March 01:00 UTC to 29 October 01:00 UTC. */
    int64_t eu_on = dcs_civil_to_utc_s(2023, 3, 26, 1, 0, 0);
    int64_t eu_off = dcs_civil_to_utc_s(2023, 10, 29, 1, 0, 0);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_EU, 60, eu_on - 1), 60);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_EU, 60, eu_on), 120);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_EU, 60, eu_off - 1), 120);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_EU, 60, eu_off), 60);
    /* US Eastern 2023: EDT from 12 March 02:00 EST (07:00 UTC) to 5 November
     * 02:00 EDT (06:00 UTC). */
    int64_t us_on = dcs_civil_to_utc_s(2023, 3, 12, 7, 0, 0);
    int64_t us_off = dcs_civil_to_utc_s(2023, 11, 5, 6, 0, 0);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_US, -300, us_on - 1), -300);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_US, -300, us_on), -240);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_US, -300, us_off - 1), -240);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_US, -300, us_off), -300);
    CHECK_INT(dcs_dst_offset_min(DCS_DST_NONE, 480, us_on), 480);
}

static void emaps_clean(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly h;
    CHECK_INT(dcs_ci_csv_read_emaps("fixtures/grid/emaps_ok.csv", DCS_CI_LCA, &h, d), DCS_OK);
    CHECK_INT(dcs_diag_count(d), 0);
    CHECK_INT(h.n, 4);
    CHECK_INT(h.start_utc_s, dcs_civil_to_utc_s(2023, 3, 1, 0, 0, 0));
    /* LCA column: (120 + 130 + 140.5 + 150) / 4 = 135.125 g/kWh. */
    CHECK_NEAR(dcs_hourly_mean(&h) / DCS_G_PER_KWH, 135.125, 1e-12);
    CHECK_NEAR(h.value[2], 140.5 / 3.6e9, 1e-15);
    dcs_hourly_free(&h);
    CHECK_INT(dcs_ci_csv_read_emaps("fixtures/grid/emaps_ok.csv", DCS_CI_DIRECT, &h, d), DCS_OK);
    /* direct column: (100 + 110 + 115 + 125) / 4 = 112.5 g/kWh. */
    CHECK_NEAR(dcs_hourly_mean(&h) / DCS_G_PER_KWH, 112.5, 1e-12);
    dcs_hourly_free(&h);
    dcs_diag_free(d);
}

static void emaps_bad_rows(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly h;
    const char *f = "fixtures/grid/emaps_bad.csv";
    CHECK_INT(dcs_ci_csv_read_emaps(f, DCS_CI_LCA, &h, d), DCS_EINPUT);
    /* Field 6 (LCA) starts at byte 38: "2023-03-01 01:00:00," is 20 bytes,
     * "Test,Test,TT," 13 more, "110," 4 more. */
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/grid/emaps_bad.csv:3:38: bad number 'abc'");
    CHECK_STR(dcs_diag_line(d, 1),
              "fixtures/grid/emaps_bad.csv:6:1: hour 2023-03-01 02:00 UTC is earlier than the row "
              "before (line 5); rows must be in time order");
    CHECK_STR(dcs_diag_line(d, 2),
              "fixtures/grid/emaps_bad.csv:7:1: bad timestamp '2023-13-01 04:00:00': "
              "date or time out of range");
    CHECK_STR(dcs_diag_line(d, 3), "fixtures/grid/emaps_bad.csv:8: expected 11 fields, found 3");
    CHECK_STR(dcs_diag_line(d, 4), "fixtures/grid/emaps_bad.csv:9:38: negative value -5 is not allowed here");
    CHECK_STR(dcs_diag_line(d, 5),
              "fixtures/grid/emaps_bad.csv:5:1: duplicate hour 2023-03-01 03:00 UTC (first at "
              "line 4); keeping the first");
    CHECK_STR(dcs_diag_line(d, 6),
              "fixtures/grid/emaps_bad.csv:4: warning: no value for 2 hour(s) from 2023-03-01 "
              "01:00 to 2023-03-01 02:00 UTC; filled by linear interpolation");
    CHECK_STR(dcs_diag_line(d, 7),
              "fixtures/grid/emaps_bad.csv:10: warning: no value for 2 hour(s) from 2023-03-01 "
              "04:00 to 2023-03-01 05:00 UTC; filled by linear interpolation");
    CHECK_INT(dcs_diag_errors(d), 6);
    CHECK_INT(dcs_diag_warnings(d), 2);
    /* Hours 00..06: 120, gap filled 120 + 60/3 = 140, 160, then 180 (the
     * first of the duplicates), gap 180 + 20/3, 180 + 40/3, then 200. */
    CHECK_INT(h.n, 7);
    double want[7] = {120, 140, 160, 180, 180 + 20.0 / 3, 180 + 40.0 / 3, 200};
    for (int i = 0; i < 7; i++)
        CHECK_NEAR(h.value[i] / DCS_G_PER_KWH, want[i], 1e-12);
    dcs_hourly_free(&h);
    dcs_diag_free(d);
}

static void missing_and_empty_files(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly h;
    CHECK_INT(dcs_ci_csv_read_emaps("fixtures/grid/no_such.csv", DCS_CI_LCA, &h, d), DCS_EIO);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/grid/no_such.csv: cannot open: No such file or directory");
    /* The EIA file's header is not an Electricity Maps header. */
    CHECK_INT(dcs_ci_csv_read_emaps("fixtures/grid/eia_small.csv", DCS_CI_LCA, &h, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 1), "fixtures/grid/eia_small.csv:1:1: expected 'Datetime (UTC)' as "
                                   "the first column, found 'timestamp'");
    dcs_hourly_free(&h);
    CHECK_INT(dcs_ci_csv_read_emaps("fixtures/grid/empty.csv", DCS_CI_LCA, &h, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 2), "fixtures/grid/empty.csv: empty file");
    dcs_csv_hourly_opts utc = {.scale = DCS_G_PER_KWH};
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/header_only.csv", &utc, &h, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 3), "fixtures/grid/header_only.csv: no data rows");
    /* A two-column file is not a generic file when read as EIA. */
    dcs_eia_factors ef = dcs_eia_factors_default();
    CHECK_INT(dcs_ci_csv_read_eia("fixtures/grid/header_only.csv", &ef, &h, NULL, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 4), "fixtures/grid/header_only.csv:1:1: missing generation column 'WND'");
    CHECK_INT(dcs_diag_errors(d), 5);
    dcs_hourly_free(&h);
    dcs_diag_free(d);
}

static void generic_us_and_negative(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly h;
    /* US Eastern, 5 November 2023: local 01:00 happens twice, first EDT
     * (05:00 UTC) then EST (06:00 UTC); 00:00 EDT is 04:00 UTC and 02:00 EST
     * is 07:00 UTC: four consecutive hours. */
    dcs_csv_hourly_opts est = {.utc_offset_min = -300, .dst = DCS_DST_US, .scale = DCS_G_PER_KWH};
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/generic_us_fall.csv", &est, &h, d), DCS_OK);
    CHECK_INT(dcs_diag_count(d), 0);
    CHECK_INT(h.start_utc_s, dcs_civil_to_utc_s(2023, 11, 5, 4, 0, 0));
    CHECK_INT(h.n, 4);
    CHECK_NEAR(h.value[2] / DCS_G_PER_KWH, 320, 1e-12);
    dcs_hourly_free(&h);
    /* Negative prices are real (surplus hours); negative intensities not. */
    dcs_csv_hourly_opts price = {.scale = DCS_USD_PER_MWH, .allow_negative = true};
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/price_negative.csv", &price, &h, d), DCS_OK);
    CHECK_NEAR(h.value[0] / DCS_USD_PER_MWH, -12.5, 1e-12);
    dcs_hourly_free(&h);
    price.allow_negative = false;
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/price_negative.csv", &price, &h, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/grid/price_negative.csv:2:19: negative value -12.5 is not allowed here");
    dcs_hourly_free(&h);
    dcs_diag_free(d);
}

static void generic_dst_changes(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly h;
    dcs_csv_hourly_opts cet = {.utc_offset_min = 60, .dst = DCS_DST_EU, .scale = DCS_G_PER_KWH};
    /* Spring: local 00:00, 01:00 (CET) then 03:00, 04:00 (CEST) are four
     * consecutive UTC hours from 2023-03-25 23:00. */
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/generic_dst_spring.csv", &cet, &h, d), DCS_OK);
    CHECK_INT(dcs_diag_count(d), 0);
    CHECK_INT(h.n, 4);
    CHECK_INT(h.start_utc_s, dcs_civil_to_utc_s(2023, 3, 25, 23, 0, 0));
    CHECK_NEAR(h.value[3] / DCS_G_PER_KWH, 140, 1e-12);
    dcs_hourly_free(&h);
    /* Autumn: local 02:00 twice, first CEST (00:00 UTC) then CET (01:00
     * UTC), so four consecutive UTC hours from 2023-10-28 23:00, no
     * duplicate. */
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/generic_dst_fall.csv", &cet, &h, d), DCS_OK);
    CHECK_INT(dcs_diag_count(d), 0);
    CHECK_INT(h.n, 4);
    CHECK_INT(h.start_utc_s, dcs_civil_to_utc_s(2023, 10, 28, 23, 0, 0));
    CHECK_NEAR(h.value[1] / DCS_G_PER_KWH, 110, 1e-12);
    CHECK_NEAR(h.value[2] / DCS_G_PER_KWH, 120, 1e-12);
    dcs_hourly_free(&h);
    /* The same autumn file read as fixed CET has a real duplicate. */
    dcs_csv_hourly_opts fixed = {.utc_offset_min = 60, .dst = DCS_DST_NONE, .scale = DCS_G_PER_KWH};
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/generic_dst_fall.csv", &fixed, &h, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/grid/generic_dst_fall.csv:4:1: duplicate hour "
                                   "2023-10-29 01:00 UTC (first at line 3); keeping the first");
    dcs_hourly_free(&h);
    dcs_diag_free(d);
}

static void generic_bad_and_offsets(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly h;
    dcs_csv_hourly_opts cet = {.utc_offset_min = 60, .dst = DCS_DST_EU, .scale = DCS_G_PER_KWH};
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/generic_bad.csv", &cet, &h, d), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/grid/generic_bad.csv:3:1: bad timestamp "
              "'2023-03-26 02:00': local time does not exist (skipped by the daylight-saving change)");
    CHECK_STR(dcs_diag_line(d, 1), "fixtures/grid/generic_bad.csv:5:1: timestamp "
                                   "'2023-03-26 03:30' is not at the start of an hour");
    CHECK_STR(dcs_diag_line(d, 2), "fixtures/grid/generic_bad.csv:6: warning: no value for 2 "
              "hour(s) from 2023-03-26 02:00 to 2023-03-26 03:00 UTC; filled by linear interpolation");
    CHECK_INT(h.n, 5);
    dcs_hourly_free(&h);
    /* Explicit offsets win over the options: 05:30+05:30, 01:00Z and
     * 01:00-01:00 are 00:00, 01:00 and 02:00 UTC. */
    dcs_csv_hourly_opts usd = {.utc_offset_min = 0, .dst = DCS_DST_NONE, .scale = DCS_USD_PER_MWH};
    CHECK_INT(dcs_ci_csv_read_generic("fixtures/grid/generic_offset.csv", &usd, &h, d), DCS_OK);
    CHECK_INT(h.n, 3);
    CHECK_INT(h.start_utc_s, dcs_civil_to_utc_s(2023, 1, 1, 0, 0, 0));
    CHECK_NEAR(h.value[2], 90.0 / 3.6e9, 1e-15);
    dcs_hourly_free(&h);
    CHECK_INT(dcs_diag_errors(d), 2);
    dcs_diag_free(d);
}

static void eia_generation(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_hourly ci, gen;
    dcs_eia_factors ef = dcs_eia_factors_default();
    CHECK_INT(dcs_ci_csv_read_eia("fixtures/grid/eia_small.csv", &ef, &ci, &gen, d), DCS_EINPUT);
    /* "2022-01-01 04:00:00+00:00," is 26 bytes, then "0,0,0,0," (WND SUN
     * WAT OIL) 8 and "50," (NG) 3, so COL starts at byte 26 + 8 + 3 + 1 = 38. */
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/grid/eia_small.csv:6:38: negative generation -3 MWh for COL");
    CHECK_STR(dcs_diag_line(d, 1), "fixtures/grid/eia_small.csv:5: warning: no value for 1 hour(s) "
              "from 2022-01-01 02:00 to 2022-01-01 02:00 UTC; filled by linear interpolation");
    CHECK_STR(dcs_diag_line(d, 2), "fixtures/grid/eia_small.csv:7: warning: no value for 1 hour(s) "
              "from 2022-01-01 04:00 to 2022-01-01 04:00 UTC; filled by linear interpolation");
    CHECK_INT(ci.n, 6);
    /* Hour 0: (100 x 11 + 100 x 490) / 200 = 250.5; hour 1: nuclear only 12;
     * hour 2 missing: (12 + 655) / 2 = 333.5; hour 3: (820 + 490) / 2 = 655;
     * hour 4 bad row: 655; hour 5: 655 (g/kWh). */
    double want[6] = {250.5, 12, 333.5, 655, 655, 655};
    for (int i = 0; i < 6; i++)
        CHECK_NEAR(ci.value[i] / DCS_G_PER_KWH, want[i], 1e-12);
    CHECK_NEAR(gen.value[0], 200e6, 0);   /* 200 MWh in one hour = 200 MW */
    CHECK_NEAR(gen.value[2], 550e6, 0);   /* (1000 + 100) / 2 MW, interpolated */
    dcs_hourly_free(&ci);
    dcs_hourly_free(&gen);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(calendar);
    RUN(hourly_lookup_and_integral);
    RUN(dst_rules);
    RUN(emaps_clean);
    RUN(emaps_bad_rows);
    RUN(missing_and_empty_files);
    RUN(generic_dst_changes);
    RUN(generic_bad_and_offsets);
    RUN(generic_us_and_negative);
    RUN(eia_generation);
    return TEST_END();
}
