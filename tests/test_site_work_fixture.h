/*
 * test_site_work_fixture.h - hand-made site configs with workloads for the
 * engine-driven tests of models/site/site_work*.c (no scenario loader).
 *
 * A fixture holds up to two sites of one cluster each (DGX-H100-like nodes
 * of the default accelerator, dcs_node_defaults), one or two inference
 * workloads served by Llama-3.1-8B replicas on one H100 each (the model
 * and GPU numbers of tests/test_serving.c), one user region at zero round
 * trip, and an action that sends everything to the sites by `split`.
 */
#ifndef DCSIM_TEST_SITE_WORK_FIXTURE_H
#define DCSIM_TEST_SITE_WORK_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "dcsim/engine.h"
#include "dcsim/fluid.h"
#include "dcsim/site.h"

#define FX_SITES 2

typedef struct fixture {
    dcs_site_cluster cl[FX_SITES];
    dcs_site_config cfg[FX_SITES];
    dcs_site_pool pool[FX_SITES][2];
    dcs_site_job jobs[4];
    dcs_work_config work;
    dcs_work_wl wl[2];
    dcs_policy_action act;
    int nsites;
} fixture;

/* Llama-3.1-8B (8.03e9 parameters, bf16, 128 KiB of KV per token) on one
 * H100 SXM (989 TFLOP/s dense bf16, 3.35 TB/s, 80 GB, 70 W idle, 700 W
 * max: the numbers of tests/test_serving.c). */
static inline dcs_serving_params fx_serving(int max_batch)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){8.03e9, 8.03e9, 2.0, 131072.0};
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.gpus = 1;
    p.max_batch = max_batch;
    return p;
}

/* nsites sites of `nodes` nodes, one workload with `replicas` replicas per
 * site, Poisson at rate_rps (all of it split by `share` per site), run of
 * duration, control period 60 s, samples every 10 min. */
static inline fixture *fx_new(int nsites, int64_t nodes, int replicas, int max_batch,
                              double rate_rps, dcs_time duration)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->nsites = nsites;
    dcs_work_config *W = &f->work;
    W->fidelity = DCS_WORK_DETAILED;
    W->seed = 42;
    W->control_period = 60 * DCS_SECOND;
    W->nworkloads = 1;
    W->nregions = 1;
    W->nsites = nsites;
    W->wl = f->wl;
    W->region_names[0] = "users";
    dcs_work_wl *w = &f->wl[0];
    w->name = "chat";
    w->kind = 0;
    w->prompt = (dcs_token_dist){.median = 200, .sigma = 0.5, .max_tokens = 4096};
    w->output = (dcs_token_dist){.median = 50, .sigma = 0.5, .max_tokens = 1024};
    w->rate = (dcs_rate_profile){.mean_rate = rate_rps, .peak_to_mean = 1.0,
                                 .weekend_factor = 1.0};
    w->burst = (dcs_burst_params){.factor = 1.0};
    w->region_share[0] = 1.0;
    w->dispatch = DCS_DISPATCH_LEAST_LOADED;
    for (int s = 0; s < nsites; s++) {
        w->allowed[s] = true;
        f->act.split[0][0][s] = 1.0 / nsites;
        f->act.replicas[s] = replicas;
        f->act.cap[s][0] = 1.0;
    }
    for (int j = 0; j < DCS_POLICY_MAX_JOBS; j++)
        f->act.run[j] = true;
    dcs_accel_params gpu;
    dcs_accel_defaults(&gpu);
    for (int s = 0; s < nsites; s++) {
        dcs_site_cluster *k = &f->cl[s];
        k->name = "gpu";
        dcs_node_defaults(&k->node, &gpu);
        k->nodes = nodes;
        k->nodes_per_rack = 4;
        dcs_site_config *c = &f->cfg[s];
        c->name = s == 0 ? "a" : "b";
        c->duration = duration;
        c->sample_period = 600 * DCS_SECOND;
        c->control_period = 60 * DCS_SECOND;
        c->clusters = k;
        c->nclusters = 1;
        double design = (double)nodes * 10e3;
        dcs_distribution_defaults(&c->distribution, design);
        dcs_cooling_defaults(&c->cooling, DCS_COOLING_DIRECT_LIQUID, design);
        for (int m = 0; m < 12; m++) {
            c->normals.dry_bulb_mean_c[m] = 15.0;
            c->normals.diurnal_range_k[m] = 8.0;
            c->normals.dew_point_mean_c[m] = 8.0;
        }
        c->normals.pressure_pa = 101325.0;
        c->normals.latitude_deg = 45.0;
        dcs_climate_synth_defaults(&c->synth);
        c->work = W;
        c->site_index = s;
        f->pool[s][0] = (dcs_site_pool){.workload = 0, .cluster = 0, .replicas = replicas,
                                        .serving = fx_serving(max_batch)};
        c->pools = f->pool[s];
        c->npools = replicas > 0 ? 1 : 0;
        c->initial = &f->act;
    }
    return f;
}

/* Node without CPUs, memory, NICs, fans or PSU loss: its IT power is its
 * GPUs' board power alone (for hand-summed energies). */
static inline void fx_bare_nodes(fixture *f, int gpus_per_node)
{
    for (int s = 0; s < f->nsites; s++) {
        dcs_node_params *n = &f->cl[s].node;
        n->gpus = gpus_per_node;
        n->cpu_idle_w = n->cpu_max_w = n->memory_w = n->nic_w = n->other_w = 0;
        n->fan_max_w = 0;
        n->psu_efficiency = 1.0;
    }
}

/* Run the fixture's sites in one engine; returns the engine (caller frees
 * after reading, then calls fx_release). */
/* Requests/s one replica of site 0's first pool serves at full clock and
 * full use, by the fluid model with its default calibration (tests size
 * their load as a share of it). */
static inline double fx_capacity_rate(fixture *f)
{
    dcs_fluid_model fm;
    dcs_fluid_calib cal;
    dcs_fluid_calib_default(&cal);
    dcs_fluid_prepare(&fm, &f->pool[0][0].serving, &cal, &f->wl[0].prompt, &f->wl[0].output,
                      1.0);
    return fm.capacity_rate;
}

static inline dcs_engine *fx_run(fixture *f, int threads, uint64_t seed)
{
    dcs_engine_config ec = {.seed = seed, .threads = threads, .end_time = f->cfg[0].duration};
    dcs_engine *e = dcs_engine_new(&ec);
    if (!e)
        abort();
    for (int s = 0; s < f->nsites; s++)
        if (dcs_engine_add_lp(e, &dcs_site_lp_type, &f->cfg[s]) == DCS_LP_ANY)
            abort();
    if (dcs_engine_run(e) != DCS_OK)
        abort();
    return e;
}

static inline void fx_release(dcs_engine *e)
{
    for (uint32_t i = 0; i < dcs_engine_lp_count(e); i++)
        dcs_site_release(dcs_engine_lp_state(e, i));
    dcs_engine_free(e);
}

#endif
