/*
 * progress.c - a progress line on stderr while a run executes.
 *
 * A thread wakes every half second, reads the simulated time the engine has
 * reached (an atomic cell the engine updates per window or per thousandth of
 * the run) and rewrites one line: percentage, simulated days, wall seconds
 * and an estimate of the time left.  Shown only when stderr is a terminal,
 * so logs and pipes stay clean.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct dcs_progress {
    _Atomic dcs_time reached;
    atomic_bool stop;
    dcs_time end;
    const char *label;
    pthread_t thread;
    struct timespec t0;
};

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Draw the line at least once (a short run shows its 100 %), then every
 * half second until stopped. */
static void *show(void *arg)
{
    dcs_progress *p = arg;
    const struct timespec half = {0, 500000000};
    bool last = false;
    while (!last) {
        last = atomic_load(&p->stop);
        double f = (double)atomic_load(&p->reached) / (double)p->end;
        double wall = since(&p->t0);
        fprintf(stderr, "\r%s: %5.1f %% (%.1f of %.1f simulated days), %.0f s", p->label,
                100 * f, dcs_time_to_s(atomic_load(&p->reached)) / 86400,
                dcs_time_to_s(p->end) / 86400, wall);
        if (f > 0.01 && f < 1)
            fprintf(stderr, ", about %.0f s left  ", wall * (1 - f) / f);
        fflush(stderr);
        if (!last)
            nanosleep(&half, NULL);
    }
    fprintf(stderr, "\r\033[K");
    return NULL;
}

dcs_progress *dcs_progress_start(const char *label, dcs_time end)
{
    if (end <= 0 || !isatty(STDERR_FILENO))
        return NULL;
    dcs_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;            /* no display; the run goes on */
    atomic_init(&p->reached, 0);
    atomic_init(&p->stop, false);
    p->end = end;
    p->label = label;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    if (pthread_create(&p->thread, NULL, show, p) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

_Atomic dcs_time *dcs_progress_cell(dcs_progress *p) { return p ? &p->reached : NULL; }

void dcs_progress_stop(dcs_progress *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
    free(p);
}
