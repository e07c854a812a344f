/*
 * jobs_csv.c - job lists from files: dcsim's simple job CSV and the pod
 * list of the Alibaba GPU cluster trace 2023 (contract in
 * include/dcsim/jobs.h).
 *
 * Alibaba "openb" pod list (Weng et al., "Beware of Fragmentation",
 * USENIX ATC 2023; alibaba/clusterdata cluster-trace-gpu-v2023):
 *   name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,
 *   creation_time,deletion_time,scheduled_time     (times in s from start)
 * Mapping: submit = creation_time; work = deletion_time - scheduled_time
 * (the run, without the trace's own queueing); gpus = num_gpu; gpu_frac =
 * gpu_milli / 1000 (GPU sharing: 3,078 one-GPU pods use a fraction);
 * preemptible when qos is BE (best effort) [mapping choice: the trace has
 * no preemption flag]; no deadline and no checkpoints (the trace has
 * none).  Pods without GPUs, never scheduled (Pending: empty
 * scheduled_time) or with zero run time are counted in `skipped`.
 * The trace has no power or utilisation data.
 */
#include "dcsim/jobs.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LINE_CHARS 2048
#define MAX_FIELDS 16

typedef struct row {
    int n;
    char *f[MAX_FIELDS];   /* fields, NUL-terminated in place */
    int col[MAX_FIELDS];   /* 1-based column of each field */
} row;

static void split(char *line, row *r)
{
    r->n = 0;
    char *p = line;
    for (;;) {
        if (r->n == MAX_FIELDS) {
            r->n++;        /* too many: reported by the caller */
            return;
        }
        r->f[r->n] = p;
        r->col[r->n] = (int)(p - line) + 1;
        r->n++;
        char *c = strchr(p, ',');
        if (!c)
            return;
        *c = '\0';
        p = c + 1;
    }
}

static bool to_double(const char *s, double lo, double hi, double *v)
{
    if (*s == '\0')
        return false;
    char *e;
    errno = 0;
    double x = strtod(s, &e);
    if (errno || *e != '\0' || !(x >= lo && x <= hi))
        return false;
    *v = x;
    return true;
}

static bool push(dcs_job_list *l, size_t *cap, const dcs_job *j, int lineno)
{
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        dcs_job *v = realloc(l->v, nc * sizeof *v);
        if (v)
            l->v = v;
        int *ln = v ? realloc(l->line, nc * sizeof *ln) : NULL;
        if (!ln)
            return false;
        l->line = ln;
        *cap = nc;
    }
    l->line[l->n] = lineno;
    l->v[l->n++] = *j;
    return true;
}

void dcs_job_list_free(dcs_job_list *l)
{
    free(l->v);
    free(l->line);
    *l = (dcs_job_list){0};
}

/* Seconds to dcs_time, for values already range-checked. */
static dcs_time secs(double s)
{
    return (dcs_time)nearbyint(s * 1e9);
}

typedef int (*row_fn)(const char *path, int lineno, row *r, dcs_diag *d,
                      dcs_job *job, size_t index);   /* 1 job, 0 skip, -1 bad */

static dcs_status load(const char *path, dcs_diag *d, const char *header,
                       row_fn fn, dcs_job_list *out)
{
    *out = (dcs_job_list){0};
    FILE *f = fopen(path, "r");
    if (!f) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "cannot open: %s", strerror(errno));
        return DCS_EIO;
    }
    char line[LINE_CHARS];
    int lineno = 0, bad = 0;
    size_t cap = 0, index = 0;
    dcs_status st = DCS_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            dcs_diag_error(d, (dcs_loc){path, lineno, 1}, "line longer than %d characters",
                           LINE_CHARS - 2);
            bad++;
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n') {}
            continue;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1) {
            if (strcmp(line, header) != 0) {
                dcs_diag_error(d, (dcs_loc){path, 1, 1}, "expected header '%s', found '%s'",
                               header, line);
                fclose(f);
                return DCS_EINPUT;
            }
            continue;
        }
        if (len == 0)
            continue;
        row r;
        split(line, &r);
        dcs_job job;
        int k = fn(path, lineno, &r, d, &job, index++);
        if (k < 0) {
            bad++;
        } else if (k == 0) {
            out->skipped++;
        } else if (!push(out, &cap, &job, lineno)) {
            st = DCS_ENOMEM;
            break;
        }
    }
    if (st == DCS_OK && ferror(f)) {
        dcs_diag_error(d, (dcs_loc){path, 0, 0}, "read error");
        st = DCS_EIO;
    }
    fclose(f);
    if (st != DCS_OK) {
        dcs_job_list_free(out);
        return st;
    }
    return bad ? DCS_EINPUT : DCS_OK;
}

static int field_count(const char *path, int lineno, const row *r, int want, dcs_diag *d)
{
    if (r->n == want)
        return 0;
    dcs_diag_error(d, (dcs_loc){path, lineno, 1}, "expected %d fields, found %s%d", want,
                   r->n > MAX_FIELDS ? "more than " : "", r->n > MAX_FIELDS ? MAX_FIELDS : r->n);
    return -1;
}

static int bad_field(const char *path, int lineno, const row *r, int i, dcs_diag *d,
                     const char *name, const char *allowed)
{
    dcs_diag_error(d, (dcs_loc){path, lineno, r->col[i]}, "%s '%s' is not %s", name,
                   r->f[i], allowed);
    return -1;
}

/* id,submit_s,gpus,work_s,deadline_s,checkpoint_s,restart_s,preemptible */
static int simple_row(const char *path, int lineno, row *r, dcs_diag *d, dcs_job *j, size_t index)
{
    (void)index;
    if (field_count(path, lineno, r, 8, d))
        return -1;
    const double year100 = 100.0 * 365 * 86400;   /* keeps every time in dcs_time */
    double id, submit, gpus, work, deadline = -1, ckpt, restart, pre;
    if (!to_double(r->f[0], 0, 9e15, &id) || id != floor(id))
        return bad_field(path, lineno, r, 0, d, "id", "an integer >= 0");
    if (!to_double(r->f[1], 0, year100, &submit))
        return bad_field(path, lineno, r, 1, d, "submit_s", "a time in [0, 100 years] s");
    if (!to_double(r->f[2], 1, 1e7, &gpus) || gpus != floor(gpus))
        return bad_field(path, lineno, r, 2, d, "gpus", "an integer in [1, 10000000]");
    if (!to_double(r->f[3], 1e-9, year100, &work))
        return bad_field(path, lineno, r, 3, d, "work_s", "a time in (0, 100 years] s");
    if (*r->f[4] && !to_double(r->f[4], 0, year100, &deadline))
        return bad_field(path, lineno, r, 4, d, "deadline_s", "empty or a time in [0, 100 years] s");
    if (!to_double(r->f[5], 0, year100, &ckpt))
        return bad_field(path, lineno, r, 5, d, "checkpoint_s", "a time in [0, 100 years] s");
    if (!to_double(r->f[6], 0, year100, &restart))
        return bad_field(path, lineno, r, 6, d, "restart_s", "a time in [0, 100 years] s");
    if (!to_double(r->f[7], 0, 1, &pre) || (pre != 0 && pre != 1))
        return bad_field(path, lineno, r, 7, d, "preemptible", "0 or 1");
    *j = (dcs_job){.id = (uint64_t)id, .gpus = (int32_t)gpus, .gpu_frac = 1.0,
                   .submit = secs(submit), .work = secs(work),
                   .deadline = deadline < 0 ? DCS_TIME_MAX : secs(deadline),
                   .checkpoint_every = secs(ckpt), .restart_cost = secs(restart),
                   .preemptible = pre == 1};
    return 1;
}

dcs_status dcs_jobs_load_csv(const char *path, dcs_diag *d, dcs_job_list *out)
{
    return load(path, d, "id,submit_s,gpus,work_s,deadline_s,checkpoint_s,restart_s,preemptible",
                simple_row, out);
}

static int alibaba_row(const char *path, int lineno, row *r, dcs_diag *d, dcs_job *j, size_t index)
{
    if (field_count(path, lineno, r, 11, d))
        return -1;
    /* 100 years, as in dcsim's CSV: any trace time, and every time and
     * difference stays within dcs_time (1e10 s overflowed it). */
    const double max_s = 100.0 * 365 * 86400;
    double gpus, milli, created, deleted, sched = -1;
    if (!to_double(r->f[3], 0, 1e6, &gpus) || gpus != floor(gpus))
        return bad_field(path, lineno, r, 3, d, "num_gpu", "an integer >= 0");
    if (!to_double(r->f[4], 0, 1000, &milli))
        return bad_field(path, lineno, r, 4, d, "gpu_milli", "a number in [0, 1000]");
    if (!to_double(r->f[8], 0, max_s, &created))
        return bad_field(path, lineno, r, 8, d, "creation_time", "a time in [0, 100 years] s");
    if (!to_double(r->f[9], 0, max_s, &deleted))
        return bad_field(path, lineno, r, 9, d, "deletion_time", "a time in [0, 100 years] s");
    if (*r->f[10] && !to_double(r->f[10], 0, max_s, &sched))
        return bad_field(path, lineno, r, 10, d, "scheduled_time",
                         "empty or a time in [0, 100 years] s");
    if (gpus == 0 || sched < 0 || deleted <= sched)
        return 0;
    if (milli == 0)
        return bad_field(path, lineno, r, 4, d, "gpu_milli", "above 0 for a pod with GPUs");
    *j = (dcs_job){.id = index, .gpus = (int32_t)gpus,
                   .gpu_frac = gpus == 1 ? milli / 1000.0 : 1.0,
                   .submit = secs(created), .work = secs(deleted - sched),
                   .deadline = DCS_TIME_MAX, .checkpoint_every = 0, .restart_cost = 0,
                   .preemptible = strcmp(r->f[6], "BE") == 0};
    return 1;
}

dcs_status dcs_jobs_load_alibaba(const char *path, dcs_diag *d, dcs_job_list *out)
{
    return load(path, d, "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,"
                "pod_phase,creation_time,deletion_time,scheduled_time", alibaba_row, out);
}
