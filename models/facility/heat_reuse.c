/*
 * heat_reuse.c - heat pump into a district-heating network.
 *
 *   T_source = T_return - a_evap,  T_sink = T_dh_supply + a_cond   [degC]
 *   COP      = eta * (T_sink + 273.15) / (T_sink - T_source)       (heating)
 *   demand   = base + (D_design - base) * max(0, T_base - T_out) / (T_base - T_design)
 *   delivered Q_d = min(demand, capacity, Q_avail * COP / (COP - 1))
 *   recovered Q_r = Q_d (1 - 1/COP),  heat-pump electricity P = Q_d / COP
 *   avoided CO2   = Q_d * displaced factor
 *   ERE = (E_total - E_reuse) / E_IT, E_reuse = recovered heat; the heat
 *   pump's electricity belongs to E_total when the pump is on site.
 * Sources and assumptions of the defaults:
 *   DH supply 70 degC: top of 4th-generation networks (55-70 degC),
 *     FACTS.md section 4 [S] p2h-computing.de (2025);
 *   eta = 0.5 of Carnot: "real large heat pumps reach ~40-60 %", FACTS.md 4
 *     [U]; with 27 degC source and 75 degC sink (Meta Odense, FACTS.md 4)
 *     this gives 0.5 * 348.15 / 48 = 3.6, against 2.5-3.5 quoted [S];
 *   evaporator and condenser approaches 3 K each [assumption];
 *   demand: [assumption] a degree-hour model, heating base 15 degC (the
 *     Eurostat heating-degree-day threshold), design outdoor -15 degC at
 *     twice the data centre's design heat, 15 % of that above the base for
 *     hot water and network losses; heat pump sized for the design heat;
 *   displaced heat: natural-gas boiler, 56.1 t CO2 per TJ of fuel (IPCC
 *     2006 Guidelines, vol. 2, table 2.2) at 90 % efficiency [assumption]
 *     = 62.33 g CO2 per MJ of heat (0.224 kg/kWh).
 * Left out: network temperature reset with outdoor temperature, storage,
 * heat-pump part-load efficiency, the pumps of the DH connection.
 */
#include "dcsim/heat_reuse.h"

#include <math.h>
#include <string.h>

#define KELVIN 273.15

void dcs_heat_reuse_defaults(dcs_heat_reuse_params *p, double heat_w)
{
    memset(p, 0, sizeof *p);
    p->supply_c = 70.0;
    p->carnot_fraction = 0.5;
    p->evaporator_approach_k = 3.0;
    p->condenser_approach_k = 3.0;
    p->capacity_w = heat_w;
    p->demand_design_w = 2.0 * heat_w;
    p->design_outdoor_c = -15.0;
    p->heating_base_c = 15.0;
    p->base_demand_w = 0.15 * p->demand_design_w;
    p->displaced_kg_per_j = 56.1e3 / 1e12 / 0.9;
}

double dcs_heat_pump_cop(double carnot_fraction, double t_source_c, double t_sink_c)
{
    if (!(t_sink_c > t_source_c))
        return 0.0;
    return carnot_fraction * (t_sink_c + KELVIN) / (t_sink_c - t_source_c);
}

double dcs_heat_reuse_demand_w(const dcs_heat_reuse_params *p, double outdoor_c)
{
    double span = p->heating_base_c - p->design_outdoor_c;
    double x = span > 0.0 ? fmax(0.0, p->heating_base_c - outdoor_c) / span : 0.0;
    return p->base_demand_w + (p->demand_design_w - p->base_demand_w) * x;
}

void dcs_heat_reuse_eval(const dcs_heat_reuse_params *p, double return_c, double available_w,
                         double outdoor_c, dcs_heat_reuse_result *r)
{
    memset(r, 0, sizeof *r);
    r->demand_w = dcs_heat_reuse_demand_w(p, outdoor_c);
    double avail = available_w > 0.0 ? available_w : 0.0;
    double source = return_c - p->evaporator_approach_k;
    double sink = p->supply_c + p->condenser_approach_k;
    double cap = fmin(r->demand_w, p->capacity_w);
    if (sink <= source) {
        /* Warm enough already: a heat exchanger, no heat pump. */
        r->delivered_w = fmin(cap, avail);
        r->recovered_w = r->delivered_w;
    } else {
        r->cop = dcs_heat_pump_cop(p->carnot_fraction, source, sink);
        if (r->cop <= 1.0) {
            r->cop = 0.0;   /* worse than a resistive heater: not run */
            return;
        }
        r->delivered_w = fmin(cap, avail * r->cop / (r->cop - 1.0));
        r->heat_pump_w = r->delivered_w / r->cop;
        r->recovered_w = r->delivered_w - r->heat_pump_w;
    }
    r->avoided_kg_s = r->delivered_w * p->displaced_kg_per_j;
}

double dcs_ere(double e_total, double e_reuse, double e_it)
{
    return (e_total - e_reuse) / e_it;
}
