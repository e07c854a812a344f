/*
 * ups.c - backup power of a utility loss: UPS ride-through, generator
 * start, diesel burnt and its CO2 (fault.h).
 *
 *   UPS runtime       t_ups = E_ups / P_load                         [s]
 *   transfer          the generator carries the load from t_start on
 *                     if it starts and t_start <= t_ups; otherwise the
 *                     site goes dark at t_ups (the batteries are empty)
 *   fuel              V = (E_gen / 3.6e6 J/kWh) x sfc                [l]
 *   CO2               m = V x EF                                     [kg]
 *
 * Defaults (FACTS.md has no backup-power numbers, so these are stated
 * here):
 *   UPS autonomy 5 min at the site's design IT power [assumption: the
 *     common design point of double-conversion data-centre UPS systems,
 *     sized to bridge the generators' start with margin];
 *   generator start 10 s [NFPA 110 (2022), Type 10 emergency power
 *     supply: load carried within 10 s of the outage];
 *   0.27 l/kWh [assumption: specific consumption of 2-3 MW diesel gensets
 *     at 75-100 % load in manufacturers' data sheets, 0.25-0.28 l/kWh];
 *   2.70 kg CO2/l [US EPA, GHG Emission Factors Hub (2024): 10.21 kg CO2
 *     per US gallon of diesel fuel, / 3.785 l per gallon = 2.697].
 * Left out: the UPS's own losses and recharge after the event, the
 * generator's part-load efficiency curve, fuel of monthly tests, and
 * pollutants other than CO2.
 */
#include "dcsim/fault.h"

#include <math.h>

void dcs_backup_defaults(dcs_backup_params *p, double design_it_w, double ups_autonomy_s)
{
    double autonomy_s = ups_autonomy_s > 0.0 ? ups_autonomy_s : 300.0;
    p->ups_energy_j = (design_it_w > 0.0 ? design_it_w : 0.0) * autonomy_s;
    p->generator_start_s = 10.0;
    p->fuel_l_per_kwh = 0.27;
    p->co2_kg_per_l = 10.21 / 3.785411784;
}

double dcs_ups_runtime_s(double energy_j, double load_w)
{
    if (!(load_w > 0.0))
        return HUGE_VAL;
    return energy_j > 0.0 ? energy_j / load_w : 0.0;
}

void dcs_backup_plan_for(const dcs_backup_params *p, double load_w, bool generator_fails,
                         dcs_backup_plan *out)
{
    double runtime = dcs_ups_runtime_s(p->ups_energy_j, load_w);
    double start = p->generator_start_s > 0.0 ? p->generator_start_s : 0.0;
    if (!generator_fails && start <= runtime) {
        *out = (dcs_backup_plan){.ups_s = start, .generator = true, .dark_after_s = HUGE_VAL};
        return;
    }
    /* No generator: the batteries carry the load until they are empty. */
    *out = (dcs_backup_plan){.ups_s = runtime, .generator = false, .dark_after_s = runtime};
}

double dcs_generator_fuel_l(const dcs_backup_params *p, double energy_j)
{
    return energy_j / 3.6e6 * p->fuel_l_per_kwh;
}

double dcs_diesel_co2_kg(const dcs_backup_params *p, double fuel_l)
{
    return fuel_l * p->co2_kg_per_l;
}
