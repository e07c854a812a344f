/*
 * sweep_plan.c - expanding `dcsim sweep` arguments into runs, and the run
 * names.
 *
 * The product is enumerated with the scenario outermost, then the --set keys
 * in the order given (the last key varying fastest), then the seed, so runs
 * of one design are neighbours and the run index used by --shard is stable
 * for a given command line.  Seeds are the scenario's own seed + 0..N-1.
 */
#include "dcsim/sweep.h"
#include "dcsim/xalloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/scenario.h"



size_t dcs_sweep_sanitise(const char *text, char *out, size_t size)
{
    size_t n = 0;
    bool pending = false;   /* a run of other characters awaiting its '_' */
    for (const char *c = text; *c; c++) {
        char ch = *c;
        bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '.' || ch == '+' || ch == '-' ||
                    ch == '=';
        if (ch == ' ' || ch == '\t')
            continue;
        if (!keep) {
            pending = true;
            continue;
        }
        if (pending) {
            if (n + 1 < size)
                out[n] = '_';
            n++;
            pending = false;
        }
        if (n + 1 < size)
            out[n] = ch;
        n++;
    }
    if (pending) {
        if (n + 1 < size)
            out[n] = '_';
        n++;
    }
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

/* One --set option split into its key and values. */
typedef struct set_axis {
    char *key;
    char **values;
    size_t nvalues;
} set_axis;

static bool parse_axis(const char *arg, set_axis *ax)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return false;
    ax->key = dcs_xcalloc((size_t)(eq - arg) + 1, 1);
    memcpy(ax->key, arg, (size_t)(eq - arg));
    size_t cap = 1;
    for (const char *c = eq + 1; *c; c++)
        cap += *c == ',';
    ax->values = dcs_xcalloc(cap, sizeof *ax->values);
    const char *start = eq + 1;
    for (;;) {
        const char *end = strchr(start, ',');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        if (len == 0)
            return false;   /* "a=1,,2" or a trailing comma */
        ax->values[ax->nvalues] = dcs_xcalloc(len + 1, 1);
        memcpy(ax->values[ax->nvalues++], start, len);
        if (!end)
            return true;
        start = end + 1;
    }
}

static void axis_free(set_axis *ax)
{
    for (size_t i = 0; i < ax->nvalues; i++)
        free(ax->values[i]);
    free(ax->values);
    free(ax->key);
}

/* The scenario file's name without folders and a .yaml/.yml suffix. */
static void scenario_stem(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", base);
    char *dot = strrchr(tmp, '.');
    if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0))
        *dot = '\0';
    dcs_sweep_sanitise(tmp, out, size);
}

/* The scenario's own seed; 0 when it cannot be read (its runs then fail
 * and are listed with the loader's message). */
static uint64_t scenario_seed(const char *path)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    uint64_t seed = 0;
    if (dcs_scenario_load(path, NULL, 0, d, &s) == DCS_OK && s->seed >= 0)
        seed = (uint64_t)s->seed;
    dcs_scenario_free(s);
    dcs_diag_free(d);
    return seed;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

dcs_status dcs_sweep_plan_build(const char *const *scenarios, size_t nscenarios,
                                const char *const *sets, size_t nsets,
                                unsigned seeds, dcs_diag *d, dcs_sweep_plan **out)
{
    *out = NULL;
    dcs_status st = DCS_OK;
    set_axis *axes = dcs_xcalloc(nsets, sizeof *axes);
    size_t combos = 1;
    for (size_t i = 0; i < nsets; i++) {
        dcs_loc loc = {"--set", (int)i + 1, 0};
        if (!parse_axis(sets[i], &axes[i])) {
            dcs_diag_error(d, loc, "'%s' is not KEY=V1,V2,... (no empty values)", sets[i]);
            st = DCS_EINPUT;
            continue;
        }
        if (strcmp(axes[i].key, "seed") == 0) {
            dcs_diag_error(d, loc, "the seed is swept with --seeds N, not --set seed=...");
            st = DCS_EINPUT;
        }
        for (size_t j = 0; j < i; j++)
            if (axes[j].key && strcmp(axes[j].key, axes[i].key) == 0) {
                dcs_diag_error(d, loc, "key '%s' is already swept by --set %zu",
                               axes[i].key, j + 1);
                st = DCS_EINPUT;
            }
        combos *= axes[i].nvalues;
    }
    if (nscenarios == 0 || seeds == 0) {
        dcs_diag_error(d, (dcs_loc){"sweep", 0, 0}, "need at least one scenario and one seed");
        st = DCS_EINPUT;
    }
    if (st != DCS_OK)
        goto done;

    dcs_sweep_plan *p = dcs_xcalloc(1, sizeof *p);
    p->nruns = nscenarios * combos * seeds;
    p->runs = dcs_xcalloc(p->nruns, sizeof *p->runs);
    size_t *digit = dcs_xcalloc(nsets, sizeof *digit);
    size_t r = 0;
    for (size_t sc = 0; sc < nscenarios; sc++) {
        uint64_t base = scenario_seed(scenarios[sc]);
        char stem[256];
        scenario_stem(scenarios[sc], stem, sizeof stem);
        for (size_t combo = 0; combo < combos; combo++) {
            /* Mixed-radix digits of combo: the last key varies fastest. */
            size_t rest = combo;
            for (size_t k = nsets; k-- > 0;) {
                digit[k] = rest % axes[k].nvalues;
                rest /= axes[k].nvalues;
            }
            for (unsigned sd = 0; sd < seeds; sd++, r++) {
                dcs_sweep_run *run = &p->runs[r];
                run->scenario = scenarios[sc];
                run->seed = base + sd;
                run->nsets = nsets;
                run->sets = dcs_xcalloc(nsets, sizeof *run->sets);
                char name[4096];
                size_t len = (size_t)snprintf(name, sizeof name, "%s", stem);
                for (size_t k = 0; k < nsets; k++) {
                    const char *v = axes[k].values[digit[k]];
                    run->sets[k] = dcs_xcalloc(strlen(axes[k].key) + strlen(v) + 2, 1);
                    sprintf(run->sets[k], "%s=%s", axes[k].key, v);
                    char part[1024];
                    dcs_sweep_sanitise(run->sets[k], part, sizeof part);
                    if (len < sizeof name)
                        len += (size_t)snprintf(name + len, sizeof name - len, "__%s", part);
                }
                if (len < sizeof name)
                    snprintf(name + len, sizeof name - len, "__seed%" PRIu64, run->seed);
                run->name = dcs_xstrdup(name);
            }
        }
    }
    free(digit);

    /* Distinct values may sanitise to one name ("30 MW", "30MW"), and the
     * same scenario may be given twice: either would make two runs share a
     * trace. */
    char **names = dcs_xcalloc(p->nruns, sizeof *names);
    for (size_t i = 0; i < p->nruns; i++)
        names[i] = p->runs[i].name;
    qsort(names, p->nruns, sizeof *names, cmp_names);
    for (size_t i = 1; i < p->nruns; i++)
        if (strcmp(names[i - 1], names[i]) == 0) {
            dcs_diag_error(d, (dcs_loc){"sweep", 0, 0},
                           "two runs would both be named '%s' (values that differ only in "
                           "spaces or punctuation, or a scenario given twice)",
                           names[i]);
            st = DCS_EINPUT;
            break;
        }
    free(names);
    if (st != DCS_OK)
        dcs_sweep_plan_free(p);
    else
        *out = p;
done:
    for (size_t i = 0; i < nsets; i++)
        axis_free(&axes[i]);
    free(axes);
    return st;
}

void dcs_sweep_plan_free(dcs_sweep_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nruns; i++) {
        for (size_t k = 0; k < p->runs[i].nsets; k++)
            free(p->runs[i].sets[k]);
        free(p->runs[i].sets);
        free(p->runs[i].name);
    }
    free(p->runs);
    free(p);
}
