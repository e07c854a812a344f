/*
 * cmd_compare.c - `dcsim compare DIR_OR_FILES... [--by KEY] [--baseline
 * NAME] [--format text|csv|markdown] [--metrics M1,M2,...] [--level P]`:
 * option parsing around dcs_compare_print (compare.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/cli.h"
#include "dcsim/compare.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_METRICS = 128 };

static void help(FILE *out)
{
    fprintf(out,
            "usage: dcsim compare DIR_OR_TRACE... [--by KEY] [--baseline DESIGN]\n"
            "                     [--format text|csv|markdown] [--metrics M1,M2,...]\n"
            "                     [--level 0.95]\n\n"
            "Group runs (a sweep's DIR, or trace files) into designs - everything but the\n"
            "seed, or with --by KEY the value of one --set key (\"scenario\" for the\n"
            "scenario) - and print per design and summary metric the mean over seeds with\n"
            "its Student t confidence interval, and the paired difference against the\n"
            "baseline design (default: the first) over the seeds both ran.\n");
}

int dcs_cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"by", required_argument, NULL, 'b'},      {"baseline", required_argument, NULL, 'B'},
        {"format", required_argument, NULL, 'f'},  {"metrics", required_argument, NULL, 'm'},
        {"level", required_argument, NULL, 'l'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    dcs_compare_opts o = {NULL, NULL, NULL, 0, 0.95, DCS_COMPARE_TEXT};
    char *metrics_arg = NULL;
    const char *metrics[MAX_METRICS];
    optind = 1;
    opterr = 0;
    int c, rc = DCS_EXIT_USAGE;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': o.by = optarg; break;
        case 'B': o.baseline = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") == 0) {
                o.format = DCS_COMPARE_TEXT;
            } else if (strcmp(optarg, "csv") == 0) {
                o.format = DCS_COMPARE_CSV;
            } else if (strcmp(optarg, "markdown") == 0 || strcmp(optarg, "md") == 0) {
                o.format = DCS_COMPARE_MARKDOWN;
            } else {
                fprintf(stderr, "dcsim compare: --format '%s' is not text, csv or markdown\n",
                        optarg);
                goto done;
            }
            break;
        case 'm': metrics_arg = optarg; break;
        case 'l': {
            char *end;
            errno = 0;
            o.level = strtod(optarg, &end);
            if (errno || *end || end == optarg || !(o.level > 0 && o.level < 1)) {
                fprintf(stderr, "dcsim compare: --level '%s' is not a number in (0, 1)\n",
                        optarg);
                goto done;
            }
            break;
        }
        case 'h': help(stdout); return DCS_EXIT_OK;
        default:
            fprintf(stderr, "dcsim compare: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            help(stderr);
            goto done;
        }
    }
    if (optind == argc) {
        fprintf(stderr, "dcsim compare: expected a sweep directory or trace files\n");
        help(stderr);
        goto done;
    }
    if (metrics_arg) {
        /* Split in place: argv strings are writable. */
        char *save = NULL;
        for (char *m = strtok_r(metrics_arg, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
            if (o.nmetrics == MAX_METRICS) {
                fprintf(stderr, "dcsim compare: more than %d metrics\n", MAX_METRICS);
                goto done;
            }
            metrics[o.nmetrics++] = m;
        }
        if (o.nmetrics == 0) {
            fprintf(stderr, "dcsim compare: --metrics names no metric\n");
            goto done;
        }
        o.metrics = metrics;
    }
    rc = dcs_compare_print((const char *const *)argv + optind, (size_t)(argc - optind), &o,
                           stdout, stderr);
done:
    return rc;
}
