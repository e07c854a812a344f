/*
 * heat_rejection.c - cooling towers and dry coolers.
 *
 * Leaving water temperature at fan speed ratio s rejecting Q:
 *   T_leave = T_sink + approach_k * (Q / Q_design) / s        [degC]
 * T_sink = ambient wet-bulb (open tower) or dry-bulb (dry cooler).  The fan
 * picks the lowest s in [s_min, 1] reaching the target; below s_min it
 * cycles.  Fan power P = fan_w_per_w * Q_design * s^3 (affinity laws).
 * Water of an open tower (kg/s):
 *   evaporation E = f_evap * Q / h_fg
 *   blowdown    B = E / (N - 1)        (N = cycles of concentration)
 *   drift       D = d * m_circ,   m_circ = Q / (c_p * range)
 * Defaults and their sources:
 *   approach: tower 5 K to wet-bulb, dry cooler 10 K to dry-bulb (medians of
 *     6,730 catalogue models, Energies 2023 16(9):3661; FACTS.md 3);
 *   range 5 K (same source: coolant range at least 5 K);
 *   tower fan 0.015 W/W: inside the 0.012-0.021 kW_el per kW_th of open wet
 *     cooling (same source); dry cooler fan 0.03 W/W [assumption]: dry
 *     coolers move 2-3x the air of a tower per kW for the same duty;
 *   f_evap 0.85 [assumption]: the common sizing rule "evaporation = 0.00085 x
 *     flow x range(degF)" implies ~85 % of the heat leaves as latent heat,
 *     the rest as sensible heat of the air;
 *   h_fg 2.442 MJ/kg: latent heat of vaporisation of water at 25 degC
 *     (2441.7 kJ/kg, saturated-water steam tables, e.g. IAPWS-IF97);
 *   N = 4 cycles [assumption] (typical treated make-up water runs 3-6);
 *   drift 0.0005 % of circulating flow [assumption] (modern drift
 *     eliminators are specified at 0.0005-0.001 %).
 * Left out: Merkel/effectiveness-NTU detail (capacity taken linear in
 * airflow), freezing protection, adiabatic pre-cooling of dry coolers, pump
 * power (counted by the cooling plant).
 */
#include "dcsim/heat_rejection.h"

#include <math.h>
#include <string.h>

#include "dcsim/affinity.h"

#define WATER_CP_J_PER_KG_K 4186.0   /* liquid water near 20-30 degC */

void dcs_hr_defaults(dcs_hr_params *p, dcs_hr_type t, double design_heat_w)
{
    memset(p, 0, sizeof *p);
    p->type = t;
    p->design_heat_w = design_heat_w;
    p->fan_min_speed = 0.2;
    p->range_k = 5.0;
    p->latent_heat_j_per_kg = 2.442e6;
    if (t == DCS_HR_COOLING_TOWER) {
        p->approach_k = 5.0;
        p->fan_w_per_w = 0.015;
        p->evaporated_fraction = 0.85;
        p->cycles_of_concentration = 4.0;
        p->drift_fraction = 5e-6;
    } else {
        p->approach_k = 10.0;
        p->fan_w_per_w = 0.03;
    }
}

double dcs_hr_sink_c(const dcs_hr_params *p, double dry_bulb_c, double wet_bulb_c)
{
    return p->type == DCS_HR_COOLING_TOWER ? wet_bulb_c : dry_bulb_c;
}

double dcs_hr_min_leaving_c(const dcs_hr_params *p, double sink_c, double heat_w)
{
    return sink_c + p->approach_k * heat_w / p->design_heat_w;
}

double dcs_hr_evaporation_kg_s(double latent_w, double h_fg_j_per_kg)
{
    return latent_w > 0.0 ? latent_w / h_fg_j_per_kg : 0.0;
}

void dcs_hr_eval(const dcs_hr_params *p, double dry_bulb_c, double wet_bulb_c,
                 double heat_w, double target_c, dcs_hr_result *r)
{
    memset(r, 0, sizeof *r);
    double sink = dcs_hr_sink_c(p, dry_bulb_c, wet_bulb_c);
    if (!(heat_w > 0.0)) {
        r->leaving_c = sink;
        return;
    }
    double load = heat_w / p->design_heat_w;
    /* The speed reaching the target; at or below the sink no speed does, so
     * the fan runs flat out and the water leaves as cold as it can. */
    double lift = target_c - sink;
    double s = lift > 0.0 ? p->approach_k * load / lift : 1.0;
    if (s > 1.0)
        s = 1.0;
    r->fan_speed = s;
    r->leaving_c = sink + p->approach_k * load / fmax(s, p->fan_min_speed);
    if (s < p->fan_min_speed) {
        /* Cycling at minimum speed: the time-averaged leaving water meets
         * the target. */
        r->leaving_c = target_c;
    }
    r->fan_w = dcs_affinity_power_w(p->fan_w_per_w * p->design_heat_w, s, p->fan_min_speed);
    if (p->type == DCS_HR_COOLING_TOWER) {
        r->evaporation_kg_s = dcs_hr_evaporation_kg_s(p->evaporated_fraction * heat_w,
                                                      p->latent_heat_j_per_kg);
        if (p->cycles_of_concentration > 1.0)
            r->blowdown_kg_s = r->evaporation_kg_s / (p->cycles_of_concentration - 1.0);
        double circulating = heat_w / (WATER_CP_J_PER_KG_K * p->range_k);
        r->drift_kg_s = p->drift_fraction * circulating;
        r->water_kg_s = r->evaporation_kg_s + r->blowdown_kg_s + r->drift_kg_s;
    }
}
