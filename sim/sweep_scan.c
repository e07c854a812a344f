/*
 * sweep_scan.c - reading a sweep's runs back from a directory or from trace
 * files: the parameters from the run name, the seed and summary metrics
 * from the trace, the error text of a failed run from its NAME.err.
 *
 * Parameters are read from the name (sweep.h: STEM__KEY=VALUE__...__seedN)
 * rather than stored apart, so any directory of traces, whichever shards or
 * attempts wrote them, is described by its file names alone.  The values are
 * therefore the sanitised ones ("30MW" for "30 MW").
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/sweep.h"
#include "dcsim/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dcsim/trace.h"




static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Split the stem into scenario, KEY=VALUE parts and an optional seedN. */
static void parse_name(dcs_sweep_entry *e)
{
    const char *s = e->name;
    const char *sep = strstr(s, "__");
    e->scenario = dcs_xstrndup(s, sep ? (size_t)(sep - s) : strlen(s));
    while (sep) {
        const char *part = sep + 2;
        sep = strstr(part, "__");
        size_t len = sep ? (size_t)(sep - part) : strlen(part);
        const char *eq = memchr(part, '=', len);
        char *end;
        if (!sep && !eq && len > 4 && strncmp(part, "seed", 4) == 0) {
            errno = 0;
            unsigned long long v = strtoull(part + 4, &end, 10);
            if (!errno && end == part + len) {
                e->seed = v;
                e->design = dcs_xstrndup(s, (size_t)(part - 2 - s));
            }
            continue;
        }
        if (!eq)
            continue;   /* a part this naming does not make: not a parameter */
        e->keys = dcs_xrealloc(e->keys, (e->nparams + 1) * sizeof *e->keys);
        e->values = dcs_xrealloc(e->values, (e->nparams + 1) * sizeof *e->values);
        e->keys[e->nparams] = dcs_xstrndup(part, (size_t)(eq - part));
        e->values[e->nparams++] = dcs_xstrndup(eq + 1, len - (size_t)(eq - part) - 1);
    }
    /* Without a seed part, design stays NULL: read_trace names it after the
     * trace's scenario attribute. */
}

/* Parse dcs_trace_export_summary's TSV into the entry's metric arrays. */
static void parse_summary(dcs_sweep_entry *e, char *tsv)
{
    char *save = NULL;
    char *line = strtok_r(tsv, "\n", &save);   /* the header */
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2)
            continue;
        *t1 = *t2 = '\0';
        size_t k = e->nmetrics++;
        e->metrics = dcs_xrealloc(e->metrics, e->nmetrics * sizeof *e->metrics);
        e->values_m = dcs_xrealloc(e->values_m, e->nmetrics * sizeof *e->values_m);
        e->units = dcs_xrealloc(e->units, e->nmetrics * sizeof *e->units);
        e->metrics[k] = dcs_xstrdup(line);
        e->values_m[k] = strtod(t1 + 1, NULL);
        e->units[k] = dcs_xstrdup(t2 + 1);
    }
}

/* Read a complete trace into e (name already set).  False with the reason
 * in d when it is not one. */
static bool read_trace(dcs_sweep_entry *e, dcs_diag *d)
{
    dcs_trace_reader *r = NULL;
    char msg[1024], scen[256];
    dcs_loc loc = {e->path, 0, 0};
    if (dcs_trace_reader_open(e->path, false, &r, msg, sizeof msg) != DCS_OK) {
        dcs_diag_error(d, loc, "%s", msg);
        return false;
    }
    uint64_t seed = 0;
    bool ok = dcs_trace_reader_attr_u64(r, "", "seed", &seed) == DCS_OK &&
              dcs_trace_reader_attr_str(r, "", "scenario", scen, sizeof scen) == DCS_OK;
    if (dcs_trace_reader_attr_f64(r, "", "wall_seconds", &e->wall_s) != DCS_OK)
        e->wall_s = NAN;
    dcs_trace_reader_close(r);
    if (!ok) {
        dcs_diag_error(d, loc, "no seed or scenario attribute");
        return false;
    }
    e->seed = seed;   /* the trace's own seed is authoritative */
    if (!e->design)
        e->design = dcs_xstrdup(scen);
    char *buf = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&buf, &size);
    if (!mem) {
        dcs_diag_error(d, loc, "cannot read the summary: %s", strerror(errno));
        return false;
    }
    dcs_trace_export_opts xo = {false, mem};
    dcs_status st = dcs_trace_export_summary(e->path, NULL, &xo, mem);
    fclose(mem);
    if (st != DCS_OK) {
        dcs_diag_error(d, loc, "cannot read the summary: %s", buf ? buf : "");
        free(buf);
        return false;
    }
    parse_summary(e, buf);
    free(buf);
    e->ok = true;
    return true;
}

/* The last non-empty line of a failed run's .err file. */
static char *read_error(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024], last[1024] = "the run failed (no message)";
    if (f) {
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            if (line[0])
                snprintf(last, sizeof last, "%s", line);
        }
        fclose(f);
    }
    return dcs_xstrdup(last);
}

typedef struct entries {
    dcs_sweep_entry *e;
    size_t n;
} entries;

static dcs_sweep_entry *push(entries *l, const char *path, const char *file, const char *ext)
{
    l->e = dcs_xrealloc(l->e, (l->n + 1) * sizeof *l->e);
    dcs_sweep_entry *e = &l->e[l->n++];
    *e = (dcs_sweep_entry){0};
    e->path = dcs_xstrdup(path);
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    e->name = dcs_xstrndup(base, has_suffix(base, ext) ? strlen(base) - strlen(ext) : strlen(base));
    e->wall_s = NAN;
    parse_name(e);
    return e;
}

static void entry_free(dcs_sweep_entry *e)
{
    for (size_t i = 0; i < e->nparams; i++) {
        free(e->keys[i]);
        free(e->values[i]);
    }
    for (size_t i = 0; i < e->nmetrics; i++) {
        free(e->metrics[i]);
        free(e->units[i]);
    }
    free(e->keys);
    free(e->values);
    free(e->metrics);
    free(e->values_m);
    free(e->units);
    free(e->path);
    free(e->name);
    free(e->design);
    free(e->scenario);
    free(e->error);
}

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const dcs_sweep_entry *)a)->name, ((const dcs_sweep_entry *)b)->name);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Add the runs of one directory, in name order. */
static dcs_status scan_dir(const char *dir, entries *l, dcs_diag *d, bool *bad)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        dcs_diag_error(d, (dcs_loc){dir, 0, 0}, "cannot list: %s", strerror(errno));
        return DCS_EIO;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh)))
        if ((has_suffix(de->d_name, ".h5") && strcmp(de->d_name, "sweep.h5") != 0) ||
            has_suffix(de->d_name, ".err")) {
            names = dcs_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = dcs_xstrdup(de->d_name);
        }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    char path[4096];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (has_suffix(names[i], ".h5")) {
            dcs_sweep_entry *e = push(l, path, names[i], ".h5");
            if (!read_trace(e, d)) {
                entry_free(e);
                l->n--;
                *bad = true;
            }
        } else {
            /* A .err beside a complete trace is stale: the run since
             * succeeded (sweep_exec removes it, a crash may not have). */
            char trace[4096];
            snprintf(trace, sizeof trace, "%.*s.h5", (int)(strlen(path) - 4), path);
            if (file_exists(trace))
                continue;
            dcs_sweep_entry *e = push(l, path, names[i], ".err");
            e->error = read_error(path);
            if (!e->design)
                e->design = dcs_xstrdup(e->name);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return DCS_OK;
}

dcs_status dcs_sweep_scan(const char *const *paths, size_t npaths, dcs_diag *d,
                          dcs_sweep_entry **out, size_t *n)
{
    entries l = {NULL, 0};
    bool bad = false;
    dcs_status st = DCS_OK;
    for (size_t i = 0; i < npaths && st == DCS_OK; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            st = scan_dir(paths[i], &l, d, &bad);
        } else {
            dcs_sweep_entry *e = push(&l, paths[i], paths[i], ".h5");
            if (!read_trace(e, d)) {
                entry_free(e);
                l.n--;
                bad = true;
            }
        }
    }
    qsort(l.e, l.n, sizeof *l.e, cmp_entries);
    *out = l.e;
    *n = l.n;
    return st != DCS_OK ? st : bad ? DCS_EINPUT : DCS_OK;
}

void dcs_sweep_entries_free(dcs_sweep_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_free(&e[i]);
    free(e);
}
