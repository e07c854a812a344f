/*
 * control.h - the controller LP and its exchange with the site LPs.
 *
 * Timing (control period P, lookahead P/2 on both directions):
 *   k P          every site closes period k-1 and writes its telemetry into
 *                bus->tele[site][k % DCS_CONTROL_RING], then sends
 *                DCS_EV_TELEMETRY (payload u[0] = k) to the controller with
 *                delay P/2;
 *   k P + P/2    the controller, once it holds all nsites telemetry events
 *                of period k, builds the policy observation, runs the policy
 *                stack (policy.h) and dcs_policy_enforce, writes the action
 *                into bus->action[k % DCS_CONTROL_RING] and sends
 *                DCS_EV_ACTION (u[0] = k) to every site with delay P/2;
 *   (k+1) P      each site applies its part of the action (its column of
 *                the split, its cluster caps, replicas to keep, job run
 *                flags) before anything else at that time (the controller
 *                is LP 0, so its events come first among equal times).
 * Decisions therefore act on telemetry one period old, as GSLB weights do.
 * Until the first action arrives (t < P) sites use bus->initial, the
 * stack's decision on the static observation at t = 0 (model_build.c).
 * A ring slot is written once per DCS_CONTROL_RING periods, and read within
 * one period of its event, so readers never see it change.
 */
#ifndef DCSIM_CONTROL_H
#define DCSIM_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/engine.h"
#include "dcsim/hourly.h"
#include "dcsim/policy.h"
#include "dcsim/work.h"

#define DCS_CONTROL_RING 4

enum { DCS_EV_TELEMETRY = 101, DCS_EV_ACTION = 102 };

/* What a site reports for the period that just ended. */
typedef struct dcs_site_telemetry {
    int64_t period;                    /* k */
    double it_power_w, facility_power_w, pue, free_cooling, ambient_c;
    double utilisation;                /* busy share of awake replicas */
    double queue_len;                  /* requests waiting, now */
    double p99_s;                      /* service-side e2e p99 of the period (NaN: none) */
    double slo_violation_share;        /* of the period's completions and drops */
    int replicas_up, replicas_waking, replicas_total;
    double cluster_cap_now[DCS_POLICY_MAX_CLUSTERS];
    double served_rps[DCS_WORK_MAX_WORKLOADS];   /* completions / P */
    /* jobs of this site, in the site config's order */
    int njobs;
    double job_remaining_s[DCS_POLICY_MAX_JOBS];
    bool job_running[DCS_POLICY_MAX_JOBS];
    bool job_done[DCS_POLICY_MAX_JOBS];
    /* faults reported (failover on, fault.h): the site is dark (no
     * capacity), user region r cannot reach it */
    bool dark;
    bool cut[DCS_WORK_MAX_REGIONS];
} dcs_site_telemetry;

/* The bus, owned by the model; sites and controller hold a pointer. */
typedef struct dcs_control_bus {
    int nsites;
    uint32_t controller_lp;
    const uint32_t *site_lp;           /* nsites */
    dcs_site_telemetry (*tele)[DCS_CONTROL_RING];   /* [site][slot] */
    dcs_policy_action action[DCS_CONTROL_RING];
    dcs_policy_action initial;
} dcs_control_bus;

/* One logged decision (trace /events): time, kind, site, a number, text. */
typedef struct dcs_event_log_row {
    dcs_time time;
    char kind[24];                     /* "split", "cap", "replicas", "job_pause", "job_run",
                                          "spill", "drop", "power_unmet", "chiller_trip"... */
    int32_t site;                      /* -1: run-wide */
    int32_t workload;                  /* -1: none */
    double value;
    char detail[80];
} dcs_event_log_row;

#define DCS_EVENT_LOG_MAX 20000        /* rows kept; later changes are counted, not kept */

/* Static inputs of the controller. */
typedef struct dcs_controller_config {
    const dcs_work_config *work;
    dcs_control_bus *bus;
    const dcs_policy_stack *stack;     /* NULL (or NULL members): the default action */
    dcs_policy_obs base;               /* static parts: rtt, allowed, capacities, limits */
    /* per site, for the forecast and price in each observation (borrowed
     * from the site configs; NULL: not available) */
    const dcs_hourly *const *ci;          /* nsites, kg/J */
    const dcs_hourly *const *ci_marginal;
    const dcs_hourly *const *price;       /* USD/J; NULL: flat below */
    const double *flat_price_usd_per_j;          /* nsites */
    /* jobs: observation slot -> (site, index in that site's jobs);
     * dcs_controller_config_jobs fills them */
    int njobs;
    int job_site[DCS_POLICY_MAX_JOBS];
    int job_index[DCS_POLICY_MAX_JOBS];
    double job_deadline_s[DCS_POLICY_MAX_JOBS];  /* absolute, s; +inf: none */
} dcs_controller_config;

/* The controller LP type; its config argument is a const
 * dcs_controller_config * (copied at init; what it points to is borrowed
 * and must outlive the run).  It sends nothing by itself: it needs
 * channels site -> controller and controller -> site of lookahead P/2.
 * Its init fails (dcs_engine_add_lp returns DCS_LP_ANY) when work, bus,
 * bus->tele or bus->site_lp is NULL, bus->nsites differs from
 * base.nsites or is 0, the control period is not positive, njobs is out
 * of range, or the log cannot be allocated.  bus->initial must hold the
 * initial action before the first decision (the log compares with it). */
extern const dcs_lp_type dcs_controller_lp_type;

struct dcs_site_config;

/* The static part of the observation from the run's workloads and sites
 * (site.h): counts, RTTs, sovereignty, SLOs; per site its power limit
 * (+inf when none), replicas, wake delay, serving capacity per workload
 * (sum over its pools of replicas x the fluid model's capacity at full
 * clock), per cluster its maximum IT power and lowest cap, caps now 1,
 * replicas up = total (sites start awake), PUE 1; dynamic fields 0; the
 * jobs of the sites' policy slots (deadline absolute here, +inf when none:
 * dcs_controller_obs_at makes it the time left).
 * Sites beyond DCS_POLICY_MAX_SITES (clusters, workloads likewise) are
 * left out; model_build.c rejects such scenarios. */
void dcs_controller_static_obs(const dcs_work_config *w, const struct dcs_site_config *sites,
                               int nsites, dcs_policy_obs *out);

/* Fill cfg's job map (njobs, job_site, job_index, job_deadline_s) from
 * the sites' jobs that have a policy slot (dcs_site_job.policy_slot):
 * slot -> (site, index in that site's jobs, absolute deadline in s, +inf
 * when none).  Slots no job claims map to site -1 (observed as not
 * running, nothing left). */
void dcs_controller_config_jobs(const struct dcs_site_config *sites, int nsites,
                                dcs_controller_config *cfg);

/* The observation at time t without telemetry: cfg->base with the time,
 * each site's grid signals at t (intensity now and the next 24 hours,
 * marginal, price) and each region's demand at t (a trace workload: its
 * mean rate over [t - P, t), or [0, P) when t < P).  The controller LP
 * overlays the sites' telemetry on this. */
void dcs_controller_obs_at(const dcs_controller_config *cfg, dcs_time t, dcs_policy_obs *out);

/* What sites use before the first action: the stack's enforced decision
 * on obs (normally dcs_controller_obs_at(cfg, 0)); st NULL: the default
 * action, enforced.  Policies with state (consolidate) count this as their
 * first decision. */
void dcs_controller_initial_action(const dcs_policy_stack *st, const dcs_policy_obs *obs,
                                   dcs_policy_action *act);

/* After the run: the decision log (rows in time order) and how many
 * changes were not kept because the log was full. */
typedef struct dcs_controller_results {
    const dcs_event_log_row *rows;
    size_t nrows;
    uint64_t dropped_rows;
    uint64_t decisions;                /* control periods decided */
    dcs_policy_report totals;          /* sums over decisions of the enforcement reports
                                          (overload_rps: sent over capacity, x P requests) */
    double dropped_rps;                /* sum over decisions of the demand each action
                                          drops: regions with no usable site (x P: requests) */
    double dropped_requests[DCS_WORK_MAX_WORKLOADS];   /* per workload, the initial action's
                                          period included: demand x drop x P summed (an
                                          expected count; the sites never see these) */
} dcs_controller_results;
/* Read the results from the LP's state (dcs_engine_lp_state); the rows
 * stay valid until dcs_controller_release, which frees them (call once,
 * after reading). */
void dcs_controller_results_of(const void *state, dcs_controller_results *out);
void dcs_controller_release(void *state);

#endif
