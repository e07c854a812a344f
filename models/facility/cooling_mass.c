/*
 * cooling_mass.c - first-order thermal mass of the primary cooling loop,
 * and the GPU throttle it drives.
 *
 * One node of heat capacity C (J/K) at the supply temperature T:
 *   C dT/dt = Q_in - Q_rem(T),   Q_rem(T) = Q_mech + G * max(0, T - T_sink)
 * Q_mech: available chiller capacity (0 during a trip); G: conductance of
 * the free path at full fan speed, Q_design / (approach of the heat
 * rejection + approaches between it and the node); T_sink: the wet-bulb or
 * dry-bulb the heat rejection works against.  With G > 0 and T >= T_sink,
 *   T(t) = T_eq + (T0 - T_eq) exp(-t G / C),  T_eq = T_sink + (Q_in - Q_mech)/G
 * and with G = 0 (or T below T_sink) T rises linearly at (Q_in - Q_mech)/C:
 * both exact, so a step of any length conserves energy,
 *   Q_in dt = E_removed + C (T_end - T0).
 * While the plant can hold the set point (Q_rem(T_set) >= Q_in) and T is at
 * or below it, T stays at the set point (the controls throttle the plant).
 * A loop above its set point with enough capacity recovers along the same
 * exponential and stops at the set point.
 * Throttle factor: 1 up to throttle_c, linear to throttle_min at
 * shutdown_c, 0 from shutdown_c on (limits and their basis in
 * cooling_defaults.c).
 * Left out: the secondary path's own mass (the residual air of liquid
 * designs is taken as steady), transport delays, control-loop dynamics
 * (the plant is assumed to answer within a step).
 */
#include "dcsim/cooling.h"

#include <math.h>
#include <string.h>

/* Primary loop's set point, free-path conductance and sink, and mechanical
 * capacity in ambient a. */
typedef struct node_model {
    double set_c, g_w_per_k, sink_c, mech_w, q_share;
} node_model;

static void node_of(const dcs_cooling_params *p, const dcs_ambient *a, const dcs_cooling_state *s,
                    node_model *n)
{
    memset(n, 0, sizeof *n);
    double f = p->liquid.liquid_fraction;
    dcs_chiller_result c;
    if (f >= 0.5) {
        const dcs_cooling_liquid_params *l = &p->liquid;
        double design = f * p->design_it_w;
        n->q_share = f;
        n->set_c = l->supply_c;
        n->sink_c = dcs_hr_sink_c(&l->heat_rejection, a->dry_bulb_c, a->wet_bulb_c);
        n->g_w_per_k = design / (l->heat_rejection.approach_k + l->cdu_approach_k);
        double ect = dcs_hr_min_leaving_c(&l->heat_rejection, n->sink_c, design);
        dcs_chiller_eval(&l->trim_chiller, 1e30, l->supply_c - l->cdu_approach_k, ect, &c);
    } else {
        const dcs_cooling_air_params *ap = &p->air;
        double design = (1.0 - f) * p->design_it_w;
        n->q_share = 1.0 - f;
        n->set_c = ap->supply_air_c;
        if (ap->airside_economiser) {
            /* Outside air at T_oa cools return air (T + dT_air) by flow
             * Q_d / dT_air per kelvin. */
            bool ok = a->dew_point_c <= ap->dew_point_max_c && a->dew_point_c >= ap->dew_point_min_c;
            n->g_w_per_k = ok ? design / ap->air_delta_k : 0.0;
            n->sink_c = a->dry_bulb_c + ap->airside_approach_k - ap->air_delta_k;
        } else if (ap->waterside_economiser) {
            n->sink_c = dcs_hr_sink_c(&ap->heat_rejection, a->dry_bulb_c, a->wet_bulb_c);
            double loop_k = ap->supply_air_c - (ap->chw_supply_c - ap->hx_approach_k);
            n->g_w_per_k = design / (ap->heat_rejection.approach_k + loop_k);
        }
        double ect = dcs_hr_min_leaving_c(&ap->heat_rejection,
                                          dcs_hr_sink_c(&ap->heat_rejection, a->dry_bulb_c,
                                                        a->wet_bulb_c), design);
        dcs_chiller_eval(&ap->chiller, 1e30, ap->chw_supply_c, ect, &c);
    }
    n->mech_w = s->chiller_available && s->heat_rejection_available ? c.capacity_w : 0.0;
    if (!s->heat_rejection_available && !(f < 0.5 && p->air.airside_economiser))
        n->g_w_per_k = 0.0;
}

/* Advance T by dt under C dT/dt = q - mech - g max(0, T - sink); returns the
 * end temperature.  Exact for each regime; splits the step where T crosses
 * the sink. */
static double advance(double t0, double dt, double c, double q, double mech, double g,
                      double sink)
{
    if (g > 0.0 && t0 >= sink) {
        double t_eq = sink + (q - mech) / g;
        return t_eq + (t0 - t_eq) * exp(-dt * g / c);
    }
    double rate = (q - mech) / c;
    if (g > 0.0 && rate > 0.0) {
        double t_cross = (sink - t0) / rate;
        if (t_cross < dt)
            return advance(sink, dt - t_cross, c, q, mech, g, sink);
    }
    return t0 + rate * dt;
}

double dcs_cooling_throttle(const dcs_cooling_mass_params *m, double supply_c)
{
    if (supply_c >= m->shutdown_c)
        return 0.0;
    if (supply_c <= m->throttle_c)
        return 1.0;
    double x = (supply_c - m->throttle_c) / (m->shutdown_c - m->throttle_c);
    return 1.0 - x * (1.0 - m->throttle_min);
}

void dcs_cooling_state_init(const dcs_cooling_params *p, dcs_cooling_state *s)
{
    s->supply_c = p->liquid.liquid_fraction >= 0.5 ? p->liquid.supply_c : p->air.supply_air_c;
    s->chiller_available = true;
    s->heat_rejection_available = true;
}

void dcs_cooling_step(const dcs_cooling_params *p, const dcs_ambient *a, double it_heat_w,
                      dcs_cooling_state *s, double dt_s, dcs_cooling_step_result *r)
{
    memset(r, 0, sizeof *r);
    double q_all = it_heat_w > 0.0 ? it_heat_w : 0.0;
    dcs_cooling_power_avail(p, a, q_all, s->chiller_available, s->heat_rejection_available,
                            &r->power);
    node_model n;
    node_of(p, a, s, &n);
    double q = n.q_share * q_all;
    double c = p->mass.heat_capacity_j_per_k;
    double t0 = s->supply_c;
    double cap_at_set = n.mech_w + n.g_w_per_k * fmax(0.0, n.set_c - n.sink_c);
    double t_end;
    if (cap_at_set >= q && t0 <= n.set_c) {
        t_end = n.set_c;   /* held at set point; a colder loop is brought up to it */
    } else {
        t_end = advance(t0, dt_s, c, q, n.mech_w, n.g_w_per_k, n.sink_c);
        /* Recovering towards an equilibrium below the set point: the plant
         * stops cooling harder once the set point is reached. */
        if (cap_at_set >= q && t_end < n.set_c)
            t_end = n.set_c;
    }
    s->supply_c = t_end;
    r->heat_in_j = q_all * dt_s;
    r->stored_j = c * (t_end - t0);
    r->heat_removed_j = r->heat_in_j - r->stored_j;
    r->power.supply_c = t_end;
    r->throttle = dcs_cooling_throttle(&p->mass, t_end);
}
