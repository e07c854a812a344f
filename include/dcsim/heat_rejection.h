/*
 * heat_rejection.h - cooling towers and dry coolers.
 *
 * A unit rejects heat Q to ambient air; its leaving water temperature is
 *   T_leave = T_amb + approach_k * (Q / Q_design) / s
 * with T_amb the wet-bulb (open cooling tower) or dry-bulb (dry cooler) and
 * s the fan speed ratio (capacity taken as linear in airflow: a
 * simplification of the Merkel/effectiveness models).  The fan runs at the
 * lowest speed that reaches the target leaving temperature, and draws power
 * by the affinity laws.  Evaporative units lose water by evaporation
 * (Q_latent / h_fg), blowdown (evaporation / (cycles - 1)) and drift
 * (fraction of circulating flow).  Sources: FACTS.md section 3 (approaches,
 * Energies 2023 16:3661; open wet cooling 0.012-0.021 kW_el per kW_th).
 */
#ifndef DCSIM_HEAT_REJECTION_H
#define DCSIM_HEAT_REJECTION_H

typedef enum {
    DCS_HR_COOLING_TOWER,   /* open wet tower: approach to wet-bulb, uses water */
    DCS_HR_DRY_COOLER       /* dry cooler: approach to dry-bulb, no water */
} dcs_hr_type;

typedef struct dcs_hr_params {
    dcs_hr_type type;
    double design_heat_w;        /* heat rejected at full speed and design approach */
    double approach_k;           /* design approach at design heat and full speed */
    double fan_w_per_w;          /* fan electricity at full speed per W of design heat */
    double fan_min_speed;        /* minimum continuous fan speed (0..1) */
    double range_k;              /* water temperature drop through the unit (>= 5 K) */
    double evaporated_fraction;  /* share of heat leaving as latent heat (towers) */
    double latent_heat_j_per_kg; /* h_fg of water */
    double cycles_of_concentration; /* blowdown: evaporation / (cycles - 1) */
    double drift_fraction;       /* drift loss per unit circulating water mass */
} dcs_hr_params;

typedef struct dcs_hr_result {
    double fan_speed;          /* 0..1 */
    double fan_w;              /* fan electric power, W */
    double leaving_c;          /* water temperature leaving the unit, degC */
    double evaporation_kg_s;   /* water evaporated, kg/s */
    double blowdown_kg_s;      /* water bled to limit mineral concentration, kg/s */
    double drift_kg_s;         /* droplets carried out with the air, kg/s */
    double water_kg_s;         /* sum of the three (1 kg = 1 L) */
} dcs_hr_result;

/* Defaults for a unit of type t rejecting design_heat_w (see the .c file
 * header for each number's source). */
void dcs_hr_defaults(dcs_hr_params *p, dcs_hr_type t, double design_heat_w);

/* Ambient temperature the unit approaches: wet-bulb for towers, dry-bulb for
 * dry coolers. */
double dcs_hr_sink_c(const dcs_hr_params *p, double dry_bulb_c, double wet_bulb_c);

/* Lowest leaving temperature (degC) reachable at full speed rejecting heat_w. */
double dcs_hr_min_leaving_c(const dcs_hr_params *p, double sink_c, double heat_w);

/* Operating point rejecting heat_w (W >= 0) with leaving water as close to
 * target_c as the fans allow (never colder: the fan slows down instead). */
void dcs_hr_eval(const dcs_hr_params *p, double dry_bulb_c, double wet_bulb_c,
                 double heat_w, double target_c, dcs_hr_result *r);

/* Water evaporated (kg/s) by rejecting latent heat latent_w through
 * evaporation with latent heat h_fg (J/kg). */
double dcs_hr_evaporation_kg_s(double latent_w, double h_fg_j_per_kg);

#endif
