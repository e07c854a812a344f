/*
 * genmix.c - generation-mix model of a grid region (equations in genmix.h).
 *
 * Sources of the numbers:
 *  - life-cycle factors (gCO2eq/kWh): IPCC AR5 WG3 Annex III (2014) medians
 *    as used by Electricity Maps: coal 820, gas 490, biomass 230, solar 45,
 *    geothermal 38, hydro 24, nuclear 12, wind 11; oil 650 (UK POST);
 *    unknown 700; direct: coal 760, gas 370, oil 406 (FACTS.md 5).
 *  - solar declination: Cooper, "The absorption of radiation in solar
 *    stills", Solar Energy 12 (1969).
 *  - default mix (dcs_genmix_defaults): PJM 2022 shares from the EIA-930
 *    file summary in data/carbon_intensity/eia_genmix_2022/SOURCE.md (NG 40,
 *    NUC 32, COL 20, WND 4 %, mean generation 96 GW, computed by the realdata
 *    test); capacities, wind and cloud parameters are illustrative
 *    assumptions [U], chosen so the shares come out near those numbers.
 * Simplifications: dispatch is a pure merit order with no ramp limits,
 * start-up costs, reserves, transmission or storage; must-run units are flat.
 */
#include "dcsim/genmix.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "dcsim/hourly.h"

/* C17 without POSIX extensions has no M_PI. */
static const double PI = 3.14159265358979323846;

static const struct {
    const char *name;
    double lca_g_per_kwh, direct_g_per_kwh;
} sources[DCS_SRC_COUNT] = {
    [DCS_SRC_COAL] = {"coal", 820, 760},
    [DCS_SRC_GAS] = {"gas", 490, 370},
    [DCS_SRC_OIL] = {"oil", 650, 406},
    [DCS_SRC_BIOMASS] = {"biomass", 230, 0},
    [DCS_SRC_NUCLEAR] = {"nuclear", 12, 0},
    [DCS_SRC_HYDRO] = {"hydro", 24, 0},
    [DCS_SRC_GEOTHERMAL] = {"geothermal", 38, 0},
    [DCS_SRC_WIND] = {"wind", 11, 0},
    [DCS_SRC_SOLAR] = {"solar", 45, 0},
    [DCS_SRC_UNKNOWN] = {"unknown", 700, 0},
};

const char *dcs_source_name(dcs_source s)
{
    return (unsigned)s < DCS_SRC_COUNT ? sources[s].name : NULL;
}

dcs_source dcs_source_by_name(const char *name)
{
    for (int i = 0; i < DCS_SRC_COUNT; i++)
        if (strcmp(name, sources[i].name) == 0)
            return (dcs_source)i;
    return DCS_SRC_COUNT;
}

double dcs_source_lca_kg_per_j(dcs_source s)
{
    return sources[s].lca_g_per_kwh * DCS_G_PER_KWH;
}

double dcs_source_direct_kg_per_j(dcs_source s)
{
    return sources[s].direct_g_per_kwh * DCS_G_PER_KWH;
}

dcs_genmix_params dcs_genmix_defaults(void)
{
    return (dcs_genmix_params){
        .demand_mean_w = 96e9,          /* PJM 2022 mean generation, EIA-930 */
        .demand_amplitude = 0.15,       /* [U] */
        .demand_peak_hour = 18.0,       /* [U] evening peak */
        .latitude_deg = 39.0, .longitude_deg = -77.5,    /* Ashburn, Virginia */
        .solar_capacity_w = 4e9,        /* [U] ~1 % of energy */
        .solar_clear_sky_fraction = 0.7, .solar_cloud_sigma = 0.4, .solar_cloud_phi = 0.8, /* [U] */
        .wind_capacity_w = 12e9,        /* [U] ~4 % of energy at ~0.3 CF */
        .wind_scale_m_s = 7.5, .wind_shape = 2.0, .wind_phi = 0.9,  /* [U] Rayleigh-like */
        .wind_cut_in_m_s = 3.0, .wind_rated_m_s = 12.0, .wind_cut_out_m_s = 25.0, /* [U] */
        .must_run = {{DCS_SRC_NUCLEAR, 31e9}, {DCS_SRC_HYDRO, 2e9}},   /* 32 %, ~2 % */
        .n_must_run = 2,
        .merit = {{DCS_SRC_COAL, 20e9}, {DCS_SRC_GAS, 60e9}, {DCS_SRC_OIL, 5e9}}, /* [U] */
        .n_merit = 3,
    };
}

static void range(dcs_diag *d, dcs_loc loc, const char *name, double v, double lo, double hi,
                  dcs_status *st)
{
    if (!(v >= lo && v <= hi)) {
        dcs_diag_error(d, loc, "%s = %g is out of range [%g, %g]", name, v, lo, hi);
        *st = DCS_ERANGE;
    }
}

dcs_status dcs_genmix_check(const dcs_genmix_params *p, dcs_diag *d, dcs_loc loc)
{
    dcs_status st = DCS_OK;
    range(d, loc, "demand_mean_w", p->demand_mean_w, 0, 1e13, &st);
    range(d, loc, "demand_amplitude", p->demand_amplitude, 0, 1, &st);
    range(d, loc, "demand_peak_hour", p->demand_peak_hour, 0, 24, &st);
    range(d, loc, "latitude_deg", p->latitude_deg, -90, 90, &st);
    range(d, loc, "longitude_deg", p->longitude_deg, -180, 180, &st);
    range(d, loc, "solar_capacity_w", p->solar_capacity_w, 0, 1e13, &st);
    range(d, loc, "solar_clear_sky_fraction", p->solar_clear_sky_fraction, 0, 1, &st);
    range(d, loc, "solar_cloud_sigma", p->solar_cloud_sigma, 0, 3, &st);
    range(d, loc, "solar_cloud_phi", p->solar_cloud_phi, 0, 0.999, &st);
    range(d, loc, "wind_capacity_w", p->wind_capacity_w, 0, 1e13, &st);
    range(d, loc, "wind_scale_m_s", p->wind_scale_m_s, 0.1, 50, &st);
    range(d, loc, "wind_shape", p->wind_shape, 0.5, 10, &st);
    range(d, loc, "wind_phi", p->wind_phi, 0, 0.999, &st);
    range(d, loc, "wind_cut_in_m_s", p->wind_cut_in_m_s, 0, p->wind_rated_m_s - 0.1, &st);
    range(d, loc, "wind_rated_m_s", p->wind_rated_m_s, p->wind_cut_in_m_s + 0.1,
          p->wind_cut_out_m_s, &st);
    range(d, loc, "n_must_run", p->n_must_run, 0, DCS_GENMIX_MAX_UNITS, &st);
    range(d, loc, "n_merit", p->n_merit, 0, DCS_GENMIX_MAX_UNITS, &st);
    for (int i = 0; i < p->n_must_run && i < DCS_GENMIX_MAX_UNITS; i++)
        range(d, loc, "must_run capacity_w", p->must_run[i].capacity_w, 0, 1e13, &st);
    for (int i = 0; i < p->n_merit && i < DCS_GENMIX_MAX_UNITS; i++)
        range(d, loc, "merit capacity_w", p->merit[i].capacity_w, 0, 1e13, &st);
    return st;
}

double dcs_solar_sin_elevation(double lat_deg, double lon_deg, int doy, double hour_utc)
{
    const double deg = PI / 180.0;
    double decl = 23.44 * deg * sin(2.0 * PI * (284.0 + doy) / 365.0);
    double solar_hour = hour_utc + lon_deg / 15.0;
    double omega = 15.0 * deg * (solar_hour - 12.0);
    return sin(lat_deg * deg) * sin(decl) + cos(lat_deg * deg) * cos(decl) * cos(omega);
}

double dcs_wind_power_fraction(const dcs_genmix_params *p, double v)
{
    if (!(v >= p->wind_cut_in_m_s) || v >= p->wind_cut_out_m_s)
        return 0.0;
    if (v >= p->wind_rated_m_s)
        return 1.0;
    double ci3 = pow(p->wind_cut_in_m_s, 3), r3 = pow(p->wind_rated_m_s, 3);
    return (v * v * v - ci3) / (r3 - ci3);
}

void dcs_genmix_dispatch(const dcs_genmix_params *p, double demand_w,
                         double solar_avail_w, double wind_avail_w, dcs_genmix_hour *out)
{
    memset(out, 0, sizeof *out);
    out->demand_w = demand_w;
    out->solar_avail_w = solar_avail_w;
    out->wind_avail_w = wind_avail_w;
    double mr = 0.0;
    for (int i = 0; i < p->n_must_run; i++)
        mr += p->must_run[i].capacity_w;
    double var = solar_avail_w + wind_avail_w;
    if (var + mr > demand_w) {
        /* Surplus: variable output is curtailed first (in proportion), then
         * must-run units are turned down in proportion if still too much. */
        double take_var = demand_w > mr ? demand_w - mr : 0.0;
        double kv = take_var / var;
        double km = mr > demand_w ? (mr > 0 ? demand_w / mr : 0.0) : 1.0;
        out->gen_w[DCS_SRC_SOLAR] = solar_avail_w * kv;
        out->gen_w[DCS_SRC_WIND] = wind_avail_w * kv;
        out->curtailed_w = var - take_var;
        for (int i = 0; i < p->n_must_run; i++)
            out->gen_w[p->must_run[i].source] += p->must_run[i].capacity_w * km;
        /* One more watt would be met by curtailed renewables. */
        out->marginal = wind_avail_w >= solar_avail_w ? DCS_SRC_WIND : DCS_SRC_SOLAR;
        out->marginal_kg_per_j = (solar_avail_w * dcs_source_lca_kg_per_j(DCS_SRC_SOLAR) +
                                  wind_avail_w * dcs_source_lca_kg_per_j(DCS_SRC_WIND)) / var;
    } else {
        out->gen_w[DCS_SRC_SOLAR] = solar_avail_w;
        out->gen_w[DCS_SRC_WIND] = wind_avail_w;
        for (int i = 0; i < p->n_must_run; i++)
            out->gen_w[p->must_run[i].source] += p->must_run[i].capacity_w;
        double residual = demand_w - var - mr;
        out->marginal = DCS_SRC_UNKNOWN;
        bool found = false;
        for (int i = 0; i < p->n_merit; i++) {
            double take = residual < p->merit[i].capacity_w ? residual : p->merit[i].capacity_w;
            out->gen_w[p->merit[i].source] += take;
            residual -= take;
            /* The marginal unit is the first one with spare capacity. */
            if (!found && take < p->merit[i].capacity_w) {
                out->marginal = p->merit[i].source;
                found = true;
            }
        }
        /* Demand beyond every unit is met by imports of unknown origin. */
        out->gen_w[DCS_SRC_UNKNOWN] += residual;
        out->marginal_kg_per_j = dcs_source_lca_kg_per_j(out->marginal);
    }
    double total = 0.0, kg = 0.0;
    for (int s = 0; s < DCS_SRC_COUNT; s++) {
        total += out->gen_w[s];
        kg += out->gen_w[s] * dcs_source_lca_kg_per_j((dcs_source)s);
    }
    out->avg_kg_per_j = total > 0 ? kg / total : 0.0;
}

void dcs_genmix_state_init(dcs_genmix_state *s, gsl_rng *rng)
{
    s->cloud_z = gsl_ran_gaussian(rng, 1.0);
    s->wind_z = gsl_ran_gaussian(rng, 1.0);
}

/* z_t = phi z_{t-1} + sqrt(1 - phi^2) eps keeps z standard normal. */
static double ar1(double z, double phi, gsl_rng *rng)
{
    return phi * z + sqrt(1.0 - phi * phi) * gsl_ran_gaussian(rng, 1.0);
}

void dcs_genmix_step(const dcs_genmix_params *p, dcs_genmix_state *s, gsl_rng *rng,
                     int doy, double hour_utc, dcs_genmix_hour *out)
{
    s->cloud_z = ar1(s->cloud_z, p->solar_cloud_phi, rng);
    s->wind_z = ar1(s->wind_z, p->wind_phi, rng);
    double sig = p->solar_cloud_sigma;
    double clear = p->solar_clear_sky_fraction * exp(sig * s->cloud_z - 0.5 * sig * sig);
    clear = clear < 0 ? 0 : clear > 1 ? 1 : clear;
    double sin_el = dcs_solar_sin_elevation(p->latitude_deg, p->longitude_deg, doy, hour_utc);
    double solar = p->solar_capacity_w * (sin_el > 0 ? sin_el : 0.0) * clear;
    /* Map the normal to a Weibull speed through its probability; keep the
     * probability inside (0, 1) so the quantile stays finite. */
    double u = gsl_cdf_ugaussian_P(s->wind_z);
    u = u < 1e-12 ? 1e-12 : u > 1 - 1e-12 ? 1 - 1e-12 : u;
    double v = gsl_cdf_weibull_Pinv(u, p->wind_scale_m_s, p->wind_shape);
    double wind = p->wind_capacity_w * dcs_wind_power_fraction(p, v);
    double solar_hour = hour_utc + p->longitude_deg / 15.0;
    double demand = p->demand_mean_w *
        (1.0 + p->demand_amplitude * cos(2.0 * PI * (solar_hour - p->demand_peak_hour) / 24.0));
    dcs_genmix_dispatch(p, demand, solar, wind, out);
}

void dcs_genmix_series(const dcs_genmix_params *p, gsl_rng *rng, int64_t start_utc_s,
                       size_t n, dcs_genmix_out *out)
{
    dcs_genmix_state s;
    dcs_genmix_state_init(&s, rng);
    for (size_t i = 0; i < n; i++) {
        int hour, doy;
        dcs_utc_s_to_civil(start_utc_s + (int64_t)i * 3600, NULL, NULL, NULL, &hour, &doy, NULL);
        dcs_genmix_hour h;
        dcs_genmix_step(p, &s, rng, doy, hour, &h);
        if (out->avg_kg_per_j)
            out->avg_kg_per_j[i] = h.avg_kg_per_j;
        if (out->marginal_kg_per_j)
            out->marginal_kg_per_j[i] = h.marginal_kg_per_j;
        /* Availability before curtailment: what a contracted plant of the
         * same kind would produce. */
        if (out->solar_cf)
            out->solar_cf[i] = p->solar_capacity_w > 0 ? h.solar_avail_w / p->solar_capacity_w : 0.0;
        if (out->wind_cf)
            out->wind_cf[i] = p->wind_capacity_w > 0 ? h.wind_avail_w / p->wind_capacity_w : 0.0;
    }
}
