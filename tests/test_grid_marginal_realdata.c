/* test_grid_marginal_realdata.c - marginal emission factors from the 2022
 * EIA-930 generation files (skipped without $DCSIM_SHARED_DATA).
 *
 * Physical expectations, not published numbers (none are in FACTS.md):
 *  - PJM and Southern Co. follow load with gas and coal, so the mean
 *    marginal factor over the 24 hours lies above the average intensity
 *    (363 and 423 g/kWh, data SOURCE.md) and below coal's 820 g/kWh.
 *  - Bonneville follows load with hydro (76 % of energy), so its marginal
 *    factor sits near hydro's 24 g/kWh: within 10-45 g/kWh. */
#include <stdio.h>
#include <stdlib.h>

#include "dcsim/ci_csv.h"
#include "dcsim/marginal.h"
#include "harness.h"

static double mean_mef(const char *root, const char *ba, int utc_offset_h, double *avg)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/carbon_intensity/eia_genmix_2022/%s_2022_genmix_ci.csv", root, ba);
    dcs_diag *d = dcs_diag_new();
    dcs_hourly ci, gen;
    dcs_eia_factors ef = dcs_eia_factors_default();
    CHECK_INT(dcs_ci_csv_read_eia(path, &ef, &ci, &gen, d), DCS_OK);
    dcs_marginal_profile p;
    CHECK_INT(dcs_marginal_fit(&ci, &gen, utc_offset_h, &p), DCS_OK);
    double sum = 0, r2 = 0;
    for (int h = 0; h < 24; h++) {
        sum += p.kg_per_j[h];
        r2 += p.r2[h];
    }
    *avg = dcs_hourly_mean(&ci) / DCS_G_PER_KWH;
    printf("%s 2022: average %.0f g/kWh, mean marginal %.0f g/kWh, mean r^2 %.2f\n", ba, *avg,
           sum / 24 / DCS_G_PER_KWH, r2 / 24);
    dcs_hourly_free(&ci);
    dcs_hourly_free(&gen);
    dcs_diag_free(d);
    return sum / 24 / DCS_G_PER_KWH;
}

int main(void)
{
    const char *root = getenv("DCSIM_SHARED_DATA");
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/carbon_intensity/eia_genmix_2022/PJM_2022_genmix_ci.csv",
             root ? root : "");
    FILE *f = root ? fopen(probe, "r") : NULL;
    if (!f)
        TEST_SKIP("DCSIM_SHARED_DATA/carbon_intensity/eia_genmix_2022 not found");
    fclose(f);
    double avg;
    double pjm = mean_mef(root, "PJM", -5, &avg);
    CHECK(pjm > avg && pjm < 820);
    double soco = mean_mef(root, "SOCO", -6, &avg);
    CHECK(soco > avg && soco < 820);
    double bpat = mean_mef(root, "BPAT", -8, &avg);
    CHECK(bpat > 10 && bpat < 45);
    return TEST_END();
}
