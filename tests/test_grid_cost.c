/* test_grid_cost.c - forecast error growth, embodied carbon per GPU-hour and
 * electricity cost, against hand computations. */
#include <math.h>
#include <gsl/gsl_rng.h>

#include "dcsim/embodied.h"
#include "dcsim/forecast.h"
#include "dcsim/price.h"
#include "harness.h"

static void forecast_error(void)
{
    dcs_hourly truth;
    CHECK_INT(dcs_hourly_init(&truth, 0, 48), DCS_OK);
    for (size_t i = 0; i < 48; i++)
        truth.value[i] = 1e-7 * (1.0 + 0.5 * sin((double)i));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 7);
    double out[24];
    /* No error: the forecast is the truth, wrapping past the end. */
    dcs_forecast_params exact = {.sigma = 0, .phi = 0.9};
    dcs_forecast_make(&truth, 40, 24, &exact, rng, out);
    CHECK_NEAR(out[0], truth.value[41], 0);
    CHECK_NEAR(out[10], truth.value[3], 0);       /* (40 + 11) mod 48 */
    /* sd(k) = sigma sqrt((1 - phi^2k) / (1 - phi^2)): sigma 0.05, phi 0.9:
     * sd(1) = 0.05, sd(2) = 0.05 sqrt(1.81) = 0.0672681, sd(inf) = 0.05 /
     * sqrt(0.19) = 0.114708. */
    dcs_forecast_params p = dcs_forecast_defaults();
    CHECK_NEAR(dcs_forecast_sd(&p, 1), 0.05, 1e-12);
    CHECK_NEAR(dcs_forecast_sd(&p, 2), 0.0672681, 1e-6);
    CHECK_NEAR(dcs_forecast_sd(&p, 1000), 0.114708, 1e-5);
    /* Sample spread of the relative error against the formula, 20,000
     * forecasts of a flat truth: standard error of an sd estimate is
     * sd / sqrt(2 N) = 0.5 %, so 3 % is a wide but failing-capable margin. */
    dcs_hourly flat;
    CHECK_INT(dcs_hourly_init(&flat, 0, 48), DCS_OK);
    for (size_t i = 0; i < 48; i++)
        flat.value[i] = 1.0;
    double s1 = 0, s24 = 0;
    const int N = 20000;
    for (int i = 0; i < N; i++) {
        dcs_forecast_make(&flat, 0, 24, &p, rng, out);
        s1 += (out[0] - 1) * (out[0] - 1);
        s24 += (out[23] - 1) * (out[23] - 1);
    }
    CHECK_NEAR(sqrt(s1 / N), dcs_forecast_sd(&p, 1), 0.03);
    CHECK_NEAR(sqrt(s24 / N), dcs_forecast_sd(&p, 24), 0.03);
    /* Seeded: the same seed gives the same forecast. */
    double a[24], b[24];
    gsl_rng_set(rng, 99);
    dcs_forecast_make(&truth, 5, 24, &p, rng, a);
    gsl_rng_set(rng, 99);
    dcs_forecast_make(&truth, 5, 24, &p, rng, b);
    int same = 1;
    for (int k = 0; k < 24; k++)
        same = same && a[k] == b[k];
    CHECK(same);
    gsl_rng_free(rng);
    dcs_hourly_free(&truth);
    dcs_hourly_free(&flat);
}

static void embodied(void)
{
    /* Defaults: 150 kg / 52,560 h = 0.0028539; 2,500 kg / (8 x 52,560 h) =
     * 0.0059456; 0.18 kg/W x 1,275 W / 175,200 h = 0.0013099; total
     * 0.0101094 kg per GPU-hour. */
    dcs_embodied_params p = dcs_embodied_defaults();
    CHECK_NEAR(dcs_embodied_kg_per_gpu_hour(&p), 150.0 / 52560 + 2500.0 / (8 * 52560) +
                                                 0.18 * 1275 / 175200, 1e-12);
    CHECK_NEAR(dcs_embodied_kg_per_gpu_hour(&p), 0.0101094, 1e-5);
    /* 2,048 GPUs for 14 days: 0.0101094 x 2,048 x 336 h = 6,956.6 kg. */
    CHECK_NEAR(dcs_embodied_kg(&p, 2048, 14 * 86400.0), 0.0101094 * 2048 * 336, 1e-5);
    dcs_diag *d = dcs_diag_new();
    CHECK_INT(dcs_embodied_check(&p, d, (dcs_loc){"c.yaml", 2, 3}), DCS_OK);
    p.gpu_life_s = 0;
    CHECK_INT(dcs_embodied_check(&p, d, (dcs_loc){"c.yaml", 2, 3}), DCS_ERANGE);
    CHECK_STR(dcs_diag_line(d, 0), "c.yaml:2:3: gpu_life_s = 0 must be positive and finite");
    dcs_diag_free(d);
}

static void tariffs(void)
{
    double mw[24];
    for (int i = 0; i < 24; i++)
        mw[i] = 1e6;
    int64_t monday = dcs_civil_to_utc_s(2023, 1, 2, 5, 0, 0);    /* 00:00 EST */
    int64_t saturday = dcs_civil_to_utc_s(2023, 1, 7, 5, 0, 0);
    /* Flat 80 USD/MWh, 24 MWh: 1,920 USD. */
    dcs_price_params flat = dcs_price_defaults();
    CHECK_NEAR(dcs_price_energy_usd(&flat, monday, 24, mw), 1920, 1e-12);
    /* Time of use, EST (UTC-5): peak 150 USD/MWh 16:00-21:00 weekdays,
     * off-peak 50.  Monday: 5 x 150 + 19 x 50 = 1,700 USD; Saturday all
     * off-peak: 1,200 USD. */
    dcs_price_params tou = flat;
    tou.kind = DCS_PRICE_TOU;
    tou.peak_usd_per_j = 150 * DCS_USD_PER_MWH;
    tou.offpeak_usd_per_j = 50 * DCS_USD_PER_MWH;
    tou.utc_offset_h = -5;
    CHECK_NEAR(dcs_price_energy_usd(&tou, monday, 24, mw), 1700, 1e-12);
    CHECK_NEAR(dcs_price_energy_usd(&tou, saturday, 24, mw), 1200, 1e-12);
    /* Hourly series 10, 20, 30 USD/MWh from Monday 05:00 UTC, 1 MW for 3 h:
     * 60 USD; a lookup 3 h later wraps to the first value. */
    dcs_hourly series;
    CHECK_INT(dcs_hourly_init(&series, monday, 3), DCS_OK);
    for (int i = 0; i < 3; i++)
        series.value[i] = 10.0 * (i + 1) * DCS_USD_PER_MWH;
    dcs_price_params hourly = flat;
    hourly.kind = DCS_PRICE_HOURLY;
    hourly.hourly = &series;
    CHECK_NEAR(dcs_price_energy_usd(&hourly, monday, 3, mw), 60, 1e-12);
    CHECK_NEAR(dcs_price_at(&hourly, monday + 3 * 3600) / DCS_USD_PER_MWH, 10, 1e-12);
    /* Demand charge 15 USD/kW-month; hours 31 Jan 22:00 - 1 Feb 01:00 UTC at
     * 1, 2, 1.5, 0.5 MW: January peak 2 MW, February 1.5 MW ->
     * (2,000 + 1,500) kW x 15 = 52,500 USD. */
    double pw[4] = {1e6, 2e6, 1.5e6, 0.5e6};
    dcs_price_params dem = flat;
    dem.demand_usd_per_w_month = 15.0 / 1000;
    CHECK_NEAR(dcs_price_demand_usd(&dem, dcs_civil_to_utc_s(2023, 1, 31, 22, 0, 0), 4, pw),
               52500, 1e-12);
    /* 1,920 USD over a million requests: 1.92 USD per 1,000. */
    CHECK_NEAR(dcs_price_per_1000_requests(1920, 1e6), 1.92, 1e-12);
    CHECK_NEAR(dcs_price_per_1000_requests(1920, 0), 0, 0);
    dcs_diag *d = dcs_diag_new();
    tou.peak_start_h = 22;
    CHECK_INT(dcs_price_check(&tou, d, (dcs_loc){"p.yaml", 4, 11}), DCS_ERANGE);
    CHECK_STR(dcs_diag_line(d, 0), "p.yaml:4:11: peak hours 22-21 must satisfy 0 <= start < end <= 24");
    dcs_diag_free(d);
    dcs_hourly_free(&series);
}

int main(void)
{
    RUN(forecast_error);
    RUN(embodied);
    RUN(tariffs);
    return TEST_END();
}
