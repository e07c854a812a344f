/* main.c - the dcsim command line: dispatch to subcommands. */
#include <stdio.h>

#include "dcsim/cli.h"
#include "dcsim/trace.h"

int main(int argc, char **argv)
{
    /* Before any thread starts: HDF5 failures are reported through dcsim's
     * status codes, never by HDF5 printing its error stack. */
    if (dcs_trace_init() != DCS_OK) {
        fputs("dcsim: cannot initialise HDF5\n", stderr);
        return DCS_EXIT_FAIL;
    }
    return dcs_cli_main(argc, argv);
}
