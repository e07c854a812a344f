/*
 * controller_log.c - the decision log of the controller LP: what each
 * enforced action changed, and why, in a few words (docs/policies.md,
 * "Decision log").
 *
 * Every decision is compared with the state as last logged, key by key,
 * so small drifts are not logged one by one but accumulate until they
 * cross the threshold (a sampled log); a key's logged state is updated
 * only when a row for it is written.  Keys and thresholds:
 *   split   (workload w, site s): some region's share of w moved by more
 *           than 1 point; one row with the site's new share of w's total
 *           demand, sum_r d_w,r split_w,r,s / sum_r d_w,r;
 *   cap     site s: some cluster's cap moved by more than 1 point; value
 *           is the caps' mean weighted by cluster maximum power;
 *   replicas  site s: replicas kept changed; value = kept;
 *   job_run / job_pause  job j: its run flag changed (finished jobs are
 *           not logged); value = j;
 *   forbidden, spill, overload (run-wide, req/s) and power_unmet (per
 *           site, W) from the enforcement report, and drop (run-wide,
 *           req/s: the demand the action drops, which after enforcement is
 *           that of regions with no usable site): when one starts, stops
 *           or moves by more than 10 % of its size.
 * Rows beyond DCS_EVENT_LOG_MAX are counted in dropped_rows, not kept.
 * The reasons are read off the observation: carbon of the site against
 * the site that moved the other way, a p99 plus round trip over the SLO,
 * a site at capacity, a binding power limit, p99 against power_cap's
 * latency target, a job's deadline.
 */
#include "controller_log.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const double SHARE_STEP = 0.01;     /* 1 point of a share or a cap */
static const double REPORT_STEP = 0.10;    /* 10 % of an enforcement quantity */
static const double FULL = 0.85;           /* near capacity: above fill_max's default 0.9 less a margin */

__attribute__((format(printf, 7, 8))) static void add(ctl_log *log, dcs_time now,
                                                        const char *kind, int site, int wl,
                                                        double value, const char *fmt, ...)
{
    if (log->nrows >= DCS_EVENT_LOG_MAX) {
        log->dropped_rows++;
        return;
    }
    dcs_event_log_row *row = &log->rows[log->nrows++];
    memset(row, 0, sizeof *row);
    row->time = now;
    snprintf(row->kind, sizeof row->kind, "%s", kind);
    row->site = site;
    row->workload = wl;
    row->value = value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(row->detail, sizeof row->detail, fmt, ap);
    va_end(ap);
}

/* Site s's share of workload w's total demand under act (the mean split
 * over regions when there is no demand). */
static double site_share(const dcs_policy_obs *obs, const dcs_policy_action *act, int w, int s)
{
    double total = 0.0, mean = 0.0;
    for (int r = 0; r < obs->nregions; r++) {
        total += obs->region[r].demand_rps[w];
        mean += act->split[w][r][s];
    }
    if (total > 0.0)
        return dcs_policy_site_load_rps(obs, act, w, s) / total;
    return obs->nregions > 0 ? mean / obs->nregions : 0.0;
}

/* Share of workload w's awake replicas at site s the action uses (0 when
 * none is awake): load_w,s / (capacity_w,s x min(kept, up) / total). */
static double used_of_awake(const dcs_policy_obs *obs, const dcs_policy_action *act, int w,
                            int s)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    int n = act->replicas[s] < site->replicas_up ? act->replicas[s] : site->replicas_up;
    if (n <= 0 || site->replicas_total <= 0 || !(site->capacity_rps[w] > 0.0))
        return 0.0;
    return dcs_policy_site_load_rps(obs, act, w, s) /
           (site->capacity_rps[w] * n / site->replicas_total);
}

static void log_splits(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                       const dcs_policy_action *act)
{
    for (int w = 0; w < obs->nworkloads; w++) {
        double delta[DCS_POLICY_MAX_SITES];
        bool moved[DCS_POLICY_MAX_SITES];
        for (int s = 0; s < obs->nsites; s++) {
            moved[s] = false;
            for (int r = 0; r < obs->nregions; r++)
                if (fabs(act->split[w][r][s] - log->logged.split[w][r][s]) > SHARE_STEP)
                    moved[s] = true;
            delta[s] = site_share(obs, act, w, s) - site_share(obs, &log->logged, w, s);
        }
        for (int s = 0; s < obs->nsites; s++) {
            if (!moved[s])
                continue;
            /* The site that moved most the other way explains the move. */
            int other = -1;
            for (int o = 0; o < obs->nsites; o++)
                if (o != s && delta[o] * delta[s] < 0.0 &&
                    (other < 0 || fabs(delta[o]) > fabs(delta[other])))
                    other = o;
            const dcs_policy_site_obs *site = &obs->site[s];
            double slo = obs->workload[w].slo_p99_s, rtt = INFINITY;
            for (int r = 0; r < obs->nregions; r++)
                if (obs->region[r].demand_rps[w] > 0.0 && obs->region[r].rtt_s[s] < rtt)
                    rtt = obs->region[r].rtt_s[s];
            double share = site_share(obs, act, w, s), full = used_of_awake(obs, act, w, s);
            if (delta[s] < 0.0 && slo > 0.0 && isfinite(rtt) && site->p99_s + rtt > slo)
                add(log, now, "split", s, w, share, "p99 %.2f s + rtt %.3f s > SLO %.2f s",
                    site->p99_s, rtt, slo);
            else if (delta[s] > 0.0 && other >= 0 &&
                     site->ci_g_kwh > obs->site[other].ci_g_kwh &&
                     used_of_awake(obs, act, w, other) >= FULL)
                /* Load came to a dirtier site: the cleaner one is full. */
                add(log, now, "split", s, w, share,
                    "site %d full (%.0f %%); carbon %.0f vs %.0f g/kWh", other,
                    100.0 * used_of_awake(obs, act, w, other), site->ci_g_kwh,
                    obs->site[other].ci_g_kwh);
            else if (full >= FULL && other >= 0)
                add(log, now, "split", s, w, share,
                    "%.0f %% of awake capacity; carbon %.0f vs %.0f g/kWh", 100.0 * full,
                    site->ci_g_kwh, obs->site[other].ci_g_kwh);
            else if (other >= 0)
                add(log, now, "split", s, w, share, "carbon %.0f vs %.0f g/kWh", site->ci_g_kwh,
                    obs->site[other].ci_g_kwh);
            else
                add(log, now, "split", s, w, share, "%.0f %% of awake capacity used",
                    100.0 * full);
            for (int r = 0; r < obs->nregions; r++)
                log->logged.split[w][r][s] = act->split[w][r][s];
        }
    }
}

/* power_cap's latency target in the stack, 0 when there is none. */
static double latency_target(const dcs_policy_stack *stack)
{
    if (!stack)
        return 0.0;
    for (int i = 0; i < DCS_POLICY_MAX_POWER; i++)
        if (stack->power[i] && dcs_policy_type_of(stack->power[i]) == &dcs_policy_power_cap)
            return dcs_policy_params_of(stack->power[i])->latency_target_s;
    return 0.0;
}

static void log_cap(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                    const dcs_policy_action *act, int s, double target)
{
    const dcs_policy_site_obs *site = &obs->site[s];
    bool moved = false;
    double sum = 0.0, weight = 0.0;
    for (int c = 0; c < site->nclusters; c++) {
        moved |= fabs(act->cap[s][c] - log->logged.cap[s][c]) > SHARE_STEP;
        sum += act->cap[s][c] * site->cluster_max_w[c];
        weight += site->cluster_max_w[c];
    }
    if (!moved)
        return;
    double cap = weight > 0.0 ? sum / weight : act->cap[s][0];
    double on = site->replicas_total > 0 ? (double)act->replicas[s] / site->replicas_total : 1.0;
    double bound = (site->pue > 1.0 ? site->pue : 1.0) * on * sum;
    bool limited = isfinite(site->power_limit_w) && site->power_limit_w > 0.0;
    if (limited && bound >= 0.999 * site->power_limit_w)
        add(log, now, "cap", s, -1, cap, "power limit %.2f MW binds (PUE %.2f)",
            site->power_limit_w / 1e6, site->pue);
    else if (target > 0.0)
        add(log, now, "cap", s, -1, cap, "p99 %.2f s %s target %.2f s", site->p99_s,
            site->p99_s > target ? ">" : "<=", target);
    else if (limited)
        add(log, now, "cap", s, -1, cap, "headroom %.0f %% of limit",
            100.0 * site->headroom_w / site->power_limit_w);
    else
        add(log, now, "cap", s, -1, cap, "caps moved");
    for (int c = 0; c < site->nclusters; c++)
        log->logged.cap[s][c] = act->cap[s][c];
}

static void log_replicas(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                         const dcs_policy_action *act, int s)
{
    if (act->replicas[s] == log->logged.replicas[s])
        return;
    const dcs_policy_site_obs *site = &obs->site[s];
    double m = dcs_policy_replicas_in_use(obs, act, s);   /* at full use */
    add(log, now, "replicas", s, -1, act->replicas[s],
        "load needs %.1f at full use; %d up, %d waking", m, site->replicas_up,
        site->replicas_waking);
    log->logged.replicas[s] = act->replicas[s];
}

static void log_jobs(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                     const dcs_policy_action *act)
{
    for (int j = 0; j < obs->njobs; j++) {
        const dcs_policy_job_obs *job = &obs->job[j];
        if (act->run[j] == log->logged.run[j])
            continue;
        log->logged.run[j] = act->run[j];
        if (!(job->remaining_s > 0.0))
            continue;
        int s = job->site;
        double ci = s >= 0 && s < obs->nsites ? obs->site[s].ci_g_kwh : 0.0;
        double hours = job->deadline_s / 3600.0, need = job->remaining_s / 3600.0;
        /* carbon_shift's own test for no slack: whole hours needed against
         * whole hours left (or enforcement's: slack under one period). */
        bool no_slack = ceil(need) >= floor(hours) ||
                        job->deadline_s - job->remaining_s < obs->period_s;
        if (act->run[j] && no_slack)
            add(log, now, "job_run", s, job->workload, j,
                "deadline: %.1f h left for %.1f h of work", hours, need);
        else if (act->run[j])
            add(log, now, "job_run", s, job->workload, j,
                "carbon %.0f g/kWh among cleanest; %.1f h to deadline", ci, hours);
        else
            add(log, now, "job_pause", s, job->workload, j,
                "carbon %.0f g/kWh; cleaner hours before deadline in %.1f h", ci, hours);
    }
}

/* A logged quantity starts, stops or moves by more than REPORT_STEP. */
static bool report_moved(double last, double now)
{
    double m = fmax(fabs(last), fabs(now));
    return m > 1e-9 && fabs(now - last) > REPORT_STEP * m;
}

double ctl_dropped_rps(const dcs_policy_obs *obs, const dcs_policy_action *act)
{
    double sum = 0.0;
    for (int w = 0; w < obs->nworkloads; w++)
        for (int r = 0; r < obs->nregions; r++)
            sum += obs->region[r].demand_rps[w] * act->drop[w][r];
    return sum;
}

static void log_report(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                       const dcs_policy_action *act, const dcs_policy_report *rep)
{
    static const char *const kind[LOG_NREPORT] = {"forbidden", "spill", "overload", "drop"};
    static const char *const why[LOG_NREPORT] = {
        "a policy chose a site the workload may not use", "sites over awake capacity",
        "no usable site has room; sent anyway, queues decide",
        "no usable site (sovereignty)"};
    /* Drops are read off the action (they equal the report's after
     * enforcement; the action is what the sites apply). */
    double value[LOG_NREPORT] = {rep->forbidden_rps, rep->spilled_rps, rep->overload_rps,
                                 ctl_dropped_rps(obs, act)};
    for (int i = 0; i < LOG_NREPORT; i++) {
        if (!report_moved(log->last_report[i], value[i]))
            continue;
        add(log, now, kind[i], -1, -1, value[i], "%s", value[i] > 0.0 ? why[i] : "ended");
        log->last_report[i] = value[i];
    }
    for (int s = 0; s < obs->nsites; s++) {
        double w = rep->power_unmet_w[s];
        if (!report_moved(log->last_unmet_w[s], w))
            continue;
        if (w > 0.0)
            add(log, now, "power_unmet", s, -1, w, "over the %.2f MW limit at minimum caps",
                obs->site[s].power_limit_w / 1e6);
        else
            add(log, now, "power_unmet", s, -1, w, "ended");
        log->last_unmet_w[s] = w;
    }
}

void ctl_log_decision(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                      const dcs_policy_action *act, const dcs_policy_report *rep,
                      const dcs_policy_stack *stack, const dcs_policy_action *first)
{
    if (!log->started) {
        if (first)
            log->logged = *first;
        else
            memset(&log->logged, 0, sizeof log->logged);
        log->started = true;
    }
    log_splits(log, now, obs, act);
    double target = latency_target(stack);
    for (int s = 0; s < obs->nsites; s++)
        log_cap(log, now, obs, act, s, target);
    for (int s = 0; s < obs->nsites; s++)
        log_replicas(log, now, obs, act, s);
    log_jobs(log, now, obs, act);
    log_report(log, now, obs, act, rep);
}
