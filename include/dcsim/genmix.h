/*
 * genmix.h - generation-mix model of a grid region: hourly supply by source,
 * average and marginal carbon intensity.
 *
 * Each hour: demand D (W) follows a diurnal cosine; solar PV and wind are
 * variable and come first (zero marginal cost); must-run units (nuclear,
 * hydro baseload) next; then dispatchable units fill the residual in merit
 * order, each up to its capacity.  Residual demand beyond all capacity is
 * served by "unknown" imports.  If variable plus must-run supply exceeds D,
 * solar and wind are curtailed in proportion.
 *   average intensity = sum_s G_s f_s / sum_s G_s
 *   marginal intensity = f of the unit that would serve one more watt: the
 *     last dispatchable unit with spare capacity in merit order, or the
 *     curtailed variable renewables (generation-weighted f) when curtailing.
 * f_s are IPCC AR5 WG3 Annex III life-cycle medians (FACTS.md 5).
 *
 * Solar: declination delta = 23.44 deg sin(2 pi (284 + n) / 365) (Cooper
 * 1969), hour angle omega = 15 deg (solar hour - 12), solar hour = UTC hour +
 * longitude / 15; sin(elevation) = sin(lat) sin(delta) + cos(lat) cos(delta)
 * cos(omega).  PV output = capacity x max(0, sin elevation) x clearness,
 * clearness = clear_sky_fraction x exp(sigma z_c - sigma^2/2) clipped to
 * [0, 1], z_c an AR(1) standard normal (cloudiness persistence).
 * Wind: z_w an AR(1) standard normal, speed v = Weibull^-1(Phi(z_w); scale,
 * shape), output from a turbine power curve (cubic from cut-in to rated,
 * flat to cut-out).  Left out: equation of time, air mass and panel tilt,
 * transmission, unit commitment and ramp limits, prices.
 */
#ifndef DCSIM_GENMIX_H
#define DCSIM_GENMIX_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "dcsim/diag.h"

typedef enum {
    DCS_SRC_COAL, DCS_SRC_GAS, DCS_SRC_OIL, DCS_SRC_BIOMASS,
    DCS_SRC_NUCLEAR, DCS_SRC_HYDRO, DCS_SRC_GEOTHERMAL,
    DCS_SRC_WIND, DCS_SRC_SOLAR, DCS_SRC_UNKNOWN,
    DCS_SRC_COUNT
} dcs_source;

/* Lower-case name ("coal", "gas", ...); NULL for an invalid value. */
const char *dcs_source_name(dcs_source s);
/* Source by name; returns DCS_SRC_COUNT if unknown. */
dcs_source dcs_source_by_name(const char *name);
/* Life-cycle factor in kg CO2eq per J (AR5 medians; solar 45 and unknown
 * 700 as in Electricity Maps, oil 650 from UK POST; FACTS.md 5). */
double dcs_source_lca_kg_per_j(dcs_source s);
/* Direct (combustion) factor in kg CO2eq per J: coal 760, gas 370, oil 406
 * gCO2eq/kWh, 0 for the others (FACTS.md 5). */
double dcs_source_direct_kg_per_j(dcs_source s);

#define DCS_GENMIX_MAX_UNITS 8

typedef struct dcs_genmix_unit {
    dcs_source source;
    double capacity_w;
} dcs_genmix_unit;

typedef struct dcs_genmix_params {
    double demand_mean_w;          /* mean demand */
    double demand_amplitude;       /* diurnal swing as a fraction of the mean */
    double demand_peak_hour;       /* local solar hour of peak demand */
    double latitude_deg, longitude_deg;
    double solar_capacity_w;
    double solar_clear_sky_fraction; /* mean clearness (incl. PV losses) 0..1 */
    double solar_cloud_sigma;      /* log-normal spread of clearness */
    double solar_cloud_phi;        /* hour-to-hour AR(1) coefficient */
    double wind_capacity_w;
    double wind_scale_m_s, wind_shape; /* Weibull speed distribution */
    double wind_phi;               /* hour-to-hour AR(1) coefficient */
    double wind_cut_in_m_s, wind_rated_m_s, wind_cut_out_m_s;
    dcs_genmix_unit must_run[DCS_GENMIX_MAX_UNITS];
    int n_must_run;
    dcs_genmix_unit merit[DCS_GENMIX_MAX_UNITS]; /* cheapest first */
    int n_merit;
} dcs_genmix_params;

/* One hour's outcome. */
typedef struct dcs_genmix_hour {
    double demand_w;
    double gen_w[DCS_SRC_COUNT];   /* dispatched generation by source */
    double solar_avail_w, wind_avail_w; /* variable output available */
    double curtailed_w;            /* variable renewables not taken */
    double avg_kg_per_j;           /* average life-cycle intensity */
    double marginal_kg_per_j;      /* life-cycle factor of the marginal unit */
    dcs_source marginal;           /* marginal source (WIND when curtailing) */
} dcs_genmix_hour;

/* AR(1) state carried from hour to hour. */
typedef struct dcs_genmix_state {
    double cloud_z, wind_z;
} dcs_genmix_state;

/* A PJM-like default mix (illustrative, see genmix.c for sources). */
dcs_genmix_params dcs_genmix_defaults(void);
/* Check ranges; reports each bad field through d with loc; returns
 * DCS_OK or DCS_ERANGE. */
dcs_status dcs_genmix_check(const dcs_genmix_params *p, dcs_diag *d, dcs_loc loc);

/* sin of the solar elevation at day of year doy (1-366), UTC hour hour_utc
 * (fractional), latitude and longitude in degrees. */
double dcs_solar_sin_elevation(double lat_deg, double lon_deg, int doy, double hour_utc);
/* Wind turbine output as a fraction of rating at speed v (m/s). */
double dcs_wind_power_fraction(const dcs_genmix_params *p, double v_m_s);

/* Dispatch one hour given demand and available variable output (W); pure. */
void dcs_genmix_dispatch(const dcs_genmix_params *p, double demand_w,
                         double solar_avail_w, double wind_avail_w,
                         dcs_genmix_hour *out);

/* Start the AR(1) state from its stationary distribution. */
void dcs_genmix_state_init(dcs_genmix_state *s, gsl_rng *rng);
/* Advance one hour (draws two normals from rng) and dispatch hour
 * hour_utc of day doy.  Same rng seed, same sequence. */
void dcs_genmix_step(const dcs_genmix_params *p, dcs_genmix_state *s, gsl_rng *rng,
                     int doy, double hour_utc, dcs_genmix_hour *out);

/* Optional outputs of dcs_genmix_series, each n values or NULL. */
typedef struct dcs_genmix_out {
    double *avg_kg_per_j;       /* average life-cycle intensity */
    double *marginal_kg_per_j;  /* marginal unit's life-cycle factor */
    double *solar_cf;           /* available solar / solar capacity (0 if none) */
    double *wind_cf;            /* available wind / wind capacity (0 if none) */
} dcs_genmix_out;

/* Run n hours from UTC epoch second start_utc_s (a whole hour), starting
 * the AR(1) state from rng, and fill the requested outputs.  The solar and
 * wind capacity factors are the profiles a PPA or on-site plant at this
 * place would follow (before curtailment). */
void dcs_genmix_series(const dcs_genmix_params *p, gsl_rng *rng, int64_t start_utc_s,
                       size_t n, dcs_genmix_out *out);

#endif
