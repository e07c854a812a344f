/*
 * compare_table.c - grouping runs into designs and printing the comparison
 * table of `dcsim compare` as text, CSV or Markdown.
 *
 * A design is everything but the seed: the run name without "__seedN"
 * (sweep.h), or with --by KEY the value of that one --set key (other keys
 * pooled).  Per design and metric the value of a seed is the mean of the
 * design's runs with that seed (one run without --by); the interval is over
 * seeds (compare.c).  The paired difference against the baseline uses the
 * seeds both designs ran, in increasing seed order.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/compare.h"
#include "dcsim/xalloc.h"
#include "dcsim/sweep.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>



/* The design a run belongs to, written into buf. */
static const char *design_of(const dcs_sweep_entry *e, const char *by, char *buf, size_t size)
{
    if (!by)
        return e->design;
    if (strcmp(by, "scenario") == 0)
        return e->scenario;
    const char *v = "(unset)";
    for (size_t i = 0; i < e->nparams; i++)
        if (strcmp(e->keys[i], by) == 0)
            v = e->values[i];
    snprintf(buf, size, "%s=%s", by, v);
    return buf;
}

static double metric_of(const dcs_sweep_entry *e, const char *m)
{
    for (size_t i = 0; i < e->nmetrics; i++)
        if (strcmp(e->metrics[i], m) == 0)
            return e->values_m[i];
    return NAN;
}

/* The table's inputs: ok runs, each with its design's index. */
typedef struct table {
    const dcs_sweep_entry *e;
    size_t n;
    size_t *design;        /* design index of each run */
    char **names;          /* design names, first appearance first */
    size_t ndesigns;
} table;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Per-seed values of metric m in design g: seeds ascending in seeds[],
 * values in vals[]; returns how many. */
static size_t per_seed(const table *t, size_t g, const char *m, uint64_t *seeds, double *vals)
{
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->design[i] != g || isnan(metric_of(&t->e[i], m)))
            continue;
        bool seen = false;
        for (size_t j = 0; j < k; j++)
            seen |= seeds[j] == t->e[i].seed;
        if (!seen)
            seeds[k++] = t->e[i].seed;
    }
    qsort(seeds, k, sizeof *seeds, cmp_u64);
    for (size_t j = 0; j < k; j++) {
        double sum = 0;
        int cnt = 0;
        for (size_t i = 0; i < t->n; i++) {
            double v = metric_of(&t->e[i], m);
            if (t->design[i] == g && t->e[i].seed == seeds[j] && !isnan(v)) {
                sum += v;
                cnt++;
            }
        }
        vals[j] = sum / cnt;
    }
    return k;
}

static void print_num(FILE *out, dcs_compare_format f, double v)
{
    if (isnan(v))
        fputs(f == DCS_COMPARE_CSV ? "" : "-", out);
    else
        fprintf(out, f == DCS_COMPARE_CSV ? "%.17g" : "%.6g", v);
}

static void header(FILE *out, dcs_compare_format f, double level, int width)
{
    int pct = (int)lround(level * 100);
    if (f == DCS_COMPARE_CSV)
        fprintf(out, "design,metric,unit,n,mean,ci%d_half_width,diff_vs_baseline,"
                     "diff_ci%d_half_width,n_pairs\n", pct, pct);
    else if (f == DCS_COMPARE_MARKDOWN)
        fprintf(out, "| design | metric | unit | n | mean | ± %d %% CI | diff vs baseline | "
                     "± %d %% CI | pairs |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n",
                pct, pct);
    else
        fprintf(out, "%-*s %-24s %-8s %4s %14s %12s %14s %12s %5s\n", width, "design", "metric",
                "unit", "n", "mean", "+-CI", "diff", "+-CI", "pairs");
}

static void row(FILE *out, dcs_compare_format f, int width, const char *design,
                const char *metric, const char *unit, dcs_compare_ci ci, dcs_compare_ci diff,
                bool is_base)
{
    double dv = is_base ? (double)NAN : diff.mean;
    double dh = is_base ? (double)NAN : diff.half_width;
    if (f == DCS_COMPARE_TEXT) {
        char b[5][32];
        double v[4] = {ci.mean, ci.half_width, dv, dh};
        for (int i = 0; i < 4; i++)
            snprintf(b[i], sizeof b[i], isnan(v[i]) ? "-" : "%.6g", v[i]);
        snprintf(b[4], sizeof b[4], is_base ? "base" : "%zu", diff.n);
        fprintf(out, "%-*s %-24s %-8s %4zu %14s %12s %14s %12s %5s\n", width, design, metric, unit,
                ci.n, b[0], b[1], b[2], b[3], b[4]);
        return;
    }
    const char *sep = f == DCS_COMPARE_CSV ? "," : " | ";
    if (f == DCS_COMPARE_MARKDOWN)
        fputs("| ", out);
    fprintf(out, "%s%s%s%s%s%s%zu%s", design, sep, metric, sep, unit, sep, ci.n, sep);
    print_num(out, f, ci.mean);
    fputs(sep, out);
    print_num(out, f, ci.half_width);
    fputs(sep, out);
    print_num(out, f, dv);
    fputs(sep, out);
    print_num(out, f, dh);
    fputs(sep, out);
    if (is_base)
        fputs("baseline", out);
    else
        fprintf(out, "%zu", diff.n);
    fputs(f == DCS_COMPARE_MARKDOWN ? " |\n" : "\n", out);
}

int dcs_compare_print(const char *const *paths, size_t npaths,
                      const dcs_compare_opts *opts, FILE *out, FILE *err)
{
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_entry *all = NULL;
    size_t nall = 0;
    dcs_status st = dcs_sweep_scan(paths, npaths, d, &all, &nall);
    dcs_diag_print(d, err);
    dcs_diag_free(d);
    if (st == DCS_EIO)
        goto fail_scan;

    /* Only complete runs take part; failed ones are counted. */
    table t = {0};
    dcs_sweep_entry *ok = dcs_xcalloc(nall, sizeof *ok);
    size_t failed = 0;
    for (size_t i = 0; i < nall; i++) {
        if (all[i].ok)
            ok[t.n++] = all[i];
        else
            failed++;
    }
    t.e = ok;
    if (failed)
        fprintf(err, "dcsim compare: %zu failed runs left out\n", failed);
    int rc = 2;
    t.design = dcs_xcalloc(t.n, sizeof *t.design);
    t.names = dcs_xcalloc(t.n, sizeof *t.names);
    const char **mets = NULL, **units = NULL;
    size_t nm = 0, maxm = 0;
    for (size_t i = 0; i < t.n; i++) {
        char buf[512];
        const char *name = design_of(&ok[i], opts->by, buf, sizeof buf);
        size_t g = 0;
        while (g < t.ndesigns && strcmp(t.names[g], name) != 0)
            g++;
        if (g == t.ndesigns)
            t.names[t.ndesigns++] = dcs_xstrdup(name);
        t.design[i] = g;
        maxm += ok[i].nmetrics;
    }
    if (t.n == 0) {
        fprintf(err, "dcsim compare: no complete runs found\n");
        goto done;
    }
    size_t base = 0;
    if (opts->baseline) {
        while (base < t.ndesigns && strcmp(t.names[base], opts->baseline) != 0)
            base++;
        if (base == t.ndesigns) {
            fprintf(err, "dcsim compare: no design named '%s'; designs are:\n", opts->baseline);
            for (size_t g = 0; g < t.ndesigns; g++)
                fprintf(err, "  %s\n", t.names[g]);
            goto done;
        }
    }
    mets = dcs_xcalloc(maxm, sizeof *mets);
    units = dcs_xcalloc(maxm, sizeof *units);
    for (size_t i = 0; i < t.n; i++)
        for (size_t k = 0; k < ok[i].nmetrics; k++) {
            size_t j = 0;
            while (j < nm && strcmp(mets[j], ok[i].metrics[k]) != 0)
                j++;
            if (j == nm) {
                mets[nm] = ok[i].metrics[k];
                units[nm++] = ok[i].units[k];
            }
        }
    /* --metrics selects and orders. */
    size_t nsel = opts->metrics ? opts->nmetrics : nm;
    size_t *sel = dcs_xcalloc(nsel, sizeof *sel);
    for (size_t s = 0; s < nsel; s++) {
        if (!opts->metrics) {
            sel[s] = s;
            continue;
        }
        size_t j = 0;
        while (j < nm && strcmp(mets[j], opts->metrics[s]) != 0)
            j++;
        if (j == nm) {
            fprintf(err, "dcsim compare: no metric named '%s'; metrics are:", opts->metrics[s]);
            for (size_t k = 0; k < nm; k++)
                fprintf(err, " %s", mets[k]);
            fputc('\n', err);
            free(sel);
            goto done;
        }
        sel[s] = j;
    }

    uint64_t *sa = dcs_xcalloc(t.n, sizeof *sa), *sb = dcs_xcalloc(t.n, sizeof *sb);
    double *va = dcs_xcalloc(t.n, sizeof *va), *vb = dcs_xcalloc(t.n, sizeof *vb);
    double *pa = dcs_xcalloc(t.n, sizeof *pa), *pb = dcs_xcalloc(t.n, sizeof *pb);
    int width = 6;   /* the text format's design column fits every name */
    for (size_t g = 0; g < t.ndesigns; g++)
        if ((int)strlen(t.names[g]) > width)
            width = (int)strlen(t.names[g]);
    header(out, opts->format, opts->level, width);
    for (size_t g = 0; g < t.ndesigns; g++)
        for (size_t s = 0; s < nsel; s++) {
            const char *m = mets[sel[s]];
            size_t na = per_seed(&t, g, m, sa, va);
            size_t nb = per_seed(&t, base, m, sb, vb);
            size_t np = 0;
            for (size_t i = 0, j = 0; i < na && j < nb;) {
                if (sa[i] == sb[j]) {
                    pa[np] = va[i++];
                    pb[np++] = vb[j++];
                } else if (sa[i] < sb[j]) {
                    i++;
                } else {
                    j++;
                }
            }
            dcs_compare_ci ci = dcs_compare_mean_ci(va, na, opts->level);
            dcs_compare_ci diff = dcs_compare_paired_ci(pa, pb, np, opts->level);
            row(out, opts->format, width, t.names[g], m, units[sel[s]], ci, diff, g == base);
        }
    free(sa);
    free(sb);
    free(va);
    free(vb);
    free(pa);
    free(pb);
    free(sel);
    rc = ferror(out) ? 1 : 0;
done:
    for (size_t g = 0; g < t.ndesigns; g++)
        free(t.names[g]);
    free(t.names);
    free(t.design);
    free(mets);
    free(units);
    free(ok);
    dcs_sweep_entries_free(all, nall);
    return rc;
fail_scan:
    dcs_sweep_entries_free(all, nall);
    return 1;
}
