/*
 * scenario_internal.h - pieces shared by the scenario loader's files
 * (sim/scenario*.c); not part of the public contract.
 */
#ifndef DCSIM_SCENARIO_INTERNAL_H
#define DCSIM_SCENARIO_INTERNAL_H

#include "dcsim/schema.h"

/* Cross-field check of a whole scenario: resolves accelerator, site and user
 * names and reports unknown or repeated ones (sim/scenario_check.c). */
void dcs_scenario_check(void *obj, dcs_schema_ctx *c);

#endif
