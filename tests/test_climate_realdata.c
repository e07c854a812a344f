/* test_climate_realdata.c - scenarios/catalog/climates.yaml is traceable:
 * its monthly normals are recomputed here from the six EPW files with
 * dcs_climate_normals_from_epw and must agree to the printed rounding.
 * With DCSIM_PRINT_NORMALS=1 the test prints the catalog entries it
 * derives (how the catalog was written).  Skipped without the shared data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_reader.h"
#include "climate_sites.h"
#include "dcsim/climate.h"
#include "dcsim/epw.h"
#include "harness.h"

#define CATALOG "../scenarios/catalog/climates.yaml"

static void print_list(const char *key, const double v[12])
{
    printf("    %s: [", key);
    for (int m = 0; m < 12; m++)
        printf("%s%.1f", m ? ", " : "", v[m]);
    printf("]\n");
}

static void print_entry(const climate_site *s, const dcs_climate_normals *n)
{
    printf("  %s:\n", s->name);
    printf("    source: \"derived from %s (TMYx %s)\"\n", s->file, s->period);
    printf("    latitude_deg: %.2f\n", n->latitude_deg);
    printf("    pressure_pa: %.0f\n", n->pressure_pa);
    print_list("dry_bulb_mean_c", n->dry_bulb_mean_c);
    print_list("diurnal_range_k", n->diurnal_range_k);
    print_list("dew_point_mean_c", n->dew_point_mean_c);
}

static void check_site(const char *dir, const climate_site *s, int print)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/weather/epw/%s", dir, s->file);
    dcs_diag *d = dcs_diag_new();
    dcs_epw e;
    CHECK_INT(dcs_epw_read(path, d, &e), DCS_OK);
    dcs_climate_normals n;
    CHECK_INT(dcs_climate_normals_from_epw(&e, &n), DCS_OK);
    if (print)
        print_entry(s, &n);
    static const char *keys[3] = {"dry_bulb_mean_c", "diurnal_range_k", "dew_point_mean_c"};
    const double *derived[3] = {n.dry_bulb_mean_c, n.diurnal_range_k, n.dew_point_mean_c};
    for (int k = 0; k < 3; k++) {
        double v[12] = {0};
        int got = catalog_numbers(CATALOG, s->name, keys[k], v, 12);
        CHECK_INT(got, 12);
        for (int m = 0; m < got; m++)
            CHECK_ABS(v[m], derived[k][m], 0.05 + 1e-9);   /* printed to 0.1 */
    }
    double x = 0.0;
    if (catalog_numbers(CATALOG, s->name, "pressure_pa", &x, 1) == 1)
        CHECK_ABS(x, n.pressure_pa, 0.5 + 1e-9);
    else
        CHECK(!"pressure_pa missing from the catalog entry");
    if (catalog_numbers(CATALOG, s->name, "latitude_deg", &x, 1) == 1)
        CHECK_ABS(x, n.latitude_deg, 0.005 + 1e-9);
    else
        CHECK(!"latitude_deg missing from the catalog entry");
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
    const char *pr = getenv("DCSIM_PRINT_NORMALS");
    int print = pr && strcmp(pr, "1") == 0;
    for (int i = 0; i < 6; i++)
        check_site(dir, &CLIMATE_SITES[i], print);
    return TEST_END();
}
