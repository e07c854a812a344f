/*
 * scenario.h - a scenario file, loaded and validated into C structs.
 *
 * dcs_scenario_load reads a YAML scenario, expands its `include:` files,
 * applies --set overrides, and walks the result against the schema tables
 * (sim/scenario_tables.c), so every value below is already in internal units
 * (SI; degC for temperatures; dcs_time nanoseconds for durations) and every
 * name reference is resolved.  The structs are deliberately thin: each model
 * issue extends its own table and struct (one line per parameter).
 * The language is described in docs/scenario.md; the generated
 * docs/scenario-reference.md lists every key.
 *
 * Ownership: everything reachable from a dcs_scenario (strings, lists, YAML
 * nodes) belongs to it and is freed by dcs_scenario_free.
 */
#ifndef DCSIM_SCENARIO_H
#define DCSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/cooling.h"
#include "dcsim/diag.h"
#include "dcsim/schema.h"
#include "dcsim/time.h"
#include "dcsim/ytree.h"

/* Enumerations, each with its scenario names in the same order. */
typedef enum { DCS_FIDELITY_DETAILED, DCS_FIDELITY_FLUID } dcs_fidelity;
/* dcs_cooling_type (air, direct_liquid, immersion) comes from cooling.h. */
typedef enum { DCS_REJECT_NONE, DCS_REJECT_DRY_COOLER, DCS_REJECT_COOLING_TOWER } dcs_heat_rejection;
typedef enum { DCS_WORKLOAD_INFERENCE, DCS_WORKLOAD_TRAINING, DCS_WORKLOAD_BATCH } dcs_workload_kind;
typedef enum { DCS_ARRIVALS_POISSON, DCS_ARRIVALS_DIURNAL_POISSON,
               DCS_ARRIVALS_TRACE } dcs_arrival_process;
typedef enum { DCS_PLACE_ROUND_ROBIN, DCS_PLACE_LEAST_LOADED, DCS_PLACE_NEAREST,
               DCS_PLACE_GEOLOCATION, DCS_PLACE_RL } dcs_placement;
typedef enum { DCS_POWER_NONE, DCS_POWER_CAP, DCS_POWER_CONSOLIDATE } dcs_power_policy;
typedef enum { DCS_TEMPORAL_NONE, DCS_TEMPORAL_CARBON_SHIFT } dcs_temporal_policy;
/* Fault kinds (what each does: fault.h). */
typedef enum { DCS_FAULT_CHILLER_TRIP, DCS_FAULT_UTILITY_LOSS, DCS_FAULT_NODE_FAILURE,
               DCS_FAULT_REGION_OUTAGE, DCS_FAULT_CDU_PUMP, DCS_FAULT_SITE_OUTAGE,
               DCS_FAULT_NETWORK_PARTITION, DCS_FAULT_NKINDS } dcs_fault_kind;

/* An entry of the `accelerators:` catalog (vendor data sheet values). */
typedef struct dcs_accel_spec {
    const char *name;            /* the catalog key, e.g. "H100-SXM" */
    double idle_power_w;
    double max_power_w;
    double peak_flops;           /* FLOP/s at the precision the catalog states */
    double mem_bandwidth_bps;    /* B/s */
    double mem_capacity_b;       /* B */
    const char *source;          /* where the numbers come from */
} dcs_accel_spec;

typedef struct dcs_chiller_spec {
    double cop_ref;              /* COP at reference conditions */
} dcs_chiller_spec;

typedef struct dcs_cooling_spec {
    int type;                    /* dcs_cooling_type */
    double supply_temp_c;        /* liquid supply temperature */
    double supply_air_c;         /* supply air temperature */
    double liquid_fraction;      /* 0..1, share of heat to liquid */
    int heat_rejection;          /* dcs_heat_rejection */
    double approach_k;           /* heat-rejection approach temperature */
    dcs_chiller_spec chiller;
} dcs_cooling_spec;

/* An entry of the `climates:` catalog: monthly normals (January..December)
 * derived from a weather file; see scenarios/catalog/climates.yaml. */
typedef struct dcs_climate_entry {
    const char *name;
    const char *source;
    double latitude_deg;
    int utc_offset_h;             /* local standard time minus UTC, hours */
    double pressure_pa;
    double *dry_bulb_mean_c;      size_t ndry_bulb_mean_c;
    double *diurnal_range_k;      size_t ndiurnal_range_k;
    double *dew_point_mean_c;     size_t ndew_point_mean_c;
    double *dry_bulb_noise_sd_k;  size_t ndry_bulb_noise_sd_k;
    double *dew_point_noise_sd_k; size_t ndew_point_noise_sd_k;
    double noise_phi;
} dcs_climate_entry;

/* An entry of the `grids:` catalog: a grid region's carbon intensity. */
typedef struct dcs_grid_entry {
    const char *region;            /* the catalog key */
    const char *zone_id;
    const char *title;             /* `name:` a readable name */
    double annual_ci_g_per_kwh;
    double grid_cfe_pct;
    int64_t utc_offset_h;
    double typical_day_mean_ci_g_per_kwh;
    double *typical_day_ci_g_per_kwh;  /* 12 x 24, row-major, or NULL */
    size_t ntypical_day_ci_g_per_kwh;  /* number of rows (12) */
    const char *source;
} dcs_grid_entry;

/* A site's weather: catalog normals or an EPW file. */
typedef struct dcs_climate_spec {
    const char *normals;                 /* a name in `climates:` */
    const char *epw;                     /* an EnergyPlus weather file */
    const dcs_climate_entry *entry;      /* resolved normals */
} dcs_climate_spec;

/* Formats of an hourly intensity file (models/grid/ci_csv.h). */
typedef enum { DCS_CSV_EMAPS, DCS_CSV_GENERIC, DCS_CSV_EIA } dcs_csv_format;
extern const char *const dcs_csv_format_names[];

/* A generation-mix model of the site's grid (models/grid/genmix.h).  Every
 * number is NAN when absent: the model's PJM-like default then applies.  If
 * any source capacity is given, the mix is exactly the sources given (the
 * others are 0). */
typedef struct dcs_mix_spec {
    double demand_mean_w;
    double demand_amplitude;            /* diurnal swing, fraction of the mean */
    double latitude_deg, longitude_deg;
    double solar_w, wind_w;             /* variable */
    double nuclear_w, hydro_w, geothermal_w;           /* must-run */
    double coal_w, gas_w, oil_w, biomass_w;            /* dispatchable */
    const char **merit;                 /* dispatch order, cheapest first */
    size_t nmerit;
} dcs_mix_spec;

/* Time-of-use price: peak in local standard hours [peak_start_h, peak_end_h). */
typedef struct dcs_tou_spec {
    double peak_usd_per_j, offpeak_usd_per_j;
    int64_t peak_start_h, peak_end_h;
    bool weekdays_only;
    int64_t utc_offset_h;
} dcs_tou_spec;

/* An hourly price file, generic `timestamp,usd_per_mwh` CSV. */
typedef struct dcs_price_csv_spec {
    const char *file;
    int64_t utc_offset_h;               /* of timestamps without an offset */
    int dst;                            /* dcs_dst_rule */
} dcs_price_csv_spec;

/* A site's electricity: where its intensity comes from (exactly one of a
 * catalog region, a flat intensity, an hourly file, a generation mix) and
 * what it costs (a flat price, or time-of-use, or an hourly file; plus a
 * demand charge). */
typedef struct dcs_grid_spec {
    const char *region;                  /* a name in `grids:` */
    double intensity_kg_per_j;           /* flat intensity (NAN: from region) */
    double price_usd_per_j;
    double cfe;                          /* carbon-free share (NAN: from region) */
    const dcs_grid_entry *entry;         /* resolved region */
    /* hourly intensity file, path relative to the scenario */
    const char *csv;
    int csv_format;                      /* dcs_csv_format */
    int csv_column;                      /* dcs_ci_basis: lca, direct */
    int64_t utc_offset_h;                /* generic files: local standard time */
    int dst;                             /* generic files: dcs_dst_rule */
    /* generation-mix model */
    dcs_mix_spec mix;
    bool has_mix;                        /* `mix:` was written */
    /* prices */
    dcs_tou_spec price_tou;
    bool has_tou;                        /* `price_tou:` was written */
    dcs_price_csv_spec price_csv;
    double demand_usd_per_w_month;       /* demand charge on the monthly peak */
} dcs_grid_spec;

/* A power purchase agreement with a wind or solar plant. */
typedef struct dcs_ppa_spec {
    int source;                          /* 0 wind, 1 solar */
    double capacity_w;
    int region;                          /* 0 same (delivered into the site's
                                            grid), 1 other */
    double latitude_deg, longitude_deg;  /* of the plant (NAN: the site's grid) */
} dcs_ppa_spec;
extern const char *const dcs_ppa_source_names[];

typedef struct dcs_battery_spec {
    double capacity_j;
    double power_w;
    double rte;                          /* round-trip efficiency, 0..1 */
} dcs_battery_spec;

/* What a site contracted or built besides its grid supply
 * (models/grid/procure.h). */
typedef struct dcs_procurement_spec {
    dcs_ppa_spec *ppa;
    size_t nppa;
    double onsite_solar_w;
    dcs_battery_spec battery;
    double certificates_j;               /* unbundled certificates per 365 days */
} dcs_procurement_spec;

/* Heat reclamation into a district-heating network. */
typedef struct dcs_reuse_spec {
    bool district_heating;
    double supply_temp_c;
    double carnot_fraction;
    double capacity_w;                   /* NAN: sized for the site's heat */
    double demand_w;                     /* NAN: the network takes up to capacity */
} dcs_reuse_spec;

/* Replicas of an inference workload a cluster hosts. */
typedef struct dcs_replicas_spec {
    const char *workload;             /* a name in `workloads:` */
    int64_t count;
    int workload_index;               /* resolved */
} dcs_replicas_spec;

typedef struct dcs_cluster_spec {
    const char *name;
    const char *accelerator;          /* name as written */
    const dcs_accel_spec *accel;      /* resolved from the catalog */
    int64_t nodes;
    int64_t gpus_per_node;
    double utilization;               /* constant GPU utilisation, 0..1 */
    int64_t nodes_per_rack;
    double rack_power_limit_w;        /* NAN: no rack limit */
    dcs_replicas_spec *replicas;      /* inference replicas hosted here */
    size_t nreplicas;
} dcs_cluster_spec;

typedef struct dcs_site_spec {
    const char *name;
    const char *location;             /* place name for `network_rtt:` (NULL: name) */
    double power_limit_w;             /* NAN when not given: no limit */
    dcs_climate_spec climate;
    dcs_grid_spec grid;
    dcs_procurement_spec procurement;
    dcs_reuse_spec heat_reuse;
    dcs_cooling_spec cooling;
    dcs_cluster_spec *clusters;
    size_t nclusters;
} dcs_site_spec;

typedef struct dcs_rtt_spec {
    const char *site;
    dcs_time rtt;
} dcs_rtt_spec;

/* A user region: where requests come from.  Its round-trip time to each
 * site is the explicit `rtt:` entry when given, else the `network_rtt:`
 * catalog entry for (location, site location), else a validation error
 * (scenario_check.c fills rtt_to_site for every site). */
typedef struct dcs_user_spec {
    const char *name;
    const char *location;             /* catalog place name (NULL: name) */
    dcs_rtt_spec *rtt;                /* round-trip time to each site, as written */
    size_t nrtt;
    dcs_time *rtt_to_site;            /* resolved: one per site, scenario order */
} dcs_user_spec;

/* An entry of the `network_rtt:` catalog: a symmetric place pair. */
typedef struct dcs_net_rtt_entry {
    const char *a, *b;
    dcs_time rtt;
    const char *source;
} dcs_net_rtt_entry;

/* An entry of the `models:` catalog (see scenarios/catalog/models.yaml). */
typedef struct dcs_model_entry {
    const char *name;
    double params, active_params, bytes_per_weight;
    int64_t layers, kv_heads, head_dim;
    double kv_bytes_per_elem;
    int64_t context_tokens;
    const char *source;
} dcs_model_entry;

/* A token-count law as written: lognormal (median, sigma) or an empirical
 * quantile table on dcsim's probability grid (dcs_tokens_table_probs). */
typedef struct dcs_token_law_spec {
    double median;                    /* NAN: not a lognormal */
    double sigma;
    double *quantiles;                /* NULL: not a table */
    size_t nquantiles;
    int64_t max_tokens;               /* 0: the profile's or model's context */
} dcs_token_law_spec;

/* An entry of the `token_profiles:` catalog. */
typedef struct dcs_token_profile {
    const char *name;
    double mean_rate_per_s;
    dcs_token_law_spec prompt, output;
    double *prompt_quantiles;  size_t nprompt_quantiles;
    double *output_quantiles;  size_t noutput_quantiles;
    const char *source;
} dcs_token_profile;

/* The model a workload serves: a catalog name with overrides, or the
 * numbers themselves.  Numbers left NAN / 0 come from the catalog entry. */
typedef struct dcs_llm_spec {
    const char *name;                 /* a name in `models:` (NULL: numbers below) */
    const dcs_model_entry *entry;     /* resolved */
    double params;                    /* parameter count */
    double active_params;             /* per token (MoE); NAN: = params */
    double bytes_per_weight;
    double kv_bytes_per_token;        /* NAN: from layers x kv_heads x head_dim */
    int64_t gpus_per_replica;
} dcs_llm_spec;

/* Continuous-batching engine settings of a workload's replicas
 * (serving.h; NAN / 0 = the model default). */
typedef struct dcs_serving_spec {
    int64_t max_batch;
    int64_t prefill_chunk;
    int64_t queue_capacity;
    double compute_eff, mem_eff;
    dcs_time wake_time;               /* scale-from-zero delay */
    int dispatch;                     /* 0 least_loaded, 1 round_robin */
} dcs_serving_spec;
extern const char *const dcs_dispatch_names[];

/* A share of a workload's demand from one user region. */
typedef struct dcs_user_share_spec {
    const char *user;                 /* a name in `users:` */
    double share;                     /* normalised to sum 1 by the checker */
    int user_index;                   /* resolved: index into the scenario's users */
} dcs_user_share_spec;

typedef struct dcs_burst_spec {
    double factor;                    /* 1: no bursts */
    dcs_time mean_on, mean_off;
} dcs_burst_spec;

typedef struct dcs_arrivals_spec {
    int process;                      /* dcs_arrival_process */
    double mean_rate_per_s;
    double peak_to_mean;
    double peak_hour;
    double weekend_factor;
    double growth_per_year;
    dcs_burst_spec burst;
    const char *trace;                /* Azure LLM trace CSV (process: trace) */
    double time_scale;
    bool loop;
    dcs_user_share_spec *users;       /* absent: every user region, equal shares */
    size_t nusers;
} dcs_arrivals_spec;

/* Token laws of a workload: a profile name or prompt/output laws. */
typedef struct dcs_tokens_spec {
    const char *profile;              /* a name in `token_profiles:` */
    const dcs_token_profile *entry;   /* resolved */
    dcs_token_law_spec prompt, output;
    bool quantiles;                   /* use the profile's quantile tables */
} dcs_tokens_spec;

typedef struct dcs_slo_spec {
    dcs_time ttft;                    /* 0: not checked */
    dcs_time tpot;
    dcs_time e2e;
} dcs_slo_spec;

typedef struct dcs_jobs_spec {
    int64_t count;
    int64_t gpus;
    dcs_time work;
    dcs_time slack;                   /* deadline = submit + work + slack; 0 with no deadline */
    bool has_deadline;
    dcs_time every;                   /* submission interval (0: all at t = 0) */
    dcs_time checkpoint_every;
    dcs_time restart_cost;
    bool preemptible;
    bool deferrable;                  /* the temporal policy may pause it */
    double gpu_util;                  /* busy share of a job's GPUs (power) */
    const char *trace;                /* job file instead of count/gpus/work */
    int trace_format;                 /* 0 csv (dcsim), 1 alibaba */
} dcs_jobs_spec;
extern const char *const dcs_job_trace_format_names[];

typedef struct dcs_workload_spec {
    const char *name;
    int kind;                         /* dcs_workload_kind */
    dcs_llm_spec model;
    /* `fallback_model:` (docs/fallback.md): a smaller model the replicas
     * switch to while their site is degraded; has_fallback says it was
     * given (the checker resolves it like `model` and sets its
     * gpus_per_replica to the workload's: it runs on the same GPUs). */
    bool has_fallback;
    dcs_llm_spec fallback_model;
    dcs_serving_spec serving;
    dcs_arrivals_spec arrivals;
    dcs_tokens_spec tokens;
    dcs_slo_spec slo;
    dcs_jobs_spec jobs;
    const char **allowed_sites;
    size_t nallowed_sites;
    int priority;                     /* dcs_priority: low marks sheddable load (inference) */
} dcs_workload_spec;

/* Priority of an inference workload's requests (docs/degradation.md). */
typedef enum { DCS_PRIORITY_NORMAL, DCS_PRIORITY_LOW } dcs_priority;
extern const char *const dcs_priority_names[];

/* Parameters of the built-in policies (policy.h dcs_policy_params); NAN /
 * -1 = the policy's default. */
typedef struct dcs_policy_params_spec {
    double price_weight, fill_max, latency_target_s, cap_gain, power_margin, util_target;
    int64_t min_replicas;
    dcs_time hold;
} dcs_policy_params_spec;

/* Training of placement: rl (`policy.rl`, docs/rl.md): a period of the
 * signals, as written (YYYY-MM-DD, UTC) and as UTC epoch seconds (set by
 * the checker; `to` is exclusive: the day after the last one). */
typedef struct dcs_rl_period_spec {
    const char *from, *to;
    int64_t from_utc_s, to_utc_s;
} dcs_rl_period_spec;

typedef struct dcs_rl_reward_spec {
    double energy, carbon, cost, sla;  /* weights, >= 0, not all 0 */
} dcs_rl_reward_spec;

#define DCS_RL_MAX_HIDDEN_UNITS 16     /* rl.h's DCS_RL_MAX_HIDDEN */

typedef struct dcs_rl_spec {
    dcs_rl_period_spec train;         /* episodes are drawn from here */
    dcs_rl_period_spec evaluate;      /* held out: never trained on */
    dcs_time episode;                 /* length of one training episode */
    dcs_rl_reward_spec reward;
    int baseline;                     /* dcs_placement the reward is relative to */
    int64_t generations, population, hidden;
    double sigma, learning_rate;
    bool replicas;                    /* train the replica head too */
    bool caps;                        /* the cap head too (and the policy file must have it) */
} dcs_rl_spec;

/* Graceful degradation (`policy.degrade`, docs/degradation.md): when a
 * site counts as degraded, and what low-priority load gets meanwhile. */
typedef enum { DCS_DEGRADE_FAULT, DCS_DEGRADE_THROTTLE, DCS_DEGRADE_OVERLOAD } dcs_degrade_cause;
typedef enum { DCS_LOW_SERVE, DCS_LOW_SHED, DCS_LOW_QUEUE } dcs_low_priority_action;
extern const char *const dcs_degrade_cause_names[];
extern const char *const dcs_low_priority_names[];

typedef struct dcs_degrade_spec {
    int *when;                        /* dcs_degrade_cause list as written */
    size_t nwhen;
    unsigned when_mask;               /* 1 << cause, set by the checker (default fault|throttle) */
    double overload_violations;       /* share of completions breaking their SLO */
    int low_priority;                 /* dcs_low_priority_action */
    int64_t hold_limit;               /* requests a site holds when queueing */
    bool fallback;                    /* workloads with a fallback_model switch to it */
} dcs_degrade_spec;

struct dcs_rl_net;
struct dcs_rl_stats;

typedef struct dcs_policy_spec {
    int placement;                    /* dcs_placement */
    int *power;                       /* dcs_power_policy, up to 2 (a name or a list) */
    size_t npower;
    int temporal;                     /* dcs_temporal_policy */
    dcs_time control_period;
    dcs_policy_params_spec params;
    const char *rl_policy;            /* policy file for placement: rl */
    dcs_rl_spec rl;                   /* training settings (`dcsim train`) */
    dcs_degrade_spec degrade;         /* graceful degradation */
    /* Set in memory only (training, never by a scenario file): when rl_net
     * is not NULL, placement: rl uses it instead of reading rl_policy, and
     * an rl_record collects the features the policy sees. */
    const struct dcs_rl_net *rl_net;
    struct dcs_rl_stats *rl_record;
} dcs_policy_spec;

/* A fault: scheduled (at, duration) or random (mtbf, mttr), at one site,
 * a list of sites, or every site of a grid region (fault.h). */
typedef struct dcs_fault_spec {
    dcs_time at;                      /* scheduled start (0 and unused when random) */
    const char *site;
    int kind;                         /* dcs_fault_kind */
    dcs_time duration;                /* 0: to the end of the run */
    const char **sites;               /* instead of site: several sites */
    size_t nsites;
    const char *region;               /* instead: every site on this grid region */
    const char *users;                /* network_partition: the user region cut off */
    dcs_time mtbf, mttr;              /* random when mtbf > 0 (node_failure: per node) */
    int repair;                       /* dcs_repair_dist (fault.h) */
    double fraction;                  /* GPUs out: cdu_pump share, node_failure (NAN: one node) */
    bool failover;                    /* the controller is told (moves traffic) */
    bool generator_fails;             /* utility_loss: the generator does not start */
    double generator_fail_prob;       /* utility_loss: chance each start fails, 0..1 */
    dcs_time ups_autonomy;            /* utility_loss: UPS runtime at design IT power */
    dcs_time generator_start;         /* utility_loss: start delay */
} dcs_fault_spec;

typedef struct dcs_scenario {
    const char *name;
    dcs_time duration;
    int64_t seed;
    int fidelity;                     /* dcs_fidelity */
    dcs_time sample_period;
    const char **include;             /* as written (already expanded) */
    size_t ninclude;
    dcs_site_spec *sites;
    size_t nsites;
    dcs_user_spec *users;
    size_t nusers;
    dcs_workload_spec *workloads;
    size_t nworkloads;
    dcs_policy_spec policy;
    dcs_fault_spec *faults;
    size_t nfaults;
    dcs_accel_spec *accelerators;
    size_t naccelerators;
    const char *start;                /* calendar start as written, YYYY-MM-DD[THH:MM] UTC */
    int64_t start_utc_s;              /* simulated t = 0 in UTC epoch seconds */
    dcs_climate_entry *climates;
    size_t nclimates;
    dcs_grid_entry *grids;
    size_t ngrids;
    dcs_model_entry *models;          /* `models:` catalog */
    size_t nmodels;
    dcs_token_profile *token_profiles;
    size_t ntoken_profiles;
    dcs_net_rtt_entry *network_rtt;   /* `network_rtt:` catalog */
    size_t nnetwork_rtt;

    /* Owned by the scenario; use the functions below. */
    dcs_ytree *tree_;
    const dcs_ynode *root_;           /* the effective document, for locations */
    char *text_;
} dcs_scenario;

/* The schema of a whole scenario file (for docs and `validate --schema`). */
extern const dcs_schema dcs_scenario_schema;

/* Load and validate the scenario at path.  sets are nsets "key.path=value"
 * overrides applied after includes, in order (see docs/scenario.md).
 * On success returns DCS_OK and a new scenario in *out (caller frees).
 * On bad input returns DCS_EINPUT with every problem found in d (located
 * "FILE:LINE:COL: message", overrides as "--set:N:COL: message") and *out
 * NULL.  Returns DCS_ENOMEM if memory runs out while emitting the text. */
dcs_status dcs_scenario_load(const char *path, const char *const *sets, int nsets,
                             dcs_diag *d, dcs_scenario **out);

void dcs_scenario_free(dcs_scenario *s);

/* The effective scenario text after includes and overrides, as YAML (for the
 * trace's /scenario dataset).  Owned by s. */
const char *dcs_scenario_text(const dcs_scenario *s);

/* Where the value at a key path was written, for errors found after
 * loading (building the model, reading the files a scenario names).  The
 * path is printf-formatted and reads like a `--set` path: keys separated by
 * dots, list items by index ("workloads[2].arrivals.trace") or by name
 * ("sites.lulea.climate").  A key the file left out (a default) gives the
 * place of the nearest enclosing value that was written, so a message
 * always points into the scenario (an override: "--set:N:COL"). */
dcs_loc dcs_scenario_loc(const dcs_scenario *s, const char *path_fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The steps of dcs_scenario_load, for tests and tools. */

/* Read the file at path and expand its `include:` list (recursively): each
 * included file is looked up beside the including file, then in the folder of
 * the top-level scenario, then in the source tree's scenarios/ and
 * scenarios/catalog/ folders.  Included mappings are merged in order (later
 * ones win) and the including file is merged on top of them (it wins);
 * mappings merge key by key, lists and scalars are replaced.  The `include`
 * key is removed from the result.  Cycles and missing files are reported at
 * the include item.  Returns the merged root mapping, or NULL. */
dcs_ynode *dcs_scenario_read(dcs_ytree *t, const char *path, dcs_diag *d);

/* Apply one override "key.path=value" (the index-th --set, 1-based, used as
 * the line of its locations) to root.  Path segments are mapping keys,
 * list items by index ("sites[0]") or by their name ("sites.lulea").
 * Missing mapping keys are created (the schema then judges them).  The value
 * is parsed as YAML ("30 MW", "[a, b]", "{type: air}").  Returns false after
 * reporting a bad path or value. */
bool dcs_scenario_apply_set(dcs_ytree *t, dcs_ynode *root, const char *set, int index,
                            dcs_diag *d);

/* Names of enum values, for messages and trace attributes. */
extern const char *const dcs_fidelity_names[];
extern const char *const dcs_cooling_type_names[];
extern const char *const dcs_placement_names[];
extern const char *const dcs_workload_kind_names[];
extern const char *const dcs_fault_kind_names[];
extern const char *const dcs_repair_names[];

#endif
