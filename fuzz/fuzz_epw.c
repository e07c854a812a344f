/*
 * fuzz_epw.c - libFuzzer harness for the EnergyPlus weather parser
 * (dcs_epw_parse, which takes text directly).
 *
 * Invariants checked: a failed parse reports at least one error; a
 * successful one has hours with month 1..12, day 1..31, hour 1..24 and
 * finite temperatures (the parser fills missing values).
 */
#include "fuzz_common.h"

#include <math.h>

#include "dcsim/epw.h"

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    dcs_diag *d = dcs_diag_new();
    dcs_epw e;
    memset(&e, 0, sizeof e);
    dcs_status st = dcs_epw_parse((const char *)data, size, "fuzz.epw", d, &e);
    if (st != DCS_OK) {
        fuzz_require(dcs_diag_errors(d) > 0);
    } else {
        fuzz_require(dcs_diag_errors(d) == 0);
        for (int i = 0; i < e.n; i++) {
            const dcs_epw_hour *h = &e.hours[i];
            fuzz_require(h->month >= 1 && h->month <= 12);
            fuzz_require(h->day >= 1 && h->day <= 31);
            fuzz_require(h->hour >= 1 && h->hour <= 24);
            fuzz_require(isfinite(h->air.dry_bulb_c) && isfinite(h->air.dew_point_c));
            fuzz_require(isfinite(h->air.wet_bulb_c) && isfinite(h->air.pressure_pa));
        }
    }
    dcs_epw_free(&e);   /* filled even on DCS_EINPUT (epw.h) */
    dcs_diag_free(d);
    return 0;
}
