/*
 * fault.h - faults of a run: the windows in which something at a site is
 * broken, how random ones are drawn, and the backup-power arithmetic of a
 * utility loss (UPS ride-through, generator start, diesel and its CO2).
 *
 * A fault is a window [at, end) at one site (fault kinds: scenario.h's
 * dcs_fault_kind).  Scheduled faults give one window each; random ones
 * (mtbf, mttr) are an alternating renewal process: up times exponential
 * with mean MTBF, repair times exponential or fixed with mean MTTR, drawn
 * from a stream seeded by (run seed, fault, site) alone, so the windows are
 * the same for any thread count.  Node failures are drawn per node, each
 * window taking one node (1 / nodes of the site's GPUs) out of service.
 *
 * What each kind does at the site (models/site/site_fault.c, site_lp.c):
 *   chiller_trip       the primary loop's chiller is unavailable (the
 *                      cooling transient of cooling_mass.c);
 *   cdu_pump           the racks a failed CDU pump feeds lose their
 *                      coolant flow and shut down: `fraction` of the GPUs
 *                      out of service, their heat gone with them;
 *   node_failure       `fraction` of the GPUs (whole nodes) out of service;
 *   utility_loss       the UPS carries the facility for the generator's
 *                      start delay, then the generator carries it (its
 *                      energy, fuel and CO2 counted apart from the grid's);
 *                      if the generator fails to start or the UPS empties
 *                      first, the site goes dark;
 *   site_outage,
 *   region_outage      the site is dark: no power drawn, nothing served;
 *   network_partition  user region `region` cannot reach the site.
 * With failover on (the default) the site reports the fault in its
 * telemetry (no capacity, or the region cut) and the controller moves
 * traffic; with it off the controller keeps sending and the site drops
 * what reaches it.
 */
#ifndef DCSIM_FAULT_H
#define DCSIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "dcsim/time.h"

/* How repair times are drawn. */
typedef enum { DCS_REPAIR_EXPONENTIAL, DCS_REPAIR_FIXED } dcs_repair_dist;

/* One fault at one site over [at, end). */
typedef struct dcs_fault_window {
    dcs_time at, end;
    int kind;                  /* dcs_fault_kind (scenario.h) */
    int source;                /* index of the scenario fault it comes from */
    double fraction;           /* GPUs out of service (node_failure, cdu_pump), 0..1 */
    int region;                /* network_partition: user region index; -1 otherwise */
    bool failover;             /* reported to the controller */
    bool generator_fails;      /* utility_loss: the generator does not start */
} dcs_fault_window;

/* A growable list of windows; zero-initialise, free with dcs_fault_list_free. */
typedef struct dcs_fault_list {
    dcs_fault_window *w;
    size_t n, cap;
} dcs_fault_list;

/* Append a copy of *w (aborts when memory is exhausted, as dcs_xalloc). */
void dcs_fault_list_push(dcs_fault_list *l, const dcs_fault_window *w);
/* Sort by start time, ties by source then end (a stable, total order). */
void dcs_fault_list_sort(dcs_fault_list *l);
void dcs_fault_list_free(dcs_fault_list *l);

/* Append to out the windows of an alternating renewal process over
 * [0, horizon): starting up at 0, up times exponential with mean mtbf_s,
 * repair times of mean mttr_s (exponential, or fixed), each window a copy
 * of *proto with its at and end (end may pass the horizon).  Draws from
 * rng only.  Returns the number appended (0 when mtbf_s or mttr_s is not
 * positive). */
size_t dcs_fault_renewal(gsl_rng *rng, const dcs_fault_window *proto, double mtbf_s,
                         double mttr_s, dcs_repair_dist repair, dcs_time horizon,
                         dcs_fault_list *out);

/* ---- backup power of a utility loss (models/facility/ups.c) ---- */

typedef struct dcs_backup_params {
    double ups_energy_j;       /* usable stored energy of the UPS batteries */
    double generator_start_s;  /* from the loss to the generator carrying the load */
    double fuel_l_per_kwh;     /* diesel burnt per kWh generated */
    double co2_kg_per_l;       /* CO2 emitted per litre of diesel burnt */
} dcs_backup_params;

/* Defaults for a site of design IT power design_it_w (sources in ups.c):
 * UPS autonomy of ups_autonomy_s at that power (<= 0: 5 min), generator
 * start 10 s, 0.27 l/kWh, 2.70 kg CO2/l. */
void dcs_backup_defaults(dcs_backup_params *p, double design_it_w, double ups_autonomy_s);

/* Time the UPS can carry load_w: energy / load (s); +inf for load <= 0. */
double dcs_ups_runtime_s(double energy_j, double load_w);

/* What a utility loss at facility load load_w does: the UPS carries the
 * load for ups_s (the generator start delay, or its whole runtime when the
 * generator fails or starts too late), then either the generator carries
 * it (generator true) or the site goes dark dark_after_s after the loss
 * (+inf when it never does). */
typedef struct dcs_backup_plan {
    double ups_s;
    bool generator;
    double dark_after_s;
} dcs_backup_plan;
void dcs_backup_plan_for(const dcs_backup_params *p, double load_w, bool generator_fails,
                         dcs_backup_plan *out);

/* Diesel burnt to generate energy_j: kWh x fuel_l_per_kwh (l). */
double dcs_generator_fuel_l(const dcs_backup_params *p, double energy_j);
/* CO2 of burning fuel_l litres of diesel (kg). */
double dcs_diesel_co2_kg(const dcs_backup_params *p, double fuel_l);

/* ---- the faults in force at a site (models/site/site_fault.c) ---- */

#define DCS_FAULT_MAX_REGIONS 16   /* = DCS_POLICY_MAX_REGIONS */

/* What the windows in force mean for the site now. */
typedef struct dcs_fault_now {
    bool dark;                 /* outage, or a utility loss past its backup */
    bool dark_reported;        /* ... by a fault with failover on */
    bool on_ups, on_generator; /* a utility loss is being ridden through */
    bool backup_exhausted;     /* dark because a utility loss outlasted its backup */
    double gpus_out;           /* share of GPUs out of service, 0..1 */
    int active;                /* windows in force (chiller trips left out) */
    bool cut[DCS_FAULT_MAX_REGIONS];          /* user region cannot reach the site */
    bool cut_reported[DCS_FAULT_MAX_REGIONS]; /* ... by a fault with failover on */
} dcs_fault_now;

/* Walks one site's windows (sorted by start, dcs_fault_list_sort) in time.
 * Chiller trips are left to the cooling loop (site.h's trips). */
typedef struct dcs_fault_tracker {
    const dcs_fault_window *w;
    size_t n, next;
    dcs_time now;              /* of the last advance */
    dcs_backup_params backup;
    size_t *active;            /* indices of windows in force */
    size_t nactive;
    dcs_time *gen_at, *dark_at; /* per window: utility loss phases (DCS_TIME_MAX: none) */
} dcs_fault_tracker;

/* 0, or -1 when memory is exhausted.  w (n windows, sorted) is borrowed. */
int dcs_fault_tracker_init(dcs_fault_tracker *tr, const dcs_fault_window *w, size_t n,
                           const dcs_backup_params *backup);
void dcs_fault_tracker_free(dcs_fault_tracker *tr);
/* Start and end every window due at or before t (a utility loss starting
 * now plans its ride-through for facility load load_w), then describe
 * the state in *out.  Returns true when anything started, ended or changed
 * phase. */
bool dcs_fault_tracker_advance(dcs_fault_tracker *tr, dcs_time t, double load_w,
                               dcs_fault_now *out);
/* Plan again the ride-through of the utility losses that started at t
 * (the last advance) for load_w, the load the site draws once its powers
 * for t are set (the backup carries the site as it runs). */
void dcs_fault_tracker_replan(dcs_fault_tracker *tr, dcs_time t, double load_w);
/* Time of the next start, end or phase change after the last advance
 * (DCS_TIME_MAX: none). */
dcs_time dcs_fault_tracker_next(const dcs_fault_tracker *tr);

#endif
