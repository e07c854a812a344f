/*
 * fuzz_set.c - libFuzzer harness for `--set KEY.PATH=VALUE` overrides
 * (dcs_scenario_apply_set) followed by the schema walk.
 *
 * The base scenario is scenarios/cooling.yaml (six named sites, clusters,
 * catalogs), read once; each input is copied into a fresh tree, split at
 * newlines into up to 8 overrides (each one --set argument, numbered from
 * 1), applied in order, and the result walked against the scenario schema.
 * Invariants: an override that fails reports at least one new error.
 */
#include "fuzz_common.h"

#include "dcsim/scenario.h"
#include "dcsim/ytree.h"

enum { MAX_SETS = 8 };

static dcs_ytree *base_tree;
static dcs_ynode *base_root;

/* The base scenario, read on first use and kept for the process. */
static const dcs_ynode *base(void)
{
    if (!base_root) {
        dcs_diag *d = dcs_diag_new();
        base_tree = dcs_ytree_new();
        base_root = dcs_scenario_read(base_tree, DCSIM_SOURCE_DIR "/scenarios/cooling.yaml", d);
        if (!base_root) {
            dcs_diag_print(d, stderr);
            abort();
        }
        dcs_diag_free(d);
    }
    return base_root;
}

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    const dcs_ynode *b = base();
    char *text = fuzz_cstr(data, size);
    dcs_ytree *t = dcs_ytree_new();
    dcs_ynode *root = dcs_ytree_copy(t, b);
    dcs_diag *d = dcs_diag_new();
    char *line = text;
    for (int i = 1; i <= MAX_SETS && line; i++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        int before = dcs_diag_errors(d);
        if (!dcs_scenario_apply_set(t, root, line, i, d))
            fuzz_require(dcs_diag_errors(d) > before);
        line = nl ? nl + 1 : NULL;
    }
    dcs_scenario *s = dcs_ytree_alloc(t, sizeof *s);
    (void)dcs_schema_parse(&dcs_scenario_schema, root, s, t, d);
    dcs_diag_free(d);
    dcs_ytree_free(t);
    free(text);
    return 0;
}
