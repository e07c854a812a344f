/*
 * progress.h - a progress line for long runs, on stderr when it is a
 * terminal.
 */
#ifndef DCSIM_PROGRESS_H
#define DCSIM_PROGRESS_H

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "dcsim/time.h"

typedef struct dcs_progress dcs_progress;

/* Start showing progress towards simulated time end, labelled ("dcsim
 * run"); NULL (and nothing shown) when stderr is not a terminal. */
dcs_progress *dcs_progress_start(const char *label, dcs_time end);
/* The cell the engine writes the simulated time into (NULL for NULL). */
_Atomic dcs_time *dcs_progress_cell(dcs_progress *p);
/* Stop, clear the line and free; NULL is allowed. */
void dcs_progress_stop(dcs_progress *p);

#endif
