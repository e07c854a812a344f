/*
 * test_scenario_workloads.c - the workload, user and policy language: the
 * fixtures in fixtures/scenario_work/ loaded and every filled struct member
 * checked in internal units, the catalogs (models, token_profiles,
 * network_rtt) typed, names resolved, defaults equal to the models' own
 * defaults, the effective text of the short forms loading back to the same
 * values, and the checks that need a whole scenario located and collected.
 */
#define _POSIX_C_SOURCE 200809L   /* mkstemp */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcsim/policy.h"
#include "dcsim/scenario.h"
#include "dcsim/serving.h"
#include "harness.h"
#include "scenario_util.h"


/* The catalogs of scenarios/catalog as typed entries:
 *   models.yaml: 5 models; Llama-3.1-70B 70.6e9 params, 80 layers, 8 KV
 *     heads of 128, 2-byte KV elements, 131,072-token context; Mixtral
 *     46.7e9 params of which 12.9e9 active; the INT4 variant 0.5 B/weight.
 *   workloads.yaml: azure-code-2023 first (2.567/s; prompt lognormal median
 *     1095.1, sigma 1.3603, max 7437; 44 quantiles from 3 to 7437).
 *   network.yaml: 22 pairs, the first washington-dc - frankfurt 91 ms
 *     = 9.1e7 ns [IBM]. */
static void catalogs_typed(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario_work/full.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    CHECK_INT(s->nmodels, 5);
    const dcs_model_entry *m70 = NULL, *mix = NULL, *int4 = NULL;
    for (size_t i = 0; i < s->nmodels; i++) {
        if (strcmp(s->models[i].name, "Llama-3.1-70B") == 0)
            m70 = &s->models[i];
        if (strcmp(s->models[i].name, "Mixtral-8x7B") == 0)
            mix = &s->models[i];
        if (strcmp(s->models[i].name, "Llama-3.1-70B-INT4") == 0)
            int4 = &s->models[i];
    }
    CHECK(m70 && mix && int4);
    if (m70 && mix && int4) {
        CHECK_NEAR(m70->params, 70.6e9, 1e-15);
        CHECK_NEAR(m70->active_params, 70.6e9, 1e-15);
        CHECK_NEAR(m70->bytes_per_weight, 2, 1e-15);
        CHECK_INT(m70->layers, 80);
        CHECK_INT(m70->kv_heads, 8);
        CHECK_INT(m70->head_dim, 128);
        CHECK_NEAR(m70->kv_bytes_per_elem, 2, 1e-15);
        CHECK_INT(m70->context_tokens, 131072);
        CHECK(strstr(m70->source, "Meta Llama 3.1") != NULL);
        CHECK_NEAR(mix->params, 46.7e9, 1e-15);
        CHECK_NEAR(mix->active_params, 12.9e9, 1e-15);
        CHECK_INT(mix->context_tokens, 32768);
        CHECK_NEAR(int4->bytes_per_weight, 0.5, 1e-15);
    }
    CHECK_INT(s->ntoken_profiles, 2);
    const dcs_token_profile *code = &s->token_profiles[0];
    CHECK_STR(code->name, "azure-code-2023");
    CHECK_NEAR(code->mean_rate_per_s, 2.567, 1e-15);
    CHECK_NEAR(code->prompt.median, 1095.1, 1e-15);
    CHECK_NEAR(code->prompt.sigma, 1.3603, 1e-15);
    CHECK_INT(code->prompt.max_tokens, 7437);
    CHECK(code->prompt.quantiles == NULL);
    CHECK_NEAR(code->output.median, 16.251, 1e-15);
    CHECK_INT(code->output.max_tokens, 1899);
    CHECK_INT(code->nprompt_quantiles, 44);
    CHECK_INT(code->noutput_quantiles, 44);
    CHECK_NEAR(code->prompt_quantiles[0], 3, 1e-15);
    CHECK_NEAR(code->prompt_quantiles[43], 7437, 1e-15);
    CHECK_NEAR(code->output_quantiles[43], 1899, 1e-15);
    CHECK(strstr(code->source, "AzureLLMInferenceTrace_code.csv") != NULL);
    CHECK_INT(s->nnetwork_rtt, 22);
    CHECK_STR(s->network_rtt[0].a, "washington-dc");
    CHECK_STR(s->network_rtt[0].b, "frankfurt");
    CHECK_INT(s->network_rtt[0].rtt, 91 * DCS_MS);
    CHECK_STR(s->network_rtt[0].source, "[IBM]");
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* Round trips, sites in scenario order (lulea, ashburn-dc):
 *   us-east (washington-dc): lulea explicit 92 ms; ashburn catalog 2 ms.
 *   eu-north (stockholm): lulea explicit 10 ms; ashburn from the pair
 *     written {a: ashburn, b: stockholm}, 93 ms (symmetric).
 *   lulea-local (lulea): lulea to itself has no pair, so same-metro 2 ms;
 *     ashburn 91 ms. */
static void users_and_rtts(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario_work/full.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    CHECK_INT(s->nsites, 2);
    CHECK(s->sites[0].location == NULL);
    CHECK_STR(s->sites[1].location, "ashburn");
    CHECK_INT(s->nusers, 3);
    CHECK_STR(s->users[0].location, "washington-dc");
    CHECK(s->users[2].location != NULL);
    CHECK_INT(s->users[0].nrtt, 1);
    CHECK_INT(s->users[0].rtt_to_site[0], 92 * DCS_MS);
    CHECK_INT(s->users[0].rtt_to_site[1], 2 * DCS_MS);
    CHECK_INT(s->users[1].rtt_to_site[0], 10 * DCS_MS);
    CHECK_INT(s->users[1].rtt_to_site[1], 93 * DCS_MS);
    CHECK_INT(s->users[2].rtt_to_site[0], 2 * DCS_MS);
    CHECK_INT(s->users[2].rtt_to_site[1], 91 * DCS_MS);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* chat: Llama-3.1-70B on 4 GPUs; KV per token 80 layers x 2 x 8 heads x
 * 128 x 2 B = 327,680 B.  Shares 30 % and 10 % normalise to 0.75 and 0.25.
 * 1 min = 6e10 ns, 100 ms = 1e8 ns, 10 min = 6e11 ns; growth 20 % = 0.2.
 * Tokens from azure-conv-2023: prompt median 760.00 sigma 0.9852 max 14050,
 * output median 151.26 sigma 0.8590 max 1000. */
static void inference_values(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario_work/full.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    CHECK_INT(s->nworkloads, 5);
    const dcs_workload_spec *w = &s->workloads[0];
    CHECK_STR(w->name, "chat");
    CHECK_INT(w->kind, DCS_WORKLOAD_INFERENCE);
    CHECK_STR(w->model.name, "Llama-3.1-70B");
    CHECK(w->model.entry != NULL && strcmp(w->model.entry->name, "Llama-3.1-70B") == 0);
    CHECK_NEAR(w->model.params, 70.6e9, 1e-15);
    CHECK_NEAR(w->model.active_params, 70.6e9, 1e-15);
    CHECK_NEAR(w->model.bytes_per_weight, 2, 1e-15);
    CHECK_NEAR(w->model.kv_bytes_per_token, 327680, 1e-15);
    CHECK_INT(w->model.gpus_per_replica, 4);
    CHECK_INT(w->serving.max_batch, 128);
    CHECK_INT(w->serving.prefill_chunk, 1024);
    CHECK_INT(w->serving.queue_capacity, 100);
    CHECK_NEAR(w->serving.compute_eff, 0.45, 1e-15);
    CHECK_NEAR(w->serving.mem_eff, 0.7, 1e-15);
    CHECK_INT(w->serving.wake_time, 60 * DCS_SECOND);
    CHECK_STR(dcs_dispatch_names[w->serving.dispatch], "round_robin");
    const dcs_arrivals_spec *a = &w->arrivals;
    CHECK_INT(a->process, DCS_ARRIVALS_DIURNAL_POISSON);
    CHECK_NEAR(a->mean_rate_per_s, 400, 1e-15);
    CHECK_NEAR(a->peak_to_mean, 1.8, 1e-15);
    CHECK_NEAR(a->peak_hour, 15, 1e-15);
    CHECK_NEAR(a->weekend_factor, 0.8, 1e-15);
    CHECK_NEAR(a->growth_per_year, 0.2, 1e-15);
    CHECK_NEAR(a->burst.factor, 3, 1e-15);
    CHECK_INT(a->burst.mean_on, 30 * DCS_SECOND);
    CHECK_INT(a->burst.mean_off, 600 * DCS_SECOND);
    CHECK(a->trace == NULL);
    CHECK_INT(a->nusers, 2);
    CHECK_STR(a->users[0].user, "us-east");
    CHECK_NEAR(a->users[0].share, 0.75, 1e-12);
    CHECK_STR(a->users[1].user, "eu-north");
    CHECK_NEAR(a->users[1].share, 0.25, 1e-12);
    CHECK_INT(a->users[0].user_index, 0);
    CHECK_INT(a->users[1].user_index, 1);
    CHECK_STR(w->tokens.profile, "azure-conv-2023");
    CHECK(w->tokens.entry == &s->token_profiles[1]);
    CHECK(!w->tokens.quantiles);
    CHECK_NEAR(w->tokens.prompt.median, 760.00, 1e-15);
    CHECK_NEAR(w->tokens.prompt.sigma, 0.9852, 1e-15);
    CHECK_INT(w->tokens.prompt.max_tokens, 14050);
    CHECK(w->tokens.prompt.quantiles == NULL);
    CHECK_NEAR(w->tokens.output.median, 151.26, 1e-15);
    CHECK_NEAR(w->tokens.output.sigma, 0.8590, 1e-15);
    CHECK_INT(w->tokens.output.max_tokens, 1000);
    CHECK_INT(w->slo.ttft, 2 * DCS_SECOND);
    CHECK_INT(w->slo.tpot, 100 * DCS_MS);
    CHECK_INT(w->slo.e2e, 30 * DCS_SECOND);
    CHECK_INT(w->nallowed_sites, 2);
    CHECK_STR(w->allowed_sites[1], "ashburn-dc");

    /* code: the scalar model form (Llama-3.1-8B: 8.03e9 params, KV 32 x 2 x
     * 8 x 128 x 2 = 131,072 B), a list of users (equal shares), and the
     * profile's quantile tables instead of its lognormal fits. */
    w = &s->workloads[1];
    CHECK_STR(w->model.name, "Llama-3.1-8B");
    CHECK_NEAR(w->model.params, 8.03e9, 1e-15);
    CHECK_NEAR(w->model.kv_bytes_per_token, 131072, 1e-15);
    CHECK_INT(w->model.gpus_per_replica, 1);
    CHECK_INT(w->arrivals.process, DCS_ARRIVALS_POISSON);
    CHECK_NEAR(w->arrivals.mean_rate_per_s, 2.567, 1e-15);
    CHECK_INT(w->arrivals.nusers, 2);
    CHECK_NEAR(w->arrivals.users[0].share, 0.5, 1e-15);
    CHECK_NEAR(w->arrivals.users[1].share, 0.5, 1e-15);
    CHECK(w->tokens.quantiles);
    CHECK(isnan(w->tokens.prompt.median));
    CHECK_INT(w->tokens.prompt.nquantiles, 44);
    CHECK_NEAR(w->tokens.prompt.quantiles[0], 3, 1e-15);
    CHECK_NEAR(w->tokens.prompt.quantiles[43], 7437, 1e-15);
    CHECK_INT(w->tokens.prompt.max_tokens, 7437);
    CHECK_NEAR(w->tokens.output.quantiles[43], 1899, 1e-15);
    CHECK_INT(w->nallowed_sites, 1);
    CHECK_STR(w->allowed_sites[0], "lulea");

    /* replay: numbers alone (active = params, 1 B/weight), a trace at half
     * speed, looped; no users given, so all three share equally; no token
     * law (the trace rows carry the counts). */
    w = &s->workloads[2];
    CHECK(w->model.name == NULL && w->model.entry == NULL);
    CHECK_NEAR(w->model.params, 7e9, 1e-15);
    CHECK_NEAR(w->model.active_params, 7e9, 1e-15);
    CHECK_NEAR(w->model.bytes_per_weight, 1, 1e-15);
    CHECK_NEAR(w->model.kv_bytes_per_token, 131072, 1e-15);
    CHECK_INT(w->arrivals.process, DCS_ARRIVALS_TRACE);
    CHECK_STR(w->arrivals.trace, "traces/chat.csv");
    CHECK_NEAR(w->arrivals.time_scale, 2, 1e-15);
    CHECK(w->arrivals.loop);
    CHECK(isnan(w->arrivals.mean_rate_per_s));
    CHECK_INT(w->arrivals.nusers, 3);
    CHECK_STR(w->arrivals.users[2].user, "lulea-local");
    CHECK_INT(w->arrivals.users[2].user_index, 2);
    CHECK_NEAR(w->arrivals.users[2].share, 1.0 / 3.0, 1e-15);
    CHECK(w->tokens.profile == NULL);
    CHECK(isnan(w->tokens.prompt.median) && w->tokens.prompt.quantiles == NULL);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* Replicas resolved to workload indices (chat 0, code 1, replay 2); jobs
 * in internal units: 48 h = 1.728e14 ns, 24 h, 2 h, 1 h, 10 min; 95 % =
 * 0.95; the batch trace in Alibaba format, no deadline, gpu_util default
 * 90 %. */
static void replicas_and_jobs(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario_work/full.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    const dcs_cluster_spec *a = &s->sites[0].clusters[0], *b = &s->sites[1].clusters[0];
    CHECK_INT(a->nreplicas, 2);
    CHECK_STR(a->replicas[0].workload, "chat");
    CHECK_INT(a->replicas[0].count, 4);
    CHECK_INT(a->replicas[0].workload_index, 0);
    CHECK_STR(a->replicas[1].workload, "code");
    CHECK_INT(a->replicas[1].count, 8);
    CHECK_INT(a->replicas[1].workload_index, 1);
    CHECK_INT(b->nreplicas, 2);
    CHECK_INT(b->replicas[1].count, 4);
    CHECK_INT(b->replicas[1].workload_index, 2);

    const dcs_jobs_spec *j = &s->workloads[3].jobs;
    CHECK_INT(s->workloads[3].kind, DCS_WORKLOAD_TRAINING);
    CHECK_INT(j->count, 6);
    CHECK_INT(j->gpus, 16);
    CHECK_INT(j->work, 48 * DCS_HOUR);
    CHECK_INT(j->slack, 24 * DCS_HOUR);
    CHECK(j->has_deadline);
    CHECK_INT(j->every, 2 * DCS_HOUR);
    CHECK_INT(j->checkpoint_every, DCS_HOUR);
    CHECK_INT(j->restart_cost, 10 * DCS_MINUTE);
    CHECK(j->preemptible && j->deferrable);
    CHECK_NEAR(j->gpu_util, 0.95, 1e-15);
    CHECK(j->trace == NULL);

    j = &s->workloads[4].jobs;
    CHECK_INT(s->workloads[4].kind, DCS_WORKLOAD_BATCH);
    CHECK_STR(j->trace, "jobs.csv");
    CHECK_STR(dcs_job_trace_format_names[j->trace_format], "alibaba");
    CHECK(!j->has_deadline && !j->preemptible && !j->deferrable);
    CHECK_NEAR(j->gpu_util, 0.9, 1e-15);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* Policy: geolocation (3), [power_cap, consolidate], carbon_shift, 5 min =
 * 3e11 ns; latency_target 500 ms = 0.5 s; hold 15 min = 9e11 ns. */
static void policy_values(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario_work/full.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    const dcs_policy_spec *p = &s->policy;
    CHECK_INT(p->placement, DCS_PLACE_GEOLOCATION);
    CHECK_INT(p->npower, 2);
    CHECK_INT(p->power[0], DCS_POWER_CAP);
    CHECK_INT(p->power[1], DCS_POWER_CONSOLIDATE);
    CHECK_INT(p->temporal, DCS_TEMPORAL_CARBON_SHIFT);
    CHECK_INT(p->control_period, 5 * DCS_MINUTE);
    CHECK_NEAR(p->params.price_weight, 2, 1e-15);
    CHECK_NEAR(p->params.fill_max, 0.8, 1e-15);
    CHECK_NEAR(p->params.latency_target_s, 0.5, 1e-15);
    CHECK_NEAR(p->params.cap_gain, 0.25, 1e-15);
    CHECK_NEAR(p->params.power_margin, 0.1, 1e-15);
    CHECK_NEAR(p->params.util_target, 0.6, 1e-15);
    CHECK_INT(p->params.min_replicas, 0);
    CHECK_INT(p->params.hold, 15 * DCS_MINUTE);
    CHECK(p->rl_policy == NULL);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* defaults.yaml writes no serving, arrivals shape, SLO or policy
 * parameters: each default must equal the model's own default
 * (dcs_serving_params_default, dcs_policy_params_default), so the two
 * cannot drift apart.  Its inline laws: a lognormal (1020, 1.0, max 8192)
 * and a table 10, 20, ..., 440 whose last count becomes max_tokens. */
static void defaults_match_models(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario_work/defaults.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    const dcs_workload_spec *w = &s->workloads[0];
    CHECK(w->model.entry == NULL);
    CHECK_NEAR(w->model.params, 7e9, 1e-15);
    CHECK_NEAR(w->model.active_params, 7e9, 1e-15);
    CHECK_NEAR(w->model.bytes_per_weight, 2, 1e-15);   /* BF16 */
    CHECK_NEAR(w->model.kv_bytes_per_token, 131072, 1e-15);   /* as written */
    CHECK_INT(w->model.gpus_per_replica, 1);

    dcs_serving_params sp;
    dcs_serving_params_default(&sp);
    CHECK_INT(w->serving.max_batch, sp.max_batch);
    CHECK_INT(w->serving.prefill_chunk, sp.prefill_chunk_tokens);
    CHECK_INT(w->serving.queue_capacity, sp.queue_capacity);
    CHECK_NEAR(w->serving.compute_eff, sp.compute_eff, 1e-15);
    CHECK_NEAR(w->serving.mem_eff, sp.mem_eff, 1e-15);
    CHECK_NEAR((double)w->serving.wake_time / 1e9, sp.wake_s, 1e-15);
    CHECK_STR(dcs_dispatch_names[w->serving.dispatch], "least_loaded");

    const dcs_arrivals_spec *a = &w->arrivals;
    CHECK_INT(a->process, DCS_ARRIVALS_POISSON);
    CHECK_NEAR(a->peak_to_mean, 1, 1e-15);
    CHECK_NEAR(a->peak_hour, 14, 1e-15);
    CHECK_NEAR(a->weekend_factor, 1, 1e-15);
    CHECK_ABS(a->growth_per_year, 0, 0);
    CHECK_NEAR(a->burst.factor, 1, 1e-15);
    CHECK_NEAR(a->time_scale, 1, 1e-15);
    CHECK(!a->loop);
    CHECK_INT(a->nusers, 1);
    CHECK_NEAR(a->users[0].share, 1, 1e-15);
    CHECK_INT(s->users[0].rtt_to_site[0], 20 * DCS_MS);

    CHECK_NEAR(w->tokens.prompt.median, 1020, 1e-15);
    CHECK_NEAR(w->tokens.prompt.sigma, 1.0, 1e-15);
    CHECK_INT(w->tokens.prompt.max_tokens, 8192);
    CHECK(isnan(w->tokens.output.median));
    CHECK_INT(w->tokens.output.nquantiles, 44);
    CHECK_NEAR(w->tokens.output.quantiles[43], 440, 1e-15);
    CHECK_INT(w->tokens.output.max_tokens, 440);
    CHECK_INT(w->slo.ttft, 0);
    CHECK_INT(w->slo.tpot, 0);
    CHECK_INT(w->slo.e2e, 0);

    const dcs_policy_spec *p = &s->policy;
    dcs_policy_params pp = dcs_policy_params_default();
    CHECK_INT(p->placement, DCS_PLACE_ROUND_ROBIN);
    CHECK_INT(p->npower, 1);                           /* the scalar form */
    CHECK_INT(p->power[0], DCS_POWER_CAP);
    CHECK_INT(p->temporal, DCS_TEMPORAL_NONE);
    CHECK_INT(p->control_period, 60 * DCS_SECOND);
    CHECK_ABS(p->params.price_weight, pp.price_weight, 0);
    CHECK_NEAR(p->params.fill_max, pp.fill_max, 1e-15);
    CHECK_ABS(p->params.latency_target_s, pp.latency_target_s, 0);
    CHECK_NEAR(p->params.cap_gain, pp.cap_gain, 1e-15);
    CHECK_NEAR(p->params.power_margin, pp.power_margin, 1e-15);
    CHECK_NEAR(p->params.util_target, pp.util_target, 1e-15);
    CHECK_INT(p->params.min_replicas, pp.min_replicas);
    CHECK_NEAR((double)p->params.hold / 1e9, pp.hold_s, 1e-15);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* Whole-scenario checks on defaults.yaml, each provoked by an override and
 * all collected in one load.  The cluster has 1 node x 8 GPUs of 80 GB:
 *   7e10 params x 2 B = 140 GB on 1 x 80 GB: 60 GB short;
 *   8 replicas x 2 GPUs = 16 > 8 GPUs (with gpus_per_replica 2 the model
 *   would fit, so the second override is checked on its own). */
static void whole_checks_located(void)
{
    dcs_diag *d = dcs_diag_new();
    const char *sets[] = {"workloads.w.model.params=7e10", "users.u.rtt={}",
                          "policy.power=[power_cap, power_cap]"};
    dcs_scenario *s = NULL;
    CHECK_INT(dcs_scenario_load("fixtures/scenario_work/defaults.yaml", sets, 3, d, &s),
              DCS_EINPUT);
    CHECK(s == NULL);
    CHECK_INT(dcs_diag_errors(d), 3);
    /* Located by hand in defaults.yaml: the user's name 'u' at 20:12, the
     * replica count of w at 15:77, the cluster's replicas mapping at 15:73;
     * the override's value at column 14 of "policy.power=[...]". */
    CHECK_STR(dcs_diag_line(d, 0), "--set:3:14: power: 'power_cap' is listed twice");
    CHECK_STR(dcs_diag_line(d, 1), "fixtures/scenario_work/defaults.yaml:20:12: user 'u' has no "
              "round-trip time to site 'a': give rtt: {a: ...}, or add places 'u' and 'a' to "
              "the network_rtt catalog (include catalog/network.yaml, or set location:)");
    CHECK_STR(dcs_diag_line(d, 2), "fixtures/scenario_work/defaults.yaml:15:77: replicas: the "
              "model of 'w' does not fit: 140.0 GB of weights on 1 x 80.0 GB (G), 60.0 GB "
              "short; raise gpus_per_replica or lower bytes_per_weight");
    dcs_diag_free(d);

    d = dcs_diag_new();
    const char *more[] = {"workloads.w.model.gpus_per_replica=2"};
    CHECK_INT(dcs_scenario_load("fixtures/scenario_work/defaults.yaml", more, 1, d, &s),
              DCS_EINPUT);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/scenario_work/defaults.yaml:15:73: replicas: "
              "cluster 'c' has 8 GPUs (nodes x gpus_per_node) and its replicas need 16");
    dcs_diag_free(d);
}

/* The effective text writes the short forms (scalar model and tokens,
 * lists of names, a list of power policies) as they were merged; loading it
 * again must resolve to the same numbers. */
static void effective_text_reloads(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *a = load("fixtures/scenario_work/full.yaml", NULL, 0, d);
    char path[] = "/tmp/dcsim-scenario-work-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (!a || fd < 0) {
        dcs_scenario_free(a);
        dcs_diag_free(d);
        return;
    }
    const char *text = dcs_scenario_text(a);
    CHECK((size_t)write(fd, text, strlen(text)) == strlen(text));
    close(fd);
    dcs_scenario *b = load(path, NULL, 0, d);
    if (b) {
        CHECK_STR(dcs_scenario_text(b), text);
        for (size_t i = 0; i < a->nusers; i++)
            for (size_t j = 0; j < a->nsites; j++)
                CHECK_INT(b->users[i].rtt_to_site[j], a->users[i].rtt_to_site[j]);
        for (size_t i = 0; i < a->nworkloads; i++) {
            const dcs_workload_spec *wa = &a->workloads[i], *wb = &b->workloads[i];
            CHECK_INT(wb->kind, wa->kind);
            if (wa->kind != DCS_WORKLOAD_INFERENCE) {
                CHECK_INT(wb->jobs.work, wa->jobs.work);
                continue;
            }
            CHECK_ABS(wb->model.params, wa->model.params, 0);
            CHECK_INT(wb->tokens.prompt.nquantiles, wa->tokens.prompt.nquantiles);
            CHECK_INT(wb->tokens.output.max_tokens, wa->tokens.output.max_tokens);
            CHECK_INT(wb->arrivals.nusers, wa->arrivals.nusers);
            for (size_t k = 0; k < wa->arrivals.nusers; k++)
                CHECK_ABS(wb->arrivals.users[k].share, wa->arrivals.users[k].share, 0);
        }
        CHECK(!isnan(b->workloads[0].model.kv_bytes_per_token));
        CHECK_ABS(b->workloads[0].model.kv_bytes_per_token,
                  a->workloads[0].model.kv_bytes_per_token, 0);
        CHECK_INT(b->policy.npower, 2);
        CHECK_ABS(b->policy.params.latency_target_s, 0.5, 0);
    }
    unlink(path);
    dcs_scenario_free(b);
    dcs_scenario_free(a);
    dcs_diag_free(d);
}

int main(void)
{
    RUN(catalogs_typed);
    RUN(users_and_rtts);
    RUN(inference_values);
    RUN(replicas_and_jobs);
    RUN(policy_values);
    RUN(defaults_match_models);
    RUN(effective_text_reloads);
    RUN(whole_checks_located);
    return TEST_END();
}
