/* test_grid_typical_realdata.c - recompute the typical-day profiles of
 * scenarios/catalog/grids.yaml from the 2023 Electricity Maps hourly files
 * (LCA column, local standard time) and check the catalog agrees to its
 * printed precision (0.1 g/kWh); check every zone's annual value and
 * carbon-free share against the 2023 row of the yearly CSV.  Skipped
 * without $DCSIM_SHARED_DATA.
 *
 * With DCSIM_WRITE_CATALOG=1 in the environment it prints the recomputed
 * YAML rows instead of checking (how the catalog numbers were made). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "dcsim/ci_csv.h"
#include "dcsim/typical.h"
#include "harness.h"

static const struct { const char *zone; int utc_offset_h; } zones[] = {
    {"US-MIDA-PJM", -5}, {"US-TEX-ERCO", -6}, {"US-CAL-CISO", -8},
    {"SG", 8}, {"DE-LU", 1}, {"GB", 0},
};
enum { NZ = sizeof zones / sizeof zones[0] };

typedef struct catalog_zone {
    char key[32], zone_id[32];
    double annual, cfe_pct;
    double day[12][24];
    int rows, cols_ok;
    double offset;
    int found;
} catalog_zone;
enum { MAX_CZ = 40 };

/* Read grids.yaml: for every zone, its zone_id, annual value, carbon-free
 * share, utc_offset_h and typical_day rows.  Walks libyaml events with a
 * small depth counter; *ncz gets the number of zones. */
static int read_catalog(const char *path, catalog_zone *cz, int *ncz)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    yaml_parser_t p;
    yaml_event_t ev;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        return 0;
    }
    yaml_parser_set_input_file(&p, f);
    int depth = 0, zone = -1, seq_depth = 0, col = 0, ok = 1;
    char key[64] = "";
    int expect_key[16] = {0};    /* per mapping depth: next scalar is a key */
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "%s:%zu: YAML error: %s\n", path, p.problem_mark.line + 1, p.problem);
            ok = 0;
            break;
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_MAPPING_START_EVENT) {
            depth++;
            if (depth < 16)
                expect_key[depth] = 1;
        } else if (t == YAML_MAPPING_END_EVENT) {
            depth--;
            if (depth >= 0 && depth < 16)
                expect_key[depth] = 1;
        } else if (t == YAML_SEQUENCE_START_EVENT) {
            seq_depth++;
            col = 0;
        } else if (t == YAML_SEQUENCE_END_EVENT) {
            if (seq_depth == 2 && zone >= 0 && strcmp(key, "typical_day_ci_g_per_kwh") == 0) {
                cz[zone].cols_ok += col == 24;
                cz[zone].rows++;
            }
            seq_depth--;
            if (seq_depth == 0 && depth < 16)
                expect_key[depth] = 1;
        } else if (t == YAML_SCALAR_EVENT) {
            const char *v = (const char *)ev.data.scalar.value;
            if (seq_depth == 0 && depth < 16 && expect_key[depth]) {
                snprintf(key, sizeof key, "%s", v);
                expect_key[depth] = 0;
                if (depth == 2 && *ncz < MAX_CZ) {
                    zone = (*ncz)++;
                    snprintf(cz[zone].key, sizeof cz[zone].key, "%s", v);
                }
            } else {
                if (zone >= 0 && depth == 3 && seq_depth == 0) {
                    if (strcmp(key, "utc_offset_h") == 0)
                        cz[zone].offset = atof(v);
                    else if (strcmp(key, "annual_ci_g_per_kwh") == 0)
                        cz[zone].annual = atof(v);
                    else if (strcmp(key, "grid_cfe_pct") == 0)
                        cz[zone].cfe_pct = atof(v);
                    else if (strcmp(key, "zone_id") == 0)
                        snprintf(cz[zone].zone_id, sizeof cz[zone].zone_id, "%s", v);
                }
                if (zone >= 0 && seq_depth == 2 && strcmp(key, "typical_day_ci_g_per_kwh") == 0) {
                    int r = cz[zone].rows;
                    if (r < 12 && col < 24)
                        cz[zone].day[r][col] = atof(v);
                    col++;
                    cz[zone].found = 1;
                }
                if (seq_depth == 0 && depth < 16)
                    expect_key[depth] = 1;
            }
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    fclose(f);
    return ok;
}

/* Every catalog zone's annual value and carbon-free share must equal the
 * 2023 row of the yearly CSV for its zone_id (data/carbon_intensity/
 * annual_averages, Electricity Maps via co2.js). */
static void check_annual(const char *root, const catalog_zone *cz, int n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/carbon_intensity/annual_averages/electricitymaps_yearly_2021_2025.csv",
             root);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    int matched[MAX_CZ] = {0};
    char line[512];
    while (fgets(line, sizeof line, f)) {
        /* zone_id,zone_name,year,ci,renewable_pct,carbon_free_pct; zone
         * names hold no commas in the rows the catalog uses. */
        char *field[6];
        int nf = 0;
        for (char *p = line; nf < 6 && p; nf++) {
            field[nf] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        if (nf < 6 || strcmp(field[2], "2023") != 0)
            continue;
        for (int i = 0; i < n; i++)
            if (strcmp(cz[i].zone_id, field[0]) == 0) {
                CHECK_NEAR(cz[i].annual, atof(field[3]), 0);
                CHECK_NEAR(cz[i].cfe_pct, atof(field[5]), 0);
                matched[i] = 1;
            }
    }
    fclose(f);
    for (int i = 0; i < n; i++) {
        if (!matched[i])
            fprintf(stderr, "catalog zone %s (zone_id '%s') not in the yearly CSV\n", cz[i].key,
                    cz[i].zone_id);
        CHECK(matched[i]);
    }
}

int main(void)
{
    const char *root = getenv("DCSIM_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/carbon_intensity/electricitymaps_hourly/GB_2023_hourly.csv",
             root ? root : "");
    FILE *probe = root ? fopen(path, "r") : NULL;
    if (!probe)
        TEST_SKIP("DCSIM_SHARED_DATA/carbon_intensity not found");
    fclose(probe);
    int write = getenv("DCSIM_WRITE_CATALOG") != NULL;
    static catalog_zone all[MAX_CZ];
    int nall = 0;
    if (!write) {
        CHECK(read_catalog("../scenarios/catalog/grids.yaml", all, &nall));
        CHECK(nall >= 17);
        check_annual(root, all, nall);
    }
    for (int z = 0; z < NZ; z++) {
        catalog_zone *cz = &all[MAX_CZ - 1];   /* an empty entry if not found */
        for (int i = 0; i < nall; i++)
            if (strcmp(all[i].key, zones[z].zone) == 0)
                cz = &all[i];
        snprintf(path, sizeof path, "%s/carbon_intensity/electricitymaps_hourly/%s_2023_hourly.csv",
                 root, zones[z].zone);
        dcs_diag *d = dcs_diag_new();
        dcs_hourly h;
        CHECK_INT(dcs_ci_csv_read_emaps(path, DCS_CI_LCA, &h, d), DCS_OK);
        dcs_typical_day t;
        CHECK_INT(dcs_typical_day_build(&h, zones[z].utc_offset_h, &t), DCS_OK);
        if (write) {
            printf("  %s:  # mean of the profile %.1f g/kWh\n", zones[z].zone,
                   dcs_hourly_mean(&h) / DCS_G_PER_KWH);
            for (int m = 0; m < 12; m++) {
                printf("      - [");
                for (int k = 0; k < 24; k++)
                    printf("%.1f%s", t.value[m][k] / DCS_G_PER_KWH, k < 23 ? ", " : "]\n");
            }
        } else {
            CHECK(cz->found);
            CHECK_INT(cz->rows, 12);
            CHECK_INT(cz->cols_ok, 12);
            CHECK_NEAR(cz->offset, zones[z].utc_offset_h, 0);
            int bad = 0;
            for (int m = 0; m < 12; m++)
                for (int k = 0; k < 24; k++)
                    bad += fabs(cz->day[m][k] - t.value[m][k] / DCS_G_PER_KWH) > 0.051;
            if (bad)
                fprintf(stderr, "%s: %d cells differ from the recomputed profile\n", zones[z].zone, bad);
            CHECK_INT(bad, 0);
        }
        dcs_hourly_free(&h);
        dcs_diag_free(d);
    }
    return TEST_END();
}
