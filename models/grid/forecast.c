/*
 * forecast.c - a forecast signal: truth x (1 + e_k), e an AR(1) error
 * starting at zero at issue time (equations in forecast.h).  The error is
 * multiplicative because forecast errors of grid intensity scale with its
 * level; clipping at zero keeps a forecast physical.  The defaults are
 * assumptions [U], not measured forecast skill: calibrate sigma and phi
 * against a real forecast archive where one exists.
 */
#include "dcsim/forecast.h"

#include <math.h>
#include <gsl/gsl_randist.h>

dcs_forecast_params dcs_forecast_defaults(void)
{
    return (dcs_forecast_params){.sigma = 0.05, .phi = 0.9};
}

void dcs_forecast_make(const dcs_hourly *truth, size_t issue, size_t horizon,
                       const dcs_forecast_params *p, gsl_rng *rng, double *out)
{
    double e = 0.0;
    for (size_t k = 1; k <= horizon; k++) {
        e = p->phi * e + p->sigma * gsl_ran_gaussian(rng, 1.0);
        double v = truth->value[(issue + k) % truth->n] * (1.0 + e);
        out[k - 1] = v > 0 ? v : 0.0;
    }
}

double dcs_forecast_sd(const dcs_forecast_params *p, size_t k)
{
    double phi2 = p->phi * p->phi;
    /* sum_{j<k} phi^(2j) = (1 - phi^(2k)) / (1 - phi^2), or k when phi = 1. */
    double s = phi2 < 1.0 ? (1.0 - pow(phi2, (double)k)) / (1.0 - phi2) : (double)k;
    return p->sigma * sqrt(s);
}
