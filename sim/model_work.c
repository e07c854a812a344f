/*
 * model_work.c - a scenario's users, workloads, jobs and policies assembled
 * into the run-wide workload config (work.h), the site pools and jobs
 * (site.h), the control bus and the controller LP (control.h).
 *
 * Choices made here, each documented in docs/model.md:
 *   - regions are the scenario's `users:` in order; a scenario with
 *     inference workloads and no users gets one region, "local", 0 ms from
 *     every site;
 *   - a workload's rate profile starts at the time of week of the run's
 *     start (1970-01-01 was a Thursday);
 *   - jobs of a workload are submitted every `every` from t = 0 and placed
 *     round robin over the allowed sites whose GPUs left free by replicas
 *     can hold them (the first such site after the previous job's);
 *   - a token law without max_tokens is clamped at the model's context
 *     window (8192 when the model does not say).
 */
#include "model_internal.h"
#include "scenario_internal.h"
#include "dcsim/fluid.h"
#include "dcsim/rl.h"
#include "dcsim/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_TOKENS 8192
#define WEEK_S (7 * 86400)
/* 1970-01-01 00:00 UTC was a Thursday: Monday 00:00 was 3 days before. */
#define EPOCH_WEEK_OFFSET_S (3 * 86400)

static int site_index(const dcs_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nsites; i++)
        if (strcmp(s->sites[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void token_law(const dcs_token_law_spec *l, int64_t fallback_max, dcs_token_dist *out)
{
    memset(out, 0, sizeof *out);
    out->max_tokens = (int32_t)(l->max_tokens > 0 ? l->max_tokens : fallback_max);
    if (l->quantiles && l->nquantiles >= 2) {
        double probs[DCS_TOKENS_TABLE_MAX];
        int k = dcs_tokens_table_probs(probs);
        int n = (int)l->nquantiles < k ? (int)l->nquantiles : k;
        out->n_quantiles = n;
        for (int i = 0; i < n; i++) {
            out->probs[i] = probs[i];
            out->quantiles[i] = l->quantiles[i];
        }
        if (l->max_tokens <= 0)
            out->max_tokens = (int32_t)ceil(l->quantiles[n - 1]);
    } else {
        out->median = l->median;
        out->sigma = l->sigma;
    }
}

static dcs_status build_workload(const dcs_scenario *s, const char *scenario_path, size_t i,
                                 dcs_model_work *mw, dcs_diag *d)
{
    const dcs_workload_spec *w = &s->workloads[i];
    dcs_work_wl *wl = &mw->wl[i];
    wl->name = w->name;
    wl->kind = w->kind;
    for (size_t k = 0; k < s->nsites; k++)
        wl->allowed[k] = w->nallowed_sites == 0;
    for (size_t k = 0; k < w->nallowed_sites; k++) {
        int si = site_index(s, w->allowed_sites[k]);
        if (si >= 0)
            wl->allowed[si] = true;
    }
    wl->low_priority = w->priority == DCS_PRIORITY_LOW;
    if (w->kind != DCS_WORKLOAD_INFERENCE) {
        wl->deferrable = w->jobs.deferrable;
        wl->job_gpu_util = isnan(w->jobs.gpu_util) ? 1.0 : w->jobs.gpu_util;
        return DCS_OK;
    }
    wl->slo = (dcs_slo){dcs_time_to_s(w->slo.ttft), dcs_time_to_s(w->slo.tpot),
                        dcs_time_to_s(w->slo.e2e)};
    int64_t context = w->model.entry && w->model.entry->context_tokens > 0
                          ? w->model.entry->context_tokens
                          : DEFAULT_MAX_TOKENS;
    /* The checker copied a profile's laws into tokens.prompt/output. */
    token_law(&w->tokens.prompt, context, &wl->prompt);
    token_law(&w->tokens.output, context, &wl->output);
    const dcs_arrivals_spec *a = &w->arrivals;
    int nreg = mw->cfg.nregions;
    if (a->nusers == 0) {
        for (int r = 0; r < nreg; r++)
            wl->region_share[r] = 1.0 / nreg;
    } else {
        for (size_t k = 0; k < a->nusers; k++)   /* resolved and normalised by the checker */
            wl->region_share[a->users[k].user_index] += a->users[k].share;
    }
    wl->dispatch = w->serving.dispatch == 1 ? DCS_DISPATCH_ROUND_ROBIN : DCS_DISPATCH_LEAST_LOADED;
    wl->burst = (dcs_burst_params){a->burst.factor > 1 ? a->burst.factor : 1.0,
                                   dcs_time_to_s(a->burst.mean_on),
                                   dcs_time_to_s(a->burst.mean_off)};
    if (a->process == DCS_ARRIVALS_TRACE) {
        char path[4096];
        dcs_model_resolve_path(scenario_path, a->trace, path, sizeof path);
        dcs_status st = dcs_llm_trace_load(path, d, &mw->traces[i]);
        if (st != DCS_OK)
            return DCS_EINPUT;
        wl->from_trace = true;
        wl->trace = &mw->traces[i];
        wl->time_scale = a->time_scale > 0 ? a->time_scale : 1.0;
        wl->loop = a->loop;
        return DCS_OK;
    }
    int64_t week_s = (s->start_utc_s + EPOCH_WEEK_OFFSET_S) % WEEK_S;
    wl->rate = (dcs_rate_profile){
        .mean_rate = a->mean_rate_per_s,
        .peak_to_mean = a->process == DCS_ARRIVALS_DIURNAL_POISSON ? a->peak_to_mean : 1.0,
        .peak_hour = a->peak_hour,
        .weekend_factor = isnan(a->weekend_factor) ? 1.0 : a->weekend_factor,
        .growth_per_year = isnan(a->growth_per_year) ? 0.0 : a->growth_per_year,
        .start_s = (double)(week_s < 0 ? week_s + WEEK_S : week_s)};
    const char *why = dcs_arrivals_problem(&wl->rate, &wl->burst);
    if (why) {
        dcs_diag_error(d, dcs_scenario_loc(s, "workloads[%zu].arrivals", i), "workload '%s': %s",
                       w->name, why);
        return DCS_EINPUT;
    }
    return DCS_OK;
}

/* policy.degrade: the checker set when_mask when the map was written; an
 * absent map has the default causes (fault and throttle). */
static void build_degrade(const dcs_degrade_spec *g, dcs_work_degrade *out)
{
    unsigned m = g->when_mask ? g->when_mask
                              : 1u << DCS_DEGRADE_FAULT | 1u << DCS_DEGRADE_THROTTLE;
    out->when = (m & 1u << DCS_DEGRADE_FAULT ? DCS_WORK_DEGRADE_FAULT : 0u) |
                (m & 1u << DCS_DEGRADE_THROTTLE ? DCS_WORK_DEGRADE_THROTTLE : 0u) |
                (m & 1u << DCS_DEGRADE_OVERLOAD ? DCS_WORK_DEGRADE_OVERLOAD : 0u);
    out->overload_violations = g->overload_violations;
    out->low_priority = g->low_priority == DCS_LOW_SHED    ? DCS_WORK_LOW_SHED
                        : g->low_priority == DCS_LOW_QUEUE ? DCS_WORK_LOW_QUEUE
                                                           : DCS_WORK_LOW_SERVE;
    out->hold_limit = g->hold_limit;
    out->fallback = g->fallback;
}

/* Pools of site i: one per (cluster, workload) replicas entry. */
static dcs_status build_pools(const dcs_scenario *s, size_t i,
                              dcs_model_site *ms, dcs_diag *d)
{
    const dcs_site_spec *sp = &s->sites[i];
    size_t n = 0;
    for (size_t j = 0; j < sp->nclusters; j++)
        n += sp->clusters[j].nreplicas;
    ms->pools = dcs_xcalloc(n ? n : 1, sizeof *ms->pools);
    n = 0;
    for (size_t j = 0; j < sp->nclusters; j++) {
        const dcs_cluster_spec *cs = &sp->clusters[j];
        for (size_t k = 0; k < cs->nreplicas; k++) {
            const dcs_replicas_spec *r = &cs->replicas[k];
            if (r->count <= 0)
                continue;
            dcs_site_pool *p = &ms->pools[n++];
            p->workload = r->workload_index;
            p->cluster = j;
            p->replicas = (int)r->count;
            dcs_scenario_serving_params(&s->workloads[r->workload_index], cs->accel, &p->serving);
            const char *why = dcs_serving_params_problem(&p->serving);
            if (why) {
                dcs_diag_error(d, dcs_scenario_loc(s, "sites[%zu].clusters[%zu].replicas[%zu]",
                                                   i, j, k),
                               "workload '%s' on cluster '%s' of site '%s': %s",
                               s->workloads[r->workload_index].name, cs->name, sp->name, why);
                return DCS_EINPUT;
            }
            const dcs_workload_spec *w = &s->workloads[r->workload_index];
            if (w->has_fallback) {
                /* Same GPUs and engine, the other model's numbers. */
                const dcs_llm_spec *f = &w->fallback_model;
                p->has_fallback = true;
                p->fallback = p->serving;
                p->fallback.model = (dcs_llm_model){f->params, f->active_params,
                                                    f->bytes_per_weight, f->kv_bytes_per_token};
                why = dcs_serving_params_problem(&p->fallback);
                if (why) {
                    dcs_diag_error(d, dcs_scenario_loc(s, "workloads[%d].fallback_model",
                                                       r->workload_index),
                                   "fallback_model of '%s' on cluster '%s' of site '%s': %s",
                                   w->name, cs->name, sp->name, why);
                    return DCS_EINPUT;
                }
            }
        }
    }
    ms->cfg.pools = ms->pools;
    ms->cfg.npools = n;
    return DCS_OK;
}

/* GPUs of site i not held by replicas. */
static int64_t free_gpus(const dcs_scenario *s, size_t i)
{
    const dcs_site_spec *sp = &s->sites[i];
    int64_t g = 0;
    for (size_t j = 0; j < sp->nclusters; j++) {
        const dcs_cluster_spec *cs = &sp->clusters[j];
        g += cs->nodes * cs->gpus_per_node;
        for (size_t k = 0; k < cs->nreplicas; k++)
            g -= cs->replicas[k].count *
                 s->workloads[cs->replicas[k].workload_index].model.gpus_per_replica;
    }
    return g;
}

/* The jobs of workload w (generated or read from its trace) appended to
 * *list. */
static dcs_status workload_jobs(const dcs_scenario *s, const char *scenario_path, size_t w,
                                dcs_job_list *list, dcs_diag *d)
{
    const dcs_jobs_spec *js = &s->workloads[w].jobs;
    memset(list, 0, sizeof *list);
    if (js->trace) {
        char path[4096];
        dcs_model_resolve_path(scenario_path, js->trace, path, sizeof path);
        dcs_status st = js->trace_format == 1 ? dcs_jobs_load_alibaba(path, d, list)
                                              : dcs_jobs_load_csv(path, d, list);
        return st == DCS_OK ? DCS_OK : DCS_EINPUT;
    }
    list->n = (size_t)js->count;
    list->v = dcs_xcalloc(list->n ? list->n : 1, sizeof *list->v);
    for (size_t k = 0; k < list->n; k++) {
        dcs_job *j = &list->v[k];
        j->gpus = (int32_t)js->gpus;
        j->gpu_frac = 1.0;
        if (!dcs_time_mul(js->every, (int64_t)k, &j->submit))
            j->submit = DCS_TIME_MAX;      /* past any run's end: never submitted */
        j->work = js->work;
        j->deadline = js->has_deadline
                          ? dcs_time_add_sat(dcs_time_add_sat(j->submit, js->work), js->slack)
                          : DCS_TIME_MAX;
        j->checkpoint_every = js->checkpoint_every;
        j->restart_cost = js->restart_cost;
        j->preemptible = js->preemptible;
    }
    return DCS_OK;
}

static dcs_status build_jobs(const dcs_scenario *s, const char *scenario_path, dcs_model *m,
                             dcs_diag *d)
{
    dcs_model_work *mw = &m->work;
    size_t nsites = s->nsites;
    int64_t *room = dcs_xcalloc(nsites, sizeof *room);
    size_t *count = dcs_xcalloc(nsites, sizeof *count);
    for (size_t i = 0; i < nsites; i++) {
        room[i] = free_gpus(s, i);
        m->sites[i].jobs = dcs_xcalloc(1, sizeof *m->sites[i].jobs);
    }
    dcs_status st = DCS_OK;
    int slots = 0;
    for (size_t w = 0; w < s->nworkloads && st == DCS_OK; w++) {
        if (s->workloads[w].kind == DCS_WORKLOAD_INFERENCE)
            continue;
        dcs_job_list list;
        st = workload_jobs(s, scenario_path, w, &list, d);
        size_t cursor = 0;
        for (size_t k = 0; k < list.n && st == DCS_OK; k++) {
            dcs_job j = list.v[k];
            size_t site = nsites;
            for (size_t t = 0; t < nsites; t++) {
                size_t c = (cursor + t) % nsites;
                if (mw->wl[w].allowed[c] && room[c] >= j.gpus) {
                    site = c;
                    break;
                }
            }
            if (site == nsites) {
                /* A row of the job file, or the scenario's `gpus`. */
                char path[4096];
                dcs_loc at = dcs_scenario_loc(s, "workloads[%zu].jobs.gpus", w);
                if (list.line && s->workloads[w].jobs.trace) {
                    dcs_model_resolve_path(scenario_path, s->workloads[w].jobs.trace, path,
                                           sizeof path);
                    at = (dcs_loc){path, list.line[k], 1};
                }
                dcs_diag_error(d, at,
                               "job %zu of workload '%s' needs %d GPUs; no allowed site has "
                               "that many free of replicas", k, s->workloads[w].name, j.gpus);
                st = DCS_EINPUT;
                break;
            }
            cursor = site + 1;
            j.id = mw->njobs++;
            dcs_model_site *ms = &m->sites[site];
            ms->jobs = dcs_xrealloc(ms->jobs, (count[site] + 1) * sizeof *ms->jobs);
            int slot = mw->wl[w].deferrable && slots < DCS_POLICY_MAX_JOBS ? slots++ : -1;
            ms->jobs[count[site]++] = (dcs_site_job){j, (int)w, slot};
        }
        dcs_job_list_free(&list);
    }
    for (size_t i = 0; i < nsites; i++) {
        m->sites[i].cfg.jobs = m->sites[i].jobs;
        m->sites[i].cfg.njobs = count[i];
    }
    free(room);
    free(count);
    return st;
}

static dcs_policy *policy_named(const char *name, const dcs_policy_params *p, dcs_status *st)
{
    const dcs_policy_type *t = dcs_registry_find(&dcs_policy_types, name);
    if (!t) {
        *st = DCS_EINPUT;
        return NULL;
    }
    int ps = DCS_OK;
    dcs_policy *pol = dcs_policy_alloc(t, p, &ps);
    if (!pol)
        *st = ps == DCS_ENOMEM ? DCS_ENOMEM : DCS_EINPUT;
    return pol;
}

static dcs_status build_stack(const dcs_scenario *s, const char *scenario_path, dcs_model_work *mw,
                              dcs_diag *d)
{
    const dcs_policy_spec *ps = &s->policy;
    dcs_policy_params p = dcs_policy_params_default();
    /* placement: rl takes its network from memory (training) or from its
     * policy file; the policy copies it at init, so a local one will do. */
    dcs_rl_net net;
    if (ps->placement == DCS_PLACE_RL) {
        if (ps->rl_net) {
            net = *ps->rl_net;
        } else {
            char path[4096];
            dcs_model_resolve_path(scenario_path, ps->rl_policy ? ps->rl_policy : "", path,
                                   sizeof path);
            if (dcs_rl_file_read(path, &net, NULL, d) != DCS_OK ||
                dcs_rl_check_outputs(&net, &ps->rl, path, d) != DCS_OK)
                return DCS_EINPUT;
        }
        p.rl_net = &net;
        p.rl_record = ps->rl_record;
    }
    const dcs_policy_params_spec *q = &ps->params;
#define OVERRIDE(field, val) if (!isnan(val)) p.field = (val)
    OVERRIDE(price_weight, q->price_weight);
    OVERRIDE(fill_max, q->fill_max);
    OVERRIDE(latency_target_s, q->latency_target_s);
    OVERRIDE(cap_gain, q->cap_gain);
    OVERRIDE(power_margin, q->power_margin);
    OVERRIDE(util_target, q->util_target);
#undef OVERRIDE
    if (q->min_replicas >= 0)
        p.min_replicas = (int)q->min_replicas;
    if (q->hold > 0)
        p.hold_s = dcs_time_to_s(q->hold);
    dcs_status st = DCS_OK;
    mw->stack.placement = policy_named(dcs_placement_names[ps->placement], &p, &st);
    for (size_t k = 0; k < ps->npower && k < DCS_POLICY_MAX_POWER && st == DCS_OK; k++) {
        int pw = ps->power[k];
        if (pw == DCS_POWER_NONE)
            continue;
        mw->stack.power[k] =
            policy_named(pw == DCS_POWER_CAP ? "power_cap" : "consolidate", &p, &st);
    }
    if (st == DCS_OK && ps->temporal == DCS_TEMPORAL_CARBON_SHIFT)
        mw->stack.temporal = policy_named("carbon_shift", &p, &st);
    if (st == DCS_EINPUT)
        dcs_diag_error(d, dcs_scenario_loc(s, "policy.params"),
                       "policy parameters out of range (see docs/policies.md)");
    return st;
}

static void build_regions(const dcs_scenario *s, dcs_work_config *c)
{
    if (s->nusers == 0) {
        c->nregions = 1;
        c->region_names[0] = "local";
        return;
    }
    c->nregions = (int)s->nusers;
    for (size_t r = 0; r < s->nusers; r++) {
        c->region_names[r] = s->users[r].name;
        for (size_t k = 0; k < s->nsites; k++)
            c->rtt_s[r][k] = s->users[r].rtt_to_site
                                 ? dcs_time_to_s(s->users[r].rtt_to_site[k])
                                 : 0.0;
    }
}

/* The controller's view of every site's signals, borrowed from the sites. */
static void build_controller(dcs_model *m)
{
    dcs_model_work *mw = &m->work;
    size_t n = m->nsites;
    mw->ci = dcs_xcalloc(n, sizeof *mw->ci);
    mw->ci_marginal = dcs_xcalloc(n, sizeof *mw->ci_marginal);
    mw->price = dcs_xcalloc(n, sizeof *mw->price);
    mw->flat_price = dcs_xcalloc(n, sizeof *mw->flat_price);
    dcs_site_config *cfgs = dcs_xcalloc(n, sizeof *cfgs);
    for (size_t i = 0; i < n; i++) {
        const dcs_site_config *c = &m->sites[i].cfg;
        mw->ci[i] = c->ci;
        mw->ci_marginal[i] = c->ci_marginal;
        mw->price[i] = c->price;
        mw->flat_price[i] = c->price_usd_per_j;
        cfgs[i] = *c;
    }
    dcs_controller_config *cc = dcs_xcalloc(1, sizeof *cc);
    cc->work = &mw->cfg;
    cc->bus = mw->bus;
    cc->stack = &mw->stack;
    cc->ci = mw->ci;
    cc->ci_marginal = mw->ci_marginal;
    cc->price = mw->price;
    cc->flat_price_usd_per_j = mw->flat_price;
    dcs_controller_static_obs(&mw->cfg, cfgs, (int)n, &cc->base);
    dcs_controller_config_jobs(cfgs, (int)n, cc);
    dcs_policy_obs *obs = dcs_xcalloc(1, sizeof *obs);
    dcs_controller_obs_at(cc, 0, obs);
    dcs_controller_initial_action(&mw->stack, obs, &mw->bus->initial);
    free(obs);
    free(cfgs);
    mw->ctrl = cc;
}

dcs_status dcs_model_build_work(const dcs_scenario *s, const char *scenario_path, uint64_t seed,
                                dcs_model *m, dcs_diag *d)
{
    if (s->nworkloads == 0)
        return DCS_OK;
    dcs_model_work *mw = &m->work;
    mw->on = true;
    dcs_work_config *c = &mw->cfg;
    c->fidelity = s->fidelity == DCS_FIDELITY_FLUID ? DCS_WORK_FLUID : DCS_WORK_DETAILED;
    c->seed = seed;
    c->control_period = s->policy.control_period;
    c->nworkloads = (int)s->nworkloads;
    c->nsites = (int)s->nsites;
    build_degrade(&s->policy.degrade, &c->degrade);
    build_regions(s, c);
    mw->wl = dcs_xcalloc(s->nworkloads, sizeof *mw->wl);
    mw->traces = dcs_xcalloc(s->nworkloads, sizeof *mw->traces);
    c->wl = mw->wl;
    dcs_status st = DCS_OK;
    for (size_t i = 0; i < s->nworkloads; i++) {
        dcs_status wi = build_workload(s, scenario_path, i, mw, d);
        if (wi != DCS_OK && st == DCS_OK)
            st = wi;
    }
    for (size_t i = 0; i < s->nsites && st == DCS_OK; i++)
        st = build_pools(s, i, &m->sites[i], d);
    if (st == DCS_OK)
        st = build_jobs(s, scenario_path, m, d);
    if (st == DCS_OK)
        st = build_stack(s, scenario_path, mw, d);
    if (st != DCS_OK)
        return st;
    mw->bus = dcs_xcalloc(1, sizeof *mw->bus);
    mw->tele = dcs_xcalloc(s->nsites, sizeof *mw->tele);
    mw->site_lp = dcs_xcalloc(s->nsites, sizeof *mw->site_lp);
    mw->bus->nsites = (int)s->nsites;
    mw->bus->tele = mw->tele;
    mw->bus->site_lp = mw->site_lp;
    build_controller(m);
    for (size_t i = 0; i < s->nsites; i++) {
        dcs_site_config *cfg = &m->sites[i].cfg;
        cfg->work = c;
        cfg->site_index = (int)i;
        cfg->bus = mw->bus;
        cfg->initial = &mw->bus->initial;
    }
    return DCS_OK;
}

dcs_status dcs_model_work_lps(dcs_model *m)
{
    dcs_model_work *mw = &m->work;
    if (!mw->on)
        return DCS_OK;
    mw->ctrl_lp = dcs_engine_add_lp(m->engine, &dcs_controller_lp_type, mw->ctrl);
    mw->bus->controller_lp = mw->ctrl_lp;
    return mw->ctrl_lp == DCS_LP_ANY ? DCS_ENOMEM : DCS_OK;
}

dcs_status dcs_model_work_channels(dcs_model *m)
{
    dcs_model_work *mw = &m->work;
    if (!mw->on)
        return DCS_OK;
    dcs_time half = mw->cfg.control_period / 2;
    dcs_status st = DCS_OK;
    for (size_t i = 0; i < m->nsites && st == DCS_OK; i++) {
        mw->site_lp[i] = m->sites[i].lp;
        st = dcs_engine_channel(m->engine, m->sites[i].lp, mw->ctrl_lp, half);
        if (st == DCS_OK)
            st = dcs_engine_channel(m->engine, mw->ctrl_lp, m->sites[i].lp, half);
    }
    return st;
}

void dcs_model_work_free(dcs_model *m)
{
    dcs_model_work *mw = &m->work;
    if (mw->on && m->engine && mw->ctrl_lp != DCS_LP_ANY)
        dcs_controller_release(dcs_engine_lp_state(m->engine, mw->ctrl_lp));
    dcs_policy_free(mw->stack.placement);
    for (int k = 0; k < DCS_POLICY_MAX_POWER; k++)
        dcs_policy_free(mw->stack.power[k]);
    dcs_policy_free(mw->stack.temporal);
    for (size_t i = 0; mw->traces && i < (size_t)mw->cfg.nworkloads; i++)
        dcs_llm_trace_free(&mw->traces[i]);
    free(mw->traces);
    free(mw->wl);
    free(mw->bus);
    free(mw->tele);
    free(mw->site_lp);
    free(mw->ctrl);
    free(mw->ci);
    free(mw->ci_marginal);
    free(mw->price);
    free(mw->flat_price);
    for (size_t i = 0; i < m->nsites; i++) {
        free(m->sites[i].pools);
        free(m->sites[i].jobs);
    }
    memset(mw, 0, sizeof *mw);
    mw->ctrl_lp = DCS_LP_ANY;
}

/* Requests per second of workload w reaching pool p: the workload's mean
 * rate shared in proportion to replicas over all its pools (the split of a
 * balanced placement). */
static double pool_rate(const dcs_model *m, const dcs_site_pool *p)
{
    const dcs_work_wl *wl = &m->work.wl[p->workload];
    double total = 0;
    for (size_t i = 0; i < m->nsites; i++)
        for (size_t k = 0; k < m->sites[i].cfg.npools; k++)
            if (m->sites[i].cfg.pools[k].workload == p->workload)
                total += m->sites[i].cfg.pools[k].replicas;
    double rate = wl->rate.mean_rate;
    if (wl->from_trace && wl->trace && wl->trace->n > 1) {
        double span = dcs_time_to_s(wl->trace->at[wl->trace->n - 1]) * wl->time_scale;
        rate = span > 0 ? (double)wl->trace->n / span : 0;
    }
    return total > 0 ? rate * p->replicas / total : 0;
}

double dcs_model_estimate_events(const dcs_model *m)
{
    const dcs_scenario *s = m->scenario;
    double t = dcs_time_to_s(s->duration);
    double per_site = t / dcs_time_to_s(s->policy.control_period) * (m->work.on ? 3 : 1) +
                      t / dcs_time_to_s(s->sample_period);
    double ev = per_site * (double)m->nsites;
    if (!m->work.on || m->work.cfg.fidelity != DCS_WORK_DETAILED)
        return ev;
    dcs_fluid_model *fm = dcs_xcalloc(1, sizeof *fm);
    dcs_fluid_calib cal;
    dcs_fluid_calib_default(&cal);
    for (size_t i = 0; i < m->nsites; i++)
        for (size_t k = 0; k < m->sites[i].cfg.npools; k++) {
            const dcs_site_pool *p = &m->sites[i].cfg.pools[k];
            const dcs_work_wl *wl = &m->work.wl[p->workload];
            double rate = pool_rate(m, p);
            dcs_fluid_prepare(fm, &p->serving, &cal, &wl->prompt, &wl->output, 1.0);
            dcs_fluid_state st;
            dcs_fluid_eval(fm, rate, p->replicas, &st);
            /* one event per arrival, one per iteration of every replica
             * while it is busy (completions happen inside iterations) */
            double iters = st.iter_s > 0 ? p->replicas * st.busy / st.iter_s : 0;
            ev += t * (rate + iters);
        }
    free(fm);
    return ev;
}
