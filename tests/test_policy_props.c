/*
 * test_policy_props.c - the constraints hold under every policy: a property
 * test over random observations drawn from a seeded GSL generator.
 *
 * For each of 400 observations (1-6 sites, 1-4 regions, 1-3 workloads,
 * 0-6 jobs; random sovereignty, capacities some of them 0, replicas some
 * asleep or waking, PUE, power limits some of them below what minimum caps
 * allow, some none (0 or +inf), demand some of it 0) and each built-in
 * policy alone, a full stack, and a garbage action (random shares
 * including negative and NaN, random order bytes, caps and replica counts
 * out of range), the enforced
 * action must satisfy:
 *   - no share at a site the workload may not use or has no capacity for;
 *   - every share and drop in [0, 1], sum_s split + drop = 1; drop is 1
 *     for a region with no usable site and 0 otherwise, and the report's
 *     dropped_rps is the demand so dropped;
 *   - no workload above its own awake capacity at any site,
 *     load_w,s <= capacity_w,s x min(kept, up) / total, unless the report
 *     shows overload equal to the excess:
 *       sum_w,s max(0, load_w,s - capacity_w,s x awake share) = overload_rps;
 *   - caps in [minimum, 1]; facility power bound within the limit, or the
 *     excess reported and every cap at its minimum;
 *   - replicas in [0, total]; a job with less slack than a period runs;
 * and deciding twice on the same observation gives the same bytes.
 * Tolerances are relative 1e-9 (sums of a few dozen doubles).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "dcsim/policy.h"
#include "harness.h"

static const double TOL = 1e-9;

static double uni(gsl_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gsl_rng_uniform(r);
}

static int pick(gsl_rng *r, int lo, int hi)
{
    return lo + (int)gsl_rng_uniform_int(r, (unsigned long)(hi - lo + 1));
}

static void random_obs(gsl_rng *r, dcs_policy_obs *o)
{
    memset(o, 0, sizeof *o);
    o->nsites = pick(r, 1, 6);
    o->nregions = pick(r, 1, 4);
    o->nworkloads = pick(r, 1, 3);
    o->njobs = pick(r, 0, 6);
    o->now_s = uni(r, 0.0, 86400.0);
    o->period_s = 60.0;
    for (int s = 0; s < o->nsites; s++) {
        dcs_policy_site_obs *site = &o->site[s];
        site->ci_g_kwh = uni(r, 10.0, 800.0);
        for (int k = 0; k < DCS_POLICY_FORECAST_HOURS; k++)
            site->ci_forecast_g_kwh[k] = uni(r, 10.0, 800.0);
        site->price_usd_mwh = uni(r, 20.0, 200.0);
        site->pue = uni(r, 1.05, 1.6);
        site->replicas_total = pick(r, 0, 8);
        site->replicas_up = pick(r, 0, site->replicas_total);
        site->replicas_waking = pick(r, 0, site->replicas_total - site->replicas_up);
        site->wake_delay_s = uni(r, 0.0, 900.0);
        site->utilisation = uni(r, 0.0, 1.0);
        for (int w = 0; w < o->nworkloads; w++)
            site->served_rps[w] = gsl_rng_uniform(r) < 0.3 ? 0.0 : uni(r, 0.0, 400.0);
        site->p99_s = uni(r, 0.02, 0.5);
        site->nclusters = pick(r, 1, 3);
        double it_min = 0.0, it_max = 0.0;
        for (int c = 0; c < site->nclusters; c++) {
            site->cluster_max_w[c] = uni(r, 10e3, 500e3);
            site->cluster_cap_min[c] = uni(r, 0.2, 0.6);
            site->cluster_cap_now[c] = uni(r, site->cluster_cap_min[c], 1.0);
            it_min += site->cluster_cap_min[c] * site->cluster_max_w[c];
            it_max += site->cluster_max_w[c];
        }
        /* No limit (written 0, or +inf as runs write it), a limit between
         * minimum and full power, or one below what minimum caps allow. */
        int kind = pick(r, 0, 3);
        site->power_limit_w = kind == 0   ? 0.0
                              : kind == 1 ? site->pue * uni(r, it_min, it_max)
                              : kind == 2 ? site->pue * uni(r, 0.2, 0.99) * it_min
                                          : HUGE_VAL;
        site->headroom_w = site->power_limit_w * uni(r, -0.1, 0.5);
        for (int w = 0; w < o->nworkloads; w++)
            site->capacity_rps[w] = gsl_rng_uniform(r) < 0.2 ? 0.0 : uni(r, 10.0, 500.0);
    }
    for (int w = 0; w < o->nworkloads; w++) {
        o->workload[w].slo_p99_s = gsl_rng_uniform(r) < 0.2 ? 0.0 : uni(r, 0.1, 0.6);
        for (int s = 0; s < o->nsites; s++)
            o->workload[w].allowed[s] = gsl_rng_uniform(r) < 0.7;
    }
    for (int g = 0; g < o->nregions; g++) {
        for (int w = 0; w < o->nworkloads; w++)
            o->region[g].demand_rps[w] = gsl_rng_uniform(r) < 0.15 ? 0.0 : uni(r, 0.0, 600.0);
        for (int s = 0; s < o->nsites; s++)
            o->region[g].rtt_s[s] = uni(r, 0.002, 0.2);
    }
    for (int j = 0; j < o->njobs; j++) {
        dcs_policy_job_obs *job = &o->job[j];
        job->workload = pick(r, 0, o->nworkloads - 1);
        job->site = pick(r, 0, o->nsites - 1);
        job->remaining_s = uni(r, 0.0, 20.0 * 3600.0);
        job->deadline_s = job->remaining_s + uni(r, 0.0, 30.0 * 3600.0);
        job->running = gsl_rng_uniform(r) < 0.5;
    }
}

static void garbage_action(gsl_rng *r, const dcs_policy_obs *o, dcs_policy_action *a)
{
    dcs_policy_action_default(o, a);
    for (int w = 0; w < o->nworkloads; w++) {
        for (int g = 0; g < o->nregions; g++) {
            for (int s = 0; s < o->nsites; s++) {
                double u = gsl_rng_uniform(r);
                a->split[w][g][s] = u < 0.1 ? (double)NAN : u < 0.2 ? -1.0 : uni(r, 0.0, 3.0);
                a->order[w][g][s] = (unsigned char)gsl_rng_uniform_int(r, 40);
            }
            a->drop[w][g] = gsl_rng_uniform(r) < 0.5 ? 0.0 : uni(r, -1.0, 1.0);
        }
    }
    for (int s = 0; s < o->nsites; s++) {
        for (int c = 0; c < o->site[s].nclusters; c++)
            a->cap[s][c] = uni(r, -0.5, 1.5);
        a->replicas[s] = pick(r, -3, 12);
    }
    for (int j = 0; j < o->njobs; j++)
        a->run[j] = gsl_rng_uniform(r) < 0.5;
}

/* Count violations of the properties listed above. */
static int violations(const dcs_policy_obs *o, const dcs_policy_action *a,
                      const dcs_policy_report *rep)
{
    int bad = 0;
    double demand = 0.0, dropped = 0.0;
    for (int w = 0; w < o->nworkloads; w++) {
        bool any = false;
        for (int s = 0; s < o->nsites; s++)
            any = any || (o->workload[w].allowed[s] && o->site[s].capacity_rps[w] > 0.0);
        for (int g = 0; g < o->nregions; g++) {
            double sum = a->drop[w][g];
            bad += a->drop[w][g] != (any ? 0.0 : 1.0);
            demand += o->region[g].demand_rps[w];
            dropped += o->region[g].demand_rps[w] * a->drop[w][g];
            for (int s = 0; s < o->nsites; s++) {
                double x = a->split[w][g][s];
                bad += !(x >= 0.0 && x <= 1.0 + TOL);
                bool usable = o->workload[w].allowed[s] && o->site[s].capacity_rps[w] > 0.0;
                bad += !usable && x != 0.0;
                sum += x;
            }
            bad += !(fabs(sum - 1.0) <= TOL);
        }
    }
    bad += !(fabs(dropped - rep->dropped_rps) <= TOL * (1.0 + demand));
    double excess = 0.0;
    for (int s = 0; s < o->nsites; s++) {
        const dcs_policy_site_obs *site = &o->site[s];
        bad += a->replicas[s] < 0 || a->replicas[s] > site->replicas_total;
        int awake = a->replicas[s] < site->replicas_up ? a->replicas[s] : site->replicas_up;
        double share = site->replicas_total > 0 ? (double)awake / site->replicas_total : 0.0;
        for (int w = 0; w < o->nworkloads; w++) {
            double load = 0.0;
            for (int g = 0; g < o->nregions; g++)
                load += o->region[g].demand_rps[w] * a->split[w][g][s];
            double over = load - share * site->capacity_rps[w];
            excess += over > 0.0 ? over : 0.0;
        }
        double it = 0.0;
        bool at_min = true;
        for (int c = 0; c < site->nclusters; c++) {
            bad += !(a->cap[s][c] >= site->cluster_cap_min[c] * (1.0 - TOL) &&
                     a->cap[s][c] <= 1.0);
            at_min = at_min && fabs(a->cap[s][c] - site->cluster_cap_min[c]) <= TOL;
            it += a->cap[s][c] * site->cluster_max_w[c];
        }
        if (site->power_limit_w > 0.0 && site->replicas_total > 0) {
            double p = site->pue * a->replicas[s] / site->replicas_total * it;
            if (rep->power_unmet_w[s] > 0.0)
                bad += !at_min || !(fabs(p - site->power_limit_w - rep->power_unmet_w[s]) <=
                                    TOL * site->power_limit_w);
            else
                bad += !(p <= site->power_limit_w * (1.0 + TOL));
        }
    }
    /* Enforcement leaves loads within a relative 1e-12 of capacity uncut,
     * so the sum matches to a tolerance on the scale of the demand. */
    bad += !(fabs(excess - rep->overload_rps) <= TOL * (1.0 + demand));
    for (int j = 0; j < o->njobs; j++)
        bad += o->job[j].deadline_s - o->job[j].remaining_s < o->period_s && !a->run[j];
    return bad;
}

static void constraints_hold(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    dcs_policy_obs *o = malloc(sizeof *o);
    dcs_policy_action *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    if (!r || !o || !a || !b)
        abort();
    gsl_rng_set(r, 20261123);
    dcs_policy_params p = dcs_policy_params_default();
    p.latency_target_s = 0.2;
    size_t ntypes = dcs_policy_types.count;
    int bad = 0, cases = 0, drops = 0, unmet = 0, spills = 0, overloads = 0;
    for (int trial = 0; trial < 400; trial++) {
        random_obs(r, o);
        dcs_policy_report rep;
        /* Each type alone (on the default action), then one full stack,
         * then a garbage action. */
        for (size_t t = 0; t <= ntypes + 1; t++) {
            if (t < ntypes) {
                const dcs_policy_type *type = dcs_policy_types.entries[t].item;
                dcs_policy *pol = dcs_policy_alloc(type, &p, NULL);
                dcs_policy *again = dcs_policy_alloc(type, &p, NULL);
                if (!pol || !again)
                    abort();
                dcs_policy_stack st = {NULL, {NULL, NULL}, NULL};
                dcs_policy_stack st2 = st;
                if (type->role == DCS_POLICY_PLACEMENT) {
                    st.placement = pol;
                    st2.placement = again;
                } else if (type->role == DCS_POLICY_POWER) {
                    st.power[0] = pol;
                    st2.power[0] = again;
                } else {
                    st.temporal = pol;
                    st2.temporal = again;
                }
                memset(a, 0, sizeof *a);
                memset(b, 0, sizeof *b);
                dcs_policy_stack_decide(&st, o, a, &rep);
                dcs_policy_report rep2;
                dcs_policy_stack_decide(&st2, o, b, &rep2);
                bad += memcmp(a, b, sizeof *a) != 0;
                dcs_policy_free(pol);
                dcs_policy_free(again);
            } else if (t == ntypes) {
                dcs_policy *g = dcs_policy_alloc(&dcs_policy_geolocation, &p, NULL);
                dcs_policy *c = dcs_policy_alloc(&dcs_policy_power_cap, &p, NULL);
                dcs_policy *k = dcs_policy_alloc(&dcs_policy_consolidate, &p, NULL);
                dcs_policy *s = dcs_policy_alloc(&dcs_policy_carbon_shift, &p, NULL);
                if (!g || !c || !k || !s)
                    abort();
                /* The stack of the comparison: geolocation +
                 * power_cap + consolidate + carbon_shift; then the power
                 * policies in the other order. */
                dcs_policy_stack st = {g, {c, k}, s};
                dcs_policy_stack_decide(&st, o, a, &rep);
                bad += violations(o, a, &rep);
                cases++;
                st.power[0] = k;
                st.power[1] = c;
                dcs_policy_stack_decide(&st, o, a, &rep);
                dcs_policy_free(g);
                dcs_policy_free(c);
                dcs_policy_free(k);
                dcs_policy_free(s);
            } else {
                garbage_action(r, o, a);
                dcs_policy_enforce(o, a, &rep);
            }
            bad += violations(o, a, &rep);
            cases++;
            drops += rep.dropped_rps > 0.0;
            spills += rep.spilled_rps > 0.0;
            overloads += rep.overload_rps > 0.0;
            for (int s = 0; s < o->nsites; s++)
                unmet += rep.power_unmet_w[s] > 0.0;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(cases, 400 * ((int)ntypes + 3));
    /* The random cases must reach the interesting branches, or the test
     * would prove little. */
    CHECK(drops > 0);
    CHECK(spills > 0);
    CHECK(unmet > 0);
    CHECK(overloads > 0);
    fprintf(stderr,
            "    %d cases: %d with drops, %d with spills, %d with overload, %d sites over limit "
            "at min caps\n",
            cases, drops, spills, overloads, unmet);
    gsl_rng_free(r);
    free(o);
    free(a);
    free(b);
}

/* Geolocation sends load to a dirtier eligible site only when the cleaner
 * eligible sites are filled to fill_max, and outside a region's SLO only
 * when every eligible site is full: for every (workload, region) with a
 * share at site s, every eligible site ranked before s (lower score, or
 * eligible when s is not) must be at that level of its awake capacity for
 * that workload (its own replicas; the others' load there does not count).  Checked
 * on the policy's own action (before enforcement) over random
 * observations; `full` allows for the 1e-9 rounding of the fill. */
static void geolocation_fills_in_order(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    dcs_policy_obs *o = malloc(sizeof *o);
    dcs_policy_action *a = malloc(sizeof *a);
    if (!r || !o || !a)
        abort();
    gsl_rng_set(r, 7);
    dcs_policy_params p = dcs_policy_params_default();
    dcs_policy *g = dcs_policy_alloc(&dcs_policy_geolocation, &p, NULL);
    if (!g)
        abort();
    int bad = 0, outside = 0;
    for (int trial = 0; trial < 400; trial++) {
        random_obs(r, o);
        dcs_policy_action_default(o, a);
        dcs_policy_decide(g, o, a);
        for (int w = 0; w < o->nworkloads; w++) {
            /* w's load at each site, and what w's awake replicas there
             * serve (each workload fills its own replicas). */
            double used[DCS_POLICY_MAX_SITES] = {0}, avail[DCS_POLICY_MAX_SITES] = {0};
            for (int s = 0; s < o->nsites; s++) {
                const dcs_policy_site_obs *site = &o->site[s];
                avail[s] = site->replicas_total > 0 ? site->capacity_rps[w] * site->replicas_up /
                                                          site->replicas_total
                                                    : 0.0;
                used[s] = dcs_policy_site_load_rps(o, a, w, s);
            }
            double slo = o->workload[w].slo_p99_s;
            for (int g2 = 0; g2 < o->nregions; g2++) {
                if (o->region[g2].demand_rps[w] <= 0.0)
                    continue;
                for (int s = 0; s < o->nsites; s++) {
                    if (a->split[w][g2][s] <= 0.0)
                        continue;
                    bool usable_s = o->workload[w].allowed[s] && o->site[s].capacity_rps[w] > 0;
                    bool elig_s = usable_s && (slo <= 0.0 || o->region[g2].rtt_s[s] +
                                                                     o->site[s].p99_s <= slo);
                    outside += usable_s && !elig_s;
                    for (int b = 0; b < o->nsites; b++) {
                        bool usable_b = o->workload[w].allowed[b] && o->site[b].capacity_rps[w] > 0;
                        bool elig_b = usable_b && (slo <= 0.0 || o->region[g2].rtt_s[b] +
                                                                         o->site[b].p99_s <= slo);
                        bool better = elig_b && (!elig_s || o->site[b].ci_g_kwh < o->site[s].ci_g_kwh);
                        /* An eligible s may take load once b is at
                         * fill_max; a site outside the SLO only once b is
                         * completely full. */
                        double level = elig_s ? p.fill_max : 1.0;
                        bool full = used[b] >= level * avail[b] * (1.0 - TOL) - TOL;
                        bad += better && !full;
                    }
                }
            }
        }
    }
    CHECK_INT(bad, 0);
    CHECK(outside > 0);   /* the random cases do reach the overflow branch */
    fprintf(stderr, "    %d shares sent outside the SLO, each with the eligible sites full\n",
            outside);
    dcs_policy_free(g);
    gsl_rng_free(r);
    free(o);
    free(a);
}

int main(void)
{
    RUN(constraints_hold);
    RUN(geolocation_fills_in_order);
    return TEST_END();
}
