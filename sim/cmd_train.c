/*
 * cmd_train.c - `dcsim train SCENARIO -o POLICY.h5 [--episodes N]
 * [--generations N] [--seed N] [--threads N] [--set KEY=VALUE]...
 * [--quiet]`: train the rl placement policy on the scenario's
 * policy.rl settings (sim/rl_train.c) and write the policy file
 * (sim/rl_file.c).  Nothing is written unless training finished.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/rl.h"
#include "dcsim/scenario.h"

enum { MAX_SETS = 256 };

static void help(FILE *out)
{
    fprintf(out,
            "usage: dcsim train SCENARIO.yaml -o POLICY.h5 [--episodes N] [--generations N]\n"
            "                   [--seed N] [--threads N] [--set KEY=VALUE]... [--quiet]\n\n"
            "Train the learned placement policy (placement: rl) by evolution strategies on\n"
            "days drawn from the scenario's policy.rl.train period, with the reward weights\n"
            "of policy.rl.reward (docs/rl.md).  Prints one line per generation (mean, best\n"
            "and centre return; 0 = the baseline placement, positive = better) and writes\n"
            "the weights, normalisation and learning curve to POLICY.h5.\n"
            "--episodes N caps the episodes run (generations = N / (2 population + 2));\n"
            "--generations N sets the generations directly; --seed (default: the\n"
            "scenario's) and --threads (default: all cores) fix the result: the same seed\n"
            "gives the same weights with any thread count.\n"
            "Exit codes: 0 ok, 1 training failed, 2 bad input or usage.\n");
}

int dcs_cmd_train(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},   {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'},  {"set", required_argument, NULL, 'S'},
        {"episodes", required_argument, NULL, 'e'}, {"generations", required_argument, NULL, 'g'},
        {"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out_path = NULL, *sets[MAX_SETS];
    int nsets = 0;
    bool have_seed = false;
    uint64_t v, episodes = 0;
    dcs_rl_train_opts o = {0, 0, -1, false};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out_path = optarg; break;
        case 's':
            if (!dcs_cli_parse_u64(optarg, &o.seed) || o.seed > UINT32_MAX) {
                fprintf(stderr, "dcsim train: --seed '%s' is not an integer from 0 to %u\n",
                        optarg, UINT32_MAX);
                return DCS_EXIT_USAGE;
            }
            have_seed = true;
            break;
        case 't':
            if (!dcs_cli_parse_u64(optarg, &v) || v < 1 || v > 1024) {
                fprintf(stderr, "dcsim train: --threads '%s' is not an integer from 1 to 1024\n",
                        optarg);
                return DCS_EXIT_USAGE;
            }
            o.threads = (int)v;
            break;
        case 'e':
        case 'g':
            if (!dcs_cli_parse_u64(optarg, &v) || v < 1 || v > 10000000) {
                fprintf(stderr, "dcsim train: --%s '%s' is not an integer from 1 to 10000000\n",
                        c == 'e' ? "episodes" : "generations", optarg);
                return DCS_EXIT_USAGE;
            }
            if (c == 'e')
                episodes = v;
            else
                o.generations = v > DCS_RL_MAX_CURVE ? DCS_RL_MAX_CURVE : (int)v;
            break;
        case 'S':
            if (nsets == MAX_SETS) {
                fprintf(stderr, "dcsim train: more than %d --set options\n", MAX_SETS);
                return DCS_EXIT_USAGE;
            }
            sets[nsets++] = optarg;
            break;
        case 'q': o.quiet = true; break;
        case 'h': help(stdout); return DCS_EXIT_OK;
        default:
            fprintf(stderr, "dcsim train: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            help(stderr);
            return DCS_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || !out_path) {
        fprintf(stderr, "dcsim train: expected one scenario file and -o POLICY.h5\n");
        help(stderr);
        return DCS_EXIT_USAGE;
    }
    const char *path = argv[optind];
    dcs_diag *d = dcs_diag_new();
    dcs_rl_net *net = malloc(sizeof *net);
    dcs_rl_meta *meta = malloc(sizeof *meta);
    dcs_scenario *s = NULL;
    if (!d || !net || !meta) {
        fprintf(stderr, "dcsim train: out of memory\n");
        dcs_diag_free(d);
        free(net);
        free(meta);
        return DCS_EXIT_FAIL;
    }
    int rc = DCS_EXIT_FAIL;
    dcs_status st = dcs_scenario_load(path, sets, nsets, d, &s);
    if (st == DCS_OK) {
        if (!have_seed)
            o.seed = (uint64_t)s->seed;
        if (episodes > 0) {
            uint64_t per = 2 * (uint64_t)s->policy.rl.population + 2;
            uint64_t g = episodes / per;
            o.generations = g < 1 ? 1 : g > DCS_RL_MAX_CURVE ? DCS_RL_MAX_CURVE : (int)g;
        }
        if (!o.quiet)
            printf("dcsim train: %s, seed %llu, %d generations x %lld episodes\n", s->name,
                   (unsigned long long)o.seed,
                   o.generations >= 0 ? o.generations : (int)s->policy.rl.generations,
                   (long long)(2 * s->policy.rl.population + 2));
        st = dcs_rl_train(s, path, &o, net, meta, d);
    }
    if (st == DCS_OK)
        st = dcs_rl_file_write(out_path, net, meta, d);
    dcs_diag_print(d, stderr);
    if (st == DCS_OK) {
        rc = DCS_EXIT_OK;
        if (!o.quiet && meta->ncurve > 0)
            printf("dcsim train: wrote %s (%d generations, %.1f s)\n", out_path, meta->ncurve,
                   meta->curve[meta->ncurve - 1].wall_s);
    } else if (st == DCS_EINPUT) {
        rc = DCS_EXIT_USAGE;
    }
    dcs_scenario_free(s);
    dcs_diag_free(d);
    free(net);
    free(meta);
    return rc;
}
