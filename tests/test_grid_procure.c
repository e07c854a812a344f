/* test_grid_procure.c - procurement and carbon accounting on small cases
 * worked by hand (4 hours, 10 W load, energies in Wh below; 1 Wh = 3600 J,
 * and 1 Wh at 1 g/kWh is 1 mg), plus the exact equality of event-style
 * emission integration and hourly accounting. */
#include "dcsim/hourly.h"
#include "dcsim/procure.h"
#include "harness.h"

#define WH 3600.0
#define G DCS_G_PER_KWH

static const double load[4] = {10, 10, 10, 10};
static const double ci[4] = {100 * G, 200 * G, 300 * G, 400 * G};

static void hourly_vs_annual_ppa(void)
{
    /* Same-region PPA 20 W, capacity factor 1, 0.5, 0, 0: 20, 10, 0, 0 Wh.
     * Hourly: hours 0 and 1 fully clean (10 + 10 of 40 Wh) -> CFE 50 %;
     * annual: 30 / 40 = 75 %.  Grid import is the whole 40 Wh (a PPA is
     * delivered through the grid): location = 10 x (100 + 200 + 300 + 400)
     * mg = 10 g; market = (1 - 30/40) x 10 g = 2.5 g. */
    static const double cf[4] = {1, 0.5, 0, 0};
    dcs_procure_params p = dcs_procure_defaults();
    p.ppa_capacity_w = 20;
    p.ppa_cf = cf;
    dcs_procure_result r;
    dcs_procure_run(&p, 4, load, ci, NULL, &r, NULL);
    CHECK_NEAR(r.load_j, 40 * WH, 1e-12);
    CHECK_NEAR(r.cfe_frac, 0.5, 1e-12);
    CHECK_NEAR(r.annual_match_frac, 0.75, 1e-12);
    CHECK_NEAR(r.grid_import_j, 40 * WH, 1e-12);
    CHECK_NEAR(r.location_kg, 0.010, 1e-12);
    CHECK_NEAR(r.market_kg, 0.0025, 1e-12);
    /* The same PPA in another region: no hourly credit (CFE 0), the same
     * annual matching and market-based figure. */
    p.ppa_same_region = false;
    dcs_procure_run(&p, 4, load, ci, NULL, &r, NULL);
    CHECK_NEAR(r.cfe_frac, 0.0, 0);
    CHECK_NEAR(r.annual_match_frac, 0.75, 1e-12);
    CHECK_NEAR(r.market_kg, 0.0025, 1e-12);
}

static void battery_shifts_surplus(void)
{
    /* As above plus a 5 Wh / 10 W battery, RTE 0.81 (0.9 each way).
     * Hour 0: surplus 10 Wh; charge min(10, 10, 5 / 0.9 = 5.5556) = 5.5556
     * Wh in, stored 5 Wh.  Hour 2: deficit 10; discharge min(10, 10, 5 x
     * 0.9) = 4.5 Wh.  Clean used 10 + 10 + 4.5 = 24.5 -> CFE 61.25 %.
     * Battery charging from PPA surplus is grid energy: import 15.5556, 10,
     * 5.5, 10 Wh (41.0556); location = 1555.56 + 2000 + 1650 + 4000 mg =
     * 9.20556 g; market = (1 - 30 / 41.0556) x 9.20556 g = 2.47890 g. */
    static const double cf[4] = {1, 0.5, 0, 0};
    dcs_procure_params p = dcs_procure_defaults();
    p.ppa_capacity_w = 20;
    p.ppa_cf = cf;
    p.battery_capacity_j = 5 * WH;
    p.battery_power_w = 10;
    p.battery_rte = 0.81;
    double soc[4], imp[4], sup[4];
    dcs_procure_series s = {sup, soc, imp};
    dcs_procure_result r;
    dcs_procure_run(&p, 4, load, ci, NULL, &r, &s);
    CHECK_NEAR(soc[0], 5 * WH, 1e-12);
    CHECK_NEAR(soc[1], 5 * WH, 1e-12);
    CHECK_ABS(soc[2], 0, 1e-9);
    CHECK_NEAR(r.battery_charge_j, 50.0 / 9 * WH, 1e-12);
    CHECK_NEAR(r.battery_discharge_j, 4.5 * WH, 1e-12);
    CHECK_NEAR(r.cfe_frac, 24.5 / 40, 1e-12);
    CHECK_NEAR(imp[0], 10 + 50.0 / 9, 1e-12);
    CHECK_NEAR(imp[2], 5.5, 1e-12);
    CHECK_NEAR(sup[0], 20, 1e-12);
    double loc_g = ((10 + 50.0 / 9) * 100 + 2000 + 1650 + 4000) / 1000;
    CHECK_NEAR(r.location_kg * 1000, loc_g, 1e-12);
    CHECK_NEAR(r.location_kg * 1000, 9.20556, 1e-5);
    CHECK_NEAR(r.market_kg * 1000, (1 - 30 / (35.5 + 50.0 / 9)) * loc_g, 1e-12);
    CHECK_NEAR(r.market_kg * 1000, 2.47890, 1e-5);
}

static void onsite_solar_and_certificates(void)
{
    /* On-site PV 20 W, capacity factor 0, 0, 1, 0.25: 0, 0, 20, 5 Wh; a
     * 10 Wh PPA in another region (40 W x 0.25 in hour 0); 5 Wh of EACs.
     * Clean used hourly 0, 0, 10, 5 -> CFE 15 / 40 = 37.5 %; annual
     * matching (25 + 10 + 5) / 40 = 100 %.  Import 10, 10, 0, 5 Wh:
     * location 1000 + 2000 + 0 + 2000 mg = 5 g; instruments (10 + 5) / 25 =
     * 0.6 -> market 2 g.  With the grid 50 % carbon-free every hour, clean
     * counts 5, 5, 10, 7.5 -> CFE 27.5 / 40 = 68.75 %. */
    static const double pv[4] = {0, 0, 1, 0.25};
    static const double ppa[4] = {0.25, 0, 0, 0};
    static const double half[4] = {0.5, 0.5, 0.5, 0.5};
    dcs_procure_params p = dcs_procure_defaults();
    p.onsite_solar_w = 20;
    p.onsite_cf = pv;
    p.ppa_capacity_w = 40;
    p.ppa_cf = ppa;
    p.ppa_same_region = false;
    p.eac_j = 5 * WH;
    dcs_procure_result r;
    dcs_procure_run(&p, 4, load, ci, NULL, &r, NULL);
    CHECK_NEAR(r.cfe_frac, 0.375, 1e-12);
    CHECK_NEAR(r.annual_match_frac, 1.0, 1e-12);
    CHECK_NEAR(r.grid_import_j, 25 * WH, 1e-12);
    CHECK_NEAR(r.location_kg, 0.005, 1e-12);
    CHECK_NEAR(r.market_kg, 0.002, 1e-12);
    dcs_procure_run(&p, 4, load, ci, half, &r, NULL);
    CHECK_NEAR(r.cfe_frac, 0.6875, 1e-12);
}

static void emissions_are_the_exact_integral(void)
{
    /* Intensity 2^-28, 3 x 2^-29, 2^-27 kg/J for three hours; power changes
     * every 15 min (900 s) as an engine would integrate it, event by event:
     * kg += P x integral of ci over the segment.  With dyadic values every
     * product and sum is exact, so the event-style total must equal the
     * hourly accounting of the average power bit for bit. */
    dcs_hourly h;
    CHECK_INT(dcs_hourly_init(&h, 0, 3), DCS_OK);
    h.value[0] = 0x1p-28;
    h.value[1] = 3 * 0x1p-29;
    h.value[2] = 0x1p-27;
    static const double seg_w[12] = {1024, 2048, 512, 512, 256, 256, 256, 256, 4096, 0, 1024, 2048};
    double kg = 0.0, avg_w[3] = {0, 0, 0};
    for (int k = 0; k < 12; k++) {
        dcs_time t0 = k * 15 * DCS_MINUTE, t1 = (k + 1) * 15 * DCS_MINUTE;
        kg += seg_w[k] * dcs_hourly_integral(&h, t0, t1);
        avg_w[k / 4] += seg_w[k] / 4;
    }
    /* Hourly averages 1024, 256, 1792 W; by hand 3600 x (1024 x 2^-28 + 256
     * x 3 x 2^-29 + 1792 x 2^-27) = 3600 x 2^-18 x (1 + 0.375 + 3.5) =
     * 3600 x 4.875 / 262144 kg. */
    dcs_procure_params p = dcs_procure_defaults();
    dcs_procure_result r;
    dcs_procure_run(&p, 3, avg_w, h.value, NULL, &r, NULL);
    CHECK(kg == r.location_kg);
    CHECK(kg == 3600.0 * 4.875 / 262144.0);
    CHECK_NEAR(r.market_kg, r.location_kg, 0);   /* no instruments */
    CHECK_NEAR(r.cfe_frac, 0, 0);
    /* An interval across hour boundaries gives the same as its pieces. */
    CHECK(dcs_hourly_integral(&h, 10 * DCS_MINUTE, 130 * DCS_MINUTE) ==
          dcs_hourly_integral(&h, 10 * DCS_MINUTE, 60 * DCS_MINUTE) +
          dcs_hourly_integral(&h, 60 * DCS_MINUTE, 130 * DCS_MINUTE));
    dcs_hourly_free(&h);
}

static void bad_params(void)
{
    dcs_procure_params p = dcs_procure_defaults();
    p.battery_rte = 1.5;
    p.ppa_capacity_w = 1e6;
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_procure_check(&p, d, (dcs_loc){"s.yaml", 12, 7}), DCS_ERANGE);
    CHECK_STR(dcs_diag_line(d, 0), "s.yaml:12:7: battery_rte = 1.5 is out of range [0.01, 1]");
    CHECK_STR(dcs_diag_line(d, 1), "s.yaml:12:7: a PPA of 1e+06 W needs a generation profile");
    dcs_diag_free(d);
}

int main(void)
{
    RUN(hourly_vs_annual_ppa);
    RUN(battery_shifts_surplus);
    RUN(onsite_solar_and_certificates);
    RUN(emissions_are_the_exact_integral);
    RUN(bad_params);
    return TEST_END();
}
