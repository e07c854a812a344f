/*
 * price.h - electricity cost: energy price signals (flat, time-of-use,
 * hourly series) and a demand charge on each calendar month's peak power.
 *   energy cost = integral of P(t) x price(t) dt   (USD, P in W, price USD/J)
 *   demand charge = sum over months of peak_w(month) x demand_usd_per_w
 * Time-of-use: peak price in local hours [peak_start_h, peak_end_h) (local
 * standard time, utc_offset_h), optionally on weekdays only; off-peak
 * otherwise.  Left out: tiered tariffs, ratchets, taxes, power-factor charges.
 */
#ifndef DCSIM_PRICE_H
#define DCSIM_PRICE_H

#include <stdbool.h>
#include <stddef.h>

#include "dcsim/diag.h"
#include "dcsim/hourly.h"

typedef enum { DCS_PRICE_FLAT, DCS_PRICE_TOU, DCS_PRICE_HOURLY } dcs_price_kind;

typedef struct dcs_price_params {
    dcs_price_kind kind;
    double flat_usd_per_j;
    double peak_usd_per_j, offpeak_usd_per_j;
    int peak_start_h, peak_end_h;     /* local hours, start < end */
    bool weekdays_only;
    int utc_offset_h;
    const dcs_hourly *hourly;         /* USD per J, borrowed (kind HOURLY) */
    double demand_usd_per_w_month;    /* demand charge per W of monthly peak */
} dcs_price_params;

/* Flat 80 USD/MWh, no demand charge (assumption [U]: order of US
 * industrial tariffs 2023; not in FACTS.md). */
dcs_price_params dcs_price_defaults(void);
dcs_status dcs_price_check(const dcs_price_params *p, dcs_diag *d, dcs_loc loc);

/* Price in USD per J at UTC epoch second utc_s.  For kind HOURLY, utc_s is
 * looked up in the series (wrapping as dcs_hourly_at). */
double dcs_price_at(const dcs_price_params *p, int64_t utc_s);
/* Energy cost of n hourly average powers power_w[i] over hours starting at
 * start_utc_s (whole hour). */
double dcs_price_energy_usd(const dcs_price_params *p, int64_t start_utc_s,
                            size_t n, const double *power_w);
/* Demand charge over the same hours: the peak hourly power of each calendar
 * month (UTC) times demand_usd_per_w_month. */
double dcs_price_demand_usd(const dcs_price_params *p, int64_t start_utc_s,
                            size_t n, const double *power_w);
/* Cost per 1,000 requests; 0 when requests is 0. */
double dcs_price_per_1000_requests(double cost_usd, double requests);

#endif
