/*
 * scenario_internal.h - pieces shared by the scenario loader's files
 * (sim/scenario*.c); not part of the public contract.
 */
#ifndef DCSIM_SCENARIO_INTERNAL_H
#define DCSIM_SCENARIO_INTERNAL_H

#include "dcsim/scenario.h"
#include "dcsim/schema.h"
#include "dcsim/serving.h"

#define NS_S 1e9                 /* nanoseconds per second, for duration bounds */
#define NS_D (86400 * NS_S)
#define NS_Y (365 * NS_D)

/* Tables of sim/scenario_tables_work.c used by sim/scenario_tables.c. */
extern const dcs_schema dcs_scenario_replicas_schema;
extern const dcs_schema dcs_scenario_user_schema;
extern const dcs_schema dcs_scenario_net_rtt_schema;
extern const dcs_schema dcs_scenario_model_entry_schema;
extern const dcs_schema dcs_scenario_token_profile_schema;
extern const dcs_schema dcs_scenario_workload_schema;
extern const dcs_schema dcs_scenario_policy_schema;

/* Cross-field check of a whole scenario: resolves accelerator, site and user
 * names and reports unknown or repeated ones (sim/scenario_check.c). */
void dcs_scenario_check(void *obj, dcs_schema_ctx *c);

/* The serving parameters of a replica of inference workload w on
 * accelerator a, as checked by the checker and built by the model
 * (sim/model_work.c): serving defaults, then the resolved model numbers,
 * the accelerator and the scenario's serving overrides. */
void dcs_scenario_serving_params(const dcs_workload_spec *w, const dcs_accel_spec *a,
                                 dcs_serving_params *p);

#endif
