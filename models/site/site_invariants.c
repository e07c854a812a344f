/*
 * site_invariants.c - the physics invariants every run checks on each site
 * (invariant.h): powers finite and non-negative, facility power = IT +
 * cooling + losses at every step, facility energy balanced over the run.
 *
 * They cost a few comparisons per site tick (a control step or a sample,
 * not per engine event) and one pass over the hourly energies at the end.
 * A violation is a bug in a model or a value that slipped past validation
 * (through the C API, say); it stops the run cleanly through the engine
 * (dcs_lp_stop_run) with the site, LP, simulated time and quantity, so
 * that no trace is written from impossible numbers.
 *
 * Left out: water, heat reuse and carbon are not checked (they derive from
 * the powers checked here); the balance uses the site model's own
 * definition (site_energy.h), it does not check the physics of the cooling
 * plant (first-law closure is tested in tests/test_cooling.c).
 */
#include "dcsim/invariant.h"

#include <math.h>
#include <stdio.h>

/* Relative tolerances (invariant.h says why these sizes). */
#define STEP_REL 1e-9
#define RUN_REL 1e-6

/* "NAME power is NaN / infinite / negative (X W)" for a bad value, or
 * false if v is a valid power given the site's scale. */
static bool bad_power(const char *name, double v, double scale, char *msg, size_t n)
{
    if (isnan(v))
        snprintf(msg, n, "%s power is NaN", name);
    else if (isinf(v))
        snprintf(msg, n, "%s power is infinite", name);
    else if (v < -STEP_REL * scale)
        snprintf(msg, n, "%s power is negative (%.6g W)", name, v);
    else
        return false;
    return true;
}

/* Relative difference of a and b, against the larger magnitude (0 when
 * both are 0). */
static double rel_diff(double a, double b)
{
    double m = fmax(fabs(a), fabs(b));
    return m > 0 ? fabs(a - b) / m : 0.0;
}

bool dcs_site_powers_ok(const dcs_site_powers *p, char *msg, size_t n)
{
    double scale = fmax(fmax(fabs(p->it_w), fabs(p->cooling_w)),
                        fmax(fabs(p->losses_w), fabs(p->facility_w)));
    if (bad_power("facility", p->facility_w, scale, msg, n) ||
        bad_power("IT", p->it_w, scale, msg, n) ||
        bad_power("cooling", p->cooling_w, scale, msg, n) ||
        bad_power("distribution loss", p->losses_w, scale, msg, n))
        return false;
    double sum = p->it_w + p->cooling_w + p->losses_w;
    if (rel_diff(p->facility_w, sum) > STEP_REL) {
        snprintf(msg, n, "facility power %.9g W differs from IT + cooling + losses %.9g W",
                 p->facility_w, sum);
        return false;
    }
    return true;
}

/* "NAME energy is NaN / infinite / negative" for a bad total. */
static bool bad_energy(const char *name, double v, char *msg, size_t n)
{
    if (isnan(v))
        snprintf(msg, n, "%s energy is NaN", name);
    else if (isinf(v))
        snprintf(msg, n, "%s energy is infinite", name);
    else if (v < 0)
        snprintf(msg, n, "%s energy is negative (%.6g J)", name, v);
    else
        return false;
    return true;
}

bool dcs_site_energy_ok(const dcs_site_totals *t, const double *hour_j, size_t nhours,
                        double off_grid_j, char *msg, size_t n)
{
    if (bad_energy("facility", t->facility_j, msg, n) || bad_energy("IT", t->it_j, msg, n) ||
        bad_energy("cooling", t->cooling_j, msg, n) ||
        bad_energy("distribution loss", t->losses_j, msg, n))
        return false;
    double parts = t->it_j + t->cooling_j + t->losses_j +
                   (t->heat_pump_on_site ? t->heat_pump_j : 0.0);
    if (rel_diff(t->facility_j, parts) > RUN_REL) {
        snprintf(msg, n,
                 "facility energy %.9g J differs from IT + cooling + losses %.9g J "
                 "(relative %.2g)", t->facility_j, parts, rel_diff(t->facility_j, parts));
        return false;
    }
    if (hour_j) {
        double hours = off_grid_j;
        for (size_t h = 0; h < nhours; h++)
            hours += hour_j[h];
        /* The hourly split never counts the on-site heat pump. */
        double facility = t->facility_j - (t->heat_pump_on_site ? t->heat_pump_j : 0.0);
        if (rel_diff(facility, hours) > RUN_REL) {
            snprintf(msg, n,
                     "facility energy %.9g J differs from the sum of its hours %.9g J "
                     "(backup included; relative %.2g)", facility, hours,
                     rel_diff(facility, hours));
            return false;
        }
    }
    return true;
}

/* Stop the run with the located message. */
static void stop(dcs_lp *lp, const char *site, const char *what)
{
    dcs_lp_stop_run(lp, DCS_ERUN, "invariant violated: site '%s' (LP %u) at t=%.10g s: %s",
                    site, dcs_lp_id(lp), dcs_time_to_s(dcs_lp_now(lp)), what);
}

bool dcs_site_check_step_full(dcs_lp *lp, const char *site, const dcs_site_powers *p)
{
    char what[256];
    if (dcs_site_powers_ok(p, what, sizeof what))
        return true;
    stop(lp, site, what);
    return false;
}

bool dcs_site_check_end(dcs_lp *lp, const char *site, const dcs_site_totals *t,
                        const double *hour_j, size_t nhours, double off_grid_j)
{
    char what[256];
    if (dcs_site_energy_ok(t, hour_j, nhours, off_grid_j, what, sizeof what))
        return true;
    stop(lp, site, what);
    return false;
}
