/*
 * accel.h - accelerator power and speed as functions of utilisation, clock
 * and power cap.
 *
 * P = P_idle + (P_max - P_idle) * u * c^alpha, with u the utilisation
 * (fraction of the dynamic power range in use at full clock) and c the clock
 * ratio (f / f_max).  alpha = 3 assumes dynamic power f*V^2 with voltage
 * scaling in proportion to frequency (the usual DVFS idealisation; an
 * [assumption], real curves are flatter at low clocks).  A power cap picks
 * the highest clock meeting the cap.  A job whose time is a fraction m
 * memory-bound and 1-m compute-bound takes (1-m)/c + m of its uncapped time.
 */
#ifndef DCSIM_ACCEL_H
#define DCSIM_ACCEL_H

typedef struct dcs_accel_params {
    double idle_w;             /* powered, no work */
    double max_w;              /* board power limit (TDP) */
    double peak_flops;         /* dense BF16, FLOP/s */
    double mem_bw_bytes_s;     /* HBM bandwidth, bytes/s */
    double mem_bytes;          /* HBM capacity, bytes */
    double dvfs_exponent;      /* alpha */
    double clock_min;          /* lowest clock ratio */
} dcs_accel_params;

/* H100-SXM defaults (FACTS.md section 1; the catalog holds the others). */
void dcs_accel_defaults(dcs_accel_params *p);

/* Power (W) at utilisation util (0..1) and clock ratio clock (clock_min..1,
 * clamped). */
double dcs_accel_power_w(const dcs_accel_params *p, double util, double clock);

/* Highest clock ratio (clock_min..1) at which power at util stays <= cap_w;
 * clock_min when even that exceeds the cap. */
double dcs_accel_clock_for_cap(const dcs_accel_params *p, double util, double cap_w);

/* Time factor (>= 1) of work at clock ratio clock with a fraction
 * mem_bound (0..1) of its time bound by memory bandwidth. */
double dcs_accel_slowdown(double clock, double mem_bound);

#endif
