/* test_grid_marginal.c - marginal emission factors by regression on a
 * constructed series where the answer is known exactly. */
#include <math.h>

#include "dcsim/marginal.h"
#include "harness.h"

static void exact_linear_margin(void)
{
    /* Four days of generation G_t = 1000 + 300 sin t + 50 (t mod 7) W and
     * emissions E_t = a + m G_t with a = 1e-4 kg/s, m = 2e-7 kg/J, i.e.
     * intensity CI_t = E_t / G_t.  Then dE = m dG exactly: every hour's
     * slope is m with r^2 = 1. */
    const double a = 1e-4, m = 2e-7;
    dcs_hourly ci, gen;
    int64_t t0 = dcs_civil_to_utc_s(2023, 6, 1, 0, 0, 0);
    CHECK_INT(dcs_hourly_init(&ci, t0, 96), DCS_OK);
    CHECK_INT(dcs_hourly_init(&gen, t0, 96), DCS_OK);
    for (size_t t = 0; t < 96; t++) {
        gen.value[t] = 1000 + 300 * sin((double)t) + 50 * (double)(t % 7);
        ci.value[t] = (a + m * gen.value[t]) / gen.value[t];
    }
    dcs_marginal_profile p;
    CHECK_INT(dcs_marginal_fit(&ci, &gen, 0, &p), DCS_OK);
    for (int h = 0; h < 24; h++) {
        CHECK_NEAR(p.kg_per_j[h], m, 1e-9);
        CHECK_NEAR(p.r2[h], 1.0, 1e-9);
    }
    /* Changes t = 1..95: UTC hour 0 gets t = 24, 48, 72 (3 pairs), hour 1
     * gets 1, 25, 49, 73 (4).  At UTC+1, local hour 1 is UTC hour 0. */
    CHECK_INT(p.pairs[0], 3);
    CHECK_INT(p.pairs[1], 4);
    CHECK_INT(dcs_marginal_fit(&ci, &gen, 1, &p), DCS_OK);
    CHECK_INT(p.pairs[1], 3);
    /* Mismatched series are refused. */
    gen.start_utc_s += 3600;
    CHECK_INT(dcs_marginal_fit(&ci, &gen, 0, &p), DCS_ERANGE);
    dcs_hourly_free(&ci);
    dcs_hourly_free(&gen);
}

static void too_few_pairs(void)
{
    /* 30 hours: hours 7..23 get only one change each, too few to fit. */
    dcs_hourly ci, gen;
    CHECK_INT(dcs_hourly_init(&ci, 0, 30), DCS_OK);
    CHECK_INT(dcs_hourly_init(&gen, 0, 30), DCS_OK);
    for (size_t t = 0; t < 30; t++) {
        gen.value[t] = 100 + (double)t;
        ci.value[t] = 1e-7;
    }
    dcs_marginal_profile p;
    CHECK_INT(dcs_marginal_fit(&ci, &gen, 0, &p), DCS_ERANGE);
    CHECK_INT(p.pairs[12], 1);
    CHECK_NEAR(p.kg_per_j[12], 0, 0);
    dcs_hourly_free(&ci);
    dcs_hourly_free(&gen);
}

int main(void)
{
    RUN(exact_linear_margin);
    RUN(too_few_pairs);
    return TEST_END();
}
