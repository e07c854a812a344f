/*
 * fluid_fixture.h - the serving setups the fluid-model tests share: one
 * Llama-3.1-8B replica on one H100 and the Azure 2023 token fits.
 *
 * Numbers: Llama-3.1-8B 8.03e9 parameters, BF16 (2 B/weight), 131,072 B of
 * KV cache per token (32 layers x 2 x 1024 KV dims x 2 B, worked out in
 * test_serving.c); H100-SXM 989 TFLOP/s dense BF16, 3.35 TB/s, 80 GB,
 * 70 W idle, 700 W (scenarios/catalog/accelerators.yaml gives the sources).  Token fits: scenarios/catalog/
 * workloads.yaml (lognormal fits to the Azure LLM inference traces 2023).
 * Not every test uses every fit, hence the unused attribute.
 */
#ifndef DCSIM_TESTS_FLUID_FIXTURE_H
#define DCSIM_TESTS_FLUID_FIXTURE_H

#include "dcsim/serving.h"
#include "dcsim/tokens.h"

static inline dcs_serving_params llama8b_h100(void)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    p.model = (dcs_llm_model){8.03e9, 8.03e9, 2.0, 131072.0};
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.gpus = 1;
    return p;
}

/* Azure conversation and code 2023 fits. */
__attribute__((unused)) static const dcs_token_dist conv_prompt = {
    .median = 760.00, .sigma = 0.9852, .max_tokens = 14050};
__attribute__((unused)) static const dcs_token_dist conv_output = {
    .median = 151.26, .sigma = 0.8590, .max_tokens = 1000};
__attribute__((unused)) static const dcs_token_dist code_prompt = {
    .median = 1095.1, .sigma = 1.3603, .max_tokens = 7437};
__attribute__((unused)) static const dcs_token_dist code_output = {
    .median = 16.251, .sigma = 0.8473, .max_tokens = 1899};

#endif
