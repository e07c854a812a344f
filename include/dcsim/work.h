/*
 * work.h - the workloads of a run as the site and controller LPs see them:
 * resolved, read-only, shared by every LP (built by sim/model_build.c from
 * the scenario, freed after the run).
 *
 * Decomposition (DESIGN.md, "Decomposition that gives lookahead"): demand
 * of workload w from user region r is split over sites by the traffic split
 * split[w][r][s] that the controller LP recomputes every control period.
 * A site generates its own arrivals from its share of every region's demand
 * (splitting a Poisson stream gives Poisson streams) and dispatches them
 * to the replicas it hosts; trace-driven workloads are partitioned instead:
 * every site reads the whole trace and keeps the rows whose common uniform
 * (a hash of the run seed, workload and row) falls in its share, so each
 * row is served by exactly one site.
 *
 * Exchange between sites and the controller (control.h) goes through
 * events; the bulky parts (telemetry, actions) live in ring slots of the
 * control bus that the event names, written once before the event is sent
 * and not rewritten for DCS_CONTROL_RING periods.
 */
#ifndef DCSIM_WORK_H
#define DCSIM_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/arrivals.h"
#include "dcsim/dispatch.h"
#include "dcsim/jobs.h"
#include "dcsim/llmtrace.h"
#include "dcsim/policy.h"
#include "dcsim/serving.h"
#include "dcsim/time.h"
#include "dcsim/tokens.h"
#include "dcsim/wlstats.h"

#define DCS_WORK_MAX_WORKLOADS DCS_POLICY_MAX_WORKLOADS
#define DCS_WORK_MAX_REGIONS DCS_POLICY_MAX_REGIONS
#define DCS_WORK_MAX_SITES DCS_POLICY_MAX_SITES

typedef enum { DCS_WORK_DETAILED, DCS_WORK_FLUID } dcs_work_fidelity;

/* One workload of the run. */
typedef struct dcs_work_wl {
    const char *name;
    int kind;                          /* dcs_workload_kind (scenario.h) */
    /* inference */
    dcs_slo slo;
    dcs_token_dist prompt, output;
    bool from_trace;                   /* arrivals replay `trace` */
    dcs_rate_profile rate;             /* Poisson: the whole workload's rate */
    dcs_burst_params burst;
    const dcs_llm_trace *trace;        /* borrowed from the model */
    double time_scale;
    bool loop;
    double region_share[DCS_WORK_MAX_REGIONS];   /* sums to 1 */
    dcs_dispatch_kind dispatch;
    bool allowed[DCS_WORK_MAX_SITES];  /* sovereignty */
    bool low_priority;                 /* sheddable (scenario `priority: low`) */
    /* training and batch */
    bool deferrable;
    double job_gpu_util;               /* busy share of a job's GPUs */
} dcs_work_wl;

/* Graceful degradation (scenario `policy.degrade`, docs/degradation.md).
 * A site is degraded while one of the causes in `when` holds there
 * (site_work.h, sw_degrade_update). */
enum { DCS_WORK_LOW_SERVE, DCS_WORK_LOW_SHED, DCS_WORK_LOW_QUEUE };
#define DCS_WORK_DEGRADE_FAULT (1u << 0)     /* a fault taking capacity or cooling */
#define DCS_WORK_DEGRADE_THROTTLE (1u << 1)  /* the loop throttled the GPUs */
#define DCS_WORK_DEGRADE_OVERLOAD (1u << 2)  /* too many SLO violations */
typedef struct dcs_work_degrade {
    unsigned when;                     /* DCS_WORK_DEGRADE_* bits */
    double overload_violations;        /* share of a period's completions */
    int low_priority;                  /* DCS_WORK_LOW_* */
    int64_t hold_limit;                /* requests held per site (queue) */
    bool fallback;                     /* switch to fallback models while degraded */
} dcs_work_degrade;

/* What every LP shares. */
typedef struct dcs_work_config {
    int fidelity;                      /* dcs_work_fidelity */
    uint64_t seed;                     /* run seed (trace partition hash) */
    dcs_time control_period;
    int nworkloads, nregions, nsites;
    const dcs_work_wl *wl;             /* nworkloads */
    double rtt_s[DCS_WORK_MAX_REGIONS][DCS_WORK_MAX_SITES];
    const char *region_names[DCS_WORK_MAX_REGIONS];
    dcs_work_degrade degrade;
} dcs_work_config;

/* Replicas of one inference workload on one cluster of a site. */
typedef struct dcs_site_pool {
    int workload;                      /* index into work->wl */
    size_t cluster;                    /* index into the site's clusters */
    int replicas;
    dcs_serving_params serving;        /* model on this cluster's GPUs */
    /* The workload's fallback_model on the same GPUs per replica (and the
     * same engine settings): what a replica serves while switched
     * (docs/fallback.md). */
    bool has_fallback;
    dcs_serving_params fallback;
} dcs_site_pool;

/* A training or batch job placed at a site. */
typedef struct dcs_site_job {
    dcs_job job;                       /* id = run-wide job index */
    int workload;
    int policy_slot;                   /* index into the observation's jobs, or -1 */
} dcs_site_job;

/* Per-site results of the workloads, read after the run (site.h). */
typedef struct dcs_site_work_results {
    int nworkloads;
    const dcs_wl_stats *stats;         /* one per workload (this site's share) */
    size_t njobs;
    const dcs_job_status *jobs;        /* in the site config's job order */
    const double *job_energy_j;        /* AC energy of each job's GPUs, same order */
    double gpu_busy_s;                 /* GPU-seconds doing work */
} dcs_site_work_results;

#endif
