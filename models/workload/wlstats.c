/*
 * wlstats.c - per-workload SLO and latency accounting (contract in
 * include/dcsim/wlstats.h).
 *
 * A dropped request counts as an SLO violation in sla_violation_pct: from
 * the user's side a refused request missed every objective.  Energy is
 * whatever the caller attributes to the workload (replica energy for
 * inference), so tokens_per_joule is output tokens per joule of that
 * energy (the ML.ENERGY convention, FACTS.md 2).
 */
#include "dcsim/wlstats.h"

#include <string.h>

bool dcs_slo_violated(const dcs_slo *slo, const dcs_request_done *d)
{
    return (slo->ttft_s > 0.0 && d->ttft_s > slo->ttft_s)
        || (slo->tpot_s > 0.0 && d->output_tokens > 1 && d->tpot_s > slo->tpot_s)
        || (slo->e2e_s > 0.0 && d->e2e_s > slo->e2e_s);
}

void dcs_wl_stats_init(dcs_wl_stats *s)
{
    memset(s, 0, sizeof *s);
    dcs_lathist_init(&s->ttft);
    dcs_lathist_init(&s->tpot);
    dcs_lathist_init(&s->e2e);
}

bool dcs_wl_stats_add(dcs_wl_stats *s, const dcs_slo *slo, const dcs_request_done *d)
{
    dcs_lathist_add(&s->ttft, d->ttft_s);
    dcs_lathist_add(&s->e2e, d->e2e_s);
    if (d->output_tokens > 1)
        dcs_lathist_add(&s->tpot, d->tpot_s);
    s->requests++;
    s->prompt_tokens += d->prompt_tokens;
    s->output_tokens += d->output_tokens;
    bool bad = dcs_slo_violated(slo, d);
    s->violations += bad;
    return bad;
}

void dcs_wl_stats_merge(dcs_wl_stats *into, const dcs_wl_stats *from)
{
    dcs_lathist_merge(&into->ttft, &from->ttft);
    dcs_lathist_merge(&into->tpot, &from->tpot);
    dcs_lathist_merge(&into->e2e, &from->e2e);
    into->requests += from->requests;
    into->dropped += from->dropped;
    into->violations += from->violations;
    into->shed += from->shed;
    into->held += from->held;
    into->fallback += from->fallback;
    into->hold_s += from->hold_s;
    into->prompt_tokens += from->prompt_tokens;
    into->output_tokens += from->output_tokens;
    into->energy_j += from->energy_j;
}

static double ms(const dcs_lathist *h, double q)
{
    return 1e3 * dcs_lathist_quantile_s(h, q);
}

int dcs_wl_stats_metrics(const dcs_wl_stats *s, dcs_metric *out)
{
    uint64_t offered = s->requests + s->dropped;
    double viol = offered ? 100.0 * (double)(s->violations + s->dropped) / (double)offered : 0.0;
    const dcs_metric rows[DCS_WL_METRICS] = {
        {"requests", (double)s->requests, "1"},
        {"requests_dropped", (double)s->dropped, "1"},
        {"sla_violation_pct", viol, "%"},
        {"ttft_p50_ms", ms(&s->ttft, 0.50), "ms"},
        {"ttft_p95_ms", ms(&s->ttft, 0.95), "ms"},
        {"ttft_p99_ms", ms(&s->ttft, 0.99), "ms"},
        {"tpot_p50_ms", ms(&s->tpot, 0.50), "ms"},
        {"tpot_p95_ms", ms(&s->tpot, 0.95), "ms"},
        {"tpot_p99_ms", ms(&s->tpot, 0.99), "ms"},
        {"e2e_p50_ms", ms(&s->e2e, 0.50), "ms"},
        {"e2e_p95_ms", ms(&s->e2e, 0.95), "ms"},
        {"e2e_p99_ms", ms(&s->e2e, 0.99), "ms"},
        {"tokens_per_joule", s->energy_j > 0.0 ? s->output_tokens / s->energy_j : 0.0, "1/J"},
        {"output_tokens", s->output_tokens, "1"},
        {"energy_kwh", s->energy_j / 3.6e6, "kWh"},
        {"requests_shed", (double)s->shed, "1"},
        {"requests_held", (double)s->held, "1"},
        {"fallback_requests", (double)s->fallback, "1"},
        {"hold_mean_s", s->held ? s->hold_s / (double)s->held : 0.0, "s"},
    };
    memcpy(out, rows, sizeof rows);
    return DCS_WL_METRICS;
}
