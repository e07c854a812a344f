/*
 * integrate.h - exact energy integration and periodic samplers.
 *
 * Energy.  A component's power is piecewise constant between events: it
 * changes only when the model says so.  The energy up to time t is then
 * exactly
 *     E(t) = sum_i P_i * (t_{i+1} - t_i)   [J = W * s]
 * with no discretisation error.  dcs_energy accumulates P * dt in W*ns (dt
 * an exact integer) and converts to joules only when read, so the one
 * rounding per change is that of a double product and sum (relative error
 * about 1e-16 per change).  It also records the peak power.
 *
 * Samplers.  Traces are sampled by events at a fixed period, never by
 * polling.  A dcs_sampler schedules self-events of one kind at t0, t0 + P,
 * t0 + 2P, ... computed as t0 + k*P (no accumulated drift); the LP's handler
 * records its sample and calls dcs_sampler_next.
 */
#ifndef DCSIM_INTEGRATE_H
#define DCSIM_INTEGRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/engine.h"
#include "dcsim/time.h"

typedef struct dcs_energy {
    dcs_time t_last;    /* time of the last change, ns */
    double power_w;     /* power since t_last */
    double energy_wns;  /* energy up to t_last, W*ns */
    double peak_w;      /* largest power set so far */
} dcs_energy;

/* Start at time t0 with power power_w and zero energy. */
void dcs_energy_init(dcs_energy *e, dcs_time t0, double power_w);
/* Power becomes power_w at time t (t >= the last change; earlier is a bug
 * and aborts): energy += old power * (t - t_last). */
void dcs_energy_set(dcs_energy *e, dcs_time t, double power_w);
/* Energy in joules from t0 to t (t >= the last change), without changing e. */
double dcs_energy_j(const dcs_energy *e, dcs_time t);

typedef struct dcs_sampler {
    dcs_time t0;        /* time of sample 0 */
    dcs_time period;    /* > 0 */
    uint64_t k;         /* index of the next sample */
    uint32_t kind;      /* event kind of the sampler's self-events */
} dcs_sampler;

/* Start sampling LP lp at t0 (>= now) with the given period: sends the first
 * self-event of `kind`.  Returns false (nothing sent) when period <= 0 or t0
 * is in the past. */
bool dcs_sampler_start(dcs_sampler *s, dcs_lp *lp, dcs_time t0, dcs_time period,
                       uint32_t kind);
/* From the handler of a sampler event: schedule the next sample.  Returns
 * false (nothing sent) once the next time would pass the run's end or
 * overflow dcs_time. */
bool dcs_sampler_next(dcs_sampler *s, dcs_lp *lp);
/* Index of the sample being handled (0 for t0), valid in the handler before
 * dcs_sampler_next. */
static inline uint64_t dcs_sampler_index(const dcs_sampler *s) { return s->k; }

#endif
