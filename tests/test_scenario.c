/*
 * test_scenario.c - loading whole scenarios: values in internal units, the
 * merge order of includes, --set paths, the effective text, and the
 * generated reference in docs/ matching `dcsim validate --schema --markdown`.
 */
#define _POSIX_C_SOURCE 200809L   /* mkstemp, popen */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dcsim/scenario.h"
#include "harness.h"
#include "scenario_util.h"


/* scenarios/minimal.yaml, converted by hand:
 *   1 d = 86,400 s; 5 min = 300 s; 30 MW = 3e7 W; 80 % = 0.8;
 *   989 TFLOP/s = 9.89e14 FLOP/s; 3.35 TB/s = 3.35e12 B/s; 80 GB = 8e10 B;
 *   12 ms = 1.2e7 ns; 5.5/s; defaults: utilization 66 % = 0.66,
 *   chiller cop_ref 5.5, policy power none (0), start 2023-01-01, grid price
 *   80 USD/MWh = 80 / 3.6e9 USD/J; climate lulea and grid SE1 resolved in
 *   the included catalogs (SE1: 16 gCO2/kWh, 100 % carbon-free). */
static void minimal_values(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("../scenarios/minimal.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    CHECK_STR(s->name, "minimal");
    CHECK_INT(s->duration, 86400 * DCS_SECOND);
    CHECK_INT(s->sample_period, 300 * DCS_SECOND);
    CHECK_INT(s->seed, 7);
    CHECK_INT(s->fidelity, DCS_FIDELITY_DETAILED);
    CHECK_INT(s->nsites, 1);
    const dcs_site_spec *site = &s->sites[0];
    CHECK_STR(site->name, "lulea");
    CHECK_NEAR(site->power_limit_w, 3e7, 1e-15);
    CHECK_STR(s->start, "2023-01-01");
    CHECK_INT(s->start_utc_s, 1672531200);   /* date -u -d 2023-01-01 +%s */
    CHECK(site->climate.entry && strcmp(site->climate.entry->name, "lulea") == 0);
    CHECK(site->grid.entry && site->grid.entry->annual_ci_g_per_kwh == 16);
    CHECK_NEAR(site->grid.entry ? site->grid.entry->grid_cfe_pct : -1, 100, 0);
    CHECK_NEAR(site->grid.price_usd_per_j, 80 / 3.6e9, 1e-15);
    CHECK_NEAR(site->clusters[0].utilization, 0.66, 1e-15);
    CHECK_INT(site->cooling.type, DCS_COOLING_DIRECT_LIQUID);
    CHECK_NEAR(site->cooling.liquid_fraction, 0.8, 1e-15);
    CHECK_NEAR(site->cooling.supply_temp_c, 40, 1e-15);
    CHECK(isnan(site->cooling.supply_air_c));   /* not given, no default */
    CHECK_NEAR(site->cooling.approach_k, 8, 1e-15);
    CHECK_INT(site->cooling.heat_rejection, DCS_REJECT_DRY_COOLER);
    CHECK_NEAR(site->cooling.chiller.cop_ref, 5.5, 1e-15);
    CHECK_INT(site->nclusters, 1);
    const dcs_cluster_spec *cl = &site->clusters[0];
    CHECK_INT(cl->nodes, 16);
    CHECK_INT(cl->gpus_per_node, 8);
    CHECK(cl->accel == &s->accelerators[0]);
    CHECK_NEAR(cl->accel->max_power_w, 700, 1e-15);
    CHECK_NEAR(cl->accel->idle_power_w, 70, 1e-15);
    CHECK_NEAR(cl->accel->peak_flops, 9.89e14, 1e-15);
    CHECK_NEAR(cl->accel->mem_bandwidth_bps, 3.35e12, 1e-15);
    CHECK_NEAR(cl->accel->mem_capacity_b, 8e10, 1e-15);
    CHECK_INT(s->nusers, 1);
    CHECK_INT(s->users[0].nrtt, 1);
    CHECK_STR(s->users[0].rtt[0].site, "lulea");
    CHECK_INT(s->users[0].rtt[0].rtt, 12 * DCS_MS);
    CHECK_INT(s->nworkloads, 1);
    const dcs_workload_spec *w = &s->workloads[0];
    CHECK_INT(w->kind, DCS_WORKLOAD_INFERENCE);
    CHECK_NEAR(w->model.params, 7e10, 1e-15);
    CHECK_INT(w->model.gpus_per_replica, 8);
    CHECK_INT(w->arrivals.process, DCS_ARRIVALS_DIURNAL_POISSON);
    CHECK_NEAR(w->arrivals.mean_rate_per_s, 5.5, 1e-15);
    CHECK_NEAR(w->arrivals.peak_to_mean, 1.8, 1e-15);
    CHECK_INT(w->slo.ttft, 2 * DCS_SECOND);
    CHECK_INT(w->slo.e2e, 30 * DCS_SECOND);
    CHECK_INT(s->policy.placement, DCS_PLACE_LEAST_LOADED);
    CHECK_INT(s->policy.npower, 0);             /* absent: no power policy */
    CHECK_INT(s->policy.control_period, 60 * DCS_SECOND);
    CHECK_INT(dcs_diag_errors(d), 0);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* fixtures/scenario/base.yaml includes cat_a then cat_b (which includes
 * sub/cat_c, which includes cat_d from the scenario's folder); its header
 * comment lists the expected winners. */
static void include_merge_order(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario/base.yaml", NULL, 0, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    CHECK_INT(s->naccelerators, 2);
    if (s->naccelerators == 2) {
        CHECK_STR(s->accelerators[0].name, "X1");
        CHECK_NEAR(s->accelerators[0].max_power_w, 600, 1e-15);   /* cat_b over cat_a */
        CHECK_NEAR(s->accelerators[0].idle_power_w, 50, 1e-15);   /* deep merge keeps cat_a's */
        CHECK_STR(s->accelerators[0].source, "fixture cat_a");
        CHECK_STR(s->accelerators[1].name, "X2");
        CHECK_NEAR(s->accelerators[1].peak_flops, 2.25e15, 1e-15);
    }
    CHECK_INT(s->policy.placement, DCS_PLACE_GEOLOCATION);         /* cat_b */
    CHECK_INT(s->policy.control_period, 10 * DCS_SECOND);          /* the including file */
    CHECK_INT(s->nfaults, 1);                                      /* list replaced */
    CHECK_INT(s->faults[0].at, (3 * 24 + 14) * DCS_HOUR);
    CHECK_INT(s->seed, 99);                                        /* cat_d */
    CHECK_INT(s->nusers, 1);                                       /* sub/cat_c */
    CHECK_INT(s->users[0].nrtt, 2);
    CHECK_INT(s->ninclude, 2);
    CHECK_STR(s->ninclude == 2 ? s->include[1] : NULL, "cat_b.yaml");
    CHECK(s->sites[0].clusters[1].accel == &s->accelerators[1]);
    /* The effective text has everything merged and no include list. */
    const char *text = dcs_scenario_text(s);
    CHECK(strstr(text, "include") == NULL);
    CHECK(strstr(text, "    max_power: 600 W\n") != NULL);
    CHECK(strstr(text, "seed: 99\n") != NULL);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

/* An include found in the source tree's scenarios/ folder (third place
 * searched), written as one name without brackets. */
static void include_from_source_tree(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario/from_source.yaml", NULL, 0, d);
    if (s) {
        CHECK_STR(s->name, "from-source");                  /* the including file wins */
        CHECK_INT(s->duration, DCS_DAY);                     /* from minimal.yaml */
        CHECK_INT(s->ninclude, 1);
        CHECK_STR(s->include[0], "minimal.yaml");
        CHECK_INT(s->naccelerators, 1);
        CHECK(strstr(dcs_scenario_text(s), "name: from-source\n") != NULL);
        CHECK(strstr(dcs_scenario_text(s), "    power_limit: 30 MW\n") != NULL);
    }
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

static void set_paths(void)
{
    const char *sets[] = {
        "duration=2 d",                                   /* top-level key */
        "sites.lulea.power_limit=20 MW",                  /* list item by name */
        "sites[1].cooling.type=direct_liquid",            /* by index, into a new mapping */
        "sites[1].cooling.liquid_fraction=0.6",           /* bare fraction allowed */
        "policy={placement: rl, rl_policy: p.h5}",        /* a whole mapping */
        "sites.lulea.clusters.c1={name: c1, accelerator: X2, nodes: 3}",   /* a whole item */
        "workloads=[{name: w, kind: batch, jobs: {count: 2, gpus: 16, work: 5 h}}]",
        "duration=8 d",                                   /* later overrides win */
    };
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = load("fixtures/scenario/base.yaml", sets, 8, d);
    if (!s) {
        dcs_diag_free(d);
        return;
    }
    CHECK_INT(s->duration, 8 * DCS_DAY);
    CHECK_NEAR(s->sites[0].power_limit_w, 2e7, 1e-15);
    CHECK_INT(s->sites[1].cooling.type, DCS_COOLING_DIRECT_LIQUID);
    CHECK_NEAR(s->sites[1].cooling.liquid_fraction, 0.6, 1e-15);
    CHECK_INT(s->policy.placement, DCS_PLACE_RL);
    CHECK_INT(s->policy.control_period, 60 * DCS_SECOND);   /* replaced map: default again */
    CHECK_INT(s->sites[0].clusters[0].nodes, 3);
    CHECK(s->sites[0].clusters[0].accel == &s->accelerators[1]);
    CHECK_INT(s->nworkloads, 1);
    CHECK_INT(s->workloads[0].jobs.work, 5 * DCS_HOUR);
    /* Overrides show in the effective text. */
    CHECK(strstr(dcs_scenario_text(s), "duration: 8 d\n") != NULL);
    dcs_scenario_free(s);
    dcs_diag_free(d);
}

static void set_errors_collected(void)
{
    const char *sets[] = {
        "sites.oslo.power_limit=1 MW",
        "sites.lulea.power_limit=1 MWh",
        "policy.placement=greedy",
        "sites[0]cooling=x",
    };
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    CHECK_INT(dcs_scenario_load("fixtures/scenario/base.yaml", sets, 4, d, &s), DCS_EINPUT);
    CHECK(s == NULL);
    CHECK_INT(dcs_diag_errors(d), 4);
    /* Path errors come while applying, value errors while validating. */
    CHECK_STR(dcs_diag_line(d, 0), "--set:1:7: no item named 'oslo' in 'sites' (names: lulea, ashburn)");
    CHECK_STR(dcs_diag_line(d, 1), "--set:4:9: expected '.' or '[' after ']' in 'sites[0]cooling'");
    CHECK_STR(dcs_diag_line(d, 2), "--set:2:25: power_limit: '1 MWh' is in units of energy; "
                                   "power takes W, kW, MW, GW");
    CHECK_STR(dcs_diag_line(d, 3), "--set:3:18: placement: unknown name 'greedy' (valid: "
                                   "round_robin, least_loaded, nearest, geolocation, rl)");
    dcs_diag_free(d);
}

/* The effective text loads again to the same scenario and the same text. */
static void effective_text_reloads(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *a = load("fixtures/scenario/base.yaml", NULL, 0, d);
    char path[] = "/tmp/dcsim-scenario-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (!a || fd < 0) {
        dcs_scenario_free(a);
        dcs_diag_free(d);
        return;
    }
    const char *text = dcs_scenario_text(a);
    CHECK((size_t)write(fd, text, strlen(text)) == strlen(text));
    close(fd);
    dcs_scenario *b = load(path, NULL, 0, d);
    if (b) {
        CHECK_STR(dcs_scenario_text(b), text);
        CHECK_INT(b->seed, a->seed);
        CHECK_INT(b->faults[0].at, a->faults[0].at);
        CHECK_NEAR(b->accelerators[0].max_power_w, a->accelerators[0].max_power_w, 0);
    }
    unlink(path);
    dcs_scenario_free(b);
    dcs_scenario_free(a);
    dcs_diag_free(d);
}

static void missing_file(void)
{
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    CHECK_INT(dcs_scenario_load("fixtures/scenario/nope.yaml", NULL, 0, d, &s), DCS_EINPUT);
    CHECK_STR(dcs_diag_line(d, 0), "fixtures/scenario/nope.yaml: cannot open: No such file or directory");
    dcs_diag_free(d);
}

/* docs/scenario-reference.md is the output of the command, byte for byte. */
static void reference_doc_current(void)
{
    const char *bin = getenv("DCSIM_BIN");
    CHECK(bin != NULL);
    if (!bin)
        return;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' validate --schema --markdown", bin);
    FILE *p = popen(cmd, "r");
    FILE *f = fopen("../docs/scenario-reference.md", "rb");
    CHECK(p != NULL);
    CHECK(f != NULL);
    if (!p || !f) {
        if (p)
            pclose(p);
        if (f)
            fclose(f);
        return;
    }
    /* The file starts with a generated-by header, then the command's output. */
    char line[4096];
    int header = 0;
    while (fgets(line, sizeof line, f) && strcmp(line, "<!-- end of header -->\n") != 0)
        header++;
    CHECK(header > 0 && header < 20);
    long lineno = 0, differ = 0;
    char a[4096], b[4096];
    for (;;) {
        char *ga = fgets(a, sizeof a, p);
        char *gb = fgets(b, sizeof b, f);
        if (!ga && !gb)
            break;
        lineno++;
        if (!ga || !gb || strcmp(a, b) != 0) {
            fprintf(stderr, "    docs/scenario-reference.md differs at output line %ld:\n"
                            "    command: %s    file:    %s", lineno, ga ? a : "(end)\n",
                    gb ? b : "(end)\n");
            differ = 1;
            break;
        }
    }
    CHECK(lineno > 50);
    CHECK_INT(differ, 0);
    CHECK_INT(pclose(p), 0);
    fclose(f);
}

int main(void)
{
    RUN(minimal_values);
    RUN(include_merge_order);
    RUN(include_from_source_tree);
    RUN(set_paths);
    RUN(set_errors_collected);
    RUN(effective_text_reloads);
    RUN(missing_file);
    RUN(reference_doc_current);
    return TEST_END();
}
