/* test_climate_local.c - a site with `climate: {normals: NAME}` has its
 * synthetic diurnal cycle in the climate's local standard time, not in the
 * run's UTC clock: the catalog's utc_offset_h shifts it.
 *
 * Method: run fixtures/run/flat.yaml (one site, hourly samples) for 28 days
 * from 1 July 2023 00:00 UTC with the site's climate set to a catalog
 * entry, and fit the first harmonic of the recorded ambient dry-bulb over
 * the UTC hour of day.  The synthetic mean cycle (models/facility/climate.c)
 * at mid-hour t_local = h_local + 0.5 is mean + R/2 cos(2 pi (t_local - 15)
 * / 24), and t_local = t_utc + offset, so in UTC it is
 * R/2 cos(2 pi (t_utc - P) / 24) with P = 15 - offset (mod 24):
 *   phoenix, utc_offset_h -7 (EPW header): P = 15 + 7 = 22:00 UTC
 *   frankfurt, utc_offset_h +1 (EPW header): P = 15 - 1 = 14:00 UTC
 * (before the fix both peaked at 15:00 UTC).  Twenty-four evenly spaced
 * samples of a cosine give its phase exactly:
 *   atan2(sum T sin(w t), sum T cos(w t)) / w = P,  w = 2 pi / 24.
 * What moves it is the AR(1) weather noise.  Its spectral density at the
 * daily frequency is sigma^2 (1 - phi^2) / (1 - 2 phi cos w + phi^2):
 * 2.2 sigma^2 for Phoenix (phi 0.920, July sigma 2.7 K) and 1.0 sigma^2 for
 * Frankfurt (phi 0.965, sigma 3.5 K), so over N = 672 hours each harmonic
 * coefficient has a standard deviation sqrt(2 S / N): 0.22 K and 0.19 K,
 * against amplitudes R/2 of 5.4 K (Phoenix July range 10.8 K) and 5.0 K
 * (Frankfurt 10.0 K), a phase error of about 0.04 rad = 0.15 h.  The seasonal
 * drift inside the 28 days (about 1 K) leaks about 0.01 K into the
 * harmonic.  The checks take +-0.5 h (over 3 standard deviations); the old
 * behaviour is 7 h and 1 h away.  The hottest UTC hour of the averaged day
 * is checked loosely (within 2 h of P): single hours near the peak differ
 * by tenths of a kelvin, the size of the noise on a 28-day average. */
#include <math.h>
#include <stdio.h>

#include "dcsim/site.h"
#include "harness.h"
#include "run_util.h"
#include "../sim/model_internal.h"

#define PI 3.14159265358979323846

/* Phase (hour of the maximum, UTC, 0..24) of the first harmonic of the
 * site's ambient over the hour of day, and the hottest hour of the
 * averaged day; -1 on failure. */
static double peak_utc_h(const char *climate, int *hottest)
{
    char set_climate[128];
    snprintf(set_climate, sizeof set_climate, "sites.hall.climate.normals=%s", climate);
    const char *sets[3] = {"duration=28d", "start=2023-07-01", set_climate};
    dcs_scenario *s = NULL;
    dcs_model *m = load_and_run_set("fixtures/run/flat.yaml", sets, 3, &s, 1);
    double phase = -1.0;
    *hottest = -1;
    if (m) {
        dcs_site_results r;
        dcs_site_results_of(dcs_model_site_state(m, 0), &r);
        CHECK_INT(r.nrows, 28 * 24);
        double c = 0.0, sn = 0.0, by_hour[24] = {0};
        int64_t start_h = (s->start_utc_s % 86400) / 3600;
        for (size_t k = 0; k < r.nrows; k++) {
            int64_t hour = (start_h + r.times[k] / DCS_HOUR) % 24;
            double t = (double)hour + 0.5;          /* mid-hour, like climate.c */
            double x = r.rows[k * DCS_SITE_NCOLS + DCS_SITE_COL_ambient_c];
            c += x * cos(2.0 * PI * t / 24.0);
            sn += x * sin(2.0 * PI * t / 24.0);
            by_hour[hour] += x;
        }
        phase = fmod(atan2(sn, c) * 24.0 / (2.0 * PI) + 24.0, 24.0);
        *hottest = 0;
        for (int h = 1; h < 24; h++)
            if (by_hour[h] > by_hour[*hottest])
                *hottest = h;
        fprintf(stderr, "%s: diurnal peak at %.2f h UTC, hottest hour %d UTC\n", climate,
                phase, *hottest);
    }
    dcs_model_free(m);
    dcs_scenario_free(s);
    return phase;
}

static void phoenix_peaks_at_22_utc(void)
{
    int hottest;
    double p = peak_utc_h("phoenix", &hottest);
    CHECK_ABS(p, 22.0, 0.5);
    CHECK(hottest >= 20 && hottest <= 23);   /* mid-hours within 2 h of 22:00 */
}

static void frankfurt_peaks_at_14_utc(void)
{
    int hottest;
    double p = peak_utc_h("frankfurt", &hottest);
    CHECK_ABS(p, 14.0, 0.5);
    CHECK(hottest >= 12 && hottest <= 15);   /* mid-hours within 2 h of 14:00 */
}

int main(void)
{
    (void)load_and_run;   /* run_util.h's variant without --set: not needed here */
    RUN(phoenix_peaks_at_22_utc);
    RUN(frankfurt_peaks_at_14_utc);
    return TEST_END();
}
