/*
 * power.h - node, rack and site electrical power.
 *
 * Node power = GPUs + CPUs + memory + NICs + other + fans (fans by the
 * affinity laws, speed following the node's heat), all [assumption] values
 * checked against the DGX H100 envelope of FACTS.md section 1.  Electrical
 * distribution (UPS, PDU, transformers) loses
 *   L = P_rated (a + b x + c x^2),  x = P_out / P_rated
 * (no-load, proportional and resistive terms: the usual loss model of UPS
 * efficiency curves).  Rack and site limits scale the IT demand down.
 */
#ifndef DCSIM_POWER_H
#define DCSIM_POWER_H

#include "dcsim/accel.h"

typedef struct dcs_node_params {
    int gpus;
    dcs_accel_params gpu;
    double cpu_idle_w, cpu_max_w;   /* all CPU sockets together */
    double memory_w;                /* DRAM */
    double nic_w;                   /* all NICs */
    double other_w;                 /* storage, board, BMC */
    double fan_max_w;               /* server fans at full speed (0 for liquid/immersion) */
    double fan_min_speed;
    double psu_efficiency;          /* AC in to DC out */
} dcs_node_params;

typedef struct dcs_distribution_params {
    double rated_w;     /* UPS / distribution rating */
    double loss_a;      /* no-load loss / rated */
    double loss_b;      /* proportional loss coefficient */
    double loss_c;      /* resistive loss coefficient */
} dcs_distribution_params;

/* DGX-H100-like node: 8 GPUs of *gpu (copied), dual CPU, [assumption]s. */
void dcs_node_defaults(dcs_node_params *p, const dcs_accel_params *gpu);

/* Node AC input power (W) with every GPU at util and clock and CPUs at
 * cpu_util (0..1). */
double dcs_node_power_w(const dcs_node_params *p, double util, double clock, double cpu_util);

/* Distribution with rated power rated_w and [assumption] loss coefficients
 * giving ~94 % at 25 % load and ~96 % at full load. */
void dcs_distribution_defaults(dcs_distribution_params *p, double rated_w);

/* Distribution loss (W) delivering it_w (W >= 0). */
double dcs_distribution_loss_w(const dcs_distribution_params *p, double it_w);

/* Efficiency it_w / (it_w + loss), 0 at it_w = 0. */
double dcs_distribution_efficiency(const dcs_distribution_params *p, double it_w);

/* Scale factor (0..1) bringing demand_w under limit_w (1 if no limit: limit_w
 * <= 0 means unlimited). */
double dcs_power_limit_scale(double limit_w, double demand_w);

/* Peak tracking: returns max(peak_w, p_w). */
double dcs_power_peak_w(double peak_w, double p_w);

#endif
