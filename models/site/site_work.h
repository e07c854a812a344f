/*
 * site_work.h - internal interface between the site LP (site_lp.c) and the
 * workloads it runs (site_work.c: replicas, requests and power;
 * site_work_ctl.c: control steps, actions, fluid mode, telemetry;
 * site_work_jobs.c: training and batch jobs).
 *
 * The site LP owns the facility; site_work owns the GPUs.  The LP asks it
 * for the exact IT energy and busy GPU-seconds of every interval it
 * closes, hands it the limits of each control step (loop throttle, rack and
 * site-limit caps), and forwards the events below to it.
 */
#ifndef DCSIM_SITE_WORK_H
#define DCSIM_SITE_WORK_H

#include "dcsim/site.h"

/* Self-events of the workloads (the LP's own tick is kind 1). */
enum {
    SW_EV_ARRIVAL = 10,        /* u[0] workload, u[1] generation */
    SW_EV_ITER_END = 11,       /* u[0] replica */
    SW_EV_WAKE = 12,           /* u[0] replica */
    SW_EV_JOB_SUBMIT = 13,     /* next job submission due */
    SW_EV_JOB_FINISH = 14,     /* u[0] generation */
    SW_EV_BURST = 15           /* u[0] workload: its burst state changes */
};

/* Random streams of the site LP (purposes of dcs_lp_rng). */
enum { SW_RNG_CLIMATE = 0, SW_RNG_ARRIVALS = 1, SW_RNG_REQUESTS = 2, SW_RNG_STREAMS = 3 };

/* ---- state shared by the site_work*.c files ---- */

#include "dcsim/fluid.h"
#include "dcsim/lathist.h"

/* A piecewise-constant rate and its exact integral. */
typedef struct sw_acc {
    double rate;               /* per second */
    double sum;                /* integral up to t */
    dcs_time t;
} sw_acc;

/* Bring a to now, then add delta to its rate. */
static inline void sw_acc_add(sw_acc *a, dcs_time now, double delta)
{
    if (now > a->t) {
        a->sum += a->rate * dcs_time_to_s(now - a->t);
        a->t = now;
    }
    a->rate += delta;
}

typedef struct sw_rep {
    dcs_replica *r;
    int pool, wl;
    size_t cluster;
    int gpus;
    bool iterating, waking;
    bool kept;                 /* kept powered by the action in force */
    bool busy;                 /* counted in the busy integrals */
    double gpu_w;              /* board power now (DC, all its GPUs) */
    sw_acc energy;             /* AC energy of its GPUs */
    /* Fallback model (site_work_fallback.c): alt is the replica object of
     * the other model on the same GPUs (NULL without a fallback_model);
     * fb: r serves the fallback; draining: r finishes its batch before
     * its GPUs load alt's weights (new requests already queue in alt). */
    dcs_replica *alt;
    bool fb, draining;
} sw_rep;

typedef struct sw_cluster {
    int gpus, rep_gpus;        /* installed; held by replicas */
    int job_gpus;              /* busy with jobs */
    double psu;                /* AC in / DC out efficiency */
    double limit_cap;          /* from rack and site limits */
    double cap;                /* applied: min(action, limit) */
    double clock;              /* accelerator clock for jobs */
    double base_dc_w;          /* GPUs in no replica (jobs, idle) */
    double overhead_w;         /* node overheads (AC) this period */
    sw_acc it;                 /* AC IT power of the cluster */
    sw_acc busy;               /* busy GPU-equivalents */
    double busy_mark;          /* busy.sum at the last control step */
    double job_busy;           /* busy GPU-equivalents of jobs */
} sw_cluster;

/* Fluid mode: the e2e distribution of the state in one memo slot of a
 * pool's model, valid while the slot holds the same (clock, replicas,
 * cell). */
typedef struct sw_dist {
    double clock;              /* 0: not built */
    int replicas;
    int64_t cell;
    dcs_fluid_dist d;
} sw_dist;

typedef struct sw_pool {
    double clock;
    int first, n;              /* replicas [first, first + n) */
    dcs_fluid_model fm;        /* fluid mode */
    double fm_clock;           /* clock fm was prepared for; 0: never */
    double busy_w;             /* fluid: busy GPUs of the period */
    int wl_first;              /* index of its first replica among its workload's */
    int nkept;                 /* of its replicas kept powered (apply_kept) */
    /* Fluid mode: the pool's GPU power and energy as a whole (per-replica
     * power is not tracked there, so a control step costs O(pools)). */
    double gpu_w;              /* board power now (DC, all its GPUs) */
    sw_acc energy;             /* AC energy of its GPUs */
    sw_dist *dist;             /* fluid: per memo slot (DCS_FLUID_EVAL_MEMO), lazily */
    /* Fallback (site_work_fallback.c): fb_on is the model asked for;
     * fluid mode: fm, fm_clock and dist belong to the fallback when
     * fm_fb, and the other model's wait in fb_fm, fb_fm_clock, fb_dist. */
    bool fb_on, fm_fb;
    dcs_fluid_model fb_fm;
    double fb_fm_clock;
    sw_dist *fb_dist;
} sw_pool;

typedef struct sw_wl {
    dcs_arrivals arr;          /* at the burst rate when bursty (see site_work.c) */
    gsl_rng *burst_rng;        /* stream (run seed, workload): NULL without bursts */
    bool in_burst;
    dcs_time next_switch;
    double quiet_mult, burst_mult;
    uint64_t gen;              /* pending arrival's generation */
    dcs_trace_replay replay;
    bool row_pending, row_ours;
    int row_region;
    dcs_time row_at;
    int32_t row_prompt, row_output;
    size_t row_index;
    uint64_t row_lap;
    double share;              /* sum_r region_share * split (this site) */
    double region_w[DCS_WORK_MAX_REGIONS];  /* region_share * split */
    double lo;                 /* trace: start of this site's interval */
    dcs_dispatch disp;
    dcs_token_sampler prompt, output;   /* the spec's token laws, for drawing */
    dcs_replica **reps;        /* its replicas here */
    int *rep_index;            /* their site indices */
    int nreps;
    int nkept;                 /* of them among the site's kept replicas */
    uint64_t served_period;    /* completions in the current period */
    double served_rps;         /* of the last period */
    sw_acc job_energy;         /* its jobs' GPU energy (AC) */
    double job_w;              /* its jobs' GPU power now (AC) */
    double overhead_j;         /* its share of node overheads */
} sw_wl;

struct site_work {
    const dcs_site_config *c;
    const dcs_work_config *W;
    const dcs_policy_action *act;
    bool fluid;
    int nrep;
    sw_rep *reps;
    sw_pool *pools;
    sw_cluster *cl;
    sw_wl *wl;                 /* W->nworkloads */
    dcs_wl_stats *stats;       /* W->nworkloads */
    dcs_request_done *done;
    int done_cap;
    uint64_t next_id;
    int kept;                  /* replicas kept powered (each workload its share) */
    /* period counters, reset at each control step */
    uint64_t period_done, period_bad, period_dropped;
    dcs_lathist period_e2e;    /* service side (no network); detailed mode */
    /* fluid mode: each pool's distribution and requests of the period
     * being evaluated, and their p99 (NaN: none) */
    const dcs_fluid_dist **period_dist;
    double *period_n;
    double fluid_p99_s;
    double last_rps, last_util, last_rep_util, last_p99_s, last_bad_share;
    double busy_mark, rep_busy_mark;   /* busy integrals at the last step */
    double it_mark;            /* IT energy integral at the last step */
    double throttle;           /* loop's throttle of the last step */
    sw_acc rep_busy;           /* busy GPUs of replicas (for utilisation) */
    dcs_time last_step;
    bool stepped;
    /* energy handed to the LP so far */
    double taken_j, taken_busy;
    /* jobs */
    dcs_jobsched *js;
    int *sched_index;          /* config job -> scheduler index, -1: not yet */
    size_t *cfg_of;            /* scheduler index -> config job */
    double job_speed;          /* speed the scheduler runs at */
    size_t next_submit;
    uint64_t job_gen;
    dcs_job_status *job_out;
    size_t *scratch;
    bool *paused;
    sw_acc *job_acc;           /* per config job: AC power of its GPUs, energy */
    double *job_energy_j;      /* per config job, filled at the end */
    /* faults (site_work_fault): the site is dark, user regions cut off,
     * replicas of each workload out of service (its last ones) */
    bool dark;
    bool cut[DCS_WORK_MAX_REGIONS];
    int down[DCS_WORK_MAX_WORKLOADS];
    uint64_t fault_dropped, period_fault_dropped;
    double fault_impact_s;
    /* graceful degradation (site_work_degrade.c, docs/degradation.md) */
    bool degraded;             /* per W->degrade.when, as of the last update */
    bool fault_degrades;       /* a fault in force takes capacity (not dark) */
    bool chiller_out;          /* the cooling loop's chiller is tripped */
    double overload_share;     /* bad / completed of the last closed period */
    dcs_time degraded_since;
    dcs_event_log_row *dlog;   /* degraded / degraded_end rows */
    size_t ndlog, cap_dlog;
    struct sw_held *held;      /* detailed: low-priority requests held (FIFO) */
    size_t nheld, cap_held;
    struct sw_backlog *backlog;   /* fluid: held requests, one chunk per workload and period */
    size_t nbacklog, cap_backlog;
    double backlog_n;          /* fluid: requests in the chunks */
    /* fallback model (site_work_fallback.c): asked for since fb_since;
     * switches to it and seconds on it so far */
    bool fb_on;
    dcs_time fb_since;
    uint64_t fb_switches;
    double fb_s;
};

/* A low-priority request held while its site is degraded (detailed). */
typedef struct sw_held {
    dcs_time arrival;
    int32_t prompt, output;
    int wl, region;
} sw_held;

/* Fluid: n requests of workload wl held in the period centred on mid. */
typedef struct sw_backlog {
    int wl;
    double n;
    dcs_time mid;
} sw_backlog;

typedef struct site_work site_work;

/* Inside the site_work files. */
void sw_set_rep_power(site_work *w, int i, dcs_time now, double gpu_w);
/* Fluid mode: the board power of pool p's GPUs as a whole. */
void sw_set_pool_power(site_work *w, size_t p, dcs_time now, double gpu_w);
void sw_apply_traffic(site_work *w, dcs_lp *lp, const dcs_policy_action *a, dcs_time now);
void sw_apply_action(site_work *w, dcs_lp *lp, const dcs_policy_action *a, dcs_time now);
int sw_jobs_init(site_work *w, dcs_lp *lp);   /* 0, or -1 out of memory */
void sw_jobs_event(site_work *w, dcs_lp *lp, const dcs_event *ev);
void sw_jobs_power(site_work *w, dcs_time now);
void sw_jobs_apply(site_work *w, dcs_lp *lp, const dcs_policy_action *a, dcs_time now);
void sw_jobs_speed(site_work *w, dcs_lp *lp, dcs_time now);
/* The site goes dark (preempt every job: it restarts from its last
 * checkpoint; hold them) or comes back (release those no policy paused). */
void sw_jobs_dark(site_work *w, dcs_lp *lp, bool dark, dcs_time now);
/* Count n requests of workload k lost to a fault. */
void sw_fault_drop(site_work *w, int k, uint64_t n);
void sw_charge_overheads(site_work *w, double dt_s);
/* Mean burst multiplier of workload k over [t, end) (1 without bursts),
 * walking its common burst chain forward: call with consecutive periods. */
double sw_burst_mean(site_work *w, int k, dcs_time t, dcs_time end);
void sw_start_arrivals(site_work *w, dcs_lp *lp, int k, dcs_time now);

/* ---- fallback model (site_work_fallback.c, docs/fallback.md) ---- */

/* Replica i's second object, for its pool's fallback model, asleep (its
 * weights not loaded).  0, or -1 out of memory. */
int sw_fallback_init(site_work *w, int i);
/* Switch every pool that has a fallback model to it (on) or back to its
 * own model (off), from now.  Detailed fidelity, per replica: its waiting
 * requests move to the other model's queue (new ones queue there too),
 * it finishes its running batch, unloads, and the other model's weights
 * load for its wake time (dark, at idle power) before it serves; asked
 * back before the batch ends, it simply admits again.  Fluid fidelity:
 * from the next period's evaluation, without the reload gap.  A no-op
 * when nothing changes. */
void sw_fallback_set(site_work *w, dcs_lp *lp, bool on, dcs_time now);
/* Replica i (draining) has finished its batch: unload, swap to the other
 * model and load it when anything waits or the replica is kept.  Called
 * from try_start when no iteration can start. */
void sw_fallback_drained(site_work *w, dcs_lp *lp, int i, dcs_time now);
/* Fluid mode: swap pool p's two fluid models (with their clocks and
 * distributions), so fm is the one fb_on asks for; site_work_ctl.c first
 * records what the old one's remembered states served. */
void sw_fallback_fluid_swap(site_work *w, size_t p);
/* Wake replica i (site_work.c's wake, for the fallback switch). */
void sw_rep_wake(site_work *w, dcs_lp *lp, int i, dcs_time now);
/* Close the fallback counters at t (end of run). */
void sw_fallback_finish(site_work *w, dcs_time t);

/* Allocate everything for config c (c->work not NULL) and apply the
 * initial action at t = 0 (first arrivals and job submissions are sent).
 * Returns NULL when memory is exhausted or the config is unusable. */
site_work *site_work_alloc(dcs_lp *lp, const dcs_site_config *c);
void site_work_free(site_work *w);

/* True for an event kind site_work handles (SW_EV_* and DCS_EV_ACTION). */
bool site_work_owns(uint32_t kind);
void site_work_handle(site_work *w, dcs_lp *lp, const dcs_event *ev);

/* IT energy (J, AC) and busy GPU-seconds since the previous call, up to t. */
void site_work_take(site_work *w, dcs_time t, double *it_j, double *busy_gpu_s);

/* Limits of one control step: per cluster the cap (fraction of the
 * accelerator's max power) from rack and site limits, and the loop's
 * throttle. */
typedef struct site_work_limits {
    const double *limit_cap;   /* nclusters */
    double throttle;
    bool chiller_out;          /* the loop's chiller is tripped (degradation) */
} site_work_limits;

/* Control step at t for the period [t, t + dt): close period k - 1
 * (counters for telemetry and series), set clocks, node overheads and job
 * speed, and in fluid mode evaluate every pool for the new period.
 * Returns the mean IT power (W) of the period that just ended (the
 * instantaneous IT power at t = 0), the cooling loop's heat load. */
double site_work_control(site_work *w, dcs_lp *lp, dcs_time t, dcs_time dt,
                         const site_work_limits *lim);

/* Values for the series and the telemetry, as of the last control step. */
typedef struct site_work_view {
    double queue_len;          /* requests waiting now */
    double requests_per_s;     /* completions of the last period / P */
    double power_cap;          /* mean applied cap of the clusters */
    double gpu_util;           /* busy GPU share of the last period */
} site_work_view;
void site_work_view_now(const site_work *w, site_work_view *out);

/* Fill the workload part of the telemetry of period k (utilisation, queue,
 * p99, violations, replicas, caps, served rates, jobs). */
void site_work_telemetry(const site_work *w, int64_t k, dcs_site_telemetry *out);

/* At the end of the run: flush every integral to t. */
void site_work_finish(site_work *w, dcs_time t);

void site_work_results(const site_work *w, dcs_site_work_results *out);

/* The faults in force changed (fault.h): dark site, cut regions, GPUs
 * out of service (ceil(share x replicas) of each workload, its last ones,
 * neither kept nor dispatched to). */
void site_work_fault(site_work *w, dcs_lp *lp, const dcs_fault_now *f, dcs_time now);
/* Requests lost to faults, and the time with such losses (control periods). */
void site_work_fault_totals(const site_work *w, double *dropped, double *impact_s);

/* ---- graceful degradation (site_work_degrade.c) ---- */

/* Recompute w->degraded at now from the causes W->degrade.when names:
 *   fault     a fault in force takes capacity or cooling and the site is
 *             not dark (w->fault_degrades: GPUs out of service, on UPS or
 *             generator; w->chiller_out: chiller tripped); a partition
 *             alone or a dark site is not degraded;
 *   throttle  the cooling loop throttled the GPUs at the last control
 *             step (w->throttle < 1);
 *   overload  the share of the site's completions that broke their SLO in
 *             the last closed control period (w->overload_share) is above
 *             W->degrade.overload_violations.
 * When the state changes it logs a `degraded` (detail: the causes) or
 * `degraded_end` (value: seconds degraded) row, and on recovery
 * dispatches the low-priority requests held meanwhile (queue).  Called by
 * site_work_fault and at the end of every control step (site_work_control),
 * so the state holds between site LP ticks. */
void sw_degrade_update(site_work *w, dcs_lp *lp, dcs_time now);
/* Free what sw_degrade_update allocated (the log, held requests). */
void sw_degrade_free(site_work *w);
/* Detailed: a request of low-priority workload k reaches the degraded
 * site now.  With low_priority shed it is counted shed and dropped; with
 * queue it is held (shed beyond hold_limit).  Returns false (dispatch it)
 * with serve. */
bool sw_degrade_intercept(site_work *w, int k, int reg, int32_t prompt, int32_t output,
                          dcs_time now);
/* Dispatch a held request now, keeping its arrival time (site_work.c). */
void sw_dispatch_held(site_work *w, dcs_lp *lp, const sw_held *h, dcs_time now);
/* Fluid: the offered rate (req/s) of workload k over [t, t + dt) that the
 * pools should serve: while degraded a low-priority workload's rate
 * reaching the site is shed or held (what a cut region would get is left
 * for the pools to drop as a fault); on the first period after recovery
 * its backlog is added.  Counts shed, held and the holds. */
double sw_degrade_fluid(site_work *w, int k, double rate, dcs_time t, dcs_time dt);
/* End of the run at end: requests still held are never served (counted
 * dropped; their hold lasted to the end). */
void sw_degrade_finish(site_work *w, dcs_time end);
/* The degraded / degraded_end rows so far (time order). */
void site_work_degrade_log(const site_work *w, const dcs_event_log_row **rows, size_t *n);

#endif
