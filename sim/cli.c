/*
 * cli.c - the dcsim command line: the table of subcommands, --version and
 * --help, and the option-value parsing the subcommands share.  Each
 * subcommand parses its own options and prints its own help.
 */
#include "dcsim/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Sorted by name, as `dcsim --help` lists them. */
static const dcs_cli_command commands[] = {
    {"bench", dcs_cmd_bench, "measure engine and model throughput (key value unit lines)"},
    {"compare", dcs_cmd_compare, "designs' metrics with confidence intervals over seeds, paired diffs"},
    {"export", dcs_cmd_export, "print a trace's summary or a dataset as TSV"},
    {"report", dcs_cmd_report, "self-contained HTML review of a sweep: table, plots, assumptions"},
    {"run", dcs_cmd_run, "run a scenario and write its HDF5 trace"},
    {"sweep", dcs_cmd_sweep, "run scenarios x --set values x seeds in parallel, with an index"},
    {"train", dcs_cmd_train, "train the learned placement policy (rl) into a policy file"},
    {"validate", dcs_cmd_validate, "check a scenario without running it; --schema prints its tables"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: dcsim COMMAND [options]   (dcsim COMMAND --help for details)\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\noptions: --version, --help\n"
                 "exit codes: 0 ok, 1 run failed, 2 bad input or usage\n");
}

bool dcs_cli_parse_u64(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-')
        return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int dcs_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return DCS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("dcsim %s\n", DCSIM_VERSION);
        return DCS_EXIT_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return DCS_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "dcsim: unknown command '%s'; commands are:", cmd);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, " %s", commands[i].name);
    fprintf(stderr, "\n");
    return DCS_EXIT_USAGE;
}
