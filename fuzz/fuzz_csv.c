/*
 * fuzz_csv.c - libFuzzer harness for the hourly CSV importers
 * (models/grid/ci_csv.c: Electricity Maps, generic timestamp,value with a
 * local-time rule, EIA-930 generation by fuel).
 *
 * The importers only take paths, so the input (after its first byte) is
 * written to a per-process temporary file.  The first byte chooses the
 * importer, as its value modulo 6 (the seed corpus prefixes each fixture
 * with the digit '0'..'5'):
 *   0 Electricity Maps, LCA basis     1 Electricity Maps, direct basis
 *   2 generic, UTC                    3 generic, UTC+1 with the EU rule
 *   4 generic, UTC-5 with the US rule, negative values allowed (prices)
 *   5 EIA-930 generation by fuel (intensity and generation)
 * Invariants: a failure reports at least one error; a success gives n > 0
 * finite values (non-negative unless allowed), none reported as an error.
 */
#include "fuzz_common.h"

#include <math.h>

#include "dcsim/ci_csv.h"

static void check_series(const dcs_hourly *h, bool allow_negative)
{
    fuzz_require(h->n > 0 && h->value);
    for (size_t i = 0; i < h->n; i++) {
        fuzz_require(isfinite(h->value[i]));
        fuzz_require(allow_negative || h->value[i] >= 0);
    }
}

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] % 6;
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".csv");
    fuzz_write_file(path, data + 1, size - 1);

    dcs_diag *d = dcs_diag_new();
    dcs_hourly out = {0, 0, NULL}, gen = {0, 0, NULL};
    dcs_status st;
    bool allow_negative = false;
    if (which <= 1) {
        st = dcs_ci_csv_read_emaps(path, which == 0 ? DCS_CI_LCA : DCS_CI_DIRECT, &out, d);
    } else if (which <= 4) {
        dcs_csv_hourly_opts o = {0, DCS_DST_NONE, DCS_G_PER_KWH, false};
        if (which == 3)
            o = (dcs_csv_hourly_opts){60, DCS_DST_EU, DCS_G_PER_KWH, false};
        else if (which == 4)
            o = (dcs_csv_hourly_opts){-300, DCS_DST_US, DCS_USD_PER_MWH, true};
        allow_negative = o.allow_negative;
        st = dcs_ci_csv_read_generic(path, &o, &out, d);
    } else {
        dcs_eia_factors f = dcs_eia_factors_default();
        st = dcs_ci_csv_read_eia(path, &f, &out, &gen, d);
    }
    if (st != DCS_OK) {
        fuzz_require(dcs_diag_errors(d) > 0 || st == DCS_ENOMEM);
    } else {
        fuzz_require(dcs_diag_errors(d) == 0);
        check_series(&out, allow_negative);
        if (which == 5) {
            check_series(&gen, false);
            fuzz_require(gen.n == out.n && gen.start_utc_s == out.start_utc_s);
        }
    }
    dcs_hourly_free(&out);
    dcs_hourly_free(&gen);
    dcs_diag_free(d);
    unlink(path);
    return 0;
}
