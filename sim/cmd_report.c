/*
 * cmd_report.c - `dcsim report DIR -o REPORT_DIR [--baseline D]
 * [--metrics M1,M2,...]`: compare the designs of a sweep, render the plots
 * of analysis/ with gnuplot as SVG, and write REPORT_DIR/index.html with the
 * plots inlined (no external links or scripts): the question (scenario
 * name), the designs, each design's effective scenario text, the comparison
 * table with confidence intervals, the plots, and the version and seeds to
 * reproduce it.  The scripts are found in $DCSIM_ANALYSIS_DIR, else in the
 * source tree's analysis/ folder.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/cli.h"
#include "dcsim/compare.h"
#include "dcsim/diag.h"
#include "dcsim/report.h"
#include "dcsim/sweep.h"
#include "dcsim/trace.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_METRICS = 64, PATH_LEN = 4096 };

/* Default metrics drawn as bars when --metrics is not given. */
static const char *const default_metrics[] = {"energy_facility_kwh", "carbon_kg", "water_l",
                                              "cost_usd", "pue"};

static void help(FILE *out)
{
    fprintf(out, "usage: dcsim report SWEEP_DIR -o REPORT_DIR [--baseline DESIGN]\n"
                 "                    [--metrics M1,M2,...]\n\n"
                 "Write REPORT_DIR/index.html: a self-contained review of the sweep\n"
                 "(comparison table with 95 %% CIs, SVG plots from gnuplot, assumptions,\n"
                 "versions and seeds).  gnuplot must be on PATH.\n");
}

/* Run gnuplot -e VARS SCRIPT; 0 if it exited with 0. */
static int gnuplot(const char *vars, const char *script)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Copy the file at path into out (an SVG to inline); 0 if read. */
static int copy_file(const char *path, FILE *out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, out);
    fclose(f);
    return 0;
}

/* Print the SVG at path into the page, skipping its XML prologue. */
static void inline_svg(FILE *html, const char *path, const char *caption)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return;
    int rc = copy_file(path, m);
    fclose(m);
    const char *svg = rc == 0 && buf ? strstr(buf, "<svg") : NULL;
    fputs("<figure>", html);
    if (svg)
        fputs(svg, html);
    else
        fputs("<p>(plot missing)</p>", html);
    fputs("<figcaption>", html);
    dcs_report_escape(html, caption);
    fputs("</figcaption></figure>\n", html);
    free(buf);
}

/* Print the compare CSV at path as an HTML table. */
static void csv_table(FILE *html, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[8192];
    bool first = true;
    fputs("<table id=\"comparison\">\n", html);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        fputs("<tr>", html);
        char *p = line;
        /* Fields may be empty (a missing CI), so split by hand, not strtok. */
        for (;;) {
            char *comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            fputs(first ? "<th>" : "<td>", html);
            dcs_report_escape(html, p);
            fputs(first ? "</th>" : "</td>", html);
            if (!comma)
                break;
            p = comma + 1;
        }
        fputs("</tr>\n", html);
        first = false;
    }
    fputs("</table>\n", html);
    fclose(f);
}

/* The first "sites/NAME/series" dataset of a trace into site (NAME). */
/* The NAME of the first dataset "PREFIX NAME SUFFIX" that trace lists
 * (e.g. prefix "sites/", suffix "/series"); false when there is none. */
static bool first_named(const char *trace, const char *prefix, const char *suffix, char *name,
                        size_t size)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return false;
    dcs_trace_export_opts eo = {false, stderr};
    dcs_status st = dcs_trace_export_list(trace, &eo, m);
    fclose(m);
    bool found = false;
    size_t lp = strlen(prefix), ls = strlen(suffix);
    for (char *l = buf; st == DCS_OK && l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = '\0';
        size_t n = strlen(l);
        if (strncmp(l, prefix, lp) == 0 && n > lp + ls && strcmp(l + n - ls, suffix) == 0 &&
            n - lp - ls < size) {
            memcpy(name, l + lp, n - lp - ls);
            name[n - lp - ls] = '\0';
            found = true;
            break;
        }
        l = nl ? nl + 1 : NULL;
    }
    free(buf);
    return found;
}

static bool first_site(const char *trace, char *site, size_t size)
{
    return first_named(trace, "sites/", "/series", site, size);
}

/* Write the dataset of trace into path; true if it worked. */
static bool export_to(const char *trace, const char *dataset, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    dcs_trace_export_opts eo = {false, stderr};
    dcs_status st = dcs_trace_export_dataset(trace, dataset, &eo, f);
    return (fclose(f) == 0) && st == DCS_OK;
}

/* The end-to-end latency CDF of the first inference workload of the first
 * run, one curve per design (its first successful run), when the runs
 * serve requests. */
static void latency_cdf(FILE *html, const dcs_sweep_entry *e, size_t n,
                        const dcs_sweep_entry *first, const char *outdir, const char *scripts)
{
    char wl[256];
    if (!first_named(first->path, "workloads/", "/histograms/e2e", wl, sizeof wl) ||
        strchr(wl, '\''))
        return;
    char files[4096] = "", titles[4096] = "", ds[512], tsv[PATH_LEN];
    snprintf(ds, sizeof ds, "workloads/%s/histograms/e2e", wl);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= e[j].ok && strcmp(e[j].design, e[i].design) == 0;
        if (seen || !e[i].ok || strchr(e[i].design, '\'') || strchr(e[i].design, ' '))
            continue;
        snprintf(tsv, sizeof tsv, "%s/e2e_%d.tsv", outdir, k);
        if (!export_to(e[i].path, ds, tsv))
            continue;
        if (strlen(files) + strlen(tsv) + 2 >= sizeof files ||
            strlen(titles) + strlen(e[i].design) + 2 >= sizeof titles)
            break;
        strcat(strcat(files, k ? " " : ""), tsv);
        strcat(strcat(titles, k ? " " : ""), e[i].design);
        k++;
    }
    if (k == 0)
        return;
    char q[PATH_LEN], vars[16384], p[PATH_LEN];
    snprintf(q, sizeof q, "%s/latency_cdf.svg", outdir);
    snprintf(vars, sizeof vars, "in='%s'; titles='%s'; out='%s'; what='%s e2e'", files, titles,
             q, wl);
    snprintf(p, sizeof p, "%s/latency_cdf.gp", scripts);
    if (gnuplot(vars, p) != 0)
        fprintf(stderr, "dcsim report: gnuplot failed on the latency CDF\n");
    inline_svg(html, q, "end-to-end latency CDF per design");
}

static bool has_metric(const dcs_sweep_entry *e, const char *m)
{
    for (size_t i = 0; i < e->nmetrics; i++)
        if (strcmp(e->metrics[i], m) == 0)
            return true;
    return false;
}

static int report(const char *sweep, const char *outdir, const dcs_compare_opts *co)
{
    const char *adir = getenv("DCSIM_ANALYSIS_DIR");
    char scripts[PATH_LEN / 2], p[PATH_LEN], q[PATH_LEN], vars[3 * PATH_LEN];
    snprintf(scripts, sizeof scripts, "%s", adir ? adir : DCSIM_SOURCE_DIR "/analysis");
    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        fprintf(stderr, "dcsim report: gnuplot is not on PATH (Debian: apt-get install gnuplot)\n");
        return DCS_EXIT_FAIL;
    }
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "dcsim report: cannot make %s: %s\n", outdir, strerror(errno));
        return DCS_EXIT_FAIL;
    }
    /* The comparison, kept next to the page as CSV. */
    snprintf(p, sizeof p, "%s/compare.csv", outdir);
    FILE *csv = fopen(p, "w");
    if (!csv) {
        fprintf(stderr, "dcsim report: cannot write %s: %s\n", p, strerror(errno));
        return DCS_EXIT_FAIL;
    }
    const char *paths[1] = {sweep};
    int rc = dcs_compare_print(paths, 1, co, csv, stderr);
    if (fclose(csv) != 0 && rc == 0)
        rc = DCS_EXIT_FAIL;
    if (rc != 0)
        return rc;

    dcs_diag *d = dcs_diag_new();
    dcs_sweep_entry *e = NULL;
    size_t n = 0;
    dcs_status st = dcs_sweep_scan(paths, 1, d, &e, &n);
    dcs_diag_free(d);
    if (st == DCS_EIO) {
        fprintf(stderr, "dcsim report: cannot read %s\n", sweep);
        return DCS_EXIT_FAIL;
    }
    const dcs_sweep_entry *first = NULL;
    for (size_t i = 0; i < n && !first; i++)
        if (e[i].ok)
            first = &e[i];
    if (!first) {
        fprintf(stderr, "dcsim report: no complete run in %s\n", sweep);
        dcs_sweep_entries_free(e, n);
        return DCS_EXIT_FAIL;
    }

    snprintf(p, sizeof p, "%s/index.html", outdir);
    FILE *html = fopen(p, "w");
    if (!html) {
        fprintf(stderr, "dcsim report: cannot write %s: %s\n", p, strerror(errno));
        dcs_sweep_entries_free(e, n);
        return DCS_EXIT_FAIL;
    }
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>dcsim report: ", html);
    dcs_report_escape(html, first->scenario);
    fputs("</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
          "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #999;"
          "padding:2px 6px}figure{margin:1em 0}pre{background:#f4f4f4;overflow:auto}"
          "</style></head><body>\n<h1>Question: ",
          html);
    dcs_report_escape(html, first->scenario);
    fputs("</h1>\n<p>Which of the designs below does best on the metrics of the table, with "
          "95 % confidence intervals over seeds?</p>\n<h2>Designs compared</h2>\n<ul>\n",
          html);
    /* Designs in order of first appearance, each with its assumptions. */
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(e[j].design, e[i].design) == 0;
        if (seen || !e[i].ok)
            continue;
        fputs("<li>", html);
        dcs_report_escape(html, e[i].design);
        fputs("</li>\n", html);
    }
    fputs("</ul>\n<h2>Assumptions</h2>\n", html);
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(e[j].design, e[i].design) == 0;
        if (seen || !e[i].ok)
            continue;
        char *txt = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&txt, &len);
        if (!m)
            continue;
        dcs_trace_export_opts eo = {false, stderr};
        dcs_status s2 = dcs_trace_export_dataset(e[i].path, "scenario", &eo, m);
        fclose(m);
        fputs("<details><summary>", html);
        dcs_report_escape(html, e[i].design);
        fputs(" (effective scenario)</summary><pre>", html);
        dcs_report_escape(html, s2 == DCS_OK && txt ? txt : "(not readable)");
        fputs("</pre></details>\n", html);
        free(txt);
    }
    fputs("<h2>Comparison (mean, 95 % CI half-width, paired difference against the "
          "baseline)</h2>\n",
          html);
    snprintf(p, sizeof p, "%s/compare.csv", outdir);
    csv_table(html, p);

    fputs("<h2>Plots</h2>\n", html);
    size_t nm = co->metrics ? co->nmetrics : sizeof default_metrics / sizeof *default_metrics;
    for (size_t k = 0; k < nm; k++) {
        const char *m = co->metrics ? co->metrics[k] : default_metrics[k];
        if (!has_metric(first, m) || strchr(m, '\'') || strchr(m, '/'))
            continue;
        snprintf(q, sizeof q, "%s/bars_%s.svg", outdir, m);
        snprintf(vars, sizeof vars, "in='%s/compare.csv'; out='%s'; metric='%s'", outdir, q, m);
        snprintf(p, sizeof p, "%s/design_bars.gp", scripts);
        if (gnuplot(vars, p) != 0)
            fprintf(stderr, "dcsim report: gnuplot failed on %s\n", m);
        inline_svg(html, q, m);
    }
    const char *px = has_metric(first, "sla_violation_pct") ? "sla_violation_pct"
                                                                  : "cost_usd";
    if (has_metric(first, "carbon_kg") && has_metric(first, px)) {
        snprintf(q, sizeof q, "%s/pareto.svg", outdir);
        snprintf(vars, sizeof vars, "in='%s/compare.csv'; out='%s'; x='%s'; y='carbon_kg'",
                 outdir, q, px);
        snprintf(p, sizeof p, "%s/pareto.gp", scripts);
        if (gnuplot(vars, p) != 0)
            fprintf(stderr, "dcsim report: gnuplot failed on the Pareto plot\n");
        inline_svg(html, q, "carbon against another metric per design");
    }
    char site[256];
    if (first_site(first->path, site, sizeof site) && !strchr(site, '\'')) {
        char ds[512], tsv[PATH_LEN];
        snprintf(ds, sizeof ds, "sites/%s/series", site);
        snprintf(tsv, sizeof tsv, "%s/series.tsv", outdir);
        if (export_to(first->path, ds, tsv)) {
            const char *gp[2] = {"series", "pue_ambient"};
            for (int g = 0; g < 2; g++) {
                snprintf(q, sizeof q, "%s/%s.svg", outdir, gp[g]);
                snprintf(vars, sizeof vars, "in='%s'; out='%s'; site='%s'", tsv, q, site);
                snprintf(p, sizeof p, "%s/%s.gp", scripts, gp[g]);
                if (gnuplot(vars, p) != 0)
                    fprintf(stderr, "dcsim report: gnuplot failed on %s\n", gp[g]);
                inline_svg(html, q, first->name);
            }
        }
    }
    latency_cdf(html, e, n, first, outdir, scripts);
    fputs("<h2>Reproduce</h2>\n<p>dcsim " DCSIM_VERSION "; runs and seeds:</p>\n<ul>\n", html);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", html);
        dcs_report_escape(html, e[i].name);
        fprintf(html, " (seed %llu, %s)</li>\n", (unsigned long long)e[i].seed,
                e[i].ok ? "ok" : "failed");
    }
    fputs("</ul>\n<p>Rebuild the table with <code>dcsim compare SWEEP_DIR</code>; each run "
          "again with <code>dcsim run</code> on its effective scenario above.</p>\n"
          "</body></html>\n",
          html);
    dcs_sweep_entries_free(e, n);
    if (fclose(html) != 0) {
        fprintf(stderr, "dcsim report: cannot write index.html\n");
        return DCS_EXIT_FAIL;
    }
    return DCS_EXIT_OK;
}

int dcs_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"baseline", required_argument, NULL, 'B'},
                                         {"metrics", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    dcs_compare_opts co = {NULL, NULL, NULL, 0, 0.95, DCS_COMPARE_CSV};
    const char *outdir = NULL;
    char *metrics_arg = NULL;
    const char *metrics[MAX_METRICS];
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'B': co.baseline = optarg; break;
        case 'm': metrics_arg = optarg; break;
        case 'h': help(stdout); return DCS_EXIT_OK;
        default:
            fprintf(stderr, "dcsim report: unknown or incomplete option '%s'\n",
                    argv[optind - 1]);
            help(stderr);
            return DCS_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || !outdir) {
        help(stderr);
        return DCS_EXIT_USAGE;
    }
    if (metrics_arg) {
        char *save = NULL;
        for (char *m = strtok_r(metrics_arg, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
            if (co.nmetrics == MAX_METRICS) {
                fprintf(stderr, "dcsim report: more than %d metrics\n", MAX_METRICS);
                return DCS_EXIT_USAGE;
            }
            metrics[co.nmetrics++] = m;
        }
        co.metrics = co.nmetrics ? metrics : NULL;
    }
    return report(argv[optind], outdir, &co);
}
