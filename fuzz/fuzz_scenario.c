/*
 * fuzz_scenario.c - libFuzzer harness for the scenario loader: YAML text
 * through dcs_ytree_parse, include expansion and the schema walk, exactly as
 * `dcsim run FILE` loads it (dcs_scenario_load).
 *
 * The loader takes a path, so the input is written to a per-process
 * temporary .yaml file; `include:` items then resolve beside it (the
 * temporary folder) or in the source tree's scenarios/ and
 * scenarios/catalog/, so the shipped catalogs are reachable.
 * Invariants: a failure reports at least one error; a success reports none,
 * and its effective text (dcs_scenario_text) parses back as YAML without
 * error (the emitter's contract in ytree.h).
 */
#include "fuzz_common.h"

#include "dcsim/scenario.h"
#include "dcsim/ytree.h"

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".yaml");
    fuzz_write_file(path, data, size);

    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_status st = dcs_scenario_load(path, NULL, 0, d, &s);
    if (st != DCS_OK) {
        fuzz_require(s == NULL);
        fuzz_require(dcs_diag_errors(d) > 0 || st == DCS_ENOMEM);
    } else {
        fuzz_require(s != NULL && dcs_diag_errors(d) == 0);
        const char *text = dcs_scenario_text(s);
        dcs_ytree *t = dcs_ytree_new();
        dcs_diag *d2 = dcs_diag_new();
        dcs_ynode *back = dcs_ytree_parse(t, text, strlen(text), "emitted", 1, 0, d2);
        if (!back)
            dcs_diag_print(d2, stderr);
        fuzz_require(back != NULL && dcs_diag_errors(d2) == 0);
        dcs_diag_free(d2);
        dcs_ytree_free(t);
    }
    dcs_scenario_free(s);
    dcs_diag_free(d);
    unlink(path);
    return 0;
}
