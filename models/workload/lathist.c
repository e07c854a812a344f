/*
 * lathist.c - log-bucketed latency histogram (see include/dcsim/lathist.h).
 *
 * Bin i covers [MIN * 10^(i/232), MIN * 10^((i+1)/232)).  The index comes
 * from one log10, not a search, because the detailed mode adds every
 * request (millions per second of wall time).  A value that rounds into a
 * neighbour bin lies within an ulp of the shared edge, so the half-bin error
 * bound still holds for it.
 *
 * Why not gsl_histogram: its counts are doubles (a merge of 10^11 requests
 * must stay exact) and its bin lookup is a binary search; the layout here is
 * as simple and exports the same edges and counts.
 *
 * Left out: values outside 1 us .. 1 h are only counted (their quantiles
 * fall back to the observed min or max).
 */
#include "dcsim/lathist.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

void dcs_lathist_init(dcs_lathist *h)
{
    memset(h, 0, sizeof *h);
    h->min_s = HUGE_VAL;
    h->max_s = -HUGE_VAL;
}

/* The bin by definition: one log10. */
static int bin_exact(double latency_s)
{
    double x = log10(latency_s / DCS_LATHIST_MIN_S) * DCS_LATHIST_BINS_PER_DECADE;
    if (x >= (double)DCS_LATHIST_NBINS)
        return DCS_LATHIST_NBINS;
    return (int)x;
}

/* 232 log10(x / 1e-6) to within 1e-9, without a library call: x = 2^e m
 * with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s) = 2 (s + s^3/3 + ...
 * + s^11/11) with s = (m - 1) / (m + 1), |s| <= 0.1716 (the next term is
 * below 2e-11). */
static double bin_position(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    int e = (int)((u >> 52) & 0x7ff) - 1023;
    u = (u & 0x000fffffffffffffull) | 0x3ff0000000000000ull;   /* m in [1, 2) */
    double m;
    memcpy(&m, &u, sizeof m);
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e++;
    }
    double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double ln_m = 2.0 * s * (1.0 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7
                  + s2 * (1.0 / 9 + s2 * (1.0 / 11))))));
    /* 232 log10(x) + 232 x 6, log10(x) = (e ln 2 + ln m) / ln 10. */
    const double per_ln = DCS_LATHIST_BINS_PER_DECADE / 2.302585092994045684;
    return ((double)e * 0.6931471805599453094 + ln_m) * per_ln + 6.0 * DCS_LATHIST_BINS_PER_DECADE;
}

int dcs_lathist_bin(double latency_s)
{
    if (!(latency_s >= DCS_LATHIST_MIN_S))
        return -1;
    if (!(latency_s < 1e300))
        return bin_exact(latency_s);
    /* The same bin as the log10 (the position is within 1e-9 of it and
     * that of the log10 within 1e-12), unless the position lies within
     * 1e-6 of a bin edge: then the log10 decides.  Saves the library call
     * on nearly every value (the detailed mode bins 4 per request). */
    double g = bin_position(latency_s);
    int i = (int)g;               /* 0 <= g < 80,000 here, up to a rounding below 0 */
    double f = g - (double)i;
    if (f < 1e-6 || f > 1.0 - 1e-6)
        return bin_exact(latency_s);
    return i >= DCS_LATHIST_NBINS ? DCS_LATHIST_NBINS : i;
}

double dcs_lathist_edge_s(int i)
{
    return DCS_LATHIST_MIN_S * pow(10.0, (double)i / DCS_LATHIST_BINS_PER_DECADE);
}

double dcs_lathist_centre_s(int i)
{
    /* Geometric centre: the relative error is the same at both edges,
     * sqrt(r) - 1. */
    return DCS_LATHIST_MIN_S * pow(10.0, ((double)i + 0.5) / DCS_LATHIST_BINS_PER_DECADE);
}

void dcs_lathist_add_n(dcs_lathist *h, double latency_s, uint64_t n)
{
    assert(isfinite(latency_s) && latency_s >= 0.0);
    if (n == 0)
        return;
    int b = dcs_lathist_bin(latency_s);
    if (b < 0)
        h->under += n;
    else if (b >= DCS_LATHIST_NBINS)
        h->over += n;
    else
        h->count[b] += n;
    h->n += n;
    h->sum_s += latency_s * (double)n;
    if (latency_s < h->min_s)
        h->min_s = latency_s;
    if (latency_s > h->max_s)
        h->max_s = latency_s;
}

void dcs_lathist_add(dcs_lathist *h, double latency_s)
{
    dcs_lathist_add_n(h, latency_s, 1);
}

void dcs_lathist_merge(dcs_lathist *into, const dcs_lathist *from)
{
    for (int i = 0; i < DCS_LATHIST_NBINS; i++)
        into->count[i] += from->count[i];
    into->under += from->under;
    into->over += from->over;
    into->n += from->n;
    into->sum_s += from->sum_s;
    if (from->min_s < into->min_s)
        into->min_s = from->min_s;
    if (from->max_s > into->max_s)
        into->max_s = from->max_s;
}

uint64_t dcs_lathist_count(const dcs_lathist *h) { return h->n; }

double dcs_lathist_mean_s(const dcs_lathist *h)
{
    return h->n ? h->sum_s / (double)h->n : (double)NAN;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

double dcs_lathist_quantile_s(const dcs_lathist *h, double q)
{
    if (h->n == 0 || !(q >= 0.0 && q <= 1.0))
        return (double)NAN;
    /* Nearest rank: the k-th smallest, k = ceil(q n), at least 1. */
    uint64_t k = (uint64_t)ceil(q * (double)h->n);
    if (k < 1)
        k = 1;
    if (k > h->n)
        k = h->n;
    /* The extreme order statistics are kept exactly. */
    if (k == 1)
        return h->min_s;
    if (k == h->n)
        return h->max_s;
    uint64_t seen = h->under;
    if (k <= seen)
        return h->min_s;
    for (int i = 0; i < DCS_LATHIST_NBINS; i++) {
        seen += h->count[i];
        if (k <= seen)
            return clamp(dcs_lathist_centre_s(i), h->min_s, h->max_s);
    }
    return h->max_s;
}

uint64_t dcs_lathist_count_above(const dcs_lathist *h, double threshold_s)
{
    int b = dcs_lathist_bin(threshold_s);
    if (b < 0)
        return h->n;  /* every recorded value may exceed a sub-range threshold */
    uint64_t above = h->over;
    if (b >= DCS_LATHIST_NBINS)
        return threshold_s < h->max_s ? above : 0;
    /* A threshold exactly on the lower edge of bin b leaves that whole bin
     * above it; otherwise the bin is split and counts as above. */
    for (int i = b; i < DCS_LATHIST_NBINS; i++)
        above += h->count[i];
    return above;
}
