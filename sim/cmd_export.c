/*
 * cmd_export.c - `dcsim export TRACE.h5 [--summary | DATASET | --list]
 * [--group GROUP] [--partial]`: stream a trace's data out as TSV for
 * scripts, spreadsheets and gnuplot.  The work is in sim/trace_export.c;
 * this file only parses the command line and maps status codes to exit
 * codes (0 ok, 1 the file could not be read or written, 2 bad usage or a
 * file that is not a complete trace).
 */
#include "dcsim/cli.h"
#include "dcsim/trace.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: dcsim export TRACE.h5 [--summary | DATASET | --list] [--group GROUP] [--partial]\n"
    "\n"
    "Print data from a dcsim trace as tab-separated text on stdout, with a\n"
    "header line naming the columns (names carry their unit, e.g. time_s).\n"
    "\n"
    "  --summary       the metric, value, unit rows of the whole run, or of\n"
    "                  GROUP with --group (e.g. sites/lulea, workloads/chat)\n"
    "  DATASET         one dataset: summary, jobs, events, scenario,\n"
    "                  sites/NAME/series, workloads/NAME/histograms/H, ...\n"
    "                  (relative to GROUP when --group is given)\n"
    "  --list          the exportable datasets, one per line (the default)\n"
    "  --group GROUP   the group that --summary or DATASET refers to\n"
    "  --partial       read a trace whose run did not finish\n"
    "  --help          this text\n"
    "\n"
    "Layout of a trace: docs/trace-format.md.\n"
    "exit codes: 0 ok, 1 the file could not be read, 2 bad usage or not a complete trace\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dcsim export: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n(dcsim export --help for usage)\n", stderr);
    return DCS_EXIT_USAGE;
}

int dcs_cmd_export(int argc, char **argv)
{
    const char *path = NULL, *dataset = NULL, *group = NULL;
    bool summary = false, list = false, partial = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(help, stdout);
            return DCS_EXIT_OK;
        } else if (strcmp(a, "--summary") == 0) {
            summary = true;
        } else if (strcmp(a, "--list") == 0) {
            list = true;
        } else if (strcmp(a, "--partial") == 0) {
            partial = true;
        } else if (strcmp(a, "--group") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value (e.g. --group sites/NAME)", a);
            group = argv[++i];
        } else if (strncmp(a, "--group=", 8) == 0) {
            group = a + 8;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else if (!dataset) {
            dataset = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
    }
    if (!path)
        return usage_error("%s", "missing TRACE.h5");
    if ((summary ? 1 : 0) + (dataset ? 1 : 0) + (list ? 1 : 0) > 1)
        return usage_error("%s", "give only one of --summary, DATASET and --list");
    if (group && !summary && !dataset)
        return usage_error("%s", "--group needs --summary or a DATASET");
    if (dcs_trace_init() != DCS_OK) {
        fputs("dcsim export: cannot initialise HDF5\n", stderr);
        return DCS_EXIT_FAIL;
    }

    dcs_trace_export_opts opts = {.partial = partial, .err = stderr};
    dcs_status st;
    if (summary) {
        st = dcs_trace_export_summary(path, group, &opts, stdout);
    } else if (dataset) {
        char name[1024];
        if (group)
            snprintf(name, sizeof name, "%s/%s", group, dataset);
        st = dcs_trace_export_dataset(path, group ? name : dataset, &opts, stdout);
    } else {
        st = dcs_trace_export_list(path, &opts, stdout);
    }
    return st == DCS_OK ? DCS_EXIT_OK : st == DCS_EINPUT ? DCS_EXIT_USAGE : DCS_EXIT_FAIL;
}
