/*
 * sweep_index.c - DIR/sweep.csv and DIR/sweep.h5: one row per run found in
 * DIR (dcs_sweep_scan), so a sweep, a resumed sweep and `--merge` of shards
 * give the same index.
 *
 * Columns: name, scenario, one per --set key, seed, status, error, then one
 * per summary metric.  Keys and metrics are the union over runs in order of
 * first appearance (runs sorted by name); a run without one has "" (CSV) or
 * NaN (HDF5).  CSV fields are quoted when they hold a comma, quote or
 * newline (RFC 4180); numbers are printed with %.17g so they read back
 * exactly.  Wall times are left out: they differ from machine to machine.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/sweep.h"
#include "dcsim/xalloc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


/* The union of names, first appearance first; returns its size. */
static size_t add_unique(const char **set, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], name) == 0)
            return n;
    set[n] = name;
    return n + 1;
}

static const char *param_of(const dcs_sweep_entry *e, const char *key)
{
    for (size_t i = 0; i < e->nparams; i++)
        if (strcmp(e->keys[i], key) == 0)
            return e->values[i];
    return "";
}

static double metric_of(const dcs_sweep_entry *e, const char *m, const char **unit)
{
    for (size_t i = 0; i < e->nmetrics; i++)
        if (strcmp(e->metrics[i], m) == 0) {
            if (unit)
                *unit = e->units[i];
            return e->values_m[i];
        }
    return NAN;
}

static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static dcs_status write_csv(const char *dir, const dcs_sweep_entry *e, size_t n,
                            const char **keys, size_t nk, const char **mets,
                            const char **units, size_t nm, char *msg, size_t msg_size)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(msg, msg_size, "%s: %s", tmp, strerror(errno));
        return DCS_EIO;
    }
    fputs("name,scenario", f);
    for (size_t k = 0; k < nk; k++) {
        fputc(',', f);
        csv_field(f, keys[k]);
    }
    fputs(",seed,status,error", f);
    for (size_t m = 0; m < nm; m++) {
        char h[512];
        snprintf(h, sizeof h, "%s [%s]", mets[m], units[m]);
        fputc(',', f);
        csv_field(f, h);
    }
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        csv_field(f, e[i].name);
        fputc(',', f);
        csv_field(f, e[i].scenario);
        for (size_t k = 0; k < nk; k++) {
            fputc(',', f);
            csv_field(f, param_of(&e[i], keys[k]));
        }
        fprintf(f, ",%" PRIu64 ",%s,", e[i].seed, e[i].ok ? "ok" : "failed");
        csv_field(f, e[i].ok ? "" : e[i].error);
        for (size_t m = 0; m < nm; m++) {
            double v = metric_of(&e[i], mets[m], NULL);
            if (isnan(v))
                fputc(',', f);
            else
                fprintf(f, ",%.17g", v);
        }
        fputc('\n', f);
    }
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(msg, msg_size, "%s: cannot write the index", path);
        remove(tmp);
        return DCS_EIO;
    }
    return DCS_OK;
}

static dcs_status write_h5(const char *dir, const dcs_sweep_entry *e, size_t n,
                           const char **keys, size_t nk, const char **mets,
                           const char **units, size_t nm, char *msg, size_t msg_size)
{
    size_t ncols = 5 + nk + nm;
    dcs_sweep_column *cols = dcs_xcalloc(ncols, sizeof *cols);
    const char **text = dcs_xcalloc((4 + nk) * (n ? n : 1), sizeof *text);
    double *num = dcs_xcalloc((1 + nm) * (n ? n : 1), sizeof *num);
    size_t c = 0, t = 0, v = 0;
#define TEXT_COL(NAME, EXPR)                                          \
    do {                                                              \
        for (size_t i = 0; i < n; i++)                                \
            text[t * n + i] = (EXPR);                                 \
        cols[c++] = (dcs_sweep_column){(NAME), NULL, &text[t++ * n], NULL}; \
    } while (0)
    TEXT_COL("name", e[i].name);
    TEXT_COL("scenario", e[i].scenario);
    for (size_t k = 0; k < nk; k++)
        TEXT_COL(keys[k], param_of(&e[i], keys[k]));
    for (size_t i = 0; i < n; i++)
        num[v * n + i] = (double)e[i].seed;
    cols[c++] = (dcs_sweep_column){"seed", "1", NULL, &num[v++ * n]};
    TEXT_COL("status", e[i].ok ? "ok" : "failed");
    TEXT_COL("error", e[i].ok ? "" : e[i].error);
#undef TEXT_COL
    for (size_t m = 0; m < nm; m++) {
        for (size_t i = 0; i < n; i++)
            num[v * n + i] = metric_of(&e[i], mets[m], NULL);
        cols[c++] = (dcs_sweep_column){mets[m], units[m], NULL, &num[v++ * n]};
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/sweep.h5", dir);
    dcs_status st = dcs_sweep_index_h5(path, cols, c, n, msg, msg_size);
    free(cols);
    free(text);
    free(num);
    return st;
}

dcs_status dcs_sweep_index(const char *dir, size_t *nruns, char *msg, size_t msg_size)
{
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_entry *e = NULL;
    size_t n = 0;
    dcs_status st = dcs_sweep_scan(&dir, 1, d, &e, &n);
    if (st == DCS_EIO) {
        snprintf(msg, msg_size, "%s", dcs_diag_count(d) ? dcs_diag_line(d, 0) : dir);
        goto done;
    }
    /* A file that is not a complete trace is left out of the index; the
     * index is still written and the caller hears of the first such file. */
    dcs_status scan_st = st;
    size_t nk = 0, nm = 0, maxk = 0, maxm = 0;
    for (size_t i = 0; i < n; i++) {
        maxk += e[i].nparams;
        maxm += e[i].nmetrics;
    }
    const char **keys = dcs_xcalloc(maxk, sizeof *keys);
    const char **mets = dcs_xcalloc(maxm, sizeof *mets);
    const char **units = dcs_xcalloc(maxm, sizeof *units);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < e[i].nparams; k++)
            nk = add_unique(keys, nk, e[i].keys[k]);
        for (size_t m = 0; m < e[i].nmetrics; m++) {
            size_t before = nm;
            nm = add_unique(mets, nm, e[i].metrics[m]);
            if (nm > before)
                units[before] = e[i].units[m];
        }
    }
    st = write_csv(dir, e, n, keys, nk, mets, units, nm, msg, msg_size);
    if (st == DCS_OK)
        st = write_h5(dir, e, n, keys, nk, mets, units, nm, msg, msg_size);
    free(keys);
    free(mets);
    free(units);
    if (st == DCS_OK && scan_st != DCS_OK) {
        st = scan_st;
        snprintf(msg, msg_size, "%s (left out of the index)",
                 dcs_diag_count(d) ? dcs_diag_line(d, 0) : dir);
    }
    if (nruns)
        *nruns = n;
done:
    dcs_sweep_entries_free(e, n);
    dcs_diag_free(d);
    return st;
}
