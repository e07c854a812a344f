/*
 * climate.c - monthly normals from EPW hours, and a synthetic hourly
 * climate built from them.
 *
 * Normals: per month, the mean of the hourly dry-bulb and dew point, and
 * the mean over the month's days of (daily max - daily min) dry-bulb; the
 * annual mean station pressure.
 * Synthetic hour h (0-based, day d = h / 24, local time of day t = h mod 24
 * + 0.5 at mid-hour):
 *   mean(d)  = monthly values interpolated linearly between mid-month days
 *              (wrapping December to January)
 *   T_db     = mean_db(d) + range(d)/2 * cos(2 pi (t - t_peak) / 24) + a_db
 *   T_dp     = min(mean_dp(d) + a_dp, T_db)
 *   a(h+1)   = phi a(h) + sqrt(1 - phi^2) sigma N(0, 1)   (AR(1), stationary sd sigma)
 * The cosine keeps each day's mean at the monthly mean; its minimum falls
 * 12 h before the peak (03:00 for a 15:00 peak), earlier than the real
 * minimum near sunrise.
 * Defaults [assumption]: peak at 15:00 local time (the usual afternoon
 * maximum); phi = exp(-1/24) = 0.9592 (anomalies lose 1/e of their size in
 * a day, the synoptic time scale); sigma_db = 3 K and sigma_dp = 2.5 K,
 * the order of day-to-day spread of mid-latitude hourly temperatures around
 * their monthly mean-diurnal cycle.  Tropical sites vary less: set sigma
 * lower for them.
 * Left out: seasonal change of the noise, correlation between the
 * dry-bulb and dew-point anomalies, cloud and wind.
 */
#include "dcsim/climate.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dcsim/epw.h"
#include "dcsim/psychro.h"

#define PI 3.14159265358979323846

static const int MONTH_START[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

dcs_status dcs_climate_normals_from_epw(const dcs_epw *epw, dcs_climate_normals *out)
{
    memset(out, 0, sizeof *out);
    double db[12] = {0}, dp[12] = {0}, range_sum[12] = {0};
    int hours[12] = {0}, days[12] = {0};
    double p_sum = 0.0;
    /* Daily extremes, keyed by the (month, day) pair in file order. */
    int cur_m = -1, cur_d = -1;
    double dmax = 0.0, dmin = 0.0;
    for (int i = 0; i <= epw->n; i++) {
        const dcs_epw_hour *h = i < epw->n ? &epw->hours[i] : NULL;
        if (!h || h->month != cur_m || h->day != cur_d) {
            if (cur_m >= 1 && cur_m <= 12) {
                range_sum[cur_m - 1] += dmax - dmin;
                days[cur_m - 1]++;
            }
            if (!h)
                break;
            cur_m = h->month;
            cur_d = h->day;
            dmax = dmin = h->air.dry_bulb_c;
        }
        dmax = fmax(dmax, h->air.dry_bulb_c);
        dmin = fmin(dmin, h->air.dry_bulb_c);
        if (h->month < 1 || h->month > 12)
            continue;
        db[h->month - 1] += h->air.dry_bulb_c;
        dp[h->month - 1] += h->air.dew_point_c;
        hours[h->month - 1]++;
        p_sum += h->air.pressure_pa;
    }
    int total = 0;
    for (int m = 0; m < 12; m++) {
        if (hours[m] == 0 || days[m] == 0)
            return DCS_EINPUT;
        out->dry_bulb_mean_c[m] = db[m] / hours[m];
        out->dew_point_mean_c[m] = dp[m] / hours[m];
        out->diurnal_range_k[m] = range_sum[m] / days[m];
        total += hours[m];
    }
    out->pressure_pa = p_sum / total;
    out->latitude_deg = epw->latitude_deg;
    return DCS_OK;
}

void dcs_climate_synth_defaults(dcs_climate_synth_params *p)
{
    p->noise_sd_k = 3.0;
    p->noise_phi = exp(-1.0 / 24.0);
    p->dew_noise_sd_k = 2.5;
    p->peak_hour = 15.0;
}

void dcs_climate_synth_init(dcs_climate_synth_state *s)
{
    s->db_anomaly_k = 0.0;
    s->dp_anomaly_k = 0.0;
}

/* Monthly series v interpolated to day-of-year day (0..365, fractional). */
static double interp_month(const double v[12], double day)
{
    /* Mid-month days; m-th value sits at mid[m].  Find the pair around day. */
    double mid[12];
    for (int m = 0; m < 12; m++)
        mid[m] = 0.5 * (MONTH_START[m] + MONTH_START[m + 1]);
    if (day < mid[0]) {
        double span = mid[0] + 365.0 - mid[11];
        double x = (day + 365.0 - mid[11]) / span;
        return v[11] + x * (v[0] - v[11]);
    }
    for (int m = 0; m < 11; m++) {
        if (day < mid[m + 1]) {
            double x = (day - mid[m]) / (mid[m + 1] - mid[m]);
            return v[m] + x * (v[m + 1] - v[m]);
        }
    }
    double span = mid[0] + 365.0 - mid[11];
    double x = (day - mid[11]) / span;
    return v[11] + x * (v[0] - v[11]);
}

static void fill(const dcs_climate_normals *n, double db, double dp, dcs_ambient *out)
{
    out->dry_bulb_c = db;
    out->dew_point_c = fmin(dp, db);
    out->pressure_pa = n->pressure_pa;
    out->rh = dcs_psychro_rh_from_dew_point(db, out->dew_point_c);
    if (dcs_psychro_wet_bulb_from_dew_point_c(db, out->dew_point_c, n->pressure_pa,
                                              &out->wet_bulb_c) != DCS_OK)
        out->wet_bulb_c = out->dew_point_c;   /* only for non-physical normals */
}

static void mean_parts(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                       int hour_of_year, double *db, double *dp)
{
    int h = hour_of_year % 8760;
    if (h < 0)
        h += 8760;
    double t = (double)(h % 24) + 0.5;
    double day = (double)(h / 24) + t / 24.0;
    double mean = interp_month(n->dry_bulb_mean_c, day);
    double range = interp_month(n->diurnal_range_k, day);
    *db = mean + 0.5 * range * cos(2.0 * PI * (t - p->peak_hour) / 24.0);
    *dp = interp_month(n->dew_point_mean_c, day);
}

void dcs_climate_mean_hour(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                           int hour_of_year, dcs_ambient *out)
{
    double db, dp;
    mean_parts(n, p, hour_of_year, &db, &dp);
    fill(n, db, dp, out);
}

void dcs_climate_synth_hour(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                            dcs_climate_synth_state *s, gsl_rng *rng, int hour_of_year,
                            dcs_ambient *out)
{
    double k = sqrt(1.0 - p->noise_phi * p->noise_phi);
    s->db_anomaly_k = p->noise_phi * s->db_anomaly_k + k * gsl_ran_gaussian(rng, p->noise_sd_k);
    s->dp_anomaly_k = p->noise_phi * s->dp_anomaly_k
                    + k * gsl_ran_gaussian(rng, p->dew_noise_sd_k);
    double db, dp;
    mean_parts(n, p, hour_of_year, &db, &dp);
    fill(n, db + s->db_anomaly_k, dp + s->dp_anomaly_k, out);
}
