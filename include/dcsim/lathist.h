/*
 * lathist.h - log-bucketed latency histogram with exact counts.
 *
 * Bins are log-spaced with DCS_LATHIST_BINS_PER_DECADE bins per factor of
 * ten between DCS_LATHIST_MIN_S (1 us) and DCS_LATHIST_MAX_S (1 h), plus one
 * underflow and one overflow bin.  Each bin spans a ratio
 * r = 10^(1/232) = 1.00997; a quantile is reported as the geometric centre of
 * the bin that holds the nearest-rank order statistic, so inside the range
 * its relative error is at most sqrt(r) - 1 = 0.498 % (the 1 % target of
 * issue 6 with a factor two of margin).  Outside the range the exact observed
 * minimum or maximum is reported instead.
 *
 * Counts are integers, so merging per-LP histograms is exact and
 * independent of order; only the running sum for the mean is a double (merge
 * in LP order for bit-identical output).  The struct is plain data (about
 * 18 KB) with no allocation, so an LP can hold one inline in its state.
 */
#ifndef DCSIM_LATHIST_H
#define DCSIM_LATHIST_H

#include <stdint.h>

#define DCS_LATHIST_MIN_S 1e-6
#define DCS_LATHIST_MAX_S 3600.0
#define DCS_LATHIST_BINS_PER_DECADE 232
/* ceil(232 * log10(3600 / 1e-6)) = ceil(2217.06) */
#define DCS_LATHIST_NBINS 2218

typedef struct dcs_lathist {
    uint64_t count[DCS_LATHIST_NBINS];
    uint64_t under;     /* observations below DCS_LATHIST_MIN_S */
    uint64_t over;      /* observations at or above the top edge */
    uint64_t n;         /* all observations */
    double sum_s;       /* for the mean */
    double min_s, max_s;
} dcs_lathist;

/* Empty histogram. */
void dcs_lathist_init(dcs_lathist *h);

/* Record one latency (seconds, finite, >= 0; anything else is a bug and
 * asserts). */
void dcs_lathist_add(dcs_lathist *h, double latency_s);

/* Record n identical latencies at once (the fluid model adds weighted
 * strata this way).  n == 0 is a no-op. */
void dcs_lathist_add_n(dcs_lathist *h, double latency_s, uint64_t n);

/* into += from.  Exact in the counts; the sum is added as a double. */
void dcs_lathist_merge(dcs_lathist *into, const dcs_lathist *from);

/* Number of observations. */
uint64_t dcs_lathist_count(const dcs_lathist *h);

/* Arithmetic mean in seconds; NaN when empty. */
double dcs_lathist_mean_s(const dcs_lathist *h);

/* Quantile q in [0, 1] in seconds (nearest rank: the ceil(q n)-th smallest
 * observation, the smallest for q = 0), located to its bin and reported as
 * the bin's geometric centre clamped to [min, max] observed; the smallest
 * and largest ranks return the exact min and max.  NaN when empty. */
double dcs_lathist_quantile_s(const dcs_lathist *h, double q);

/* Number of observations strictly above threshold_s, exact when the
 * threshold lies on a bin edge and otherwise counting the bin that holds the
 * threshold as above (conservative for SLO checks). */
uint64_t dcs_lathist_count_above(const dcs_lathist *h, double threshold_s);

/* Lower edge of bin i (0 <= i <= DCS_LATHIST_NBINS; i = NBINS gives the
 * top edge), in seconds, for writing the bins to a trace. */
double dcs_lathist_edge_s(int i);

/* Index of the bin that holds latency_s: -1 underflow, NBINS overflow. */
int dcs_lathist_bin(double latency_s);

/* Geometric centre (seconds) of bin i, 0 <= i < DCS_LATHIST_NBINS: the
 * value dcs_lathist_quantile_s reports for a quantile in that bin. */
double dcs_lathist_centre_s(int i);

#endif
