/*
 * fluid_dist.c - a fluid state's e2e latency distribution kept on the
 * latency histogram's bins, and quantiles of a mixture of such
 * distributions (contract in include/dcsim/fluid.h).
 *
 * Why: the controller reads each site's per-period e2e p99.  Recording a
 * period's requests into a histogram costs one bin lookup (a log10) per
 * cell, 22 x 22 x 3 x 2 = 2,904 per pool and period, which was most of a
 * year-long fluid run.  A pool's distribution depends only on its state,
 * and year-long runs revisit a few thousand remembered states
 * (dcs_fluid_eval_memo), so the distribution is built once per state and
 * a period's p99 is a search over the mixture of its pools'
 * distributions, weighted by their request counts.
 *
 * The cells are those of dcs_fluid_record's e2e histogram: prompt stratum
 * i, output stratum j and wait stratum w carry share s_i s_j v_w of the
 * requests at TTFT(i) + wait(w) + D(j) +- sd(j) (half each), plus the
 * network time.  Differences from a histogram of a period's rounded
 * counts: no cell is rounded to whole requests (small tail cells are
 * kept, not rounded away), and the quantile is the smallest bin whose
 * cumulative share reaches q (the continuous form of nearest rank).
 * Both move a quantile by at most a bin or two (0.5-1 %, see
 * docs/workloads.md).  Shares are stored as float (relative 6e-8), far
 * below the 1e-4 share of a tail cell.
 */
#include "dcsim/fluid.h"

#include <math.h>
#include <stdlib.h>

#include "dcsim/lathist.h"

/* Bins -1 .. NBINS (underflow and overflow included). */
enum { ALL_BINS = DCS_LATHIST_NBINS + 2 };

void dcs_fluid_dist_free(dcs_fluid_dist *d)
{
    free(d->cum);
    *d = (dcs_fluid_dist){0};
}

bool dcs_fluid_e2e_dist(const dcs_fluid_model *m, const dcs_fluid_state *st,
                        double network_s, dcs_fluid_dist *d)
{
    enum { S = DCS_FLUID_STRATA, W = 3 };
    /* Wait strata as in dcs_fluid_record: none, and the exponential's
     * lower 80 % and upper 20 %. */
    double p = st->wait_prob, theta = st->wait_cond_s;
    const double ww[W] = {1.0 - p, 0.8 * p, 0.2 * p};
    const double wv[W] = {0.0, (1.0 - 0.25 * log(5.0)) * theta, (1.0 + log(5.0)) * theta};
    /* TTFT without the random wait: the mean TTFT less the mean wait,
     * plus the part every request waits. */
    dcs_fluid_state nowait = *st;
    nowait.wait_s = 0.0;
    double tt[S], dd[S], sd[S];
    for (int i = 0; i < S; i++)
        tt[i] = network_s + st->wait_fixed_s + dcs_fluid_ttft_s(m, &nowait, m->strata_prompt[i]);
    for (int j = 0; j < S; j++) {
        dd[j] = dcs_fluid_decode_s(st, m->strata_output[j]);
        sd[j] = dcs_fluid_decode_sd_s(st, m->strata_output[j]);
    }
    double weight[ALL_BINS] = {0};
    int first = ALL_BINS, last = -1;
    double vmin = HUGE_VAL, vmax = -HUGE_VAL;
    for (int i = 0; i < S; i++)
        for (int w = 0; w < W; w++) {
            double t1 = tt[i] + wv[w];
            double cw = 0.5 * m->strata_w[i] * ww[w];
            if (!(cw > 0.0))
                continue;
            for (int j = 0; j < S; j++) {
                double c = cw * m->strata_w[j];
                /* The same sums as dcs_fluid_record's (sd == 0: both
                 * halves at the mean). */
                double v[2] = {t1 + dd[j], t1 + dd[j]};
                if (sd[j] > 0.0) {
                    v[0] = t1 + fmax(dd[j] - sd[j], 0.0);
                    v[1] = t1 + dd[j] + sd[j];
                }
                for (int h = 0; h < 2; h++) {
                    int b = dcs_lathist_bin(v[h]) + 1;
                    weight[b] += c;
                    first = b < first ? b : first;
                    last = b > last ? b : last;
                    vmin = v[h] < vmin ? v[h] : vmin;
                    vmax = v[h] > vmax ? v[h] : vmax;
                }
            }
        }
    d->n = 0;
    if (last < first)
        return true;              /* no weight: an empty distribution */
    int n = last - first + 1;
    if (n > d->cap) {
        float *c = realloc(d->cum, (size_t)n * sizeof *c);
        if (!c) {
            dcs_fluid_dist_free(d);
            return false;
        }
        d->cum = c;
        d->cap = n;
    }
    double total = 0.0;
    for (int b = first; b <= last; b++)
        total += weight[b];
    double run = 0.0;
    for (int b = first; b <= last; b++) {
        run += weight[b];
        d->cum[b - first] = (float)(run / total);
    }
    d->cum[n - 1] = 1.0f;
    d->lo = first - 1;
    d->n = n;
    d->min_s = vmin;
    d->max_s = vmax;
    return true;
}

/* Share of d in bins up to and including b. */
static double cdf_at(const dcs_fluid_dist *d, int b)
{
    int i = b - d->lo;
    return i < 0 ? 0.0 : i >= d->n ? 1.0 : (double)d->cum[i];
}

double dcs_fluid_dist_quantile_s(const dcs_fluid_dist *const *d, const double *w, int n,
                                 double q)
{
    double total = 0.0, vmin = HUGE_VAL, vmax = -HUGE_VAL;
    int lo = DCS_LATHIST_NBINS, hi = -1;
    for (int k = 0; k < n; k++) {
        if (!(w[k] > 0.0) || !d[k] || d[k]->n <= 0)
            continue;
        total += w[k];
        lo = d[k]->lo < lo ? d[k]->lo : lo;
        int top = d[k]->lo + d[k]->n - 1;
        hi = top > hi ? top : hi;
        vmin = fmin(vmin, d[k]->min_s);
        vmax = fmax(vmax, d[k]->max_s);
    }
    if (!(total > 0.0) || !(q >= 0.0 && q <= 1.0))
        return (double)NAN;
    /* Smallest bin b in [lo, hi] with weighted share >= q total; the
     * tolerance absorbs the float shares (the top bin always qualifies). */
    double target = q * total * (1.0 - 1e-6);
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double c = 0.0;
        for (int k = 0; k < n; k++)
            if (w[k] > 0.0 && d[k] && d[k]->n > 0)
                c += w[k] * cdf_at(d[k], mid);
        if (c >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo < 0)
        return vmin;
    if (lo >= DCS_LATHIST_NBINS)
        return vmax;
    double mid = dcs_lathist_centre_s(lo);
    return mid < vmin ? vmin : mid > vmax ? vmax : mid;
}
