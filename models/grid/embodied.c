/*
 * embodied.c - embodied carbon per GPU-hour, straight-line amortisation
 * (equation and sources in embodied.h).
 *
 * Defaults and where they come from (FACTS.md 7 unless said):
 *   gpu_kg 150, server_kg 2,500 (excluding GPUs, 8 GPUs), lives 6 years:
 *     BLOOM study assumptions (Luccioni, Viguier, Ligozat, JMLR 2023) -
 *     marked [U] in FACTS.md (recalled, not re-read): assumptions.
 *   building 9,000 t CO2e for 50 MW over 20 years (Azure GreenSKU 2024,
 *     [V]) = 0.18 kg per W of IT capacity.
 *   it_w_per_gpu 1,275 W: DGX H100 10.2 kW maximum input / 8 GPUs
 *     (FACTS.md 1, [S]) - the capacity a GPU's share of the building serves.
 * One year is 8,760 h here (365 days), so a 6-year life is 52,560 h.
 */
#include "dcsim/embodied.h"

#include <stdbool.h>

static const double YEAR_S = 8760.0 * 3600.0;

dcs_embodied_params dcs_embodied_defaults(void)
{
    return (dcs_embodied_params){
        .gpu_kg = 150, .gpu_life_s = 6 * YEAR_S,
        .server_kg = 2500, .server_life_s = 6 * YEAR_S,
        .gpus_per_server = 8,
        .building_kg_per_w = 9e6 / 50e6,
        .building_life_s = 20 * YEAR_S,
        .it_w_per_gpu = 10200.0 / 8,
    };
}

static void positive(dcs_diag *d, dcs_loc loc, const char *name, double v, bool zero_ok,
                     dcs_status *st)
{
    if (!(zero_ok ? v >= 0 : v > 0) || !(v < 1e15)) {
        dcs_diag_error(d, loc, "%s = %g must be %s and finite", name, v,
                       zero_ok ? "zero or positive" : "positive");
        *st = DCS_ERANGE;
    }
}

dcs_status dcs_embodied_check(const dcs_embodied_params *p, dcs_diag *d, dcs_loc loc)
{
    dcs_status st = DCS_OK;
    positive(d, loc, "gpu_kg", p->gpu_kg, true, &st);
    positive(d, loc, "gpu_life_s", p->gpu_life_s, false, &st);
    positive(d, loc, "server_kg", p->server_kg, true, &st);
    positive(d, loc, "server_life_s", p->server_life_s, false, &st);
    positive(d, loc, "gpus_per_server", p->gpus_per_server, false, &st);
    positive(d, loc, "building_kg_per_w", p->building_kg_per_w, true, &st);
    positive(d, loc, "building_life_s", p->building_life_s, false, &st);
    positive(d, loc, "it_w_per_gpu", p->it_w_per_gpu, true, &st);
    return st;
}

double dcs_embodied_kg_per_gpu_hour(const dcs_embodied_params *p)
{
    return 3600.0 * (p->gpu_kg / p->gpu_life_s +
                     p->server_kg / (p->gpus_per_server * p->server_life_s) +
                     p->building_kg_per_w * p->it_w_per_gpu / p->building_life_s);
}

double dcs_embodied_kg(const dcs_embodied_params *p, double gpus, double duration_s)
{
    return dcs_embodied_kg_per_gpu_hour(p) * gpus * duration_s / 3600.0;
}
