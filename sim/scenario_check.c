/*
 * scenario_check.c - cross-field checks of a whole scenario.
 *
 * After every table has been walked, names that refer to other parts of the
 * scenario are resolved: a cluster's accelerator in the `accelerators:`
 * catalog, a site's climate normals and grid region in the `climates:` and
 * `grids:` catalogs, a fault's site, a workload's allowed sites and user region, a
 * user's round-trip-time sites.  Unknown names are reported with the nearest
 * valid one and the list of valid ones; repeated names of sites, clusters,
 * users and workloads are reported at the repetition.  Times are checked
 * against the run: a sample period longer than the run, a fault after its end.
 */
#include "dcsim/scenario.h"
#include "scenario_internal.h"

#include "dcsim/hourly.h"

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
    names users = gather(s->users, s->nusers, sizeof *s->users, offsetof(dcs_user_spec, name));
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
        if (w->arrivals.users && lookup(&users, w->arrivals.users) < 0)
            unknown_ref(c, &w->arrivals, "users", "user region", w->arrivals.users, &users, "");
    }
    for (size_t i = 0; i < s->nfaults; i++) {
        const dcs_fault_spec *f = &s->faults[i];
        if (f->site && lookup(sites, f->site) < 0)
            unknown_ref(c, f, "site", "site", f->site, sites, "");
        if (s->duration > 0 && f->at >= s->duration)
            dcs_schema_error(c, f, "at", "at: the fault starts after the run ends "
                             "(duration is shorter)");
    }
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
    free(sites.v);
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
