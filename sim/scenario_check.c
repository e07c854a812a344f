/*
 * scenario_check.c - cross-field checks of a whole scenario.
 *
 * After every table has been walked, names that refer to other parts of the
 * scenario are resolved: a cluster's accelerator in the `accelerators:`
 * catalog, a site's climate normals and grid region in the `climates:` and
 * `grids:` catalogs, a fault's site, a workload's allowed sites, user
 * regions, model and token profile, a user's round-trip-time sites, a
 * cluster's replicas.  Then the run must be possible: every user region has
 * a round-trip time to every site (explicit, or from the `network_rtt:`
 * catalog by the places' locations), every inference workload has replicas
 * at a site it may use, replicas fit their cluster's GPUs and their model
 * fits a replica's GPU memory (weights params x bytes_per_weight below
 * gpus_per_replica x memory capacity; the KV cache needs room too, which the
 * serving model accounts), the largest job fits the GPUs some allowed site
 * leaves free of replicas, and the sizes stay within the fixed arrays of the
 * policy interface (policy.h DCS_POLICY_MAX_*).  Resolving also fills what
 * the scenario left to catalogs: model numbers, token laws, user shares
 * (normalised to sum 1) and each user's round trip to each site.  Unknown
 * names are reported with the nearest valid one and the list of valid ones; repeated names of sites, clusters,
 * users and workloads are reported at the repetition.  Times are checked
 * against the run: a sample period longer than the run, a fault after its end.
 * What model building would refuse is refused here first, located: a
 * control period over an hour, a start off the whole hour, a replica whose
 * serving parameters the serving model rejects (check_buildable).
 */
#include "dcsim/scenario.h"
#include "scenario_internal.h"

#include "dcsim/hourly.h"
#include "dcsim/policy.h"
#include "dcsim/serving.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Names of n structs of size `size` whose name pointer is at offset `off`. */
typedef struct names {
    const char **v;
    size_t n;
} names;

static names gather(const void *items, size_t n, size_t size, size_t off)
{
    names r = {NULL, 0};
    if (n == 0)
        return r;
    r.v = malloc(n * sizeof *r.v);
    if (!r.v) {
        fprintf(stderr, "dcsim: out of memory (%zu bytes)\n", n * sizeof *r.v);
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        const char *s;
        memcpy(&s, (const char *)items + i * size + off, sizeof s);
        if (s)
            r.v[r.n++] = s;
    }
    return r;
}

static long lookup(const names *nm, const char *s)
{
    for (size_t i = 0; i < nm->n; i++)
        if (strcmp(nm->v[i], s) == 0)
            return (long)i;
    return -1;
}

/* "a, b, c" (at most about 400 characters). */
static const char *list_names(const names *nm, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nm->n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", nm->v[i]);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* Report a reference to a name that is not in nm, at obj's key, calling the
 * key `shown` in the message. */
static void unknown_ref_as(dcs_schema_ctx *c, const void *obj, const char *key, const char *shown,
                           const char *what, const char *name, const names *nm, const char *hint)
{
    char buf[512];
    if (nm->n == 0) {
        dcs_schema_error(c, obj, key, "%s: no %s named '%s': the scenario has no %ss%s", shown,
                         what, name, what, hint);
        return;
    }
    const char *near = dcs_schema_suggest(name, nm->v, nm->n);
    if (near)
        dcs_schema_error(c, obj, key, "%s: no %s named '%s'; did you mean '%s'? (known: %s)",
                         shown, what, name, near, list_names(nm, buf, sizeof buf));
    else
        dcs_schema_error(c, obj, key, "%s: no %s named '%s' (known: %s)", shown, what, name,
                         list_names(nm, buf, sizeof buf));
}

/* Report a reference to a name that is not in nm, at obj's key. */
static void unknown_ref(dcs_schema_ctx *c, const void *obj, const char *key, const char *what,
                        const char *name, const names *nm, const char *hint)
{
    unknown_ref_as(c, obj, key, key, what, name, nm, hint);
}

/* Report the second and later uses of each name among n items. */
static void unique(dcs_schema_ctx *c, const void *items, size_t n, size_t size, size_t off,
                   const char *what)
{
    for (size_t i = 0; i < n; i++) {
        const char *a;
        memcpy(&a, (const char *)items + i * size + off, sizeof a);
        for (size_t j = 0; a && j < i; j++) {
            const char *b;
            memcpy(&b, (const char *)items + j * size + off, sizeof b);
            if (b && strcmp(a, b) == 0) {
                dcs_schema_error(c, (const char *)items + i * size, "name",
                                 "%s name '%s' is used twice", what, a);
                break;
            }
        }
    }
}

static void check_clusters(dcs_scenario *s, dcs_schema_ctx *c)
{
    names acc = gather(s->accelerators, s->naccelerators, sizeof *s->accelerators,
                       offsetof(dcs_accel_spec, name));
    for (size_t i = 0; i < s->nsites; i++) {
        dcs_site_spec *site = &s->sites[i];
        unique(c, site->clusters, site->nclusters, sizeof *site->clusters,
               offsetof(dcs_cluster_spec, name), "cluster");
        for (size_t j = 0; j < site->nclusters; j++) {
            dcs_cluster_spec *cl = &site->clusters[j];
            if (!cl->accelerator)
                continue;
            long k = lookup(&acc, cl->accelerator);
            if (k >= 0)
                cl->accel = &s->accelerators[k];
            else
                unknown_ref(c, cl, "accelerator", "accelerator", cl->accelerator, &acc,
                            " (include catalog/accelerators.yaml or add an `accelerators:` "
                            "mapping)");
        }
    }
    free(acc.v);
}

/* Resolve each site's climate normals and grid region in the catalogs. */
static void check_catalog_refs(dcs_scenario *s, dcs_schema_ctx *c)
{
    names clim = gather(s->climates, s->nclimates, sizeof *s->climates,
                        offsetof(dcs_climate_entry, name));
    names grids = gather(s->grids, s->ngrids, sizeof *s->grids,
                         offsetof(dcs_grid_entry, region));
    for (size_t i = 0; i < s->nsites; i++) {
        dcs_site_spec *site = &s->sites[i];
        dcs_climate_spec *k = &site->climate;
        if (k->normals) {
            long j = lookup(&clim, k->normals);
            if (j >= 0)
                k->entry = &s->climates[j];
            else
                unknown_ref(c, k, "normals", "climate", k->normals, &clim,
                            " (include catalog/climates.yaml or add a `climates:` mapping)");
        }
        dcs_grid_spec *g = &site->grid;
        if (g->region) {
            long j = lookup(&grids, g->region);
            if (j >= 0)
                g->entry = &s->grids[j];
            else
                unknown_ref(c, g, "region", "grid region", g->region, &grids,
                            " (include catalog/grids.yaml or add a `grids:` mapping)");
        }
    }
    free(clim.v);
    free(grids.v);
}

static void check_refs(dcs_scenario *s, dcs_schema_ctx *c, const names *sites)
{
    for (size_t i = 0; i < s->nusers; i++)
        for (size_t j = 0; j < s->users[i].nrtt; j++) {
            const dcs_rtt_spec *r = &s->users[i].rtt[j];
            if (lookup(sites, r->site) < 0)
                unknown_ref_as(c, r, r->site, "rtt", "site", r->site, sites, "");
        }
    for (size_t i = 0; i < s->nworkloads; i++) {
        const dcs_workload_spec *w = &s->workloads[i];
        for (size_t j = 0; j < w->nallowed_sites; j++)
            if (w->allowed_sites[j] && lookup(sites, w->allowed_sites[j]) < 0)
                unknown_ref(c, w, "allowed_sites", "site", w->allowed_sites[j], sites, "");
    }
}

/* ---- faults ---------------------------------------------------------------- */

static bool site_on_region(const dcs_scenario *s, const char *region)
{
    for (size_t i = 0; i < s->nsites; i++)
        if (s->sites[i].grid.region && strcmp(s->sites[i].grid.region, region) == 0)
            return true;
    return false;
}

/* One target (site, sites or region), a start or a rate, a user region for
 * a partition and only there. */
static void check_fault(dcs_scenario *s, dcs_schema_ctx *c, const names *sites,
                        const names *users, const dcs_fault_spec *f)
{
    int targets = (f->site != NULL) + (f->nsites > 0) + (f->region != NULL);
    if (targets == 0)
        dcs_schema_error(c, f, NULL, "fault: needs the site it hits (site, sites or region)");
    else if (targets > 1)
        dcs_schema_error(c, f, f->site ? "site" : "sites",
                         "%s: give one of site, sites and region", f->site ? "site" : "sites");
    if (f->site && lookup(sites, f->site) < 0)
        unknown_ref(c, f, "site", "site", f->site, sites, "");
    for (size_t j = 0; j < f->nsites; j++)
        if (f->sites[j] && lookup(sites, f->sites[j]) < 0)
            unknown_ref(c, f, "sites", "site", f->sites[j], sites, "");
    if (f->region && !site_on_region(s, f->region))
        dcs_schema_error(c, f, "region", "region: no site's electricity region is '%s'",
                         f->region);
    bool random = f->mtbf > 0;
    if (random && !(f->mttr > 0))
        dcs_schema_error(c, f, "mtbf", "mtbf: a random fault needs mttr too");
    else if (!random && dcs_schema_given(c, f, "mttr"))
        dcs_schema_error(c, f, "mttr", "mttr: only with mtbf (a random fault)");
    else if (!random && !dcs_schema_given(c, f, "at"))
        dcs_schema_error(c, f, "kind", "kind: a scheduled fault needs 'at' (or mtbf and mttr "
                         "for a random one)");
    else if (random && dcs_schema_given(c, f, "at"))
        dcs_schema_error(c, f, "at", "at: a random fault (mtbf) has no start time");
    if (!random && s->duration > 0 && f->at >= s->duration)
        dcs_schema_error(c, f, "at", "at: the fault starts after the run ends "
                         "(duration is shorter)");
    bool partition = f->kind == DCS_FAULT_NETWORK_PARTITION;
    if (partition && !f->users)
        dcs_schema_error(c, f, "kind", "kind: network_partition needs 'users' (the user "
                         "region cut off)");
    else if (!partition && f->users)
        dcs_schema_error(c, f, "users", "users: only a network_partition cuts a user region");
    else if (f->users && lookup(users, f->users) < 0)
        unknown_ref(c, f, "users", "user region", f->users, users, "");
    if (f->kind != DCS_FAULT_UTILITY_LOSS)
        for (size_t k = 0; k < 4; k++) {
            static const char *const backup_keys[] = {"generator_fails", "generator_fail_prob",
                                                      "ups_autonomy", "generator_start"};
            if (dcs_schema_given(c, f, backup_keys[k]))
                dcs_schema_error(c, f, backup_keys[k], "%s: only a utility_loss has backup power",
                                 backup_keys[k]);
        }
    bool takes_fraction = f->kind == DCS_FAULT_NODE_FAILURE || f->kind == DCS_FAULT_CDU_PUMP;
    if (!takes_fraction && dcs_schema_given(c, f, "fraction"))
        dcs_schema_error(c, f, "fraction", "fraction: only node_failure and cdu_pump take GPUs "
                         "out of service");
    if (f->kind == DCS_FAULT_NODE_FAILURE && random && dcs_schema_given(c, f, "fraction"))
        dcs_schema_error(c, f, "fraction", "fraction: random node failures take one node each");
}

/* Random faults are drawn before the run and kept: refuse a rate that
 * would draw more than MAX_FAULT_WINDOWS windows (duration / (MTBF + MTTR)
 * per site, per node for node failures), which would exhaust memory. */
enum { MAX_FAULT_WINDOWS = 1000000 };

static void check_fault_count(dcs_scenario *s, dcs_schema_ctx *c, const dcs_fault_spec *f)
{
    if (!(f->mtbf > 0) || !(f->mttr > 0) || s->duration <= 0)
        return;
    double per = (double)s->duration / ((double)f->mtbf + (double)f->mttr);
    double units = 0;
    for (size_t i = 0; i < s->nsites; i++) {
        const dcs_site_spec *site = &s->sites[i];
        if (!site->name)
            continue;            /* a site without a name is reported by its own check */
        bool hit = (f->site && strcmp(f->site, site->name) == 0) ||
                   (f->region && site->grid.region && strcmp(f->region, site->grid.region) == 0);
        for (size_t j = 0; j < f->nsites; j++)
            hit |= f->sites[j] && strcmp(f->sites[j], site->name) == 0;
        if (!hit)
            continue;
        if (f->kind != DCS_FAULT_NODE_FAILURE) {
            units += 1;
            continue;
        }
        for (size_t k = 0; k < site->nclusters; k++)
            units += (double)site->clusters[k].nodes;
    }
    if (per * units > MAX_FAULT_WINDOWS)
        dcs_schema_error(c, f, "mtbf", "mtbf: about %.3g failures over the run, more than "
                         "the %d dcsim keeps; use a longer mtbf or a shorter run",
                         per * units, MAX_FAULT_WINDOWS);
}

static void check_faults(dcs_scenario *s, dcs_schema_ctx *c, const names *sites)
{
    names users = gather(s->users, s->nusers, sizeof *s->users, offsetof(dcs_user_spec, name));
    for (size_t i = 0; i < s->nfaults; i++) {
        check_fault(s, c, sites, &users, &s->faults[i]);
        check_fault_count(s, c, &s->faults[i]);
    }
    free(users.v);
}

/* ---- workloads, users and the network ------------------------------------ */

/* The limits of the policy interface (policy.h), reported at the list. */
static void check_limits(dcs_scenario *s, dcs_schema_ctx *c)
{
    if (s->nworkloads > DCS_POLICY_MAX_WORKLOADS)
        dcs_schema_error(c, s, "workloads", "workloads: at most %d workloads, found %zu",
                         DCS_POLICY_MAX_WORKLOADS, s->nworkloads);
    if (s->nusers > DCS_POLICY_MAX_REGIONS)
        dcs_schema_error(c, s, "users", "users: at most %d user regions, found %zu",
                         DCS_POLICY_MAX_REGIONS, s->nusers);
    if (s->nsites > DCS_POLICY_MAX_SITES)
        dcs_schema_error(c, s, "sites", "sites: at most %d sites, found %zu",
                         DCS_POLICY_MAX_SITES, s->nsites);
    for (size_t i = 0; i < s->nsites; i++)
        if (s->sites[i].nclusters > DCS_POLICY_MAX_CLUSTERS)
            dcs_schema_error(c, &s->sites[i], "clusters", "clusters: at most %d clusters per "
                             "site, found %zu in '%s'", DCS_POLICY_MAX_CLUSTERS,
                             s->sites[i].nclusters, s->sites[i].name);
}

/* The catalog round trip between places a and b (symmetric), or -1; a
 * place to itself without an entry takes the `same-metro` entry. */
static dcs_time catalog_rtt(const dcs_scenario *s, const char *a, const char *b)
{
    static const char metro[] = "same-metro";
    for (size_t i = 0; i < s->nnetwork_rtt; i++) {
        const dcs_net_rtt_entry *e = &s->network_rtt[i];
        if (!e->a || !e->b)
            continue;
        if ((strcmp(e->a, a) == 0 && strcmp(e->b, b) == 0) ||
            (strcmp(e->a, b) == 0 && strcmp(e->b, a) == 0))
            return e->rtt;
    }
    if (strcmp(a, b) == 0 && strcmp(a, metro) != 0)
        return catalog_rtt(s, metro, metro);
    return -1;
}

/* Fill each user's rtt_to_site: the explicit entry, else the catalog's by
 * (user location, site location). */
static void check_rtts(dcs_scenario *s, dcs_schema_ctx *c)
{
    for (size_t i = 0; i < s->nusers; i++) {
        dcs_user_spec *u = &s->users[i];
        if (!u->name)
            continue;
        u->rtt_to_site = dcs_ytree_alloc(dcs_schema_tree(c), (s->nsites + 1) * sizeof(dcs_time));
        const char *uloc = u->location ? u->location : u->name;
        for (size_t j = 0; j < s->nsites; j++) {
            const dcs_site_spec *site = &s->sites[j];
            dcs_time rtt = -1;
            for (size_t k = 0; k < u->nrtt; k++)
                if (site->name && strcmp(u->rtt[k].site, site->name) == 0)
                    rtt = u->rtt[k].rtt;
            const char *sloc = site->location ? site->location : site->name;
            if (rtt < 0 && sloc)
                rtt = catalog_rtt(s, uloc, sloc);
            if (rtt < 0 && site->name)
                dcs_schema_error(c, u, "name", "user '%s' has no round-trip time to site '%s': "
                                 "give rtt: {%s: ...}, or add places '%s' and '%s' to the "
                                 "network_rtt catalog (include catalog/network.yaml, or set "
                                 "location:)", u->name, site->name, site->name, uloc, sloc);
            u->rtt_to_site[j] = rtt < 0 ? 0 : rtt;
        }
    }
}

static const dcs_model_entry *find_model(const dcs_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nmodels; i++)
        if (strcmp(s->models[i].name, name) == 0)
            return &s->models[i];
    return NULL;
}

/* Resolve a workload's model and fill every number it leaves to the
 * catalog: after this, params, active_params and bytes_per_weight are set,
 * and kv_bytes_per_token is unless the model is given by numbers alone. */
static void check_model(dcs_scenario *s, dcs_schema_ctx *c, dcs_llm_spec *m, const char *key)
{
    if (m->name) {
        m->entry = find_model(s, m->name);
        if (!m->entry) {
            names nm = gather(s->models, s->nmodels, sizeof *s->models,
                              offsetof(dcs_model_entry, name));
            unknown_ref_as(c, m, "name", key, "model", m->name, &nm,
                           " (include catalog/models.yaml or add a `models:` mapping)");
            free(nm.v);
            return;
        }
        const dcs_model_entry *e = m->entry;
        if (isnan(m->params))
            m->params = e->params;
        if (isnan(m->active_params))
            m->active_params = e->active_params <= m->params ? e->active_params : m->params;
        if (isnan(m->bytes_per_weight))
            m->bytes_per_weight = e->bytes_per_weight;
        if (isnan(m->kv_bytes_per_token))
            m->kv_bytes_per_token = (double)e->layers * 2.0 * (double)e->kv_heads *
                                    (double)e->head_dim * e->kv_bytes_per_elem;
    }
    if (isnan(m->active_params))
        m->active_params = m->params;
    if (isnan(m->bytes_per_weight))
        m->bytes_per_weight = 2.0;      /* BF16, as models are published */
}

/* The law a workload draws from, copied from its profile. */
static void law_from_profile(dcs_token_law_spec *law, const dcs_token_law_spec *fit,
                             double *table, size_t ntable, bool quantiles)
{
    *law = *fit;
    if (quantiles) {
        law->median = NAN;
        law->sigma = NAN;
        law->quantiles = table;
        law->nquantiles = ntable;
    }
}

/* Resolve a workload's token profile, so that tokens.prompt and
 * tokens.output always hold the law to draw from; a missing max_tokens
 * becomes the table's last count or the model's context window. */
static void check_tokens_ref(dcs_scenario *s, dcs_schema_ctx *c, dcs_workload_spec *w)
{
    dcs_tokens_spec *t = &w->tokens;
    if (t->profile) {
        names nm = gather(s->token_profiles, s->ntoken_profiles, sizeof *s->token_profiles,
                          offsetof(dcs_token_profile, name));
        long k = lookup(&nm, t->profile);
        if (k < 0)
            unknown_ref_as(c, t, "profile", "tokens", "token profile", t->profile, &nm,
                           " (include catalog/workloads.yaml or add a `token_profiles:` "
                           "mapping)");
        free(nm.v);
        if (k < 0)
            return;
        const dcs_token_profile *p = t->entry = &s->token_profiles[k];
        if (t->quantiles && (!p->prompt_quantiles || !p->output_quantiles)) {
            dcs_schema_error(c, t, "quantiles", "quantiles: token profile '%s' has no "
                             "prompt_quantiles and output_quantiles tables", p->name);
            return;
        }
        law_from_profile(&t->prompt, &p->prompt, p->prompt_quantiles, p->nprompt_quantiles,
                         t->quantiles);
        law_from_profile(&t->output, &p->output, p->output_quantiles, p->noutput_quantiles,
                         t->quantiles);
    }
    dcs_token_law_spec *laws[2] = {&t->prompt, &t->output};
    for (int i = 0; i < 2; i++) {
        if (laws[i]->max_tokens > 0)
            continue;
        if (laws[i]->quantiles && laws[i]->nquantiles > 0)
            laws[i]->max_tokens = (int64_t)ceil(laws[i]->quantiles[laws[i]->nquantiles - 1]);
        else if (w->model.entry)
            laws[i]->max_tokens = w->model.entry->context_tokens;
    }
}

/* Resolve arrivals.users and normalise the shares to sum 1; absent, every
 * user region gets an equal share. */
static void check_shares(dcs_scenario *s, dcs_schema_ctx *c, dcs_workload_spec *w,
                         const names *users)
{
    dcs_arrivals_spec *a = &w->arrivals;
    if (!dcs_schema_given(c, a, "users")) {
        if (s->nusers == 0)
            return;
        a->users = dcs_ytree_alloc(dcs_schema_tree(c), s->nusers * sizeof *a->users);
        a->nusers = s->nusers;
        for (size_t i = 0; i < s->nusers; i++)
            a->users[i] = (dcs_user_share_spec){s->users[i].name, 1.0 / (double)s->nusers,
                                                (int)i};
        return;
    }
    double sum = 0.0;
    bool ok = true;
    for (size_t i = 0; i < a->nusers; i++) {
        dcs_user_share_spec *u = &a->users[i];
        u->user_index = (int)lookup(users, u->user);
        if (u->user_index < 0) {
            unknown_ref_as(c, u, u->user, "users", "user region", u->user, users, "");
            ok = false;
        }
        sum += isnan(u->share) ? 0.0 : u->share;
    }
    if (!ok || a->nusers == 0)
        return;
    if (!(sum > 0.0)) {
        dcs_schema_error(c, a, "users", "users: the shares of '%s' are all zero", w->name);
        return;
    }
    for (size_t i = 0; i < a->nusers; i++)
        a->users[i].share /= sum;
}

static bool allowed_at(const dcs_workload_spec *w, const char *site)
{
    if (w->nallowed_sites == 0)
        return true;
    for (size_t i = 0; i < w->nallowed_sites; i++)
        if (w->allowed_sites[i] && site && strcmp(w->allowed_sites[i], site) == 0)
            return true;
    return false;
}

/* GB with one decimal, for fit messages. */
static double gb(double bytes) { return bytes / 1e9; }

/* Resolve each cluster's replicas, check they fit its GPUs and that the
 * model fits a replica's GPU memory; count replicas per workload (at
 * allowed sites) and GPUs left free per site. */
static void check_replicas(dcs_scenario *s, dcs_schema_ctx *c, const names *wls,
                           int64_t *replicas_of, int64_t *free_gpus)
{
    for (size_t i = 0; i < s->nsites; i++) {
        dcs_site_spec *site = &s->sites[i];
        free_gpus[i] = 0;
        for (size_t j = 0; j < site->nclusters; j++) {
            dcs_cluster_spec *cl = &site->clusters[j];
            int64_t gpus = cl->nodes * cl->gpus_per_node, used = 0;
            for (size_t k = 0; k < cl->nreplicas; k++) {
                dcs_replicas_spec *r = &cl->replicas[k];
                long wi = lookup(wls, r->workload);
                r->workload_index = (int)wi;
                if (wi < 0) {
                    unknown_ref_as(c, r, r->workload, "replicas", "workload", r->workload,
                                   wls, "");
                    continue;
                }
                const dcs_workload_spec *w = &s->workloads[wi];
                if (w->kind != DCS_WORKLOAD_INFERENCE) {
                    dcs_schema_error(c, r, r->workload, "replicas: '%s' is a %s workload; "
                                     "replicas serve inference workloads (jobs take free "
                                     "GPUs)", w->name, dcs_workload_kind_names[w->kind]);
                    continue;
                }
                if (!allowed_at(w, site->name)) {
                    dcs_schema_error(c, r, r->workload, "replicas: workload '%s' may not run "
                                     "in site '%s' (not in its allowed_sites)", w->name,
                                     site->name);
                    continue;
                }
                int64_t per = w->model.gpus_per_replica;
                used += r->count * per;
                replicas_of[wi] += r->count;
                double weights = w->model.params * w->model.bytes_per_weight;
                if (cl->accel && !isnan(weights) &&
                    weights >= (double)per * cl->accel->mem_capacity_b)
                    dcs_schema_error(c, r, r->workload, "replicas: the model of '%s' does not "
                                     "fit: %.1f GB of weights on %lld x %.1f GB (%s), %.1f GB "
                                     "short; raise gpus_per_replica or lower bytes_per_weight",
                                     w->name, gb(weights), (long long)per,
                                     gb(cl->accel->mem_capacity_b), cl->accel->name,
                                     gb(weights - (double)per * cl->accel->mem_capacity_b));
            }
            if (used > gpus)
                dcs_schema_error(c, cl, "replicas", "replicas: cluster '%s' has %lld GPUs "
                                 "(nodes x gpus_per_node) and its replicas need %lld",
                                 cl->name, (long long)gpus, (long long)used);
            free_gpus[i] += used < gpus ? gpus - used : 0;
        }
    }
}

static void check_workloads(dcs_scenario *s, dcs_schema_ctx *c)
{
    names wls = gather(s->workloads, s->nworkloads, sizeof *s->workloads,
                       offsetof(dcs_workload_spec, name));
    names users = gather(s->users, s->nusers, sizeof *s->users, offsetof(dcs_user_spec, name));
    /* gather skips unnamed items; indices match only when none is unnamed. */
    bool indexed = wls.n == s->nworkloads;
    int64_t *replicas_of = calloc(s->nworkloads + 1, sizeof *replicas_of);
    int64_t *free_gpus = calloc(s->nsites + 1, sizeof *free_gpus);
    if (!replicas_of || !free_gpus) {
        fprintf(stderr, "dcsim: out of memory\n");
        abort();
    }
    for (size_t i = 0; i < s->nworkloads; i++) {
        dcs_workload_spec *w = &s->workloads[i];
        if (w->kind != DCS_WORKLOAD_INFERENCE || !w->name)
            continue;
        check_model(s, c, &w->model, "model");
        if (w->has_fallback)
            check_model(s, c, &w->fallback_model, "fallback_model");   /* the same way */
        check_tokens_ref(s, c, w);
        check_shares(s, c, w, &users);
    }
    if (indexed)
        check_replicas(s, c, &wls, replicas_of, free_gpus);
    for (size_t i = 0; indexed && i < s->nworkloads; i++) {
        const dcs_workload_spec *w = &s->workloads[i];
        if (w->kind == DCS_WORKLOAD_INFERENCE) {
            if (replicas_of[i] == 0)
                dcs_schema_error(c, w, "name", "inference workload '%s' has no replicas at a "
                                 "site it may run in: give a cluster `replicas: {%s: N}`",
                                 w->name, w->name);
            continue;
        }
        /* A job trace's largest job is known only when the file is read. */
        if (w->jobs.trace || w->jobs.gpus <= 0)
            continue;
        int64_t best = 0;
        for (size_t j = 0; j < s->nsites; j++)
            if (allowed_at(w, s->sites[j].name) && free_gpus[j] > best)
                best = free_gpus[j];
        if (w->jobs.gpus > best)
            dcs_schema_error(c, &w->jobs, "gpus", "gpus: a job of '%s' needs %lld GPUs and "
                             "the most any allowed site has free of replicas is %lld",
                             w->name, (long long)w->jobs.gpus, (long long)best);
    }
    free(replicas_of);
    free(free_gpus);
    free(wls.v);
    free(users.v);
}

/* Parse `start`: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC), years 1970-2200. */
static void check_start(dcs_scenario *s, dcs_schema_ctx *c)
{
    int y, mo, d, h = 0, mi = 0, used = 0;
    const char *t = s->start ? s->start : "";
    int n = sscanf(t, "%4d-%2d-%2d%n", &y, &mo, &d, &used);
    bool ok = n == 3 && used == 10;
    if (ok && t[used] != '\0') {
        int more = 0;
        ok = sscanf(t + used, "T%2d:%2d%n", &h, &mi, &more) == 2 && more == 6 &&
             t[used + more] == '\0';
    }
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    ok = ok && y >= 1970 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 &&
         d <= mdays[mo - 1] && h <= 23 && mi <= 59 && h >= 0 && mi >= 0;
    if (ok && mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        ok = false;
    if (!ok) {
        dcs_schema_error(c, s, "start", "start: '%s' is not a date YYYY-MM-DD or "
                         "YYYY-MM-DDTHH:MM (UTC) between 1970 and 2200", t);
        return;
    }
    s->start_utc_s = dcs_civil_to_utc_s(y, mo, d, h, mi, 0);
}

/* ---- what model building needs (located here, defensive there) -------- */

void dcs_scenario_serving_params(const dcs_workload_spec *w, const dcs_accel_spec *a,
                                 dcs_serving_params *p)
{
    dcs_serving_params_default(p);
    /* check_model and check_catalog_refs filled every number from the
     * catalog entry where the scenario left it out. */
    const dcs_llm_spec *m = &w->model;
    p->model = (dcs_llm_model){m->params, m->active_params, m->bytes_per_weight,
                               m->kv_bytes_per_token};
    p->gpu = (dcs_gpu_spec){a->peak_flops, a->mem_bandwidth_bps, a->mem_capacity_b,
                            a->idle_power_w, a->max_power_w};
    p->gpus = (int)m->gpus_per_replica;
    const dcs_serving_spec *sv = &w->serving;
    if (sv->max_batch > 0)
        p->max_batch = (int)sv->max_batch;
    if (sv->prefill_chunk > 0)
        p->prefill_chunk_tokens = (int)sv->prefill_chunk;
    if (sv->queue_capacity > 0)
        p->queue_capacity = (int)sv->queue_capacity;
    if (!isnan(sv->compute_eff) && sv->compute_eff > 0)
        p->compute_eff = sv->compute_eff;
    if (!isnan(sv->mem_eff) && sv->mem_eff > 0)
        p->mem_eff = sv->mem_eff;
    if (sv->wake_time > 0)
        p->wake_s = dcs_time_to_s(sv->wake_time);
}

/* Every replicas entry's serving parameters as the model will build them
 * (dcs_serving_params_problem), e.g. weights that fit the GPUs' memory but
 * not its usable part, leaving no room for the KV cache.  Entries that
 * check_replicas already refused (or that cannot be resolved) are skipped,
 * so each mistake is reported once. */
static void check_serving(dcs_scenario *s, dcs_schema_ctx *c)
{
    for (size_t i = 0; i < s->nsites; i++) {
        const dcs_site_spec *site = &s->sites[i];
        for (size_t j = 0; j < site->nclusters; j++) {
            const dcs_cluster_spec *cl = &site->clusters[j];
            for (size_t k = 0; k < cl->nreplicas && cl->accel; k++) {
                const dcs_replicas_spec *r = &cl->replicas[k];
                if (r->workload_index < 0 || (size_t)r->workload_index >= s->nworkloads ||
                    r->count <= 0)
                    continue;
                const dcs_workload_spec *w = &s->workloads[r->workload_index];
                double weights = w->model.params * w->model.bytes_per_weight;
                if (w->kind != DCS_WORKLOAD_INFERENCE || !allowed_at(w, site->name) ||
                    isnan(weights) ||
                    weights >= (double)w->model.gpus_per_replica * cl->accel->mem_capacity_b)
                    continue;
                dcs_serving_params p;
                dcs_scenario_serving_params(w, cl->accel, &p);
                const char *why = dcs_serving_params_problem(&p);
                if (why)
                    dcs_schema_error(c, r, r->workload, "replicas: workload '%s' cannot be "
                                     "served on cluster '%s': %s (%.0f %% of %lld x %.1f GB "
                                     "is usable, weights take %.1f GB)",
                                     w->name, cl->name, why, 100 * p.mem_usable_frac,
                                     (long long)p.gpus, gb(p.gpu.mem_bytes), gb(weights));
                if (!w->has_fallback || isnan(w->fallback_model.params))
                    continue;
                /* The fallback model on the same GPUs (docs/fallback.md). */
                const dcs_llm_spec *f = &w->fallback_model;
                p.model = (dcs_llm_model){f->params, f->active_params, f->bytes_per_weight,
                                          f->kv_bytes_per_token};
                why = dcs_serving_params_problem(&p);
                if (why)
                    dcs_schema_error(c, f, NULL, "fallback_model of '%s' cannot be served on "
                                     "cluster '%s': %s (%.0f %% of %lld x %.1f GB is usable, "
                                     "weights take %.1f GB)", w->name, cl->name, why,
                                     100 * p.mem_usable_frac, (long long)p.gpus,
                                     gb(p.gpu.mem_bytes), gb(f->params * f->bytes_per_weight));
            }
        }
    }
}

/* Times the facility model and the hourly grid signals need. */
static void check_times(dcs_scenario *s, dcs_schema_ctx *c)
{
    if (s->policy.control_period > DCS_HOUR)
        dcs_schema_error(c, &s->policy, "control_period", "control_period: above 1 h is not "
                         "supported: the facility model steps at least hourly, with the "
                         "weather");
    if (s->start && s->start_utc_s % 3600 != 0)
        dcs_schema_error(c, s, "start", "start: '%s' must fall on a whole hour (the grid "
                         "signals are hourly)", s->start);
}

void dcs_scenario_check(void *obj, dcs_schema_ctx *c)
{
    dcs_scenario *s = obj;
    check_start(s, c);
    unique(c, s->sites, s->nsites, sizeof *s->sites, offsetof(dcs_site_spec, name), "site");
    unique(c, s->users, s->nusers, sizeof *s->users, offsetof(dcs_user_spec, name), "user");
    unique(c, s->workloads, s->nworkloads, sizeof *s->workloads,
           offsetof(dcs_workload_spec, name), "workload");
    if (s->duration > 0 && s->sample_period > s->duration)
        dcs_schema_error(c, s, "sample_period", "sample_period: longer than the run's "
                         "duration, so no sample would be taken");
    check_clusters(s, c);
    check_catalog_refs(s, c);
    names sites = gather(s->sites, s->nsites, sizeof *s->sites, offsetof(dcs_site_spec, name));
    check_refs(s, c, &sites);
    check_faults(s, c, &sites);
    free(sites.v);
    check_limits(s, c);
    check_rtts(s, c);
    check_workloads(s, c);
    check_serving(s, c);
    check_times(s, c);
    /* Reported last, so that a mistake elsewhere shows first. */
    for (size_t i = 0; i < s->nsites; i++) {
        const dcs_site_spec *site = &s->sites[i];
        if (!site->climate.normals && !site->climate.epw)
            dcs_schema_error(c, site, NULL, "site '%s' needs a climate: {normals: NAME} or "
                             "{epw: FILE}", site->name ? site->name : "");
        const dcs_grid_spec *g = &site->grid;
        if (!g->region && isnan(g->intensity_kg_per_j) && !g->csv && !g->has_mix)
            dcs_schema_error(c, site, NULL, "site '%s' needs a grid: {region: NAME}, "
                             "{intensity: VALUE}, {csv: FILE} or {mix: {...}}",
                             site->name ? site->name : "");
    }
}
