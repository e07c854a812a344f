/*
 * rl_train.c - training the rl placement policy by evolution strategies
 * (rl.h, docs/rl.md).
 *
 * Method (Salimans et al. 2017, "Evolution Strategies as a Scalable
 * Alternative to Reinforcement Learning", with antithetic sampling and
 * rank-based fitness shaping; Adam, Kingma and Ba 2015):
 *   generation g, weights theta (P values), n = population pairs:
 *     eps_k ~ N(0, I_P), k = 0..n-1, from the GSL stream (seed, g, 2 + k)
 *     R_k+ = return(theta + sigma eps_k), R_k- = return(theta - sigma eps_k)
 *     u = centred ranks of the 2n returns, in [-0.5, 0.5]
 *     grad = sum_k (u_k+ - u_k-) eps_k / (2 n sigma)
 *     theta += Adam(grad, learning_rate)          (ascent)
 * Every episode of a generation runs on the same day (drawn with the
 * stream (seed, g, 0) from the training period, whole days) and the same
 * model seed (seed + g), so a generation compares weights, not days.
 *
 * Return of an episode, from its summary metrics (DESIGN.md section 8) and
 * those of the baseline placement run on the same day and seed:
 *   R = sum_k w_k (1 - m_k / b_k)   for energy_facility_kwh, carbon_kg, cost_usd
 *     + w_sla (1 - (v + 1) / (v_b + 1))   v = sla_violation_pct
 * so the baseline scores 0 and a positive return beats it; a term whose
 * baseline is not positive (e.g. no prices) counts 0.  The +1 percentage
 * point keeps the SLA term finite when the baseline violates nothing.
 *
 * Feature normalisation: one episode of the zero-weight policy (equal
 * splits) on the first training day records the features' mean and std,
 * which stay fixed during training and are saved with the weights.
 *
 * Parallelism: the 2n + 2 episodes of a generation (baseline, centre,
 * perturbations) run as independent models with one engine thread each in
 * an OpenMP loop; results land in per-episode slots and are reduced in
 * index order, so the weights depend on the seed only, not on the thread
 * count.
 *
 * Left out: no return normalisation across days beyond the baseline ratio;
 * no weight decay; the best weights seen are not kept (the final centre
 * is the result, which the curve's centre return tracks).
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/rl.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dcsim/model.h"
#include "dcsim/rng.h"

enum { NMETRICS = 4 };
static const char *const METRICS[NMETRICS] = {"energy_facility_kwh", "carbon_kg", "cost_usd",
                                               "sla_violation_pct"};
static const double SLA_OFFSET_PCT = 1.0;   /* see the header comment */
static const double ADAM_B1 = 0.9, ADAM_B2 = 0.999, ADAM_EPS = 1e-8;  /* Kingma & Ba 2015 */
static const double HIDDEN_INIT_STD = 0.5;  /* tanh units start in their linear range */

enum { PURPOSE_DAY = 0, PURPOSE_INIT = 1, PURPOSE_EPS = 2 };

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One episode: the scenario with its start, duration and placement set. */
typedef struct episode {
    const dcs_scenario *base;
    const char *path;
    int64_t start_utc_s;
    dcs_time duration;
    uint64_t seed;
} episode;

/* Run placement `placement` (net when rl) on ep; metrics into m.  Errors
 * go to d (the caller serialises access to it). */
static dcs_status run_episode(const episode *ep, int placement, const dcs_rl_net *net,
                              dcs_rl_stats *record, double *m, dcs_diag *d)
{
    dcs_scenario s = *ep->base;   /* shallow: the copy only reads what base owns */
    s.start_utc_s = ep->start_utc_s;
    s.duration = ep->duration;
    s.policy.placement = placement;
    s.policy.rl_net = net;
    s.policy.rl_record = record;
    dcs_model *model = NULL;
    dcs_status st = dcs_model_build(&s, ep->path, ep->seed, 1, d, &model);
    if (st == DCS_OK)
        st = dcs_model_run(model, NULL);
    for (int k = 0; k < NMETRICS; k++)
        m[k] = st == DCS_OK ? dcs_model_metric(model, METRICS[k]) : (double)NAN;
    dcs_model_free(model);
    return st;
}

static double episode_return(const dcs_rl_reward_spec *w, const double *m, const double *b)
{
    const double weight[NMETRICS] = {w->energy, w->carbon, w->cost, w->sla};
    double r = 0.0;
    for (int k = 0; k < NMETRICS; k++) {
        if (weight[k] == 0.0)
            continue;
        double mk = m[k], bk = b[k];
        if (k == NMETRICS - 1) {
            mk += SLA_OFFSET_PCT;
            bk += SLA_OFFSET_PCT;
        }
        if (!(bk > 0.0) || !isfinite(mk))
            continue;
        r += weight[k] * (1.0 - mk / bk);
    }
    return r;
}

/* Centred ranks of x[0..n) into u: the lowest -0.5, the highest +0.5, ties
 * by index (stable), so the result is deterministic. */
static void centred_ranks(const double *x, int n, double *u, int *idx)
{
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int i = 1; i < n; i++) {
        int v = idx[i], j = i;
        while (j > 0 && x[idx[j - 1]] > x[v]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    for (int r = 0; r < n; r++)
        u[idx[r]] = n > 1 ? (double)r / (n - 1) - 0.5 : 0.0;
}

/* Training state, allocated once. */
typedef struct trainer {
    size_t np, pairs, jobs;       /* weights, perturbation pairs, episodes per generation */
    double *eps;                  /* pairs x np */
    double *metrics;              /* jobs x NMETRICS */
    double *ret, *u;              /* 2 pairs */
    int *idx;
    dcs_status *status;           /* jobs */
    dcs_rl_net *nets;             /* jobs: the rl net of each episode */
    double *adam_m, *adam_v, *grad;
} trainer;

static void trainer_free(trainer *t)
{
    free(t->eps);
    free(t->metrics);
    free(t->ret);
    free(t->u);
    free(t->idx);
    free(t->status);
    free(t->nets);
    free(t->adam_m);
    free(t->adam_v);
    free(t->grad);
}

static bool trainer_alloc(trainer *t, size_t np, size_t pairs)
{
    memset(t, 0, sizeof *t);
    t->np = np;
    t->pairs = pairs;
    t->jobs = 2 * pairs + 2;      /* 0 baseline, 1 centre, 2 + 2k (+), 3 + 2k (-) */
    t->eps = calloc(pairs * np, sizeof *t->eps);
    t->metrics = calloc(t->jobs * NMETRICS, sizeof *t->metrics);
    t->ret = calloc(2 * pairs, sizeof *t->ret);
    t->u = calloc(2 * pairs, sizeof *t->u);
    t->idx = calloc(2 * pairs, sizeof *t->idx);
    t->status = calloc(t->jobs, sizeof *t->status);
    t->nets = calloc(t->jobs, sizeof *t->nets);
    t->adam_m = calloc(np, sizeof *t->adam_m);
    t->adam_v = calloc(np, sizeof *t->adam_v);
    t->grad = calloc(np, sizeof *t->grad);
    return t->eps && t->metrics && t->ret && t->u && t->idx && t->status && t->nets &&
           t->adam_m && t->adam_v && t->grad;
}

/* Start of generation g's episode: a whole day of the training period
 * with room for the episode, drawn from the stream (seed, g, PURPOSE_DAY). */
static int64_t episode_start(const dcs_rl_spec *rl, uint64_t seed, int g, gsl_rng *r)
{
    int64_t days = (rl->train.to_utc_s - rl->train.from_utc_s) / 86400;
    int64_t ep_days = (int64_t)ceil(dcs_time_to_s(rl->episode) / 86400.0);
    int64_t choices = days - ep_days + 1;
    if (choices < 1)
        choices = 1;
    dcs_rng_stream_seed(r, seed, (uint32_t)g, PURPOSE_DAY);
    return rl->train.from_utc_s + 86400 * (int64_t)gsl_rng_uniform_int(r, (unsigned long)choices);
}

static void fill_meta(const dcs_scenario *s, const dcs_rl_train_opts *o, int threads,
                      dcs_rl_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    snprintf(meta->scenario, sizeof meta->scenario, "%s", s->name ? s->name : "");
    dcs_rl_hash_text(dcs_scenario_text(s), meta->scenario_hash);
    snprintf(meta->version, sizeof meta->version, "%s", DCSIM_VERSION);
    meta->reward_energy = s->policy.rl.reward.energy;
    meta->reward_carbon = s->policy.rl.reward.carbon;
    meta->reward_cost = s->policy.rl.reward.cost;
    meta->reward_sla = s->policy.rl.reward.sla;
    meta->seed = o->seed;
    meta->threads = threads;
}

dcs_status dcs_rl_train(const dcs_scenario *s, const char *path, const dcs_rl_train_opts *o,
                        dcs_rl_net *net, dcs_rl_meta *meta, dcs_diag *d)
{
    const dcs_rl_spec *rl = &s->policy.rl;
    dcs_loc at = {path, 0, 0};
    if (!rl->train.from || rl->train.to_utc_s <= rl->train.from_utc_s) {
        dcs_diag_error(d, at, "policy.rl.train: no training period ({from: DATE, to: DATE}); "
                       "dcsim train needs one");
        return DCS_EINPUT;
    }
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    int generations = o->generations >= 0 ? o->generations : (int)rl->generations;
    int hidden = (int)rl->hidden;
    fill_meta(s, o, threads, meta);

    trainer t = {0};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    dcs_rl_net_init(net, hidden);
    net->replicas = rl->replicas;
    net->caps = rl->caps;
    if (!r || !trainer_alloc(&t, (size_t)dcs_rl_net_nparams(net), (size_t)rl->population)) {
        gsl_rng_free(r);
        trainer_free(&t);
        return DCS_ENOMEM;
    }
    double t0 = wall_now();

    /* Initial weights: linear part 0 (equal splits), hidden inputs small
     * and random so the units are not stuck at tanh(0), outputs 0; the
     * replica head, if on, starts by keeping nearly all replicas and the
     * cap head, if on, with caps near 1. */
    dcs_rng_stream_seed(r, o->seed, 0, PURPOSE_INIT);
    if (net->replicas)
        net->w[dcs_rl_nparams(hidden)] = DCS_RL_REPLICA_BIAS0;
    if (net->caps)
        net->w[dcs_rl_cap_offset(net)] = DCS_RL_CAP_BIAS0;
    for (int j = 0; j < hidden; j++)
        for (int i = 0; i < DCS_RL_FEATURES; i++)
            net->w[DCS_RL_FEATURES + j * (DCS_RL_FEATURES + 1) + i] =
                gsl_ran_gaussian(r, HIDDEN_INIT_STD);

    /* Normalisation from the equal-split policy on the first training day. */
    dcs_rl_stats stats = {0};
    episode ep = {s, path, rl->train.from_utc_s, rl->episode, o->seed};
    double m0[NMETRICS];
    dcs_status st = run_episode(&ep, DCS_PLACE_RL, net, &stats, m0, d);
    if (st == DCS_OK)
        dcs_rl_stats_apply(&stats, net);

    for (int g = 0; g < generations && st == DCS_OK; g++) {
        ep.start_utc_s = episode_start(rl, o->seed, g, r);
        ep.seed = o->seed + (uint64_t)g;
        for (size_t k = 0; k < t.pairs; k++) {
            dcs_rng_stream_seed(r, o->seed, (uint32_t)g, PURPOSE_EPS + (unsigned)k);
            for (size_t i = 0; i < t.np; i++)
                t.eps[k * t.np + i] = gsl_ran_gaussian(r, 1.0);
        }
        for (size_t j = 1; j < t.jobs; j++) {
            t.nets[j] = *net;
            if (j < 2)
                continue;
            size_t k = (j - 2) / 2;
            double sign = (j - 2) % 2 == 0 ? 1.0 : -1.0;
            for (size_t i = 0; i < t.np; i++)
                t.nets[j].w[i] += sign * rl->sigma * t.eps[k * t.np + i];
        }
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
        for (size_t j = 0; j < t.jobs; j++) {
            /* Each episode reports into its own diag, merged below in order. */
            dcs_diag *dj = dcs_diag_new();
            int placement = j == 0 ? rl->baseline : DCS_PLACE_RL;
            t.status[j] = dj ? run_episode(&ep, placement, &t.nets[j], NULL,
                                           t.metrics + j * NMETRICS, dj)
                             : DCS_ENOMEM;
            if (dj && t.status[j] != DCS_OK) {
#pragma omp critical(rl_train_diag)
                for (int i = 0; i < dcs_diag_count(dj); i++)
                    dcs_diag_error(d, at, "episode %zu: %s", j, dcs_diag_line(dj, i));
            }
            dcs_diag_free(dj);
        }
        for (size_t j = 0; j < t.jobs && st == DCS_OK; j++)
            st = t.status[j];
        if (st != DCS_OK)
            break;

        const double *base = t.metrics;
        double center = episode_return(&rl->reward, t.metrics + NMETRICS, base);
        double mean = 0.0, best = -INFINITY;
        for (size_t i = 0; i < 2 * t.pairs; i++) {
            t.ret[i] = episode_return(&rl->reward, t.metrics + (i + 2) * NMETRICS, base);
            mean += t.ret[i] / (double)(2 * t.pairs);
            best = fmax(best, t.ret[i]);
        }
        centred_ranks(t.ret, (int)(2 * t.pairs), t.u, t.idx);
        for (size_t i = 0; i < t.np; i++) {
            double gsum = 0.0;
            for (size_t k = 0; k < t.pairs; k++)
                gsum += (t.u[2 * k] - t.u[2 * k + 1]) * t.eps[k * t.np + i];
            t.grad[i] = gsum / (2.0 * (double)t.pairs * rl->sigma);
        }
        double b1t = 1.0 - pow(ADAM_B1, g + 1), b2t = 1.0 - pow(ADAM_B2, g + 1);
        for (size_t i = 0; i < t.np; i++) {
            t.adam_m[i] = ADAM_B1 * t.adam_m[i] + (1.0 - ADAM_B1) * t.grad[i];
            t.adam_v[i] = ADAM_B2 * t.adam_v[i] + (1.0 - ADAM_B2) * t.grad[i] * t.grad[i];
            net->w[i] += rl->learning_rate * (t.adam_m[i] / b1t) /
                         (sqrt(t.adam_v[i] / b2t) + ADAM_EPS);
        }
        double wall = wall_now() - t0;
        if (meta->ncurve < DCS_RL_MAX_CURVE)
            meta->curve[meta->ncurve++] = (dcs_rl_curve_point){g, mean, best, center, wall};
        if (!o->quiet) {
            printf("generation %3d  mean %+.4f  best %+.4f  centre %+.4f  %7.1f s\n", g, mean,
                   best, center, wall);
            fflush(stdout);
        }
    }
    gsl_rng_free(r);
    trainer_free(&t);
    return st;
}
