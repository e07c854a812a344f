/*
 * invariant.h - conditions every run checks on a site's physics, cheaply,
 * and the way a site LP stops the run when one fails (issue 10, item 4).
 *
 * Checked at every site tick (control step or sample; a few comparisons):
 *   - no power is NaN, infinite or negative: IT, cooling, distribution
 *     losses, facility (W);
 *   - facility power = IT + cooling + losses (the site model's definition,
 *     site_energy.h; the heat pump of a reuse scheme is not on site).
 * Checked once at the end of the run (finish):
 *   - facility energy = IT + cooling + losses (+ heat pump when counted on
 *     site) energy, and = the sum of the hourly facility energies that feed
 *     procurement and the demand charge (a second, independent sum);
 *   - no energy total is NaN or negative.
 * Time order (an LP's events non-decreasing in time) is checked by the
 * engine on every event (engine.h, dcs_lp_stop_run).
 *
 * Tolerances: "negative" means below -1e-9 of the site's largest power
 * magnitude (sums of rounded terms may land a hair below zero); balances
 * hold to a relative 1e-9 per step and 1e-6 over the run (a year of one-
 * minute steps adds 5e5 rounded terms, each off by at most 1.1e-16 of the
 * total: 6e-11 worst case, so 1e-6 flags only real leaks).
 *
 * A violation stops the run through dcs_lp_stop_run with
 *   invariant violated: site 'NAME' (LP 3) at t=12345.6 s: facility power is NaN
 * and `dcsim run` exits with 1 (run failed), writing no trace.
 */
#ifndef DCSIM_INVARIANT_H
#define DCSIM_INVARIANT_H

#include <stdbool.h>
#include <math.h>
#include <stddef.h>

#include "dcsim/engine.h"
#include "dcsim/site_energy.h"

/* A site's powers over one step, W. */
typedef struct dcs_site_powers {
    double it_w;
    double cooling_w;
    double losses_w;
    double facility_w;
} dcs_site_powers;

/* Check one step's powers.  Returns true if they hold; otherwise false with
 * the violated quantity in msg (n bytes), e.g. "facility power is NaN".
 * Pure: tests call it without an engine. */
bool dcs_site_powers_ok(const dcs_site_powers *p, char *msg, size_t n);

/* Check the run's energy totals against each other and against the hourly
 * facility energies from the grid hour_j[0..nhours-1] plus off_grid_j, the
 * facility energy the site's backup supplied (UPS and generator during a
 * utility loss, which the hourly grid split leaves out).  Returns true if
 * they hold; otherwise false with the violated quantity in msg.  Pure. */
bool dcs_site_energy_ok(const dcs_site_totals *t, const double *hour_j, size_t nhours,
                        double off_grid_j, char *msg, size_t n);

/* In the site LP (site_lp.c): check, and on a violation stop the run with
 * the message above (site named `site`).  Return true if the run goes on. */
bool dcs_site_check_step_full(dcs_lp *lp, const char *site, const dcs_site_powers *p)
    __attribute__((cold));
bool dcs_site_check_end(dcs_lp *lp, const char *site, const dcs_site_totals *t,
                        const double *hour_j, size_t nhours, double off_grid_j);

/* The per-step check as the site LP calls it: a few instructions inline (a
 * site tick costs about 1,300), the full check and its message only when
 * they fail.  Facility power is the sum of the others, so a NaN or infinite
 * part makes it NaN or infinite, which the compares catch (any comparison
 * with NaN is false); a negative part makes the least part negative.  A
 * rounding hair below zero also takes the full path, which accepts it.  The per-step balance is
 * checked in the full path only, and over the run in dcs_site_check_end. */
static inline bool dcs_site_check_step(dcs_lp *lp, const char *site, double it_w,
                                       double cooling_w, double losses_w, double facility_w)
{
    double least = it_w < cooling_w ? it_w : cooling_w;   /* minsd, no branch */
    least = least < losses_w ? least : losses_w;
    least = least < facility_w ? least : facility_w;
    if (__builtin_expect(least >= 0 && facility_w < (double)INFINITY, 1))
        return true;
    return dcs_site_check_step_full(lp, site,
                                    &(dcs_site_powers){it_w, cooling_w, losses_w, facility_w});
}

#endif
