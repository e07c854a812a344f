/*
 * cooling_defaults.c - default parameters of the three cooling loops, and
 * the names used in scenarios.
 *
 * Every default below says where it comes from; [assumption] marks values
 * chosen here as typical where no source in FACTS.md gives one.
 *
 * Air (all heat through CRAHs to a chilled-water plant):
 *   supply air 24 degC: inside ASHRAE TC9.9 (2021) recommended 18-27 degC
 *     (FACTS.md 3);
 *   return - supply 12 K [assumption]: contained hot aisles run 10-15 K;
 *   CRAH fans 0.03 W per W of heat at design airflow: middle of the 2-5 %
 *     of IT load of FACTS.md 3 [U];
 *   chilled water 10 degC supply, 6 K rise [assumption]; 10 degC is the top
 *     of the DOE-2 curves' valid range (5-10 degC), which clamps warmer water;
 *   water-side economiser through a plate heat exchanger, 2 K approach
 *     [assumption]; air-side economiser off by default (most large sites
 *     do not bring outside air into GPU halls);
 *   air-side limits when enabled: dew point -9..15 degC, the ASHRAE
 *     recommended humidity envelope [assumption from ASHRAE TC9.9];
 *   CHW pumps 0.02 W/W: middle of FACTS.md 3's 1-3 % [U]; condenser pumps
 *     0.01 W/W [assumption]; pumps and fans not below 30 % speed [assumption];
 *   condenser water not cooled below 24 degC: the DOE-2 curves' lower ECT
 *     bound, below which the model would gain nothing;
 *   chiller sized 1.1 x design air heat (fan heat, margin) [assumption],
 *     DOE-2 centrifugal 5.5 COP (FACTS.md 3); tower sized for the heat plus
 *     the compressor work, 1.1 x (1 + 1/5.5) x design air heat [assumption].
 * Direct liquid (cold plates):
 *   liquid fraction 0.8 [assumption]: cold plates on GPUs and CPUs capture
 *     70-80 % of server heat in current DLC servers; the rest goes by air;
 *   supply 32 degC: ASHRAE W32 class (FACTS.md 3 [U]); with a 2 K CDU
 *     approach [assumption] facility water is 30 degC, the criterion of the
 *     FACTS.md free-cooling-hours row (dry cooler, 10 K approach, <= 30 degC);
 *   10 K rise [assumption]; CDU + facility pumps 0.015 W/W [assumption];
 *   dry cooler (10 K approach, FACTS.md 3), trim chiller of full size.
 * Immersion (single-phase dielectric):
 *   liquid fraction 0.97 [assumption]: power shelves, switches and room
 *     losses stay in the air;
 *   supply 40 degC (W40 class [U]), CDU approach 3 K, rise 8 K, pumps
 *     0.02 W/W (viscous fluid) [assumption]; dry cooler; trim chiller.
 * Thermal mass and limits:
 *   air: chilled-water loop 10 L per kW of design heat [assumption]:
 *     C = 10 kg/kW * 4186 J/(kg K) = 41.86 J/K per W, so a trip at full
 *     load heats the loop at 1/41.86 K/s = 1.43 K/min; GPUs throttle above
 *     32 degC supply air (ASHRAE A1 allowable maximum) and stop at 35 degC
 *     (A2 allowable maximum) [assumption that servers follow these];
 *   direct liquid: 5 L/kW of water [assumption] (20.93 J/K per W); throttle
 *     45 degC (W45 upper bound [U]), shut down 50 degC [assumption];
 *   immersion: 30 L/kW of fluid at 1.76 MJ/(m^3 K) (0.8 kg/L * 2.2 kJ/(kg K),
 *     typical synthetic dielectric oils) [assumption] = 52.8 J/K per W;
 *     throttle 50 degC, shut down 55 degC [assumption];
 *   throttle factor falls linearly to 0.5 just below shutdown [assumption].
 */
#include "dcsim/cooling.h"

#include <math.h>
#include <string.h>

static void air_defaults(dcs_cooling_air_params *a, double design_air_w)
{
    a->supply_air_c = 24.0;
    a->air_delta_k = 12.0;
    a->crah_fan_w_per_w = 0.03;
    a->fan_min_speed = 0.3;
    a->airside_economiser = false;
    a->airside_approach_k = 1.0;
    a->dew_point_max_c = 15.0;
    a->dew_point_min_c = -9.0;
    a->chw_supply_c = 10.0;
    a->chw_delta_k = 6.0;
    a->waterside_economiser = true;
    a->hx_approach_k = 2.0;
    a->chw_pump_w_per_w = 0.02;
    a->cond_pump_w_per_w = 0.01;
    a->pump_min_speed = 0.3;
    a->ect_min_c = 24.0;
    dcs_chiller_defaults(&a->chiller);
    a->chiller.cap_ref_w = 1.1 * design_air_w;
    dcs_hr_defaults(&a->heat_rejection, DCS_HR_COOLING_TOWER,
                    1.1 * (1.0 + 1.0 / 5.5) * design_air_w);
}

void dcs_cooling_defaults(dcs_cooling_params *p, dcs_cooling_type t, double design_it_w)
{
    dcs_cooling_defaults_split(p, t, design_it_w, NAN);
}

void dcs_cooling_defaults_split(dcs_cooling_params *p, dcs_cooling_type t, double design_it_w,
                                double liquid_fraction)
{
    memset(p, 0, sizeof *p);
    p->type = t;
    p->design_it_w = design_it_w;
    dcs_cooling_liquid_params *l = &p->liquid;
    dcs_cooling_mass_params *m = &p->mass;
    m->throttle_min = 0.5;
    switch (t) {
    case DCS_COOLING_AIR:
        l->liquid_fraction = 0.0;
        m->heat_capacity_j_per_k = 41.86 * design_it_w;
        m->throttle_c = 32.0;
        m->shutdown_c = 35.0;
        break;
    case DCS_COOLING_DIRECT_LIQUID:
        l->liquid_fraction = 0.8;
        l->supply_c = 32.0;
        l->delta_k = 10.0;
        l->cdu_approach_k = 2.0;
        l->pump_w_per_w = 0.015;
        m->heat_capacity_j_per_k = 20.93 * design_it_w;
        m->throttle_c = 45.0;
        m->shutdown_c = 50.0;
        break;
    case DCS_COOLING_IMMERSION:
        l->liquid_fraction = 0.97;
        l->supply_c = 40.0;
        l->delta_k = 8.0;
        l->cdu_approach_k = 3.0;
        l->pump_w_per_w = 0.02;
        m->heat_capacity_j_per_k = 52.8 * design_it_w;
        m->throttle_c = 50.0;
        m->shutdown_c = 55.0;
        break;
    }
    l->pump_min_speed = 0.3;
    if (!isnan(liquid_fraction))
        l->liquid_fraction = liquid_fraction;
    /* An air design has no liquid loop; its equipment gets a 1 W nominal
     * size so that no division by a zero design ever happens if a caller
     * later raises liquid_fraction without resizing. */
    double liquid_w = l->liquid_fraction * design_it_w;
    dcs_chiller_defaults(&l->trim_chiller);
    l->trim_chiller.cap_ref_w = liquid_w > 0.0 ? liquid_w : 1.0;
    dcs_hr_defaults(&l->heat_rejection, DCS_HR_DRY_COOLER,
                    liquid_w > 0.0 ? (1.0 + 1.0 / 5.5) * liquid_w : 1.0);
    air_defaults(&p->air, (1.0 - l->liquid_fraction) * design_it_w);
}

const char *dcs_cooling_type_name(dcs_cooling_type t)
{
    switch (t) {
    case DCS_COOLING_AIR: return "air";
    case DCS_COOLING_DIRECT_LIQUID: return "direct_liquid";
    case DCS_COOLING_IMMERSION: return "immersion";
    }
    return "unknown";
}

bool dcs_cooling_type_parse(const char *name, dcs_cooling_type *t)
{
    static const dcs_cooling_type all[] = {DCS_COOLING_AIR, DCS_COOLING_DIRECT_LIQUID,
                                           DCS_COOLING_IMMERSION};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(name, dcs_cooling_type_name(all[i])) == 0) {
            *t = all[i];
            return true;
        }
    }
    return false;
}

const char *dcs_free_mode_name(dcs_free_mode m)
{
    switch (m) {
    case DCS_FREE_OFF: return "off";
    case DCS_FREE_PARTIAL: return "partial";
    case DCS_FREE_FULL: return "full";
    }
    return "unknown";
}
