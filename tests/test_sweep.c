/*
 * test_sweep.c - sweep expansion and naming (sweep_plan.c), without running
 * anything: the order of the cartesian product, the seeds (the scenario's
 * seed + 0..N-1), the sanitised names, and the argument errors.
 */
#include "harness.h"

#include <string.h>

#include "dcsim/sweep.h"

static void sanitise(void)
{
    char out[64];
    /* Spaces dropped, other punctuation runs become one '_'. */
    CHECK_INT((int)dcs_sweep_sanitise("30 MW", out, sizeof out), 4);
    CHECK_STR(out, "30MW");
    dcs_sweep_sanitise("360 gCO2/kWh", out, sizeof out);
    CHECK_STR(out, "360gCO2_kWh");
    dcs_sweep_sanitise("a//b:c", out, sizeof out);
    CHECK_STR(out, "a_b_c");
    dcs_sweep_sanitise("x.y=+1e-3", out, sizeof out);
    CHECK_STR(out, "x.y=+1e-3");
    /* Truncation: returns the needed length, output terminated. */
    CHECK_INT((int)dcs_sweep_sanitise("abcdef", out, 4), 6);
    CHECK_STR(out, "abc");
}

static void expansion(void)
{
    /* flat.yaml has seed 3, trip.yaml seed 5: 2 scenarios x 2 x 2 values x
     * 2 seeds = 16 runs, scenario outermost, last --set key fastest, seed
     * innermost. */
    const char *sc[] = {"fixtures/run/flat.yaml", "fixtures/run/trip.yaml"};
    const char *sets[] = {"duration=2h,3h", "sites.hall.power_limit=30 MW,40 MW"};
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_plan *p = NULL;
    CHECK_INT(dcs_sweep_plan_build(sc, 2, sets, 2, 2, d, &p), DCS_OK);
    CHECK_INT(dcs_diag_errors(d), 0);
    if (!p)
        return;
    CHECK_INT((int)p->nruns, 16);
    CHECK_STR(p->runs[0].name, "flat__duration=2h__sites.hall.power_limit=30MW__seed3");
    CHECK_STR(p->runs[1].name, "flat__duration=2h__sites.hall.power_limit=30MW__seed4");
    CHECK_STR(p->runs[2].name, "flat__duration=2h__sites.hall.power_limit=40MW__seed3");
    CHECK_STR(p->runs[4].name, "flat__duration=3h__sites.hall.power_limit=30MW__seed3");
    CHECK_STR(p->runs[8].name, "trip__duration=2h__sites.hall.power_limit=30MW__seed5");
    CHECK_STR(p->runs[15].name, "trip__duration=3h__sites.hall.power_limit=40MW__seed6");
    /* The --set arguments passed to the run keep the original value. */
    CHECK_INT((int)p->runs[2].nsets, 2);
    CHECK_STR(p->runs[2].sets[0], "duration=2h");
    CHECK_STR(p->runs[2].sets[1], "sites.hall.power_limit=40 MW");
    CHECK_STR(p->runs[9].scenario, "fixtures/run/trip.yaml");
    CHECK(p->runs[9].seed == 6);
    dcs_sweep_plan_free(p);
    dcs_diag_free(d);
}

static void unreadable_scenario(void)
{
    /* A missing scenario still gets its runs (base seed 0); they fail when
     * run and are listed with the loader's message. */
    const char *sc[] = {"fixtures/run/no-such.yaml"};
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_plan *p = NULL;
    CHECK_INT(dcs_sweep_plan_build(sc, 1, NULL, 0, 3, d, &p), DCS_OK);
    if (p) {
        CHECK_INT((int)p->nruns, 3);
        CHECK_STR(p->runs[2].name, "no-such__seed2");
    }
    dcs_sweep_plan_free(p);
    dcs_diag_free(d);
}

/* Build a plan from one set of --set arguments that must be refused, and
 * check the first message. */
static void refused(const char *const *sets, size_t nsets, const char *want)
{
    const char *sc[] = {"fixtures/run/flat.yaml"};
    dcs_diag *d = dcs_diag_new();
    dcs_sweep_plan *p = NULL;
    CHECK_INT(dcs_sweep_plan_build(sc, 1, sets, nsets, 1, d, &p), DCS_EINPUT);
    CHECK(p == NULL);
    CHECK(dcs_diag_count(d) >= 1);
    if (dcs_diag_count(d) >= 1 && !strstr(dcs_diag_line(d, 0), want)) {
        fprintf(stderr, "got '%s', want '%s'\n", dcs_diag_line(d, 0), want);
        CHECK(!"message");
    }
    dcs_diag_free(d);
}

static void errors(void)
{
    const char *no_eq[] = {"duration"};
    refused(no_eq, 1, "--set:1: 'duration' is not KEY=V1,V2");
    const char *empty[] = {"duration=2h,,3h"};
    refused(empty, 1, "is not KEY=V1,V2");
    const char *seed[] = {"seed=1,2"};
    refused(seed, 1, "--seeds N");
    const char *twice[] = {"duration=2h", "duration=3h"};
    refused(twice, 2, "--set:2: key 'duration' is already swept by --set 1");
    const char *collide[] = {"sites.hall.power_limit=30 MW,30MW"};
    refused(collide, 1, "two runs would both be named "
                        "'flat__sites.hall.power_limit=30MW__seed3'");
}

int main(void)
{
    RUN(sanitise);
    RUN(expansion);
    RUN(unreadable_scenario);
    RUN(errors);
    return TEST_END();
}
