/*
 * marginal.h - marginal emission factors estimated from hourly data, for
 * regions driven by measured series rather than the generation-mix model.
 *
 * Regression method of Siler-Evans, Azevedo and Morgan, "Marginal emissions
 * factors for the U.S. electricity system", Environ. Sci. Technol. 46 (2012):
 * with hourly emission rate E_t = CI_t x G_t (kg/s) and generation G_t (W),
 * the marginal factor for local hour of day h is the least-squares slope of
 *   dE_t = E_t - E_{t-1}   on   dG_t = G_t - G_{t-1}
 * over all t whose hour starts at local standard hour h (UTC + utc_offset_h).
 * It answers "if load rose by one watt at this hour, how much more CO2
 * would the grid emit", as a regional average over the period.
 * Left out: imports (EIA-930 generation is production-based), the
 * distinction between short-run and long-run (build) margins, and filled
 * gaps, which enter the regression as interpolated values.
 */
#ifndef DCSIM_MARGINAL_H
#define DCSIM_MARGINAL_H

#include "dcsim/diag.h"
#include "dcsim/hourly.h"

typedef struct dcs_marginal_profile {
    double kg_per_j[24];   /* marginal factor by local standard hour */
    double r2[24];         /* coefficient of determination of each fit */
    int pairs[24];         /* hour-to-hour changes used in each fit */
} dcs_marginal_profile;

/* Fit the profile from intensity ci (kg/J) and total generation gen_w (W),
 * both starting at the same hour and of the same length.  Returns DCS_OK,
 * DCS_ERANGE if the series differ in start or length, or some hour has
 * fewer than 3 pairs or no variation in dG (that hour's factor is then 0). */
dcs_status dcs_marginal_fit(const dcs_hourly *ci, const dcs_hourly *gen_w, int utc_offset_h,
                            dcs_marginal_profile *out);

#endif
