/*
 * cmd_validate.c - `dcsim validate`: check a scenario without running it,
 * or print the parameter tables.
 *
 *   dcsim validate SCENARIO.yaml [--set KEY=VALUE]...
 *       prints "ok" and exits 0, or prints every problem found as
 *       FILE:LINE:COL: message (overrides as --set:N:COL: message) and exits 2
 *   dcsim validate --schema [--markdown]
 *       prints every table of the scenario language (the Markdown form is
 *       docs/scenario-reference.md)
 */
#include "dcsim/cli.h"
#include "dcsim/scenario.h"

#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out,
            "usage: dcsim validate SCENARIO.yaml [--set KEY.PATH=VALUE]...\n"
            "       dcsim validate --schema [--markdown]\n\n"
            "Checks a scenario (includes, overrides, units, ranges, names) without\n"
            "running it: prints \"ok\" (exit 0) or every problem as FILE:LINE:COL: message\n"
            "(exit 2).  --schema prints every parameter table (--markdown: as in\n"
            "docs/scenario-reference.md).\n");
}

int dcs_cmd_validate(int argc, char **argv)
{
    const char *path = NULL;
    bool schema = false, markdown = false;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    int nsets = 0;
    if (!sets) {
        fprintf(stderr, "dcsim: out of memory\n");
        return DCS_EXIT_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help(stdout);
            free(sets);
            return DCS_EXIT_OK;
        } else if (strcmp(a, "--schema") == 0) {
            schema = true;
        } else if (strcmp(a, "--markdown") == 0) {
            markdown = true;
        } else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
            sets[nsets++] = argv[++i];
        } else if (strcmp(a, "--set") == 0) {
            fprintf(stderr, "dcsim validate: --set needs KEY.PATH=VALUE after it\n");
            free(sets);
            return DCS_EXIT_USAGE;
        } else if (strncmp(a, "--set=", 6) == 0) {
            sets[nsets++] = a + 6;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "dcsim validate: unknown option '%s'\n", a);
            help(stderr);
            free(sets);
            return DCS_EXIT_USAGE;
        } else if (!path) {
            path = a;
        } else {
            fprintf(stderr, "dcsim validate: one scenario at a time ('%s' and '%s')\n", path, a);
            free(sets);
            return DCS_EXIT_USAGE;
        }
    }
    if (schema) {
        free(sets);
        dcs_schema_print(&dcs_scenario_schema, markdown, stdout);
        fprintf(stdout, markdown ? "\n## units\n\nValues are written as a number and a unit "
                                   "(`700 W`, `1.2 MW`, `45 degC`) and kept in the internal "
                                   "unit.\n\n"
                                 : "\nunits: quantity, internal unit, accepted units\n");
        dcs_unit_print(stdout, markdown);
        return fflush(stdout) == 0 ? DCS_EXIT_OK : DCS_EXIT_FAIL;
    }
    if (!path) {
        help(stderr);
        free(sets);
        return DCS_EXIT_USAGE;
    }
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_status st = dcs_scenario_load(path, sets, nsets, d, &s);
    free(sets);
    dcs_diag_print(d, stderr);
    dcs_diag_free(d);
    dcs_scenario_free(s);
    if (st == DCS_OK) {
        printf("ok\n");
        return DCS_EXIT_OK;
    }
    return st == DCS_EINPUT ? DCS_EXIT_USAGE : DCS_EXIT_FAIL;
}
