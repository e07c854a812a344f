/* test_wlstats.c - SLO checks, violation percentage with drops, metric
 * rows with the section-8 names, merge. */
#include "dcsim/wlstats.h"
#include "harness.h"

static dcs_wl_stats a, b;

static void slo_and_metrics(void)
{
    dcs_slo slo = {.ttft_s = 2.0, .tpot_s = 0.1, .e2e_s = 30.0};
    dcs_request_done ok = {.id = 1, .output_tokens = 100, .ttft_s = 0.5, .tpot_s = 0.05, .e2e_s = 5.45};
    dcs_request_done slow_first = ok, slow_tokens = ok, long_e2e = ok, one = ok;
    slow_first.ttft_s = 2.5;
    slow_tokens.tpot_s = 0.2;
    long_e2e.e2e_s = 31.0;
    one.output_tokens = 1;
    one.tpot_s = 9.0;       /* ignored: no second token */
    CHECK(!dcs_slo_violated(&slo, &ok));
    CHECK(dcs_slo_violated(&slo, &slow_first));
    CHECK(dcs_slo_violated(&slo, &slow_tokens));
    CHECK(dcs_slo_violated(&slo, &long_e2e));
    CHECK(!dcs_slo_violated(&slo, &one));
    dcs_slo none = {0, 0, 0};
    CHECK(!dcs_slo_violated(&none, &long_e2e));

    dcs_wl_stats_init(&a);
    dcs_wl_stats_init(&b);
    /* a: 6 ok + 2 violations; b: 1 ok + 1 violation and 2 drops.
     * Merged: 10 completed, 3 violations, 2 dropped:
     * 100 * (3 + 2) / (10 + 2) = 41.667 %. */
    for (int i = 0; i < 6; i++)
        CHECK(!dcs_wl_stats_add(&a, &slo, &ok));
    CHECK(dcs_wl_stats_add(&a, &slo, &slow_first));
    CHECK(dcs_wl_stats_add(&a, &slo, &long_e2e));
    CHECK(!dcs_wl_stats_add(&b, &slo, &one));
    CHECK(dcs_wl_stats_add(&b, &slo, &slow_tokens));
    b.dropped = 2;
    /* Degradation counters add like the others: 3 + 4 shed, 5 + 6 held,
     * 7 + 8 by a fallback model. */
    a.shed = 3, b.shed = 4;
    a.held = 5, b.held = 6;
    a.fallback = 7, b.fallback = 8;
    a.hold_s = 100, b.hold_s = 154;   /* mean hold 254 s / 11 held = 23.09 s */
    a.energy_j = 1000.0;
    b.energy_j = 802.0;
    dcs_wl_stats_merge(&a, &b);
    dcs_metric m[DCS_WL_METRICS];
    CHECK_INT(dcs_wl_stats_metrics(&a, m), DCS_WL_METRICS);
    CHECK_STR(m[0].name, "requests");
    CHECK_NEAR(m[0].value, 10, 0);
    CHECK_STR(m[1].name, "requests_dropped");
    CHECK_NEAR(m[1].value, 2, 0);
    CHECK_STR(m[2].name, "sla_violation_pct");
    CHECK_NEAR(m[2].value, 500.0 / 12.0, 1e-12);
    CHECK_STR(m[2].unit, "%");
    /* TTFT values: eight 0.5 s, one 2.5 s, one 0.5 (the 1-token one):
     * nine of ten at 0.5 s -> p50 = 500 ms, p99 = the max 2.5 s. */
    CHECK_STR(m[3].name, "ttft_p50_ms");
    CHECK_NEAR(m[3].value, 500.0, 0.005);
    CHECK_STR(m[5].name, "ttft_p99_ms");
    CHECK_NEAR(m[5].value, 2500.0, 1e-12);
    /* TPOT skips the one-token request: 9 values. */
    CHECK_INT(dcs_lathist_count(&a.tpot), 9);
    CHECK_STR(m[11].name, "e2e_p99_ms");
    CHECK_NEAR(m[11].value, 31000.0, 1e-12);
    /* Output tokens 9 * 100 + 1 = 901 over 1802 J = 0.5 token/J. */
    CHECK_STR(m[12].name, "tokens_per_joule");
    CHECK_NEAR(m[12].value, 0.5, 1e-12);
    CHECK_STR(m[14].name, "energy_kwh");
    CHECK_NEAR(m[14].value, 1802.0 / 3.6e6, 1e-12);
    CHECK_STR(m[15].name, "requests_shed");
    CHECK_NEAR(m[15].value, 7, 0);
    CHECK_STR(m[16].name, "requests_held");
    CHECK_NEAR(m[16].value, 11, 0);
    CHECK_STR(m[17].name, "fallback_requests");
    CHECK_NEAR(m[17].value, 15, 0);
    CHECK_STR(m[18].name, "hold_mean_s");
    CHECK_NEAR(m[18].value, 254.0 / 11.0, 1e-12);
    /* Nothing offered: 0 % and NaN percentiles. */
    dcs_wl_stats_init(&b);
    dcs_wl_stats_metrics(&b, m);
    CHECK_NEAR(m[2].value, 0.0, 0);
    CHECK(isnan(m[3].value));
    CHECK_NEAR(m[12].value, 0.0, 0);
}

int main(void)
{
    RUN(slo_and_metrics);
    return TEST_END();
}
