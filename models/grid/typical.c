/*
 * typical.c - typical-day profiles: for each month m and local hour h, the
 * arithmetic mean of the signal's values in that cell,
 *   T[m][h] = (1 / N_mh) sum_{i in cell(m, h)} x_i,
 * with months and hours taken in local standard time (UTC + utc_offset_h,
 * no daylight saving) so that a cell always means the same position of the
 * sun.  A year is rebuilt from a profile by giving every hour its cell's
 * value; this keeps seasonal and diurnal shape but drops weather-driven
 * day-to-day swings (wind lulls, cloudy weeks), which is the simplification
 * of using profiles instead of an hourly file.
 */
#include "dcsim/typical.h"

dcs_status dcs_typical_day_build(const dcs_hourly *h, int utc_offset_h, dcs_typical_day *out)
{
    double sum[12][24] = {{0}};
    int count[12][24] = {{0}};
    for (size_t i = 0; i < h->n; i++) {
        int64_t local = h->start_utc_s + (int64_t)i * 3600 + (int64_t)utc_offset_h * 3600;
        int month, hour;
        dcs_utc_s_to_civil(local, NULL, &month, NULL, &hour, NULL, NULL);
        sum[month - 1][hour] += h->value[i];
        count[month - 1][hour]++;
    }
    out->utc_offset_h = utc_offset_h;
    dcs_status st = DCS_OK;
    for (int m = 0; m < 12; m++)
        for (int k = 0; k < 24; k++) {
            if (count[m][k] == 0) {
                out->value[m][k] = 0.0;
                st = DCS_ERANGE;
            } else {
                out->value[m][k] = sum[m][k] / count[m][k];
            }
        }
    return st;
}

void dcs_typical_day_expand(const dcs_typical_day *t, dcs_hourly *out)
{
    for (size_t i = 0; i < out->n; i++) {
        int64_t local = out->start_utc_s + (int64_t)i * 3600 + (int64_t)t->utc_offset_h * 3600;
        int month, hour;
        dcs_utc_s_to_civil(local, NULL, &month, NULL, &hour, NULL, NULL);
        out->value[i] = t->value[month - 1][hour];
    }
}
