/*
 * model_grid.c - a site's grid signals, prices and procurement, built from
 * the scenario before the run (models/grid; docs/grid.md).
 *
 * Every signal is laid out over the hours of the run, hour h starting at
 * start_utc_s + 3600 h (the scenario's `start`), so the site LP indexes it
 * by simulated time:
 *   - intensity: a catalog region (typical day or annual average), a flat
 *     value, an hourly file (Electricity Maps, generic or EIA-930; the file's
 *     hour at the same calendar time, wrapping past its end, so one year of
 *     data repeats for a longer run), or the generation-mix model (average
 *     and marginal intensity and the hourly carbon-free share).  An EIA-930
 *     file also gives a marginal intensity by local hour of day, fitted by
 *     the regression of marginal.h (Siler-Evans et al. 2012) on the file;
 *   - price: flat, time-of-use, or an hourly file placed the same way;
 *   - procurement: hourly capacity factors of every PPA and of on-site solar
 *     from the generation-mix model's solar and wind at the plant's place.
 *     PPAs in the site's region are pooled (capacity-weighted profile); a
 *     PPA in another region counts exactly as certificates do in
 *     procure.h (annual matching and market-based carbon, nothing hourly),
 *     so its expected energy over the run is added to the certificates.
 * Random draws (mix weather, PPA and on-site weather) come from dedicated
 * streams (seed, site index, purpose), so a run is the same for any number
 * of threads and a site's grid does not change when another site is added.
 * Where a place is not given, the plant sits at the grid mix's place, else
 * at the site climate's latitude (45 degrees N without one) and at the
 * longitude of the grid region's standard time (15 degrees per hour).
 */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/ci_csv.h"
#include "dcsim/genmix.h"
#include "dcsim/marginal.h"
#include "dcsim/rng.h"
#include "dcsim/typical.h"

/* Stream purposes of build-time draws; the site LP's own streams use 0.. */
enum { RNG_MIX = 100, RNG_ONSITE = 101, RNG_PPA = 102 };

/* value[h] of out = the value of in at the same calendar hour (wrapping). */
static void place(const dcs_hourly *in, dcs_hourly *out)
{
    for (size_t h = 0; h < out->n; h++) {
        int64_t u = out->start_utc_s + (int64_t)h * 3600;
        out->value[h] = dcs_hourly_at(in, (u - in->start_utc_s) * DCS_SECOND);
    }
}

/* Marginal intensity of an EIA-930 grid by the regression of marginal.h,
 * one factor per local standard hour, laid over the run; without enough
 * data for a fit the site simply has no marginal signal (warned). */
static void eia_marginal(const dcs_grid_spec *g, const char *path, const dcs_hourly *ci,
                         const dcs_hourly *gen, dcs_model_site *ms, dcs_diag *d)
{
    dcs_marginal_profile mp;
    if (dcs_marginal_fit(ci, gen, (int)g->utc_offset_h, &mp) != DCS_OK) {
        dcs_diag_warn(d, (dcs_loc){path, 0, 0}, "too few hours for a marginal-emission fit "
                      "(3 hour-to-hour changes per hour of day): no marginal intensity");
        return;
    }
    if (dcs_hourly_init(&ms->ci_marginal, ms->ci.start_utc_s, ms->ci.n) != DCS_OK)
        return;
    for (size_t h = 0; h < ms->ci_marginal.n; h++) {
        int64_t local = ms->ci.start_utc_s + (int64_t)h * 3600 + g->utc_offset_h * 3600;
        int hour;
        dcs_utc_s_to_civil(local, NULL, NULL, NULL, &hour, NULL, NULL);
        ms->ci_marginal.value[h] = mp.kg_per_j[hour];
    }
    ms->cfg.ci_marginal = &ms->ci_marginal;
}

static dcs_status read_csv(const dcs_grid_spec *g, dcs_model_site *ms, const char *path,
                           dcs_hourly *tmp, dcs_diag *d)
{
    switch ((dcs_csv_format)g->csv_format) {
    case DCS_CSV_GENERIC: {
        dcs_csv_hourly_opts o = {.utc_offset_min = (int)g->utc_offset_h * 60,
                                 .dst = (dcs_dst_rule)g->dst, .scale = DCS_G_PER_KWH};
        return dcs_ci_csv_read_generic(path, &o, tmp, d);
    }
    case DCS_CSV_EIA: {
        dcs_eia_factors f = dcs_eia_factors_default();
        dcs_hourly gen = {0};
        dcs_status st = dcs_ci_csv_read_eia(path, &f, tmp, &gen, d);
        if (st == DCS_OK)
            eia_marginal(g, path, tmp, &gen, ms, d);
        dcs_hourly_free(&gen);
        return st;
    }
    case DCS_CSV_EMAPS:
    default:
        return dcs_ci_csv_read_emaps(path, (dcs_ci_basis)g->csv_column, tmp, d);
    }
}

/* A file's series placed over the run; a file shorter than the run and than
 * a year repeats, which a user should know of. */
static dcs_status load_hourly_file(const char *scenario_path, const char *file,
                                   dcs_status (*read)(const dcs_grid_spec *, dcs_model_site *,
                                                      const char *, dcs_hourly *, dcs_diag *),
                                   const dcs_grid_spec *g, const dcs_csv_hourly_opts *price,
                                   dcs_model_site *ms, dcs_hourly *out, dcs_diag *d)
{
    char path[4096];
    dcs_model_resolve_path(scenario_path, file, path, sizeof path);
    dcs_hourly tmp = {0};
    dcs_status st = read ? read(g, ms, path, &tmp, d)
                         : dcs_ci_csv_read_generic(path, price, &tmp, d);
    size_t run_hours = ms->nhours - 1;
    if (st == DCS_OK) {
        if (tmp.n < run_hours && tmp.n < 8760)
            dcs_diag_warn(d, (dcs_loc){path, 0, 0},
                          "the file covers %zu hours, fewer than the run's %zu and than a "
                          "year: it repeats every %zu hours", tmp.n, run_hours, tmp.n);
        place(&tmp, out);
    }
    dcs_hourly_free(&tmp);
    return st == DCS_EIO ? DCS_EINPUT : st;
}

static void set_unit(dcs_genmix_unit *u, int *n, dcs_source s, double w)
{
    if (w > 0 && *n < DCS_GENMIX_MAX_UNITS)
        u[(*n)++] = (dcs_genmix_unit){s, w};
}

/* The generation-mix parameters a scenario's `mix:` describes. */
static dcs_genmix_params mix_params(const dcs_mix_spec *m)
{
    dcs_genmix_params p = dcs_genmix_defaults();
#define OVR(field, v) if (!isnan(v)) p.field = (v)
    OVR(demand_mean_w, m->demand_mean_w);
    OVR(demand_amplitude, m->demand_amplitude);
    OVR(latitude_deg, m->latitude_deg);
    OVR(longitude_deg, m->longitude_deg);
#undef OVR
    const double caps[] = {m->solar_w, m->wind_w, m->nuclear_w, m->hydro_w, m->geothermal_w,
                           m->coal_w, m->gas_w, m->oil_w, m->biomass_w};
    bool any = false;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        any |= !isnan(caps[i]);
    if (!any)
        return p;
#define CAP(v) (isnan(v) ? 0.0 : (v))
    p.solar_capacity_w = CAP(m->solar_w);
    p.wind_capacity_w = CAP(m->wind_w);
    p.n_must_run = 0;
    set_unit(p.must_run, &p.n_must_run, DCS_SRC_NUCLEAR, CAP(m->nuclear_w));
    set_unit(p.must_run, &p.n_must_run, DCS_SRC_HYDRO, CAP(m->hydro_w));
    set_unit(p.must_run, &p.n_must_run, DCS_SRC_GEOTHERMAL, CAP(m->geothermal_w));
    double disp[DCS_SRC_COUNT] = {0};
    disp[DCS_SRC_COAL] = CAP(m->coal_w);
    disp[DCS_SRC_GAS] = CAP(m->gas_w);
    disp[DCS_SRC_OIL] = CAP(m->oil_w);
    disp[DCS_SRC_BIOMASS] = CAP(m->biomass_w);
#undef CAP
    /* Merit order: as written, then the remaining dispatchable sources in a
     * gas-first default order. */
    static const dcs_source order[] = {DCS_SRC_GAS, DCS_SRC_COAL, DCS_SRC_OIL, DCS_SRC_BIOMASS};
    bool placed[DCS_SRC_COUNT] = {false};
    p.n_merit = 0;
    for (size_t i = 0; i < m->nmerit; i++) {
        dcs_source s = dcs_source_by_name(m->merit[i]);
        if (s >= DCS_SRC_COUNT || placed[s])
            continue;
        placed[s] = true;
        if (disp[s] > 0)
            set_unit(p.merit, &p.n_merit, s, disp[s]);
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (!placed[order[i]])
            set_unit(p.merit, &p.n_merit, order[i], disp[order[i]]);
    return p;
}

/* Average and marginal intensity and the carbon-free share of every hour. */
static void run_mix(const dcs_genmix_params *p, gsl_rng *rng, dcs_model_site *ms)
{
    dcs_genmix_state st;
    dcs_genmix_state_init(&st, rng);
    for (size_t i = 0; i < ms->ci.n; i++) {
        int hour, doy;
        dcs_utc_s_to_civil(ms->ci.start_utc_s + (int64_t)i * 3600, NULL, NULL, NULL, &hour,
                           &doy, NULL);
        dcs_genmix_hour h;
        dcs_genmix_step(p, &st, rng, doy, hour, &h);
        double total = 0, clean = 0;
        for (int s = 0; s < DCS_SRC_COUNT; s++) {
            total += h.gen_w[s];
            if (s == DCS_SRC_NUCLEAR || s == DCS_SRC_HYDRO || s == DCS_SRC_GEOTHERMAL
                || s == DCS_SRC_WIND || s == DCS_SRC_SOLAR)
                clean += h.gen_w[s];
        }
        ms->ci.value[i] = h.avg_kg_per_j;
        ms->ci_marginal.value[i] = h.marginal_kg_per_j;
        ms->cfe.value[i] = total > 0 ? clean / total : 0.0;
    }
}

static dcs_status build_intensity(const dcs_scenario *s, const char *scenario_path,
                                  uint64_t seed, uint32_t site, dcs_model_site *ms, dcs_diag *d)
{
    const dcs_grid_spec *g = &s->sites[site].grid;
    const dcs_grid_entry *e = g->entry;
    size_t n = ms->ci.n;
    ms->cfg.grid_cfe = !isnan(g->cfe) ? g->cfe : e ? e->grid_cfe_pct / 100.0 : 0.0;
    if (g->csv)
        return load_hourly_file(scenario_path, g->csv, read_csv, g, NULL, ms, &ms->ci, d);
    if (g->has_mix) {
        dcs_genmix_params p = mix_params(&g->mix);
        dcs_loc loc = dcs_scenario_loc(s, "sites[%u].grid.mix", site);
        if (dcs_genmix_check(&p, d, loc) != DCS_OK)
            return DCS_EINPUT;
        gsl_rng *rng = dcs_rng_stream_alloc(NULL, seed, site, RNG_MIX);
        if (!rng || dcs_hourly_init(&ms->ci_marginal, ms->ci.start_utc_s, n) != DCS_OK
            || dcs_hourly_init(&ms->cfe, ms->ci.start_utc_s, n) != DCS_OK) {
            gsl_rng_free(rng);
            return DCS_ENOMEM;
        }
        run_mix(&p, rng, ms);
        gsl_rng_free(rng);
        ms->cfg.ci_marginal = &ms->ci_marginal;
        if (isnan(g->cfe))
            ms->cfg.grid_cfe_hourly = &ms->cfe;
        return DCS_OK;
    }
    if (e && e->typical_day_ci_g_per_kwh && e->ntypical_day_ci_g_per_kwh == 12 * 24) {
        dcs_typical_day td;
        for (int m = 0; m < 12; m++)
            for (int h = 0; h < 24; h++)
                td.value[m][h] = e->typical_day_ci_g_per_kwh[m * 24 + h];
        td.utc_offset_h = (int)e->utc_offset_h;
        dcs_typical_day_expand(&td, &ms->ci);
        for (size_t i = 0; i < n; i++)
            ms->ci.value[i] *= DCS_G_PER_KWH;
        return DCS_OK;
    }
    double v = e ? e->annual_ci_g_per_kwh * DCS_G_PER_KWH : g->intensity_kg_per_j;
    for (size_t i = 0; i < n; i++)
        ms->ci.value[i] = v;
    return DCS_OK;
}

static dcs_status build_price(const dcs_grid_spec *g, const char *scenario_path,
                              dcs_model_site *ms, dcs_diag *d)
{
    dcs_status st = dcs_hourly_init(&ms->price, ms->ci.start_utc_s, ms->ci.n);
    if (st != DCS_OK)
        return st;
    dcs_price_params p = dcs_price_defaults();
    p.flat_usd_per_j = g->price_usd_per_j;
    if (g->has_tou) {
        const dcs_tou_spec *t = &g->price_tou;
        p.kind = DCS_PRICE_TOU;
        p.peak_usd_per_j = t->peak_usd_per_j;
        p.offpeak_usd_per_j = t->offpeak_usd_per_j;
        p.peak_start_h = (int)t->peak_start_h;
        p.peak_end_h = (int)t->peak_end_h;
        p.weekdays_only = t->weekdays_only;
        p.utc_offset_h = (int)t->utc_offset_h;
    }
    if (g->price_csv.file) {
        dcs_csv_hourly_opts o = {.utc_offset_min = (int)g->price_csv.utc_offset_h * 60,
                                 .dst = (dcs_dst_rule)g->price_csv.dst,
                                 .scale = DCS_USD_PER_MWH, .allow_negative = true};
        st = load_hourly_file(scenario_path, g->price_csv.file, NULL, g, &o, ms, &ms->price,
                              d);
    } else {
        for (size_t h = 0; h < ms->price.n; h++)
            ms->price.value[h] = dcs_price_at(&p, ms->price.start_utc_s + (int64_t)h * 3600);
    }
    ms->cfg.price = &ms->price;
    ms->cfg.price_usd_per_j = g->price_usd_per_j;
    ms->cfg.demand_usd_per_w_month = g->demand_usd_per_w_month;
    return st;
}

/* Where a plant of the site sits when the scenario does not say. */
static void site_place(const dcs_site_spec *sp, double *lat, double *lon)
{
    const dcs_grid_spec *g = &sp->grid;
    dcs_genmix_params p = mix_params(&g->mix);
    if (g->has_mix) {
        *lat = p.latitude_deg;
        *lon = p.longitude_deg;
        return;
    }
    *lat = sp->climate.entry ? sp->climate.entry->latitude_deg : 45.0;
    *lon = g->entry ? 15.0 * (double)g->entry->utc_offset_h : 0.0;
}

/* Hourly capacity factor of a solar (solar true) or wind plant at a place. */
static dcs_status plant_profile(bool solar, double lat, double lon, uint64_t seed,
                                uint32_t site, unsigned purpose, int64_t start, size_t n,
                                double *cf)
{
    dcs_genmix_params p = dcs_genmix_defaults();
    p.latitude_deg = lat;
    p.longitude_deg = lon;
    gsl_rng *rng = dcs_rng_stream_alloc(NULL, seed, site, purpose);
    if (!rng)
        return DCS_ENOMEM;
    dcs_genmix_out o = {0};
    if (solar)
        o.solar_cf = cf;
    else
        o.wind_cf = cf;
    dcs_genmix_series(&p, rng, start, n, &o);
    gsl_rng_free(rng);
    return DCS_OK;
}

static dcs_status build_procurement(const dcs_site_spec *sp, dcs_time duration, uint64_t seed,
                                    uint32_t site, dcs_model_site *ms)
{
    const dcs_procurement_spec *q = &sp->procurement;
    size_t n = ms->nhours;
    int64_t start = ms->ci.start_utc_s;
    dcs_procure_params *p = &ms->cfg.procurement;
    *p = dcs_procure_defaults();
    double lat0, lon0;
    site_place(sp, &lat0, &lon0);
    ms->ppa_cf = calloc(n, sizeof *ms->ppa_cf);
    ms->onsite_cf = calloc(n, sizeof *ms->onsite_cf);
    double *one = calloc(n, sizeof *one);
    if (!ms->ppa_cf || !ms->onsite_cf || !one) {
        free(one);
        return DCS_ENOMEM;
    }
    dcs_status st = DCS_OK;
    double pooled_w = 0, other_j = 0;
    for (size_t k = 0; k < q->nppa && st == DCS_OK; k++) {
        const dcs_ppa_spec *a = &q->ppa[k];
        double lat = isnan(a->latitude_deg) ? lat0 : a->latitude_deg;
        double lon = isnan(a->longitude_deg) ? lon0 : a->longitude_deg;
        st = plant_profile(a->source == 1, lat, lon, seed, site, RNG_PPA + (unsigned)k, start,
                           n, one);
        for (size_t h = 0; h < n && st == DCS_OK; h++) {
            if (a->region == 0)
                ms->ppa_cf[h] += a->capacity_w * one[h];
            else
                other_j += a->capacity_w * one[h] * 3600.0;
        }
        if (a->region == 0)
            pooled_w += a->capacity_w;
    }
    for (size_t h = 0; h < n && pooled_w > 0; h++)
        ms->ppa_cf[h] /= pooled_w;
    if (st == DCS_OK && q->onsite_solar_w > 0)
        st = plant_profile(true, lat0, lon0, seed, site, RNG_ONSITE, start, n, ms->onsite_cf);
    free(one);
    p->ppa_capacity_w = pooled_w;
    p->ppa_cf = ms->ppa_cf;
    p->ppa_same_region = true;
    p->onsite_solar_w = q->onsite_solar_w;
    p->onsite_cf = ms->onsite_cf;
    p->battery_capacity_j = q->battery.capacity_j;
    p->battery_power_w = q->battery.power_w;
    p->battery_rte = q->battery.rte;
    /* Certificates are bought per year; the run gets its share. */
    p->eac_j = q->certificates_j * dcs_time_to_s(duration) / (365.0 * 86400.0) + other_j;
    ms->cfg.procure = true;
    return st;
}

dcs_status dcs_model_build_grid(const dcs_scenario *s, const char *scenario_path, size_t i,
                                dcs_model_site *ms, dcs_diag *d)
{
    const dcs_site_spec *sp = &s->sites[i];
    uint64_t seed = (uint64_t)s->seed;
    uint32_t site = (uint32_t)i;      /* sites are the first LPs, in order */
    /* Two hours beyond the end: the last partial hour and its successor,
     * looked up when an event falls exactly on the end. */
    ms->nhours = (size_t)(s->duration / DCS_HOUR) + 1;
    dcs_status st = dcs_hourly_init(&ms->ci, s->start_utc_s, ms->nhours + 1);
    if (st != DCS_OK) {
        dcs_diag_error(d, dcs_scenario_loc(s, "start"),
                       "start must fall on a whole hour (the grid signals are hourly)");
        return DCS_EINPUT;
    }
    st = build_intensity(s, scenario_path, seed, site, ms, d);
    ms->cfg.ci = &ms->ci;
    dcs_status sp_st = build_price(&sp->grid, scenario_path, ms, d);
    if (st == DCS_OK)
        st = sp_st;
    if (st == DCS_OK)
        st = build_procurement(sp, s->duration, seed, site, ms);
    return st;
}

void dcs_model_grid_free(dcs_model_site *ms)
{
    dcs_hourly_free(&ms->ci);
    dcs_hourly_free(&ms->ci_marginal);
    dcs_hourly_free(&ms->cfe);
    dcs_hourly_free(&ms->price);
    free(ms->ppa_cf);
    free(ms->onsite_cf);
}
