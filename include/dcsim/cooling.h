/*
 * cooling.h - data-centre cooling loops: air, direct-to-chip liquid,
 * immersion; free cooling; water use; a first-order thermal mass per site.
 *
 * Steady state (dcs_cooling_power): IT heat Q splits into a liquid share
 * f*Q (warm-water loop at a W-class supply temperature through CDU pumps to
 * dry coolers, with a trim chiller when ambient is too warm) and an air
 * share (1-f)*Q (CRAH fans, chilled-water plant: chiller plus cooling tower
 * or dry cooler, pumps).  Free cooling per path is full, partial or off,
 * decided from dry-bulb / wet-bulb against set points and approaches.
 * Transient (dcs_cooling_step): the loop's coolant is one thermal node of
 * heat capacity C, C dT/dt = Q_in - Q_removed(T), solved exactly over a step.
 * The node is the primary loop (air for `air`, the liquid loop for
 * `direct_liquid` and `immersion`); the other path is taken as steady.
 * Details, equations and sources in models/facility/cooling*.c and
 * docs/facility.md.
 */
#ifndef DCSIM_COOLING_H
#define DCSIM_COOLING_H

#include <stdbool.h>

#include "dcsim/chiller.h"
#include "dcsim/climate.h"
#include "dcsim/heat_rejection.h"

typedef enum {
    DCS_COOLING_AIR,
    DCS_COOLING_DIRECT_LIQUID,
    DCS_COOLING_IMMERSION
} dcs_cooling_type;

/* Free-cooling mode of a path (and of the site: the mode of the path that
 * carries most heat). */
typedef enum {
    DCS_FREE_OFF,      /* mechanical cooling only */
    DCS_FREE_PARTIAL,  /* economiser pre-cools, chiller trims */
    DCS_FREE_FULL      /* no compressor */
} dcs_free_mode;

typedef struct dcs_cooling_air_params {
    double supply_air_c;        /* CRAH supply air set point (ASHRAE rec. 18-27) */
    double air_delta_k;         /* return - supply air temperature rise */
    double crah_fan_w_per_w;    /* CRAH fan power at design airflow per W of air heat */
    double fan_min_speed;
    bool airside_economiser;    /* outside air used directly when allowed */
    double airside_approach_k;  /* supply air above outdoor dry-bulb (fan heat, mixing) */
    double dew_point_max_c;     /* outside air allowed only below this dew point */
    double dew_point_min_c;     /* ... and above this one */
    double chw_supply_c;        /* chilled water leaving the chiller */
    double chw_delta_k;         /* chilled-water return - supply */
    bool waterside_economiser;  /* heat-rejection water through a plate HX */
    double hx_approach_k;       /* plate heat exchanger approach */
    double chw_pump_w_per_w;    /* chilled-water pumps at design flow per W */
    double cond_pump_w_per_w;   /* condenser-water pumps at design flow per W */
    double pump_min_speed;
    double ect_min_c;           /* condenser water is not cooled below this */
    dcs_chiller_params chiller; /* cap_ref_w: design air heat (+ trim share) */
    dcs_hr_params heat_rejection;
} dcs_cooling_air_params;

typedef struct dcs_cooling_liquid_params {
    double liquid_fraction;     /* share of IT heat into the liquid (0..1) */
    double supply_c;            /* facility-side coolant supply (W-class) */
    double delta_k;             /* return - supply */
    double cdu_approach_k;      /* CDU heat-exchanger approach */
    double pump_w_per_w;        /* CDU + facility pumps at design flow per W */
    double pump_min_speed;
    dcs_chiller_params trim_chiller; /* cap_ref_w: liquid design heat */
    dcs_hr_params heat_rejection;    /* dry cooler by default */
} dcs_cooling_liquid_params;

typedef struct dcs_cooling_mass_params {
    double heat_capacity_j_per_k; /* C of the loop's coolant and nearby mass */
    double throttle_c;     /* supply temperature above which GPUs throttle */
    double shutdown_c;     /* supply temperature at which GPUs shut down */
    double throttle_min;   /* throttle factor just below shutdown_c (0..1) */
} dcs_cooling_mass_params;

typedef struct dcs_cooling_params {
    dcs_cooling_type type;
    double design_it_w;          /* IT heat the plant is sized for */
    dcs_cooling_air_params air;
    dcs_cooling_liquid_params liquid;
    dcs_cooling_mass_params mass;
} dcs_cooling_params;

/* Power by component and the state of the plant at one operating point. */
typedef struct dcs_cooling_result {
    double crah_fan_w, chiller_w, trim_chiller_w, heat_rejection_fan_w, pump_w;
    double total_w;              /* sum of the above */
    double heat_removed_w;       /* from the IT (liquid + air) */
    double heat_rejected_w;      /* to ambient: removed + compressor work */
    double chiller_unmet_w;      /* heat the chillers could not remove */
    double water_kg_s;           /* evaporation + blowdown + drift */
    dcs_free_mode air_mode, liquid_mode, mode;
    double free_fraction;        /* share of heat removed without compressor */
    double supply_c;             /* coolant supply to the IT (air or liquid) */
    double return_c;             /* return temperature of the path carrying most heat */
    double return_heat_w;        /* heat available at return_c (that path's heat) */
    double unmet_w;              /* heat the plant could not remove (faults, undersized) */
} dcs_cooling_result;

/* Thermal state of the loop: the supply temperature node, and faults. */
typedef struct dcs_cooling_state {
    double supply_c;
    bool chiller_available;       /* false during a chiller trip */
    bool heat_rejection_available;
} dcs_cooling_state;

/* Result of one transient step. */
typedef struct dcs_cooling_step_result {
    dcs_cooling_result power;    /* component powers at the step's conditions */
    double heat_in_j;            /* IT heat over the step (both paths) */
    double heat_removed_j;       /* heat removed: primary loop exactly, the
                                    secondary path taken as fully removed */
    double stored_j;             /* C * (T_end - T_start) */
    double throttle;             /* GPU power factor at the end of the step */
} dcs_cooling_step_result;

/* Defaults for a loop of type t sized for design_it_w (W > 0); every number
 * and its source is in models/facility/cooling_defaults.c. */
void dcs_cooling_defaults(dcs_cooling_params *p, dcs_cooling_type t, double design_it_w);

/* The same with the liquid share of heat set to liquid_fraction (0..1), the
 * equipment of both paths sized for their share; NAN keeps the type's. */
void dcs_cooling_defaults_split(dcs_cooling_params *p, dcs_cooling_type t, double design_it_w,
                                double liquid_fraction);

/* Name of a type ("air", "direct_liquid", "immersion"); parse by name, false
 * if unknown. */
const char *dcs_cooling_type_name(dcs_cooling_type t);
bool dcs_cooling_type_parse(const char *name, dcs_cooling_type *t);
const char *dcs_free_mode_name(dcs_free_mode m);

/* Steady state: cooling power to remove it_heat_w (W >= 0) in ambient a
 * with all equipment available.  Fills *r. */
void dcs_cooling_power(const dcs_cooling_params *p, const dcs_ambient *a, double it_heat_w,
                       dcs_cooling_result *r);

/* Initial state: supply at its set point, all equipment available. */
void dcs_cooling_state_init(const dcs_cooling_params *p, dcs_cooling_state *s);

/* GPU throttle factor (1 = none, 0 = shut down) at supply temperature
 * supply_c: 1 up to throttle_c, falling linearly to throttle_min at
 * shutdown_c, 0 at and above shutdown_c. */
double dcs_cooling_throttle(const dcs_cooling_mass_params *m, double supply_c);

/* Steady state with equipment availability: a tripped chiller removes
 * nothing (its share becomes unmet_w); without heat rejection nothing is
 * removed at all. */
void dcs_cooling_power_avail(const dcs_cooling_params *p, const dcs_ambient *a,
                             double it_heat_w, bool chiller_ok, bool heat_rejection_ok,
                             dcs_cooling_result *r);

/* Advance the loop by dt_s seconds (>= 0) with IT heat it_heat_w and
 * ambient a, honouring s->chiller_available and s->heat_rejection_available
 * (set by fault events): while the plant can hold the set point the supply
 * stays there; when it cannot (trip, or too hot), the supply follows the
 * exact solution of C dT/dt = Q_in - Q_mech - G max(0, T - T_sink), so
 * heat_in_j = heat_removed_j + stored_j for any dt_s.  Updates s, fills *r;
 * r->throttle is the GPU factor at the new supply temperature. */
void dcs_cooling_step(const dcs_cooling_params *p, const dcs_ambient *a, double it_heat_w,
                      dcs_cooling_state *s, double dt_s, dcs_cooling_step_result *r);

#endif
