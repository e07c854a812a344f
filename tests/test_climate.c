/* test_climate.c - monthly normals from EPW hours and the synthetic
 * climate: interpolation, diurnal cycle, AR(1) noise statistics. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "dcsim/climate.h"
#include "dcsim/epw.h"
#include "harness.h"

/* Twelve months of two days each.  Day 1: dry-bulb m (month number 1..12)
 * except m + 4 at hour 15; day 2: m all day.  Dew point m - 5, pressure
 * 100000 + m.  Month mean = m + 4/48 = m + 0.083333; daily ranges 4 and 0,
 * mean 2 K; pressure mean 100006.5 Pa.  The header's time zone -7 h is the
 * normals' utc_offset_h. */
static void normals_from_hours(void)
{
    dcs_epw e = {0};
    e.latitude_deg = 12.5;
    e.timezone_h = -7.0;
    e.n = 12 * 48;
    e.hours = calloc((size_t)e.n, sizeof *e.hours);
    CHECK(e.hours != NULL);
    if (!e.hours)
        return;
    for (int i = 0; i < e.n; i++) {
        int m = i / 48 + 1, day = (i % 48) / 24 + 1, h = i % 24 + 1;
        dcs_epw_hour *x = &e.hours[i];
        x->month = m;
        x->day = day;
        x->hour = h;
        x->air.dry_bulb_c = m + (day == 1 && h == 15 ? 4.0 : 0.0);
        x->air.dew_point_c = m - 5.0;
        x->air.pressure_pa = 100000.0 + m;
    }
    dcs_climate_normals n;
    CHECK_INT(dcs_climate_normals_from_epw(&e, &n), DCS_OK);
    CHECK_NEAR(n.dry_bulb_mean_c[0], 1.083333, 1e-6);
    CHECK_NEAR(n.dry_bulb_mean_c[11], 12.083333, 1e-6);
    CHECK_NEAR(n.diurnal_range_k[6], 2.0, 1e-12);
    CHECK_NEAR(n.dew_point_mean_c[3], -1.0, 1e-12);
    CHECK_NEAR(n.pressure_pa, 100006.5, 1e-12);
    CHECK_NEAR(n.latitude_deg, 12.5, 0.0);
    CHECK_INT(n.utc_offset_h, -7);
    /* Without any March hours the normals cannot be formed. */
    for (int i = 0; i < e.n; i++)
        if (e.hours[i].month == 3)
            e.hours[i].month = 2;
    CHECK_INT(dcs_climate_normals_from_epw(&e, &n), DCS_EINPUT);
    free(e.hours);
}

static void constant_normals(dcs_climate_normals *n, double db, double range, double dp)
{
    for (int m = 0; m < 12; m++) {
        n->dry_bulb_mean_c[m] = db;
        n->diurnal_range_k[m] = range;
        n->dew_point_mean_c[m] = dp;
    }
    n->pressure_pa = 101325.0;
    n->latitude_deg = 45.0;
    n->utc_offset_h = 0;
    for (int m = 0; m < 12; m++)
        n->dry_bulb_noise_sd_k[m] = n->dew_point_noise_sd_k[m] = 0.0;
    n->noise_phi = 0.0;
}

/* Mean 10 degC, range 8 K, peak 15:00.  Hour 14 (mid-hour 14.5):
 * 10 + 4 cos(2 pi (-0.5)/24) = 10 + 4 * 0.991445 = 13.96578; hour 2
 * (2.5): 10 + 4 cos(2 pi (-12.5)/24) = 10 - 3.96578 = 6.03422; the mean
 * over a day is 10 exactly. */
static void diurnal_cycle(void)
{
    dcs_climate_normals n;
    constant_normals(&n, 10.0, 8.0, 5.0);
    dcs_climate_synth_params p;
    dcs_climate_synth_defaults(&p);
    dcs_ambient a;
    dcs_climate_mean_hour(&n, &p, 24 * 100 + 14, &a);
    CHECK_NEAR(a.dry_bulb_c, 13.96578, 1e-6);
    CHECK_NEAR(a.dew_point_c, 5.0, 1e-12);
    CHECK(a.wet_bulb_c > 5.0 && a.wet_bulb_c < a.dry_bulb_c);
    dcs_climate_mean_hour(&n, &p, 24 * 100 + 2, &a);
    CHECK_NEAR(a.dry_bulb_c, 6.03422, 1e-6);
    double sum = 0.0;
    for (int h = 0; h < 24; h++) {
        dcs_climate_mean_hour(&n, &p, 24 * 200 + h, &a);
        sum += a.dry_bulb_c;
    }
    CHECK_NEAR(sum / 24.0, 10.0, 1e-12);
}

/* Monthly means 0, 1, ..., 11 (January..December), no diurnal range.
 * Mid-month days: January 15.5, February 45.0.  Hour 30*24 + 11 is day
 * 30 + 11.5/24 = 30.479167: 0 + (30.479167 - 15.5) / 29.5 = 0.507768.
 * Hour 11 (day 0.479167) lies between mid-December (349.5) and the next
 * mid-January (380.5): 11 + (365.479167 - 349.5)/31 * (0 - 11) = 5.329973. */
static void monthly_interpolation(void)
{
    dcs_climate_normals n;
    constant_normals(&n, 0.0, 0.0, -20.0);
    for (int m = 0; m < 12; m++)
        n.dry_bulb_mean_c[m] = m;
    dcs_climate_synth_params p;
    dcs_climate_synth_defaults(&p);
    dcs_ambient a;
    dcs_climate_mean_hour(&n, &p, 30 * 24 + 11, &a);
    CHECK_NEAR(a.dry_bulb_c, 0.507768, 1e-5);
    dcs_climate_mean_hour(&n, &p, 11, &a);
    CHECK_NEAR(a.dry_bulb_c, 5.329973, 1e-6);
    dcs_climate_mean_hour(&n, &p, 11 + 8760, &a);   /* wraps to the same hour */
    CHECK_NEAR(a.dry_bulb_c, 5.329973, 1e-6);
}

/* AR(1) anomalies: over ten synthetic years the sample standard deviation
 * of (synthetic - mean) is near sigma = 3 K and the lag-1 autocorrelation
 * near phi = exp(-1/24) = 0.95918 (sampling error of both ~1 % here). The
 * same seed gives the same series. */
static void ar1_noise(void)
{
    dcs_climate_normals n;
    constant_normals(&n, 15.0, 6.0, -30.0);   /* dry air: dew point never clips */
    dcs_climate_synth_params p;
    dcs_climate_synth_defaults(&p);
    gsl_rng *r1 = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng *r2 = gsl_rng_alloc(gsl_rng_taus2);
    CHECK(r1 && r2);
    if (!r1 || !r2)
        return;
    gsl_rng_set(r1, 7);
    gsl_rng_set(r2, 7);
    dcs_climate_synth_state s1, s2;
    dcs_climate_synth_init(&s1);
    dcs_climate_synth_init(&s2);
    enum { N = 87600 };
    double sum2 = 0.0, lag = 0.0, prev = 0.0;
    int same = 1;
    for (int h = 0; h < N; h++) {
        dcs_ambient a, b, m;
        dcs_climate_synth_hour(&n, &p, &s1, r1, h, &a);
        dcs_climate_synth_hour(&n, &p, &s2, r2, h, &b);
        dcs_climate_mean_hour(&n, &p, h, &m);
        same &= a.dry_bulb_c == b.dry_bulb_c;
        double x = a.dry_bulb_c - m.dry_bulb_c;
        sum2 += x * x;
        if (h > 0)
            lag += x * prev;
        prev = x;
        if (a.dew_point_c > a.dry_bulb_c || a.wet_bulb_c > a.dry_bulb_c)
            same = 0;
    }
    CHECK(same);
    double var = sum2 / N;
    CHECK_NEAR(sqrt(var), 3.0, 0.05);
    CHECK_NEAR(lag / (N - 1) / var, 0.95918, 0.01);
    gsl_rng_free(r1);
    gsl_rng_free(r2);
}

/* Noise statistics carried by the normals replace the defaults month by
 * month; zeros (unknown) keep them. */
static void noise_from_normals(void)
{
    dcs_climate_normals n;
    constant_normals(&n, 10.0, 8.0, 5.0);
    for (int m = 0; m < 12; m++) {
        n.dry_bulb_noise_sd_k[m] = m == 6 ? 0.0 : 1.0 + m;
        n.dew_point_noise_sd_k[m] = 0.0;
    }
    n.noise_phi = 0.9;
    dcs_climate_synth_params p;
    dcs_climate_synth_params_for(&n, &p);
    CHECK_NEAR(p.noise_sd_k[0], 1.0, 0.0);
    CHECK_NEAR(p.noise_sd_k[11], 12.0, 0.0);
    CHECK_NEAR(p.noise_sd_k[6], 3.0, 0.0);        /* default kept */
    CHECK_NEAR(p.dew_noise_sd_k[3], 2.5, 0.0);    /* default kept */
    CHECK_NEAR(p.noise_phi, 0.9, 0.0);
}

int main(void)
{
    RUN(normals_from_hours);
    RUN(diurnal_cycle);
    RUN(monthly_interpolation);
    RUN(ar1_noise);
    RUN(noise_from_normals);
    return TEST_END();
}
