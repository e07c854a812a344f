/*
 * cmd_bench.c - `dcsim bench NAME [options]`: the table of benchmarks
 * (bench.h), looked up through a registry so an unknown name lists the
 * valid ones.
 */
#include "dcsim/bench.h"
#include "dcsim/cli.h"
#include "dcsim/registry.h"

#include <stdio.h>
#include <string.h>

static const dcs_bench phold = {
    "phold", dcs_bench_phold,
    "PHOLD through the engine and through a bare loop over the same queue",
};

static const dcs_bench sweep = {
    "sweep", dcs_bench_sweep,
    "the same runs swept with -j 1 and -j N: speedup and sweep overhead",
};

static const dcs_bench serving = {
    "serving", dcs_bench_serving,
    "detailed-mode requests per wall second, 1 and N threads (issue 6 targets)",
};

static const dcs_bench fleet_year = {
    "fleet-year", dcs_bench_fleet_year,
    "a fluid-mode year of a 3-site, 24,000-GPU fleet on one thread",
};

/* Sorted by name. */
static const dcs_registry_entry bench_entries[] = {
    {"fleet-year", &fleet_year},
    {"phold", &phold},
    {"serving", &serving},
    {"sweep", &sweep},
};

static const dcs_registry benches = {
    "benchmark", bench_entries, sizeof bench_entries / sizeof bench_entries[0],
};

static void list(FILE *out)
{
    fprintf(out, "usage: dcsim bench NAME [options]   (dcsim bench NAME --help for options)\n"
                 "prints `key value unit` lines on stdout\n\nbenchmarks:\n");
    for (size_t i = 0; i < benches.count; i++) {
        const dcs_bench *b = benches.entries[i].item;
        fprintf(out, "  %-10s %s\n", b->name, b->help);
    }
}

int dcs_cmd_bench(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        list(argc < 2 ? stderr : stdout);
        return argc < 2 ? DCS_EXIT_USAGE : DCS_EXIT_OK;
    }
    const dcs_bench *b = dcs_registry_find(&benches, argv[1]);
    if (!b) {
        char msg[512];
        dcs_registry_unknown(&benches, argv[1], msg, sizeof msg);
        fprintf(stderr, "dcsim bench: %s\n", msg);
        return DCS_EXIT_USAGE;
    }
    return b->fn(argc - 1, argv + 1);
}
