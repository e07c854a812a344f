/*
 * cooling.c - steady-state power of the cooling loops.
 *
 * IT heat Q splits into liquid f*Q and air (1-f)*Q.  Each path first adds
 * the heat of its own movers (fan and pump work ends up in the coolant).
 *
 * Air path, coil load Q_c = Q_air + P_crah:
 *   CRAH fans  P_crah = affinity(k_crah * Q_air,d, Q_air / Q_air,d)
 *   free share x (0..1), from the economiser:
 *     air-side (outside air, dew point within limits), T_oa = T_db + a_air:
 *       x = 1 if T_oa <= T_sup, x = (T_sup + dT_air - T_oa) / dT_air while
 *       T_oa < return air, else 0;
 *     water-side (plate HX), T_hr = heat-rejection water at full speed
 *       (T_sink + approach * Q_c / Q_hr,d), target T_t = T_chws - a_hx:
 *       x = 1 if T_hr <= T_t, x = (T_t + dT_chw - T_hr) / dT_chw while
 *       T_hr < T_t + dT_chw (pre-cooling the chilled-water return), else 0;
 *   chiller: load (1-x) Q_c at LCHWT T_chws and ECT = heat-rejection water
 *     (fans drive it down to ect_min_c), EnergyPlus EIR model;
 *   heat rejection: rejects the water-side free heat plus the chiller's
 *     condenser heat (load + compressor work);
 *   pumps: chilled water by the flow through the coils, condenser water by
 *     the heat rejected (affinity laws).
 * Liquid path, loop load Q_l = f Q + P_pump:
 *   facility water target T_fws = T_supply - a_cdu, return T_fws + dT;
 *   free share from the dry cooler's full-speed water T_hr as above
 *   (partial = pre-cooling the return), trim chiller for the rest.
 * Site free-cooling mode: the mode of the path carrying more heat.
 * Sources of the defaults: cooling_defaults.c.  Left out: humidification
 * and dehumidification energy, lighting and UPS losses (power.h), series
 * versus parallel economiser piping detail (the partial economiser and the
 * chiller share one heat-rejection water temperature), chiller staging.
 */
#include "dcsim/cooling.h"

#include <math.h>
#include <string.h>

#include "dcsim/affinity.h"

/* One path's contribution, summed into the site result. */
typedef struct path {
    double mover_w, chiller_w, hr_fan_w, pump_w, water_kg_s;
    double load_w;      /* coolant heat: IT share + mover heat */
    double free_w;      /* heat removed without a compressor */
    double rejected_w;
    double unmet_w;
    dcs_free_mode mode;
} path;

static dcs_free_mode mode_of(double x)
{
    return x >= 1.0 ? DCS_FREE_FULL : (x > 0.0 ? DCS_FREE_PARTIAL : DCS_FREE_OFF);
}

/* Free share when the coolant leaves the free path at t_free, has to reach
 * t_target and returns delta_k warmer. */
static double free_share(double t_free, double t_target, double delta_k)
{
    if (t_free <= t_target)
        return 1.0;
    if (t_free < t_target + delta_k)
        return (t_target + delta_k - t_free) / delta_k;
    return 0.0;
}

/* Run a chiller for mech_w with condenser water from hr (which also rejects
 * free_w), settling the compressor-work / condenser-temperature coupling
 * with two passes (the second changes ECT by well under 0.1 K). */
static void chiller_with_rejection(const dcs_chiller_params *ch, const dcs_hr_params *hr,
                                   const dcs_ambient *amb, double mech_w, double free_w,
                                   double lchwt_c, double target_c, bool chiller_ok,
                                   path *out)
{
    dcs_chiller_result c;
    memset(&c, 0, sizeof c);
    double work = chiller_ok ? mech_w / ch->cop_ref : 0.0;
    dcs_hr_result h;
    for (int pass = 0; pass < 2; pass++) {
        double reject = free_w + (chiller_ok ? mech_w + work : 0.0);
        dcs_hr_eval(hr, amb->dry_bulb_c, amb->wet_bulb_c, reject, target_c, &h);
        if (chiller_ok && mech_w > 0.0) {
            dcs_chiller_eval(ch, mech_w, lchwt_c, h.leaving_c, &c);
            work = c.power_w;
        }
    }
    out->chiller_w = c.power_w;
    out->unmet_w += chiller_ok ? c.unmet_w : mech_w;
    out->hr_fan_w = h.fan_w;
    out->water_kg_s = h.water_kg_s;
    out->rejected_w = free_w + c.condenser_w;
}

static void air_path(const dcs_cooling_air_params *a, double design_w, const dcs_ambient *amb,
                     double q_w, bool chiller_ok, bool hr_ok, path *out)
{
    memset(out, 0, sizeof *out);
    out->mode = DCS_FREE_FULL;
    if (!(q_w > 0.0) || !(design_w > 0.0))
        return;
    out->mover_w = dcs_affinity_power_w(a->crah_fan_w_per_w * design_w, q_w / design_w,
                                        a->fan_min_speed);
    double q_coil = q_w + out->mover_w;
    out->load_w = q_coil;
    double x_air = 0.0, x_water = 0.0;
    const dcs_hr_params *hr = &a->heat_rejection;
    double t_target = a->chw_supply_c - a->hx_approach_k;
    if (a->airside_economiser && amb->dew_point_c <= a->dew_point_max_c
        && amb->dew_point_c >= a->dew_point_min_c) {
        x_air = free_share(amb->dry_bulb_c + a->airside_approach_k, a->supply_air_c,
                           a->air_delta_k);
    } else if (a->waterside_economiser && hr_ok) {
        double sink = dcs_hr_sink_c(hr, amb->dry_bulb_c, amb->wet_bulb_c);
        x_water = free_share(dcs_hr_min_leaving_c(hr, sink, q_coil), t_target, a->chw_delta_k);
    }
    double x = x_air + x_water;
    out->mode = mode_of(x);
    out->free_w = x * q_coil;
    double mech = q_coil - out->free_w;
    double water_free = x_water * q_coil;
    if (hr_ok && (mech > 0.0 || water_free > 0.0)) {
        /* Fans aim for the economiser target while it carries heat, else for
         * the lowest condenser water the chiller curves can use. */
        double target = x_water > 0.0 ? t_target : a->ect_min_c;
        chiller_with_rejection(&a->chiller, hr, amb, mech, water_free, a->chw_supply_c,
                               target, chiller_ok, out);
    } else if (mech > 0.0) {
        out->unmet_w = mech;   /* no heat rejection: the chiller cannot run */
    }
    /* Chilled water flows for the heat outside air does not take; condenser
     * water for the heat the tower or dry cooler rejects. */
    double air_free = x_air * q_coil;
    double pumps = dcs_affinity_power_w(a->chw_pump_w_per_w * design_w,
                                        (q_coil - air_free) / design_w, a->pump_min_speed);
    pumps += dcs_affinity_power_w(a->cond_pump_w_per_w * design_w,
                                  out->rejected_w / hr->design_heat_w, a->pump_min_speed);
    out->pump_w = pumps;
    /* Outside air carries its share straight out with the exhaust. */
    out->rejected_w += air_free;
}

static void liquid_path(const dcs_cooling_liquid_params *l, double design_w,
                        const dcs_ambient *amb, double q_w, bool chiller_ok, bool hr_ok,
                        path *out)
{
    memset(out, 0, sizeof *out);
    out->mode = DCS_FREE_FULL;
    if (!(q_w > 0.0) || !(design_w > 0.0))
        return;
    out->pump_w = dcs_affinity_power_w(l->pump_w_per_w * design_w, q_w / design_w,
                                       l->pump_min_speed);
    double q_loop = q_w + out->pump_w;
    out->load_w = q_loop;
    if (!hr_ok) {
        out->mode = DCS_FREE_OFF;
        out->unmet_w = q_loop;
        return;
    }
    const dcs_hr_params *hr = &l->heat_rejection;
    double t_fws = l->supply_c - l->cdu_approach_k;
    double sink = dcs_hr_sink_c(hr, amb->dry_bulb_c, amb->wet_bulb_c);
    double x = free_share(dcs_hr_min_leaving_c(hr, sink, q_loop), t_fws, l->delta_k);
    out->mode = mode_of(x);
    out->free_w = x * q_loop;
    chiller_with_rejection(&l->trim_chiller, hr, amb, q_loop - out->free_w, out->free_w,
                           t_fws, t_fws, chiller_ok, out);
}

void dcs_cooling_power_avail(const dcs_cooling_params *p, const dcs_ambient *a,
                             double it_heat_w, bool chiller_ok, bool heat_rejection_ok,
                             dcs_cooling_result *r)
{
    memset(r, 0, sizeof *r);
    double q = it_heat_w > 0.0 ? it_heat_w : 0.0;
    double f = p->liquid.liquid_fraction;
    path air, liq;
    air_path(&p->air, (1.0 - f) * p->design_it_w, a, (1.0 - f) * q, chiller_ok,
             heat_rejection_ok, &air);
    liquid_path(&p->liquid, f * p->design_it_w, a, f * q, chiller_ok, heat_rejection_ok,
                &liq);
    r->crah_fan_w = air.mover_w;
    r->chiller_w = air.chiller_w;
    r->trim_chiller_w = liq.chiller_w;
    r->heat_rejection_fan_w = air.hr_fan_w + liq.hr_fan_w;
    r->pump_w = air.pump_w + liq.pump_w;
    r->total_w = r->crah_fan_w + r->chiller_w + r->trim_chiller_w + r->heat_rejection_fan_w
               + r->pump_w;
    r->unmet_w = air.unmet_w + liq.unmet_w;
    r->heat_removed_w = fmax(0.0, q - r->unmet_w);
    r->heat_rejected_w = air.rejected_w + liq.rejected_w;
    r->water_kg_s = air.water_kg_s + liq.water_kg_s;
    r->air_mode = air.mode;
    r->liquid_mode = liq.mode;
    double load = air.load_w + liq.load_w;
    r->free_fraction = load > 0.0 ? (air.free_w + liq.free_w) / load : 1.0;
    bool liquid_main = f >= 0.5;
    r->mode = liquid_main ? liq.mode : air.mode;
    if (liquid_main) {
        r->supply_c = p->liquid.supply_c;
        r->return_c = p->liquid.supply_c - p->liquid.cdu_approach_k + p->liquid.delta_k;
        r->return_heat_w = liq.load_w - liq.unmet_w;
    } else {
        r->supply_c = p->air.supply_air_c;
        r->return_c = p->air.chw_supply_c + p->air.chw_delta_k;
        r->return_heat_w = air.load_w - air.unmet_w;
    }
}

void dcs_cooling_power(const dcs_cooling_params *p, const dcs_ambient *a, double it_heat_w,
                       dcs_cooling_result *r)
{
    dcs_cooling_power_avail(p, a, it_heat_w, true, true, r);
}
