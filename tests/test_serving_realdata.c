/* test_serving_realdata.c - the real Azure conversation trace (2023)
 * replayed through one detailed replica of Llama-3.1-8B on an H100, with
 * the per-workload accounting: every request is served, the percentiles
 * are ordered, and the energy per output token lands in the range that
 * published measurements give for this model and GPU.
 *
 * Reference (FACTS.md 2): ML.ENERGY leaderboard, Llama-3.1-8B on H100 at
 * batch 64: 0.12 J/token (v3, Dec 2025) and 0.20 J/token (v2, Sep 2024),
 * i.e. 5-8 tokens/J at batch 64.  The trace at twice its speed (11 req/s,
 * about half this replica's capacity) runs batches of a few tens, so at
 * most the leaderboard's figure is expected; the check is 1.2-8 tokens/J
 * (down to a factor four below it), and the figure is printed (5.2 when
 * this test was written). */
#include "dcsim/llmtrace.h"
#include "dcsim/serving.h"
#include "dcsim/wlstats.h"
#include "harness.h"

static dcs_wl_stats stats;

int main(void)
{
    const char *dir = getenv("DCSIM_SHARED_DATA");
    if (!dir)
        TEST_SKIP("DCSIM_SHARED_DATA not set");
    char path[1024];
    snprintf(path, sizeof path, "%s/llm_traces/azure_llm_2023/AzureLLMInferenceTrace_conv.csv", dir);
    FILE *probe = fopen(path, "r");
    if (!probe)
        TEST_SKIP("shared data folder absent");
    fclose(probe);

    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t;
    CHECK_INT(dcs_llm_trace_load(path, d, &t), DCS_OK);
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){8.03e9, 8.03e9, 2.0, 131072.0};   /* test_serving.c */
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.gpus = 1;
    dcs_replica *r = NULL;
    CHECK_INT(dcs_replica_alloc(&p, &r), DCS_OK);
    static dcs_request_done done[256];
    dcs_trace_replay rp;
    dcs_trace_replay_init(&rp, &t, 0.5, false);
    dcs_slo slo = {.ttft_s = 2.0, .tpot_s = 0.2, .e2e_s = 60.0};   /* illustrative */
    dcs_wl_stats_init(&stats);
    dcs_time now = 0, next = 0, iter_end = DCS_TIME_MAX;
    int32_t pr = 0, ou = 0;
    bool more = dcs_trace_replay_next(&rp, &next, &pr, &ou);
    uint64_t id = 0;
    double energy = 0.0;
    while (more || iter_end != DCS_TIME_MAX) {
        if (!more || iter_end <= next) {
            now = iter_end;
            int n = dcs_replica_finish_iteration(r, now, done, 256);
            for (int i = 0; i < n; i++)
                dcs_wl_stats_add(&stats, &slo, &done[i]);
            iter_end = DCS_TIME_MAX;
        } else {
            dcs_time idle_from = now;
            now = next;
            if (iter_end == DCS_TIME_MAX)   /* idle since the last event */
                energy += dcs_replica_idle_power_w(r) * dcs_time_to_s(now - idle_from);
            dcs_request q = {.id = id++, .arrival = now, .network = 20 * DCS_MS,
                             .prompt_tokens = pr, .output_tokens = ou};
            if (!dcs_replica_admit(r, &q))
                stats.dropped++;
            more = dcs_trace_replay_next(&rp, &next, &pr, &ou);
        }
        dcs_iteration it;
        if (iter_end == DCS_TIME_MAX && dcs_replica_start_iteration(r, now, &it)) {
            iter_end = now + it.duration;
            energy += it.power_w * dcs_time_to_s(it.duration);
        }
    }
    stats.energy_j = energy;
    dcs_metric m[DCS_WL_METRICS];
    dcs_wl_stats_metrics(&stats, m);
    for (int i = 0; i < DCS_WL_METRICS; i++)
        fprintf(stderr, "    %-18s %12.4f %s\n", m[i].name, m[i].value, m[i].unit);
    CHECK_INT(stats.requests, t.n);
    CHECK_INT(stats.dropped, 0);
    CHECK(m[3].value <= m[4].value && m[4].value <= m[5].value);      /* TTFT p50 <= p95 <= p99 */
    CHECK(m[9].value <= m[10].value && m[10].value <= m[11].value);   /* e2e */
    CHECK(m[3].value > 20.0);   /* TTFT includes the 20 ms round trip */
    CHECK(m[12].value > 1.2 && m[12].value < 8.0);
    dcs_replica_free(r);
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);
    return TEST_END();
}
