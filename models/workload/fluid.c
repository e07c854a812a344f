/*
 * fluid.c - rate-based model of continuous-batching LLM replicas for one
 * control period (contract in include/dcsim/fluid.h).
 *
 * A pool of R replicas behind least-loaded dispatch (dispatch.h), each
 * getting lambda req/s.  With P and O the mean prompt and output tokens
 * (of the clamped laws), n_c = E ceil(P / chunk) the chunks of a prompt,
 * t the mean iteration time while a replica is busy, and the same
 * iteration cost c(tokens, kv_tokens) as the detailed replica
 * (serving_cost.c):
 *   requests present      L = lambda (n_c + O - 1) t   per replica (Little)
 *   busy share            b = E[min(N, R)] / R,  N ~ Poisson(R L) the pool's
 *                         requests (M/G/inf: at moderate load requests
 *                         hardly slow each other); least-loaded dispatch
 *                         starts an idle replica whenever there is one, so
 *                         min(N, R) replicas are busy.  R = 1: 1 - exp(-L).
 *   joining               j = P(N >= R): an arrival joins a busy replica
 *   share of iterations with prefill  q = a_d / (1 - a_p + a_d),
 *     a_p = 1 - exp(-x t_pre), a_d = 1 - exp(-x t_dec), x = lambda n_c / b
 *     (prompts arriving during an iteration make the next one prefill)
 *   prefill tokens per prefill iteration  T_p = lambda P t / (b q)
 *   t = q c(B + T_p, B K + T_p).time + (1 - q) c(B, B K).time
 *   decoding while busy   B = lambda (O - 1) t_s / b
 * with K = P + E[(O - 1) O / 2] / E[O - 1] the mean context of a decoding
 * request (length-biased) and t_s the mean step time a decoding request
 * sees (below).  Solved by fixed-point iteration (half steps in t_s, which
 * otherwise cycles near capacity); the capacity is the largest lambda for
 * which it converges with B <= max_batch, T_p <= prefill_chunk_tokens and
 * the KV reservation (B + lambda n_c t / b)(P + O) within the cache
 * (bisection to 0.1 %, at R = 1).
 *
 * What a decoding request sees (the prefill interference that decides
 * TPOT and e2e tails): (1) prompts that join its replica while it decodes,
 * lambda j / b per busy second, each turning n = P / T_p of its steps into
 * prefill steps, so by flow balance a share k = x_j t_dec / (1 - x_j
 * (t_pre - t_dec)), x_j = lambda j n / b, of its steps prefill (prompts
 * that start an idle replica interrupt nobody); (2) with probability pi0,
 * its own chance of having waited, the prompts that queued behind it: a
 * backlog of geometric length, mean n_b = n / (1 - rho_j) prefill steps
 * (M/G/1 busy period, rho_j = x_j t_pre), times 1 - beta (1 - 1 / R) in a
 * pool (at the shared-queue end of beta, below, the prompts left behind
 * spread over all R chunk budgets).  Over m = O' - 1 steps the
 * prefill steps S have
 *   E S = m k + (1 - k) pi0 E min(G, m)
 *   Var S = m k E[n_c^2] / E[n_c] + (1 - k)^2 (pi0 E min(G, m)^2 - (pi0 E min(G, m))^2)
 * (a Poisson number of joining prompts with n_c chunks each; a Bernoulli
 * backlog of geometric length G).  Short-output requests (the code laws)
 * spend most of their decode in that backlog, which the pool's mean
 * share q misses: before, the fluid TPOT was 24 % low at 80 % load there.
 *
 * Latency of a request with P' prompt and O' output tokens:
 *   TTFT = W + S(P'),  S(P') = sum over its chunks of c(b B + chunk, ...).time
 *   D(O') = m t_dec + (t_pre - t_dec) E S,  sd (t_pre - t_dec) sqrt(Var S)
 *   e2e  = TTFT + D(O'),  TPOT = D(O') / (O' - 1)
 *   W    = b (1 - q) t_dec^2 / (2 t)          residual of a decode step
 *        + W_p                                prefill queue
 *        + kappa rho t                        calibration hook (0)
 * capped at queue_capacity / capacity, the drain time of a full queue.
 * Prompts pass a replica's chunk budget first come, first served, so each
 * replica's prefill stream is one server whose service S is a prompt's
 * own prefill.  Were arrivals split at random, W_p would be M/G/1
 * (Pollaczek-Khinchine: P(wait) = rho_1 = lambda E S, W = lambda E[S^2] /
 * (2 (1 - rho_1))); were they sent to a free chunk budget whenever one
 * exists, the pool would be one M/G/R queue (P(wait) = Erlang C(R, R
 * rho_1), W = (1 + C_s^2) / 2 x the M/M/R wait, Lee and Longton 1959).
 * Least-loaded dispatch counts requests, not prefill work, so it gets
 * part of the way: P(wait) and W_p are beta of the way from M/G/1 to
 * M/G/R, beta = dispatch_balance = 0.6 (fitted below).  For histograms
 * and SLO shares the wait is zero with probability 1 - P(wait), else
 * exponential (the usual M/G/1 tail approximation); the SLO share
 * integrates it with the normal decode time in closed form.  An arrival
 * sees the time-average batch b B (0 at an idle replica), so at zero load
 * TTFT is exactly the detailed replica's lone-request TTFT.  Power: b
 * times the time-weighted power of prefill and decode iterations plus
 * (1 - b) idle power.  Means are over 22 token strata per law, finer in
 * the tails.
 *
 * Calibration: one constant, beta, fitted to the mean TTFT of the
 * detailed pool (code laws, Llama-3.1-8B on 1 x H100, 4 replicas,
 * least-loaded) at 50 % and 90 % load (0.6 makes both within 4 %; 0.5
 * and 0.7 leave 5-14 %), and checked on the other loads, on 2 and 8
 * replicas, on the chat workload, and over a day
 * (tests/test_fluid_agreement.c); kappa stays 0.  Everything else is
 * derived.  Figures are in docs/workloads.md, section 6.
 *
 * Memo (dcs_fluid_eval_memo), for year-long runs.  The rate per replica
 * is snapped to a geometric grid of step 0.1 % and the state of each
 * (clock, replicas, grid rate) is solved once and remembered (1,024
 * direct-mapped entries, consecutive grid cells in consecutive slots);
 * above capacity one entry serves every rate.  Served, dropped and token
 * rates are rescaled to the exact rate, so request counts are exact;
 * latencies, power and busy share are those of a rate at most 0.05 %
 * away.  Each entry also holds requests its caller has not yet recorded
 * (site_work_ctl.c records a state's histogram strata once, when the
 * entry is evicted or the run ends, with one rounding of its cells
 * instead of one per period) and the caller's SLO share per region.
 * Measured on tests/fixtures/run/serving-day.yaml (fluid): energy and
 * request counts unchanged (facility energy -0.00007 %), SLO violations
 * 8.9808 -> 8.9812 %, e2e p95 3340 -> 3307 ms and p99 4196 -> 4238 ms
 * (a few bins of the 0.5 % histogram grid; each state's cells are now
 * rounded to whole requests once over all its periods, not per period).
 *
 * Left out: correlation of prompt and output lengths (strata assume
 * independence), the variance of iteration times within each kind, the
 * slow swings of a replica's load (a request that arrives in a busy spell
 * sees it for all its decode; the fluid TPOT is still 5-10 % low at 60-80 %
 * load on the code laws with 70B), bursts within a period, and the
 * queue growth of an overloaded replica (the excess is dropped).
 */
#include "dcsim/fluid.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_erf.h>

#include "dcsim/queueing.h"

/* Stratum edges in probability, finer in the tails so that SLO shares of a
 * few per cent are resolved. */
static const double strata_edges[DCS_FLUID_STRATA + 1] = {
    0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.925,
    0.95, 0.96, 0.97, 0.98, 0.985, 0.99, 0.993, 0.996, 0.998, 0.999, 1.0};

void dcs_fluid_calib_default(dcs_fluid_calib *c)
{
    c->wait_kappa = 0.0;
    c->dispatch_balance = 0.6;
}

/* Mean of round(X) clamped to [1, max] for lognormal X, ignoring the
 * rounding: E[X; 1 <= X < M] + P(X < 1) + M P(X >= M). */
static double clamped_mean(const dcs_token_dist *d)
{
    if (d->n_quantiles >= 2)
        return dcs_tokens_mean(d);   /* a table lies within its own range */
    double M = (double)d->max_tokens;
    if (d->sigma <= 0.0)
        return fmin(fmax(d->median, 1.0), M);
    double mu = log(d->median), s = d->sigma;
    double lo = 0.0, hi = log(M);
    double part = exp(mu + 0.5 * s * s)
                * (gsl_cdf_ugaussian_P((hi - mu - s * s) / s)
                   - gsl_cdf_ugaussian_P((lo - mu - s * s) / s));
    return part + gsl_cdf_ugaussian_P((lo - mu) / s)
         + M * gsl_cdf_ugaussian_Q((hi - mu) / s);
}

typedef struct steady {
    double t, busy, B, q, Tp, t_pre, t_dec, a_p, a_d, q_seen, backlog_p, backlog_n, t_seen, power_busy_w;
} steady;

/* Replicas behind least-loaded dispatch when the pool holds N ~
 * Poisson(Lt) requests (M/G/inf): a new request goes to an idle replica
 * whenever there is one (its load, 0, is the least), so min(N, R) of the
 * R replicas are busy, busy share E[min(N, R)] / R, and an arrival joins
 * a busy replica only when all are busy, with probability P(N >= R).  For
 * R = 1 both are 1 - exp(-Lt), the single replica's. */
static void pool_occupancy(int R, double Lt, double *busy, double *join)
{
    if (Lt > (double)R + 40.0 * sqrt(Lt) + 40.0) {
        *busy = *join = 1.0;   /* P(N < R) below e^-800 */
        return;
    }
    double pk = exp(-Lt), below = 0.0, sum = 0.0;
    for (int k = 0; k < R; k++) {
        sum += k * pk;
        below += pk;
        pk *= Lt / (k + 1);
    }
    *join = fmax(0.0, 1.0 - below);
    *busy = fmin(1.0, (sum + R * *join) / R);
}

/* Fixed point for per-replica rate lam > 0 on a pool of R replicas; 0 if
 * it is not sustainable.  Converged when successive steps differ by less
 * than tol relative.  The iteration starts from init (the fixed point
 * of a lower rate, which lies below this one) or, when NULL, from a lone
 * decode step. */
static int solve(const dcs_fluid_model *m, double lam, int R, const steady *init, double tol,
                 steady *s)
{
    const dcs_serving_params *p = &m->p;
    double P = m->mean_prompt, O = m->mean_output, nc = m->mean_chunks;
    double K = m->mean_ctx;
    dcs_iter_cost pre, dec;
    dcs_serving_iter_cost(p, 1.0, 0.0, m->clock, &dec);
    double t = dec.time_s, busy = 0.0, B = 0.0, q = 0.0, Tp = 0.0;
    double t_pre = t, t_dec = t, a_p = 0.0, a_d = 0.0;
    int converged = 0, growing = 0;
    double last_dt = 0.0;
    double t_seen = t, q_seen = 0.0, bp = 0.0, bn = 1.0, share = 0.0;
    if (init) {
        t = init->t;
        t_pre = init->t_pre;
        t_dec = init->t_dec;
        t_seen = init->t_seen;
    }
    /* The capacity search (tol 1e-5) counts a fixed point that has not
     * settled in 600 steps as lost: just below capacity the relaxation
     * time diverges, and waiting 2000 steps moves the capacity by under
     * 1 % (18.73 against 18.91 req/s for the chat replica) for three
     * times the cost. */
    int max_steps = tol > 1e-6 ? 600 : 2000;
    for (int it = 0; it < max_steps && !converged; it++) {
        double L = lam * (nc + O - 1.0) * t, join;
        if (R == 1) {
            busy = join = -expm1(-L);
        } else {
            pool_occupancy(R, R * L, &busy, &join);
        }
        B = lam * (O - 1.0) * t_seen / busy;
        /* Prompts arriving during an iteration make the next one a prefill
         * iteration: with probability a_p after a prefill iteration (long)
         * and a_d after a decode-only one (short), Poisson counts of
         * lambda n_c / b chunks per second.  The share of prefill
         * iterations is the stationary state of that two-state chain, so
         * long prefill iterations breed more of them. */
        double x = lam * nc / busy;
        a_p = -expm1(-x * t_pre);
        a_d = -expm1(-x * t_dec);
        q = a_d / (1.0 - a_p + a_d);
        Tp = lam * P * t / (busy * q);
        /* What a decoding request sees.  (1) Prompts that join its busy
         * replica while it decodes (rate lam join / b per busy second;
         * behind least-loaded dispatch the 1 - join that start an idle
         * replica interrupt nobody) each turn n = P / T_p of its steps
         * into prefill iterations, so the share k of its steps that
         * prefill solves k = x_j t_dec / (1 - x_j (t_pre - t_dec)), x_j =
         * lam join n / b (flow balance).  (2) With probability pi0 (the
         * chance it had to wait: prompts queued behind it) its first
         * steps follow a prefill backlog, a busy period of the chunk
         * budget lasting n / (1 - rho_j) prefill steps on average (M/G/1
         * busy period, rho_j = x_j t_pre).  Short-output requests spend
         * most of their decode there, which the pool's mean share q
         * misses. */
        double npp = Tp > 0.0 ? P / Tp : nc;
        double xj = lam * join * npp / busy;
        double rho_j = fmin(xj * t_pre, 0.99);
        q_seen = fmin(xj * t_dec / fmax(1.0 - xj * (t_pre - t_dec), 1e-3), 0.99);
        double rho_1 = fmin(lam * npp * t_pre, 0.99);
        bp = rho_1;
        if (R > 1)
            bp += m->calib.dispatch_balance * (dcs_erlang_c(R, R * rho_1) - rho_1);
        /* Behind a shared queue (the M/G/R end of beta) the prompts left
         * behind spread over all R chunk budgets, so this replica's run of
         * them is 1 / R as long. */
        bn = fmax(1.0, npp / (1.0 - rho_j)
                           * (1.0 - m->calib.dispatch_balance * (1.0 - 1.0 / R)));
        double mo = O - 1.0, rb = 1.0 - 1.0 / bn;
        share = q_seen;
        if (mo > 0.0)
            share += (1.0 - q_seen) * bp * (1.0 - pow(rb, mo)) / ((1.0 - rb) * mo);
        if (Tp > p->prefill_chunk_tokens * (1.0 + 1e-9) || B > p->max_batch)
            return 0;
        dcs_serving_iter_cost(p, B + Tp, B * K + Tp, m->clock, &pre);
        dcs_serving_iter_cost(p, B, B * K, m->clock, &dec);
        double tn = q * pre.time_s + (1.0 - q) * dec.time_s;
        if (!(tn < 1e6))
            return 0;
        double ts = share * pre.time_s + (1.0 - share) * dec.time_s;
        converged = fabs(tn - t) <= tol * tn && fabs(pre.time_s - t_pre) <= tol * tn
                 && fabs(ts - t_seen) <= tol * tn;
        /* Above capacity there is no fixed point: t creeps past where it
         * would be and then speeds up.  Growing steps for a while tell
         * that apart from the shrinking steps of convergence. */
        double dt = tn - t;
        growing = dt > 0.0 && dt > last_dt ? growing + 1 : 0;
        last_dt = dt;
        if (growing >= 20)
            return 0;
        t = tn;
        t_pre = pre.time_s;
        t_dec = dec.time_s;
        /* Half steps for the time a request sees: its backlog term feeds
         * back through the batch, and full steps can cycle near capacity. */
        t_seen = 0.5 * (t_seen + ts);
    }
    if (!converged)
        return 0;
    double reserved = (B + lam * nc * t / busy) * (P + O);
    if (reserved > (double)dcs_serving_kv_capacity_tokens(p))
        return 0;
    s->t = t;
    s->busy = busy;
    s->B = B;
    s->q = q;
    s->Tp = Tp;
    s->t_pre = pre.time_s;
    s->t_dec = dec.time_s;
    s->a_p = a_p;
    s->a_d = a_d;
    s->q_seen = q_seen;
    s->backlog_p = bp;
    s->backlog_n = bn;
    s->t_seen = t_seen;
    s->power_busy_w = (q * pre.power_w * pre.time_s + (1.0 - q) * dec.power_w * dec.time_s) / t;
    return 1;
}

/* Capacity at m->clock: double the rate until the steady state is lost,
 * then bisect to 0.1 % (the fixed point converges slowly just below
 * capacity, so each step there is the expensive part of a prepare). */
static double find_capacity(const dcs_fluid_model *m)
{
    /* Each solve starts from the fixed point at lo and stops at 1e-5 or
     * after 600 steps (see solve): near capacity the iteration creeps
     * (its fixed point is about to vanish), and telling whether it
     * converges needs no more. */
    steady s, at_lo;
    const steady *init = NULL;
    double lo = 0.0, hi = 1.0;
    while (solve(m, hi, 1, init, 1e-5, &s) && hi < 1e9) {
        lo = hi;
        at_lo = s;
        init = &at_lo;
        hi *= 2.0;
    }
    while (hi - lo > 1e-3 * hi) {
        double mid = 0.5 * (lo + hi);
        if (solve(m, mid, 1, init, 1e-5, &s)) {
            lo = mid;
            at_lo = s;
            init = &at_lo;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Keep (clock, capacity) in the model's small memo, oldest out first. */
static void remember(dcs_fluid_model *m)
{
    int i = m->memo_next;
    m->memo_clock[i] = m->clock;
    m->memo_capacity[i] = m->capacity_rate;
    m->memo_next = (i + 1) % DCS_FLUID_CLOCK_MEMO;
    if (m->memo_n < DCS_FLUID_CLOCK_MEMO)
        m->memo_n++;
}

void dcs_fluid_prepare(dcs_fluid_model *m, const dcs_serving_params *p,
                       const dcs_fluid_calib *c, const dcs_token_dist *prompt,
                       const dcs_token_dist *output, double clock)
{
    m->p = *p;
    m->calib = *c;
    m->prompt = *prompt;
    m->output = *output;
    m->clock = clock;
    m->mean_prompt = clamped_mean(prompt);
    m->mean_output = clamped_mean(output);
    /* E ceil(P / chunk) over 256 quantile strata of the prompt law. */
    const int n = 256;
    double chunks = 0.0, chunks2 = 0.0;
    for (int i = 0; i < n; i++) {
        double pq = dcs_tokens_quantile(prompt, (i + 0.5) / n);
        double nc = ceil(pq / p->prefill_chunk_tokens);
        chunks += nc;
        chunks2 += nc * nc;
    }
    m->mean_chunks = chunks / n;
    m->chunk_dispersion = chunks2 / chunks;
    for (int i = 0; i < DCS_FLUID_STRATA; i++) {
        double mid = 0.5 * (strata_edges[i] + strata_edges[i + 1]);
        m->strata_w[i] = strata_edges[i + 1] - strata_edges[i];
        m->strata_prompt[i] = dcs_tokens_quantile(prompt, mid);
        m->strata_output[i] = dcs_tokens_quantile(output, mid);
    }
    /* A decoding request is met with probability proportional to its
     * decode length (length-biased), so its mean context is
     * P + E[(O - 1) O / 2] / E[O - 1], not P + E[O] / 2. */
    double num = 0.0, den = 0.0;
    for (int i = 0; i < n; i++) {
        double oq = dcs_tokens_quantile(output, (i + 0.5) / n);
        num += (oq - 1.0) * oq / 2.0;
        den += oq - 1.0;
    }
    m->mean_ctx = m->mean_prompt + (den > 0.0 ? num / den : 0.0);
    m->memo_n = m->memo_next = 0;
    for (int i = 0; i < DCS_FLUID_EVAL_MEMO; i++)
        m->eval_memo[i] = (dcs_fluid_memo_entry){0};
    m->capacity_rate = find_capacity(m);
    remember(m);
}

void dcs_fluid_set_clock(dcs_fluid_model *m, double clock)
{
    if (clock == m->clock)
        return;
    m->clock = clock;
    for (int i = 0; i < m->memo_n; i++)
        if (m->memo_clock[i] == clock) {
            m->capacity_rate = m->memo_capacity[i];
            return;
        }
    m->capacity_rate = find_capacity(m);
    remember(m);
}

/* Time to prefill one prompt of `prompt` tokens in chunks, each iteration
 * also carrying B decode tokens. */
static double prefill_time(const dcs_fluid_model *m, double B, double prompt)
{
    double chunk = m->p.prefill_chunk_tokens, t = 0.0, done = 0.0;
    while (done < prompt) {
        double c = fmin(chunk, prompt - done);
        dcs_iter_cost ic;
        dcs_serving_iter_cost(&m->p, B + c, B * m->mean_ctx + done + c, m->clock, &ic);
        t += ic.time_s;
        done += c;
    }
    return t;
}

void dcs_fluid_eval(const dcs_fluid_model *m, double rate, int replicas, dcs_fluid_state *out)
{
    double idle_w = dcs_serving_idle_power_w(&m->p);
    double lam_offered = rate / replicas;
    *out = (dcs_fluid_state){.replicas = replicas};
    out->util = m->capacity_rate > 0.0 ? lam_offered / m->capacity_rate : HUGE_VAL;
    out->saturated = out->util >= 1.0;
    /* Serve at most the capacity.  Just below it the fixed point creeps
     * and may not settle from a cold start within the step budget (and a
     * pool's may vanish a little earlier than one replica's), so back off
     * in small steps until it does. */
    static const double backoff[] = {1.0, 0.999, 0.995, 0.98, 0.95, 0.9, 0.8};
    double lam_max = fmin(lam_offered, m->capacity_rate), lam = lam_max;
    steady s = {0};
    int ok = 0;
    for (int k = 0; k < 7 && !ok && lam_max > 0.0; k++) {
        lam = lam_max * backoff[k];
        ok = solve(m, lam, replicas, NULL, 1e-7, &s);
    }
    if (!ok) {
        dcs_iter_cost c;
        dcs_serving_iter_cost(&m->p, 1.0, 0.0, m->clock, &c);
        s = (steady){.t = c.time_s};
        lam = fmax(lam, 0.0);
    }
    out->rate_per_replica = lam;
    out->busy = s.busy;
    out->iter_s = s.t;
    out->decode_batch = s.B;
    out->prefill_share = s.q;
    out->prefill_tokens = s.Tp;
    out->iter_pre_s = s.t_pre;
    out->iter_dec_s = s.t_dec;
    out->a_pre = s.a_p;
    out->a_dec = s.a_d;
    out->seen_prefill_share = s.q_seen;
    out->backlog_prob = s.backlog_p;
    out->backlog_steps = s.backlog_n;
    out->chunk_dispersion = m->chunk_dispersion;
    double rho = fmin(out->util, 1.0 - 1e-9);
    /* Prompts go through the chunk budget first come, first served, so the
     * prefill stream is an M/G/1 queue whose service time S is a prompt's
     * own prefill (with the batch's decode tokens riding along):
     * Pollaczek-Khinchine, W_p = lambda E[S^2] / (2 (1 - lambda E[S])).
     * A request arriving while only decodes run also waits for the
     * residual of that decode iteration. */
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < DCS_FLUID_STRATA; i++) {
        double sv = prefill_time(m, s.B * s.busy, m->strata_prompt[i]);
        s1 += m->strata_w[i] * sv;
        s2 += m->strata_w[i] * sv * sv;
    }
    /* Were arrivals split at random, each replica's prefill stream would
     * be that M/G/1 queue; were every prompt sent to a free chunk budget
     * when one exists, the pool would be one M/G/R queue: P(wait) =
     * Erlang C(R, a), a = R lam E[S] erlangs, mean wait (1 + C_s^2) / 2
     * times the M/M/R one (Lee and Longton 1959; for R = 1 it is
     * Pollaczek-Khinchine).  Least-loaded dispatch counts requests, not
     * prefill work, so it gets a share beta of the way (calibration). */
    int R = replicas;
    double beta = m->calib.dispatch_balance;
    double rho1 = fmin(lam * s1, 1.0 - 1e-9);
    double p1 = rho1, w1 = lam * s2 / (2.0 * (1.0 - rho1));
    double a = R * rho1;
    double pR = R == 1 ? a : dcs_erlang_c(R, a);
    double wR = s1 > 0.0 ? pR * s2 / (2.0 * s1 * (R - a)) : 0.0;
    double rho_p = (1.0 - beta) * p1 + beta * pR;
    double dec_residual = s.t > 0.0 ? (1.0 - s.q) * s.t_dec * s.t_dec / (2.0 * s.t) : 0.0;
    double w_fixed = s.busy * dec_residual + m->calib.wait_kappa * rho * s.t;
    double w_pk = (1.0 - beta) * w1 + beta * wR;
    double w_full = m->capacity_rate > 0.0 ? m->p.queue_capacity / m->capacity_rate : 0.0;
    if (w_fixed + w_pk <= w_full) {
        out->wait_fixed_s = w_fixed;
        out->wait_prob = w_pk > 0.0 ? rho_p : 0.0;
        out->wait_cond_s = w_pk > 0.0 ? w_pk / rho_p : 0.0;
        out->wait_s = w_fixed + w_pk;
    } else {
        /* A full queue: every request waits its drain time. */
        out->wait_fixed_s = w_full;
        out->wait_prob = 0.0;
        out->wait_cond_s = 0.0;
        out->wait_s = w_full;
    }
    /* Means over the prompt strata: TTFT is not linear in the prompt
     * (chunks, memory-bound short prompts). */
    double sum = 0.0;
    for (int i = 0; i < DCS_FLUID_STRATA; i++)
        sum += m->strata_w[i] * dcs_fluid_ttft_s(m, out, m->strata_prompt[i]);
    out->ttft_mean_s = sum;
    /* Per-request TPOT and decode time over the output strata (requests
     * with one token have no TPOT, as in the detailed metric). */
    double dec_sum = 0.0, tpot_sum = 0.0, tpot_w = 0.0;
    for (int i = 0; i < DCS_FLUID_STRATA; i++) {
        double oq = m->strata_output[i];
        double dsec = dcs_fluid_decode_s(out, oq);
        dec_sum += m->strata_w[i] * dsec;
        if (oq > 1.0) {
            tpot_sum += m->strata_w[i] * dsec / (oq - 1.0);
            tpot_w += m->strata_w[i];
        }
    }
    out->tpot_s = tpot_w > 0.0 ? tpot_sum / tpot_w : s.t;
    out->e2e_mean_s = out->ttft_mean_s + dec_sum;
    out->power_w = replicas * (s.busy * s.power_busy_w + (1.0 - s.busy) * idle_w);
    out->served_rate = lam * replicas;
    out->dropped_rate = fmax(0.0, rate - out->served_rate);
    out->tokens_rate = out->served_rate * m->mean_output;
}

dcs_fluid_memo_entry *dcs_fluid_eval_memo(dcs_fluid_model *m, double rate, int replicas,
                                          dcs_fluid_state *out, dcs_fluid_memo_entry *evicted)
{
    if (evicted)
        evicted->clock = 0.0;
    double lam = rate / replicas;
    /* Zero or negative rates share one key (cell INT64_MIN): the eval of
     * no load. */
    int saturated = m->capacity_rate > 0.0 && lam >= m->capacity_rate;
    int idle = !(lam > 0.0) || !(m->capacity_rate > 0.0);
    double step = log1p(DCS_FLUID_MEMO_STEP);
    int64_t cell = idle ? INT64_MIN
                 : saturated ? INT64_MAX : (int64_t)llround(log(lam) / step);
    double lam_g = idle || saturated ? lam : exp((double)cell * step);
    /* Consecutive cells take consecutive slots, so a pool's daily swing
     * of rates (under 1,000 cells) does not evict itself. */
    uint64_t slot = ((uint64_t)cell + (uint64_t)replicas * 7919u) % DCS_FLUID_EVAL_MEMO;
    dcs_fluid_memo_entry *e = &m->eval_memo[slot];
    if (!(e->clock == m->clock && e->replicas == replicas && e->cell == cell)) {
        int any = 0;
        for (int r = 0; r < DCS_FLUID_MEMO_REGIONS; r++)
            any |= e->pending[r] != 0.0;
        if (evicted && e->clock > 0.0 && any)
            *evicted = *e;
        dcs_fluid_eval(m, lam_g * replicas, replicas, &e->st);
        e->clock = m->clock;
        e->replicas = replicas;
        e->cell = cell;
        for (int r = 0; r < DCS_FLUID_MEMO_REGIONS; r++) {
            e->pending[r] = 0.0;
            e->viol[r] = NAN;
        }
    }
    if (idle) {
        dcs_fluid_eval(m, rate, replicas, out);
        return e;
    }
    *out = e->st;
    /* Rescale what is proportional to the rate to the exact rate. */
    double served = saturated ? fmin(e->st.rate_per_replica, lam)
                              : fmin(e->st.rate_per_replica * lam / lam_g, lam);
    out->rate_per_replica = served;
    out->util = lam / m->capacity_rate;
    out->saturated = out->util >= 1.0;
    out->served_rate = served * replicas;
    out->dropped_rate = fmax(0.0, rate - out->served_rate);
    out->tokens_rate = out->served_rate * m->mean_output;
    return e;
}

double dcs_fluid_ttft_s(const dcs_fluid_model *m, const dcs_fluid_state *st,
                        double prompt_tokens)
{
    /* An arrival sees the time-average batch (Poisson arrivals see time
     * averages), b B, which is 0 at an idle replica. */
    return st->wait_s + prefill_time(m, st->decode_batch * st->busy, prompt_tokens);
}

/* Expected prefill steps among the m decode steps of a request, and
 * their variance (see solve: joining prompts at share k, plus a backlog
 * of geometric length, mean n_b steps, with probability pi0). */
static void prefill_steps(const dcs_fluid_state *st, double m, double *mean, double *var)
{
    double k = st->seen_prefill_share, p0 = st->backlog_prob;
    double rb = 1.0 - 1.0 / fmax(st->backlog_steps, 1.0);
    double rm = pow(rb, m);
    /* E min(G, m) and E min(G, m)^2 for P(G >= j) = rb^(j - 1). */
    double s0 = rb < 1.0 ? (1.0 - rm) / (1.0 - rb) : m;
    double s1 = rb < 1.0 ? (1.0 - (m + 1.0) * rm + m * rm * rb) / ((1.0 - rb) * (1.0 - rb))
                         : m * (m + 1.0) / 2.0;
    double g1 = s0, g2 = 2.0 * s1 - s0;
    *mean = m * k + (1.0 - k) * p0 * g1;
    /* Joining prompts: a Poisson number of prompts with n steps each,
     * variance m k E[n^2] / E[n]; backlog: Bernoulli times geometric. */
    *var = m * k * st->chunk_dispersion
         + (1.0 - k) * (1.0 - k) * (p0 * g2 - p0 * p0 * g1 * g1);
}

double dcs_fluid_decode_s(const dcs_fluid_state *st, double output_tokens)
{
    double n = output_tokens - 1.0;
    if (n <= 0.0)
        return 0.0;
    double mean, var;
    prefill_steps(st, n, &mean, &var);
    return n * st->iter_dec_s + (st->iter_pre_s - st->iter_dec_s) * mean;
}

double dcs_fluid_e2e_s(const dcs_fluid_model *m, const dcs_fluid_state *st,
                       double prompt_tokens, double output_tokens)
{
    return dcs_fluid_ttft_s(m, st, prompt_tokens) + dcs_fluid_decode_s(st, output_tokens);
}

double dcs_fluid_decode_sd_s(const dcs_fluid_state *st, double output_tokens)
{
    double n = output_tokens - 1.0;
    if (n <= 0.0)
        return 0.0;
    double mean, var;
    prefill_steps(st, n, &mean, &var);
    return (st->iter_pre_s - st->iter_dec_s) * sqrt(fmax(var, 0.0));
}

/* log P(Z > u), Z standard normal, without underflow for large u. */
static double log_q(double u)
{
    return gsl_sf_log_erfc(u / M_SQRT2) - M_LN2;
}

/* P(W <= a and W + D <= b) for W ~ Exp(theta) and D ~ N(mu, sd^2), a > 0
 * (a = HUGE_VAL: no bound on W).  With c = b - mu, integration by parts
 * and completing the square:
 *   Phi(c / sd) - e^(-a / theta) Phi((c - a) / sd) - J,
 *   J = e^E [Phi(u + a / sd) - Phi(u)],  E = -c / theta + sd^2 / (2 theta^2),
 *   u = (sd^2 / theta - c) / sd,
 * with e^E Phi taken in logs (E - u^2 / 2 = -c^2 / (2 sd^2) keeps it
 * bounded). */
static double exp_normal_ok(double a, double b, double theta, double mu, double sd)
{
    double c = b - mu;
    double out = gsl_cdf_ugaussian_P(c / sd);
    if (a < HUGE_VAL)
        out -= exp(-a / theta) * gsl_cdf_ugaussian_P((c - a) / sd);
    double E = -c / theta + sd * sd / (2.0 * theta * theta);
    double u = (sd * sd / theta - c) / sd;
    double hi = a < HUGE_VAL ? u + a / sd : HUGE_VAL;
    /* J = e^E (Q(u) - Q(hi)) */
    double j = exp(E + log_q(u));
    if (hi < HUGE_VAL)
        j -= exp(E + log_q(hi));
    return fmin(1.0, fmax(0.0, out - j));
}

double dcs_fluid_violation_share(const dcs_fluid_model *m, const dcs_fluid_state *st,
                                 double network_s, double slo_ttft_s, double slo_e2e_s)
{
    enum { S = DCS_FLUID_STRATA };
    if (slo_ttft_s <= 0.0 && slo_e2e_s <= 0.0)
        return 0.0;
    double p = st->wait_prob, theta = st->wait_cond_s;
    if (!(p > 0.0 && theta > 0.0))
        p = 0.0;
    double tt[S], dd[S], sd[S], viol = 0.0;
    for (int i = 0; i < S; i++) {
        tt[i] = network_s + st->wait_fixed_s
              + prefill_time(m, st->decode_batch * st->busy, m->strata_prompt[i]);
        dd[i] = dcs_fluid_decode_s(st, m->strata_output[i]);
        sd[i] = dcs_fluid_decode_sd_s(st, m->strata_output[i]);
    }
    for (int i = 0; i < S; i++)
        for (int j = 0; j < S; j++) {
            double cell = m->strata_w[i] * m->strata_w[j];
            /* Margins left for the random wait W and decode time D. */
            double a = slo_ttft_s > 0.0 ? slo_ttft_s - tt[i] : HUGE_VAL;
            double b = slo_e2e_s > 0.0 ? slo_e2e_s - tt[i] : HUGE_VAL;
            if (a < 0.0) {
                viol += cell;
                continue;
            }
            double ok;
            /* Decode times more than 8 sd inside or outside the e2e margin
             * are as good as certain (the normal tail there is below
             * 1e-15): skip the integral. */
            double z = b < HUGE_VAL && sd[j] > 0.0 ? (b - dd[j]) / sd[j] : 0.0;
            if (z < -8.0) {
                viol += cell;
                continue;
            }
            if (b == HUGE_VAL || sd[j] <= 0.0 || z > 8.0) {
                /* D fixed at its mean: broken when W exceeds the smaller
                 * margin, probability p exp(-margin / theta). */
                double margin = fmin(a, b - dd[j]);
                if (margin < 0.0)
                    ok = 0.0;
                else
                    ok = 1.0 - (p > 0.0 ? p * exp(-margin / theta) : 0.0);
            } else {
                double none = gsl_cdf_ugaussian_P((b - dd[j]) / sd[j]);
                ok = (1.0 - p) * none;
                if (p > 0.0)
                    ok += p * exp_normal_ok(a, b, theta, dd[j], sd[j]);
            }
            viol += cell * (1.0 - ok);
        }
    return viol;
}

uint64_t dcs_fluid_record(const dcs_fluid_model *m, const dcs_fluid_state *st,
                          double period_s, double network_s,
                          double slo_ttft_s, double slo_e2e_s,
                          dcs_lathist *ttft, dcs_lathist *e2e)
{
    enum { S = DCS_FLUID_STRATA, W = 3 };
    double total = nearbyint(st->served_rate * period_s);
    if (!(total >= 1.0))
        return 0;
    /* Wait strata: none (1 - p), and the exponential's lower 80 % (mean
     * 0.5976 theta) and upper 20 % (mean (1 + ln 5) theta = 2.6094 theta),
     * theta the conditional mean wait; the three means average to theta. */
    double p = st->wait_prob, theta = st->wait_cond_s;
    const double ww[W] = {1.0 - p, 0.8 * p, 0.2 * p};
    const double wv[W] = {0.0, (1.0 - 0.25 * log(5.0)) * theta, (1.0 + log(5.0)) * theta};
    double tt[S], dd[S], sd[S], cum = 0.0;
    for (int i = 0; i < S; i++) {
        /* TTFT without the random wait. */
        tt[i] = network_s + st->wait_fixed_s
              + prefill_time(m, st->decode_batch * st->busy, m->strata_prompt[i]);
        dd[i] = dcs_fluid_decode_s(st, m->strata_output[i]);
        sd[i] = dcs_fluid_decode_sd_s(st, m->strata_output[i]);
    }
    uint64_t given = 0, tt_n[S * W] = {0};
    for (int k = 0; k < S * S * W; k++) {
        int i = k / (S * W), j = (k / W) % S, w = k % W;
        double cell = m->strata_w[i] * m->strata_w[j];
        /* Integer shares by rounding the cumulative weight, so they add up
         * to the total exactly. */
        cum += cell * ww[w];
        uint64_t upto = k == S * S * W - 1 ? (uint64_t)total : (uint64_t)nearbyint(cum * total);
        if (upto < given)
            upto = given;
        uint64_t n = upto - given;
        given = upto;
        double t1 = tt[i] + wv[w];
        tt_n[i * W + w] += n;       /* TTFT does not depend on the output */
        if (e2e && n > 0) {
            /* The decode time's spread: half the cell one sd below its
             * mean and half one sd above (same mean and variance). */
            uint64_t lo = n / 2;
            if (sd[j] > 0.0 && lo > 0) {
                dcs_lathist_add_n(e2e, t1 + fmax(dd[j] - sd[j], 0.0), lo);
                dcs_lathist_add_n(e2e, t1 + dd[j] + sd[j], n - lo);
            } else {
                dcs_lathist_add_n(e2e, t1 + dd[j], n);
            }
        }
    }
    if (ttft)
        for (int c = 0; c < S * W; c++)
            dcs_lathist_add_n(ttft, tt[c / W] + wv[c % W], tt_n[c]);
    double viol = dcs_fluid_violation_share(m, st, network_s, slo_ttft_s, slo_e2e_s);
    return (uint64_t)nearbyint(viol * total);
}
