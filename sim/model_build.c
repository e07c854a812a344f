/*
 * model_build.c - a validated scenario assembled into site LPs.
 *
 * Every site gets the facility models' defaults (models/facility, each
 * with its source) sized for its installed IT, with what the scenario wrote
 * on top: accelerator data from the catalog, the cooling type, supply
 * temperatures, liquid share, heat rejection, approach and chiller COP, the
 * heat-reuse network.  Climate and grid signals are loaded here (the grid's
 * in sim/model_grid.c), before the run, so the LPs only read them.
 *
 * Sizing: the cooling plant and the distribution are designed for the IT
 * power of every node at full load (dcs_node_power_w at utilisation 1).
 * Server fans scale with the share of heat still carried by air.
 */
#include "model_internal.h"
#include "dcsim/xalloc.h"

#include <libgen.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/embodied.h"
#include "dcsim/epw.h"
#include "dcsim/fault.h"
#include "dcsim/rng.h"


static void build_clusters(const dcs_site_spec *sp, dcs_model_site *ms, double air_share,
                           double *design_w)
{
    ms->clusters = dcs_xcalloc(sp->nclusters, sizeof *ms->clusters);
    *design_w = 0;
    for (size_t j = 0; j < sp->nclusters; j++) {
        const dcs_cluster_spec *cs = &sp->clusters[j];
        dcs_site_cluster *k = &ms->clusters[j];
        dcs_accel_params a;
        dcs_accel_defaults(&a);
        a.idle_w = cs->accel->idle_power_w;
        a.max_w = cs->accel->max_power_w;
        a.peak_flops = cs->accel->peak_flops;
        a.mem_bw_bytes_s = cs->accel->mem_bandwidth_bps;
        a.mem_bytes = cs->accel->mem_capacity_b;
        dcs_node_defaults(&k->node, &a);
        k->node.gpus = (int)cs->gpus_per_node;
        k->node.fan_max_w *= air_share;
        k->name = cs->name;
        k->nodes = cs->nodes;
        k->utilization = cs->utilization;
        k->nodes_per_rack = (double)cs->nodes_per_rack;
        k->rack_power_limit_w = isnan(cs->rack_power_limit_w) ? 0.0 : cs->rack_power_limit_w;
        *design_w += (double)cs->nodes * dcs_node_power_w(&k->node, 1.0, 1.0, 1.0);
    }
}

static void build_cooling(const dcs_cooling_spec *c, double design_w, dcs_cooling_params *p)
{
    dcs_cooling_type t = (dcs_cooling_type)c->type;
    dcs_cooling_defaults_split(p, t, design_w, c->liquid_fraction);
    if (!isnan(c->supply_air_c))
        p->air.supply_air_c = c->supply_air_c;
    if (!isnan(c->supply_temp_c))
        p->liquid.supply_c = c->supply_temp_c;
    /* heat_rejection and approach describe the primary path's outdoor unit. */
    dcs_hr_params *hr = t == DCS_COOLING_AIR ? &p->air.heat_rejection
                                             : &p->liquid.heat_rejection;
    if (c->heat_rejection != DCS_REJECT_NONE) {
        dcs_hr_type want = c->heat_rejection == DCS_REJECT_DRY_COOLER ? DCS_HR_DRY_COOLER
                                                                       : DCS_HR_COOLING_TOWER;
        if (want != hr->type)
            dcs_hr_defaults(hr, want, hr->design_heat_w);
    }
    if (!isnan(c->approach_k))
        hr->approach_k = c->approach_k;
    p->air.chiller.cop_ref = c->chiller.cop_ref;
    p->liquid.trim_chiller.cop_ref = c->chiller.cop_ref;
}

static void copy12(double dst[12], const double *src, size_t n)
{
    for (size_t i = 0; i < 12; i++)
        dst[i] = i < n && src ? src[i] : 0.0;
}

/* Resolve path as written relative to the scenario's folder (absolute paths
 * are kept). */
void dcs_model_resolve_path(const char *scenario_path, const char *path, char *out, size_t n)
{
    if (path[0] == '/' || !scenario_path) {
        snprintf(out, n, "%s", path);
        return;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", scenario_path);
    snprintf(out, n, "%s/%s", dirname(tmp), path);
}

static dcs_status build_climate(const dcs_scenario *s, size_t i, const char *scenario_path,
                                dcs_model_site *ms, dcs_diag *d)
{
    const dcs_site_spec *sp = &s->sites[i];
    dcs_site_config *cfg = &ms->cfg;
    const dcs_climate_spec *k = &sp->climate;
    if (k->entry) {
        const dcs_climate_entry *e = k->entry;
        dcs_climate_normals *n = &cfg->normals;
        copy12(n->dry_bulb_mean_c, e->dry_bulb_mean_c, e->ndry_bulb_mean_c);
        copy12(n->diurnal_range_k, e->diurnal_range_k, e->ndiurnal_range_k);
        copy12(n->dew_point_mean_c, e->dew_point_mean_c, e->ndew_point_mean_c);
        copy12(n->dry_bulb_noise_sd_k, e->dry_bulb_noise_sd_k, e->ndry_bulb_noise_sd_k);
        copy12(n->dew_point_noise_sd_k, e->dew_point_noise_sd_k, e->ndew_point_noise_sd_k);
        n->pressure_pa = e->pressure_pa;
        n->latitude_deg = e->latitude_deg;
        n->utc_offset_h = e->utc_offset_h;
        n->noise_phi = e->noise_phi;
        dcs_climate_synth_params_for(n, &cfg->synth);
        return DCS_OK;
    }
    char path[4096];
    dcs_model_resolve_path(scenario_path, k->epw, path, sizeof path);
    ms->epw_path = dcs_xcalloc(strlen(path) + 1, 1);
    memcpy(ms->epw_path, path, strlen(path));
    dcs_epw epw = {0};
    dcs_status st = dcs_epw_read(ms->epw_path, d, &epw);
    if (st == DCS_OK && epw.n < 8760) {
        dcs_diag_error(d, dcs_scenario_loc(s, "sites[%zu].climate.epw", i),
                       "a weather file needs 8760 hourly rows (a whole year); '%s' has %d",
                       ms->epw_path, epw.n);
        st = DCS_EINPUT;
    }
    if (st == DCS_OK) {
        ms->hours = dcs_xcalloc((size_t)epw.n, sizeof *ms->hours);
        for (int h = 0; h < epw.n; h++)
            ms->hours[h] = epw.hours[h].air;
        cfg->hours = ms->hours;
        cfg->nhours = (size_t)epw.n;
        cfg->hours_utc_offset_h = (int)lround(epw.timezone_h);
    }
    dcs_epw_free(&epw);
    return st == DCS_EIO ? DCS_EINPUT : st;
}

/* Does fault f hit site sp (by name, in a list, or by grid region)? */
static bool fault_hits(const dcs_fault_spec *f, const dcs_site_spec *sp)
{
    if (f->site)
        return strcmp(f->site, sp->name) == 0;
    for (size_t j = 0; j < f->nsites; j++)
        if (f->sites[j] && strcmp(f->sites[j], sp->name) == 0)
            return true;
    return f->region && sp->grid.region && strcmp(f->region, sp->grid.region) == 0;
}

static long user_index(const dcs_scenario *s, const char *name)
{
    for (size_t r = 0; name && r < s->nusers; r++)
        if (strcmp(s->users[r].name, name) == 0)
            return (long)r;
    return -1;
}

/* The windows of fault k at site i: one when scheduled; random ones from
 * the stream (seed, fault, site) alone (fault.h), per node for node
 * failures, so they do not depend on the thread count. */
static void site_fault_windows(const dcs_scenario *s, size_t k, size_t i, uint64_t seed,
                               const dcs_model_site *ms, dcs_fault_list *out)
{
    const dcs_fault_spec *f = &s->faults[k];
    const dcs_site_config *cfg = &ms->cfg;
    double gpus = 0, node_gpus = 1;
    for (size_t c = 0; c < cfg->nclusters; c++)
        gpus += (double)cfg->clusters[c].nodes * cfg->clusters[c].node.gpus;
    if (cfg->nclusters > 0)
        node_gpus = cfg->clusters[0].node.gpus;
    dcs_fault_window proto = {.kind = f->kind, .source = (int)k, .fraction = 1.0,
                              .region = (int)user_index(s, f->users), .failover = f->failover,
                              .generator_fails = f->generator_fails};
    if (f->kind == DCS_FAULT_CDU_PUMP)
        proto.fraction = isnan(f->fraction) ? 0.25 : f->fraction;
    else if (f->kind == DCS_FAULT_NODE_FAILURE)
        proto.fraction = !isnan(f->fraction) ? f->fraction : gpus > 0 ? node_gpus / gpus : 0.0;
    gsl_rng *rng = dcs_rng_stream_alloc(NULL, seed, DCS_LP_MAX + 1 + (uint32_t)k, (unsigned)i);
    if (!rng) {
        fprintf(stderr, "dcsim: out of memory (fault stream)\n");
        abort();
    }
    size_t first = out->n;
    double mtbf_s = dcs_time_to_s(f->mtbf), mttr_s = dcs_time_to_s(f->mttr);
    if (!(f->mtbf > 0)) {
        proto.at = f->at;
        proto.end = f->duration > 0 ? dcs_time_add_sat(f->at, f->duration) : s->duration;
        dcs_fault_list_push(out, &proto);
    } else if (f->kind == DCS_FAULT_NODE_FAILURE) {
        for (size_t c = 0; c < cfg->nclusters; c++) {
            proto.fraction = gpus > 0 ? cfg->clusters[c].node.gpus / gpus : 0.0;
            for (int64_t n = 0; n < cfg->clusters[c].nodes; n++)
                dcs_fault_renewal(rng, &proto, mtbf_s, mttr_s, (dcs_repair_dist)f->repair,
                                  s->duration, out);
        }
    } else {
        dcs_fault_renewal(rng, &proto, mtbf_s, mttr_s, (dcs_repair_dist)f->repair,
                          s->duration, out);
    }
    /* Each utility loss's generator start fails with the given chance,
     * drawn after the windows from the same stream. */
    for (size_t j = first; j < out->n && f->generator_fail_prob > 0; j++)
        out->w[j].generator_fails |= gsl_rng_uniform(rng) < f->generator_fail_prob;
    gsl_rng_free(rng);
}

/* Every fault window of site i, sorted; chiller trips also as the cooling
 * loop's trips; the backup power from the first utility loss that hits the
 * site (its UPS autonomy and generator start), else the defaults. */
static void build_faults(const dcs_scenario *s, size_t i, uint64_t seed, double design_w,
                         dcs_model_site *ms)
{
    const dcs_site_spec *sp = &s->sites[i];
    dcs_site_config *cfg = &ms->cfg;
    dcs_backup_defaults(&cfg->backup, design_w, 0.0);
    bool backup_set = false;
    for (size_t k = 0; k < s->nfaults; k++) {
        const dcs_fault_spec *f = &s->faults[k];
        if (!fault_hits(f, sp))
            continue;
        site_fault_windows(s, k, i, seed, ms, &ms->faults);
        if (f->kind == DCS_FAULT_UTILITY_LOSS && !backup_set) {
            dcs_backup_defaults(&cfg->backup, design_w, dcs_time_to_s(f->ups_autonomy));
            cfg->backup.generator_start_s = dcs_time_to_s(f->generator_start);
            backup_set = true;
        }
    }
    dcs_fault_list_sort(&ms->faults);
    size_t n = 0;
    ms->trips = dcs_xcalloc(ms->faults.n ? ms->faults.n : 1, sizeof *ms->trips);
    for (size_t j = 0; j < ms->faults.n; j++) {
        const dcs_fault_window *w = &ms->faults.w[j];
        if (w->kind == DCS_FAULT_CHILLER_TRIP)
            ms->trips[n++] = (dcs_site_trip){w->at, w->end - w->at};   /* sorted by at */
    }
    cfg->trips = ms->trips;
    cfg->ntrips = n;
    cfg->faults = ms->faults.w;
    cfg->nfaults = ms->faults.n;
}

static dcs_status build_site(const dcs_scenario *s, const char *scenario_path, size_t i,
                             uint64_t seed, dcs_model_site *ms, dcs_diag *d)
{
    const dcs_site_spec *sp = &s->sites[i];
    dcs_site_config *cfg = &ms->cfg;
    cfg->name = sp->name;
    cfg->duration = s->duration;
    cfg->sample_period = s->sample_period;
    cfg->control_period = s->policy.control_period;
    cfg->start_utc_s = s->start_utc_s;
    /* The liquid share of heat the cooling model will use, before sizing. */
    dcs_cooling_params probe;
    dcs_cooling_defaults_split(&probe, (dcs_cooling_type)sp->cooling.type, 1.0,
                               sp->cooling.liquid_fraction);
    double liquid = probe.liquid.liquid_fraction;
    double design_w;
    build_clusters(sp, ms, 1.0 - liquid, &design_w);
    cfg->clusters = ms->clusters;
    cfg->nclusters = sp->nclusters;
    cfg->power_limit_w = isnan(sp->power_limit_w) ? 0.0 : sp->power_limit_w;
    build_cooling(&sp->cooling, design_w > 0 ? design_w : 1.0, &cfg->cooling);
    dcs_distribution_defaults(&cfg->distribution, design_w > 0 ? design_w : 1.0);
    if (sp->heat_reuse.district_heating) {
        const dcs_reuse_spec *r = &sp->heat_reuse;
        cfg->heat_reuse = true;
        dcs_heat_reuse_defaults(&cfg->reuse, design_w);
        cfg->reuse.supply_c = r->supply_temp_c;
        cfg->reuse.carnot_fraction = r->carnot_fraction;
        if (!isnan(r->capacity_w))
            cfg->reuse.capacity_w = r->capacity_w;
        if (!isnan(r->demand_w))
            cfg->reuse.demand_design_w = r->demand_w;
    }
    dcs_embodied_params emb = dcs_embodied_defaults();
    cfg->embodied_kg_per_gpu_s = dcs_embodied_kg_per_gpu_hour(&emb) / 3600.0;
    build_faults(s, i, seed, design_w > 0 ? design_w : 1.0, ms);
    dcs_status st = build_climate(s, i, scenario_path, ms, d);
    if (st == DCS_OK)
        st = dcs_model_build_grid(s, scenario_path, i, ms, d);
    return st;
}

dcs_status dcs_model_build(const dcs_scenario *s, const char *scenario_path, uint64_t seed,
                           int threads, dcs_diag *d, dcs_model **out)
{
    *out = NULL;
    if (s->policy.control_period > DCS_HOUR) {
        dcs_diag_error(d, dcs_scenario_loc(s, "policy.control_period"),
                       "policy.control_period above 1 h is not supported: the facility "
                       "model steps at least hourly, with the weather");
        return DCS_EINPUT;
    }
    dcs_model *m = dcs_xcalloc(1, sizeof *m);
    m->scenario = s;
    m->nsites = s->nsites;
    m->sites = dcs_xcalloc(s->nsites, sizeof *m->sites);
    for (size_t i = 0; i < s->nsites; i++)
        m->sites[i].lp = DCS_LP_ANY;          /* no LP yet: nothing to release */
    m->work.ctrl_lp = DCS_LP_ANY;
    dcs_status st = DCS_OK;
    for (size_t i = 0; i < s->nsites; i++) {
        dcs_status si = build_site(s, scenario_path, i, seed, &m->sites[i], d);
        if (si != DCS_OK && st == DCS_OK)
            st = si;
    }
    if (st == DCS_OK)
        st = dcs_model_build_work(s, scenario_path, seed, m, d);
    if (st == DCS_OK) {
        dcs_engine_config ec = {.seed = seed, .threads = threads, .end_time = s->duration};
        m->engine = dcs_engine_new(&ec);
        if (!m->engine)
            st = DCS_ENOMEM;
        /* The controller first (LP 0): its actions precede site events
         * at the same time (control.h). */
        if (st == DCS_OK)
            st = dcs_model_work_lps(m);
        for (size_t i = 0; i < s->nsites && st == DCS_OK; i++) {
            m->sites[i].lp = dcs_engine_add_lp(m->engine, &dcs_site_lp_type, &m->sites[i].cfg);
            if (m->sites[i].lp == DCS_LP_ANY)
                st = DCS_ENOMEM;
        }
        if (st == DCS_OK)
            st = dcs_model_work_channels(m);
    }
    if (st != DCS_OK) {
        dcs_model_free(m);
        return st;
    }
    *out = m;
    return DCS_OK;
}

dcs_status dcs_model_run(dcs_model *m, _Atomic dcs_time *progress)
{
    dcs_engine_set_progress(m->engine, progress);
    dcs_status st = dcs_engine_run(m->engine);
    m->ran = st == DCS_OK;
    return st;
}

const char *dcs_model_failure(const dcs_model *m) { return dcs_engine_failure(m->engine); }
uint64_t dcs_model_events(const dcs_model *m) { return dcs_engine_events(m->engine); }
int dcs_model_threads(const dcs_model *m) { return dcs_engine_threads(m->engine); }

void *dcs_model_site_state(const dcs_model *m, size_t i)
{
    return dcs_engine_lp_state(m->engine, m->sites[i].lp);
}

void dcs_model_site_totals(const dcs_model *m, size_t i, dcs_site_account *out)
{
    dcs_site_results r;
    dcs_site_results_of(dcs_model_site_state(m, i), &r);
    *out = *r.account;
}

void dcs_model_free(dcs_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nsites; i++) {
        dcs_model_site *ms = &m->sites[i];
        if (m->engine && ms->lp != DCS_LP_ANY)
            dcs_site_release(dcs_model_site_state(m, i));
        free(ms->clusters);
        free(ms->trips);
        dcs_fault_list_free(&ms->faults);
        free(ms->hours);
        free(ms->epw_path);
        dcs_model_grid_free(ms);
    }
    dcs_model_work_free(m);
    dcs_engine_free(m->engine);
    free(m->sites);
    free(m);
}
