/*
 * chiller.c - electric chiller, EnergyPlus Chiller:Electric:EIR model.
 *
 *   Cap  = Cap_ref * CAPFT(x, y)                       [W]
 *   PLR  = min(Q, Cap) / Cap
 *   P    = Cap / COP_ref * EIRFT(x, y) * EIRFPLR(max(PLR, PLR_min)) * cycling
 *   cycling = min(1, PLR / PLR_min)
 * x = leaving chilled-water temperature (degC), y = entering condenser-water
 * temperature (degC), both clamped to the curves' valid ranges.
 * Curves "DOE-2 Centrifugal/5.50COP" (EnergyPlus Input-Output Reference,
 * Chiller:Electric:EIR; FACTS.md section 3):
 *   CAPFT   = 0.257896 + 0.0389016 x - 0.000217080 x^2 + 0.0468684 y
 *             - 0.000942840 y^2 - 0.000343440 x y
 *   EIRFT   = 0.933884 - 0.0582120 x + 0.00450036 x^2 + 0.00243000 y
 *             + 0.000486000 y^2 - 0.00121500 x y
 *   EIRFPLR = 0.222903 + 0.313387 PLR + 0.463710 PLR^2
 * Reference: COP 5.5 at x = 6.67 degC, y = 29.4 degC; PLR_min = 0.1.
 * Left out: false loading and hot-gas bypass below the minimum unloading
 * ratio (EnergyPlus's MinUnloadRatio), condenser fan/pump power (counted by
 * the cooling plant), and the flow-dependent leaving-temperature limits.
 */
#include "dcsim/chiller.h"

#include <math.h>
#include <string.h>

void dcs_chiller_defaults(dcs_chiller_params *p)
{
    static const double capft[6] = {0.257896, 0.0389016, -0.000217080,
                                    0.0468684, -0.000942840, -0.000343440};
    static const double eirft[6] = {0.933884, -0.0582120, 0.00450036,
                                    0.00243000, 0.000486000, -0.00121500};
    static const double eirfplr[3] = {0.222903, 0.313387, 0.463710};
    memset(p, 0, sizeof *p);
    p->cap_ref_w = 1e6;
    p->cop_ref = 5.5;
    memcpy(p->capft, capft, sizeof capft);
    memcpy(p->eirft, eirft, sizeof eirft);
    memcpy(p->eirfplr, eirfplr, sizeof eirfplr);
    p->x_min_c = 5.0;
    p->x_max_c = 10.0;
    p->y_min_c = 24.0;
    p->y_max_c = 35.0;
    p->plr_min = 0.1;
}

double dcs_chiller_biquadratic(const double c[6], double x, double y)
{
    return c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

void dcs_chiller_eval(const dcs_chiller_params *p, double load_w, double lchwt_c,
                      double ect_c, dcs_chiller_result *r)
{
    memset(r, 0, sizeof *r);
    double x = clamp(lchwt_c, p->x_min_c, p->x_max_c);
    double y = clamp(ect_c, p->y_min_c, p->y_max_c);
    r->capacity_w = p->cap_ref_w * dcs_chiller_biquadratic(p->capft, x, y);
    if (!(load_w > 0.0) || !(r->capacity_w > 0.0)) {
        r->unmet_w = load_w > 0.0 ? load_w : 0.0;
        return;
    }
    r->load_met_w = fmin(load_w, r->capacity_w);
    r->unmet_w = load_w - r->load_met_w;
    r->plr = r->load_met_w / r->capacity_w;
    /* Below the minimum part-load ratio the compressor cannot unload
     * further: it runs at PLR_min for a fraction PLR / PLR_min of the time. */
    double plr_run = fmax(r->plr, p->plr_min);
    r->cycling = fmin(1.0, r->plr / p->plr_min);
    double eirfplr = p->eirfplr[0] + p->eirfplr[1] * plr_run + p->eirfplr[2] * plr_run * plr_run;
    double eirft = dcs_chiller_biquadratic(p->eirft, x, y);
    r->power_w = r->capacity_w / p->cop_ref * eirft * eirfplr * r->cycling;
    r->cop = r->power_w > 0.0 ? r->load_met_w / r->power_w : 0.0;
    r->condenser_w = r->load_met_w + r->power_w;
}
