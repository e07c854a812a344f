/*
 * cli.h - the dcsim command line.
 *
 * Each subcommand is a function taking the arguments after its name
 * (argv[0] is the subcommand's name) and returning the process exit code:
 * 0 ok, 1 run failed, 2 bad input or usage.  The table of subcommands lives
 * in sim/cli.c.
 */
#ifndef DCSIM_CLI_H
#define DCSIM_CLI_H

#include <stdbool.h>
#include <stdint.h>

enum { DCS_EXIT_OK = 0, DCS_EXIT_FAIL = 1, DCS_EXIT_USAGE = 2 };

typedef int (*dcs_cli_fn)(int argc, char **argv);

typedef struct dcs_cli_command {
    const char *name;
    dcs_cli_fn fn;
    const char *summary;   /* one line for `dcsim --help` */
} dcs_cli_command;

/* Entry point of the dcsim binary. */
int dcs_cli_main(int argc, char **argv);

/* Subcommands (each in its own file under sim/). */
int dcs_cmd_bench(int argc, char **argv);
int dcs_cmd_compare(int argc, char **argv);
int dcs_cmd_export(int argc, char **argv);
int dcs_cmd_report(int argc, char **argv);
int dcs_cmd_run(int argc, char **argv);
int dcs_cmd_sweep(int argc, char **argv);
int dcs_cmd_train(int argc, char **argv);
int dcs_cmd_validate(int argc, char **argv);

/* Parse a non-negative decimal integer option value into *out; false on
 * an empty value, a sign, junk after the digits or overflow. */
bool dcs_cli_parse_u64(const char *text, uint64_t *out);

#endif
