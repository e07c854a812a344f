/* main.c - the dcsim command line: dispatch to subcommands. */
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "dcsim/cli.h"
#include "dcsim/trace.h"

/* A GSL error inside dcsim is a bug (inputs are validated before they reach
 * GSL): say where it happened and stop, as GSL's own handler would, but in
 * dcsim's words and with its exit path for bugs. */
static void gsl_failure(const char *reason, const char *file, int line, int gsl_errno)
{
    fprintf(stderr, "dcsim: internal error in GSL at %s:%d: %s (%s)\n", file, line, reason,
            gsl_strerror(gsl_errno));
    abort();
}

int main(int argc, char **argv)
{
    /* Before any thread starts: GSL errors go through one handler, and HDF5
     * failures are reported through dcsim's status codes, never by HDF5
     * printing its error stack. */
    gsl_set_error_handler(gsl_failure);
    if (dcs_trace_init() != DCS_OK) {
        fputs("dcsim: cannot initialise HDF5\n", stderr);
        return DCS_EXIT_FAIL;
    }
    return dcs_cli_main(argc, argv);
}
