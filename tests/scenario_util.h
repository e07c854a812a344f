/*
 * scenario_util.h - load a scenario that must be valid, for tests that check
 * the loaded values (include after harness.h).
 */
#ifndef DCSIM_TESTS_SCENARIO_UTIL_H
#define DCSIM_TESTS_SCENARIO_UTIL_H

#include <stdio.h>

#include "dcsim/scenario.h"

/* Load path with nsets --set overrides into a new scenario (the caller
 * frees it); on failure print d's diagnostics, count a failed check and
 * return NULL. */
static dcs_scenario *load(const char *path, const char *const *sets, int nsets, dcs_diag *d)
{
    dcs_scenario *s = NULL;
    dcs_status st = dcs_scenario_load(path, sets, nsets, d, &s);
    if (st != DCS_OK)
        dcs_diag_print(d, stderr);
    CHECK_INT(st, DCS_OK);
    return s;
}

#endif
