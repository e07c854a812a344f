/*
 * accel.c - accelerator power, clock under a power cap, and slowdown.
 *
 *   P(u, c)  = P_idle + (P_max - P_idle) * u * c^alpha           [W]
 *   cap:       c = ((P_cap - P_idle) / ((P_max - P_idle) u))^(1/alpha),
 *              clamped to [c_min, 1]
 *   slowdown:  T(c) / T(1) = (1 - m) / c + m
 * u: utilisation as the fraction of the dynamic power range in use at full
 * clock (memory-bound phases draw less: an H200 decoding draws 137-300 W of
 * its 700 W, FACTS.md section 2, i.e. u ~ 0.1-0.4); m: fraction of time
 * bound by memory bandwidth, which a lower core clock barely changes.
 * alpha = 3 [assumption]: dynamic power ~ f V^2 with V roughly proportional
 * to f in the DVFS range.  With it, capping a V100-like GPU (idle 40 W
 * [assumption]) from 250 to 175 W at full load gives c = (135/210)^(1/3) =
 * 0.863; work 60 % memory-bound then takes 1 + 0.4 * (1/0.863 - 1) = 1.064x
 * as long, near the 6-7 % latency cost reported for LLaMA-65B inference
 * under that cap (Samsi et al., HPEC 2023, FACTS.md section 2 [S]).
 * c_min = 0.5 [assumption]: below about half clock GPUs stop scaling down.
 * Left out: voltage floors (P flatter than c^3 at low clocks), temperature
 * dependence of leakage, memory clock scaling.
 */
#include "dcsim/accel.h"

#include <math.h>
#include <string.h>

void dcs_accel_defaults(dcs_accel_params *p)
{
    memset(p, 0, sizeof *p);
    p->idle_w = 70.0;               /* [assumption] FACTS.md 1: typical 60-100 W [U] */
    p->max_w = 700.0;               /* FACTS.md 1 [V] huggingface.co/hardware/h100 */
    p->peak_flops = 989e12;         /* dense BF16, NVIDIA H100 data sheet [U] */
    p->mem_bw_bytes_s = 3.35e12;    /* NVIDIA H100 SXM data sheet [U] */
    p->mem_bytes = 80e9;            /* NVIDIA H100 SXM data sheet [U] */
    p->dvfs_exponent = 3.0;
    p->clock_min = 0.5;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

double dcs_accel_power_w(const dcs_accel_params *p, double util, double clock)
{
    double u = clamp(util, 0.0, 1.0);
    double c = clamp(clock, p->clock_min, 1.0);
    return p->idle_w + (p->max_w - p->idle_w) * u * pow(c, p->dvfs_exponent);
}

double dcs_accel_clock_for_cap(const dcs_accel_params *p, double util, double cap_w)
{
    double dyn = (p->max_w - p->idle_w) * clamp(util, 0.0, 1.0);
    if (dyn <= 0.0 || p->idle_w + dyn <= cap_w)
        return 1.0;
    if (cap_w <= p->idle_w)
        return p->clock_min;
    return clamp(pow((cap_w - p->idle_w) / dyn, 1.0 / p->dvfs_exponent), p->clock_min, 1.0);
}

double dcs_accel_slowdown(double clock, double mem_bound)
{
    double m = clamp(mem_bound, 0.0, 1.0);
    return (1.0 - m) / clock + m;
}
