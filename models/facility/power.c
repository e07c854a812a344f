/*
 * power.c - node power, electrical distribution losses, limits and peaks.
 *
 * Node (AC input):
 *   P_dc  = n_gpu P_gpu(u, c) + P_cpu,idle + (P_cpu,max - P_cpu,idle) u_cpu
 *           + P_mem + P_nic + P_other + P_fan
 *   P_fan = affinity(P_fan,max, speed), speed = heat / max heat of the node
 *           without fans (fans follow the heat they remove)
 *   P_ac  = P_dc / eta_psu
 * Defaults, a DGX-H100-like node; each [assumption] chosen so the node's
 * envelope matches FACTS.md section 1 (DGX H100: 10.2 kW max input,
 * 6.5-8.5 kW typical [S]):
 *   2 CPUs 150 W idle / 700 W max together [assumption; two 350 W TDP
 *   server CPUs]; DRAM 300 W (2 TB of DDR5) [assumption]; NICs 350 W (eight
 *   400G adapters and two DPUs) [assumption]; other 600 W (NVLink
 *   switches, storage, board) [assumption]; fans 1,200 W at full speed,
 *   30 % minimum speed [assumption]; PSU efficiency 95 % (Azure GreenSKU
 *   defaults, FACTS.md section 3 [V]).
 *   Max: 8*700 + 700 + 300 + 350 + 600 + 1200 = 8,750 W DC = 9,211 W AC.
 * Distribution (UPS, PDUs, transformers), x = P_out / P_rated:
 *   loss = P_rated (a + b x + c x^2), a = 0.01, b = 0.02, c = 0.01
 *   [assumption: a typical double-conversion UPS curve, ~94 % at 25 % load,
 *   ~96 % at full load].
 * Left out: power factor, UPS eco-mode, redundancy (2N) splitting load over
 * two UPS at half their load, lighting and office loads.
 */
#include "dcsim/power.h"

#include <math.h>
#include <string.h>

#include "dcsim/affinity.h"

void dcs_node_defaults(dcs_node_params *p, const dcs_accel_params *gpu)
{
    memset(p, 0, sizeof *p);
    p->gpus = 8;
    p->gpu = *gpu;
    p->cpu_idle_w = 150.0;
    p->cpu_max_w = 700.0;
    p->memory_w = 300.0;
    p->nic_w = 350.0;
    p->other_w = 600.0;
    p->fan_max_w = 1200.0;
    p->fan_min_speed = 0.3;
    p->psu_efficiency = 0.95;
}

double dcs_node_power_w(const dcs_node_params *p, double util, double clock, double cpu_util)
{
    double u_cpu = cpu_util < 0.0 ? 0.0 : (cpu_util > 1.0 ? 1.0 : cpu_util);
    double fixed = p->memory_w + p->nic_w + p->other_w;
    double heat = p->gpus * dcs_accel_power_w(&p->gpu, util, clock)
                + p->cpu_idle_w + (p->cpu_max_w - p->cpu_idle_w) * u_cpu + fixed;
    double heat_max = p->gpus * p->gpu.max_w + p->cpu_max_w + fixed;
    double fan = p->fan_max_w > 0.0
        ? dcs_affinity_power_w(p->fan_max_w, fmax(heat / heat_max, p->fan_min_speed),
                               p->fan_min_speed)
        : 0.0;
    return (heat + fan) / p->psu_efficiency;
}

void dcs_distribution_defaults(dcs_distribution_params *p, double rated_w)
{
    p->rated_w = rated_w;
    p->loss_a = 0.01;
    p->loss_b = 0.02;
    p->loss_c = 0.01;
}

double dcs_distribution_loss_w(const dcs_distribution_params *p, double it_w)
{
    double x = it_w > 0.0 ? it_w / p->rated_w : 0.0;
    return p->rated_w * (p->loss_a + p->loss_b * x + p->loss_c * x * x);
}

double dcs_distribution_efficiency(const dcs_distribution_params *p, double it_w)
{
    if (!(it_w > 0.0))
        return 0.0;
    return it_w / (it_w + dcs_distribution_loss_w(p, it_w));
}

double dcs_power_limit_scale(double limit_w, double demand_w)
{
    if (limit_w <= 0.0 || demand_w <= limit_w)
        return 1.0;
    return limit_w / demand_w;
}

double dcs_power_peak_w(double peak_w, double p_w)
{
    return p_w > peak_w ? p_w : peak_w;
}
