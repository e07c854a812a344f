/*
 * scenario_tables_work.c - the schema tables of workloads, user regions,
 * the network and policies, and of the catalogs they draw on (`models:`,
 * `token_profiles:`, `network_rtt:`); the rest of a scenario's tables are in
 * sim/scenario_tables.c, the checks across the whole scenario in
 * sim/scenario_check.c.
 *
 * As there, bounds are sanity limits in internal units that catch typos of
 * units or magnitudes, not physics, and every default says its reason in
 * its help text.  Defaults of the serving engine and of the policies equal
 * dcs_serving_params_default and dcs_policy_params_default, where they are
 * sourced (tests/test_scenario_workloads.c keeps them equal).  Arrival
 * shapes default to no effect, so a scenario gets no diurnal, weekly,
 * growth or burst pattern it did not write.
 */
#include "dcsim/hourly.h"
#include "dcsim/scenario.h"
#include "dcsim/tokens.h"
#include "scenario_internal.h"

#include <math.h>
#include <string.h>

#define MAX_RTT (10 * NS_S)      /* ten seconds: far above any terrestrial round trip */
#define MAX_TOKENS 1e8           /* tokens: far above any context window */
#define MAX_RATE 1e7             /* requests/s: a sanity bound for rate units */
#define MAX_PARAMS 1e13          /* ten times the largest published dense models */

static const char *const process_names[] = {"poisson", "diurnal_poisson", "trace", NULL};
const char *const dcs_dispatch_names[] = {"least_loaded", "round_robin", NULL};
const char *const dcs_job_trace_format_names[] = {"csv", "alibaba", NULL};
static const char *const power_names[] = {"none", "power_cap", "consolidate", NULL};
static const char *const temporal_names[] = {"none", "carbon_shift", NULL};
const char *const dcs_priority_names[] = {"normal", "low", NULL};
const char *const dcs_degrade_cause_names[] = {"fault", "throttle", "overload", NULL};
const char *const dcs_low_priority_names[] = {"serve", "shed", "queue", NULL};

/* ---- cross-field checks ------------------------------------------------ */

/* A quantile table on dcsim's probability grid: one positive count per
 * probability, ascending. */
static void check_quantiles(dcs_schema_ctx *c, const void *obj, const char *key,
                            const double *q, size_t n)
{
    double probs[DCS_TOKENS_TABLE_MAX];
    size_t k = (size_t)dcs_tokens_table_probs(probs);
    if (n != k) {
        dcs_schema_error(c, obj, key, "%s: expected %zu counts (one per probability of "
                         "dcsim's grid 0, 0.025, ..., 0.999, 1), found %zu", key, k, n);
        return;
    }
    for (size_t i = 1; i < n; i++)
        if (q[i] < q[i - 1]) {
            dcs_schema_error(c, obj, key, "%s: counts must not decrease (item %zu is %g, "
                             "after %g)", key, i + 1, q[i], q[i - 1]);
            return;
        }
}

static void check_model_entry(void *obj, dcs_schema_ctx *c)
{
    dcs_model_entry *m = obj;
    if (isnan(m->active_params))
        m->active_params = m->params;
    else if (m->active_params > m->params)
        dcs_schema_error(c, m, "active_params", "active_params of '%s' is above its params",
                         m->name);
}

/* A law is a lognormal or a table on dcsim's probability grid, ascending. */
static void check_token_law(void *obj, dcs_schema_ctx *c)
{
    const dcs_token_law_spec *l = obj;
    bool logn = dcs_schema_given(c, l, "lognormal"), table = l->quantiles != NULL;
    if (logn == table) {
        /* At 'quantiles' (or the law's mapping when it is absent): the
         * lognormal view shares the law's address, so NULL would find it. */
        dcs_schema_error(c, l, "quantiles", "a token law needs exactly one of 'lognormal' "
                         "({median, sigma}) or 'quantiles' (a table)");
        return;
    }
    if (table)
        check_quantiles(c, l, "quantiles", l->quantiles, l->nquantiles);
}

static void check_token_profile(void *obj, dcs_schema_ctx *c)
{
    const dcs_token_profile *p = obj;
    if (p->prompt_quantiles)
        check_quantiles(c, p, "prompt_quantiles", p->prompt_quantiles, p->nprompt_quantiles);
    if (p->output_quantiles)
        check_quantiles(c, p, "output_quantiles", p->output_quantiles, p->noutput_quantiles);
}

static void check_llm(void *obj, dcs_schema_ctx *c)
{
    const dcs_llm_spec *m = obj;
    if (!m->name && isnan(m->params))
        dcs_schema_error(c, m, NULL, "model needs 'name' (a catalog model) or 'params'");
    else if (!m->name && isnan(m->kv_bytes_per_token))
        dcs_schema_error(c, m, NULL, "a model given by numbers needs 'kv_bytes_per_token' "
                         "(layers x 2 x kv_heads x head_dim x bytes per element)");
    if (!isnan(m->active_params) && !isnan(m->params) && m->active_params > m->params)
        dcs_schema_error(c, m, "active_params", "active_params is above params");
}

static void check_tokens(void *obj, dcs_schema_ctx *c)
{
    const dcs_tokens_spec *t = obj;
    bool prompt = dcs_schema_given(c, t, "prompt"), output = dcs_schema_given(c, t, "output");
    if (t->profile && (prompt || output))
        dcs_schema_error(c, t, prompt ? "prompt" : "output", "tokens: give a 'profile' or "
                         "'prompt' and 'output' laws, not both");
    else if (!t->profile && !(prompt && output))
        dcs_schema_error(c, t, NULL, "tokens needs a 'profile' (a catalog name) or both "
                         "'prompt' and 'output' laws");
    if (t->quantiles && !t->profile)
        dcs_schema_error(c, t, "quantiles", "quantiles: true selects a profile's tables, "
                         "and there is no 'profile'");
}

static void check_jobs(void *obj, dcs_schema_ctx *c)
{
    dcs_jobs_spec *j = obj;
    j->has_deadline = dcs_schema_given(c, j, "slack");
    if (j->trace) {
        static const char *const own[] = {"count", "gpus", "work", "every"};
        for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
            if (dcs_schema_given(c, j, own[i]))
                dcs_schema_error(c, j, own[i], "%s: the job trace gives each job's "
                                 "submission, GPUs and work; drop '%s' or 'trace'", own[i],
                                 own[i]);
        return;
    }
    static const char *const need[] = {"count", "gpus", "work"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!dcs_schema_given(c, j, need[i]))
            dcs_schema_error(c, j, NULL, "jobs needs '%s' (or a 'trace' of jobs)", need[i]);
    if (dcs_schema_given(c, j, "format"))
        dcs_schema_error(c, j, "format", "format applies only to a job 'trace'");
}

/* fallback_model runs on the replica's own GPUs (tensor parallel over
 * the workload's gpus_per_replica): a larger count cannot be given. */
static void check_fallback(dcs_workload_spec *w, dcs_schema_ctx *c)
{
    w->has_fallback = dcs_schema_given(c, w, "fallback_model");
    if (!w->has_fallback)
        return;
    dcs_llm_spec *f = &w->fallback_model;
    if (dcs_schema_given(c, f, "gpus_per_replica") && f->gpus_per_replica > w->model.gpus_per_replica)
        dcs_schema_error(c, f, "gpus_per_replica", "fallback_model: gpus_per_replica %lld is "
                         "above the workload's %lld (the fallback runs on a replica's own "
                         "GPUs)", (long long)f->gpus_per_replica,
                         (long long)w->model.gpus_per_replica);
    f->gpus_per_replica = w->model.gpus_per_replica;
}

static void check_workload(void *obj, dcs_schema_ctx *c)
{
    dcs_workload_spec *w = obj;
    const char *name = w->name ? w->name : "";
    if (w->kind != DCS_WORKLOAD_INFERENCE) {
        if (!dcs_schema_given(c, w, "jobs"))
            dcs_schema_error(c, w, NULL, "%s workload '%s' needs 'jobs'",
                             dcs_workload_kind_names[w->kind], name);
        static const char *const inf[] = {"model", "fallback_model", "serving", "arrivals",
                                          "tokens", "slo", "priority"};
        for (size_t i = 0; i < sizeof inf / sizeof inf[0]; i++)
            if (dcs_schema_given(c, w, inf[i]))
                dcs_schema_error(c, w, inf[i], "%s applies only to inference workloads ('%s' "
                                 "is %s)", inf[i], name, dcs_workload_kind_names[w->kind]);
        return;
    }
    if (dcs_schema_given(c, w, "jobs"))
        dcs_schema_error(c, w, "jobs", "jobs applies only to training and batch workloads "
                         "('%s' is inference)", name);
    if (!dcs_schema_given(c, w, "model"))
        dcs_schema_error(c, w, NULL, "inference workload '%s' needs 'model'", name);
    check_fallback(w, c);
    if (!dcs_schema_given(c, w, "arrivals")) {
        dcs_schema_error(c, w, NULL, "inference workload '%s' needs 'arrivals'", name);
        return;
    }
    const dcs_arrivals_spec *a = &w->arrivals;
    bool trace = a->process == DCS_ARRIVALS_TRACE;
    if (!trace && isnan(a->mean_rate_per_s))
        dcs_schema_error(c, a, NULL, "arrivals of '%s' need 'mean_rate' (process: %s)", name,
                         process_names[a->process]);
    if (trace && !a->trace)
        dcs_schema_error(c, a, NULL, "arrivals of '%s' need 'trace' (a file) for process: "
                         "trace", name);
    if (!trace && a->trace)
        dcs_schema_error(c, a, "trace", "trace: a file is replayed only with process: trace "
                         "(process is %s)", process_names[a->process]);
    if (trace && !isnan(a->mean_rate_per_s))
        dcs_schema_error(c, a, "mean_rate", "mean_rate: a replayed trace sets its own rate "
                         "(use time_scale to speed it up or slow it down)");
    if (!trace && !dcs_schema_given(c, w, "tokens"))
        dcs_schema_error(c, w, NULL, "inference workload '%s' needs 'tokens' (a profile name "
                         "or prompt and output laws)", name);
}

/* The power policies as a set: `none` alone means no power policy (the list
 * is emptied), and it cannot be combined with others. */
static void check_policy(void *obj, dcs_schema_ctx *c)
{
    dcs_policy_spec *p = obj;
    bool none = false;
    for (size_t i = 0; i < p->npower; i++) {
        none |= p->power[i] == DCS_POWER_NONE;
        for (size_t j = 0; j < i; j++)
            if (p->power[i] == p->power[j])
                dcs_schema_error(c, p, "power", "power: '%s' is listed twice",
                                 power_names[p->power[i]]);
    }
    if (none && p->npower > 1)
        dcs_schema_error(c, p, "power", "power: 'none' cannot be combined with other power "
                         "policies");
    else if (none)
        p->npower = 0;
    if (p->placement == DCS_PLACE_RL && !p->rl_policy)
        dcs_schema_error(c, p, "placement", "placement: rl needs 'rl_policy' (the policy file)");
    if (p->placement != DCS_PLACE_RL && p->rl_policy)
        dcs_schema_error(c, p, "rl_policy", "rl_policy applies only to placement: rl "
                         "(placement is %s)", dcs_placement_names[p->placement]);
}

/* A day YYYY-MM-DD (UTC) into *utc_s; false when it is not one. */
static bool parse_day(const char *t, int64_t *utc_s)
{
    int y, mo, d, used = 0;
    if (!t || sscanf(t, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10 ||
        t[used] != '\0')
        return false;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return false;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    *utc_s = dcs_civil_to_utc_s(y, mo, d, 0, 0, 0);
    return true;
}

/* A period: both days or neither, each a date, from before to. */
static void check_rl_period(void *obj, dcs_schema_ctx *c)
{
    dcs_rl_period_spec *p = obj;
    if (!p->from && !p->to)
        return;
    if (!p->from || !p->to) {
        dcs_schema_error(c, p, p->from ? "to" : "from", "a period needs both 'from' and 'to'");
        return;
    }
    bool ok = true;
    if (!parse_day(p->from, &p->from_utc_s)) {
        dcs_schema_error(c, p, "from", "from: '%s' is not a date YYYY-MM-DD", p->from);
        ok = false;
    }
    if (!parse_day(p->to, &p->to_utc_s)) {
        dcs_schema_error(c, p, "to", "to: '%s' is not a date YYYY-MM-DD", p->to);
        ok = false;
    }
    if (ok && p->to_utc_s <= p->from_utc_s)
        dcs_schema_error(c, p, "to", "to: %s is not after from: %s", p->to, p->from);
}

static void check_rl_reward(void *obj, dcs_schema_ctx *c)
{
    dcs_rl_reward_spec *r = obj;
    if (!(r->energy + r->carbon + r->cost + r->sla > 0.0))
        dcs_schema_error(c, r, NULL, "reward: at least one weight must be above 0");
}

/* Training settings: the baseline is a hand policy, an episode fits the
 * training period, and the held-out period does not overlap it. */
static void check_rl(void *obj, dcs_schema_ctx *c)
{
    dcs_rl_spec *r = obj;
    if (r->baseline == DCS_PLACE_RL)
        dcs_schema_error(c, r, "baseline", "baseline: rl cannot be its own baseline (use "
                         "round_robin or geolocation)");
    const dcs_rl_period_spec *tr = &r->train, *ev = &r->evaluate;
    if (tr->to_utc_s > tr->from_utc_s &&
        (tr->to_utc_s - tr->from_utc_s) * (int64_t)NS_S < r->episode)
        dcs_schema_error(c, r, "episode", "episode: longer than the training period %s..%s",
                         tr->from, tr->to);
    if (tr->to_utc_s > tr->from_utc_s && ev->to_utc_s > ev->from_utc_s &&
        tr->from_utc_s < ev->to_utc_s && ev->from_utc_s < tr->to_utc_s)
        dcs_schema_error(c, r, "evaluate", "evaluate: %s..%s overlaps the training period "
                         "%s..%s (held-out days must not be trained on)",
                         ev->from, ev->to, tr->from, tr->to);
}

/* latency_target is written as a duration and parsed in nanoseconds (the
 * internal unit of durations); the policy takes seconds. */
static void check_policy_params(void *obj, dcs_schema_ctx *c)
{
    (void)c;
    dcs_policy_params_spec *p = obj;
    p->latency_target_s /= NS_S;
}

/* ---- tables -------------------------------------------------------------- */

static const dcs_field replicas_fields[] = {
    DCS_FIELD_STR(dcs_replicas_spec, workload, "workload", DCS_NAME_KEY, NULL,
                  "an inference workload's name"),
    DCS_FIELD_INT(dcs_replicas_spec, count, "count", DCS_SCALAR_FORM | DCS_REQUIRED, NULL, 0, 1e6,
                  "serving replicas of it on this cluster"),
};
const dcs_schema dcs_scenario_replicas_schema =
    DCS_SCHEMA("replicas", dcs_replicas_spec, replicas_fields, NULL,
               "Replicas a cluster hosts, by workload name: `{chat: 40, code: 8}`.");

static const dcs_field rtt_fields[] = {
    DCS_FIELD_STR(dcs_rtt_spec, site, "site", DCS_NAME_KEY, NULL, "a site's name"),
    DCS_FIELD_DUR(dcs_rtt_spec, rtt, "rtt", DCS_SCALAR_FORM | DCS_REQUIRED, NULL, 0,
                  MAX_RTT, "network round-trip time to that site"),
};
static const dcs_schema rtt_schema =
    DCS_SCHEMA("rtt", dcs_rtt_spec, rtt_fields, NULL,
               "Round-trip times from a user region, by site name: `{lulea: 92 ms}`.");

static const dcs_field user_fields[] = {
    DCS_FIELD_STR(dcs_user_spec, name, "name", DCS_REQUIRED, NULL, "unique user-region name"),
    DCS_FIELD_STR(dcs_user_spec, location, "location", 0, NULL,
                  "place name for the `network_rtt:` catalog (absent: the region's name)"),
    DCS_FIELD_DICT(dcs_user_spec, rtt, "rtt", 0, &rtt_schema,
                   "round-trip time to each site; wins over the `network_rtt:` catalog"),
};
const dcs_schema dcs_scenario_user_schema =
    DCS_SCHEMA("user", dcs_user_spec, user_fields, NULL,
               "A region where requests come from.  Its round-trip time to every site is "
               "`rtt:` or the `network_rtt:` catalog entry of (location, site location).");

static const dcs_field net_rtt_fields[] = {
    DCS_FIELD_STR(dcs_net_rtt_entry, a, "a", DCS_REQUIRED, NULL, "one place"),
    DCS_FIELD_STR(dcs_net_rtt_entry, b, "b", DCS_REQUIRED, NULL, "the other place"),
    DCS_FIELD_DUR(dcs_net_rtt_entry, rtt, "rtt", DCS_REQUIRED, NULL, 0, MAX_RTT,
                  "round-trip time between them (either way)"),
    DCS_FIELD_STR(dcs_net_rtt_entry, source, "source", DCS_REQUIRED, NULL,
                  "measurement or estimate it comes from"),
};
const dcs_schema dcs_scenario_net_rtt_schema =
    DCS_SCHEMA("network rtt", dcs_net_rtt_entry, net_rtt_fields, NULL,
               "An entry of the `network_rtt:` catalog (scenarios/catalog/network.yaml); the "
               "pair `same-metro`/`same-metro` is the round trip of a place to itself.");

/* 8 bytes per weight (FP64) is the most any format stores. */
static const dcs_field model_entry_fields[] = {
    DCS_FIELD_STR(dcs_model_entry, name, "name", DCS_NAME_KEY, NULL, "the catalog key"),
    DCS_FIELD_NUM(dcs_model_entry, params, "params", DCS_UNIT_NUMBER, DCS_REQUIRED | DCS_MIN_EXCL,
                  NULL, 0, MAX_PARAMS, "total parameters (all held in GPU memory)"),
    DCS_FIELD_NUM(dcs_model_entry, active_params, "active_params", DCS_UNIT_NUMBER, DCS_MIN_EXCL,
                  NULL, 0, MAX_PARAMS, "parameters used per token (absent: params; fewer for "
                  "mixture-of-experts)"),
    DCS_FIELD_NUM(dcs_model_entry, bytes_per_weight, "bytes_per_weight", DCS_UNIT_NUMBER,
                  DCS_MIN_EXCL, "2", 0, 8, "bytes per weight: 2 BF16 (the default, how "
                  "models are published), 1 FP8/INT8, 0.5 4-bit"),
    DCS_FIELD_INT(dcs_model_entry, layers, "layers", DCS_REQUIRED, NULL, 1, 1000,
                  "transformer layers"),
    DCS_FIELD_INT(dcs_model_entry, kv_heads, "kv_heads", DCS_REQUIRED, NULL, 1, 1024,
                  "key/value heads (grouped-query attention)"),
    DCS_FIELD_INT(dcs_model_entry, head_dim, "head_dim", DCS_REQUIRED, NULL, 1, 4096,
                  "dimension of one attention head"),
    DCS_FIELD_NUM(dcs_model_entry, kv_bytes_per_elem, "kv_bytes_per_elem", DCS_UNIT_NUMBER,
                  DCS_MIN_EXCL, "2", 0, 8, "bytes per KV-cache element (default 2: BF16 "
                  "cache, as served without KV quantisation)"),
    DCS_FIELD_INT(dcs_model_entry, context_tokens, "context_tokens", DCS_REQUIRED, NULL, 1, 1e8,
                  "context window, tokens"),
    DCS_FIELD_STR(dcs_model_entry, source, "source", DCS_REQUIRED, NULL,
                  "model card or configuration the numbers come from"),
};
const dcs_schema dcs_scenario_model_entry_schema =
    DCS_SCHEMA("model entry", dcs_model_entry, model_entry_fields, check_model_entry,
               "An entry of the `models:` catalog (scenarios/catalog/models.yaml); KV bytes "
               "per token = layers x 2 x kv_heads x head_dim x kv_bytes_per_elem.");

/* The `lognormal:` mapping of a token law fills its median and sigma in
 * place: it is read through a view of those two adjacent members. */
typedef struct lognormal_view {
    double median, sigma;
} lognormal_view;
_Static_assert(offsetof(dcs_token_law_spec, sigma) - offsetof(dcs_token_law_spec, median) ==
                   offsetof(lognormal_view, sigma), "median and sigma must be adjacent");

static const dcs_field lognormal_fields[] = {
    DCS_FIELD_NUM(lognormal_view, median, "median", DCS_UNIT_NUMBER, DCS_REQUIRED | DCS_MIN_EXCL,
                  NULL, 0, MAX_TOKENS, "median token count"),
    DCS_FIELD_NUM(lognormal_view, sigma, "sigma", DCS_UNIT_NUMBER, DCS_REQUIRED, NULL, 0, 10,
                  "standard deviation of ln(tokens)"),
};
static const dcs_schema lognormal_schema =
    DCS_SCHEMA("lognormal", lognormal_view, lognormal_fields, NULL,
               "A lognormal token count: round(exp(ln median + sigma Z)).");

static const dcs_field token_law_fields[] = {
    {"lognormal", DCS_F_MAP, DCS_UNIT_NUMBER, offsetof(dcs_token_law_spec, median), 0, 0, NULL,
     0, 0, NULL, &lognormal_schema, 0, 0, "a lognormal law {median, sigma}"},
    DCS_FIELD_NUMS(dcs_token_law_spec, quantiles, "quantiles", 0, 0, 1, MAX_TOKENS,
                   "or an empirical table: token counts at dcsim's 44 probabilities 0, 0.025, "
                   "..., 0.975, 0.99, 0.995, 0.999, 1 (docs/workloads.md), ascending"),
    DCS_FIELD_INT(dcs_token_law_spec, max_tokens, "max_tokens", 0, NULL, 1, MAX_TOKENS,
                  "largest count drawn (absent: the table's last value, else the model's "
                  "context window)"),
};
static const dcs_schema token_law_schema =
    DCS_SCHEMA("token law", dcs_token_law_spec, token_law_fields, check_token_law,
               "A token-count law: `{lognormal: {median: 760, sigma: 0.99}, max_tokens: "
               "14050}` or `{quantiles: [...44 counts...]}`.");

static const dcs_field token_profile_fields[] = {
    DCS_FIELD_STR(dcs_token_profile, name, "name", DCS_NAME_KEY, NULL, "the catalog key"),
    DCS_FIELD_NUM(dcs_token_profile, mean_rate_per_s, "mean_rate", DCS_UNIT_RATE, DCS_MIN_EXCL,
                  NULL, 0, MAX_RATE, "request rate of the traced service"),
    DCS_FIELD_MAP(dcs_token_profile, prompt, "prompt", DCS_REQUIRED, &token_law_schema,
                  "prompt (context) tokens"),
    DCS_FIELD_MAP(dcs_token_profile, output, "output", DCS_REQUIRED, &token_law_schema,
                  "output (generated) tokens"),
    DCS_FIELD_NUMS(dcs_token_profile, prompt_quantiles, "prompt_quantiles", 0, 0, 1, MAX_TOKENS,
                   "empirical prompt counts on dcsim's probability grid (as in a token law)"),
    DCS_FIELD_NUMS(dcs_token_profile, output_quantiles, "output_quantiles", 0, 0, 1, MAX_TOKENS,
                   "empirical output counts on dcsim's probability grid"),
    DCS_FIELD_STR(dcs_token_profile, source, "source", DCS_REQUIRED, NULL,
                  "the trace the numbers were fitted to"),
};
const dcs_schema dcs_scenario_token_profile_schema =
    DCS_SCHEMA("token profile", dcs_token_profile, token_profile_fields, check_token_profile,
               "An entry of the `token_profiles:` catalog (scenarios/catalog/workloads.yaml).");

static const dcs_field llm_fields[] = {
    DCS_FIELD_STR(dcs_llm_spec, name, "name", DCS_SCALAR_FORM, NULL,
                  "a name in the `models:` catalog; the numbers below override its entry"),
    DCS_FIELD_NUM(dcs_llm_spec, params, "params", DCS_UNIT_NUMBER, DCS_MIN_EXCL, NULL, 0,
                  MAX_PARAMS, "total parameters (required without a catalog name)"),
    DCS_FIELD_NUM(dcs_llm_spec, active_params, "active_params", DCS_UNIT_NUMBER, DCS_MIN_EXCL,
                  NULL, 0, MAX_PARAMS, "parameters used per token (absent: the entry's, else "
                  "params)"),
    DCS_FIELD_NUM(dcs_llm_spec, bytes_per_weight, "bytes_per_weight", DCS_UNIT_NUMBER,
                  DCS_MIN_EXCL, NULL, 0, 8, "bytes per weight (absent: the entry's, else 2 "
                  "for BF16, how models are published); 1 FP8, 0.5 4-bit"),
    DCS_FIELD_NUM(dcs_llm_spec, kv_bytes_per_token, "kv_bytes_per_token", DCS_UNIT_NUMBER,
                  DCS_MIN_EXCL, NULL, 0, 1e8, "KV-cache bytes of one token over all layers "
                  "(absent: from the entry's layers x 2 x kv_heads x head_dim x "
                  "kv_bytes_per_elem; without an entry left unset)"),
    DCS_FIELD_INT(dcs_llm_spec, gpus_per_replica, "gpus_per_replica", 0, "1", 1, 1024,
                  "accelerators per serving replica (default 1: the smallest replica; "
                  "large models must say how many they need)"),
};
static const dcs_schema llm_schema =
    DCS_SCHEMA("model", dcs_llm_spec, llm_fields, check_llm,
               "The served language model: a catalog name (`model: Llama-3.1-70B`), a "
               "name with overrides, or the numbers themselves.");

/* Defaults as dcs_serving_params_default (models/workload/serving_cost.c,
 * docs/workloads.md), where each is sourced; tests check they agree. */
static const dcs_field serving_fields[] = {
    DCS_FIELD_INT(dcs_serving_spec, max_batch, "max_batch", 0, "256", 1, 65536,
                  "running requests per replica (256: vLLM's max_num_seqs default; 1 = no "
                  "batching)"),
    DCS_FIELD_INT(dcs_serving_spec, prefill_chunk, "prefill_chunk", 0, "2048", 1, 1e6,
                  "prefill tokens per iteration (2048: chunked prefill as in Sarathi-Serve, "
                  "OSDI 2024, size an assumption)"),
    DCS_FIELD_INT(dcs_serving_spec, queue_capacity, "queue_capacity", 0, "4096", 1, 1e8,
                  "waiting requests per replica before new ones are dropped (4096: an "
                  "assumption)"),
    DCS_FIELD_NUM(dcs_serving_spec, compute_eff, "compute_eff", DCS_UNIT_FRACTION,
                  DCS_BARE_OK, "50 %", 0.001, 1, "achieved share of peak FLOP/s "
                  "(50 %: an assumption, serving model FLOP utilisation is 40-60 %)"),
    DCS_FIELD_NUM(dcs_serving_spec, mem_eff, "mem_eff", DCS_UNIT_FRACTION,
                  DCS_BARE_OK, "80 %", 0.001, 1, "achieved share of peak memory "
                  "bandwidth (80 %: an assumption)"),
    DCS_FIELD_DUR(dcs_serving_spec, wake_time, "wake_time", 0, "30 s", 0, 3600 * NS_S,
                  "scale-from-zero delay (30 s: an assumption, reload weights from NVMe and "
                  "start the engine)"),
    DCS_FIELD_ENUM(dcs_serving_spec, dispatch, "dispatch", 0, "least_loaded",
                   dcs_dispatch_names, "replica choice inside a site (least_loaded: the "
                   "fewest requests in flight, which queueing favours over round_robin)"),
};
static const dcs_schema serving_schema =
    DCS_SCHEMA("serving", dcs_serving_spec, serving_fields, NULL,
               "The continuous-batching engine of a workload's replicas (docs/workloads.md).");

static const dcs_field share_fields[] = {
    DCS_FIELD_STR(dcs_user_share_spec, user, "user", DCS_NAME_KEY, NULL, "a user region's name"),
    DCS_FIELD_NUM(dcs_user_share_spec, share, "share", DCS_UNIT_FRACTION,
                  DCS_SCALAR_FORM | DCS_BARE_OK, "1", 0, 1, "its share of the demand (shares "
                  "are normalised to sum 1; default 1: a list of names shares equally)"),
};
static const dcs_schema share_schema =
    DCS_SCHEMA("user share", dcs_user_share_spec, share_fields, NULL,
               "Demand by user region: `{us-east: 60 %, eu-west: 40 %}`, or names sharing "
               "equally: `[us-east, eu-west]`.");

/* Neutral defaults: a scenario gets no diurnal, weekly, growth or burst
 * pattern it did not write. */
static const dcs_field burst_fields[] = {
    DCS_FIELD_NUM(dcs_burst_spec, factor, "factor", DCS_UNIT_NUMBER, 0, "1", 1, 100,
                  "rate in a burst over the rate between bursts (default 1: no bursts)"),
    DCS_FIELD_DUR(dcs_burst_spec, mean_on, "mean_on", DCS_MIN_EXCL, "1 min", 0, NS_D,
                  "mean burst length (1 min: an assumption, used only with factor > 1)"),
    DCS_FIELD_DUR(dcs_burst_spec, mean_off, "mean_off", DCS_MIN_EXCL, "10 min", 0, NS_D,
                  "mean time between bursts (10 min: an assumption, used only with factor > "
                  "1)"),
};
static const dcs_schema burst_schema =
    DCS_SCHEMA("burst", dcs_burst_spec, burst_fields, NULL,
               "Markov-modulated bursts; the long-run mean rate is kept (docs/workloads.md).");

static const dcs_field arrivals_fields[] = {
    DCS_FIELD_ENUM(dcs_arrivals_spec, process, "process", 0, "poisson", process_names,
                   "poisson (constant rate; the default, the simplest), diurnal_poisson (daily "
                   "and weekly profile) or trace (replay an Azure LLM trace)"),
    DCS_FIELD_NUM(dcs_arrivals_spec, mean_rate_per_s, "mean_rate", DCS_UNIT_RATE, DCS_MIN_EXCL,
                  NULL, 0, MAX_RATE, "long-run mean request rate (required unless process: "
                  "trace)"),
    DCS_FIELD_NUM(dcs_arrivals_spec, peak_to_mean, "peak_to_mean", DCS_UNIT_NUMBER, 0, "1",
                  1, 2, "daily peak rate over the mean (diurnal_poisson; default 1: flat; at "
                  "most 2 so the cosine profile stays positive)"),
    DCS_FIELD_NUM(dcs_arrivals_spec, peak_hour, "peak_hour", DCS_UNIT_NUMBER, 0, "14", 0, 24,
                  "hour of day (UTC of the run's clock) of the daily peak (14: an assumption, "
                  "mid-afternoon)"),
    DCS_FIELD_NUM(dcs_arrivals_spec, weekend_factor, "weekend_factor", DCS_UNIT_NUMBER, 0, "1",
                  0, 3.5, "weekend rate over the weekly mean (default 1: no weekly pattern; at "
                  "most 3.5 so weekdays keep a rate)"),
    DCS_FIELD_NUM(dcs_arrivals_spec, growth_per_year, "growth", DCS_UNIT_FRACTION, DCS_BARE_OK,
                  "0 %", -0.99, 100, "rate growth per year, compounded (default 0 %: none; above "
                  "-100 % so the rate stays positive)"),
    DCS_FIELD_MAP(dcs_arrivals_spec, burst, "burst", 0, &burst_schema, "bursty traffic"),
    DCS_FIELD_STR(dcs_arrivals_spec, trace, "trace", 0, NULL,
                  "an Azure LLM inference trace CSV (timestamp, context and generated "
                  "tokens), relative to the scenario (process: trace)"),
    DCS_FIELD_NUM(dcs_arrivals_spec, time_scale, "time_scale", DCS_UNIT_NUMBER, DCS_MIN_EXCL,
                  "1", 0, 1e6, "trace time stretch: 2 replays at half the rate (default 1: as "
                  "recorded)"),
    DCS_FIELD_BOOL(dcs_arrivals_spec, loop, "loop", 0, "false",
                   "repeat the trace to fill the run (default false: replay once, as "
                   "recorded)"),
    DCS_FIELD_DICT(dcs_arrivals_spec, users, "users", 0, &share_schema,
                   "demand by user region (absent: every region, equal shares)"),
};
static const dcs_schema arrivals_schema =
    DCS_SCHEMA("arrivals", dcs_arrivals_spec, arrivals_fields, NULL, "How requests arrive.");

static const dcs_field tokens_fields[] = {
    DCS_FIELD_STR(dcs_tokens_spec, profile, "profile", DCS_SCALAR_FORM, NULL,
                  "a name in the `token_profiles:` catalog"),
    DCS_FIELD_BOOL(dcs_tokens_spec, quantiles, "quantiles", 0, "false",
                   "use the profile's empirical quantile tables (default false: its lognormal "
                   "fits)"),
    DCS_FIELD_MAP(dcs_tokens_spec, prompt, "prompt", 0, &token_law_schema,
                  "prompt tokens (instead of a profile)"),
    DCS_FIELD_MAP(dcs_tokens_spec, output, "output", 0, &token_law_schema,
                  "output tokens (instead of a profile)"),
};
static const dcs_schema tokens_schema =
    DCS_SCHEMA("tokens", dcs_tokens_spec, tokens_fields, check_tokens,
               "Token counts of requests: a profile name (`tokens: azure-conv-2023`), "
               "`{profile: NAME, quantiles: true}`, or `{prompt: LAW, output: LAW}`.");

static const dcs_field slo_fields[] = {
    DCS_FIELD_DUR(dcs_slo_spec, ttft, "ttft", DCS_MIN_EXCL, NULL, 0, 3600 * NS_S,
                  "time-to-first-token objective, network included (absent: not checked)"),
    DCS_FIELD_DUR(dcs_slo_spec, tpot, "tpot", DCS_MIN_EXCL, NULL, 0, 60 * NS_S,
                  "time-per-output-token objective (absent: not checked)"),
    DCS_FIELD_DUR(dcs_slo_spec, e2e, "e2e", DCS_MIN_EXCL, NULL, 0, NS_D,
                  "end-to-end latency objective, network included (absent: not checked)"),
};
static const dcs_schema slo_schema =
    DCS_SCHEMA("slo", dcs_slo_spec, slo_fields, NULL, "Latency objectives of a workload.");

static const dcs_field jobs_fields[] = {
    DCS_FIELD_INT(dcs_jobs_spec, count, "count", 0, NULL, 1, 1e6,
                  "number of jobs (required without a trace)"),
    DCS_FIELD_INT(dcs_jobs_spec, gpus, "gpus", 0, NULL, 1, 1e6,
                  "accelerators per job, gang-scheduled (required without a trace)"),
    DCS_FIELD_DUR(dcs_jobs_spec, work, "work", DCS_MIN_EXCL, NULL, 0, 10 * NS_Y,
                  "run time of a job at full speed (required without a trace)"),
    DCS_FIELD_DUR(dcs_jobs_spec, slack, "slack", 0, NULL, 0, 10 * NS_Y,
                  "deadline = submission + work + slack (absent: no deadline)"),
    DCS_FIELD_DUR(dcs_jobs_spec, every, "every", 0, "0 s", 0, 10 * NS_Y,
                  "submission interval (default 0 s: all submitted at the start)"),
    DCS_FIELD_DUR(dcs_jobs_spec, checkpoint_every, "checkpoint_every", 0, NULL, 0, NS_Y,
                  "checkpoint period of run time (absent: no checkpoints)"),
    DCS_FIELD_DUR(dcs_jobs_spec, restart_cost, "restart_cost", 0, "0 s", 0, NS_D,
                  "restore time after a preemption (default 0 s: none unless stated)"),
    DCS_FIELD_BOOL(dcs_jobs_spec, preemptible, "preemptible", 0, "false",
                   "may be stopped and resumed from its checkpoint (default false: the safe "
                   "assumption for a job that did not say)"),
    DCS_FIELD_BOOL(dcs_jobs_spec, deferrable, "deferrable", 0, "false",
                   "a temporal policy may delay or pause it within its deadline (default "
                   "false: work runs when submitted unless its owner allows otherwise)"),
    DCS_FIELD_NUM(dcs_jobs_spec, gpu_util, "gpu_util", DCS_UNIT_FRACTION, DCS_BARE_OK, "90 %",
                  0, 1, "busy share of a running job's GPUs, for power (90 %: an assumption, "
                  "large training keeps GPUs busy but for communication and input stalls)"),
    DCS_FIELD_STR(dcs_jobs_spec, trace, "trace", 0, NULL,
                  "a job file instead of count, gpus and work, relative to the scenario"),
    DCS_FIELD_ENUM(dcs_jobs_spec, trace_format, "format", 0, "csv",
                   dcs_job_trace_format_names, "format of `trace`: csv (dcsim's "
                   "id,submit_s,gpus,work_s,...; the default, the documented one) or alibaba "
                   "(cluster-trace-gpu-v2020)"),
};
static const dcs_schema jobs_schema =
    DCS_SCHEMA("jobs", dcs_jobs_spec, jobs_fields, check_jobs, "Training or batch jobs.");

static const dcs_field workload_fields[] = {
    DCS_FIELD_STR(dcs_workload_spec, name, "name", DCS_REQUIRED, NULL, "unique workload name"),
    DCS_FIELD_ENUM(dcs_workload_spec, kind, "kind", DCS_REQUIRED, NULL, dcs_workload_kind_names,
                   "what the workload is"),
    DCS_FIELD_MAP(dcs_workload_spec, model, "model", 0, &llm_schema,
                  "the served model (inference)"),
    DCS_FIELD_MAP(dcs_workload_spec, fallback_model, "fallback_model", 0, &llm_schema,
                  "a smaller model its replicas switch to while their site is degraded "
                  "(inference; policy.degrade.fallback; docs/fallback.md): same keys as "
                  "model, run on the workload's own GPUs per replica"),
    DCS_FIELD_MAP(dcs_workload_spec, serving, "serving", 0, &serving_schema,
                  "the serving engine of its replicas (inference)"),
    DCS_FIELD_MAP(dcs_workload_spec, arrivals, "arrivals", 0, &arrivals_schema,
                  "request arrivals (inference)"),
    DCS_FIELD_MAP(dcs_workload_spec, tokens, "tokens", 0, &tokens_schema,
                  "prompt and output token counts (inference)"),
    DCS_FIELD_MAP(dcs_workload_spec, slo, "slo", 0, &slo_schema, "latency objectives"),
    DCS_FIELD_MAP(dcs_workload_spec, jobs, "jobs", 0, &jobs_schema, "jobs (training, batch)"),
    DCS_FIELD_STRS(dcs_workload_spec, allowed_sites, "allowed_sites", 0,
                   "sites the workload may run in (absent: all)"),
    DCS_FIELD_ENUM(dcs_workload_spec, priority, "priority", 0, "normal", dcs_priority_names,
                   "low marks sheddable load (a free tier, internal batch traffic) that "
                   "`policy.degrade.low_priority` may shed or hold while a site is degraded "
                   "(inference; default normal: served like any other)"),
};
const dcs_schema dcs_scenario_workload_schema =
    DCS_SCHEMA("workload", dcs_workload_spec, workload_fields, check_workload,
               "Work submitted to the fleet.");

/* Defaults as dcs_policy_params_default (models/policy/policy.c, where each
 * is argued); tests check they agree. */
static const dcs_field policy_params_fields[] = {
    DCS_FIELD_NUM(dcs_policy_params_spec, price_weight, "price_weight", DCS_UNIT_NUMBER, 0, "0",
                  0, 1e6, "geolocation: gCO2/kWh counted per USD/MWh of price (default 0: "
                  "carbon alone decides)"),
    DCS_FIELD_NUM(dcs_policy_params_spec, fill_max, "fill_max", DCS_UNIT_FRACTION,
                  DCS_BARE_OK | DCS_MIN_EXCL, "90 %", 0, 1, "geolocation: fill a site to this "
                  "share of its capacity (90 %: queueing delay grows steeply near full)"),
    DCS_FIELD_NUM(dcs_policy_params_spec, latency_target_s, "latency_target", DCS_UNIT_DURATION,
                  0, "0 s", 0, 3600 * NS_S, "power_cap: p99 latency to hold (default 0 s: "
                  "hold only the power limit)"),
    DCS_FIELD_NUM(dcs_policy_params_spec, cap_gain, "cap_gain", DCS_UNIT_NUMBER, 0, "0.5", 0, 10,
                  "power_cap: relative cap change per relative p99 error (0.5: follows a "
                  "diurnal load without oscillating on one noisy p99)"),
    DCS_FIELD_NUM(dcs_policy_params_spec, power_margin, "power_margin", DCS_UNIT_FRACTION,
                  DCS_BARE_OK, "5 %", 0, 0.99, "power_cap: share of the power limit kept free "
                  "(5 %: one period's load rise stays under the limit)"),
    DCS_FIELD_NUM(dcs_policy_params_spec, util_target, "util_target", DCS_UNIT_FRACTION,
                  DCS_BARE_OK | DCS_MIN_EXCL, "70 %", 0, 1, "consolidate: utilisation of "
                  "kept replicas (70 %: room for load to rise while replicas wake)"),
    DCS_FIELD_INT(dcs_policy_params_spec, min_replicas, "min_replicas", 0, "1", 0, 1e6,
                  "consolidate: replicas kept awake per site with load (1: a first request "
                  "does not wait a wake-up; 0 = scale to zero)"),
    DCS_FIELD_DUR(dcs_policy_params_spec, hold, "hold", 0, "10 min", 0, NS_D,
                  "consolidate: how long load stays low before replicas go down (10 min: "
                  "short lulls do not cycle replicas)"),
};
static const dcs_schema policy_params_schema =
    DCS_SCHEMA("policy params", dcs_policy_params_spec, policy_params_fields, check_policy_params,
               "Parameters of the built-in policies (docs/policies.md).");

static const dcs_field rl_period_fields[] = {
    DCS_FIELD_STR(dcs_rl_period_spec, from, "from", 0, NULL, "first day, YYYY-MM-DD (UTC)"),
    DCS_FIELD_STR(dcs_rl_period_spec, to, "to", 0, NULL,
                  "the day after the last one, YYYY-MM-DD (UTC, exclusive)"),
};
static const dcs_schema rl_period_schema =
    DCS_SCHEMA("rl period", dcs_rl_period_spec, rl_period_fields, check_rl_period,
               "A period of the signals, `{from: 2023-06-01, to: 2023-07-01}`.");

static const dcs_field rl_reward_fields[] = {
    DCS_FIELD_NUM(dcs_rl_reward_spec, energy, "energy", DCS_UNIT_NUMBER, 0, "1", 0, 1000,
                  "weight of facility energy relative to the baseline's (1: energy, carbon "
                  "and SLA count alike unless the scenario says otherwise)"),
    DCS_FIELD_NUM(dcs_rl_reward_spec, carbon, "carbon", DCS_UNIT_NUMBER, 0, "1", 0, 1000,
                  "weight of location-based carbon relative to the baseline's"),
    DCS_FIELD_NUM(dcs_rl_reward_spec, cost, "cost", DCS_UNIT_NUMBER, 0, "0", 0, 1000,
                  "weight of energy cost relative to the baseline's (0: cost not rewarded)"),
    DCS_FIELD_NUM(dcs_rl_reward_spec, sla, "sla", DCS_UNIT_NUMBER, 0, "1", 0, 1000,
                  "weight of the SLA-violation share relative to the baseline's (floored at "
                  "1 %, docs/rl.md)"),
};
static const dcs_schema rl_reward_schema =
    DCS_SCHEMA("rl reward", dcs_rl_reward_spec, rl_reward_fields, check_rl_reward,
               "Reward weights: return = -sum of weight x metric / baseline's metric.");

static const dcs_field rl_fields[] = {
    DCS_FIELD_MAP(dcs_rl_spec, train, "train", 0, &rl_period_schema,
                  "days training episodes are drawn from"),
    DCS_FIELD_MAP(dcs_rl_spec, evaluate, "evaluate", 0, &rl_period_schema,
                  "held-out days for judging the trained policy (never trained on)"),
    DCS_FIELD_DUR(dcs_rl_spec, episode, "episode", DCS_MIN_EXCL, "1 d", 0, 31 * NS_D,
                  "length of one training episode (1 d: a whole diurnal cycle of load and "
                  "carbon)"),
    DCS_FIELD_MAP(dcs_rl_spec, reward, "reward", 0, &rl_reward_schema, "reward weights"),
    DCS_FIELD_ENUM(dcs_rl_spec, baseline, "baseline", 0, "geolocation", dcs_placement_names,
                   "hand placement each episode's metrics are divided by (geolocation: the "
                   "policy the learned one must beat)"),
    DCS_FIELD_INT(dcs_rl_spec, generations, "generations", 0, "30", 1, 10000,
                  "evolution-strategy generations (30: about 3 minutes for scenarios/rl.yaml "
                  "on 2 cores, docs/rl.md)"),
    DCS_FIELD_INT(dcs_rl_spec, population, "population", 0, "8", 1, 1000,
                  "antithetic perturbation pairs per generation (8: 16 episodes, a multiple "
                  "of the threads)"),
    DCS_FIELD_INT(dcs_rl_spec, hidden, "hidden", 0, "0", 0, DCS_RL_MAX_HIDDEN_UNITS,
                  "tanh units of the scoring network (0: linear in the features)"),
    DCS_FIELD_BOOL(dcs_rl_spec, replicas, "replicas", 0, "false",
                   "also learn the replicas kept per site (a target utilisation per site; "
                   "false: placement only, replicas stay with the power policies)"),
    DCS_FIELD_BOOL(dcs_rl_spec, caps, "caps", 0, "false",
                   "also learn the power cap of each site's clusters (the cap head; the policy "
                   "file must have it; power policies after rl may overwrite the caps; false: "
                   "caps stay with the power policies)"),
    DCS_FIELD_NUM(dcs_rl_spec, sigma, "sigma", DCS_UNIT_NUMBER, DCS_MIN_EXCL, "0.3", 0, 10,
                  "perturbation size in weight units (features are normalised to std 1; "
                  "0.3 moves a softmax share noticeably)"),
    DCS_FIELD_NUM(dcs_rl_spec, learning_rate, "learning_rate", DCS_UNIT_NUMBER, DCS_MIN_EXCL,
                  "0.1", 0, 10, "Adam step size in weight units"),
};
static const dcs_schema rl_schema =
    DCS_SCHEMA("policy rl", dcs_rl_spec, rl_fields, check_rl,
               "Training of placement: rl by `dcsim train` (docs/rl.md).");

/* The causes as a set: each once, at least one. */
static void check_degrade(void *obj, dcs_schema_ctx *c)
{
    dcs_degrade_spec *g = obj;
    if (!dcs_schema_given(c, g, "when")) {
        g->when_mask = 1u << DCS_DEGRADE_FAULT | 1u << DCS_DEGRADE_THROTTLE;
        return;
    }
    if (g->nwhen == 0)
        dcs_schema_error(c, g, "when", "when: name at least one cause (fault, throttle, "
                         "overload); to leave low-priority load alone, use low_priority: serve");
    g->when_mask = 0;
    for (size_t i = 0; i < g->nwhen; i++) {
        if (g->when_mask & 1u << g->when[i])
            dcs_schema_error(c, g, "when", "when: '%s' is listed twice",
                             dcs_degrade_cause_names[g->when[i]]);
        g->when_mask |= 1u << g->when[i];
    }
}

static const dcs_field degrade_fields[] = {
    DCS_FIELD_ENUMS(dcs_degrade_spec, when, "when", 0, 3, dcs_degrade_cause_names,
                    "what makes a site degraded: a cause or a list (absent: [fault, throttle], "
                    "the two a site's own sensors see at once; overload adds the share of "
                    "completions breaking their SLO)"),
    DCS_FIELD_NUM(dcs_degrade_spec, overload_violations, "overload_violations",
                  DCS_UNIT_FRACTION, DCS_BARE_OK, "5 %", 0, 1,
                  "overload: degraded while more than this share of the site's completions in "
                  "the last control period broke their SLO (5 %: an assumption, five times a "
                  "99th-percentile objective's 1 %, so one slow period does not trip it)"),
    DCS_FIELD_ENUM(dcs_degrade_spec, low_priority, "low_priority", 0, "serve",
                   dcs_low_priority_names, "what a degraded site does with arrivals of "
                   "`priority: low` workloads: serve, shed (drop), or queue (hold, then serve "
                   "on recovery; default serve: nothing changes unless asked)"),
    DCS_FIELD_INT(dcs_degrade_spec, hold_limit, "hold_limit", 0, "100000", 0, 1e9,
                  "low-priority requests a site holds when queueing; beyond it they are shed "
                  "(100000: an assumption, an hour of a 28 requests/s tier, a few hundred MB "
                  "of prompts)"),
    DCS_FIELD_BOOL(dcs_degrade_spec, fallback, "fallback", 0, "true",
                   "workloads that name a `fallback_model` switch to it while their site is "
                   "degraded (default true: naming one asks for it)"),
};
static const dcs_schema degrade_schema =
    DCS_SCHEMA("policy degrade", dcs_degrade_spec, degrade_fields, check_degrade,
               "Graceful degradation (docs/degradation.md): when a site is degraded and what "
               "happens to low-priority load meanwhile.");

static const dcs_field policy_fields[] = {
    DCS_FIELD_ENUM(dcs_policy_spec, placement, "placement", 0, "round_robin",
                   dcs_placement_names, "where requests and jobs go (default round_robin: "
                   "the policy that uses no signal)"),
    DCS_FIELD_ENUMS(dcs_policy_spec, power, "power", 0, 2, power_names,
                    "power management: a name or a list of up to 2 (absent or none: none)"),
    DCS_FIELD_ENUM(dcs_policy_spec, temporal, "temporal", 0, "none", temporal_names,
                   "shifting deferrable work in time (default none: jobs start when "
                   "submitted)"),
    DCS_FIELD_DUR(dcs_policy_spec, control_period, "control_period", DCS_MIN_EXCL, "60 s", 0,
                  NS_D, "how often the policy recomputes its decisions (60 s: an assumption, "
                  "short against diurnal change, long against one request)"),
    DCS_FIELD_MAP(dcs_policy_spec, params, "params", 0, &policy_params_schema,
                  "parameters of the policies"),
    DCS_FIELD_STR(dcs_policy_spec, rl_policy, "rl_policy", 0, NULL,
                  "policy file for placement: rl, relative to the scenario"),
    DCS_FIELD_MAP(dcs_policy_spec, rl, "rl", 0, &rl_schema,
                  "training settings of placement: rl (`dcsim train`)"),
    DCS_FIELD_MAP(dcs_policy_spec, degrade, "degrade", 0, &degrade_schema,
                  "graceful degradation: shed or queue low-priority load at degraded sites"),
};
const dcs_schema dcs_scenario_policy_schema =
    DCS_SCHEMA("policy", dcs_policy_spec, policy_fields, check_policy,
               "Scheduling policies, by name: a placement, up to two power policies and a "
               "temporal one.");
