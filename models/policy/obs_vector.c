/*
 * obs_vector.c - the observation as a vector of doubles in a fixed layout,
 * scaled to order 1, for learned policies (issue 8) and their files.
 *
 * For S sites, R regions and W workloads, in this order:
 *   per site s (S blocks of 37 + W values):
 *     ci / 1000, forecast[0..23] / 1000 (24 values), marginal ci / 1000,
 *     price / 100, pue - 1, free_cooling, ambient / 40, it_power / limit,
 *     headroom / limit, utilisation, log(1 + queue) / log(1001),
 *     p99 / 1 s, slo_violation_share, up / total,
 *     capacity_w / (sum over sites of capacity_w) for each w (W values)
 *     (/ limit uses the sum of cluster maxima x PUE when there is no limit,
 *     <= 0 or +inf, and an infinite headroom is then that sum less PUE x IT)
 *   per region r (R blocks of W + S values):
 *     demand_w / (sum over regions of demand_w) for each w,
 *     rtt_s / 0.1 s for each site
 *   per workload w (W blocks of 2 + 2 S values):
 *     log10(1 + total demand of w in requests/s) / 4, slo / 1 s,
 *     allowed_s (0 or 1) for each site,
 *     deferrable jobs of w at site s / 8 for each site
 * so len = S (37 + W) + R (W + S) + W (2 + 2 S).  The scales are fixed
 * (gCO2/kWh, USD/MWh, degrees C and seconds of the ranges dcsim's data
 * spans: intensities up to ~1000, prices ~100, ambient up to ~40 C, RTTs
 * ~0.1 s), so a policy trained on one scenario reads another with the same
 * sizes in the same units; shares are 0 when their denominator is 0.
 */
#include "dcsim/policy.h"

#include <math.h>

enum { SITE_FIXED = 13 + DCS_POLICY_FORECAST_HOURS };

static const double CI_SCALE = 1000.0;       /* gCO2/kWh */
static const double PRICE_SCALE = 100.0;     /* USD/MWh */
static const double AMBIENT_SCALE = 40.0;    /* degrees C */
static const double LATENCY_SCALE = 1.0;     /* s */
static const double RTT_SCALE = 0.1;         /* s */
static const double QUEUE_SCALE = 1000.0;    /* requests: log(1 + q) / log(1 + this) */
static const double JOBS_SCALE = 8.0;        /* deferrable jobs per site and workload */

size_t dcs_policy_obs_len(int nsites, int nregions, int nworkloads)
{
    size_t s = (size_t)nsites, r = (size_t)nregions, w = (size_t)nworkloads;
    return s * (SITE_FIXED + w) + r * (w + s) + w * (2 + 2 * s);
}

static double share(double x, double total)
{
    return total > 0.0 ? x / total : 0.0;
}

typedef struct cursor {
    double *out;
    size_t n, i;
} cursor;

static void put(cursor *c, double v)
{
    if (c->i < c->n)
        c->out[c->i] = isfinite(v) ? v : 0.0;
    c->i++;
}

size_t dcs_policy_obs_vector(const dcs_policy_obs *obs, double *out, size_t n)
{
    cursor c = {out, n, 0};
    double cap_total[DCS_POLICY_MAX_WORKLOADS] = {0.0};
    double demand_total[DCS_POLICY_MAX_WORKLOADS] = {0.0};
    for (int w = 0; w < obs->nworkloads; w++) {
        for (int s = 0; s < obs->nsites; s++)
            cap_total[w] += obs->site[s].capacity_rps[w];
        for (int r = 0; r < obs->nregions; r++)
            demand_total[w] += obs->region[r].demand_rps[w];
    }

    for (int s = 0; s < obs->nsites; s++) {
        const dcs_policy_site_obs *site = &obs->site[s];
        double limit = site->power_limit_w, headroom = site->headroom_w;
        /* No limit (<= 0, or +inf as runs write it): the site's own
         * maximum stands in, and headroom is measured against it. */
        if (!(limit > 0.0) || !isfinite(limit)) {
            limit = 0.0;
            for (int k = 0; k < site->nclusters; k++)
                limit += site->cluster_max_w[k];
            limit *= site->pue;
            if (!isfinite(headroom))
                headroom = limit - site->pue * site->it_power_w;
        }
        put(&c, site->ci_g_kwh / CI_SCALE);
        for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
            put(&c, site->ci_forecast_g_kwh[k] / CI_SCALE);
        put(&c, site->marginal_ci_g_kwh / CI_SCALE);
        put(&c, site->price_usd_mwh / PRICE_SCALE);
        put(&c, site->pue - 1.0);
        put(&c, site->free_cooling);
        put(&c, site->ambient_c / AMBIENT_SCALE);
        put(&c, share(site->it_power_w, limit));
        put(&c, share(headroom, limit));
        put(&c, site->utilisation);
        put(&c, log1p(fmax(site->queue_len, 0.0)) / log1p(QUEUE_SCALE));
        put(&c, site->p99_s / LATENCY_SCALE);
        put(&c, site->slo_violation_share);
        put(&c, share(site->replicas_up, site->replicas_total));
        for (int w = 0; w < obs->nworkloads; w++)
            put(&c, share(site->capacity_rps[w], cap_total[w]));
    }
    for (int r = 0; r < obs->nregions; r++) {
        for (int w = 0; w < obs->nworkloads; w++)
            put(&c, share(obs->region[r].demand_rps[w], demand_total[w]));
        for (int s = 0; s < obs->nsites; s++)
            put(&c, obs->region[r].rtt_s[s] / RTT_SCALE);
    }
    for (int w = 0; w < obs->nworkloads; w++) {
        put(&c, log10(1.0 + fmax(demand_total[w], 0.0)) / 4.0);
        put(&c, obs->workload[w].slo_p99_s / LATENCY_SCALE);
        for (int s = 0; s < obs->nsites; s++)
            put(&c, obs->workload[w].allowed[s] ? 1.0 : 0.0);
        for (int s = 0; s < obs->nsites; s++) {
            int jobs = 0;
            for (int j = 0; j < obs->njobs; j++)
                jobs += obs->job[j].workload == w && obs->job[j].site == s;
            put(&c, jobs / JOBS_SCALE);
        }
    }
    return c.i;
}
