/*
 * test_trace.c - the HDF5 trace writer and reader: layout, values and units
 * read back, exact export text, commit/abort/kill semantics, error messages.
 *
 * The data are fake but known by hand (no engine involved):
 *   site "lulea" series, sample period 300 s:
 *       time_s  it_power_w  pue
 *       0       1000.5      1.25
 *       300     2000.25     1.5
 *       600     1500        1.125
 *   IT energy over [0, 600) s with power piecewise constant between samples:
 *       1000.5 W * 300 s + 2000.25 W * 300 s = 300150 J + 600075 J
 *       = 900225 J = 900225 / 3.6e6 kWh = 0.2500625 kWh
 *   (the summary stores this figure; the test checks it survives the trip).
 *   A chiller trip at 3 d 14 h = 3*86400 + 14*3600 = 309600 s.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/trace.h"
#include "harness.h"
#include "cli_util.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];

static const char *in_dir(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}


/* Everything written to f, as a string (static buffer). */
static const char *slurp(FILE *f)
{
    static char buf[8192];
    fflush(f);
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static const dcs_trace_metric run_rows[] = {
    {"energy_it_kwh", 0.2500625, "kWh"},
    {"pue", 1.3, "1"},
    {"jobs_completed", 1, "1"},
};
static const dcs_trace_metric site_rows[] = {
    {"energy_it_kwh", 0.2500625, "kWh"},
    {"peak_power_kw", 2.00025, "kW"},
};
static const dcs_trace_metric chat_rows[] = {
    {"ttft_p50_ms", 48.5, "ms"},
};

/* Write the hand-known trace of the file header to path, committed unless
 * commit is false (then the open trace is returned for the caller). */
static dcs_trace *write_known(const char *path, const char *scenario, bool commit)
{
    dcs_trace_meta meta = {scenario, "name: tiny\nduration: 10 min\n", 42, 4};
    dcs_trace *tr = NULL;
    char msg[256] = "";
    CHECK_INT(dcs_trace_open(path, &meta, &tr, msg, sizeof msg), DCS_OK);
    CHECK_STR(msg, "");
    if (!tr)
        return NULL;
    const dcs_trace_column cols[] = {{"it_power_w", "W"}, {"pue", "1"}};
    dcs_trace_series *s = NULL;
    CHECK_INT(dcs_trace_series_open(tr, "lulea", cols, 2, &s), DCS_OK);
    const double rows[3][2] = {{1000.5, 1.25}, {2000.25, 1.5}, {1500, 1.125}};
    for (int i = 0; s && i < 3; i++)
        CHECK_INT(dcs_trace_series_append(s, i * 300 * DCS_SECOND, rows[i]), DCS_OK);
    CHECK_INT(dcs_trace_summary(tr, NULL, run_rows, 3), DCS_OK);
    CHECK_INT(dcs_trace_summary(tr, "sites/lulea", site_rows, 2), DCS_OK);
    CHECK_INT(dcs_trace_summary(tr, "workloads/chat", chat_rows, 1), DCS_OK);
    const double edges[] = {0.01, 0.1, 1, 10}, counts[] = {5, 3, 1};
    CHECK_INT(dcs_trace_histogram(tr, "chat", "ttft", "s", 3, edges, counts), DCS_OK);
    dcs_trace_job job = {"pretrain-0", "pretrain", "lulea", 512, 0, 60, 7260, NAN,
                         "completed", 1, 812.5};
    CHECK_INT(dcs_trace_job_append(tr, &job), DCS_OK);
    dcs_trace_event ev = {3 * DCS_DAY + 14 * DCS_HOUR, "chiller_trip", "ashburn",
                          "supply temp\trising"};
    CHECK_INT(dcs_trace_event_append(tr, &ev), DCS_OK);
    if (!commit)
        return tr;
    CHECK_INT(dcs_trace_commit(tr, 1.25), DCS_OK);
    CHECK_STR(dcs_trace_error(tr), "");
    dcs_trace_close(tr);
    return NULL;
}

static void layout_values_and_units(void)
{
    const char *path = in_dir("known.h5");
    dcs_trace *tr = write_known(path, "tiny", false);
    CHECK(!exists(path));                 /* only the tmp file while writing */
    CHECK(exists(in_dir("known.h5.tmp")));
    CHECK_INT(dcs_trace_commit(tr, 1.25), DCS_OK);
    dcs_trace_close(tr);
    CHECK(exists(path));
    CHECK(!exists(in_dir("known.h5.tmp")));

    dcs_trace_reader *r = NULL;
    char msg[256] = "", s[64];
    CHECK_INT(dcs_trace_reader_open(path, false, &r, msg, sizeof msg), DCS_OK);
    if (!r) {
        fprintf(stderr, "    %s\n", msg);
        return;
    }
    int64_t i64 = 0;
    uint64_t u64 = 0;
    double f = 0;
    CHECK(dcs_trace_reader_attr_i64(r, "", "schema_version", &i64) == DCS_OK && i64 == 1);
    CHECK(dcs_trace_reader_attr_i64(r, "/", "complete", &i64) == DCS_OK && i64 == 1);
    CHECK(dcs_trace_reader_attr_i64(r, "", "threads", &i64) == DCS_OK && i64 == 4);
    CHECK(dcs_trace_reader_attr_u64(r, "", "seed", &u64) == DCS_OK && u64 == 42);
    CHECK(dcs_trace_reader_attr_f64(r, "", "wall_seconds", &f) == DCS_OK && f == 1.25);
    CHECK_INT(dcs_trace_reader_attr_str(r, "", "status", s, sizeof s), DCS_OK);
    CHECK_STR(s, "complete");
    CHECK_INT(dcs_trace_reader_attr_str(r, "", "scenario", s, sizeof s), DCS_OK);
    CHECK_STR(s, "tiny");
    CHECK_INT(dcs_trace_reader_attr_str(r, "", "dcsim_version", s, sizeof s), DCS_OK);
    CHECK_STR(s, DCSIM_VERSION);
    CHECK_INT(dcs_trace_reader_attr_str(r, "", "scenario", s, 4), DCS_ERANGE);
    CHECK_INT(dcs_trace_reader_attr_str(r, "", "seed", s, sizeof s), DCS_EINPUT);
    CHECK_INT(dcs_trace_reader_attr_i64(r, "", "no_such", &i64), DCS_EINPUT);
    CHECK_INT(dcs_trace_reader_attr_i64(r, "nowhere/x", "unit", &i64), DCS_EINPUT);

    /* Every series column has its unit; time comes first, in seconds. */
    const char *units[][2] = {{"time_s", "s"}, {"it_power_w", "W"}, {"pue", "1"}};
    for (int c = 0; c < 3; c++) {
        char obj[128];
        snprintf(obj, sizeof obj, "sites/lulea/series/%s", units[c][0]);
        CHECK_INT(dcs_trace_reader_attr_str(r, obj, "unit", s, sizeof s), DCS_OK);
        CHECK_STR(s, units[c][1]);
    }
    double *v = NULL;
    size_t n = 0;
    CHECK_INT(dcs_trace_reader_column(r, "sites/lulea/series/time_s", &v, &n), DCS_OK);
    CHECK(n == 3 && v[0] == 0 && v[1] == 300 && v[2] == 600);
    free(v);
    CHECK_INT(dcs_trace_reader_column(r, "sites/lulea/series/it_power_w", &v, &n), DCS_OK);
    CHECK(n == 3 && v[0] == 1000.5 && v[1] == 2000.25 && v[2] == 1500);
    free(v);
    CHECK_INT(dcs_trace_reader_column(r, "workloads/chat/histograms/ttft/count", &v, &n), DCS_OK);
    CHECK(n == 3 && v[0] == 5 && v[1] == 3 && v[2] == 1);
    free(v);
    CHECK_INT(dcs_trace_reader_attr_str(r, "workloads/chat/histograms/ttft/upper_s", "unit",
                                        s, sizeof s), DCS_OK);
    CHECK_STR(s, "s");
    CHECK_INT(dcs_trace_reader_column(r, "summary", &v, &n), DCS_EINPUT);   /* a table */

    CHECK_INT(dcs_trace_reader_metric(r, "sites/lulea", "energy_it_kwh", &f, s, sizeof s), DCS_OK);
    CHECK_NEAR(f, 900225.0 / 3.6e6, 0);
    CHECK_STR(s, "kWh");
    CHECK_INT(dcs_trace_reader_metric(r, NULL, "jobs_completed", &f, NULL, 0), DCS_OK);
    CHECK_NEAR(f, 1, 0);
    CHECK_INT(dcs_trace_reader_metric(r, NULL, "carbon_kg", &f, NULL, 0), DCS_EINPUT);
    CHECK_INT(dcs_trace_reader_metric(r, "sites/ashburn", "pue", &f, NULL, 0), DCS_EINPUT);
    dcs_trace_reader_close(r);
}

static void export_text_is_exact(void)
{
    const char *path = in_dir("export.h5");
    write_known(path, "tiny", true);
    dcs_trace_export_opts o = {.partial = false, .err = tmpfile()};

    FILE *out = tmpfile();
    CHECK_INT(dcs_trace_export_summary(path, NULL, &o, out), DCS_OK);
    CHECK_STR(slurp(out), "metric\tvalue\tunit\n"
                          "energy_it_kwh\t0.2500625\tkWh\n"
                          "pue\t1.3\t1\n"
                          "jobs_completed\t1\t1\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_summary(path, "/sites/lulea/", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "metric\tvalue\tunit\n"
                          "energy_it_kwh\t0.2500625\tkWh\n"
                          "peak_power_kw\t2.00025\tkW\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(path, "sites/lulea/series", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "time_s\tit_power_w\tpue\n"
                          "0\t1000.5\t1.25\n"
                          "300\t2000.25\t1.5\n"
                          "600\t1500\t1.125\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(path, "workloads/chat/histograms/ttft", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "lower_s\tupper_s\tcount\n"
                          "0.01\t0.1\t5\n"
                          "0.1\t1\t3\n"
                          "1\t10\t1\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(path, "jobs", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "name\tworkload\tsite\tgpus\tsubmit_s\tstart_s\tend_s\tdeadline_s"
                          "\tstate\tpreemptions\tenergy_kwh\n"
                          "pretrain-0\tpretrain\tlulea\t512\t0\t60\t7260\tnan"
                          "\tcompleted\t1\t812.5\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(path, "/events", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "time_s\tkind\tsite\tdetail\n"
                          "309600\tchiller_trip\tashburn\tsupply temp\\trising\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(path, "scenario", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "name: tiny\nduration: 10 min\n");
    out = tmpfile();
    CHECK_INT(dcs_trace_export_list(path, &o, out), DCS_OK);
    CHECK_STR(slurp(out), "events\njobs\nscenario\nsites/lulea/series\nsites/lulea/summary\n"
                          "summary\nworkloads/chat/histograms/ttft\nworkloads/chat/summary\n");
    CHECK_STR(slurp(o.err), "");   /* no complaint on any of the above */

    /* Unknown names list what is there. */
    char want[1024];
    o.err = tmpfile();
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(path, "sites/lulea/seires", &o, out), DCS_EINPUT);
    CHECK_STR(slurp(out), "");
    snprintf(want, sizeof want, "%s: no dataset 'sites/lulea/seires'; datasets are:\n"
             "  events\n  jobs\n  scenario\n  sites/lulea/series\n  sites/lulea/summary\n"
             "  summary\n  workloads/chat/histograms/ttft\n  workloads/chat/summary\n", path);
    CHECK_STR(slurp(o.err), want);
    o.err = tmpfile();
    out = tmpfile();
    CHECK_INT(dcs_trace_export_summary(path, "sites/ashburn", &o, out), DCS_EINPUT);
    fclose(out);
    snprintf(want, sizeof want, "%s: no summary for group 'sites/ashburn'; groups with a "
             "summary are:\n  sites/lulea\n  (the whole run: no --group)\n"
             "  workloads/chat\n", path);
    CHECK_STR(slurp(o.err), want);
}

/* Shortest round-trip printing: every printed number reads back exactly. */
static void numbers_round_trip(void)
{
    const char *path = in_dir("digits.h5");
    dcs_trace_meta meta = {"digits", "", 1, 1};
    dcs_trace *tr = NULL;
    CHECK_INT(dcs_trace_open(path, &meta, &tr, NULL, 0), DCS_OK);
    const dcs_trace_metric rows[] = {
        {"third", 1.0 / 3.0, "1"}, {"tiny", 2.385e-300, "1"}, {"big", -1.7976931348623157e308, "1"},
        {"tenth", 0.1, "1"}, {"inf", INFINITY, "1"},
    };
    CHECK_INT(dcs_trace_summary(tr, "", rows, 5), DCS_OK);
    CHECK_INT(dcs_trace_commit(tr, 0.5), DCS_OK);
    dcs_trace_close(tr);
    FILE *out = tmpfile();
    dcs_trace_export_opts o = {.err = stderr};
    CHECK_INT(dcs_trace_export_summary(path, NULL, &o, out), DCS_OK);
    CHECK_STR(slurp(out), "metric\tvalue\tunit\n"
                          "third\t0.3333333333333333\t1\n"
                          "tiny\t2.385e-300\t1\n"
                          "big\t-1.7976931348623157e+308\t1\n"
                          "tenth\t0.1\t1\n"
                          "inf\tinf\t1\n");
    CHECK(strtod("0.3333333333333333", NULL) == 1.0 / 3.0);
}

/* Several chunks of buffered rows (the writer flushes every 1024). */
static void long_series(void)
{
    const char *path = in_dir("long.h5");
    dcs_trace_meta meta = {"long", "", 7, 2};
    dcs_trace *tr = NULL;
    CHECK_INT(dcs_trace_open(path, &meta, &tr, NULL, 0), DCS_OK);
    const dcs_trace_column cols[] = {{"ambient_c", "degC"}};
    dcs_trace_series *s = NULL;
    CHECK_INT(dcs_trace_series_open(tr, "a", cols, 1, &s), DCS_OK);
    for (int i = 0; i < 3000; i++) {
        double v = i * 0.5 + 0.25;   /* exact in binary */
        CHECK_INT(dcs_trace_series_append(s, (dcs_time)i * 5 * DCS_MINUTE, &v), DCS_OK);
    }
    CHECK_INT(dcs_trace_commit(tr, 0), DCS_OK);
    dcs_trace_close(tr);
    dcs_trace_reader *r = NULL;
    CHECK_INT(dcs_trace_reader_open(path, false, &r, NULL, 0), DCS_OK);
    double *t = NULL, *v = NULL;
    size_t nt = 0, nv = 0;
    CHECK_INT(dcs_trace_reader_column(r, "sites/a/series/time_s", &t, &nt), DCS_OK);
    CHECK_INT(dcs_trace_reader_column(r, "sites/a/series/ambient_c", &v, &nv), DCS_OK);
    CHECK_INT(nt, 3000);
    CHECK_INT(nv, 3000);
    int bad = 0;
    for (size_t i = 0; i < nt && i < nv; i++)
        bad += t[i] != (double)i * 300.0 || v[i] != (double)i * 0.5 + 0.25;
    CHECK_INT(bad, 0);
    free(t);
    free(v);
    dcs_trace_reader_close(r);
}

static void abort_leaves_nothing_and_keeps_old(void)
{
    const char *path = in_dir("abort.h5");
    dcs_trace_close(write_known(path, "first", false));   /* abort */
    CHECK(!exists(path));
    CHECK(!exists(in_dir("abort.h5.tmp")));

    write_known(path, "old", true);
    dcs_trace *tr = write_known(path, "new", false);
    char s[32] = "";
    dcs_trace_reader *r = NULL;
    /* While the new run writes, PATH is still the old, complete trace. */
    CHECK_INT(dcs_trace_reader_open(path, false, &r, NULL, 0), DCS_OK);
    CHECK(r && dcs_trace_reader_attr_str(r, "", "scenario", s, sizeof s) == DCS_OK);
    CHECK_STR(s, "old");
    dcs_trace_reader_close(r);
    dcs_trace_close(tr);   /* abort: the old one stays */
    CHECK_INT(dcs_trace_reader_open(path, false, &r, NULL, 0), DCS_OK);
    CHECK(r && dcs_trace_reader_attr_str(r, "", "scenario", s, sizeof s) == DCS_OK);
    CHECK_STR(s, "old");
    dcs_trace_reader_close(r);
    CHECK(!exists(in_dir("abort.h5.tmp")));

    write_known(path, "new", true);   /* a commit replaces it */
    CHECK_INT(dcs_trace_reader_open(path, false, &r, NULL, 0), DCS_OK);
    CHECK(r && dcs_trace_reader_attr_str(r, "", "scenario", s, sizeof s) == DCS_OK);
    CHECK_STR(s, "new");
    dcs_trace_reader_close(r);
}

static void commit_after_failure_removes_tmp(void)
{
    const char *path = in_dir("failed.h5");
    dcs_trace *tr = write_known(path, "failed", false);
    CHECK_INT(dcs_trace_summary(tr, "bogus/x", run_rows, 1), DCS_EIO);
    char want[512];
    snprintf(want, sizeof want,
             "%s: summary scope 'bogus/x' is not sites/NAME or workloads/NAME", path);
    CHECK_STR(dcs_trace_error(tr), want);
    /* After a failure every call refuses, and the first message stays. */
    dcs_trace_event ev = {0, "x", "", ""};
    CHECK_INT(dcs_trace_event_append(tr, &ev), DCS_EIO);
    CHECK_INT(dcs_trace_commit(tr, 1), DCS_EIO);
    CHECK_STR(dcs_trace_error(tr), want);
    CHECK(!exists(path));
    CHECK(!exists(in_dir("failed.h5.tmp")));
    dcs_trace_close(tr);

    /* Caller errors that are caught with their own messages. */
    tr = write_known(in_dir("dup.h5"), "dup", false);
    const dcs_trace_column cols[] = {{"x_w", "W"}};
    dcs_trace_series *s = NULL;
    CHECK_INT(dcs_trace_series_open(tr, "lulea", cols, 1, &s), DCS_EIO);
    CHECK(s == NULL);
    snprintf(want, sizeof want, "%s: series of site 'lulea' declared twice", in_dir("dup.h5"));
    CHECK_STR(dcs_trace_error(tr), want);
    dcs_trace_close(tr);

    tr = write_known(in_dir("back.h5"), "back", false);
    CHECK_INT(dcs_trace_series_open(tr, "b", cols, 1, &s), DCS_OK);
    double x = 1;
    CHECK_INT(dcs_trace_series_append(s, 10, &x), DCS_OK);
    CHECK_INT(dcs_trace_series_append(s, 9, &x), DCS_EIO);
    snprintf(want, sizeof want, "%s: series of site 'b': sample at 9 ns after one at 10 ns",
             in_dir("back.h5"));
    CHECK_STR(dcs_trace_error(tr), want);
    dcs_trace_close(tr);
    CHECK(!exists(in_dir("back.h5")) && !exists(in_dir("back.h5.tmp")));

    /* An HDF5 failure: the folder does not exist. */
    char msg[512] = "";
    dcs_trace_meta meta = {"x", "", 1, 1};
    CHECK_INT(dcs_trace_open(in_dir("no/such/dir.h5"), &meta, &tr, msg, sizeof msg), DCS_EIO);
    CHECK(tr == NULL);
    snprintf(want, sizeof want, "%s: cannot create %s.tmp: No such file or directory",
             in_dir("no/such/dir.h5"), in_dir("no/such/dir.h5"));
    CHECK_STR(msg, want);
}

/* A run killed before commit leaves PATH.tmp only, and nothing reads it as
 * a finished trace. */
static void killed_writer_is_not_a_trace(void)
{
    const char *path = in_dir("killed.h5");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dcs_trace *tr = write_known(path, "killed", false);
        (void)tr;
        raise(SIGKILL);
        _exit(3);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK(!exists(path));
    CHECK(exists(in_dir("killed.h5.tmp")));

    char want[512];
    dcs_trace_export_opts o = {.err = tmpfile()};
    FILE *out = tmpfile();
    CHECK_INT(dcs_trace_export_summary(path, NULL, &o, out), DCS_EIO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory\n", path);
    CHECK_STR(slurp(o.err), want);

    o.err = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(in_dir("killed.h5.tmp"), "jobs", &o, out), DCS_EINPUT);
    snprintf(want, sizeof want, "%s: incomplete trace (status \"running\"): the run that "
             "wrote it did not finish; use --partial to read what it holds\n",
             in_dir("killed.h5.tmp"));
    CHECK_STR(slurp(o.err), want);
    CHECK_STR(slurp(out), "");

    /* --partial reads what was flushed: the scenario written at open. */
    o = (dcs_trace_export_opts){.partial = true, .err = stderr};
    out = tmpfile();
    CHECK_INT(dcs_trace_export_dataset(in_dir("killed.h5.tmp"), "scenario", &o, out), DCS_OK);
    CHECK_STR(slurp(out), "name: tiny\nduration: 10 min\n");
}

/* A full disk (here: a file size limit of 64 KiB, which makes write(2) fail
 * with EFBIG) turns into DCS_EIO with one message, and leaves no file. */
static int disk_full_child(const char *path)
{
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {64 * 1024, 64 * 1024};
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 10;
    dcs_trace_meta meta = {"full", "", 1, 1};
    dcs_trace *tr = NULL;
    if (dcs_trace_open(path, &meta, &tr, NULL, 0) != DCS_OK)
        return 11;
    const dcs_trace_column cols[] = {{"noise_w", "W"}};
    dcs_trace_series *s = NULL;
    if (dcs_trace_series_open(tr, "a", cols, 1, &s) != DCS_OK)
        return 12;
    /* 200,000 doubles (1.6 MB) from an LCG, which deflate cannot shrink
     * below the limit. */
    uint64_t x = 88172645463325252u;
    dcs_status st = DCS_OK;
    for (int i = 0; i < 200000 && st == DCS_OK; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        double v = (double)(x >> 11);
        st = dcs_trace_series_append(s, (dcs_time)i * DCS_SECOND, &v);
    }
    dcs_status cst = dcs_trace_commit(tr, 1);
    char want[600];
    snprintf(want, sizeof want, "%s: cannot write the series of site 'a': File too large",
             path);
    bool msg_ok = strcmp(dcs_trace_error(tr), want) == 0;
    fprintf(stderr, "    disk full: append %s, commit %s, message: %s\n", dcs_status_name(st),
            dcs_status_name(cst), dcs_trace_error(tr));
    dcs_trace_close(tr);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    return cst != DCS_EIO ? 13 : !msg_ok ? 14 : exists(path) ? 15 : exists(tmp) ? 16 : 0;
}

static void disk_full_is_an_error(void)
{
    const char *path = in_dir("full.h5");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        _exit(disk_full_child(path));
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK_INT(WEXITSTATUS(status), 0);
    CHECK(!exists(path));
    CHECK(!exists(in_dir("full.h5.tmp")));
}

static void not_a_trace(void)
{
    const char *path = in_dir("text.h5");
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("time_s\tpue\n0\t1.2\n", f);
        fclose(f);
    }
    dcs_trace_reader *r = NULL;
    char msg[512], want[512];
    CHECK_INT(dcs_trace_reader_open(path, true, &r, msg, sizeof msg), DCS_EINPUT);
    snprintf(want, sizeof want, "%s: not an HDF5 file", path);
    CHECK_STR(msg, want);
    CHECK_INT(dcs_trace_reader_open(dir, true, &r, msg, sizeof msg), DCS_EINPUT);
    snprintf(want, sizeof want, "%s: not a regular file", dir);
    CHECK_STR(msg, want);
    CHECK(r == NULL);

    /* A committed trace cut short (a copy interrupted, a disk error). */
    path = in_dir("cut.h5");
    write_known(path, "cut", true);
    CHECK_INT(truncate(path, 3000), 0);
    CHECK_INT(dcs_trace_reader_open(path, true, &r, msg, sizeof msg), DCS_EINPUT);
    snprintf(want, sizeof want, "%s: damaged or unfinished HDF5 file: truncated file", path);
    CHECK(strncmp(msg, want, strlen(want)) == 0);
    CHECK(r == NULL);
}

/* An independent reader (h5dump, from hdf5-tools) sees the same layout. */
static void h5dump_reads_it(void)
{
    if (system("command -v h5dump >/dev/null 2>&1") != 0) {
        fprintf(stderr, "    h5dump not installed: check skipped\n");
        return;
    }
    const char *path = in_dir("export.h5");   /* written by export_text_is_exact */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "h5dump -A '%s'", path);
    FILE *p = popen(cmd, "r");
    static char text[65536];
    size_t n = p ? fread(text, 1, sizeof text - 1, p) : 0;
    text[n] = '\0';
    CHECK(p && pclose(p) == 0);
    CHECK(strstr(text, "ATTRIBUTE \"schema_version\"") != NULL);
    CHECK(strstr(text, "GROUP \"series\"") != NULL);
    CHECK(strstr(text, "DATASET \"it_power_w\"") != NULL);
    CHECK(strstr(text, "ATTRIBUTE \"unit\"") != NULL);
    CHECK(strstr(text, "\"energy_it_kwh\"") == NULL);   /* -A: no data */

    snprintf(cmd, sizeof cmd, "h5dump -d /sites/lulea/series/it_power_w '%s'", path);
    p = popen(cmd, "r");
    n = p ? fread(text, 1, sizeof text - 1, p) : 0;
    text[n] = '\0';
    CHECK(p && pclose(p) == 0);
    CHECK(strstr(text, "(0): 1000.5, 2000.25, 1500") != NULL);
    CHECK(strstr(text, "\"W\"") != NULL);
    if (!strstr(text, "(0): 1000.5, 2000.25, 1500"))
        fprintf(stderr, "%s\n", text);
}

int main(void)
{
    CHECK_INT(dcs_trace_init(), DCS_OK);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/dcsim-trace-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(layout_values_and_units);
    RUN(export_text_is_exact);
    RUN(numbers_round_trip);
    RUN(long_series);
    RUN(abort_leaves_nothing_and_keeps_old);
    RUN(commit_after_failure_removes_tmp);
    RUN(killed_writer_is_not_a_trace);
    RUN(disk_full_is_an_error);
    RUN(not_a_trace);
    RUN(h5dump_reads_it);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return TEST_END();
}
