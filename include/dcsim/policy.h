/*
 * policy.h - the control-policy interface: one observation, one action, and
 * peer policies behind a const type object each.
 *
 * Every control period the run hands a policy an observation (a telemetry
 * snapshot of every site, user region, workload and deferrable job) and the
 * policy fills an action (traffic split per workload x user region x site,
 * power caps per cluster, replicas kept powered per site, run or pause per
 * deferrable job).  Policies are pure: they read the observation and their
 * own state, nothing else, so tests drive them on constructed cases without
 * an engine, and the learned policy of issue 8 is a peer, not a special case.
 *
 * Roles.  A placement policy writes the split and the spill order, a power
 * policy the caps and replicas, a temporal policy the job decisions.  The
 * learned policy rl (rl.h) is a placement policy; it writes the split and
 * the order and, with its optional replica head, the replicas kept per
 * site (power policies after it may overwrite them; caps stay theirs).  A
 * stack (placement, then power, then temporal) composes them; each later
 * policy sees what the earlier ones wrote.
 *
 * Constraints no policy may break are enforced outside every policy, by
 * dcs_policy_enforce (docs/policies.md states the rules):
 *   sovereignty  no traffic of a workload to a site it may not use (or one
 *                with no capacity for it);
 *   capacity     no workload's load at a site exceeds what its own
 *                replicas there can serve while awake:
 *                load_w,s <= capacity_w,s x min(kept, up) / total
 *                (each workload has its own replicas; the awake share
 *                applies to each alike); excess spills along the region's
 *                preference order into other sites' room for w; what finds
 *                no room stays where the policy sent it and is reported as
 *                overload (the sites' queues then decide), never dropped;
 *   power        facility power bound PUE x (kept / total) x
 *                sum_c cap_c x max_w_c <= power limit; caps are tightened
 *                (never below a cluster's minimum cap), a shortfall that
 *                even minimum caps cannot meet is reported, not hidden;
 *   splits       per workload and region, sum_s split + drop = 1, and
 *                drop > 0 only for a region with no usable site (the
 *                policy layer does not shed load: queues do);
 *   deadlines    a job whose slack is under one control period runs.
 *
 * Sizes are fixed (DCS_POLICY_MAX_*) so nothing is allocated per decision;
 * an observation and an action are plain structs the caller owns (tens of
 * kilobytes: keep them off small stacks).
 *
 * Units: SI (s, W, requests/s); carbon intensity in gCO2/kWh, price in
 * USD/MWh, temperatures in degrees Celsius.  The run fills observations
 * with finite values (a NaN there is a bug upstream); actions may hold
 * anything, enforcement cleans them.
 */
#ifndef DCSIM_POLICY_H
#define DCSIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "dcsim/registry.h"

#define DCS_POLICY_MAX_SITES 32
#define DCS_POLICY_MAX_REGIONS 16
#define DCS_POLICY_MAX_WORKLOADS 8
#define DCS_POLICY_MAX_CLUSTERS 8
#define DCS_POLICY_MAX_JOBS 64
#define DCS_POLICY_FORECAST_HOURS 24

/* One site, as seen now. */
typedef struct dcs_policy_site_obs {
    double ci_g_kwh;                                  /* average intensity now */
    double ci_forecast_g_kwh[DCS_POLICY_FORECAST_HOURS]; /* hour k+1 ahead */
    double marginal_ci_g_kwh;                         /* marginal intensity now */
    double price_usd_mwh;
    double pue;                                       /* facility / IT power, >= 1 */
    double free_cooling;                              /* share of heat by free cooling, [0, 1] */
    double ambient_c;
    double it_power_w;                                /* now */
    double power_limit_w;                             /* facility (grid-side) limit */
    double headroom_w;                                /* limit - facility power now */
    double utilisation;                               /* busy share of awake replicas, [0, 1] */
    double queue_len;                                 /* requests waiting */
    double p99_s;                                     /* recent service-side p99 (no user RTT) */
    double slo_violation_share;                       /* recent share of requests over SLO */
    int replicas_up;                                  /* awake and serving */
    int replicas_waking;                              /* powered, not yet serving */
    int replicas_total;
    double wake_delay_s;                              /* power-on to serving */
    double capacity_rps[DCS_POLICY_MAX_WORKLOADS];    /* w's own replicas, all, full clock; 0 = cannot serve */
    double served_rps[DCS_POLICY_MAX_WORKLOADS];      /* w completed per s, last period (0: no telemetry) */
    int nclusters;
    double cluster_max_w[DCS_POLICY_MAX_CLUSTERS];    /* IT power at full load, uncapped */
    double cluster_cap_min[DCS_POLICY_MAX_CLUSTERS];  /* lowest cap the hardware takes, (0, 1] */
    double cluster_cap_now[DCS_POLICY_MAX_CLUSTERS];  /* cap applied now, (0, 1] */
} dcs_policy_site_obs;

/* One user region. */
typedef struct dcs_policy_region_obs {
    double demand_rps[DCS_POLICY_MAX_WORKLOADS];      /* request rate now, per workload */
    double rtt_s[DCS_POLICY_MAX_SITES];               /* round trip to each site */
} dcs_policy_region_obs;

/* One workload's constraints. */
typedef struct dcs_policy_workload_obs {
    double slo_p99_s;                                 /* end-to-end p99 target; 0 = none */
    bool allowed[DCS_POLICY_MAX_SITES];               /* sovereignty */
} dcs_policy_workload_obs;

/* One deferrable (training or batch) job; it stays at its site. */
typedef struct dcs_policy_job_obs {
    int workload;
    int site;
    double remaining_s;                               /* run time still needed */
    double deadline_s;                                /* time left until its deadline */
    bool running;
} dcs_policy_job_obs;

typedef struct dcs_policy_obs {
    double now_s;                                     /* simulated time */
    double period_s;                                  /* control period */
    int nsites, nregions, nworkloads, njobs;
    dcs_policy_site_obs site[DCS_POLICY_MAX_SITES];
    dcs_policy_region_obs region[DCS_POLICY_MAX_REGIONS];
    dcs_policy_workload_obs workload[DCS_POLICY_MAX_WORKLOADS];
    dcs_policy_job_obs job[DCS_POLICY_MAX_JOBS];
} dcs_policy_obs;

typedef struct dcs_policy_action {
    /* Share of region r's demand of workload w sent to site s; with drop,
     * sums to 1 over s after enforcement.  After enforcement drop is 0
     * unless the region has no usable site for w (then it is 1): sites
     * count it as dropped requests. */
    double split[DCS_POLICY_MAX_WORKLOADS][DCS_POLICY_MAX_REGIONS][DCS_POLICY_MAX_SITES];
    double drop[DCS_POLICY_MAX_WORKLOADS][DCS_POLICY_MAX_REGIONS];
    /* Spill order: sites in preference order, most preferred first (a
     * permutation of 0..nsites-1). */
    unsigned char order[DCS_POLICY_MAX_WORKLOADS][DCS_POLICY_MAX_REGIONS][DCS_POLICY_MAX_SITES];
    double cap[DCS_POLICY_MAX_SITES][DCS_POLICY_MAX_CLUSTERS]; /* fraction of cluster max */
    /* Kept powered, a site-level count over all its workloads' replicas:
     * the share kept / total is meant to hold for each workload's pool. */
    int replicas[DCS_POLICY_MAX_SITES];
    bool run[DCS_POLICY_MAX_JOBS];                    /* deferrable job runs this period */
} dcs_policy_action;

/* What dcs_policy_enforce changed, for the decision log. */
typedef struct dcs_policy_report {
    double forbidden_rps;     /* demand a policy sent to a site it may not use */
    double spilled_rps;       /* moved off (site, workload)s over capacity to others with room */
    double overload_rps;      /* over capacity with no room anywhere: left at the chosen
                                 sites, above their awake capacity for the workload */
    double dropped_rps;       /* demand of regions with no usable site (sovereignty) */
    double power_unmet_w[DCS_POLICY_MAX_SITES]; /* over the limit even at minimum caps */
    int caps_tightened;       /* sites whose caps were lowered */
    int jobs_forced;          /* deferrals that would miss a deadline, overridden */
} dcs_policy_report;

struct dcs_rl_net;
struct dcs_rl_stats;

/* Parameters of every built-in policy (one struct: a scenario names the
 * ones it sets; dcs_policy_params_default gives the rest). */
typedef struct dcs_policy_params {
    double price_weight;      /* geolocation: gCO2/kWh counted per USD/MWh */
    double fill_max;          /* geolocation: fill a site to this share of its awake
                                 capacity for each workload */
    double latency_target_s;  /* power_cap: p99 to hold; 0 = hold only the power limit */
    double cap_gain;          /* power_cap: relative cap change per relative p99 error */
    double power_margin;      /* power_cap: keep this share of the limit free */
    double util_target;       /* consolidate: utilisation of kept replicas */
    int min_replicas;         /* consolidate: floor per site with load (0 = scale to zero) */
    double hold_s;            /* consolidate: low load lasts this long before replicas go down */
    /* rl (rl.h): the network (copied at init; NULL: equal splits), and where to
     * collect feature statistics (NULL: nowhere). */
    const struct dcs_rl_net *rl_net;
    struct dcs_rl_stats *rl_record;
} dcs_policy_params;

typedef enum { DCS_POLICY_PLACEMENT, DCS_POLICY_POWER, DCS_POLICY_TEMPORAL } dcs_policy_role;

/* A policy type: GSL-style const object, registered by name. */
typedef struct dcs_policy_type {
    const char *name;
    dcs_policy_role role;
    size_t state_size;        /* bytes of state; 0 = stateless */
    /* Set up state (zeroed, state_size bytes) from p; DCS_OK or DCS_ERANGE. */
    int (*init)(void *state, const dcs_policy_params *p);
    /* Read obs, write the parts of act that belong to the role. */
    void (*decide)(void *state, const dcs_policy_params *p, const dcs_policy_obs *obs,
                   dcs_policy_action *act);
    /* Release what init acquired beyond state itself; may be NULL. */
    void (*free)(void *state);
} dcs_policy_type;

/* Built-in types, and their registry (sorted by name). */
extern const dcs_policy_type dcs_policy_round_robin, dcs_policy_least_loaded,
    dcs_policy_nearest, dcs_policy_geolocation, dcs_policy_carbon_shift, dcs_policy_power_cap,
    dcs_policy_consolidate;
extern const dcs_registry dcs_policy_types;

/* Default parameters (each value's reason in policy.c and docs/policies.md). */
dcs_policy_params dcs_policy_params_default(void);

/* A policy instance. */
typedef struct dcs_policy dcs_policy;

/* A new instance of t with parameters p (copied); NULL when memory is
 * exhausted or p is out of range (status in *st when st is given). */
dcs_policy *dcs_policy_alloc(const dcs_policy_type *t, const dcs_policy_params *p, int *st);
void dcs_policy_free(dcs_policy *pol);
const dcs_policy_type *dcs_policy_type_of(const dcs_policy *pol);
/* The parameters pol was made with (for the decision log's reasons). */
const dcs_policy_params *dcs_policy_params_of(const dcs_policy *pol);
void dcs_policy_decide(dcs_policy *pol, const dcs_policy_obs *obs, dcs_policy_action *act);

/* The neutral action: every region's demand split by RTT to its nearest
 * allowed site, order by RTT, caps as now, all replicas kept, all jobs run. */
void dcs_policy_action_default(const dcs_policy_obs *obs, dcs_policy_action *act);

/* Enforce the constraints above on act, in place; fills rep (zeroed first). */
void dcs_policy_enforce(const dcs_policy_obs *obs, dcs_policy_action *act,
                        dcs_policy_report *rep);

/* Compose: a placement policy, up to DCS_POLICY_MAX_POWER power policies
 * (power_cap writes caps and consolidate replicas, so both can act) and a
 * temporal policy; any may be NULL (then the default action's part stays).
 * Writes the default action, applies placement, power[0], power[1],
 * temporal in that order, then enforces. */
#define DCS_POLICY_MAX_POWER 2
typedef struct dcs_policy_stack {
    dcs_policy *placement;
    dcs_policy *power[DCS_POLICY_MAX_POWER];
    dcs_policy *temporal;
} dcs_policy_stack;
void dcs_policy_stack_decide(const dcs_policy_stack *s, const dcs_policy_obs *obs,
                             dcs_policy_action *act, dcs_policy_report *rep);

/* Site load implied by an action: requests/s of workload w at site s,
 * sum_r demand_w,r x split_w,r,s. */
/* Replicas site s would need at full use for the load act sends to it:
 * the most loaded workload's share of its own pool (load / capacity) times
 * all the site's replicas (consolidate sizes replicas by it; the decision
 * log reports it). */
double dcs_policy_replicas_in_use(const dcs_policy_obs *obs, const dcs_policy_action *act, int s);

double dcs_policy_site_load_rps(const dcs_policy_obs *obs, const dcs_policy_action *act, int w,
                                int s);

/* Observation as a vector of doubles in a fixed, documented layout
 * (docs/policies.md): for a scenario with S sites, R regions and W
 * workloads its length is dcs_policy_obs_len(S, R, W).  Writes at most n
 * values into out and returns the full length. */
size_t dcs_policy_obs_len(int nsites, int nregions, int nworkloads);
size_t dcs_policy_obs_vector(const dcs_policy_obs *obs, double *out, size_t n);

#endif
