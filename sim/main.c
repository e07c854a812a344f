/* main.c - the dcsim command line: dispatch to subcommands. */
#include "dcsim/cli.h"

int main(int argc, char **argv)
{
    return dcs_cli_main(argc, argv);
}
