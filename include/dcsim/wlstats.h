/*
 * wlstats.h - per-workload service-level accounting: SLOs, violations,
 * drops, tokens, energy and latency histograms, turned into the metric rows
 * of DESIGN.md section 8 (requests, requests_dropped, sla_violation_pct,
 * ttft_p50_ms ... e2e_p99_ms, tokens_per_joule) plus tpot percentiles.
 *
 * One accumulator per workload per LP; totals are merged in LP order
 * (counts exactly, sums as doubles).  The detailed mode adds completed
 * requests one by one; the fluid mode adds histograms and counts per
 * control period through the same fields.
 */
#ifndef DCSIM_WLSTATS_H
#define DCSIM_WLSTATS_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/metric.h"
#include "dcsim/lathist.h"
#include "dcsim/serving.h"

/* Service-level objectives in seconds; a value <= 0 is not checked. */
typedef struct dcs_slo {
    double ttft_s;
    double tpot_s;
    double e2e_s;
} dcs_slo;

/* true when d breaks any checked objective of slo. */
bool dcs_slo_violated(const dcs_slo *slo, const dcs_request_done *d);

typedef struct dcs_wl_stats {
    dcs_lathist ttft, tpot, e2e;
    uint64_t requests;         /* completed */
    uint64_t dropped;          /* refused (queue full, too large, no site) */
    uint64_t violations;       /* completed but broke an SLO */
    /* graceful degradation (docs/degradation.md) */
    uint64_t shed;             /* low priority, not served at a degraded site (also in dropped) */
    uint64_t held;             /* low priority, held while degraded, then served or dropped */
    uint64_t fallback;         /* completed by a fallback model (also in requests) */
    double hold_s;             /* sum of the held requests' holds (arrival to release) */
    double prompt_tokens;
    double output_tokens;
    double energy_j;           /* attributed to this workload */
} dcs_wl_stats;

/* Empty accumulator (no allocation: about 54 KB of plain data). */
void dcs_wl_stats_init(dcs_wl_stats *s);

/* Record one completed request; returns whether it broke the SLO.  TPOT
 * enters its histogram only for requests with more than one output
 * token. */
bool dcs_wl_stats_add(dcs_wl_stats *s, const dcs_slo *slo, const dcs_request_done *d);

/* into += from (LP order for bit-identical sums). */
void dcs_wl_stats_merge(dcs_wl_stats *into, const dcs_wl_stats *from);


#define DCS_WL_METRICS 19

/* Fill out[0..DCS_WL_METRICS) with, in this order: requests,
 * requests_dropped, sla_violation_pct = 100 (violations + dropped) /
 * (requests + dropped) (0 when there were none), ttft_p50_ms, ttft_p95_ms,
 * ttft_p99_ms, tpot_p50_ms, tpot_p95_ms, tpot_p99_ms, e2e_p50_ms,
 * e2e_p95_ms, e2e_p99_ms, tokens_per_joule = output tokens / energy (0
 * without energy), output_tokens, energy_kwh, requests_shed,
 * requests_held, fallback_requests, hold_mean_s = hold_s / held (0 when
 * none was held).  Percentiles of an empty histogram are
 * NaN.  Returns DCS_WL_METRICS. */
int dcs_wl_stats_metrics(const dcs_wl_stats *s, dcs_metric *out);

#endif
