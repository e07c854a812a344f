/*
 * test_controller.c - the controller LP inside an engine run, with two
 * fake site LPs of this file that report telemetry on the control bus at
 * k P and record every action they receive.
 *
 * Case (all numbers made up for the test, chosen so the answers are easy
 * to compute by hand):
 *   control period P = 15 min, run 24 h: decisions k = 1..95 at
 *   k P + P/2, each applied by the sites at (k+1) P.
 *   one user region; workload 0 "chat" (inference, e2e SLO 1.5 s) with a
 *   diurnal Poisson rate D(t) = 100 (1 + 0.6 cos(2 pi (h - 12) / 24))
 *   req/s (40 at midnight, 160 at noon); workload 1 "train" (no requests).
 *   site 0 "clean": ci 100 - 2 h g/kWh in hour h of the day (100 .. 54),
 *     10 replicas serving 100 req/s of chat, RTT 20 ms, p99 0.2 s, one
 *     cluster of 1 MW maximum, power limit 1.08 MW;
 *   site 1 "dirty": ci 400 g/kWh except 100 in hours 4 and 5, 20 replicas
 *     serving 200 req/s, RTT 10 ms (nearer), p99 0.2 s, 2 MW, no limit.
 *   Both sites report PUE 1.2.
 *   job 0 at site 1: 2 h of work, deadline 10 h; job 1 at site 0: 4 h of
 *     work, deadline 10 h (both deferrable).
 *   stack: geolocation + power_cap (no latency target) + carbon_shift.
 *
 * Hand answers:
 *   geolocation: both sites fit the SLO (0.02 + 0.2 and 0.01 + 0.2 <=
 *     1.5); clean ranks first and takes up to fill_max 0.9 x 100 = 90
 *     req/s, dirty the rest, so clean's share is min(1, 90 / D(t)).
 *   power limit at site 0: PUE x cap x 1 MW <= 1.08 MW, so cap <= 0.9.
 *   carbon_shift (hours H = floor(time to deadline / 1 h), n = ceil(
 *     remaining / 1 h); run when n >= H or fewer than n of the hours
 *     before the deadline are cleaner than now):
 *     job 0 pauses while hours 4 and 5 (ci 100) lie ahead and ci now is
 *     400 (n = 2 cleaner hours ahead), and runs from the decision at
 *     4:07:30 (ci 100 now, nothing cleaner), applied at 4:15, so its 2 h
 *     are done at 6:15.
 *     job 1: ci falls all day, so every later hour is cleaner and it waits
 *     until n >= H: at 4:52:30 H = floor(5.125) = 5 > 4 (pause), at
 *     5:07:30 H = floor(4.875) = 4 = n (run), applied at 5:15, done 9:15,
 *     before its deadline.
 * Also: the same actions and log bytes with 1 and 2 threads; a
 * sovereignty run (chat allowed only at dirty) with no share at clean;
 * one where dirty serves only 120 req/s, so D(t) - 120 is sent to dirty
 * anyway and reported as overload (not dropped); and one where chat may
 * use no site, so all of it is dropped.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/control.h"
#include "dcsim/engine.h"
#include "dcsim/hourly.h"
#include "dcsim/policy.h"
#include "harness.h"

#define NSITES 2
#define NJOBS 2
#define KMAX 128

static const dcs_time P = 15 * DCS_MINUTE;
static const dcs_time END = 24 * DCS_HOUR;

enum { EV_TICK = 1 };

/* What a fake site saw of action k. */
typedef struct seen {
    bool got;
    double share;          /* split of chat from region 0 to this site */
    double cap;
    int replicas;
    bool run[NJOBS];
} seen;

typedef struct fake_cfg {
    dcs_control_bus *bus;
    int site;
    double capacity_rps;   /* chat */
    double cluster_max_w;
    const dcs_rate_profile *rate;
    double job_work_s[NJOBS];  /* this site's jobs (slot j at this site), 0: none */
    double served_rps;     /* chat served, reported as is when > 0; 0: the load */
} fake_cfg;

typedef struct fake_state {
    fake_cfg cfg;
    bool running[NJOBS];
    double remaining_s[NJOBS];
    double done_at_s[NJOBS];
    double share, cap;
    int kept;              /* replicas kept powered (all up at once) */
    seen rec[KMAX];
    int pending;           /* action period to apply at the next tick, -1 none */
} fake_state;

static void apply(fake_state *st, const dcs_policy_action *a)
{
    st->share = a->split[0][0][st->cfg.site];
    st->cap = a->cap[st->cfg.site][0];
    st->kept = a->replicas[st->cfg.site];
    for (int j = 0; j < NJOBS; j++)
        st->running[j] = a->run[j] && st->remaining_s[j] > 0.0;
}

static int fake_init(dcs_lp *lp, void *state, const void *config)
{
    fake_state *st = state;
    st->cfg = *(const fake_cfg *)config;
    st->pending = -1;
    for (int j = 0; j < NJOBS; j++) {
        st->remaining_s[j] = st->cfg.job_work_s[j];
        st->done_at_s[j] = -1.0;
    }
    apply(st, &st->cfg.bus->initial);
    dcs_lp_send(lp, dcs_lp_id(lp), P, EV_TICK);
    return 0;
}

static void fake_tick(dcs_lp *lp, fake_state *st)
{
    dcs_time now = dcs_lp_now(lp);
    int64_t k = now / P;
    /* Close the period that ended: running jobs progressed P. */
    for (int j = 0; j < NJOBS; j++) {
        if (!st->running[j])
            continue;
        st->remaining_s[j] -= (double)P / DCS_SECOND;
        if (st->remaining_s[j] <= 1e-9) {
            st->remaining_s[j] = 0.0;
            st->done_at_s[j] = (double)now / DCS_SECOND;
        }
    }
    if (st->pending >= 0)
        apply(st, &st->cfg.bus->action[st->pending % DCS_CONTROL_RING]);
    st->pending = -1;

    dcs_site_telemetry *t = &st->cfg.bus->tele[st->cfg.site][k % DCS_CONTROL_RING];
    memset(t, 0, sizeof *t);
    double load = dcs_arrivals_rate(st->cfg.rate, now) * st->share;
    t->period = k;
    t->pue = 1.2;
    t->it_power_w = st->cap * st->cfg.cluster_max_w * (0.5 + 0.5 * load / st->cfg.capacity_rps);
    t->facility_power_w = t->pue * t->it_power_w;
    t->utilisation = load / st->cfg.capacity_rps;
    t->served_rps[0] = st->cfg.served_rps > 0.0 ? st->cfg.served_rps : load;
    /* Service time grows as the cap lowers the clock: p99 = 0.2 s / cap
     * (a made-up law, simple enough to follow power_cap by hand). */
    t->p99_s = 0.2 / st->cap;
    t->replicas_total = st->cfg.site == 0 ? 10 : 20;
    /* Kept replicas are up by the next report (wake within a period). */
    t->replicas_up = st->kept;
    t->cluster_cap_now[0] = st->cap;
    t->njobs = NJOBS;
    for (int j = 0; j < NJOBS; j++) {
        t->job_remaining_s[j] = st->remaining_s[j];
        t->job_running[j] = st->running[j];
        t->job_done[j] = st->cfg.job_work_s[j] > 0.0 && st->remaining_s[j] <= 0.0;
    }
    dcs_event *ev = dcs_lp_send(lp, st->cfg.bus->controller_lp, P / 2, DCS_EV_TELEMETRY);
    ev->p.u[0] = (uint64_t)k;
    dcs_lp_send(lp, dcs_lp_id(lp), P, EV_TICK);
}

static void fake_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    fake_state *st = state;
    if (ev->kind == EV_TICK) {
        fake_tick(lp, st);
        return;
    }
    DCS_LP_ASSERT(lp, ev->kind == DCS_EV_ACTION, "fake site: kind %u", (unsigned)ev->kind);
    uint64_t k = ev->p.u[0];
    DCS_LP_ASSERT(lp, k < KMAX && dcs_lp_now(lp) == (dcs_time)(k + 1) * P,
                  "action %llu arrived at the wrong time", (unsigned long long)k);
    const dcs_policy_action *a = &st->cfg.bus->action[k % DCS_CONTROL_RING];
    seen *r = &st->rec[k];
    r->got = true;
    r->share = a->split[0][0][st->cfg.site];
    r->cap = a->cap[st->cfg.site][0];
    r->replicas = a->replicas[st->cfg.site];
    for (int j = 0; j < NJOBS; j++)
        r->run[j] = a->run[j];
    st->pending = (int)k;
}

static const dcs_lp_type fake_site_type = {"fake_site", sizeof(fake_state), 0, fake_init,
                                           fake_handle, NULL};

/* The run's results, copied out of the engine. */
typedef struct run_out {
    seen rec[NSITES][KMAX];
    double done_at_s[NSITES][NJOBS];
    dcs_event_log_row *rows;
    size_t nrows;
    uint64_t decisions, dropped_rows;
    dcs_policy_report totals;
    double dropped_rps;
} run_out;

static const dcs_rate_profile CHAT_RATE = {.mean_rate = 100.0, .peak_to_mean = 1.6,
                                           .peak_hour = 12.0, .weekend_factor = 1.0};

static void fill_ci(dcs_hourly *clean, dcs_hourly *dirty)
{
    CHECK_INT(dcs_hourly_init(clean, 0, 24), DCS_OK);
    CHECK_INT(dcs_hourly_init(dirty, 0, 24), DCS_OK);
    for (size_t h = 0; h < 24; h++) {
        clean->value[h] = (100.0 - 2.0 * (double)h) * DCS_G_PER_KWH;
        dirty->value[h] = (h == 4 || h == 5 ? 100.0 : 400.0) * DCS_G_PER_KWH;
    }
}

/* Variants of the case. */
typedef struct opts {
    int threads;
    bool chat_only_dirty;      /* chat may not use the clean site */
    bool chat_nowhere;         /* chat may use no site */
    double dirty_rps;          /* dirty's chat capacity (200) */
    double latency_target_s;   /* power_cap's (0: none) */
    bool consolidate;          /* a second power policy */
    bool least_loaded;         /* placement least_loaded instead of geolocation */
    double served_rps[NSITES]; /* chat the sites report served (0: their load) */
} opts;

static const opts BASE = {.threads = 1, .dirty_rps = 200.0};

static void run_case(opts op, run_out *out)
{
    bool chat_only_dirty = op.chat_only_dirty;
    double dirty_rps = op.dirty_rps;
    memset(out, 0, sizeof *out);
    dcs_work_wl wl[2];
    memset(wl, 0, sizeof wl);
    wl[0].name = "chat";
    wl[0].slo.e2e_s = 1.5;
    wl[0].rate = CHAT_RATE;
    wl[0].region_share[0] = 1.0;
    wl[0].allowed[0] = !chat_only_dirty && !op.chat_nowhere;
    wl[0].allowed[1] = !op.chat_nowhere;
    wl[1].name = "train";
    wl[1].rate = (dcs_rate_profile){.peak_to_mean = 1.0, .weekend_factor = 1.0};
    wl[1].region_share[0] = 1.0;
    wl[1].allowed[0] = wl[1].allowed[1] = true;
    wl[1].deferrable = true;
    dcs_work_config work = {.control_period = P, .nworkloads = 2, .nregions = 1,
                            .nsites = NSITES, .wl = wl};
    work.rtt_s[0][0] = 0.02;
    work.rtt_s[0][1] = 0.01;

    dcs_hourly clean = {0}, dirty = {0};
    fill_ci(&clean, &dirty);
    const dcs_hourly *ci[NSITES] = {&clean, &dirty};
    const double flat_price[NSITES] = {50.0 * DCS_USD_PER_MWH, 50.0 * DCS_USD_PER_MWH};

    static dcs_site_telemetry tele[NSITES][DCS_CONTROL_RING];
    memset(tele, 0, sizeof tele);
    uint32_t site_lp[NSITES] = {1, 2};
    dcs_control_bus *bus = calloc(1, sizeof *bus);
    dcs_controller_config *cc = calloc(1, sizeof *cc);
    CHECK(bus && cc);
    if (!bus || !cc)
        return;
    bus->nsites = NSITES;
    bus->controller_lp = 0;
    bus->site_lp = site_lp;
    bus->tele = tele;

    /* The static observation, by hand (dcs_controller_static_obs is
     * tested on its own below). */
    dcs_policy_obs *b = &cc->base;
    b->period_s = 900.0;
    b->nsites = NSITES;
    b->nregions = 1;
    b->nworkloads = 2;
    b->njobs = NJOBS;
    b->region[0].rtt_s[0] = 0.02;
    b->region[0].rtt_s[1] = 0.01;
    b->workload[0].slo_p99_s = 1.5;
    for (int s = 0; s < NSITES; s++) {
        b->workload[0].allowed[s] = wl[0].allowed[s];
        b->workload[1].allowed[s] = true;
        dcs_policy_site_obs *o = &b->site[s];
        o->pue = 1.0;
        o->nclusters = 1;
        o->cluster_max_w[0] = s == 0 ? 1e6 : 2e6;
        o->cluster_cap_min[0] = 0.3;
        o->cluster_cap_now[0] = 1.0;
        o->power_limit_w = s == 0 ? 1.08e6 : HUGE_VAL;
        o->headroom_w = o->power_limit_w;
        o->replicas_total = o->replicas_up = s == 0 ? 10 : 20;
        o->capacity_rps[0] = s == 0 ? 100.0 : dirty_rps;
    }
    b->job[0] = (dcs_policy_job_obs){.workload = 1, .site = 1, .remaining_s = 7200.0,
                                     .deadline_s = 36000.0};
    b->job[1] = (dcs_policy_job_obs){.workload = 1, .site = 0, .remaining_s = 14400.0,
                                     .deadline_s = 36000.0};
    cc->work = &work;
    cc->bus = bus;
    cc->ci = ci;
    cc->flat_price_usd_per_j = flat_price;
    cc->njobs = NJOBS;
    cc->job_site[0] = 1;
    cc->job_site[1] = 0;
    cc->job_index[0] = 0;
    cc->job_index[1] = 1;
    cc->job_deadline_s[0] = cc->job_deadline_s[1] = 36000.0;

    dcs_policy_params par = dcs_policy_params_default();
    par.latency_target_s = op.latency_target_s;
    dcs_policy_stack stack = {
        .placement = dcs_policy_alloc(op.least_loaded ? &dcs_policy_least_loaded
                                                      : &dcs_policy_geolocation,
                                      &par, NULL),
        .power = {dcs_policy_alloc(&dcs_policy_power_cap, &par, NULL),
                  op.consolidate ? dcs_policy_alloc(&dcs_policy_consolidate, &par, NULL) : NULL},
        .temporal = dcs_policy_alloc(&dcs_policy_carbon_shift, &par, NULL),
    };
    cc->stack = &stack;

    dcs_policy_obs *obs0 = malloc(sizeof *obs0);
    CHECK(obs0 != NULL);
    if (!obs0)
        return;
    dcs_controller_obs_at(cc, 0, obs0);
    dcs_controller_initial_action(&stack, obs0, &bus->initial);
    free(obs0);

    dcs_engine_config ec = {.seed = 7, .threads = op.threads, .end_time = END};
    dcs_engine *e = dcs_engine_new(&ec);
    CHECK(e != NULL);
    CHECK_INT(dcs_engine_add_lp(e, &dcs_controller_lp_type, cc), 0);
    fake_cfg fc[NSITES];
    for (int s = 0; s < NSITES; s++) {
        fc[s] = (fake_cfg){.bus = bus, .site = s, .capacity_rps = b->site[s].capacity_rps[0],
                           .cluster_max_w = b->site[s].cluster_max_w[0], .rate = &CHAT_RATE,
                           .served_rps = op.served_rps[s]};
        for (int j = 0; j < NJOBS; j++)
            fc[s].job_work_s[j] = cc->job_site[j] == s ? b->job[j].remaining_s : 0.0;
        CHECK_INT(dcs_engine_add_lp(e, &fake_site_type, &fc[s]), site_lp[s]);
    }
    CHECK_INT(dcs_engine_channel(e, 0, DCS_LP_ANY, P / 2), DCS_OK);
    CHECK_INT(dcs_engine_channel(e, DCS_LP_ANY, 0, P / 2), DCS_OK);
    CHECK_INT(dcs_engine_run(e), DCS_OK);

    for (int s = 0; s < NSITES; s++) {
        const fake_state *fs = dcs_engine_lp_state(e, site_lp[s]);
        memcpy(out->rec[s], fs->rec, sizeof fs->rec);
        memcpy(out->done_at_s[s], fs->done_at_s, sizeof fs->done_at_s);
    }
    void *cs = dcs_engine_lp_state(e, 0);
    dcs_controller_results res;
    dcs_controller_results_of(cs, &res);
    out->nrows = res.nrows;
    out->decisions = res.decisions;
    out->dropped_rows = res.dropped_rows;
    out->totals = res.totals;
    out->dropped_rps = res.dropped_rps;
    out->rows = malloc((res.nrows ? res.nrows : 1) * sizeof *out->rows);
    if (out->rows && res.nrows)
        memcpy(out->rows, res.rows, res.nrows * sizeof *res.rows);
    dcs_controller_release(cs);
    dcs_engine_free(e);
    dcs_policy_free(stack.placement);
    dcs_policy_free(stack.power[0]);
    dcs_policy_free(stack.power[1]);
    dcs_policy_free(stack.temporal);
    dcs_hourly_free(&clean);
    dcs_hourly_free(&dirty);
    free(bus);
    free(cc);
}

/* Decision k is made at k P + P/2. */
static dcs_time decided_at(int k) { return (dcs_time)k * P + P / 2; }

static void geolocation_fills_clean_site_to_fill_max(void)
{
    run_out r;
    run_case(BASE, &r);
    CHECK_INT(r.decisions, 95);
    int checked = 0, partial = 0;
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[0][k].got)
            continue;
        double d = dcs_arrivals_rate(&CHAT_RATE, decided_at(k));
        double want = fmin(1.0, 90.0 / d);
        CHECK_NEAR(r.rec[0][k].share, want, 1e-9);
        CHECK_NEAR(r.rec[1][k].share, 1.0 - want, 1e-6);
        partial += want < 1.0;
        /* PUE 1.2 x cap x 1 MW <= 1.08 MW */
        CHECK(r.rec[0][k].cap <= 0.9 + 1e-12);
        checked++;
    }
    /* Action 95 would arrive at 24 h, the end of the run. */
    CHECK_INT(checked, 94);
    /* Demand passes 90 req/s for part of the day, so the cap binds then. */
    CHECK(partial > 10 && partial < 90);
    free(r.rows);
}

static void carbon_shift_pauses_then_runs(void)
{
    run_out r;
    run_case(BASE, &r);
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[0][k].got)
            continue;
        dcs_time t = decided_at(k);
        /* job 0 (site 1): paused before hour 4, running from 4:07:30 while
         * work is left (it is done at 6:15). */
        if (t < 4 * DCS_HOUR)
            CHECK(!r.rec[1][k].run[0]);
        else if (t < 6 * DCS_HOUR + 15 * DCS_MINUTE)
            CHECK(r.rec[1][k].run[0]);
        /* job 1 (site 0): waits until 5:07:30, then runs. */
        if (t < 5 * DCS_HOUR)
            CHECK(!r.rec[0][k].run[1]);
        else if (t < 9 * DCS_HOUR)
            CHECK(r.rec[0][k].run[1]);
    }
    CHECK_NEAR(r.done_at_s[1][0], 6.25 * 3600.0, 1e-12);
    CHECK_NEAR(r.done_at_s[0][1], 9.25 * 3600.0, 1e-12);
    free(r.rows);
}

static const dcs_event_log_row *find_row(const run_out *r, const char *kind, int site,
                                         size_t from)
{
    for (size_t i = from; i < r->nrows; i++)
        if (strcmp(r->rows[i].kind, kind) == 0 && r->rows[i].site == site)
            return &r->rows[i];
    return NULL;
}

static void log_has_expected_rows(void)
{
    run_out r;
    run_case(BASE, &r);
    CHECK(r.rows != NULL);
    CHECK_INT(r.dropped_rows, 0);
    /* Rows in time order. */
    for (size_t i = 1; i < r.nrows; i++)
        CHECK(r.rows[i].time >= r.rows[i - 1].time);
    /* The first decision lowers site 0's cap to 0.9: the initial action
     * was made with PUE 1 (no telemetry yet), the first with PUE 1.2. */
    const dcs_event_log_row *cap = find_row(&r, "cap", 0, 0);
    CHECK(cap != NULL);
    if (cap) {
        CHECK_INT(cap->time, decided_at(1));
        CHECK_NEAR(cap->value, 0.9, 1e-9);
        CHECK(strstr(cap->detail, "power limit 1.08 MW") != NULL);
    }
    /* Split rows: every one at site 0 carries the share the decision set,
     * consecutive ones differ by more than 1 point (the sampling rule),
     * and the reason names the carbon of both sites. */
    double last = 1.0;   /* the initial action sent everything to clean */
    int nsplit = 0;
    for (const dcs_event_log_row *row = find_row(&r, "split", 0, 0); row;
         row = find_row(&r, "split", 0, (size_t)(row - r.rows) + 1)) {
        int k = (int)((row->time - P / 2) / P);
        CHECK_INT(row->time, decided_at(k));
        CHECK_INT(row->workload, 0);
        CHECK_NEAR(row->value, r.rec[0][k].share, 1e-12);
        CHECK(fabs(row->value - last) > 0.01);
        CHECK(strstr(row->detail, "carbon") != NULL);
        last = row->value;
        nsplit++;
    }
    /* The share falls from 1 to 90/160 = 0.5625 and rises back: a total
     * change of 0.875.  One decision moves it by at most about 0.043 (D
     * changes by at most 100 x 0.6 x 2 pi / 24 x 0.25 = 3.9 req/s per
     * period, and d(90/D) = 90 / D^2 x 3.9 <= 0.043 for D >= 90), so a
     * row covers at most 0.053 and there are at least 0.875 / 0.053 = 16
     * rows; at most one per decision. */
    CHECK(nsplit >= 16 && nsplit <= 95);
    /* Jobs: job 0 starts at 4:07:30 for the carbon, job 1 at 5:07:30 for
     * the deadline; no pause rows (both started paused and never paused
     * again before finishing). */
    const dcs_event_log_row *run0 = find_row(&r, "job_run", 1, 0);
    const dcs_event_log_row *run1 = find_row(&r, "job_run", 0, 0);
    CHECK(run0 && run1);
    if (run0 && run1) {
        CHECK_INT(run0->time, 4 * DCS_HOUR + 7 * DCS_MINUTE + 30 * DCS_SECOND);
        CHECK_ABS(run0->value, 0.0, 0.0);
        CHECK(strstr(run0->detail, "carbon 100 g/kWh") != NULL);
        CHECK_INT(run1->time, 5 * DCS_HOUR + 7 * DCS_MINUTE + 30 * DCS_SECOND);
        CHECK_ABS(run1->value, 1.0, 0.0);
        CHECK(strstr(run1->detail, "deadline") != NULL);
    }
    CHECK(find_row(&r, "job_pause", 0, 0) == NULL && find_row(&r, "job_pause", 1, 0) == NULL);
    free(r.rows);
}

static void same_actions_with_1_and_2_threads(void)
{
    run_out *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    CHECK(a && b);
    if (a && b) {
        opts two = BASE;
        two.threads = 2;
        run_case(BASE, a);
        run_case(two, b);
        CHECK(memcmp(a->rec, b->rec, sizeof a->rec) == 0);
        CHECK(memcmp(a->done_at_s, b->done_at_s, sizeof a->done_at_s) == 0);
        CHECK_INT(a->nrows, b->nrows);
        CHECK(a->nrows == b->nrows && a->rows && b->rows &&
              memcmp(a->rows, b->rows, a->nrows * sizeof *a->rows) == 0);
        free(a->rows);
        free(b->rows);
    }
    free(a);
    free(b);
}

/* The sites' served requests reach least_loaded through the controller's
 * observation: clean (100 req/s of chat) reports 70 served, dirty (200)
 * 20, so their free capacities are 30 and 180 req/s and every decision
 * sends 30 / 210 = 1/7 of chat to clean (1/7 x 160 and 6/7 x 160 req/s at
 * the peak are within both sites' capacities: enforcement changes
 * nothing; without the served rates both would look idle: 100 / 300). */
static void least_loaded_reads_served(void)
{
    run_out r;
    opts op = BASE;
    op.least_loaded = true;
    op.served_rps[0] = 70.0;
    op.served_rps[1] = 20.0;
    run_case(op, &r);
    int n = 0;
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[0][k].got)
            continue;
        CHECK_NEAR(r.rec[0][k].share, 1.0 / 7.0, 1e-12);
        CHECK_NEAR(r.rec[1][k].share, 6.0 / 7.0, 1e-12);
        n++;
    }
    CHECK_INT(n, 94);
    CHECK_ABS(r.totals.spilled_rps + r.totals.overload_rps, 0.0, 0.0);
    free(r.rows);
}

static void sovereignty_holds_in_a_run(void)
{
    run_out r;
    opts op = BASE;
    op.chat_only_dirty = true;
    run_case(op, &r);
    int n = 0;
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[0][k].got)
            continue;
        /* chat may not use the clean site: none goes there, all to dirty
         * (200 req/s of capacity > 160 peak). */
        CHECK_ABS(r.rec[0][k].share, 0.0, 0.0);
        CHECK_NEAR(r.rec[1][k].share, 1.0, 1e-12);
        n++;
    }
    CHECK_INT(n, 94);
    free(r.rows);
}

/* Chat only at dirty, which serves 120 req/s: above that, no site has
 * room, and the excess D(t) - 120 req/s is still sent to dirty (share 1,
 * nothing dropped: its queues decide) and reported as overload at each
 * decision. */
static void overload_logged_and_totalled(void)
{
    run_out r;
    opts op = BASE;
    op.chat_only_dirty = true;
    op.dirty_rps = 120.0;
    run_case(op, &r);
    double want = 0.0;
    for (int k = 1; k <= 95; k++)
        want += fmax(0.0, dcs_arrivals_rate(&CHAT_RATE, decided_at(k)) - 120.0);
    CHECK(want > 0.0);
    CHECK_NEAR(r.totals.overload_rps, want, 1e-9);
    CHECK_ABS(r.dropped_rps, 0.0, 0.0);
    CHECK_ABS(r.totals.dropped_rps, 0.0, 0.0);
    CHECK_ABS(r.totals.spilled_rps, 0.0, 0.0);
    CHECK_ABS(r.totals.forbidden_rps, 0.0, 0.0);
    int n = 0;
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[1][k].got)
            continue;
        CHECK_NEAR(r.rec[1][k].share, 1.0, 1e-12);
        n++;
    }
    CHECK_INT(n, 94);
    /* Overload rows: the first starts it, the last says it ended, and
     * between them each moved by more than 10 % of its size; no drop row. */
    CHECK(find_row(&r, "drop", -1, 0) == NULL);
    const dcs_event_log_row *first = find_row(&r, "overload", -1, 0), *last = NULL;
    n = 0;
    for (const dcs_event_log_row *row = first; row;
         row = find_row(&r, "overload", -1, (size_t)(row - r.rows) + 1)) {
        if (last)
            CHECK(fabs(row->value - last->value) > 0.1 * fmax(row->value, last->value));
        last = row;
        n++;
    }
    CHECK(first && last && n >= 3);
    if (first && last) {
        CHECK(first->value > 0.0 && strstr(first->detail, "no usable site has room") != NULL);
        CHECK_ABS(last->value, 0.0, 0.0);
        CHECK_STR(last->detail, "ended");
    }
    free(r.rows);
}

/* Chat may use no site at all: all of its demand is dropped, D(t) at each
 * decision, in the action (drop 1, no share at either site) and in the
 * enforcement report alike; the drop row says why. */
static void drops_only_without_usable_site(void)
{
    run_out r;
    opts op = BASE;
    op.chat_nowhere = true;
    run_case(op, &r);
    double want = 0.0;
    for (int k = 1; k <= 95; k++)
        want += dcs_arrivals_rate(&CHAT_RATE, decided_at(k));
    CHECK_NEAR(r.dropped_rps, want, 1e-9);
    CHECK_NEAR(r.totals.dropped_rps, want, 1e-9);
    CHECK_ABS(r.totals.overload_rps, 0.0, 0.0);
    for (int k = 1; k < KMAX; k++)
        if (r.rec[0][k].got)
            CHECK_ABS(r.rec[0][k].share + r.rec[1][k].share, 0.0, 0.0);
    const dcs_event_log_row *first = find_row(&r, "drop", -1, 0);
    CHECK(first != NULL);
    if (first)
        CHECK(first->value > 0.0 && strstr(first->detail, "sovereignty") != NULL);
    free(r.rows);
}

/* power_cap with a 0.5 s target at the dirty site (no power limit there):
 * the fake site reports p99 = 0.2 / c for the cap c it applies at the
 * report (the newest action's), so the latency rule gives
 *   c' = c (1 - 0.5 (0.5 - 0.2 / c) / 0.5) = 0.5 c + 0.2,
 * which converges to c = 0.4, where p99 = 0.5 s = the target.  Decision k
 * sees action k-1's cap (applied at k P, when the report is written), the
 * initial action's for k = 1.  The initial action saw no p99 yet
 * (observed as 0): no evidence, so c = 1, and the caps are 0.7, 0.55,
 * 0.475, ...  The load moves by 2.5 req/s a period at most, far below a
 * fifth of the site's capacity, so the rule always has evidence after. */
static void power_cap_holds_latency_target(void)
{
    run_out r;
    opts op = BASE;
    op.latency_target_s = 0.5;
    run_case(op, &r);
    int n = 0;
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[1][k].got)
            continue;
        double before = k == 1 ? 1.0 : r.rec[1][k - 1].cap;
        CHECK_NEAR(r.rec[1][k].cap, 0.5 * before + 0.2, 1e-12);
        n++;
    }
    CHECK_INT(n, 94);
    CHECK_NEAR(r.rec[1][94].cap, 0.4, 1e-9);
    const dcs_event_log_row *cap = find_row(&r, "cap", 1, 0);
    CHECK(cap != NULL);
    if (cap) {
        CHECK_INT(cap->time, decided_at(1));
        CHECK_NEAR(cap->value, 0.7, 1e-12);
        CHECK_STR(cap->detail, "p99 0.20 s <= target 0.50 s");
    }
    free(r.rows);
}

/* consolidate (util_target 0.7, min_replicas 1, hold 600 s) after
 * geolocation.  Before 5 h demand is under 90 req/s, all of it at clean:
 * a clean replica serves 100 / 10 = 10 req/s, so clean keeps
 * ceil(D / 10 / 0.7) replicas, at most its 10 (demand rises all morning,
 * so none is held up) and dirty, with no load, keeps min_replicas = 1 (from the initial
 * action on: at t = 0 nothing ever needed more).  At the 12:07:30 peak
 * (D = 160.0 less 0.02) dirty carries D - 90 = 70.0 req/s at 10 req/s a
 * replica: ceil(7.0 / 0.7) = 10. */
static void consolidate_sizes_replicas(void)
{
    run_out r;
    opts op = BASE;
    op.consolidate = true;
    run_case(op, &r);
    for (int k = 1; k < KMAX; k++) {
        if (!r.rec[0][k].got || decided_at(k) >= 5 * DCS_HOUR)
            continue;
        double d = dcs_arrivals_rate(&CHAT_RATE, decided_at(k));
        CHECK_INT(r.rec[0][k].replicas, (int)fmin(10.0, ceil(d / 10.0 / 0.7 - 1e-9)));
        CHECK_INT(r.rec[1][k].replicas, 1);
    }
    int peak = (int)(12 * DCS_HOUR / P);   /* decision at 12:07:30 */
    CHECK_INT(r.rec[1][peak].replicas, 10);
    CHECK(find_row(&r, "replicas", 1, 0) != NULL);
    const dcs_event_log_row *row = find_row(&r, "replicas", 0, 0);
    CHECK(row && strstr(row->detail, "load needs") != NULL);
    free(r.rows);
}

/* Whether the controller LP accepts cc (a fresh engine each time: the
 * engine keeps an LP whose init failed, so the caller abandons it). */
static bool controller_accepts(const dcs_controller_config *cc)
{
    dcs_engine_config ec = {.seed = 1, .threads = 1, .end_time = END};
    dcs_engine *e = dcs_engine_new(&ec);
    CHECK(e != NULL);
    if (!e)
        return false;
    uint32_t id = dcs_engine_add_lp(e, &dcs_controller_lp_type, cc);
    dcs_controller_release(dcs_engine_lp_state(e, 0));
    dcs_engine_free(e);
    return id == 0;
}

/* A config the LP cannot run makes dcs_engine_add_lp fail. */
static void init_rejects_bad_config(void)
{
    static dcs_site_telemetry tele[NSITES][DCS_CONTROL_RING];
    uint32_t site_lp[NSITES] = {1, 2};
    static dcs_control_bus bus;
    static dcs_controller_config cc;
    dcs_work_config work = {.control_period = P, .nsites = NSITES};
    bus = (dcs_control_bus){.nsites = NSITES, .site_lp = site_lp, .tele = tele};
    memset(&cc, 0, sizeof cc);
    cc.work = &work;
    cc.bus = &bus;
    cc.base.nsites = NSITES;
    CHECK(controller_accepts(&cc));
    cc.base.nsites = 3;    /* not the bus's 2 */
    CHECK(!controller_accepts(&cc));
    cc.base.nsites = NSITES;
    cc.njobs = DCS_POLICY_MAX_JOBS + 1;
    CHECK(!controller_accepts(&cc));
    cc.njobs = 0;
    bus.tele = NULL;
    CHECK(!controller_accepts(&cc));
    bus.tele = tele;
    work.control_period = 0;
    CHECK(!controller_accepts(&cc));
}

int main(void)
{
    RUN(geolocation_fills_clean_site_to_fill_max);
    RUN(carbon_shift_pauses_then_runs);
    RUN(log_has_expected_rows);
    RUN(same_actions_with_1_and_2_threads);
    RUN(sovereignty_holds_in_a_run);
    RUN(least_loaded_reads_served);
    RUN(overload_logged_and_totalled);
    RUN(drops_only_without_usable_site);
    RUN(power_cap_holds_latency_target);
    RUN(consolidate_sizes_replicas);
    RUN(init_rejects_bad_config);
    return TEST_END();
}
