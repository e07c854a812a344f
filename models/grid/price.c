/*
 * price.c - electricity cost from price signals and demand charges
 * (equations in price.h).  The default flat price of 80 USD/MWh is an
 * assumption [U] of the order of US industrial tariffs in 2023; FACTS.md has
 * no price data, so scenarios should set their own tariff.
 */
#include "dcsim/price.h"

dcs_price_params dcs_price_defaults(void)
{
    return (dcs_price_params){
        .kind = DCS_PRICE_FLAT,
        .flat_usd_per_j = 80 * DCS_USD_PER_MWH,
        .peak_usd_per_j = 80 * DCS_USD_PER_MWH, .offpeak_usd_per_j = 80 * DCS_USD_PER_MWH,
        .peak_start_h = 16, .peak_end_h = 21, .weekdays_only = true,
        .utc_offset_h = 0, .hourly = NULL, .demand_usd_per_w_month = 0,
    };
}

dcs_status dcs_price_check(const dcs_price_params *p, dcs_diag *d, dcs_loc loc)
{
    dcs_status st = DCS_OK;
    double prices[3] = {p->flat_usd_per_j, p->peak_usd_per_j, p->offpeak_usd_per_j};
    static const char *const names[3] = {"flat price", "peak price", "off-peak price"};
    for (int i = 0; i < 3; i++)
        if (!(prices[i] >= -1e-5 && prices[i] <= 1e-5)) {   /* +-36,000 USD/MWh */
            dcs_diag_error(d, loc, "%s = %g USD/MWh is out of range [-36000, 36000]", names[i],
                           prices[i] / DCS_USD_PER_MWH);
            st = DCS_ERANGE;
        }
    if (p->kind == DCS_PRICE_TOU &&
        !(p->peak_start_h >= 0 && p->peak_start_h < p->peak_end_h && p->peak_end_h <= 24)) {
        dcs_diag_error(d, loc, "peak hours %d-%d must satisfy 0 <= start < end <= 24",
                       p->peak_start_h, p->peak_end_h);
        st = DCS_ERANGE;
    }
    if (p->kind == DCS_PRICE_HOURLY && !p->hourly) {
        dcs_diag_error(d, loc, "an hourly price needs a price series");
        st = DCS_ERANGE;
    }
    if (!(p->demand_usd_per_w_month >= 0 && p->demand_usd_per_w_month < 1)) {
        dcs_diag_error(d, loc, "demand charge %g USD/kW-month is out of range [0, 1000)",
                       p->demand_usd_per_w_month * 1e3);
        st = DCS_ERANGE;
    }
    return st;
}

double dcs_price_at(const dcs_price_params *p, int64_t utc_s)
{
    switch (p->kind) {
    case DCS_PRICE_TOU: {
        int hour, wday;
        dcs_utc_s_to_civil(utc_s + (int64_t)p->utc_offset_h * 3600, NULL, NULL, NULL, &hour,
                           NULL, &wday);
        bool workday = wday >= 1 && wday <= 5;
        bool peak = hour >= p->peak_start_h && hour < p->peak_end_h &&
                    (!p->weekdays_only || workday);
        return peak ? p->peak_usd_per_j : p->offpeak_usd_per_j;
    }
    case DCS_PRICE_HOURLY: {
        /* Offsets from the series start in whole seconds, as dcs_time. */
        dcs_time t = (utc_s - p->hourly->start_utc_s) * DCS_SECOND;
        return dcs_hourly_at(p->hourly, t);
    }
    case DCS_PRICE_FLAT:
    default:
        return p->flat_usd_per_j;
    }
}

double dcs_price_energy_usd(const dcs_price_params *p, int64_t start_utc_s,
                            size_t n, const double *power_w)
{
    double usd = 0.0;
    for (size_t i = 0; i < n; i++) {
        int64_t t = start_utc_s + (int64_t)i * 3600;
        usd += power_w[i] * 3600.0 * dcs_price_at(p, t);
    }
    return usd;
}

double dcs_price_demand_usd(const dcs_price_params *p, int64_t start_utc_s,
                            size_t n, const double *power_w)
{
    double usd = 0.0, peak = 0.0;
    int cur = -1;
    for (size_t i = 0; i < n; i++) {
        int year, month;
        dcs_utc_s_to_civil(start_utc_s + (int64_t)i * 3600, &year, &month, NULL, NULL, NULL, NULL);
        int key = year * 12 + month;
        if (key != cur) {
            usd += peak * p->demand_usd_per_w_month;
            peak = 0.0;
            cur = key;
        }
        if (power_w[i] > peak)
            peak = power_w[i];
    }
    return usd + peak * p->demand_usd_per_w_month;
}

double dcs_price_per_1000_requests(double cost_usd, double requests)
{
    return requests > 0 ? 1000.0 * cost_usd / requests : 0.0;
}
