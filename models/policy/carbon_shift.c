/*
 * carbon_shift.c - run deferrable jobs in the cleanest hours before their
 * deadlines.
 *
 * A job at site s needs n = ceil(remaining / 1 h) more hours of running
 * and has H = floor(deadline / 1 h) whole hours before its deadline.  The
 * hours are valued by the site's carbon intensity: hour 0 (now) by the
 * intensity now, hour k (1 <= k <= 24) by the forecast for k hours ahead,
 * and hours beyond the forecast window by the mean of the forecast (the
 * best guess without one).  The job runs now when n >= H (no slack left)
 * or when fewer than n of the hours 0..H-1 are strictly cleaner than now,
 * that is, when now is among the n cleanest hours; ties favour running now,
 * so slack is not spent waiting for an hour that is no better.  Otherwise
 * it pauses (or does not start).
 *
 * Re-deciding every control period with a fresh forecast gives the usual
 * receding-horizon schedule.  Left out: the cost of a pause (checkpoint
 * and restart time and energy) and moving a job to another site; whole
 * hours are the unit, matching the hourly grid signals.  A job whose slack
 * falls below one control period is started by dcs_policy_enforce whatever
 * this policy says.
 */
#include "dcsim/policy.h"

#include <math.h>

static const double HOUR_S = 3600.0;

/* True when job should run now (see the rule above). */
static bool run_now(const dcs_policy_site_obs *site, const dcs_policy_job_obs *job)
{
    double need = ceil(job->remaining_s / HOUR_S);
    double hours = floor(job->deadline_s / HOUR_S);
    if (need <= 0.0)
        return false;
    if (need >= hours)
        return true;
    double now = site->ci_g_kwh, mean = 0.0;
    int h = (int)fmin(hours, 1.0e6);
    int cleaner = 0;
    for (int k = 1; k <= DCS_POLICY_FORECAST_HOURS; k++) {
        double v = site->ci_forecast_g_kwh[k - 1];
        mean += v;
        if (k < h && v < now)
            cleaner++;
    }
    mean /= DCS_POLICY_FORECAST_HOURS;
    if (h > DCS_POLICY_FORECAST_HOURS + 1 && mean < now)
        cleaner += h - (DCS_POLICY_FORECAST_HOURS + 1);
    return cleaner < need;
}

static void carbon_shift_decide(void *state, const dcs_policy_params *p,
                                const dcs_policy_obs *obs, dcs_policy_action *act)
{
    (void)state;
    (void)p;
    for (int j = 0; j < obs->njobs; j++) {
        const dcs_policy_job_obs *job = &obs->job[j];
        if (job->site < 0 || job->site >= obs->nsites)
            act->run[j] = true;   /* no site signal to shift by */
        else
            act->run[j] = run_now(&obs->site[job->site], job);
    }
}

const dcs_policy_type dcs_policy_carbon_shift = {"carbon_shift", DCS_POLICY_TEMPORAL, 0, NULL,
                                                 carbon_shift_decide, NULL};
