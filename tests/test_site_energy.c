/* test_site_energy.c - a site's energy totals and summary metrics: facility
 * energy = IT + cooling + losses, PUE, WUE, ERE, peak, free-cooling hours,
 * by hand; and one hour of the full chain (IT -> cooling -> heat reuse). */
#include "dcsim/heat_reuse.h"
#include "dcsim/power.h"
#include "dcsim/site_energy.h"
#include "harness.h"

static double metric(const dcs_metric *rows, const char *name)
{
    for (int i = 0; i < DCS_SITE_METRICS; i++)
        if (strcmp(rows[i].name, name) == 0)
            return rows[i].value;
    return -1e300;
}

/* Two intervals:
 *   1 h: IT 8 MW, cooling 1.2 MW, losses 0.3 MW, water 2 kg/s, reused 3 MW,
 *        heat pump 0.7 MW (off site), mode full;
 *   0.5 h: IT 6 MW, cooling 0.9 MW, losses 0.25 MW, no water, no reuse,
 *        mode partial.
 * IT 8000 + 3000 = 11,000 kWh; cooling 1200 + 450 = 1,650 kWh; losses
 * 300 + 125 = 425 kWh; facility 13,075 kWh; PUE 13075/11000 = 1.188636;
 * water 7,200 L, WUE 0.654545; reused 3,000 kWh, ERE 10075/11000 =
 * 0.915909; peak 9.5 MW; free cooling 1 h full, 0.5 h partial. */
static void totals_by_hand(void)
{
    dcs_site_totals t;
    dcs_site_totals_init(&t, false);
    dcs_site_point a = {8e6, 1.2e6, 0.3e6, 0.7e6, 2.0, 3e6, 0.1, DCS_FREE_FULL};
    dcs_site_point b = {6e6, 0.9e6, 0.25e6, 0.0, 0.0, 0.0, 0.0, DCS_FREE_PARTIAL};
    dcs_site_totals_add(&t, &a, 3600.0);
    dcs_site_totals_add(&t, &b, 1800.0);
    dcs_site_totals_add(&t, &b, 0.0);       /* empty interval: nothing */
    dcs_metric m[DCS_SITE_METRICS];
    dcs_site_metrics(&t, m);
    CHECK_STR(m[0].name, "energy_it_kwh");
    CHECK_NEAR(metric(m, "energy_it_kwh"), 11000.0, 1e-12);
    CHECK_NEAR(metric(m, "energy_cooling_kwh"), 1650.0, 1e-12);
    CHECK_NEAR(metric(m, "energy_losses_kwh"), 425.0, 1e-12);
    CHECK_NEAR(metric(m, "energy_facility_kwh"), 13075.0, 1e-12);
    CHECK_NEAR(metric(m, "energy_facility_kwh"),
               metric(m, "energy_it_kwh") + metric(m, "energy_cooling_kwh")
               + metric(m, "energy_losses_kwh"), 1e-12);
    CHECK_NEAR(metric(m, "pue"), 1.188636, 1e-6);
    CHECK_NEAR(metric(m, "water_l"), 7200.0, 1e-12);
    CHECK_NEAR(metric(m, "wue_l_per_kwh"), 0.654545, 1e-6);
    CHECK_NEAR(metric(m, "heat_reused_kwh"), 3000.0, 1e-12);
    CHECK_NEAR(metric(m, "ere"), 0.915909, 1e-6);
    CHECK_NEAR(metric(m, "energy_heat_pump_kwh"), 700.0, 1e-12);
    CHECK_NEAR(metric(m, "carbon_avoided_kg"), 360.0, 1e-12);
    CHECK_NEAR(metric(m, "peak_power_kw"), 9500.0, 1e-12);
    CHECK_NEAR(metric(m, "free_cooling_full_h"), 1.0, 1e-12);
    CHECK_NEAR(metric(m, "free_cooling_partial_h"), 0.5, 1e-12);
    /* With the heat pump on site its 700 kWh join the facility. */
    dcs_site_totals_init(&t, true);
    dcs_site_totals_add(&t, &a, 3600.0);
    dcs_site_metrics(&t, m);
    CHECK_NEAR(metric(m, "energy_facility_kwh"), 8000.0 + 1200.0 + 300.0 + 700.0, 1e-12);
    CHECK_NEAR(metric(m, "peak_power_kw"), 10200.0, 1e-12);
}

static void nothing_ran(void)
{
    dcs_site_totals t;
    dcs_site_totals_init(&t, false);
    dcs_metric m[DCS_SITE_METRICS];
    dcs_site_metrics(&t, m);
    CHECK(isnan(metric(m, "pue")));
    CHECK_ABS(metric(m, "energy_it_kwh"), 0.0, 0.0);
}

/* One hour through the whole chain with defaults: direct liquid, 10 MW
 * design, 8 MW IT at 5 degC outdoors.  The heat reused comes from the
 * liquid loop's return (40 degC) and cannot exceed the heat that loop
 * carried; the facility energy is the sum of its parts. */
static void one_hour_chain(void)
{
    dcs_cooling_params cp;
    dcs_cooling_defaults(&cp, DCS_COOLING_DIRECT_LIQUID, 10e6);
    dcs_distribution_params dp;
    dcs_distribution_defaults(&dp, 10e6);
    dcs_heat_reuse_params hp;
    dcs_heat_reuse_defaults(&hp, 10e6);
    dcs_ambient a = {5.0, 1.0, 3.0, 0.75, 101325.0};
    dcs_cooling_result cr;
    dcs_cooling_power(&cp, &a, 8e6, &cr);
    dcs_heat_reuse_result hr;
    dcs_heat_reuse_eval(&hp, cr.return_c, cr.return_heat_w, a.dry_bulb_c, &hr);
    CHECK(hr.recovered_w <= cr.return_heat_w + 1e-6);
    CHECK(hr.recovered_w > 0.0);
    dcs_site_point p = {8e6, cr.total_w, dcs_distribution_loss_w(&dp, 8e6), hr.heat_pump_w,
                        cr.water_kg_s, hr.recovered_w, hr.avoided_kg_s, cr.mode};
    dcs_site_totals t;
    dcs_site_totals_init(&t, false);
    dcs_site_totals_add(&t, &p, 3600.0);
    dcs_metric m[DCS_SITE_METRICS];
    dcs_site_metrics(&t, m);
    CHECK_NEAR(metric(m, "energy_facility_kwh"),
               (8e6 + cr.total_w + dcs_distribution_loss_w(&dp, 8e6)) / 1000.0, 1e-12);
    CHECK(metric(m, "ere") < metric(m, "pue"));
    CHECK_NEAR(metric(m, "free_cooling_full_h"), 1.0, 0.0);
}

int main(void)
{
    RUN(totals_by_hand);
    RUN(nothing_ran);
    RUN(one_hour_chain);
    return TEST_END();
}
