/*
 * psychro.h - moist-air psychrometrics (SI: degC, Pa, kg water / kg dry air).
 *
 * Saturation pressure by the Hyland-Wexler (1983) correlations as given in
 * ASHRAE Handbook - Fundamentals 2017, chapter 1, eqs. (5) over ice and (6)
 * over liquid water; humidity ratio W = 0.621945 pw / (p - pw) (eq. 20/22);
 * thermodynamic wet-bulb from the energy balance of eqs. (33)/(35), solved
 * for t* with a GSL bracketing root finder.  Ideal-gas moist air; the
 * enhancement factor (~0.4 % at sea level) is left out.
 * The dew-point and wet-bulb solvers allocate a GSL solver per call (two
 * small heap blocks, ~1.7 us per wet-bulb): compute ambient records when a
 * climate is loaded or once per simulated hour, not inside per-request
 * event handlers.
 */
#ifndef DCSIM_PSYCHRO_H
#define DCSIM_PSYCHRO_H

#include "dcsim/diag.h"

/* Standard sea-level atmospheric pressure, Pa (ASHRAE HoF 2017 ch.1 eq. 3). */
#define DCS_PSYCHRO_P_STD_PA 101325.0

/* Saturation vapour pressure (Pa) at t_c in [-100, 200] degC, over ice below
 * 0 degC and over liquid water above.  Outside that range the correlation is
 * evaluated anyway (the caller validates inputs). */
double dcs_psychro_sat_pressure_pa(double t_c);

/* Humidity ratio (kg/kg dry air) for vapour partial pressure pw_pa at total
 * pressure p_pa; requires 0 <= pw_pa < p_pa. */
double dcs_psychro_humidity_ratio(double pw_pa, double p_pa);

/* Vapour partial pressure (Pa) for humidity ratio w at total pressure p_pa. */
double dcs_psychro_vapour_pressure_pa(double w, double p_pa);

/* Dew point (degC) for vapour partial pressure pw_pa > 0: the inverse of
 * dcs_psychro_sat_pressure_pa, solved numerically (to 1e-6 K). */
double dcs_psychro_dew_point_from_pw_c(double pw_pa);

/* Relative humidity (fraction 0..1) of air at dry-bulb t_c and dew point
 * tdp_c (tdp_c <= t_c). */
double dcs_psychro_rh_from_dew_point(double t_c, double tdp_c);

/* Dew point (degC) of air at dry-bulb t_c and relative humidity rh (0..1,
 * rh > 0). */
double dcs_psychro_dew_point_from_rh_c(double t_c, double rh);

/* Thermodynamic wet-bulb temperature (degC) of air at dry-bulb t_c with
 * humidity ratio w at pressure p_pa.  Writes *twb_c and returns DCS_OK, or
 * DCS_ERANGE (leaving *twb_c untouched) when the inputs are not physical
 * (w < 0, w above saturation by more than rounding, p_pa <= 0, non-finite)
 * or the root finder fails. */
dcs_status dcs_psychro_wet_bulb_c(double t_c, double w, double p_pa, double *twb_c);

/* Wet-bulb (degC) from dry-bulb and dew point at pressure p_pa; as above. */
dcs_status dcs_psychro_wet_bulb_from_dew_point_c(double t_c, double tdp_c, double p_pa,
                                                  double *twb_c);

/* Specific enthalpy of moist air, J/kg dry air, h = 1006 t + W (2.501e6 +
 * 1860 t) (ASHRAE HoF 2017 ch.1 eq. 30). */
double dcs_psychro_enthalpy_j_per_kg(double t_c, double w);

/* Standard-atmosphere pressure (Pa) at altitude z_m metres (ASHRAE HoF 2017
 * ch.1 eq. 3: p = 101.325 (1 - 2.25577e-5 z)^5.2559 kPa). */
double dcs_psychro_pressure_at_altitude_pa(double z_m);

#endif
