/* test_fluid_agreement.c - issue 6: the fluid model and the detailed
 * replicas on the same day of traffic agree on energy (within 2 %) and on
 * the SLA-violation rate, (violations + drops) / requests, within one
 * percentage point.
 *
 * Traffic: a serving.yaml-like site with two workloads (each checked on
 * its own pool):
 *   chat  Llama-3.1-70B on 8 x H100 replicas, Azure conversation 2023
 *         token laws, SLO TTFT 2 s / e2e 30 s;
 *   code  Llama-3.1-8B on 1 x H100 replicas, Azure code 2023 token laws,
 *         SLO TTFT 1 s / e2e 10 s;
 * (models and laws from scenarios/catalog/{models,accelerators,
 * workloads}.yaml), diurnal Poisson arrivals whose rate swings from 20 % to
 * 90 % of the pool's fluid capacity over the day: mean 0.55 C, peak to
 * mean 0.9 / 0.55 = 1.636 (so the trough is (2 - 1.636) 0.55 = 0.2 C).
 *
 * Detailed side: the replicas of serving.h driven directly by a small
 * event loop over arrivals and iteration ends, least-loaded dispatch
 * (dispatch.h) as the site LP does.  Fluid side: one dcs_fluid_eval and
 * dcs_fluid_record per 60 s control period at the rate of the period's
 * midpoint.  Energy and SLA counts are also binned by the period's load so
 * the agreement per load is printed.
 */
#include "dcsim/arrivals.h"
#include "dcsim/dispatch.h"
#include "dcsim/fluid.h"
#include "dcsim/wlstats.h"
#include "harness.h"

#include <gsl/gsl_rng.h>
#include <time.h>

enum { MAX_REPLICAS = 16, NBINS = 4 };

/* A day; under AddressSanitizer (about 40 s for the day) half a day, from
 * the trough to the peak, which has the same mix of loads. */
#if defined(__SANITIZE_ADDRESS__)
#define DAY_HOURS 12.0
#else
#define DAY_HOURS 24.0
#endif

/* Load bins (offered / capacity) for the printout. */
static const double bin_edges[NBINS + 1] = {0.0, 0.4, 0.6, 0.8, 2.0};

typedef struct day_case {
    const char *name;
    dcs_serving_params p;
    dcs_token_dist prompt, output;
    dcs_slo slo;
    dcs_slo tight;       /* a stricter SLO that breaks several per cent */
    int replicas;
    double hours;
} day_case;

typedef struct tally {
    double energy_j;
    double requests;     /* offered: completed + dropped */
    double bad;          /* violations + drops */
    double bad_tight;    /* the same under the tight SLO */
} tally;

static int bin_of(double util)
{
    int b = 0;
    while (b < NBINS - 1 && util >= bin_edges[b + 1])
        b++;
    return b;
}

static dcs_serving_params h100(double params, double kv_bytes, int gpus)
{
    dcs_serving_params p;
    dcs_serving_params_default(&p);
    /* scenarios/catalog/accelerators.yaml, H100-SXM. */
    p.gpu = (dcs_gpu_spec){989e12, 3.35e12, 80e9, 70.0, 700.0};
    p.model = (dcs_llm_model){params, params, 2.0, kv_bytes};
    p.gpus = gpus;
    return p;
}

/* Rate profile of the day for a pool of capacity cap (req/s). */
static dcs_rate_profile day_profile(double cap)
{
    /* The run starts at 02:00, the trough, so that the 12 h of a
     * sanitizer build still go from 20 % to 90 % once. */
    return (dcs_rate_profile){.mean_rate = 0.55 * cap, .peak_to_mean = 0.9 / 0.55,
                              .peak_hour = 14.0, .weekend_factor = 1.0,
                              .start_s = 2.0 * 3600.0};
}

static const dcs_time period = 60 * DCS_SECOND;

/* The detailed pool over the day; tallies per load bin of the period in
 * which each request arrived (energy by the period in which an iteration
 * started). */
static void run_detailed(const day_case *c, const dcs_fluid_model *m, tally *bins)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(rng, 20231116);
    int R = c->replicas;
    double cap = m->capacity_rate * R;
    dcs_rate_profile prof = day_profile(cap);
    dcs_burst_params burst = {.factor = 1.0, .mean_on_s = 1.0, .mean_off_s = 1.0};
    dcs_time end = (dcs_time)(c->hours * 3600.0) * DCS_SECOND;
    dcs_arrivals arr;
    dcs_arrivals_init(&arr, &prof, &burst, end, rng);
    dcs_replica *reps[MAX_REPLICAS];
    dcs_time iter_end[MAX_REPLICAS];
    int iter_bin[MAX_REPLICAS];
    double busy_s = 0.0;
    for (int i = 0; i < R; i++) {
        CHECK(dcs_replica_alloc(&c->p, &reps[i]) == DCS_OK);
        iter_end[i] = DCS_TIME_MAX;
    }
    dcs_dispatch disp = {.kind = DCS_DISPATCH_LEAST_LOADED};
    static dcs_request_done done[1024];
    double idle_w = dcs_serving_idle_power_w(&c->p);
    dcs_time next_arr = dcs_arrivals_next(&arr, rng, 0, 1.0);
    uint64_t id = 0;
    for (;;) {
        int first = -1;
        dcs_time t_iter = DCS_TIME_MAX;
        for (int i = 0; i < R; i++)
            if (iter_end[i] < t_iter) {
                t_iter = iter_end[i];
                first = i;
            }
        dcs_time now;
        int touched;
        if (first >= 0 && t_iter <= next_arr) {
            now = t_iter;
            touched = first;
            int k = dcs_replica_finish_iteration(reps[first], now, done, 1024);
            iter_end[first] = DCS_TIME_MAX;
            for (int j = 0; j < k; j++) {
                /* The arrival's bin rides in the id's top bits. */
                tally *t = &bins[done[j].id >> 56];
                t->requests += 1.0;
                if (dcs_slo_violated(&c->slo, &done[j]))
                    t->bad += 1.0;
                if (dcs_slo_violated(&c->tight, &done[j]))
                    t->bad_tight += 1.0;
            }
        } else if (next_arr < DCS_TIME_MAX) {
            now = next_arr;
            double util = dcs_arrivals_rate(&prof, now - now % period + period / 2) / cap;
            int b = bin_of(util);
            dcs_request q = {.id = ((uint64_t)b << 56) | id++, .arrival = now,
                             .prompt_tokens = dcs_tokens_sample(&c->prompt, rng),
                             .output_tokens = dcs_tokens_sample(&c->output, rng)};
            touched = dcs_dispatch_pick(&disp, reps, R);
            if (!dcs_replica_admit(reps[touched], &q)) {
                bins[b].requests += 1.0;
                bins[b].bad += 1.0;
                bins[b].bad_tight += 1.0;
            }
            next_arr = dcs_arrivals_next(&arr, rng, now, 1.0);
        } else {
            break;   /* no arrivals left and every replica idle */
        }
        if (iter_end[touched] == DCS_TIME_MAX) {
            dcs_iteration it;
            if (dcs_replica_start_iteration(reps[touched], now, &it)) {
                iter_end[touched] = now + it.duration;
                double util = dcs_arrivals_rate(&prof, now - now % period + period / 2) / cap;
                iter_bin[touched] = bin_of(util);
                double d = dcs_time_to_s(it.duration);
                bins[iter_bin[touched]].energy_j += (it.power_w - idle_w) * d;
                busy_s += d;
            }
        }
    }
    /* Idle power all day long for every replica (iterations added their
     * power above idle), by bin of each period. */
    for (dcs_time t = 0; t < end; t += period) {
        double util = dcs_arrivals_rate(&prof, t + period / 2) / cap;
        bins[bin_of(util)].energy_j += R * idle_w * dcs_time_to_s(period);
    }
    for (int i = 0; i < R; i++)
        dcs_replica_free(reps[i]);
    gsl_rng_free(rng);
}

/* The fluid model over the same day, one evaluation per control period. */
static void run_fluid(const day_case *c, const dcs_fluid_model *m, tally *bins)
{
    int R = c->replicas;
    double cap = m->capacity_rate * R;
    dcs_rate_profile prof = day_profile(cap);
    dcs_time end = (dcs_time)(c->hours * 3600.0) * DCS_SECOND;
    double ps = dcs_time_to_s(period);
    for (dcs_time t = 0; t < end; t += period) {
        double rate = dcs_arrivals_rate(&prof, t + period / 2);
        tally *b = &bins[bin_of(rate / cap)];
        dcs_fluid_state st;
        dcs_fluid_eval(m, rate, R, &st);
        uint64_t v = dcs_fluid_record(m, &st, ps, 0.0, c->slo.ttft_s, c->slo.e2e_s, NULL, NULL);
        b->energy_j += st.power_w * ps;
        b->requests += rate * ps;
        b->bad += (double)v + st.dropped_rate * ps;
        /* The tight SLO through the unrounded share (the sum of rounded
         * per-period counts is biased when a period has few). */
        double share = dcs_fluid_violation_share(m, &st, 0.0, c->tight.ttft_s, c->tight.e2e_s);
        b->bad_tight += share * st.served_rate * ps + st.dropped_rate * ps;
    }
}

/* Day totals: fluid energy error (fraction) and SLA differences (points). */
typedef struct outcome {
    double energy_err, sla_pp, tight_pp, det_tight_pct;
} outcome;

static double pct(double bad, double n) { return n > 0.0 ? 100.0 * bad / n : 0.0; }

static outcome agree(const day_case *c)
{
    dcs_fluid_calib cal;
    dcs_fluid_calib_default(&cal);
    dcs_fluid_model m;
    dcs_fluid_prepare(&m, &c->p, &cal, &c->prompt, &c->output, 1.0);
    tally det[NBINS] = {0}, flu[NBINS] = {0};
    clock_t t0 = clock();
    run_detailed(c, &m, det);
    double wall = (double)(clock() - t0) / CLOCKS_PER_SEC;
    run_fluid(c, &m, flu);
    fprintf(stderr, "    %s: %d replicas, capacity %.3f req/s each, %.0f h (detailed %.1f s cpu)\n"
            "      SLO ttft %.1f s / e2e %.0f s; tight SLO ttft %.2f s / e2e %.1f s; "
            "detailed / fluid\n", c->name, c->replicas, m.capacity_rate, c->hours, wall,
            c->slo.ttft_s, c->slo.e2e_s, c->tight.ttft_s, c->tight.e2e_s);
    tally dt = {0}, ft = {0};
    for (int b = 0; b < NBINS; b++) {
        dt.energy_j += det[b].energy_j;
        dt.requests += det[b].requests;
        dt.bad += det[b].bad;
        dt.bad_tight += det[b].bad_tight;
        ft.energy_j += flu[b].energy_j;
        ft.requests += flu[b].requests;
        ft.bad += flu[b].bad;
        ft.bad_tight += flu[b].bad_tight;
        if (det[b].requests <= 0.0)
            continue;
        fprintf(stderr, "      load %.1f-%.1f: energy %.4g / %.4g kWh (%+.2f %%), "
                "SLA %.2f / %.2f %%, tight %.2f / %.2f %%, requests %.0f / %.0f\n",
                bin_edges[b], fmin(bin_edges[b + 1], 0.9),
                det[b].energy_j / 3.6e6, flu[b].energy_j / 3.6e6,
                100.0 * (flu[b].energy_j / det[b].energy_j - 1.0),
                pct(det[b].bad, det[b].requests), pct(flu[b].bad, flu[b].requests),
                pct(det[b].bad_tight, det[b].requests), pct(flu[b].bad_tight, flu[b].requests),
                det[b].requests, flu[b].requests);
    }
    outcome o = {
        .energy_err = ft.energy_j / dt.energy_j - 1.0,
        .sla_pp = pct(ft.bad, ft.requests) - pct(dt.bad, dt.requests),
        .tight_pp = pct(ft.bad_tight, ft.requests) - pct(dt.bad_tight, dt.requests),
        .det_tight_pct = pct(dt.bad_tight, dt.requests),
    };
    fprintf(stderr, "      all: energy %.4g / %.4g kWh (%+.2f %%), SLA %.2f / %.2f %% (%+.2f pp), "
            "tight %.2f / %.2f %% (%+.2f pp)\n",
            dt.energy_j / 3.6e6, ft.energy_j / 3.6e6, 100.0 * o.energy_err,
            pct(dt.bad, dt.requests), pct(ft.bad, ft.requests), o.sla_pp,
            pct(dt.bad_tight, dt.requests), pct(ft.bad_tight, ft.requests), o.tight_pp);
    return o;
}

/* Azure 2023 lognormal fits, scenarios/catalog/workloads.yaml. */
static const dcs_token_dist conv_prompt = {.median = 760.00, .sigma = 0.9852, .max_tokens = 14050};
static const dcs_token_dist conv_output = {.median = 151.26, .sigma = 0.8590, .max_tokens = 1000};
static const dcs_token_dist code_prompt = {.median = 1095.1, .sigma = 1.3603, .max_tokens = 7437};
static const dcs_token_dist code_output = {.median = 16.251, .sigma = 0.8473, .max_tokens = 1899};

/* Issue 6's targets: energy within 2 %, SLA rate within 1 point.  The
 * tight SLO (chosen so that several per cent break, where the wait and
 * decode tails decide) is held to TIGHT_PP points. */
#define TIGHT_PP 2.0

static void check(const outcome *o)
{
    CHECK_ABS(o->energy_err, 0.0, 0.02);
    CHECK_ABS(o->sla_pp, 0.0, 1.0);
    CHECK(o->det_tight_pct > 2.0);   /* the tight SLO does bite */
    CHECK_ABS(o->tight_pp, 0.0, TIGHT_PP);
}

static void chat_day(void)
{
    /* Llama-3.1-70B: KV 80 layers x 2 x 8 heads x 128 x 2 B = 327,680 B. */
    day_case c = {.name = "chat 70B/8xH100/conv", .p = h100(70.6e9, 327680.0, 8),
                  .prompt = conv_prompt, .output = conv_output,
                  .slo = {.ttft_s = 2.0, .e2e_s = 30.0}, .tight = {.ttft_s = 0.3, .e2e_s = 12.0},
                  .replicas = 4, .hours = DAY_HOURS};
    outcome o = agree(&c);
    check(&o);
}

static void code_day(void)
{
    /* Llama-3.1-8B: KV 32 layers x 2 x 8 heads x 128 x 2 B = 131,072 B. */
    day_case c = {.name = "code 8B/1xH100/code", .p = h100(8.03e9, 131072.0, 1),
                  .prompt = code_prompt, .output = code_output,
                  .slo = {.ttft_s = 1.0, .e2e_s = 10.0}, .tight = {.ttft_s = 0.2, .e2e_s = 2.0},
                  .replicas = 4, .hours = DAY_HOURS};
    outcome o = agree(&c);
    check(&o);
}

int main(void)
{
    RUN(chat_day);
    RUN(code_day);
    return TEST_END();
}
