/*
 * heat_reuse.h - heat reclamation into district heating.
 *
 * Heat leaves the cooling loop at its return temperature; a heat pump lifts
 * it to the network supply temperature with COP = carnot_fraction *
 * T_sink / (T_sink - T_source) (kelvin; FACTS.md section 4).  Delivered heat
 * Q_d = Q_recovered + P_hp is capped by the heat pump's size, the heat
 * available and the network demand, a degree-hour model of outdoor
 * temperature.  ERE = (E_total - E_reuse) / E_IT (The Green Grid 2010).
 */
#ifndef DCSIM_HEAT_REUSE_H
#define DCSIM_HEAT_REUSE_H

typedef struct dcs_heat_reuse_params {
    double supply_c;            /* district-heating supply temperature */
    double carnot_fraction;     /* real COP / Carnot COP (0..1) */
    double evaporator_approach_k; /* source temperature below loop return */
    double condenser_approach_k;  /* sink temperature above DH supply */
    double capacity_w;          /* heat pump maximum heat output */
    double demand_design_w;     /* network demand at design_outdoor_c */
    double design_outdoor_c;    /* coldest design outdoor temperature */
    double heating_base_c;      /* space heating stops above this outdoor temperature */
    double base_demand_w;       /* demand above heating_base_c (hot water, losses) */
    double displaced_kg_per_j;  /* CO2 per J of displaced heat from the old source */
} dcs_heat_reuse_params;

typedef struct dcs_heat_reuse_result {
    double cop;            /* heat pump heating COP (0 if the pump is off) */
    double demand_w;       /* network demand */
    double delivered_w;    /* heat into the network */
    double recovered_w;    /* heat taken from the data centre */
    double heat_pump_w;    /* heat pump electricity */
    double avoided_kg_s;   /* CO2 of the displaced source not emitted, kg/s */
} dcs_heat_reuse_result;

/* Defaults (4G district heating at 70 degC, 50 % of Carnot; sources and
 * assumptions in models/facility/heat_reuse.c).  capacity_w and the demand
 * are scaled to heat_w, the data centre's design heat. */
void dcs_heat_reuse_defaults(dcs_heat_reuse_params *p, double heat_w);

/* Heating COP of a heat pump at carnot_fraction lifting from t_source_c to
 * t_sink_c (degC, sink > source): fraction * T_sink / (T_sink - T_source) in
 * kelvin.  Returns 0 when sink <= source (no lift needed: not a heat pump
 * question, the caller uses a heat exchanger). */
double dcs_heat_pump_cop(double carnot_fraction, double t_source_c, double t_sink_c);

/* Network heat demand (W) at outdoor temperature outdoor_c: base_demand_w
 * plus a linear degree-hour term reaching demand_design_w at
 * design_outdoor_c, zero space heating above heating_base_c. */
double dcs_heat_reuse_demand_w(const dcs_heat_reuse_params *p, double outdoor_c);

/* Operating point: loop return temperature return_c, heat available
 * available_w (W >= 0), outdoor temperature outdoor_c.  Fills *r. */
void dcs_heat_reuse_eval(const dcs_heat_reuse_params *p, double return_c, double available_w,
                         double outdoor_c, dcs_heat_reuse_result *r);

/* Energy reuse effectiveness (E_total - E_reuse) / E_IT; any energy unit. */
double dcs_ere(double e_total, double e_reuse, double e_it);

#endif
