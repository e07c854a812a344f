/*
 * marginal.c - marginal emission factors by regression of hour-to-hour
 * changes in emissions on changes in generation (method and source in
 * marginal.h).  The fit is GSL's ordinary least squares with intercept
 * (gsl_fit_linear): the intercept absorbs drifts common to every hour.
 */
#include "dcsim/marginal.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_fit.h>

dcs_status dcs_marginal_fit(const dcs_hourly *ci, const dcs_hourly *gen_w, int utc_offset_h,
                            dcs_marginal_profile *out)
{
    for (int h = 0; h < 24; h++) {
        out->kg_per_j[h] = 0.0;
        out->r2[h] = 0.0;
        out->pairs[h] = 0;
    }
    if (ci->n != gen_w->n || ci->start_utc_s != gen_w->start_utc_s || ci->n < 2)
        return DCS_ERANGE;
    size_t n = ci->n;
    /* Changes grouped by local hour: 24 buckets of at most n/24 + 1 each. */
    size_t per = n / 24 + 2;
    double *dg = malloc(24 * per * sizeof *dg), *de = malloc(24 * per * sizeof *de);
    if (!dg || !de) {
        free(dg);
        free(de);
        return DCS_ENOMEM;
    }
    for (size_t t = 1; t < n; t++) {
        int hour;
        dcs_utc_s_to_civil(ci->start_utc_s + (int64_t)t * 3600 + (int64_t)utc_offset_h * 3600,
                           NULL, NULL, NULL, &hour, NULL, NULL);
        size_t k = (size_t)out->pairs[hour]++;
        double e1 = ci->value[t] * gen_w->value[t], e0 = ci->value[t - 1] * gen_w->value[t - 1];
        dg[(size_t)hour * per + k] = gen_w->value[t] - gen_w->value[t - 1];
        de[(size_t)hour * per + k] = e1 - e0;
    }
    dcs_status st = DCS_OK;
    for (int h = 0; h < 24; h++) {
        size_t m = (size_t)out->pairs[h];
        const double *x = dg + (size_t)h * per, *y = de + (size_t)h * per;
        double c0, c1, cov00, cov01, cov11, sumsq;
        if (m < 3 || gsl_fit_linear(x, 1, y, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) ||
            !isfinite(c1)) {
            st = DCS_ERANGE;
            continue;
        }
        double mean = 0.0, tss = 0.0;
        for (size_t i = 0; i < m; i++)
            mean += y[i];
        mean /= (double)m;
        for (size_t i = 0; i < m; i++)
            tss += (y[i] - mean) * (y[i] - mean);
        out->kg_per_j[h] = c1;
        out->r2[h] = tss > 0 ? 1.0 - sumsq / tss : 1.0;
    }
    free(dg);
    free(de);
    return st;
}
