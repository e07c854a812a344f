/*
 * test_trace_cli.c - `dcsim export` as a user runs it: exact stdout, the
 * message on stderr and the exit code (0 ok, 1 unreadable, 2 usage or not a
 * complete trace).  The trace is written through the library with the same
 * hand-known numbers as test_trace.c: a site series sampled every 300 s and
 * the IT energy 1000.5 W * 300 s + 2000.25 W * 300 s = 900225 J
 * = 0.2500625 kWh.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/trace.h"
#include "harness.h"
#include "cli_util.h"

#include <sys/wait.h>
#include <unistd.h>

static char dir[256];
static const char *bin;
static char out_text[16384], err_text[16384];


/* Run `dcsim ARGS` (args already quoted for sh); returns the exit code and
 * leaves stdout and stderr in out_text and err_text. */
static int dcsim(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s/out' 2>'%s/err'", bin, args, dir, dir);
    int st = system(cmd);
    char p[512];
    snprintf(p, sizeof p, "%s/out", dir);
    read_file(p, out_text, sizeof out_text);
    snprintf(p, sizeof p, "%s/err", dir);
    read_file(p, err_text, sizeof err_text);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_trace(const char *path, bool commit)
{
    dcs_trace_meta meta = {"cli", "name: cli\n", 3, 1};
    dcs_trace *tr = NULL;
    CHECK_INT(dcs_trace_open(path, &meta, &tr, NULL, 0), DCS_OK);
    if (!tr)
        return;
    if (!commit) {
        /* Keep the tmp file as a run killed now would leave it (the writer
         * flushed it at open), before the abort below removes it. */
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "cp '%s.tmp' '%s'", path, path);
        CHECK_INT(system(cmd), 0);
        dcs_trace_close(tr);
        return;
    }
    const dcs_trace_column cols[] = {{"it_power_w", "W"}};
    dcs_trace_series *s = NULL;
    CHECK_INT(dcs_trace_series_open(tr, "lulea", cols, 1, &s), DCS_OK);
    const double p[] = {1000.5, 2000.25};
    for (int i = 0; s && i < 2; i++)
        CHECK_INT(dcs_trace_series_append(s, i * 300 * DCS_SECOND, &p[i]), DCS_OK);
    const dcs_trace_metric run[] = {{"energy_it_kwh", 0.2500625, "kWh"}};
    const dcs_trace_metric site[] = {{"peak_power_kw", 2.00025, "kW"}};
    CHECK_INT(dcs_trace_summary(tr, NULL, run, 1), DCS_OK);
    CHECK_INT(dcs_trace_summary(tr, "sites/lulea", site, 1), DCS_OK);
    CHECK_INT(dcs_trace_commit(tr, 2.5), DCS_OK);
    dcs_trace_close(tr);
}

static void exports(void)
{
    char t[512], args[1024], want[2048];
    snprintf(t, sizeof t, "%s/run.h5", dir);
    write_trace(t, true);

    snprintf(args, sizeof args, "export '%s' --summary", t);
    CHECK_INT(dcsim(args), 0);
    CHECK_STR(out_text, "metric\tvalue\tunit\nenergy_it_kwh\t0.2500625\tkWh\n");
    CHECK_STR(err_text, "");

    snprintf(args, sizeof args, "export '%s' --summary --group sites/lulea", t);
    CHECK_INT(dcsim(args), 0);
    CHECK_STR(out_text, "metric\tvalue\tunit\npeak_power_kw\t2.00025\tkW\n");

    const char *series = "time_s\tit_power_w\n0\t1000.5\n300\t2000.25\n";
    snprintf(args, sizeof args, "export '%s' sites/lulea/series", t);
    CHECK_INT(dcsim(args), 0);
    CHECK_STR(out_text, series);
    snprintf(args, sizeof args, "export --group=sites/lulea '%s' series", t);
    CHECK_INT(dcsim(args), 0);
    CHECK_STR(out_text, series);

    snprintf(args, sizeof args, "export '%s'", t);
    CHECK_INT(dcsim(args), 0);
    CHECK_STR(out_text, "events\njobs\nscenario\nsites/lulea/series\nsites/lulea/summary\n"
                        "summary\n");

    snprintf(args, sizeof args, "export '%s' sries", t);
    CHECK_INT(dcsim(args), 2);
    CHECK_STR(out_text, "");
    snprintf(want, sizeof want, "%s: no dataset 'sries'; datasets are:\n  events\n  jobs\n"
             "  scenario\n  sites/lulea/series\n  sites/lulea/summary\n  summary\n", t);
    CHECK_STR(err_text, want);
}

static void usage_and_failures(void)
{
    char t[512], args[1024], want[2048];
    snprintf(t, sizeof t, "%s/run.h5", dir);

    CHECK_INT(dcsim("export --help"), 0);
    CHECK(strncmp(out_text, "usage: dcsim export TRACE.h5", 28) == 0);
    CHECK_INT(dcsim("--help"), 0);
    CHECK(strstr(out_text, "  export ") != NULL);

    CHECK_INT(dcsim("export"), 2);
    CHECK_STR(err_text, "dcsim export: missing TRACE.h5\n(dcsim export --help for usage)\n");
    snprintf(args, sizeof args, "export '%s' --summary jobs", t);
    CHECK_INT(dcsim(args), 2);
    CHECK_STR(err_text, "dcsim export: give only one of --summary, DATASET and --list\n"
                        "(dcsim export --help for usage)\n");
    snprintf(args, sizeof args, "export '%s' --sumary", t);
    CHECK_INT(dcsim(args), 2);
    CHECK_STR(err_text, "dcsim export: unknown option '--sumary'\n"
                        "(dcsim export --help for usage)\n");
    snprintf(args, sizeof args, "export '%s' --summary --group", t);
    CHECK_INT(dcsim(args), 2);
    snprintf(args, sizeof args, "export '%s' a b", t);
    CHECK_INT(dcsim(args), 2);
    CHECK_STR(err_text, "dcsim export: unexpected argument 'b'\n"
                        "(dcsim export --help for usage)\n");

    /* The environment: a missing file is exit 1. */
    snprintf(args, sizeof args, "export '%s/none.h5' --summary", dir);
    CHECK_INT(dcsim(args), 1);
    snprintf(want, sizeof want, "%s/none.h5: cannot open: No such file or directory\n", dir);
    CHECK_STR(err_text, want);
    CHECK_STR(out_text, "");

    /* A trace whose run did not finish: refused, unless --partial. */
    snprintf(t, sizeof t, "%s/partial.h5", dir);
    write_trace(t, false);
    snprintf(args, sizeof args, "export '%s' scenario", t);
    CHECK_INT(dcsim(args), 2);
    snprintf(want, sizeof want, "%s: incomplete trace (status \"running\"): the run that "
             "wrote it did not finish; use --partial to read what it holds\n", t);
    CHECK_STR(err_text, want);
    CHECK_STR(out_text, "");
    snprintf(args, sizeof args, "export '%s' scenario --partial", t);
    CHECK_INT(dcsim(args), 0);
    CHECK_STR(out_text, "name: cli\n");
}

int main(void)
{
    bin = getenv("DCSIM_BIN");
    if (!bin || !bin[0])
        TEST_SKIP("DCSIM_BIN is not set (run through CTest)");
    CHECK_INT(dcs_trace_init(), DCS_OK);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/dcsim-cli-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(exports);
    RUN(usage_and_failures);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_END();
}
