/*
 * serving_cost.c - the cost (time and power) of one LLM serving iteration.
 *
 * One forward pass over T tokens (prefill chunks plus one decode token per
 * running request) on a replica of g GPUs at clock factor f:
 *   compute_s = 2 * N_active * T / (F_peak * eta_c * g * f)                 [s]
 *     (2 FLOP per parameter per token for the matmuls; Kaplan et al. 2020,
 *      "Scaling laws for neural language models", sec. 2.1)
 *   memory_s  = (N * b_w + K * b_kv) / (B_mem * eta_m * g) / (1 - s (1 - f))
 *     (every weight and the KV cache of the batch are read once per pass)
 *   time_s    = max(compute_s, memory_s) + overhead
 * N params, b_w bytes per weight, K KV-cache tokens read, b_kv bytes per
 * token = layers * 2 (K and V) * kv_dim * bytes per element.
 *
 * Power per GPU, with u_c = compute_s / time_s and u_m = memory_s / time_s:
 *   P = P_idle + (P_max - P_idle) * min(1, max(a_c u_c f^x, a_m u_m))
 * a_c = 1: prefill ("prompt") is compute-bound and draws near-peak power
 * (Patel et al., Splitwise, ISCA 2024; FACTS.md 2).  a_m = 0.3: decode is
 * memory-bound and an H200 draws 137-300 W of its 700 W in decode (Ma et
 * al., arXiv 2605.11999, 2026; FACTS.md 2), i.e. 0.11-0.37 of (max - idle)
 * with a 70 W idle.  x = 3: dynamic power ~ f V^2 with V roughly
 * proportional to f in the DVFS range [assumption, textbook CMOS].  The
 * memory slowdown s = 0.1 per unit clock drop [assumption], small because
 * HBM runs on its own clock; it agrees with SM-clock locking losing little
 * decode throughput (Ma et al. 2026) and with a 30 % power cap costing only
 * 6-7 % latency in LLaMA-65B inference (Samsi et al., HPEC 2023; FACTS.md 2).
 *
 * Defaults: eta_c = 0.5 [assumption: model FLOP utilisation of large
 * matmuls in serving engines, typically 40-60 %], eta_m = 0.8 [assumption:
 * achievable share of peak HBM bandwidth], usable memory 0.9 (vLLM's
 * gpu_memory_utilization default), max batch 256 (vLLM's max_num_seqs
 * default), prefill 2048 tokens per iteration (chunked prefill in the style
 * of Sarathi-Serve, Agrawal et al., OSDI 2024) [assumption for the size].
 * Scale to zero: wake_s = 30 s [assumption: reading 16-141 GB of weights
 * from local NVMe at a few GB/s plus engine start-up], sleep_w = 0 (the
 * replica's GPUs are released or their node suspended; a node model may
 * add what stays on).
 *
 * Left out: attention FLOPs (small next to the matmuls below ~8k tokens of
 * context), communication between the GPUs of a replica, MoE models reading
 * only the experts a small batch touches (all weights are read), and the
 * activation memory beyond the 10 % reserve.
 */
#include "dcsim/serving.h"

#include <math.h>

void dcs_serving_params_default(dcs_serving_params *p)
{
    p->compute_eff = 0.5;
    p->mem_eff = 0.8;
    p->mem_usable_frac = 0.9;
    p->max_batch = 256;
    p->prefill_chunk_tokens = 2048;
    p->queue_capacity = 4096;
    p->iter_overhead_s = 0.0;
    p->power_compute_frac = 1.0;
    p->power_memory_frac = 0.3;
    p->clock_power_exp = 3.0;
    p->mem_clock_sens = 0.1;
    p->wake_s = 30.0;
    p->sleep_w = 0.0;
}

static int in_range(double x, double lo, double hi)
{
    return x >= lo && x <= hi;   /* false for NaN */
}

const char *dcs_serving_params_problem(const dcs_serving_params *p)
{
    const dcs_llm_model *m = &p->model;
    if (!(m->params > 0.0))
        return "model params must be positive";
    if (!(m->active_params > 0.0 && m->active_params <= m->params))
        return "active params must be positive and at most params";
    if (!(m->bytes_per_weight > 0.0))
        return "bytes per weight must be positive";
    if (!(m->kv_bytes_per_token > 0.0))
        return "KV-cache bytes per token must be positive";
    if (!(p->gpu.peak_flops > 0.0 && p->gpu.mem_bw_byte_s > 0.0 && p->gpu.mem_bytes > 0.0))
        return "accelerator peak FLOP/s, bandwidth and memory must be positive";
    if (!(p->gpu.idle_w >= 0.0 && p->gpu.max_w >= p->gpu.idle_w))
        return "accelerator power must satisfy 0 <= idle <= max";
    if (p->gpus < 1)
        return "a replica needs at least one GPU";
    if (!in_range(p->compute_eff, 1e-3, 1.0) || !in_range(p->mem_eff, 1e-3, 1.0))
        return "compute and memory efficiencies must be in (0, 1]";
    if (!in_range(p->mem_usable_frac, 1e-3, 1.0))
        return "usable memory fraction must be in (0, 1]";
    if (p->max_batch < 1 || p->prefill_chunk_tokens < 1 || p->queue_capacity < 1)
        return "max batch, prefill chunk and queue capacity must be at least 1";
    if (!in_range(p->iter_overhead_s, 0.0, 10.0))
        return "iteration overhead must be in [0, 10] s";
    if (!in_range(p->power_compute_frac, 0.0, 1.0) || !in_range(p->power_memory_frac, 0.0, 1.0))
        return "power fractions must be in [0, 1]";
    if (!in_range(p->clock_power_exp, 0.0, 5.0) || !in_range(p->mem_clock_sens, 0.0, 0.9))
        return "clock power exponent must be in [0, 5], memory clock sensitivity in [0, 0.9]";
    if (!in_range(p->wake_s, 0.0, 3600.0))
        return "wake time must be in [0, 1 h]";
    if (!(p->sleep_w >= 0.0 && p->sleep_w <= p->gpu.max_w))
        return "sleep power must be in [0, max power]";
    if (dcs_serving_kv_capacity_tokens(p) < 1)
        return "the model's weights do not fit in the replica's usable GPU memory";
    return NULL;
}

double dcs_serving_kv_bytes_per_token(int layers, int kv_dim, double bytes_per_elem)
{
    return (double)layers * 2.0 * (double)kv_dim * bytes_per_elem;
}

double dcs_serving_weight_bytes(const dcs_llm_model *m)
{
    return m->params * m->bytes_per_weight;
}

int64_t dcs_serving_kv_capacity_tokens(const dcs_serving_params *p)
{
    double free_b = (double)p->gpus * p->gpu.mem_bytes * p->mem_usable_frac
                  - dcs_serving_weight_bytes(&p->model);
    if (!(free_b > 0.0) || !(p->model.kv_bytes_per_token > 0.0))
        return 0;
    return (int64_t)floor(free_b / p->model.kv_bytes_per_token);
}

void dcs_serving_iter_cost(const dcs_serving_params *p, double tokens,
                           double kv_tokens, double clock, dcs_iter_cost *out)
{
    double g = (double)p->gpus;
    double f = clock > 1.0 ? 1.0 : clock;
    out->compute_s = 2.0 * p->model.active_params * tokens
                   / (p->gpu.peak_flops * p->compute_eff * g * f);
    double bytes = dcs_serving_weight_bytes(&p->model) + kv_tokens * p->model.kv_bytes_per_token;
    out->memory_s = bytes / (p->gpu.mem_bw_byte_s * p->mem_eff * g)
                  / (1.0 - p->mem_clock_sens * (1.0 - f));
    out->time_s = fmax(out->compute_s, out->memory_s) + p->iter_overhead_s;
    double uc = out->compute_s / out->time_s;
    double um = out->memory_s / out->time_s;
    double dyn = fmax(p->power_compute_frac * uc * pow(f, p->clock_power_exp),
                      p->power_memory_frac * um);
    if (dyn > 1.0)
        dyn = 1.0;
    out->power_w = g * (p->gpu.idle_w + (p->gpu.max_w - p->gpu.idle_w) * dyn);
}

double dcs_serving_idle_power_w(const dcs_serving_params *p)
{
    return (double)p->gpus * p->gpu.idle_w;
}

double dcs_serving_clock_for_cap(const dcs_serving_params *p, double cap_w)
{
    const double floor_clock = 0.1;   /* below this a GPU is effectively off */
    double span = (p->gpu.max_w - p->gpu.idle_w) * p->power_compute_frac;
    if (!(span > 0.0) || cap_w >= p->gpu.idle_w + span)
        return 1.0;
    if (cap_w <= p->gpu.idle_w || p->clock_power_exp <= 0.0)
        return floor_clock;
    double f = pow((cap_w - p->gpu.idle_w) / span, 1.0 / p->clock_power_exp);
    return f < floor_clock ? floor_clock : f;
}
