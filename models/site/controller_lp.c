/*
 * controller_lp.c - the controller logical process (control.h): one
 * decision for all sites every control period.
 *
 * At k P every site writes bus->tele[s][k % DCS_CONTROL_RING] and sends
 * DCS_EV_TELEMETRY (u[0] = k) with delay P/2, so all reports of period k
 * arrive at k P + P/2.  When the
 * controller holds all nsites reports of period k it
 *   1. builds the observation: dcs_controller_obs_at(now) (static part,
 *      grid signals, demand; controller_obs.c), then each site's telemetry
 *      (PUE, free cooling, ambient, IT power, headroom = limit - facility
 *      power, utilisation, queue, p99, SLO violations, replicas, caps now,
 *      requests served per workload; a site reporting itself dark, fault.h,
 *      has replicas up 0 and capacity 0, so no policy may use it)
 *      and each job's (remaining run time, running; time to deadline =
 *      deadline - now);
 *   2. runs the policy stack, which enforces the constraints
 *      (dcs_policy_stack_decide), then moves the shares of (region, site)
 *      pairs a reported network partition cuts (route_around_cuts);
 *   3. writes the action into bus->action[k % DCS_CONTROL_RING], logs what
 *      changed (controller_log.c) and sends DCS_EV_ACTION (u[0] = k) to
 *      every site with delay P/2, so sites apply it at (k+1) P.
 * A site with no completions in the period reports p99 NaN; it is
 * observed as 0 (an idle site adds no queueing delay), so geolocation may
 * send it load.  The handler allocates nothing: the log's rows are
 * allocated at init.
 */
#include "dcsim/control.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "controller_log.h"

typedef struct ctl_state {
    dcs_controller_config cfg;
    int got[DCS_CONTROL_RING];         /* reports held per ring slot */
    dcs_policy_obs obs;
    dcs_policy_action act;
    ctl_log log;
    uint64_t decisions;
    dcs_policy_report totals;
    double dropped_rps;
    double dropped_requests[DCS_WORK_MAX_WORKLOADS];
} ctl_state;

/* Requests of each workload an action drops over the period it holds:
 * demand x drop share x P (an expected count, not a random draw). */
static void count_drops(ctl_state *st, const dcs_policy_obs *obs, const dcs_policy_action *act)
{
    double p_s = dcs_time_to_s(st->cfg.work->control_period);
    for (int w = 0; w < obs->nworkloads && w < DCS_WORK_MAX_WORKLOADS; w++)
        for (int r = 0; r < obs->nregions; r++)
            st->dropped_requests[w] += obs->region[r].demand_rps[w] * act->drop[w][r] * p_s;
}

static int ctl_init(dcs_lp *lp, void *state, const void *config)
{
    (void)lp;
    ctl_state *st = state;
    const dcs_controller_config *c = config;
    if (!c || !c->work || !c->bus || !c->bus->tele || !c->bus->site_lp ||
        c->bus->nsites != c->base.nsites ||
        c->base.nsites <= 0 || c->work->control_period <= 0 || c->njobs < 0 ||
        c->njobs > DCS_POLICY_MAX_JOBS)
        return 1;
    st->cfg = *c;
    st->log.rows = malloc(DCS_EVENT_LOG_MAX * sizeof *st->log.rows);
    if (!st->log.rows)
        return 1;
    /* the initial action holds over [0, P) */
    dcs_controller_obs_at(&st->cfg, 0, &st->obs);
    count_drops(st, &st->obs, &c->bus->initial);
    return 0;
}

static double finite_or(double x, double dflt)
{
    return isfinite(x) ? x : dflt;
}

static void overlay_site(dcs_policy_site_obs *o, const dcs_site_telemetry *t, int nworkloads)
{
    for (int w = 0; w < nworkloads && w < DCS_WORK_MAX_WORKLOADS; w++)
        o->served_rps[w] = t->served_rps[w] > 0.0 && isfinite(t->served_rps[w])
                               ? t->served_rps[w] : 0.0;
    o->pue = t->pue >= 1.0 && isfinite(t->pue) ? t->pue : 1.0;
    o->free_cooling = finite_or(t->free_cooling, 0.0);
    o->ambient_c = finite_or(t->ambient_c, 0.0);
    o->it_power_w = finite_or(t->it_power_w, 0.0);
    o->headroom_w = o->power_limit_w - finite_or(t->facility_power_w, 0.0);
    o->utilisation = finite_or(t->utilisation, 0.0);
    o->queue_len = finite_or(t->queue_len, 0.0);
    o->p99_s = finite_or(t->p99_s, 0.0);
    o->slo_violation_share = finite_or(t->slo_violation_share, 0.0);
    o->replicas_up = t->replicas_up;
    o->replicas_waking = t->replicas_waking;
    if (t->replicas_total > 0)
        o->replicas_total = t->replicas_total;
    for (int c = 0; c < o->nclusters; c++)
        o->cluster_cap_now[c] = t->cluster_cap_now[c] > 0.0 ? t->cluster_cap_now[c] : 1.0;
    if (t->dark) {
        /* A dark site has nothing to serve with: no policy may use it
         * (policy_usable needs capacity) until it reports back. */
        o->replicas_up = o->replicas_waking = 0;
        for (int w = 0; w < nworkloads && w < DCS_WORK_MAX_WORKLOADS; w++)
            o->capacity_rps[w] = 0.0;
    }
}

/* Network partitions the sites reported: region r's share of a site it
 * cannot reach moves to the first site of the region's order that may
 * serve the workload (sovereignty and capacity, as enforcement judges),
 * has room left for it (capacity x awake share, less what is sent there),
 * and that r reaches; with none, it is dropped. */
static void route_around_cuts(const dcs_control_bus *bus, int slot, const dcs_policy_obs *obs,
                                dcs_policy_action *act)
{
    for (int w = 0; w < obs->nworkloads; w++) {
        double load[DCS_POLICY_MAX_SITES] = {0};
        for (int s = 0; s < obs->nsites; s++)
            for (int r = 0; r < obs->nregions; r++)
                load[s] += act->split[w][r][s] * obs->region[r].demand_rps[w];
        for (int r = 0; r < obs->nregions && r < DCS_WORK_MAX_REGIONS; r++) {
            double demand = obs->region[r].demand_rps[w];
            for (int s = 0; s < obs->nsites; s++) {
                double share = act->split[w][r][s];
                if (!bus->tele[s][slot].cut[r] || !(share > 0.0))
                    continue;
                act->split[w][r][s] = 0.0;
                load[s] -= share * demand;
                int to = -1;
                for (int i = 0; i < obs->nsites && to < 0; i++) {
                    int c = act->order[w][r][i];
                    const dcs_policy_site_obs *o = &obs->site[c];
                    double room = o->replicas_total > 0
                                      ? o->capacity_rps[w] * o->replicas_up / o->replicas_total
                                      : 0.0;
                    if (c < obs->nsites && !bus->tele[c][slot].cut[r] &&
                        obs->workload[w].allowed[c] && o->capacity_rps[w] > 0.0 &&
                        load[c] + share * demand <= room)
                        to = c;
                }
                if (to >= 0) {
                    act->split[w][r][to] += share;
                    load[to] += share * demand;
                } else {
                    act->drop[w][r] += share;
                }
            }
        }
    }
}

static void build_obs(ctl_state *st, dcs_time now, int slot)
{
    const dcs_controller_config *c = &st->cfg;
    dcs_policy_obs *obs = &st->obs;
    dcs_controller_obs_at(c, now, obs);
    for (int s = 0; s < obs->nsites; s++)
        overlay_site(&obs->site[s], &c->bus->tele[s][slot], obs->nworkloads);
    if (c->njobs > obs->njobs)
        obs->njobs = c->njobs;
    for (int j = 0; j < c->njobs; j++) {
        int s = c->job_site[j], i = c->job_index[j];
        dcs_policy_job_obs *job = &obs->job[j];
        job->site = s;
        job->deadline_s = c->job_deadline_s[j] - obs->now_s;
        if (s < 0 || s >= obs->nsites || i < 0 || i >= DCS_POLICY_MAX_JOBS) {
            job->remaining_s = 0.0;   /* a slot no job claims */
            job->running = false;
            continue;
        }
        const dcs_site_telemetry *t = &c->bus->tele[s][slot];
        if (i >= t->njobs)
            continue;
        job->remaining_s = t->job_done[i] ? 0.0 : finite_or(t->job_remaining_s[i], 0.0);
        job->running = t->job_running[i] && !t->job_done[i];
    }
}

static void add_report(dcs_policy_report *sum, const dcs_policy_report *r)
{
    sum->forbidden_rps += r->forbidden_rps;
    sum->spilled_rps += r->spilled_rps;
    sum->overload_rps += r->overload_rps;
    sum->dropped_rps += r->dropped_rps;
    for (int s = 0; s < DCS_POLICY_MAX_SITES; s++)
        sum->power_unmet_w[s] += r->power_unmet_w[s];
    sum->caps_tightened += r->caps_tightened;
    sum->jobs_forced += r->jobs_forced;
}

static void decide(dcs_lp *lp, ctl_state *st, uint64_t k)
{
    static const dcs_policy_stack none = {0};
    const dcs_controller_config *c = &st->cfg;
    dcs_control_bus *bus = c->bus;
    int slot = (int)(k % DCS_CONTROL_RING);
    dcs_time now = dcs_lp_now(lp);
    for (int s = 0; s < bus->nsites; s++)
        DCS_LP_ASSERT(lp, bus->tele[s][slot].period == (int64_t)k,
                      "telemetry of site %d in slot %d is of period %lld, not %llu", s, slot,
                      (long long)bus->tele[s][slot].period, (unsigned long long)k);
    build_obs(st, now, slot);
    dcs_policy_report rep;
    const dcs_policy_stack *stack = c->stack ? c->stack : &none;
    dcs_policy_stack_decide(stack, &st->obs, &st->act, &rep);
    route_around_cuts(bus, slot, &st->obs, &st->act);
    bus->action[slot] = st->act;
    ctl_log_decision(&st->log, now, &st->obs, &st->act, &rep, c->stack, &bus->initial);
    add_report(&st->totals, &rep);
    st->dropped_rps += ctl_dropped_rps(&st->obs, &st->act);
    count_drops(st, &st->obs, &st->act);
    st->decisions++;
    dcs_time half = c->work->control_period / 2;
    for (int s = 0; s < bus->nsites; s++) {
        dcs_event *ev = dcs_lp_send(lp, bus->site_lp[s], half, DCS_EV_ACTION);
        ev->p.u[0] = k;
    }
}

static void ctl_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    ctl_state *st = state;
    DCS_LP_ASSERT(lp, ev->kind == DCS_EV_TELEMETRY, "controller: unexpected event kind %u",
                  (unsigned)ev->kind);
    uint64_t k = ev->p.u[0];
    int slot = (int)(k % DCS_CONTROL_RING);
    st->got[slot]++;
    DCS_LP_ASSERT(lp, st->got[slot] <= st->cfg.bus->nsites,
                  "controller: more than %d reports for period %llu", st->cfg.bus->nsites,
                  (unsigned long long)k);
    if (st->got[slot] < st->cfg.bus->nsites)
        return;
    st->got[slot] = 0;
    decide(lp, st, k);
}

const dcs_lp_type dcs_controller_lp_type = {"controller", sizeof(ctl_state), 0, ctl_init,
                                            ctl_handle, NULL};

void dcs_controller_results_of(const void *state, dcs_controller_results *out)
{
    const ctl_state *st = state;
    *out = (dcs_controller_results){
        .rows = st->log.rows,
        .nrows = st->log.nrows,
        .dropped_rows = st->log.dropped_rows,
        .decisions = st->decisions,
        .totals = st->totals,
        .dropped_rps = st->dropped_rps,
    };
    memcpy(out->dropped_requests, st->dropped_requests, sizeof out->dropped_requests);
}

void dcs_controller_release(void *state)
{
    ctl_state *st = state;
    free(st->log.rows);
    st->log.rows = NULL;
    st->log.nrows = 0;
}
