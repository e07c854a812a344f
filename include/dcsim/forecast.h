/*
 * forecast.h - a forecast of an hourly signal: the true signal times
 * (1 + e_k), with e an AR(1) error that starts at 0 at issue time and grows
 * with the horizon k (hours):
 *   e_0 = 0,  e_k = phi e_{k-1} + sigma eps_k,  eps_k ~ N(0, 1)
 * so Var e_k = sigma^2 (1 - phi^(2k)) / (1 - phi^2), rising from sigma^2 at
 * one hour towards sigma^2 / (1 - phi^2).  Forecasts are clipped at 0.
 * Seeded through the caller's rng: same seed, same forecast.
 */
#ifndef DCSIM_FORECAST_H
#define DCSIM_FORECAST_H

#include <stddef.h>
#include <gsl/gsl_rng.h>

#include "dcsim/hourly.h"

typedef struct dcs_forecast_params {
    double sigma;   /* relative error added per hour of horizon (0.05 = 5 %) */
    double phi;     /* persistence of the error, 0 <= phi < 1 */
} dcs_forecast_params;

/* sigma 0.05, phi 0.9 (assumption [U]: day-ahead CI forecasts are cited at
 * roughly 5-15 % mean error; not from FACTS.md). */
dcs_forecast_params dcs_forecast_defaults(void);

/* Write the forecast issued at hour index `issue` for the next `horizon`
 * hours (issue+1 .. issue+horizon, wrapping) into out[0..horizon-1]. */
void dcs_forecast_make(const dcs_hourly *truth, size_t issue, size_t horizon,
                       const dcs_forecast_params *p, gsl_rng *rng, double *out);

/* Standard deviation of e_k. */
double dcs_forecast_sd(const dcs_forecast_params *p, size_t k);

#endif
