/* cmd_bench.c - `dcsim bench NAME [options]`: placeholder table, filled by the engine. */
#include "dcsim/cli.h"

#include <stdio.h>

int dcs_cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "dcsim bench: no benchmarks are built yet\n");
    return DCS_EXIT_USAGE;
}
