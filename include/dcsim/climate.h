/*
 * climate.h - outdoor conditions: the ambient record, monthly normals and a
 * synthetic hourly climate.
 *
 * Normals are derived from parsed EPW hours (dcs_climate_normals_from_epw),
 * so the catalog scenarios/catalog/climates.yaml is traceable to its files.
 * The synthetic climate interpolates monthly means linearly between
 * mid-month days, adds a cosine diurnal cycle (maximum at peak_hour local
 * time, minimum 12 h earlier, amplitude half the month's mean diurnal range) and
 * AR(1) anomalies (drawn from a caller-owned gsl_rng) on dry-bulb and dew
 * point; wet-bulb follows psychrometrically.
 */
#ifndef DCSIM_CLIMATE_H
#define DCSIM_CLIMATE_H

#include <gsl/gsl_rng.h>

#include "dcsim/diag.h"

/* One hour of outdoor air. */
typedef struct dcs_ambient {
    double dry_bulb_c;
    double dew_point_c;
    double wet_bulb_c;
    double rh;            /* 0..1 */
    double pressure_pa;
} dcs_ambient;

typedef struct dcs_climate_normals {
    double dry_bulb_mean_c[12];   /* monthly mean dry-bulb */
    double diurnal_range_k[12];   /* monthly mean of (daily max - daily min) */
    double dew_point_mean_c[12];  /* monthly mean dew point */
    double pressure_pa;           /* annual mean station pressure */
    double latitude_deg;
    /* Local standard time minus UTC, hours (the EPW LOCATION time zone):
     * the diurnal cycle peaks at peak_hour of local time, so a run on the
     * UTC clock asks for hour_of_year shifted by this (0 = UTC). */
    int utc_offset_h;
    /* Weather around the mean cycle, per month (0 = unknown: the synthetic
     * defaults apply): RMS of hourly dry-bulb and dew point minus
     * dcs_climate_mean_hour; and the lag-1 autocorrelation of the dry-bulb
     * residual over the year. */
    double dry_bulb_noise_sd_k[12];
    double dew_point_noise_sd_k[12];
    double noise_phi;
} dcs_climate_normals;

typedef struct dcs_climate_synth_params {
    double noise_sd_k[12];     /* standard deviation of the dry-bulb anomaly, per month */
    double dew_noise_sd_k[12]; /* same for the dew-point anomaly */
    double noise_phi;          /* hour-to-hour AR(1) coefficient (0..1) */
    double peak_hour;          /* hour of the diurnal maximum (0..24) */
} dcs_climate_synth_params;

/* The AR(1) state is a unit-variance anomaly; each hour scales it by the
 * month's (interpolated) standard deviation, so the noise follows the
 * seasons without jumps. */

typedef struct dcs_climate_synth_state {
    double db_z;   /* dry-bulb anomaly in standard deviations */
    double dp_z;   /* dew-point anomaly in standard deviations */
} dcs_climate_synth_state;

struct dcs_epw;

/* Monthly normals from parsed EPW hours: means over each month's hours, the
 * diurnal range as the mean over the month's days of (max - min) dry-bulb,
 * pressure as the annual mean, and the noise statistics of the hours around
 * the mean cycle (rows taken as consecutive hours from 1 January).
 * DCS_EINPUT if some month has no hours. */
dcs_status dcs_climate_normals_from_epw(const struct dcs_epw *epw, dcs_climate_normals *out);

/* Defaults (see climate.c for their basis). */
void dcs_climate_synth_defaults(dcs_climate_synth_params *p);

/* Defaults, with the noise statistics of n where it has them (> 0). */
void dcs_climate_synth_params_for(const dcs_climate_normals *n, dcs_climate_synth_params *p);

/* Start state: zero anomalies. */
void dcs_climate_synth_init(dcs_climate_synth_state *s);

/* Ambient for hour hour_of_year of local standard time (0 = 1 Jan
 * 00:00-01:00 local, 0..8759; larger values wrap; a caller on the UTC clock
 * adds n->utc_offset_h), advancing the AR(1) anomalies by one hour with rng (which
 * the caller owns).  Call once per hour in order. */
void dcs_climate_synth_hour(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                            dcs_climate_synth_state *s, gsl_rng *rng, int hour_of_year,
                            dcs_ambient *out);

/* The deterministic part: interpolated mean plus diurnal cycle, no noise. */
void dcs_climate_mean_hour(const dcs_climate_normals *n, const dcs_climate_synth_params *p,
                           int hour_of_year, dcs_ambient *out);

#endif
