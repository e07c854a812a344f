/* test_epw_realdata.c - the EPW reader on the six real files in
 * ../shared/data/weather/epw, and free-cooling hours against FACTS.md
 * section 3.  Skipped when the shared data folder is absent. */
#include <stdio.h>
#include <stdlib.h>

#include "annual.h"
#include "climate_sites.h"
#include "dcsim/epw.h"
#include "harness.h"

/* FACTS.md section 3 [D] counts hours in which a dry cooler with a 10 K
 * approach delivers water at or below 30 degC (dry-bulb <= 20) and an open
 * tower with a 5 K approach at or below 27 degC (wet-bulb <= 22).  The
 * dry-bulb counts use the file's own numbers and must agree exactly; the
 * wet-bulb counts depend on the psychrometric method, so agreement within
 * 0.5 % (44 h) is required. */
static void site(const char *dir, const climate_site *s)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/weather/epw/%s", dir, s->file);
    dcs_diag *d = dcs_diag_new();
    dcs_epw e;
    dcs_status st = dcs_epw_read(path, d, &e);
    CHECK_INT(st, DCS_OK);
    dcs_diag_print(d, stderr);
    CHECK_INT(dcs_diag_errors(d), 0);
    CHECK_INT(e.n, 8760);
    CHECK_ABS(e.latitude_deg, s->latitude_deg, 0.01);
    int dry = 0, tower = 0;
    for (int i = 0; i < e.n; i++) {
        const dcs_ambient *a = &e.hours[i].air;
        CHECK(a->wet_bulb_c <= a->dry_bulb_c + 1e-9 && a->wet_bulb_c >= a->dew_point_c - 1e-9);
        dry += a->dry_bulb_c + 10.0 <= 30.0;
        tower += a->wet_bulb_c + 5.0 <= 27.0;
    }
    fprintf(stderr, "%s: dry cooler hours %d (FACTS %d), tower hours %d (FACTS %d)\n",
            s->name, dry, s->dry_cooler_hours, tower, s->tower_hours);
    CHECK_INT(dry, s->dry_cooler_hours);
    CHECK_ABS(tower, s->tower_hours, 44);

    /* The PUE bands of test_pue_bands.c, on the real hours: 8 MW of IT in a
     * 10 MW design; air > direct_liquid > immersion, all within 1.03-1.57. */
    dcs_ambient *year = malloc((size_t)e.n * sizeof *year);
    CHECK(year != NULL);
    if (year) {
        for (int i = 0; i < e.n; i++)
            year[i] = e.hours[i].air;
        annual a[3];
        annual_run(DCS_COOLING_AIR, 10e6, 8e6, year, e.n, &a[0]);
        annual_run(DCS_COOLING_DIRECT_LIQUID, 10e6, 8e6, year, e.n, &a[1]);
        annual_run(DCS_COOLING_IMMERSION, 10e6, 8e6, year, e.n, &a[2]);
        fprintf(stderr, "%s: PUE air %.3f, direct_liquid %.3f, immersion %.3f; "
                "WUE air %.2f L/kWh\n", s->name, a[0].pue, a[1].pue, a[2].pue,
                a[0].wue_l_per_kwh);
        CHECK(a[0].pue > a[1].pue && a[1].pue > a[2].pue);
        for (int t = 0; t < 3; t++)
            CHECK(a[t].pue > 1.03 && a[t].pue < 1.57);
        free(year);
    }
    dcs_epw_free(&e);
    dcs_diag_free(d);
}

int main(void)
{
    const char *dir = getenv("DCSIM_SHARED_DATA");
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/weather/epw", dir ? dir : "");
    FILE *f = dir ? fopen(probe, "r") : NULL;
    if (!f)
        TEST_SKIP("DCSIM_SHARED_DATA/weather/epw not found");
    fclose(f);
    for (int i = 0; i < 6; i++)
        site(dir, &CLIMATE_SITES[i]);
    return TEST_END();
}
