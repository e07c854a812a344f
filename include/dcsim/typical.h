/*
 * typical.h - typical-day profiles (12 months x 24 hours) of an hourly
 * signal, and signals built from them.
 *
 * A profile cell (m, h) is the mean of every value whose hour starts in
 * month m at hour h of *local standard time* (UTC plus a fixed offset, no
 * daylight saving, so each cell averages the same solar-clock hour all
 * month).  Rows are months January..December, columns hours 0..23.
 */
#ifndef DCSIM_TYPICAL_H
#define DCSIM_TYPICAL_H

#include "dcsim/hourly.h"

typedef struct dcs_typical_day {
    double value[12][24];
    int utc_offset_h;           /* local standard time minus UTC */
} dcs_typical_day;

/* Build the profile of h in local standard time utc_offset_h.  Returns
 * DCS_OK, or DCS_ERANGE if some cell received no value. */
dcs_status dcs_typical_day_build(const dcs_hourly *h, int utc_offset_h,
                                 dcs_typical_day *out);
/* Fill out (already initialised: start and n) from the profile. */
void dcs_typical_day_expand(const dcs_typical_day *t, dcs_hourly *out);

#endif
