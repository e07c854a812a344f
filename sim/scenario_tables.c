/*
 * scenario_tables.c - the schema tables of a scenario file.
 *
 * One table per struct of include/dcsim/scenario.h; a new parameter is one
 * line here plus one member there.  Bounds are sanity limits that catch typos
 * of units or magnitudes (a 700 MW GPU, a 40-year run), not physics; they are
 * stated in internal units (W, degC, K, ns, /s, B, B/s, FLOP/s).  Defaults
 * with a physical meaning cite their source:
 *   chiller cop_ref 5.5: EnergyPlus Chiller:Electric:EIR reference
 *     "DOE-2 Centrifugal/5.50COP" (FACTS.md section 3);
 *   gpus_per_node 8: HGX/DGX boards carry 8 GPUs (FACTS.md section 1, DGX).
 * The tables of workloads, users, the network, policies and their catalogs
 * are in sim/scenario_tables_work.c; the cross-field check of the whole
 * scenario (sim/scenario_check.c) resolves names (accelerators, sites,
 * users, workloads, models) and reports the unknown ones.
 */
#include "dcsim/scenario.h"
#include "dcsim/genmix.h"
#include "scenario_internal.h"

#include <math.h>
#include <string.h>

#define INF INFINITY

const char *const dcs_fidelity_names[] = {"detailed", "fluid", NULL};
const char *const dcs_cooling_type_names[] = {"air", "direct_liquid", "immersion", NULL};
static const char *const rejection_names[] = {"none", "dry_cooler", "cooling_tower", NULL};
const char *const dcs_workload_kind_names[] = {"inference", "training", "batch", NULL};
const char *const dcs_placement_names[] = {"round_robin", "least_loaded", "nearest",
                                           "geolocation", "rl", NULL};
const char *const dcs_csv_format_names[] = {"emaps", "generic", "eia", NULL};
static const char *const basis_names[] = {"lca", "direct", NULL};       /* dcs_ci_basis */
static const char *const dst_names[] = {"none", "eu", "us", NULL};      /* dcs_dst_rule */
const char *const dcs_ppa_source_names[] = {"wind", "solar", NULL};
static const char *const ppa_region_names[] = {"same", "other", NULL};
const char *const dcs_fault_kind_names[] = {"chiller_trip", "utility_loss", "node_failure",
                                            "region_outage", "cdu_pump", "site_outage",
                                            "network_partition", NULL};
const char *const dcs_repair_names[] = {"exponential", "fixed", NULL};

/* ---- cross-field checks ------------------------------------------------ */

static void check_accel(void *obj, dcs_schema_ctx *c)
{
    const dcs_accel_spec *a = obj;
    if (a->idle_power_w > a->max_power_w)
        dcs_schema_error(c, a, "idle_power", "idle_power of '%s' is above its max_power",
                         a->name);
}

static void check_cooling(void *obj, dcs_schema_ctx *c)
{
    const dcs_cooling_spec *k = obj;
    bool liquid = k->type == DCS_COOLING_DIRECT_LIQUID;
    if (liquid && !dcs_schema_given(c, k, "liquid_fraction"))
        dcs_schema_error(c, k, NULL, "direct_liquid cooling needs 'liquid_fraction' (the share "
                         "of heat taken by cold plates)");
    if (!liquid && dcs_schema_given(c, k, "liquid_fraction"))
        dcs_schema_error(c, k, "liquid_fraction", "liquid_fraction applies only to "
                         "direct_liquid cooling (type is '%s')", dcs_cooling_type_names[k->type]);
}

static void check_climate(void *obj, dcs_schema_ctx *c)
{
    const dcs_climate_spec *k = obj;
    if (k->normals && k->epw)
        dcs_schema_error(c, k, NULL, "climate needs exactly one of 'normals' (a catalog name) "
                         "or 'epw' (a weather file)");
}

static void check_grid(void *obj, dcs_schema_ctx *c)
{
    dcs_grid_spec *g = obj;
    g->has_mix = dcs_schema_given(c, g, "mix");
    g->has_tou = dcs_schema_given(c, g, "price_tou");
    int sources = (g->region != NULL) + !isnan(g->intensity_kg_per_j) + (g->csv != NULL)
                  + g->has_mix;
    if (sources > 1)
        dcs_schema_error(c, g, NULL, "grid needs exactly one of 'region' (a catalog name), "
                         "'intensity' (a flat carbon intensity), 'csv' (an hourly file) or "
                         "'mix' (a generation-mix model)");
    int prices = dcs_schema_given(c, g, "price") + g->has_tou + (g->price_csv.file != NULL);
    if (prices > 1)
        dcs_schema_error(c, g, NULL, "grid takes one price: 'price' (flat), 'price_tou' "
                         "(time-of-use) or 'price_csv' (an hourly file)");
    bool generic = g->csv && g->csv_format == DCS_CSV_GENERIC;
    bool eia = g->csv && g->csv_format == DCS_CSV_EIA;
    if (!generic && dcs_schema_given(c, g, "dst"))
        dcs_schema_error(c, g, "dst", "dst applies only to a 'csv' file of format generic "
                         "(Electricity Maps and EIA timestamps are UTC)");
    if (!generic && !eia && dcs_schema_given(c, g, "utc_offset_h"))
        dcs_schema_error(c, g, "utc_offset_h", "utc_offset_h applies only to a 'csv' file of "
                         "format generic (its timestamps) or eia (the local hours of its "
                         "marginal-emission fit)");
    if (dcs_schema_given(c, g, "column") && !(g->csv && g->csv_format == DCS_CSV_EMAPS))
        dcs_schema_error(c, g, "column", "column (lca or direct) applies only to a 'csv' file "
                         "of format emaps");
}

static void check_mix(void *obj, dcs_schema_ctx *c)
{
    const dcs_mix_spec *m = obj;
    for (size_t i = 0; i < m->nmerit; i++) {
        dcs_source src = dcs_source_by_name(m->merit[i]);
        if (src != DCS_SRC_COAL && src != DCS_SRC_GAS && src != DCS_SRC_OIL
            && src != DCS_SRC_BIOMASS)
            dcs_schema_error(c, m, "merit", "merit: '%s' is not a dispatchable source "
                             "(coal, gas, oil, biomass)", m->merit[i]);
    }
}

static void check_tou(void *obj, dcs_schema_ctx *c)
{
    const dcs_tou_spec *t = obj;
    if (t->peak_start_h >= t->peak_end_h)
        dcs_schema_error(c, t, "peak_end_h", "peak_end_h (%lld) must be after peak_start_h "
                         "(%lld)", (long long)t->peak_end_h, (long long)t->peak_start_h);
}

/* ---- tables -------------------------------------------------------------- */

static const dcs_field accel_fields[] = {
    DCS_FIELD_STR(dcs_accel_spec, name, "name", DCS_NAME_KEY, NULL, "the catalog key"),
    DCS_FIELD_NUM(dcs_accel_spec, idle_power_w, "idle_power", DCS_UNIT_POWER, DCS_REQUIRED, NULL,
                  0, 10e3, "board power when idle"),
    DCS_FIELD_NUM(dcs_accel_spec, max_power_w, "max_power", DCS_UNIT_POWER,
                  DCS_REQUIRED | DCS_MIN_EXCL, NULL, 0, 10e3, "maximum board power (TDP)"),
    DCS_FIELD_NUM(dcs_accel_spec, peak_flops, "peak_flops", DCS_UNIT_FLOP_RATE,
                  DCS_REQUIRED | DCS_MIN_EXCL, NULL, 0, 1e18, "peak dense FLOP/s at the "
                  "precision the source states (BF16 unless noted)"),
    DCS_FIELD_NUM(dcs_accel_spec, mem_bandwidth_bps, "mem_bandwidth", DCS_UNIT_BYTE_RATE,
                  DCS_REQUIRED | DCS_MIN_EXCL, NULL, 0, 1e15, "memory bandwidth"),
    DCS_FIELD_NUM(dcs_accel_spec, mem_capacity_b, "mem_capacity", DCS_UNIT_BYTES,
                  DCS_REQUIRED | DCS_MIN_EXCL, NULL, 0, 1e14, "memory capacity"),
    DCS_FIELD_STR(dcs_accel_spec, source, "source", DCS_REQUIRED, NULL,
                  "where the numbers come from (data sheet, FACTS.md line)"),
};
static const dcs_schema accel_schema =
    DCS_SCHEMA("accelerator", dcs_accel_spec, accel_fields, check_accel,
               "An entry of the `accelerators:` catalog, keyed by its name.");

static const dcs_field chiller_fields[] = {
    DCS_FIELD_NUM(dcs_chiller_spec, cop_ref, "cop_ref", DCS_UNIT_NUMBER, DCS_MIN_EXCL, "5.5",
                  0, 20, "coefficient of performance at reference conditions"),
};
static const dcs_schema chiller_schema =
    DCS_SCHEMA("chiller", dcs_chiller_spec, chiller_fields, NULL,
               "A vapour-compression chiller.");

static const dcs_field cooling_fields[] = {
    DCS_FIELD_ENUM(dcs_cooling_spec, type, "type", 0, "air", dcs_cooling_type_names,
                   "how heat leaves the IT equipment"),
    DCS_FIELD_NUM(dcs_cooling_spec, supply_temp_c, "supply_temp", DCS_UNIT_TEMP, 0, NULL,
                  0, 90, "liquid supply temperature (absent: the model's default)"),
    DCS_FIELD_NUM(dcs_cooling_spec, supply_air_c, "supply_air", DCS_UNIT_TEMP, 0, NULL,
                  5, 45, "supply air temperature to the IT equipment"),
    DCS_FIELD_NUM(dcs_cooling_spec, liquid_fraction, "liquid_fraction", DCS_UNIT_FRACTION,
                  DCS_BARE_OK, NULL, 0, 1, "share of heat into cold plates (direct_liquid only)"),
    DCS_FIELD_ENUM(dcs_cooling_spec, heat_rejection, "heat_rejection", 0, "cooling_tower",
                   rejection_names, "how the plant rejects heat outdoors"),
    DCS_FIELD_NUM(dcs_cooling_spec, approach_k, "approach", DCS_UNIT_TEMP_DIFF, 0, NULL,
                  0, 30, "heat-rejection approach temperature"),
    DCS_FIELD_MAP(dcs_cooling_spec, chiller, "chiller", 0, &chiller_schema,
                  "the chiller, where the plant has one"),
};
static const dcs_schema cooling_schema =
    DCS_SCHEMA("cooling", dcs_cooling_spec, cooling_fields, check_cooling,
               "The cooling plant of a site.");

static const dcs_field cluster_fields[] = {
    DCS_FIELD_STR(dcs_cluster_spec, name, "name", DCS_REQUIRED, NULL, "unique cluster name"),
    DCS_FIELD_STR(dcs_cluster_spec, accelerator, "accelerator", DCS_REQUIRED, NULL,
                  "a name from the `accelerators:` catalog"),
    DCS_FIELD_INT(dcs_cluster_spec, nodes, "nodes", DCS_REQUIRED, NULL, 1, 1e6,
                  "number of nodes"),
    DCS_FIELD_INT(dcs_cluster_spec, gpus_per_node, "gpus_per_node", 0, "8", 1, 64,
                  "accelerators per node"),
    /* 66 %: median rack power utilisation of allocation in Azure's GreenSKU
     * data (FACTS.md 3), a stand-in until workloads drive the clusters. */
    DCS_FIELD_NUM(dcs_cluster_spec, utilization, "utilization", DCS_UNIT_FRACTION, DCS_BARE_OK,
                  "66 %", 0, 1, "constant GPU utilisation (until workloads drive the "
                  "cluster)"),
    /* 4 nodes: [assumption] four 8-GPU HGX H100 nodes (about 10 kW each,
     * FACTS.md 1, DGX H100 10.2 kW max) fill a 40 kW rack. */
    DCS_FIELD_INT(dcs_cluster_spec, nodes_per_rack, "nodes_per_rack", 0, "4", 1, 256,
                  "nodes sharing one rack's power feed"),
    DCS_FIELD_NUM(dcs_cluster_spec, rack_power_limit_w, "rack_power_limit", DCS_UNIT_POWER,
                  DCS_MIN_EXCL, NULL, 0, 10e6, "power limit of one rack: GPUs are capped to "
                  "stay under it (absent: none)"),
    DCS_FIELD_DICT(dcs_cluster_spec, replicas, "replicas", 0, &dcs_scenario_replicas_schema,
                   "serving replicas of inference workloads: `{chat: 40, code: 8}`"),
};
static const dcs_schema cluster_schema =
    DCS_SCHEMA("cluster", dcs_cluster_spec, cluster_fields, NULL,
               "A group of identical nodes in a site.");

static const dcs_field climate_entry_fields[] = {
    DCS_FIELD_STR(dcs_climate_entry, name, "name", DCS_NAME_KEY, NULL, "the catalog key"),
    DCS_FIELD_STR(dcs_climate_entry, source, "source", DCS_REQUIRED, NULL,
                  "the weather file the normals were derived from"),
    DCS_FIELD_NUM(dcs_climate_entry, latitude_deg, "latitude_deg", DCS_UNIT_NUMBER,
                  DCS_REQUIRED, NULL, -90, 90, "latitude, degrees north"),
    DCS_FIELD_INT(dcs_climate_entry, utc_offset_h, "utc_offset_h", 0, "0", -12, 14,
                  "local standard time minus UTC, hours (the weather file's time zone; "
                  "0: UTC): the diurnal cycle peaks at 15:00 local time"),
    DCS_FIELD_NUM(dcs_climate_entry, pressure_pa, "pressure_pa", DCS_UNIT_NUMBER, 0, "101325",
                  50e3, 110e3, "annual mean station pressure, Pa"),
    DCS_FIELD_NUMS(dcs_climate_entry, dry_bulb_mean_c, "dry_bulb_mean_c", DCS_REQUIRED, 12,
                   -60, 50, "monthly mean dry-bulb, degC"),
    DCS_FIELD_NUMS(dcs_climate_entry, diurnal_range_k, "diurnal_range_k", DCS_REQUIRED, 12,
                   0, 40, "monthly mean daily range of dry-bulb, K"),
    DCS_FIELD_NUMS(dcs_climate_entry, dew_point_mean_c, "dew_point_mean_c", DCS_REQUIRED, 12,
                   -70, 35, "monthly mean dew point, degC"),
    DCS_FIELD_NUMS(dcs_climate_entry, dry_bulb_noise_sd_k, "dry_bulb_noise_sd_k", 0, 12,
                   0, 20, "monthly RMS of hourly dry-bulb around the mean cycle, K"),
    DCS_FIELD_NUMS(dcs_climate_entry, dew_point_noise_sd_k, "dew_point_noise_sd_k", 0, 12,
                   0, 20, "monthly RMS of hourly dew point around the mean cycle, K"),
    DCS_FIELD_NUM(dcs_climate_entry, noise_phi, "noise_phi", DCS_UNIT_NUMBER, 0, "0", 0, 0.9999,
                  "lag-1 autocorrelation of the hourly dry-bulb residual (0: default)"),
};
static const dcs_schema climate_entry_schema =
    DCS_SCHEMA("climate normals", dcs_climate_entry, climate_entry_fields, NULL,
               "An entry of the `climates:` catalog (scenarios/catalog/climates.yaml).");

static const dcs_field grid_entry_fields[] = {
    DCS_FIELD_STR(dcs_grid_entry, region, "region", DCS_NAME_KEY, NULL, "the catalog key"),
    DCS_FIELD_STR(dcs_grid_entry, zone_id, "zone_id", 0, NULL, "Electricity Maps zone id"),
    DCS_FIELD_STR(dcs_grid_entry, title, "name", 0, NULL, "a readable name"),
    DCS_FIELD_NUM(dcs_grid_entry, annual_ci_g_per_kwh, "annual_ci_g_per_kwh", DCS_UNIT_NUMBER,
                  DCS_REQUIRED, NULL, 0, 2000, "annual average intensity, gCO2eq/kWh"),
    DCS_FIELD_NUM(dcs_grid_entry, grid_cfe_pct, "grid_cfe_pct", DCS_UNIT_NUMBER, 0, "0", 0, 100,
                  "carbon-free share of the grid's supply, %"),
    DCS_FIELD_INT(dcs_grid_entry, utc_offset_h, "utc_offset_h", 0, "0", -12, 14,
                  "local standard time minus UTC, hours"),
    DCS_FIELD_NUM(dcs_grid_entry, typical_day_mean_ci_g_per_kwh,
                  "typical_day_mean_ci_g_per_kwh", DCS_UNIT_NUMBER, 0, NULL, 0, 2000,
                  "mean of the typical-day profile, gCO2eq/kWh"),
    DCS_FIELD_TABLE(dcs_grid_entry, typical_day_ci_g_per_kwh, "typical_day_ci_g_per_kwh", 0,
                    12, 24, 0, 2000, "12 months x 24 local hours of intensity, gCO2eq/kWh"),
    DCS_FIELD_STR(dcs_grid_entry, source, "source", DCS_REQUIRED, NULL,
                  "where the numbers come from"),
};
static const dcs_schema grid_entry_schema =
    DCS_SCHEMA("grid region", dcs_grid_entry, grid_entry_fields, NULL,
               "An entry of the `grids:` catalog (scenarios/catalog/grids.yaml).");

static const dcs_field climate_fields[] = {
    DCS_FIELD_STR(dcs_climate_spec, normals, "normals", 0, NULL,
                  "a name in the `climates:` catalog (synthetic hourly weather)"),
    DCS_FIELD_STR(dcs_climate_spec, epw, "epw", 0, NULL,
                  "an EnergyPlus weather file (.epw), repeated every year"),
};
static const dcs_schema climate_schema =
    DCS_SCHEMA("climate", dcs_climate_spec, climate_fields, check_climate,
               "A site's weather: `{normals: NAME}` or `{epw: FILE}`.");

#define MAX_PRICE (10.0 / 3.6e6)        /* 10 USD/kWh, in USD/J */
#define MAX_CI (2000 * 1e-3 / 3.6e6)     /* 2,000 gCO2/kWh, in kg/J */
#define MAX_GRID_W 1e12                 /* 1 TW: a sanity bound for a grid's units */

/* Absent numbers stay NAN and take dcs_genmix_defaults() (models/grid/genmix.c,
 * a PJM-like mix with its sources); see dcs_mix_spec. */
static const dcs_field mix_fields[] = {
    DCS_FIELD_NUM(dcs_mix_spec, demand_mean_w, "demand_mean", DCS_UNIT_POWER, DCS_MIN_EXCL, NULL,
                  0, MAX_GRID_W, "mean demand of the grid (absent: 96 GW, PJM 2022)"),
    DCS_FIELD_NUM(dcs_mix_spec, demand_amplitude, "demand_amplitude", DCS_UNIT_FRACTION,
                  DCS_BARE_OK, NULL, 0, 1, "diurnal swing of demand as a share of the mean"),
    DCS_FIELD_NUM(dcs_mix_spec, latitude_deg, "latitude_deg", DCS_UNIT_NUMBER, 0, NULL, -90, 90,
                  "latitude of the grid's solar and wind, degrees north"),
    DCS_FIELD_NUM(dcs_mix_spec, longitude_deg, "longitude_deg", DCS_UNIT_NUMBER, 0, NULL,
                  -180, 180, "longitude, degrees east (sets solar noon)"),
    DCS_FIELD_NUM(dcs_mix_spec, solar_w, "solar", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "solar PV capacity"),
    DCS_FIELD_NUM(dcs_mix_spec, wind_w, "wind", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "wind capacity"),
    DCS_FIELD_NUM(dcs_mix_spec, nuclear_w, "nuclear", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "nuclear capacity (must-run)"),
    DCS_FIELD_NUM(dcs_mix_spec, hydro_w, "hydro", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "hydro capacity (must-run)"),
    DCS_FIELD_NUM(dcs_mix_spec, geothermal_w, "geothermal", DCS_UNIT_POWER, 0, NULL, 0,
                  MAX_GRID_W, "geothermal capacity (must-run)"),
    DCS_FIELD_NUM(dcs_mix_spec, coal_w, "coal", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "coal capacity (dispatchable)"),
    DCS_FIELD_NUM(dcs_mix_spec, gas_w, "gas", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "gas capacity (dispatchable)"),
    DCS_FIELD_NUM(dcs_mix_spec, oil_w, "oil", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "oil capacity (dispatchable)"),
    DCS_FIELD_NUM(dcs_mix_spec, biomass_w, "biomass", DCS_UNIT_POWER, 0, NULL, 0, MAX_GRID_W,
                  "biomass capacity (dispatchable)"),
    DCS_FIELD_STRS(dcs_mix_spec, merit, "merit", 0,
                   "dispatch order of the dispatchable sources, cheapest first (absent: "
                   "gas, coal, oil, biomass; the default mix keeps coal, gas, oil)"),
};
static const dcs_schema mix_schema =
    DCS_SCHEMA("mix", dcs_mix_spec, mix_fields, check_mix,
               "A generation-mix model of the grid: capacities by source, dispatched each hour "
               "(docs/grid.md).");

static const dcs_field tou_fields[] = {
    DCS_FIELD_NUM(dcs_tou_spec, peak_usd_per_j, "peak", DCS_UNIT_PRICE_ENERGY, DCS_REQUIRED,
                  NULL, 0, MAX_PRICE, "price in the peak window"),
    DCS_FIELD_NUM(dcs_tou_spec, offpeak_usd_per_j, "offpeak", DCS_UNIT_PRICE_ENERGY,
                  DCS_REQUIRED, NULL, 0, MAX_PRICE, "price outside it"),
    DCS_FIELD_INT(dcs_tou_spec, peak_start_h, "peak_start_h", 0, "14", 0, 23,
                  "first local standard hour of the peak window"),
    DCS_FIELD_INT(dcs_tou_spec, peak_end_h, "peak_end_h", 0, "20", 1, 24,
                  "local standard hour the peak window ends (exclusive)"),
    DCS_FIELD_BOOL(dcs_tou_spec, weekdays_only, "weekdays_only", 0, "true",
                   "the peak window applies Monday to Friday only"),
    DCS_FIELD_INT(dcs_tou_spec, utc_offset_h, "utc_offset_h", 0, "0", -12, 14,
                  "local standard time minus UTC, hours"),
};
static const dcs_schema tou_schema =
    DCS_SCHEMA("price_tou", dcs_tou_spec, tou_fields, check_tou,
               "A time-of-use tariff: peak and off-peak prices.");

static const dcs_field price_csv_fields[] = {
    DCS_FIELD_STR(dcs_price_csv_spec, file, "file", DCS_REQUIRED, NULL,
                  "a `timestamp,usd_per_mwh` CSV file, relative to the scenario"),
    DCS_FIELD_INT(dcs_price_csv_spec, utc_offset_h, "utc_offset_h", 0, "0", -12, 14,
                  "local standard time of timestamps without an offset, minus UTC, hours"),
    DCS_FIELD_ENUM(dcs_price_csv_spec, dst, "dst", 0, "none", dst_names,
                   "daylight-saving rule of those timestamps"),
};
static const dcs_schema price_csv_schema =
    DCS_SCHEMA("price_csv", dcs_price_csv_spec, price_csv_fields, NULL,
               "Hourly prices from a file (negative prices allowed).");

/* 80 USD/MWh: [assumption] a wholesale-plus-delivery price; FACTS.md has no
 * electricity prices (docs/grid.md). */
static const dcs_field grid_fields[] = {
    DCS_FIELD_STR(dcs_grid_spec, region, "region", 0, NULL, "a name in the `grids:` catalog"),
    DCS_FIELD_NUM(dcs_grid_spec, intensity_kg_per_j, "intensity", DCS_UNIT_CARBON_INTENSITY, 0,
                  NULL, 0, MAX_CI, "a flat carbon intensity instead of a region's"),
    DCS_FIELD_STR(dcs_grid_spec, csv, "csv", 0, NULL,
                  "an hourly intensity file, relative to the scenario; placed in the calendar "
                  "by `start`, repeated past its end"),
    DCS_FIELD_ENUM(dcs_grid_spec, csv_format, "format", 0, "emaps", dcs_csv_format_names,
                   "format of `csv`: Electricity Maps export, generic timestamp,gco2_per_kwh, "
                   "or EIA-930 generation by fuel"),
    DCS_FIELD_ENUM(dcs_grid_spec, csv_column, "column", 0, "lca", basis_names,
                   "emaps: life-cycle (lca) or combustion-only (direct) intensity"),
    DCS_FIELD_INT(dcs_grid_spec, utc_offset_h, "utc_offset_h", 0, "0", -12, 14,
                  "local standard time minus UTC: of generic timestamps without an offset; "
                  "of the hours of an eia file's marginal fit"),
    DCS_FIELD_ENUM(dcs_grid_spec, dst, "dst", 0, "none", dst_names,
                   "generic: daylight-saving rule of those timestamps"),
    DCS_FIELD_MAP(dcs_grid_spec, mix, "mix", 0, &mix_schema,
                  "a generation-mix model (average and marginal intensity)"),
    DCS_FIELD_NUM(dcs_grid_spec, cfe, "cfe", DCS_UNIT_FRACTION, DCS_BARE_OK, NULL, 0, 1,
                  "carbon-free share of the grid (absent: the region's, or the mix's hourly)"),
    DCS_FIELD_NUM(dcs_grid_spec, price_usd_per_j, "price", DCS_UNIT_PRICE_ENERGY, 0,
                  "80 USD/MWh", 0, MAX_PRICE, "flat electricity price"),
    DCS_FIELD_MAP(dcs_grid_spec, price_tou, "price_tou", 0, &tou_schema,
                  "a time-of-use price instead of the flat one"),
    DCS_FIELD_MAP(dcs_grid_spec, price_csv, "price_csv", 0, &price_csv_schema,
                  "hourly prices from a file instead of the flat one"),
    /* 1 USD/kW/month is 1e-3 USD/W/month; 100 USD/kW/month is far above any tariff. */
    DCS_FIELD_NUM(dcs_grid_spec, demand_usd_per_w_month, "demand_charge", DCS_UNIT_PRICE_POWER,
                  0, "0 USD/kW/month", 0, 0.1, "charge on each calendar month's peak hourly "
                  "power"),
};
static const dcs_schema grid_schema =
    DCS_SCHEMA("grid", dcs_grid_spec, grid_fields, check_grid,
               "A site's electricity: `{region: NAME}`, `{intensity: 350 gCO2/kWh}`, "
               "`{csv: FILE}` or `{mix: {...}}`, and its price.");

static const dcs_field ppa_fields[] = {
    DCS_FIELD_ENUM(dcs_ppa_spec, source, "source", DCS_REQUIRED, NULL, dcs_ppa_source_names,
                   "the contracted plant"),
    DCS_FIELD_NUM(dcs_ppa_spec, capacity_w, "capacity", DCS_UNIT_POWER,
                  DCS_REQUIRED | DCS_MIN_EXCL, NULL, 0, 100e9, "nameplate capacity"),
    DCS_FIELD_ENUM(dcs_ppa_spec, region, "region", 0, "same", ppa_region_names,
                   "same: delivered into the site's grid (counts hourly); other: counts only "
                   "for annual matching and market-based carbon"),
    DCS_FIELD_NUM(dcs_ppa_spec, latitude_deg, "latitude_deg", DCS_UNIT_NUMBER, 0, NULL, -90, 90,
                  "the plant's latitude (absent: the site grid's)"),
    DCS_FIELD_NUM(dcs_ppa_spec, longitude_deg, "longitude_deg", DCS_UNIT_NUMBER, 0, NULL,
                  -180, 180, "the plant's longitude (absent: the site grid's)"),
};
static const dcs_schema ppa_schema =
    DCS_SCHEMA("ppa", dcs_ppa_spec, ppa_fields, NULL,
               "A power purchase agreement; its hourly profile comes from the generation-mix "
               "model's solar or wind at the plant's place.");

/* RTE 85 %: [assumption] typical Li-ion round trip (models/grid/procure.c). */
static const dcs_field battery_fields[] = {
    DCS_FIELD_NUM(dcs_battery_spec, capacity_j, "capacity", DCS_UNIT_ENERGY, 0, "0 kWh", 0,
                  1e15, "usable energy"),
    DCS_FIELD_NUM(dcs_battery_spec, power_w, "power", DCS_UNIT_POWER, 0, "0 W", 0, 100e9,
                  "charge and discharge power limit"),
    DCS_FIELD_NUM(dcs_battery_spec, rte, "rte", DCS_UNIT_FRACTION, DCS_BARE_OK | DCS_MIN_EXCL,
                  "85 %", 0, 1, "round-trip efficiency"),
};
static const dcs_schema battery_schema =
    DCS_SCHEMA("battery", dcs_battery_spec, battery_fields, NULL,
               "A battery charged only from clean surplus, discharged into deficits.");

static const dcs_field procurement_fields[] = {
    DCS_FIELD_LIST(dcs_procurement_spec, ppa, "ppa", 0, &ppa_schema,
                   "power purchase agreements"),
    DCS_FIELD_NUM(dcs_procurement_spec, onsite_solar_w, "onsite_solar", DCS_UNIT_POWER, 0, "0 W",
                  0, 10e9, "nameplate of on-site solar PV"),
    DCS_FIELD_MAP(dcs_procurement_spec, battery, "battery", 0, &battery_schema,
                  "an on-site battery"),
    DCS_FIELD_NUM(dcs_procurement_spec, certificates_j, "certificates", DCS_UNIT_ENERGY, 0,
                  "0 kWh", 0, 1e18, "unbundled energy attribute certificates per 365 days "
                  "(pro rata for the run)"),
};
static const dcs_schema procurement_schema =
    DCS_SCHEMA("procurement", dcs_procurement_spec, procurement_fields, NULL,
               "Clean energy a site contracted or built: hourly (24/7) and annual matching, "
               "market-based carbon (docs/grid.md).");

/* 70 degC supply and 50 % of Carnot: FACTS.md 4 (4G networks 55-70 degC;
 * large heat pumps 40-60 % of Carnot [U]). */
static const dcs_field reuse_fields[] = {
    DCS_FIELD_BOOL(dcs_reuse_spec, district_heating, "district_heating", 0, "false",
                   "sell heat to a district-heating network"),
    DCS_FIELD_NUM(dcs_reuse_spec, supply_temp_c, "supply_temp", DCS_UNIT_TEMP, 0, "70 degC",
                  20, 130, "district-heating supply temperature"),
    DCS_FIELD_NUM(dcs_reuse_spec, carnot_fraction, "heat_pump_carnot_fraction",
                  DCS_UNIT_FRACTION, DCS_BARE_OK | DCS_MIN_EXCL, "50 %", 0, 1,
                  "heat-pump COP as a share of the Carnot COP"),
    DCS_FIELD_NUM(dcs_reuse_spec, capacity_w, "capacity", DCS_UNIT_POWER, DCS_MIN_EXCL, NULL,
                  0, 10e9, "heat-pump heat output limit (absent: sized for the site)"),
    DCS_FIELD_NUM(dcs_reuse_spec, demand_w, "design_demand", DCS_UNIT_POWER, DCS_MIN_EXCL, NULL,
                  0, 10e9, "network heat demand at its design outdoor temperature "
                  "(absent: the heat-reuse model's default)"),
};
static const dcs_schema reuse_schema =
    DCS_SCHEMA("heat_reuse", dcs_reuse_spec, reuse_fields, NULL,
               "Heat reclamation into district heating.");

static const dcs_field site_fields[] = {
    DCS_FIELD_STR(dcs_site_spec, name, "name", DCS_REQUIRED, NULL, "unique site name"),
    DCS_FIELD_STR(dcs_site_spec, location, "location", 0, NULL,
                  "place name for the `network_rtt:` catalog (absent: the site's name)"),
    DCS_FIELD_NUM(dcs_site_spec, power_limit_w, "power_limit", DCS_UNIT_POWER, DCS_MIN_EXCL,
                  NULL, 0, 10e9, "facility power limit (absent: none)"),
    DCS_FIELD_MAP(dcs_site_spec, climate, "climate", 0, &climate_schema,
                  "weather: {normals: NAME} or {epw: FILE}"),
    DCS_FIELD_MAP(dcs_site_spec, grid, "grid", 0, &grid_schema,
                  "electricity: {region: NAME}, {intensity: VALUE}, {csv: FILE} or "
                  "{mix: {...}}, and its price"),
    DCS_FIELD_MAP(dcs_site_spec, procurement, "procurement", 0, &procurement_schema,
                  "PPAs, on-site solar, battery, certificates"),
    DCS_FIELD_MAP(dcs_site_spec, heat_reuse, "heat_reuse", 0, &reuse_schema,
                  "heat reclamation into district heating"),
    DCS_FIELD_MAP(dcs_site_spec, cooling, "cooling", 0, &cooling_schema, "the cooling plant"),
    DCS_FIELD_LIST(dcs_site_spec, clusters, "clusters", 0, &cluster_schema,
                   "the GPU clusters of the site"),
};
static const dcs_schema site_schema =
    DCS_SCHEMA("site", dcs_site_spec, site_fields, NULL, "A data-centre site.");

/* Defaults of a utility loss: models/facility/ups.c (UPS 5 min [assumption],
 * generator start 10 s, NFPA 110 Type 10); cdu_pump 0.25 [assumption: one
 * CDU of four in a hall, no spare pump left]. */
static const dcs_field fault_fields[] = {
    DCS_FIELD_DUR(dcs_fault_spec, at, "at", 0, NULL, 0, 10 * NS_Y,
                  "when the fault starts, from the start of the run (scheduled faults)"),
    DCS_FIELD_STR(dcs_fault_spec, site, "site", 0, NULL, "the site it hits"),
    DCS_FIELD_STRS(dcs_fault_spec, sites, "sites", 0, "instead of site: the sites it hits"),
    DCS_FIELD_STR(dcs_fault_spec, region, "region", 0, NULL,
                  "instead of site: every site whose electricity region is this"),
    DCS_FIELD_ENUM(dcs_fault_spec, kind, "kind", DCS_REQUIRED, NULL, dcs_fault_kind_names,
                   "what fails"),
    DCS_FIELD_DUR(dcs_fault_spec, duration, "duration", 0, NULL, 0, 10 * NS_Y,
                  "how long it lasts (absent: to the end of the run)"),
    DCS_FIELD_STR(dcs_fault_spec, users, "users", 0, NULL,
                  "network_partition: the user region that cannot reach the site"),
    DCS_FIELD_DUR(dcs_fault_spec, mtbf, "mtbf", 0, NULL, 0, 1000 * NS_Y,
                  "random faults: mean time between failures (node_failure: per node)"),
    DCS_FIELD_DUR(dcs_fault_spec, mttr, "mttr", 0, NULL, 0, 10 * NS_Y,
                  "random faults: mean time to repair"),
    DCS_FIELD_ENUM(dcs_fault_spec, repair, "repair", 0, "exponential", dcs_repair_names,
                   "distribution of repair times (fixed: always mttr)"),
    DCS_FIELD_NUM(dcs_fault_spec, fraction, "fraction", DCS_UNIT_NUMBER, 0, NULL, 0, 1,
                  "share of the site's GPUs out (cdu_pump: 0.25; node_failure: one node)"),
    DCS_FIELD_BOOL(dcs_fault_spec, failover, "failover", 0, "true",
                   "the controller sees the fault and moves traffic (false: it is dropped)"),
    DCS_FIELD_BOOL(dcs_fault_spec, generator_fails, "generator_fails", 0, "false",
                   "utility_loss: the generator does not start"),
    DCS_FIELD_NUM(dcs_fault_spec, generator_fail_prob, "generator_fail_prob", DCS_UNIT_NUMBER,
                  0, "0", 0, 1,
                  "utility_loss: chance that a start fails, drawn per loss (seeded)"),
    DCS_FIELD_DUR(dcs_fault_spec, ups_autonomy, "ups_autonomy", DCS_MIN_EXCL, "5 min", 0,
                  NS_D, "utility_loss: UPS runtime at the site's design IT power"),
    DCS_FIELD_DUR(dcs_fault_spec, generator_start, "generator_start", 0, "10 s", 0, NS_D,
                  "utility_loss: from the loss to the generator carrying the load"),
};
static const dcs_schema fault_schema =
    DCS_SCHEMA("fault", dcs_fault_spec, fault_fields, NULL,
               "A fault: scheduled (at, duration) or random (mtbf, mttr).");

static const dcs_field scenario_fields[] = {
    DCS_FIELD_STR(dcs_scenario, name, "name", DCS_REQUIRED, NULL,
                  "the scenario's name, recorded in traces"),
    DCS_FIELD_DUR(dcs_scenario, duration, "duration", DCS_REQUIRED | DCS_MIN_EXCL, NULL, 0,
                  10 * NS_Y, "simulated time span"),
    DCS_FIELD_INT(dcs_scenario, seed, "seed", 0, "1", 0, 4294967295.0,
                  "seed of every random stream (`dcsim run --seed` overrides)"),
    DCS_FIELD_ENUM(dcs_scenario, fidelity, "fidelity", 0, "detailed", dcs_fidelity_names,
                   "detailed: every request is an event; fluid: rates per control period"),
    DCS_FIELD_DUR(dcs_scenario, sample_period, "sample_period", DCS_MIN_EXCL, "5 min", 0,
                  30 * NS_D, "period of the sampled time series in traces"),
    DCS_FIELD_STRS(dcs_scenario, include, "include", 0,
                   "files merged under this one (see docs/scenario.md)"),
    DCS_FIELD_DICT(dcs_scenario, accelerators, "accelerators", 0, &accel_schema,
                   "accelerator catalog"),
    DCS_FIELD_STR(dcs_scenario, start, "start", 0, "2023-01-01",
                  "calendar time (UTC) of simulated time 0: YYYY-MM-DD or YYYY-MM-DDTHH:MM; "
                  "it places the run in the climate and grid signals"),
    DCS_FIELD_DICT(dcs_scenario, climates, "climates", 0, &climate_entry_schema,
                   "climate catalog (monthly normals)"),
    DCS_FIELD_DICT(dcs_scenario, grids, "grids", 0, &grid_entry_schema,
                   "grid-region catalog (carbon intensity)"),
    DCS_FIELD_DICT(dcs_scenario, models, "models", 0, &dcs_scenario_model_entry_schema,
                   "language-model catalog"),
    DCS_FIELD_DICT(dcs_scenario, token_profiles, "token_profiles", 0,
                   &dcs_scenario_token_profile_schema,
                   "token-count catalog (fits to request traces)"),
    DCS_FIELD_LIST(dcs_scenario, network_rtt, "network_rtt", 0, &dcs_scenario_net_rtt_schema,
                   "round-trip-time catalog between places"),
    DCS_FIELD_LIST(dcs_scenario, sites, "sites", DCS_REQUIRED, &site_schema,
                   "data-centre sites"),
    DCS_FIELD_LIST(dcs_scenario, users, "users", 0, &dcs_scenario_user_schema, "user regions"),
    DCS_FIELD_LIST(dcs_scenario, workloads, "workloads", 0, &dcs_scenario_workload_schema,
                   "workloads"),
    DCS_FIELD_MAP(dcs_scenario, policy, "policy", 0, &dcs_scenario_policy_schema,
                  "scheduling policies"),
    DCS_FIELD_LIST(dcs_scenario, faults, "faults", 0, &fault_schema,
                   "faults: scheduled or random (docs/faults.md)"),
};
const dcs_schema dcs_scenario_schema =
    DCS_SCHEMA("scenario", dcs_scenario, scenario_fields, dcs_scenario_check,
               "The top level of a scenario file.");
