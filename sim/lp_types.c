/*
 * lp_types.c - the registry of LP types built into dcsim, looked up by the
 * names scenario files use.  Keep the table sorted by name (the tests check).
 */
#include "dcsim/phold.h"
#include "dcsim/registry.h"

static const dcs_registry_entry lp_type_entries[] = {
    {"phold", &dcs_phold_lp_type},
};

const dcs_registry dcs_lp_types = {
    "LP type", lp_type_entries, sizeof lp_type_entries / sizeof lp_type_entries[0],
};
