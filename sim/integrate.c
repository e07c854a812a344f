/*
 * integrate.c - exact energy integration and periodic samplers
 * (integrate.h has the equations).
 */
#include "dcsim/integrate.h"

#include <stdio.h>
#include <stdlib.h>

void dcs_energy_init(dcs_energy *e, dcs_time t0, double power_w)
{
    *e = (dcs_energy){.t_last = t0, .power_w = power_w, .energy_wns = 0.0, .peak_w = power_w};
}

void dcs_energy_set(dcs_energy *e, dcs_time t, double power_w)
{
    if (t < e->t_last) {
        fprintf(stderr, "%s:%d: dcs_energy_set at %lld ns, before the last change at %lld ns\n",
                __FILE__, __LINE__, (long long)t, (long long)e->t_last);
        abort();
    }
    e->energy_wns += e->power_w * (double)(t - e->t_last);
    e->t_last = t;
    e->power_w = power_w;
    if (power_w > e->peak_w)
        e->peak_w = power_w;
}

double dcs_energy_j(const dcs_energy *e, dcs_time t)
{
    double wns = e->energy_wns;
    if (t > e->t_last)
        wns += e->power_w * (double)(t - e->t_last);
    return wns * 1e-9;
}

bool dcs_sampler_start(dcs_sampler *s, dcs_lp *lp, dcs_time t0, dcs_time period, uint32_t kind)
{
    dcs_time now = dcs_lp_now(lp);
    if (period <= 0 || t0 < now)
        return false;
    *s = (dcs_sampler){.t0 = t0, .period = period, .k = 0, .kind = kind};
    dcs_lp_send(lp, dcs_lp_id(lp), t0 - now, kind);
    return true;
}

bool dcs_sampler_next(dcs_sampler *s, dcs_lp *lp)
{
    dcs_time offset, t;
    if (s->k >= (uint64_t)INT64_MAX ||
        !dcs_time_mul(s->period, (int64_t)(s->k + 1), &offset) ||
        !dcs_time_add(s->t0, offset, &t) || t >= dcs_lp_end(lp))
        return false;
    s->k++;
    dcs_lp_send(lp, dcs_lp_id(lp), t - dcs_lp_now(lp), s->kind);
    return true;
}
