/*
 * site.h - a data-centre site as one logical process.
 *
 * The site LP wires the facility physics (accelerator and node power,
 * distribution losses, cooling loop with its thermal mass, heat reuse), the
 * site's climate and its grid signals to engine events:
 *   - every control period: the cooling loop advances one transient step
 *     (dcs_cooling_step), and every power is set anew for the next period;
 *   - every hour: the climate and grid signals move to the next hour;
 *   - every sample period: one row of the site's series is recorded.
 * Between events every power is constant, so energies, emissions, water and
 * cost are exact integrals of piecewise-constant rates (dcs_energy).
 *
 * Without workloads (config work == NULL) each cluster runs at a constant
 * utilisation given in the scenario.  With workloads the site also runs
 * its serving replicas and jobs (models/site/site_work*.c): requests,
 * iterations, scale from zero, gang-scheduled jobs, and the exchange with
 * the controller LP (control.h); IT power is then the exact integral of
 * what the GPUs do.
 *
 * The config and everything it points to is read-only during the run and
 * must outlive the engine.  Results are read after the run from the LP's
 * state with dcs_site_results.
 */
#ifndef DCSIM_SITE_H
#define DCSIM_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/climate.h"
#include "dcsim/cooling.h"
#include "dcsim/engine.h"
#include "dcsim/fault.h"
#include "dcsim/heat_reuse.h"
#include "dcsim/hourly.h"
#include "dcsim/power.h"
#include "dcsim/price.h"
#include "dcsim/procure.h"
#include "dcsim/site_energy.h"
#include "dcsim/time.h"
#include "dcsim/control.h"
#include "dcsim/work.h"

typedef struct dcs_site_cluster {
    const char *name;
    dcs_node_params node;      /* node power model, GPUs per node inside */
    int64_t nodes;
    double utilization;        /* 0..1, constant stand-in for workloads */
    double rack_power_limit_w; /* per rack; <= 0: none */
    double nodes_per_rack;
} dcs_site_cluster;

/* A scheduled outage of the chiller (or trim chiller). */
typedef struct dcs_site_trip {
    dcs_time at;
    dcs_time duration;
} dcs_site_trip;

typedef struct dcs_site_config {
    const char *name;
    dcs_time duration;             /* run length */
    dcs_time sample_period;        /* series rows */
    dcs_time control_period;       /* cooling transient step */
    int64_t start_utc_s;           /* calendar time of simulated t = 0 */
    const dcs_site_cluster *clusters;
    size_t nclusters;
    double power_limit_w;          /* <= 0: none */
    dcs_distribution_params distribution;
    dcs_cooling_params cooling;
    bool heat_reuse;
    dcs_heat_reuse_params reuse;
    /* Climate: an hourly record (EPW, repeated each year) when hours is not
     * NULL, otherwise a synthetic climate from the normals. */
    const dcs_ambient *hours;
    size_t nhours;
    int hours_utc_offset_h;        /* local standard time of the record */
    dcs_climate_normals normals;
    dcs_climate_synth_params synth;
    /* Grid: hourly average intensity, kg CO2 per J, indexed from the run's
     * start (wrapping); marginal intensity likewise (NULL: not available);
     * price of energy, USD per J, hourly (NULL: the flat price_usd_per_j);
     * demand charge on each calendar month's peak hourly power. */
    const dcs_hourly *ci;
    const dcs_hourly *ci_marginal;
    double grid_cfe;               /* carbon-free share of the grid, 0..1 */
    const dcs_hourly *grid_cfe_hourly; /* hourly share instead (NULL: grid_cfe) */
    double price_usd_per_j;
    const dcs_hourly *price;
    double demand_usd_per_w_month;
    /* Procurement (procure.h), when procure is true: the hourly capacity
     * factors it points to cover every hour of the run (duration / 1 h + 1
     * values) and are indexed from the run's start. */
    bool procure;
    dcs_procure_params procurement;
    double embodied_kg_per_gpu_s;  /* embodied carbon amortised per GPU-second */
    const dcs_site_trip *trips;
    size_t ntrips;
    /* Every fault window of the site (fault.h), sorted by start; chiller
     * trips among them act through trips above.  backup: the UPS and
     * generator a utility loss falls back on. */
    const dcs_fault_window *faults;
    size_t nfaults;
    dcs_backup_params backup;
    /* Workloads (work.h).  work == NULL: no workloads; every cluster runs
     * at its constant utilisation.  Otherwise GPUs run only what the pools
     * and jobs give them and are idle the rest of the time. */
    const dcs_work_config *work;
    int site_index;                /* column of the split, index of rtt_s */
    const dcs_site_pool *pools;
    size_t npools;
    const dcs_site_job *jobs;      /* jobs placed here, in submit order */
    size_t njobs;
    dcs_control_bus *bus;          /* NULL: no controller (initial action only) */
    const dcs_policy_action *initial;  /* split, caps, replicas, jobs before the first action */
} dcs_site_config;

/* Series columns, in order after time_s. */
#define DCS_SITE_SERIES(X)                                   \
    X(ambient_c,            "degC")                          \
    X(wet_bulb_c,           "degC")                          \
    X(it_power_w,           "W")                             \
    X(cooling_power_w,      "W")                             \
    X(facility_power_w,     "W")                             \
    X(pue,                  "1")                             \
    X(carbon_intensity_g_per_kwh, "gCO2/kWh")                \
    X(marginal_intensity_g_per_kwh, "gCO2/kWh")              \
    X(emissions_kg,         "kg")                            \
    X(clean_supply_w,       "W")                             \
    X(battery_soc_j,        "J")                             \
    X(heat_reused_w,        "W")                             \
    X(water_l,              "L")                             \
    X(free_cooling_fraction, "1")                            \
    X(supply_temp_c,        "degC")                          \
    X(throttle,             "1")                             \
    X(gpu_util,             "1")                             \
    X(queue_len,            "1")                             \
    X(requests_per_s,       "1/s")                           \
    X(power_cap,            "1")                             \
    X(available,            "1")                             \
    X(generator_power_w,    "W")                             \
    X(generator_fuel_l,     "L")                             \
    X(degraded,             "1")

enum {
#define DCS_SITE_COL_ENUM(name, unit) DCS_SITE_COL_##name,
    DCS_SITE_SERIES(DCS_SITE_COL_ENUM)
#undef DCS_SITE_COL_ENUM
    DCS_SITE_NCOLS
};

extern const char *const dcs_site_col_names[DCS_SITE_NCOLS];
extern const char *const dcs_site_col_units[DCS_SITE_NCOLS];

/* Totals of one site over the run: the facility's energy, water and heat
 * (site_energy.h) and what this LP adds: carbon, cost, GPU time. */
typedef struct dcs_site_account {
    dcs_site_totals energy;
    double carbon_kg;              /* location-based, average intensity */
    double carbon_marginal_kg;     /* facility energy x marginal intensity */
    double carbon_market_kg;       /* market-based (contracts deducted) */
    double clean_j;                /* carbon-free energy used, hourly matched */
    double matched_j;              /* annual matching: min(load, contracted) */
    double clean_supply_j;         /* on-site and PPA generation */
    double cost_usd;               /* energy + demand charge */
    double cost_energy_usd;
    double cost_demand_usd;
    double embodied_kg;            /* installed GPU-seconds x amortised rate */
    double gpu_s;                  /* installed GPU-seconds */
    double busy_gpu_s;             /* utilisation-weighted GPU-seconds */
    double unmet_j;                /* heat the plant could not remove */
    double throttled_s;            /* time with GPUs throttled by temperature */
    double capped_s;               /* time with a rack or site power limit binding */
    /* faults (fault.h); energy_facility includes what the backup supplied,
     * carbon_kg and cost only what the grid did */
    double dark_s;                 /* time dark (outage, or backup exhausted) */
    double gpu_out_s;              /* GPU-seconds out of service (node, CDU) */
    double degraded_s;             /* time degraded (docs/degradation.md) */
    double ups_j;                  /* facility energy carried by the UPS */
    double generator_j;            /* facility energy from the generator */
    double generator_fuel_l;       /* diesel burnt */
    double generator_co2_kg;       /* its CO2 */
    double fault_dropped;          /* requests lost at the site to a fault */
    double fault_impact_s;         /* control periods in which the site lost requests to a fault */
} dcs_site_account;

/* The LP type of a site; its config argument is a const dcs_site_config *. */
extern const dcs_lp_type dcs_site_lp_type;

/* The accounting done at the end of the run from the hourly facility
 * energies (hour h of the run holds energy_j[h], n hours), in
 * models/site/site_account.c: procurement (c->procurement when c->procure),
 * market-based carbon (location-based too when on-site supply reduces the
 * grid import), hourly and annual matching, the demand charge and the total
 * cost (a->cost_energy_usd must hold the energy cost already).  work has
 * room for 4 n doubles; clean_w and soc_j (n values each, or NULL) get the
 * hourly clean supply and battery state.  Pure: no allocation. */
void dcs_site_account_hours(const dcs_site_config *c, size_t n, const double *energy_j,
                            double *work, dcs_site_account *a, double *clean_w, double *soc_j);

/* After the run: the totals and the recorded series (nrows rows of
 * DCS_SITE_NCOLS values, times in *times) of the site LP's state. */
typedef struct dcs_site_results {
    const dcs_site_account *account;
    const dcs_time *times;
    const double *rows;
    size_t nrows;
} dcs_site_results;
void dcs_site_results_of(const void *state, dcs_site_results *out);

/* After the run: the site's share of every workload's statistics and the
 * status of its jobs (zeros when the site has no workloads). */
void dcs_site_work_results_of(const void *state, dcs_site_work_results *out);

/* After the run: the backup-power events of the site's utility losses
 * (kinds "generator_on", value the seconds on UPS before it; and
 * "backup_exhausted", the site dark from then on), in time order; valid
 * until dcs_site_release. */
void dcs_site_fault_log_of(const void *state, const dcs_event_log_row **rows, size_t *n);

/* Release what the LP allocated at init (call once, after reading). */
void dcs_site_release(void *state);

#endif
