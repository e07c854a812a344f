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
 *   z(h+1)   = phi z(h) + sqrt(1 - phi^2) N(0, 1)    (AR(1), unit variance)
 *   a(h)     = sigma(d) z(h)   (sigma interpolated between mid-months)
 * The cosine keeps each day's mean at the monthly mean; its minimum falls
 * 12 h before the peak (03:00 for a 15:00 peak), earlier than the real
 * minimum near sunrise.
 * Noise statistics come with the normals when they were derived from a
 * file (monthly RMS of the hourly residuals around the mean cycle and the
 * lag-1 autocorrelation; the six catalog climates have them: dry-bulb
 * sigma from 1.2-1.9 K in Singapore to 9 K in a Lulea February).  Defaults
 * otherwise [assumption]: phi = exp(-1/24) = 0.9592 (anomalies lose 1/e of
 * their size in a day, the synoptic time scale); sigma_db = 3 K and
 * sigma_dp = 2.5 K, the order of the day-to-day spread of mid-latitude
 * temperatures around their monthly mean cycle.  Peak hour 15:00 local time
 * [assumption: the usual afternoon maximum].
 * Left out: correlation between the dry-bulb and dew-point anomalies
 * (independent draws spread wet-bulbs a little more than real weather),
 * skewed (non-Gaussian) anomalies, cloud and wind.
 */
#include "dcsim/climate.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dcsim/epw.h"
#include "dcsim/psychro.h"

#define PI 3.14159265358979323846

static const int MONTH_START[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

static void mean_parts(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                       int hour_of_year, double *db, double *dp);

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
    /* EPW rows are local standard time; the header's zone says which. */
    out->utc_offset_h = (int)lround(epw->timezone_h);
    /* Residuals around the mean cycle these normals define, by month. */
    dcs_climate_synth_params p;
    dcs_climate_synth_defaults(&p);
    double ss_db[12] = {0}, ss_dp[12] = {0}, ss_all = 0.0, lag = 0.0, prev = 0.0;
    for (int i = 0; i < epw->n; i++) {
        int m = epw->hours[i].month - 1;
        if (m < 0 || m > 11)
            continue;
        double mean_db, mean_dp;
        mean_parts(out, &p, i, &mean_db, &mean_dp);
        double x = epw->hours[i].air.dry_bulb_c - mean_db;
        double y = epw->hours[i].air.dew_point_c - mean_dp;
        ss_db[m] += x * x;
        ss_dp[m] += y * y;
        ss_all += x * x;
        if (i > 0)
            lag += x * prev;
        prev = x;
    }
    for (int m = 0; m < 12; m++) {
        out->dry_bulb_noise_sd_k[m] = sqrt(ss_db[m] / hours[m]);
        out->dew_point_noise_sd_k[m] = sqrt(ss_dp[m] / hours[m]);
    }
    out->noise_phi = ss_all > 0.0 ? lag / ss_all : 0.0;
    return DCS_OK;
}

void dcs_climate_synth_defaults(dcs_climate_synth_params *p)
{
    for (int m = 0; m < 12; m++) {
        p->noise_sd_k[m] = 3.0;
        p->dew_noise_sd_k[m] = 2.5;
    }
    p->noise_phi = exp(-1.0 / 24.0);
    p->peak_hour = 15.0;
}

void dcs_climate_synth_params_for(const dcs_climate_normals *n, dcs_climate_synth_params *p)
{
    dcs_climate_synth_defaults(p);
    for (int m = 0; m < 12; m++) {
        if (n->dry_bulb_noise_sd_k[m] > 0.0)
            p->noise_sd_k[m] = n->dry_bulb_noise_sd_k[m];
        if (n->dew_point_noise_sd_k[m] > 0.0)
            p->dew_noise_sd_k[m] = n->dew_point_noise_sd_k[m];
    }
    if (n->noise_phi > 0.0 && n->noise_phi < 1.0)
        p->noise_phi = n->noise_phi;
}

void dcs_climate_synth_init(dcs_climate_synth_state *s)
{
    s->db_z = 0.0;
    s->dp_z = 0.0;
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

/* Hour of year wrapped into 0..8759. */
static int wrap_hour(int hour_of_year)
{
    int h = hour_of_year % 8760;
    return h < 0 ? h + 8760 : h;
}

/* Day of year (0..365, fractional) at the middle of the hour. */
static double day_of_year(int hour_of_year)
{
    int h = wrap_hour(hour_of_year);
    return (double)(h / 24) + ((double)(h % 24) + 0.5) / 24.0;
}

static void mean_parts(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                       int hour_of_year, double *db, double *dp)
{
    int h = wrap_hour(hour_of_year);
    double t = (double)(h % 24) + 0.5;
    double day = day_of_year(h);
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
    s->db_z = p->noise_phi * s->db_z + k * gsl_ran_ugaussian(rng);
    s->dp_z = p->noise_phi * s->dp_z + k * gsl_ran_ugaussian(rng);
    double day = day_of_year(hour_of_year);
    double db, dp;
    mean_parts(n, p, hour_of_year, &db, &dp);
    fill(n, db + s->db_z * interp_month(p->noise_sd_k, day),
         dp + s->dp_z * interp_month(p->dew_noise_sd_k, day), out);
}
