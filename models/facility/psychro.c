/*
 * psychro.c - moist-air psychrometrics.
 *
 * Equations (ASHRAE Handbook - Fundamentals 2017, SI, chapter 1
 * "Psychrometrics"; T in kelvin, p in Pa):
 *   over ice, -100..0 degC (eq. 5):
 *     ln pws = C1/T + C2 + C3 T + C4 T^2 + C5 T^3 + C6 T^4 + C7 ln T
 *   over liquid water, 0..200 degC (eq. 6):
 *     ln pws = C8/T + C9 + C10 T + C11 T^2 + C12 T^3 + C13 ln T
 *   humidity ratio (eq. 20):    W = 0.621945 pw / (p - pw)
 *   wet-bulb t* (eq. 33, t* >= 0 degC):
 *     W = ((2501 - 2.326 t*) Ws* - 1.006 (t - t*)) / (2501 + 1.86 t - 4.186 t*)
 *   wet-bulb t* (eq. 35, t* < 0 degC, over ice):
 *     W = ((2830 - 0.24 t*) Ws* - 1.006 (t - t*)) / (2830 + 1.86 t - 2.1 t*)
 *   with Ws* the saturation humidity ratio at t*.
 * Left out: the enhancement factor f_s (~1.004 at sea level), real-gas
 * corrections, supercooled water below 0 degC (ice is assumed).
 */
#include "dcsim/psychro.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#define KELVIN 273.15

double dcs_psychro_sat_pressure_pa(double t_c)
{
    double t = t_c + KELVIN;
    double ln_p;
    if (t_c < 0.0) {
        ln_p = -5.6745359e3 / t + 6.3925247 - 9.6778430e-3 * t + 6.2215701e-7 * t * t
             + 2.0747825e-9 * t * t * t - 9.4840240e-13 * t * t * t * t + 4.1635019 * log(t);
    } else {
        ln_p = -5.8002206e3 / t + 1.3914993 - 4.8640239e-2 * t + 4.1764768e-5 * t * t
             - 1.4452093e-8 * t * t * t + 6.5459673 * log(t);
    }
    return exp(ln_p);
}

double dcs_psychro_humidity_ratio(double pw_pa, double p_pa)
{
    return 0.621945 * pw_pa / (p_pa - pw_pa);
}

double dcs_psychro_vapour_pressure_pa(double w, double p_pa)
{
    return p_pa * w / (0.621945 + w);
}

/* Solve f(x) = 0 on [lo, hi] (f(lo), f(hi) of opposite signs) with Brent's
 * method to an absolute tolerance of 1e-7 K.  Returns DCS_ERANGE if the
 * bracket is not a bracket or the solver does not converge. */
static dcs_status solve(double (*f)(double, void *), void *arg, double lo, double hi,
                        double *root)
{
    gsl_function fn = {f, arg};
    double flo = f(lo, arg), fhi = f(hi, arg);
    if (!isfinite(flo) || !isfinite(fhi) || flo * fhi > 0.0)
        return DCS_ERANGE;
    if (flo == 0.0) { *root = lo; return DCS_OK; }
    if (fhi == 0.0) { *root = hi; return DCS_OK; }
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return DCS_ENOMEM;
    dcs_status st = DCS_ERANGE;
    if (gsl_root_fsolver_set(s, &fn, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < 200; i++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(a, b, 1e-7, 0.0) == GSL_SUCCESS) {
                *root = gsl_root_fsolver_root(s);
                st = DCS_OK;
                break;
            }
        }
    }
    gsl_root_fsolver_free(s);
    return st;
}

static double dew_residual(double t_c, void *arg)
{
    double ln_pw = *(const double *)arg;
    return log(dcs_psychro_sat_pressure_pa(t_c)) - ln_pw;
}

double dcs_psychro_dew_point_from_pw_c(double pw_pa)
{
    double ln_pw = log(pw_pa);
    double root = NAN;
    /* The correlations cover -100..200 degC; ln pws is monotonic there, so
     * the bracket holds for every pw between 0.0014 Pa and 1.55 MPa. */
    if (solve(dew_residual, &ln_pw, -100.0, 200.0, &root) != DCS_OK)
        return NAN;
    return root;
}

double dcs_psychro_rh_from_dew_point(double t_c, double tdp_c)
{
    return dcs_psychro_sat_pressure_pa(tdp_c) / dcs_psychro_sat_pressure_pa(t_c);
}

double dcs_psychro_dew_point_from_rh_c(double t_c, double rh)
{
    return dcs_psychro_dew_point_from_pw_c(rh * dcs_psychro_sat_pressure_pa(t_c));
}

typedef struct wb_args {
    double t_c, w, p_pa;
} wb_args;

/* Humidity ratio implied by wet-bulb guess t*, minus the actual one. */
static double wb_residual(double tw, void *arg)
{
    const wb_args *a = arg;
    double ws = dcs_psychro_humidity_ratio(dcs_psychro_sat_pressure_pa(tw), a->p_pa);
    double w;
    if (tw >= 0.0)
        w = ((2501.0 - 2.326 * tw) * ws - 1.006 * (a->t_c - tw))
          / (2501.0 + 1.86 * a->t_c - 4.186 * tw);
    else
        w = ((2830.0 - 0.24 * tw) * ws - 1.006 * (a->t_c - tw))
          / (2830.0 + 1.86 * a->t_c - 2.1 * tw);
    return w - a->w;
}

dcs_status dcs_psychro_wet_bulb_c(double t_c, double w, double p_pa, double *twb_c)
{
    if (!isfinite(t_c) || !isfinite(w) || !isfinite(p_pa) || p_pa <= 0.0 || w < 0.0
        || t_c < -100.0 || t_c > 200.0)
        return DCS_ERANGE;
    double pws = dcs_psychro_sat_pressure_pa(t_c);
    if (pws >= p_pa)
        return DCS_ERANGE;
    double ws = dcs_psychro_humidity_ratio(pws, p_pa);
    /* Allow rounding in the inputs (an EPW dew point of 0.1 K above dry-bulb)
     * but not air that is clearly supersaturated. */
    if (w > ws * 1.01)
        return DCS_ERANGE;
    if (w >= ws) {
        *twb_c = t_c;
        return DCS_OK;
    }
    wb_args a = {t_c, w, p_pa};
    /* The wet-bulb lies between the dew point and the dry-bulb; 1 K below
     * the dew point (or the floor of the correlation) brackets it from below. */
    double lo = w > 0.0 ? dcs_psychro_dew_point_from_pw_c(dcs_psychro_vapour_pressure_pa(w, p_pa)) - 1.0
                        : -100.0;
    if (!isfinite(lo) || lo < -100.0)
        lo = -100.0;
    double root;
    dcs_status st = solve(wb_residual, &a, lo, t_c, &root);
    if (st == DCS_OK)
        *twb_c = root;
    return st;
}

dcs_status dcs_psychro_wet_bulb_from_dew_point_c(double t_c, double tdp_c, double p_pa,
                                                  double *twb_c)
{
    if (!isfinite(tdp_c) || !isfinite(p_pa) || p_pa <= 0.0)
        return DCS_ERANGE;
    double pw = dcs_psychro_sat_pressure_pa(tdp_c);
    if (pw >= p_pa)
        return DCS_ERANGE;
    return dcs_psychro_wet_bulb_c(t_c, dcs_psychro_humidity_ratio(pw, p_pa), p_pa, twb_c);
}

double dcs_psychro_enthalpy_j_per_kg(double t_c, double w)
{
    return 1006.0 * t_c + w * (2.501e6 + 1860.0 * t_c);
}

double dcs_psychro_pressure_at_altitude_pa(double z_m)
{
    return 101325.0 * pow(1.0 - 2.25577e-5 * z_m, 5.2559);
}
