/*
 * chiller.h - electric chiller after EnergyPlus Chiller:Electric:EIR.
 *
 * Available capacity Cap = Cap_ref * CAPFT(x, y); electric power
 * P = Cap / COP_ref * EIRFT(x, y) * EIRFPLR(PLR) * cycling, with x the
 * leaving chilled-water temperature (degC), y the entering condenser-water
 * temperature (degC), PLR = load / Cap.  Default curves: DOE-2 centrifugal
 * "5.50COP" (FACTS.md section 3; EnergyPlus Input-Output Reference).
 */
#ifndef DCSIM_CHILLER_H
#define DCSIM_CHILLER_H

typedef struct dcs_chiller_params {
    double cap_ref_w;      /* reference cooling capacity, W (> 0) */
    double cop_ref;        /* COP at the reference point (5.5, FACTS.md 3) */
    double capft[6];       /* biquadratic c0 + c1 x + c2 x^2 + c3 y + c4 y^2 + c5 x y */
    double eirft[6];       /* same form */
    double eirfplr[3];     /* quadratic in PLR */
    double x_min_c, x_max_c;  /* valid leaving chilled-water range (5, 10) */
    double y_min_c, y_max_c;  /* valid entering condenser range (24, 35) */
    double plr_min;        /* minimum part-load ratio before cycling (0.1) */
} dcs_chiller_params;

typedef struct dcs_chiller_result {
    double capacity_w;     /* available capacity at these temperatures */
    double load_met_w;     /* min(load, capacity) */
    double unmet_w;        /* load the chiller could not remove */
    double plr;            /* load_met / capacity */
    double cycling;        /* fraction of time on (1 unless plr < plr_min) */
    double power_w;        /* electric input */
    double cop;            /* load_met / power (0 when off) */
    double condenser_w;    /* heat to reject: load_met + power */
} dcs_chiller_result;

/* DOE-2 centrifugal 5.50COP curves with cap_ref_w = 1 MW.  The caller sets
 * cap_ref_w to the plant size. */
void dcs_chiller_defaults(dcs_chiller_params *p);

/* c0 + c1 x + c2 x^2 + c3 y + c4 y^2 + c5 x y (no clamping). */
double dcs_chiller_biquadratic(const double c[6], double x, double y);

/* Operating point for cooling load load_w (W, >= 0) at leaving chilled water
 * lchwt_c and entering condenser ect_c (both clamped to the curves' valid
 * ranges, as EnergyPlus does).  Fills *r. */
void dcs_chiller_eval(const dcs_chiller_params *p, double load_w, double lchwt_c,
                      double ect_c, dcs_chiller_result *r);

#endif
