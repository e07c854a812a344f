/*
 * fluid_tpot.c - time per output token of the fluid model's requests into
 * a TPOT histogram (contract in include/dcsim/fluid.h), so the fluid
 * fidelity reports tpot_p50/95/99 like the detailed one.
 *
 * A request with O' output tokens decodes them in D(O') (fluid.c: m =
 * O' - 1 steps at the decode iteration time plus the prefill steps of
 * other prompts it sees), so its TPOT is D(O') / (O' - 1), as the
 * detailed replica measures it (first token to last over O' - 1).  Over
 * the output strata j of dcs_fluid_record, with the spread of the decode
 * time (sd_j) split as in the e2e histogram, half of stratum j's
 * requests are at (D_j - sd_j) / (O_j - 1) (not below 0) and half at
 * (D_j + sd_j) / (O_j - 1).  TPOT does not depend on the prompt or the
 * admission wait, so the prompt and wait strata are summed out.
 * Requests with one output token have no TPOT (the detailed statistics
 * leave them out too).
 *
 * Left out: the correlation between a request's TPOT and its TTFT (they
 * share the load it meets), as in the e2e histogram.
 */
#include "dcsim/fluid.h"

#include <math.h>

uint64_t dcs_fluid_record_tpot(const dcs_fluid_model *m, const dcs_fluid_state *st,
                               double period_s, dcs_lathist *tpot)
{
    enum { S = DCS_FLUID_STRATA };
    double total = nearbyint(st->served_rate * period_s);
    if (!(total >= 1.0) || !tpot)
        return 0;
    double cum = 0.0;
    uint64_t given = 0;
    for (int j = 0; j < S; j++) {
        double o = m->strata_output[j];
        if (!(o > 1.0))
            continue;
        /* Integer shares by rounding the cumulative weight. */
        cum += m->strata_w[j];
        uint64_t upto = (uint64_t)nearbyint(cum * total);
        if (upto < given)
            upto = given;
        uint64_t n = upto - given;
        given = upto;
        if (n == 0)
            continue;
        double d = dcs_fluid_decode_s(st, o), sd = dcs_fluid_decode_sd_s(st, o);
        uint64_t lo = n / 2;
        if (sd > 0.0 && lo > 0) {
            dcs_lathist_add_n(tpot, fmax(d - sd, 0.0) / (o - 1.0), lo);
            dcs_lathist_add_n(tpot, (d + sd) / (o - 1.0), n - lo);
        } else {
            dcs_lathist_add_n(tpot, d / (o - 1.0), n);
        }
    }
    return given;
}
