/*
 * site_lp.c - the site logical process: facility physics wired to events.
 *
 * One self-event stream drives the site.  Its handler takes, in this order,
 * whatever is due at the current time:
 *   1. close the interval since the last change: every total grows by its
 *      rate times the interval (carbon by power times the exact integral of
 *      the hourly intensity, dcs_hourly_integral);
 *   2. faults starting, ending or changing phase now (fault.h): chiller
 *      trips act on the cooling loop; a dark site (outage, or a utility
 *      loss past its backup) draws nothing and its loop holds; on UPS or
 *      generator the facility draws nothing from the grid (no grid carbon
 *      or cost; diesel and its CO2 counted); GPUs out of service (node
 *      and CDU failures) draw nothing; the workloads are told
 *      (site_work_fault); any change runs a control step;
 *   3. a control step: IT power from the clusters (throttled by the loop's
 *      supply temperature), one transient step of the cooling loop
 *      (dcs_cooling_step, which returns the mean component powers of the
 *      step), distribution losses, heat reuse; these rates then hold until
 *      the next change;
 *   4. a series sample (instantaneous rates, cumulative totals).
 * Cost integrates the hourly price like carbon; the facility energy of each
 * hour of the run is kept so that, at the end, dcs_site_account_hours
 * (site_account.c) does the procurement accounting (hourly and annual
 * matching, market-based carbon, battery) and the demand charge, and fills
 * the series' clean-supply and battery columns.
 * The next event is the earliest of the next control step, sample, trip
 * boundary and fault change.  Ambient conditions are those of the hour
 * the control step starts in, so control_period must not exceed one hour.
 *
 * With workloads (config work != NULL, site_work*.c) the GPUs' power
 * changes at every batch iteration: the IT power of each closed interval
 * is then its exact energy (site_work_take) over its length, losses follow
 * that mean, and the cooling step's heat load is the mean IT power of the
 * control period that just ended (one period behind, as a plant's
 * controller sees it).  Rack and site limits become caps computed for full
 * load (caps that hold whatever the GPUs do), applied to the clocks of
 * replicas and jobs with the controller's cluster caps.  At every control
 * step k P (k >= 1) the site writes its telemetry into the control bus and
 * sends DCS_EV_TELEMETRY to the controller (control.h).
 *
 * Simplifications: without workloads clusters run at a constant
 * utilisation; UPS and distribution losses are not added to the heat the
 * cooling plant removes; water is counted as 1 L per kg.
 */
#include "dcsim/site.h"
#include "site_work.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/integrate.h"
#include "dcsim/invariant.h"
#include "dcsim/scenario.h"   /* dcs_fault_kind */

enum { EV_TICK = 1 };
enum { RNG_CLIMATE = SW_RNG_CLIMATE };

typedef struct site_state {
    const dcs_site_config *cfg;
    dcs_ambient *climate;          /* one per hour of the run (synthetic) */
    size_t nclimate;
    dcs_cooling_state loop;
    size_t next_trip;              /* index of the next trip to start */
    dcs_time trip_end;             /* end of the current trip, or -1 */
    dcs_time next_control, next_sample, t_last;
    /* rates holding since t_last */
    double it_w, cooling_w, loss_w, heat_pump_w, facility_w;
    double water_kg_s, reused_w, avoided_kg_s;
    dcs_free_mode mode;
    double unmet_w, throttle, util, busy_gpus, gpus, supply_c, free_fraction;
    bool capped;                   /* a rack or site power limit binds */
    double *rack_cap;              /* per cluster: GPU cap from its rack limit */
    double ambient_c, wet_bulb_c;
    dcs_site_account acc;
    dcs_time *times;
    double *rows;
    size_t nrows, cap_rows;
    /* facility energy per hour of the run, and room for the end-of-run
     * accounting (dcs_site_account_hours), allocated at init */
    double *hour_j, *work, *clean_w, *soc_j;
    size_t nhours;
    site_work *wk;                 /* workloads (NULL: constant utilisation) */
    site_work_view view;           /* their series values, per sample */
    double cap_mean;               /* mean cap of the clusters from the limits */
    dcs_fault_tracker ft;          /* the site's faults (fault.h) */
    dcs_fault_now fnow;            /* what they mean now */
    dcs_event_log_row *flog;       /* backup-power events (room: 2 per utility loss) */
    size_t nflog, cap_flog;
    dcs_time loss_start;           /* of the utility loss in force */
} site_state;

#define DCS_SITE_COL_NAME(name, unit) #name,
#define DCS_SITE_COL_UNIT(name, unit) unit,
const char *const dcs_site_col_names[DCS_SITE_NCOLS] = {DCS_SITE_SERIES(DCS_SITE_COL_NAME)};
const char *const dcs_site_col_units[DCS_SITE_NCOLS] = {DCS_SITE_SERIES(DCS_SITE_COL_UNIT)};
#undef DCS_SITE_COL_NAME
#undef DCS_SITE_COL_UNIT

/* Hour index since the run's start of time t. */
static size_t hour_of_run(dcs_time t) { return (size_t)(t / DCS_HOUR); }

/* Hour of the (365-day) year, local standard time, of hour h of the run. */
static int hour_of_year(const dcs_site_config *c, size_t h, int utc_offset_h)
{
    int64_t s = c->start_utc_s + (int64_t)h * 3600 + (int64_t)utc_offset_h * 3600;
    int yday = 0, hour = 0;
    dcs_utc_s_to_civil(s, NULL, NULL, NULL, &hour, &yday, NULL);
    if (yday > 364)             /* 31 December of a leap year repeats 30 December */
        yday = 364;
    return yday * 24 + hour;
}

static const dcs_ambient *ambient_at(const site_state *s, dcs_time t)
{
    const dcs_site_config *c = s->cfg;
    size_t h = hour_of_run(t);
    if (c->hours) {
        int hy = hour_of_year(c, h, c->hours_utc_offset_h);
        return &c->hours[(size_t)hy % c->nhours];
    }
    return &s->climate[h < s->nclimate ? h : s->nclimate - 1];
}

static void close_interval(site_state *s, dcs_time t)
{
    if (t <= s->t_last)
        return;
    const dcs_site_config *c = s->cfg;
    double dt = dcs_time_to_s(t - s->t_last);
    dcs_site_account *A = &s->acc;
    double busy_gpu_s = s->busy_gpus * dt;
    if (s->wk) {
        /* IT power varies with every iteration: the interval's mean power
         * carries its exact energy; losses follow that mean. */
        double it_j;
        site_work_take(s->wk, t, &it_j, &busy_gpu_s);
        s->it_w = it_j / dt;
        s->loss_w = dcs_distribution_loss_w(&c->distribution, s->it_w);
        s->facility_w = s->it_w + s->cooling_w + s->loss_w;
    }
    if (s->fnow.dark) {
        /* Nothing is powered: what the replicas still did meanwhile is
         * dropped with its energy (docs/faults.md, Simplifications). */
        s->it_w = s->loss_w = s->cooling_w = s->facility_w = 0;
        busy_gpu_s = 0;
        A->dark_s += dt;
    }
    A->gpu_out_s += s->gpus * s->fnow.gpus_out * dt;
    if (s->wk && s->wk->degraded)
        A->degraded_s += dt;     /* it changes only at ticks (site_work_degrade.c) */
    dcs_site_point p = {
        .it_w = s->it_w, .cooling_w = s->cooling_w, .losses_w = s->loss_w,
        .heat_pump_w = s->heat_pump_w, .water_kg_s = s->water_kg_s,
        .heat_reused_w = s->reused_w, .avoided_kg_s = s->avoided_kg_s, .mode = s->mode};
    dcs_site_totals_add(&A->energy, &p, dt);
    double facility_w = s->it_w + s->cooling_w + s->loss_w;
    /* On backup the grid supplies nothing: no grid carbon, cost or hourly
     * energy; the generator's diesel and CO2 are counted apart. */
    if (s->fnow.on_ups) {
        A->ups_j += facility_w * dt;
        facility_w = 0;
    } else if (s->fnow.on_generator) {
        double fuel = dcs_generator_fuel_l(&c->backup, facility_w * dt);
        A->generator_j += facility_w * dt;
        A->generator_fuel_l += fuel;
        A->generator_co2_kg += dcs_diesel_co2_kg(&c->backup, fuel);
        facility_w = 0;
    }
    if (c->price)   /* USD = W * (USD/J * s), the hourly price integrated exactly */
        A->cost_energy_usd += facility_w * dcs_hourly_integral(c->price, s->t_last, t);
    else
        A->cost_energy_usd += facility_w * c->price_usd_per_j * dt;
    A->cost_usd = A->cost_energy_usd;
    if (c->ci_marginal)
        A->carbon_marginal_kg += facility_w * dcs_hourly_integral(c->ci_marginal, s->t_last, t);
    /* Hourly energy for procurement: split the interval at hour boundaries. */
    for (dcs_time a = s->t_last; a < t;) {
        size_t h = hour_of_run(a);
        dcs_time b = (dcs_time)(h + 1) * DCS_HOUR;
        if (b > t)
            b = t;
        if (h < s->nhours)
            s->hour_j[h] += facility_w * dcs_time_to_s(b - a);
        a = b;
    }
    A->gpu_s += s->gpus * dt;
    A->busy_gpu_s += busy_gpu_s;
    A->embodied_kg += s->gpus * c->embodied_kg_per_gpu_s * dt;
    A->unmet_j += s->unmet_w * dt;
    if (s->throttle < 1.0)
        A->throttled_s += dt;
    if (s->capped)
        A->capped_s += dt;
    if (c->ci)   /* kg = W * (kg/J * s): the hourly intensity integrated exactly */
        A->carbon_kg += facility_w * dcs_hourly_integral(c->ci, s->t_last, t);
    s->t_last = t;
}

/* IT power of cluster k at utilisation util with its GPUs capped at cap
 * (a fraction of their maximum board power; 1 = uncapped). */
static double cluster_power(const dcs_site_cluster *k, double cap, double util)
{
    double clock = 1.0;
    if (cap < 1.0)
        clock = dcs_accel_clock_for_cap(&k->node.gpu, util, cap * k->node.gpu.max_w);
    return (double)k->nodes * dcs_node_power_w(&k->node, util, clock, util);
}

/* Utilisation the limits are computed for: the constant one, or with
 * workloads full load (caps that hold whatever the GPUs do). */
static double limit_util(const site_state *s, const dcs_site_cluster *k)
{
    return s->wk ? 1.0 : k->utilization;
}

typedef struct rack_arg {
    const dcs_site_cluster *k;
    double util;
} rack_arg;

/* The largest cap in [0, 1] whose power f(cap) stays <= limit_w (f grows
 * with the cap), by bisection to 1e-6; 0 if even that is too much. */
static double cap_for(double (*f)(const void *, double), const void *arg, double limit_w)
{
    if (f(arg, 1.0) <= limit_w)
        return 1.0;
    double lo = 0.0, hi = 1.0;
    while (hi - lo > 1e-6) {
        double mid = 0.5 * (lo + hi);
        if (f(arg, mid) <= limit_w)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double one_node_w(const void *arg, double cap)
{
    const rack_arg *r = arg;
    return cluster_power(r->k, cap, r->util) / (double)r->k->nodes;
}

/* IT power of all clusters with GPUs capped at min(throttle, rack cap, cap). */
static double site_it_w(const void *arg, double cap)
{
    const site_state *s = arg;
    const dcs_site_config *c = s->cfg;
    double it = 0;
    for (size_t i = 0; i < c->nclusters; i++) {
        double g = s->rack_cap[i] < cap ? s->rack_cap[i] : cap;
        it += cluster_power(&c->clusters[i], g < s->throttle ? g : s->throttle,
                            limit_util(s, &c->clusters[i]));
    }
    return it;
}

/* IT power of all clusters at the loop's throttle, under the rack limits
 * and the site's power limit.  The site limit applies to facility power,
 * so the IT allowance divides it by the previous step's facility/IT ratio
 * (one control period behind; the first step assumes no overhead). */
static void it_power(site_state *s)
{
    const dcs_site_config *c = s->cfg;
    double gpus = 0, busy = 0;
    bool capped = false;
    for (size_t i = 0; i < c->nclusters; i++) {
        const dcs_site_cluster *k = &c->clusters[i];
        double g = (double)k->nodes * k->node.gpus;
        gpus += g;
        s->rack_cap[i] = 1.0;
        rack_arg ra = {k, limit_util(s, k)};
        if (k->rack_power_limit_w > 0)
            s->rack_cap[i] = cap_for(one_node_w, &ra, k->rack_power_limit_w / k->nodes_per_rack);
        capped |= s->rack_cap[i] < 1.0;
        if (s->throttle > 0)
            busy += g * k->utilization;
    }
    double site_cap = 1.0;
    if (c->power_limit_w > 0 && s->throttle > 0) {
        double overhead = s->it_w > 0 ? s->facility_w / s->it_w : 1.0;
        site_cap = cap_for(site_it_w, s, c->power_limit_w / overhead);
        capped |= site_cap < 1.0;
    }
    double cap_sum = 0;
    for (size_t i = 0; i < c->nclusters; i++) {
        s->rack_cap[i] = s->rack_cap[i] < site_cap ? s->rack_cap[i] : site_cap;
        cap_sum += s->rack_cap[i];
    }
    s->cap_mean = c->nclusters ? cap_sum / (double)c->nclusters : 1.0;
    s->capped = capped;
    s->gpus = gpus;              /* installed: GPU-hours and embodied carbon */
    if (s->wk)
        return;                  /* GPUs' power and busy time come from the work */
    /* GPUs out of service (failed nodes, racks without coolant) draw
     * nothing and do nothing. */
    double up = 1.0 - s->fnow.gpus_out;
    s->it_w = s->throttle > 0 ? up * site_it_w(s, site_cap) : 0.0;   /* 0: shut down by heat */
    s->busy_gpus = up * busy;
    s->util = gpus > 0 ? busy / gpus : 0;
}

/* Write this site's telemetry of period k into the bus and tell the
 * controller (delay P/2, control.h). */
static void send_telemetry(dcs_lp *lp, site_state *s, int64_t k)
{
    const dcs_site_config *c = s->cfg;
    dcs_control_bus *b = c->bus;
    dcs_site_telemetry *tm = &b->tele[c->site_index][k % DCS_CONTROL_RING];
    memset(tm, 0, sizeof *tm);
    site_work_telemetry(s->wk, k, tm);
    tm->it_power_w = s->it_w;
    tm->facility_power_w = s->facility_w;
    tm->pue = s->it_w > 0 ? s->facility_w / s->it_w : 1.0;
    tm->free_cooling = s->free_fraction;
    tm->ambient_c = s->ambient_c;
    /* Faults with failover on are reported; the controller then sees no
     * capacity here, or the region cut (controller_lp.c). */
    tm->dark = s->fnow.dark_reported;
    if (tm->dark)
        tm->replicas_up = 0;
    for (int r = 0; r < DCS_WORK_MAX_REGIONS && r < DCS_FAULT_MAX_REGIONS; r++)
        tm->cut[r] = s->fnow.cut_reported[r];
    dcs_event *ev = dcs_lp_send(lp, b->controller_lp, c->control_period / 2, DCS_EV_TELEMETRY);
    ev->p.u[0] = (uint64_t)k;
}

/* A control step of a dark site: nothing runs, the cooling loop holds its
 * state (its mass neither gains nor loses heat: a simplification), the
 * workloads still close their period and the telemetry still goes out. */
static void dark_step(dcs_lp *lp, site_state *s, dcs_time t, const dcs_ambient *a)
{
    const dcs_site_config *c = s->cfg;
    s->it_w = s->cooling_w = s->loss_w = s->facility_w = 0;
    s->water_kg_s = s->unmet_w = s->free_fraction = 0;
    s->reused_w = s->heat_pump_w = s->avoided_kg_s = 0;
    s->busy_gpus = s->util = 0;
    s->ambient_c = a->dry_bulb_c;
    s->wet_bulb_c = a->wet_bulb_c;
    if (s->wk) {
        site_work_view_now(s->wk, &s->view);
        int64_t k = t / c->control_period;
        if (c->bus && k >= 1 && t % c->control_period == 0)
            send_telemetry(lp, s, k);
    } else {
        s->view = (site_work_view){.power_cap = s->cap_mean};
    }
}

static void control_step(dcs_lp *lp, site_state *s, dcs_time t, dcs_time dt_ns)
{
    const dcs_site_config *c = s->cfg;
    const dcs_ambient *a = ambient_at(s, t);
    it_power(s);
    double heat_w = s->it_w;
    if (s->wk) {
        /* The heat load is the mean IT power of the period that just ended
         * (one period behind); the GPUs' clocks follow this step's caps. */
        site_work_limits lim = {.limit_cap = s->rack_cap, .throttle = s->throttle,
                                .chiller_out = !s->loop.chiller_available};
        heat_w = site_work_control(s->wk, lp, t, dt_ns, &lim);
    }
    if (s->fnow.dark) {
        dark_step(lp, s, t, a);
        return;
    }
    dcs_cooling_step_result r;
    dcs_cooling_step(&c->cooling, a, heat_w, &s->loop, dcs_time_to_s(dt_ns), &r);
    s->throttle = r.throttle;
    s->cooling_w = r.power.total_w;
    s->water_kg_s = r.power.water_kg_s;
    s->free_fraction = r.power.free_fraction;
    s->mode = r.power.mode;
    s->unmet_w = r.power.unmet_w;
    s->supply_c = s->loop.supply_c;
    if (s->wk && t == 0)
        s->it_w = heat_w;        /* no interval closed yet: the power at t = 0 */
    if (!s->wk || t == 0)
        s->loss_w = dcs_distribution_loss_w(&c->distribution, s->it_w);
    s->reused_w = s->heat_pump_w = s->avoided_kg_s = 0;
    if (c->heat_reuse) {
        dcs_heat_reuse_result hr;
        dcs_heat_reuse_eval(&c->reuse, r.power.return_c, r.power.return_heat_w,
                            a->dry_bulb_c, &hr);
        s->reused_w = hr.recovered_w;   /* heat leaving the site, not the pump's output */
        s->heat_pump_w = hr.heat_pump_w;
        s->avoided_kg_s = hr.avoided_kg_s;
    }
    /* The heat pump belongs to the heating network (site_energy.h). */
    s->facility_w = s->it_w + s->cooling_w + s->loss_w;
    s->ambient_c = a->dry_bulb_c;
    s->wet_bulb_c = a->wet_bulb_c;
    if (s->wk) {
        site_work_view_now(s->wk, &s->view);
        /* Once per period boundary: a chiller trip also runs a step. */
        int64_t k = t / c->control_period;
        if (c->bus && k >= 1 && t % c->control_period == 0)
            send_telemetry(lp, s, k);
    } else {
        s->view = (site_work_view){.queue_len = 0, .requests_per_s = 0,
                                   .power_cap = s->cap_mean, .gpu_util = s->util};
    }
}

static void sample(site_state *s, dcs_time t)
{
    if (s->nrows >= s->cap_rows)
        return;                  /* capacity was sized for the run at init */
    const dcs_site_config *c = s->cfg;
    double *row = &s->rows[s->nrows * DCS_SITE_NCOLS];
    row[DCS_SITE_COL_ambient_c] = s->ambient_c;
    row[DCS_SITE_COL_wet_bulb_c] = s->wet_bulb_c;
    row[DCS_SITE_COL_it_power_w] = s->it_w;
    row[DCS_SITE_COL_cooling_power_w] = s->cooling_w;
    row[DCS_SITE_COL_facility_power_w] = s->facility_w;
    row[DCS_SITE_COL_pue] = s->it_w > 0 ? s->facility_w / s->it_w : (double)NAN;
    row[DCS_SITE_COL_carbon_intensity_g_per_kwh] =
        c->ci ? dcs_hourly_at(c->ci, t) / DCS_G_PER_KWH : (double)NAN;
    row[DCS_SITE_COL_marginal_intensity_g_per_kwh] =
        c->ci_marginal ? dcs_hourly_at(c->ci_marginal, t) / DCS_G_PER_KWH : (double)NAN;
    row[DCS_SITE_COL_emissions_kg] = s->acc.carbon_kg;
    /* known only after the run's accounting (site_finish) */
    row[DCS_SITE_COL_clean_supply_w] = NAN;
    row[DCS_SITE_COL_battery_soc_j] = NAN;
    row[DCS_SITE_COL_heat_reused_w] = s->reused_w;
    row[DCS_SITE_COL_water_l] = s->acc.energy.water_kg;
    row[DCS_SITE_COL_free_cooling_fraction] = s->free_fraction;
    row[DCS_SITE_COL_supply_temp_c] = s->supply_c;
    row[DCS_SITE_COL_throttle] = s->throttle;
    row[DCS_SITE_COL_gpu_util] = s->view.gpu_util;
    row[DCS_SITE_COL_queue_len] = s->view.queue_len;
    row[DCS_SITE_COL_requests_per_s] = s->view.requests_per_s;
    row[DCS_SITE_COL_power_cap] = s->view.power_cap;
    row[DCS_SITE_COL_available] = s->fnow.dark ? 0.0 : 1.0 - s->fnow.gpus_out;
    row[DCS_SITE_COL_generator_power_w] = s->fnow.on_generator ? s->facility_w : 0.0;
    row[DCS_SITE_COL_generator_fuel_l] = s->acc.generator_fuel_l;
    row[DCS_SITE_COL_degraded] = s->wk && s->wk->degraded ? 1.0 : 0.0;
    s->times[s->nrows++] = t;
}

static dcs_time next_event(const site_state *s)
{
    const dcs_site_config *c = s->cfg;
    dcs_time n = s->next_control < s->next_sample ? s->next_control : s->next_sample;
    if (s->trip_end >= 0 && s->trip_end < n)
        n = s->trip_end;
    if (s->next_trip < c->ntrips && c->trips[s->next_trip].at < n)
        n = c->trips[s->next_trip].at;
    dcs_time f = dcs_fault_tracker_next(&s->ft);
    return f < n ? f : n;
}

/* Log the backup-power transitions of a utility loss between before and
 * s->fnow (at t). */
static void log_backup(site_state *s, const dcs_fault_now *before, dcs_time t)
{
    const dcs_fault_now *f = &s->fnow;
    if (f->on_ups && !before->on_ups)
        s->loss_start = t;
    const char *kind = NULL;
    double value = 0;
    if (f->on_generator && !before->on_generator) {
        kind = "generator_on";
        value = dcs_time_to_s(t - s->loss_start);
    } else if (f->backup_exhausted && !before->backup_exhausted) {
        kind = "backup_exhausted";
        value = dcs_time_to_s(t - s->loss_start);
    }
    if (!kind || s->nflog >= s->cap_flog)
        return;
    dcs_event_log_row *r = &s->flog[s->nflog++];
    *r = (dcs_event_log_row){.time = t, .site = s->cfg->site_index, .workload = -1,
                             .value = value};
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    snprintf(r->detail, sizeof r->detail, "%s after %.0f s on UPS",
             f->on_generator ? "generator carries the site" : "UPS empty, site dark", value);
}

static void tick(dcs_lp *lp, site_state *s)
{
    const dcs_site_config *c = s->cfg;
    dcs_time t = dcs_lp_now(lp);
    close_interval(s, t);
    dcs_fault_now before = s->fnow;
    bool changed = dcs_fault_tracker_advance(&s->ft, t, s->facility_w, &s->fnow);
    if (changed)
        log_backup(s, &before, t);
    if (changed && s->wk)
        site_work_fault(s->wk, lp, &s->fnow, t);
    if (s->trip_end >= 0 && s->trip_end <= t) {
        s->trip_end = -1;
        s->loop.chiller_available = true;
        changed = true;
    }
    while (s->next_trip < c->ntrips && c->trips[s->next_trip].at <= t) {
        const dcs_site_trip *tr = &c->trips[s->next_trip++];
        dcs_time end = dcs_time_add_sat(tr->at, tr->duration);
        if (end > s->trip_end)
            s->trip_end = end;
        s->loop.chiller_available = false;
        changed = true;
    }
    if (t >= s->next_control || changed) {
        if (t >= s->next_control)
            s->next_control = dcs_time_add_sat(s->next_control, c->control_period);
        control_step(lp, s, t, s->next_control - t);
        if (changed)
            dcs_fault_tracker_replan(&s->ft, t, s->facility_w);
    }
    if (t >= s->next_sample) {
        sample(s, t);
        s->next_sample = dcs_time_add_sat(s->next_sample, c->sample_period);
    }
    if (!dcs_site_check_step(lp, c->name, s->it_w, s->cooling_w, s->loss_w, s->facility_w))
        return;                  /* the run stops (invariant.h) */
    dcs_time n = next_event(s);
    if (n < dcs_lp_end(lp))
        dcs_lp_send(lp, dcs_lp_id(lp), n - t, EV_TICK);
}

static int site_init(dcs_lp *lp, void *state, const void *config)
{
    site_state *s = state;
    const dcs_site_config *c = config;
    s->cfg = c;
    if (c->control_period <= 0 || c->control_period > DCS_HOUR || c->sample_period <= 0)
        return -1;
    if (!c->hours) {
        s->nclimate = hour_of_run(c->duration) + 1;
        s->climate = malloc(s->nclimate * sizeof *s->climate);
        if (!s->climate)
            return -1;
        dcs_climate_synth_state cs;
        dcs_climate_synth_init(&cs);
        gsl_rng *rng = dcs_lp_rng(lp, RNG_CLIMATE);
        /* The normals' diurnal cycle is in local time, like an EPW's rows. */
        for (size_t h = 0; h < s->nclimate; h++)
            dcs_climate_synth_hour(&c->normals, &c->synth, &cs, rng,
                                   hour_of_year(c, h, c->normals.utc_offset_h), &s->climate[h]);
    }
    s->rack_cap = calloc(c->nclusters ? c->nclusters : 1, sizeof *s->rack_cap);
    s->cap_rows = (size_t)(c->duration / c->sample_period) + 1;
    s->times = malloc(s->cap_rows * sizeof *s->times);
    s->rows = malloc(s->cap_rows * DCS_SITE_NCOLS * sizeof *s->rows);
    /* Hours the run touches; the last may be partial. */
    s->nhours = (size_t)((c->duration + DCS_HOUR - 1) / DCS_HOUR);
    s->hour_j = calloc(s->nhours, sizeof *s->hour_j);
    s->work = malloc(4 * s->nhours * sizeof *s->work);
    s->clean_w = malloc(s->nhours * sizeof *s->clean_w);
    s->soc_j = malloc(s->nhours * sizeof *s->soc_j);
    if (!s->times || !s->rows || !s->hour_j || !s->work || !s->clean_w || !s->soc_j ||
        !s->rack_cap) {
        dcs_site_release(s);    /* the engine drops an LP whose init fails */
        return -1;
    }
    for (size_t i = 0; i < c->nfaults; i++)
        s->cap_flog += c->faults[i].kind == DCS_FAULT_UTILITY_LOSS ? 2 : 0;
    s->flog = s->cap_flog ? calloc(s->cap_flog, sizeof *s->flog) : NULL;
    if ((s->cap_flog && !s->flog) ||
        dcs_fault_tracker_init(&s->ft, c->faults, c->nfaults, &c->backup) != 0) {
        dcs_site_release(s);
        return -1;
    }
    if (c->work) {
        s->wk = site_work_alloc(lp, c);
        if (!s->wk) {
            dcs_site_release(s);
            return -1;
        }
    }
    dcs_cooling_state_init(&c->cooling, &s->loop);
    dcs_site_totals_init(&s->acc.energy, false);
    /* NAN marks "not available" and survives the sum over sites. */
    s->acc.carbon_marginal_kg = c->ci_marginal ? 0.0 : (double)NAN;
    s->throttle = 1.0;
    s->trip_end = -1;
    s->next_control = 0;
    s->next_sample = 0;
    s->t_last = 0;
    dcs_lp_send(lp, dcs_lp_id(lp), next_event(s), EV_TICK);
    return 0;
}

static void site_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    site_state *s = state;
    if (ev->kind != EV_TICK) {
        DCS_LP_ASSERT(lp, s->wk && site_work_owns(ev->kind), "unknown site event kind %u",
                      ev->kind);
        site_work_handle(s->wk, lp, ev);
        return;
    }
    tick(lp, s);
}

/* The workloads' degraded / degraded_end rows join the fault log the
 * trace's /events reads (dcs_site_fault_log_of); it sorts them by time. */
static void append_degrade_log(site_state *s)
{
    const dcs_event_log_row *rows;
    size_t n;
    site_work_degrade_log(s->wk, &rows, &n);
    if (n == 0)
        return;
    dcs_event_log_row *all = realloc(s->flog, (s->nflog + n) * sizeof *all);
    if (!all)
        return;                  /* the log is lost, the run's results are not */
    memcpy(all + s->nflog, rows, n * sizeof *rows);
    s->flog = all;
    s->nflog += n;
    s->cap_flog = s->nflog;
}

static void site_finish(dcs_lp *lp, void *state)
{
    site_state *s = state;
    close_interval(s, dcs_lp_end(lp));
    if (s->wk) {
        site_work_finish(s->wk, dcs_lp_end(lp));
        site_work_fault_totals(s->wk, &s->acc.fault_dropped, &s->acc.fault_impact_s);
        append_degrade_log(s);
    }
    dcs_site_check_end(lp, s->cfg->name, &s->acc.energy, s->hour_j, s->nhours,
                       s->acc.ups_j + s->acc.generator_j);
    dcs_site_account_hours(s->cfg, s->nhours, s->hour_j, s->work, &s->acc, s->clean_w, s->soc_j);
    for (size_t k = 0; k < s->nrows; k++) {
        size_t h = hour_of_run(s->times[k]);
        double *row = &s->rows[k * DCS_SITE_NCOLS];
        if (h < s->nhours) {
            row[DCS_SITE_COL_clean_supply_w] = s->clean_w[h];
            row[DCS_SITE_COL_battery_soc_j] = s->soc_j[h];
        }
    }
}

const dcs_lp_type dcs_site_lp_type = {
    .name = "site",
    .state_size = sizeof(site_state),
    .rng_streams = SW_RNG_STREAMS,
    .init = site_init,
    .handle = site_handle,
    .finish = site_finish,
};

void dcs_site_results_of(const void *state, dcs_site_results *out)
{
    const site_state *s = state;
    out->account = &s->acc;
    out->times = s->times;
    out->rows = s->rows;
    out->nrows = s->nrows;
}

void dcs_site_work_results_of(const void *state, dcs_site_work_results *out)
{
    const site_state *s = state;
    if (s->wk) {
        site_work_results(s->wk, out);
        return;
    }
    *out = (dcs_site_work_results){0};
}

void dcs_site_fault_log_of(const void *state, const dcs_event_log_row **rows, size_t *n)
{
    const site_state *s = state;
    *rows = s->flog;
    *n = s->nflog;
}

void dcs_site_release(void *state)
{
    site_state *s = state;
    site_work_free(s->wk);
    s->wk = NULL;
    free(s->climate);
    free(s->times);
    free(s->rows);
    free(s->hour_j);
    free(s->work);
    free(s->clean_w);
    free(s->soc_j);
    free(s->rack_cap);
    s->rack_cap = NULL;
    dcs_fault_tracker_free(&s->ft);
    free(s->flog);
    s->flog = NULL;
    s->hour_j = s->work = s->clean_w = s->soc_j = NULL;
    s->climate = NULL;
    s->times = NULL;
    s->rows = NULL;
}
