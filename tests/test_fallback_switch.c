/*
 * test_fallback_switch.c - one replica switching to its fallback model and
 * back, step by step (models/site/site_work_fallback.c, docs/fallback.md).
 *
 * A small LP of this test hosts the site's workloads (site_work, the
 * internal interface the site LP uses) without the facility, switches
 * them with sw_fallback_set at set times, and looks at the replica every
 * 50 ms: so the test sees the drain, the dark reload and the serving
 * model directly.  One replica of Llama-3.1-70B on 4 H100 with
 * Llama-3.1-8B as fallback (numbers of tests/test_fallback.c), wake time
 * 20 s, Poisson load at half the 70B replica's capacity.
 */
#include <math.h>
#include <stdio.h>

#include "../models/site/site_work.h"
#include "harness.h"
#include "test_site_work_fixture.h"

enum { EV_PROBE = 90, EV_ON = 91, EV_OFF = 92 };

#define PROBE_NS (DCS_SECOND / 20)
#define NPROBE 4000
#define T_ON (60 * DCS_SECOND)
#define T_OFF (120 * DCS_SECOND)
#define WAKE_S 20.0

/* What the host LP runs: the site, and when it switches on and off. */
typedef struct host_cfg {
    const dcs_site_config *site;
    dcs_time on, off;
} host_cfg;

typedef struct probe {
    dcs_time t;
    bool fb, draining, awake;
    int running, queued_active, queued_other;
    double params;             /* of the model the replica serves (or drains) */
    uint64_t requests, fb_done;
} probe;

typedef struct host {
    site_work *w;
    probe p[NPROBE];
    int n;
    probe before_on, after_on, before_off, after_off;
} host;

static probe look(const site_work *w, dcs_time t)
{
    const sw_rep *r = &w->reps[0];
    return (probe){
        .t = t, .fb = r->fb, .draining = r->draining, .awake = dcs_replica_awake(r->r),
        .running = dcs_replica_running(r->r), .queued_active = dcs_replica_queued(r->r),
        .queued_other = dcs_replica_queued(r->alt),
        .params = dcs_replica_params(r->r)->model.params,
        .requests = w->stats[0].requests, .fb_done = w->stats[0].fallback};
}

static int host_init(dcs_lp *lp, void *state, const void *config)
{
    host *h = state;
    const host_cfg *hc = config;
    h->w = site_work_alloc(lp, hc->site);
    if (!h->w)
        return -1;
    dcs_lp_send(lp, dcs_lp_id(lp), PROBE_NS, EV_PROBE);
    dcs_lp_send(lp, dcs_lp_id(lp), hc->on, EV_ON);
    dcs_lp_send(lp, dcs_lp_id(lp), hc->off, EV_OFF);
    return 0;
}

static void host_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    host *h = state;
    dcs_time now = dcs_lp_now(lp);
    if (site_work_owns(ev->kind)) {
        site_work_handle(h->w, lp, ev);
    } else if (ev->kind == EV_PROBE) {
        if (h->n < NPROBE)
            h->p[h->n++] = look(h->w, now);
        dcs_lp_send(lp, dcs_lp_id(lp), PROBE_NS, EV_PROBE);
    } else {
        bool on = ev->kind == EV_ON;
        *(on ? &h->before_on : &h->before_off) = look(h->w, now);
        sw_fallback_set(h->w, lp, on, now);
        *(on ? &h->after_on : &h->after_off) = look(h->w, now);
    }
}

static void host_finish(dcs_lp *lp, void *state)
{
    host *h = state;
    site_work_finish(h->w, dcs_lp_end(lp));
}

static const dcs_lp_type host_type = {
    .name = "fallback-host",
    .state_size = sizeof(host),
    .rng_streams = SW_RNG_STREAMS,
    .init = host_init,
    .handle = host_handle,
    .finish = host_finish,
};

static dcs_serving_params on_four_h100(double params, double kv_bytes_per_token)
{
    dcs_serving_params p = fx_serving(32);
    p.model = (dcs_llm_model){params, params, 2.0, kv_bytes_per_token};
    p.gpus = 4;
    p.wake_s = WAKE_S;
    return p;
}

/* First probe at or after t whose `fb` is want (or -1). */
static int first_fb(const host *h, int from, bool want)
{
    for (int i = from; i < h->n; i++)
        if (h->p[i].fb == want)
            return i;
    return -1;
}

/* Run one 70B replica with its 8B fallback, switched on and off at the
 * given times, for `duration`; NULL (a failed check) if the run fails. */
static dcs_engine *run_host(fixture **fp, dcs_time duration, dcs_time on, dcs_time off)
{
    fixture *f = *fp = fx_new(1, 1, 1, 32, 1.0, duration);
    f->pool[0][0].serving = on_four_h100(70.6e9, 327680.0);
    f->pool[0][0].has_fallback = true;
    f->pool[0][0].fallback = on_four_h100(8.03e9, 131072.0);
    f->wl[0].rate.mean_rate = 0.5 * fx_capacity_rate(f);
    static host_cfg hc;
    hc = (host_cfg){&f->cfg[0], on, off};
    dcs_engine_config ec = {.seed = 7, .threads = 1, .end_time = duration};
    dcs_engine *e = dcs_engine_new(&ec);
    if (!e || dcs_engine_add_lp(e, &host_type, &hc) == DCS_LP_ANY
        || dcs_engine_run(e) != DCS_OK) {
        CHECK(false);
        dcs_engine_free(e);
        return NULL;
    }
    return e;
}

static void switch_and_back(void)
{
    fixture *f;
    dcs_engine *e = run_host(&f, 180 * DCS_SECOND, T_ON, T_OFF);
    if (!e) {
        free(f);
        return;
    }
    host *h = dcs_engine_lp_state(e, 0);
    /* At the switch a batch runs: the replica drains it with the 70B
     * model, its queue already moved to the 8B model's. */
    CHECK(!h->before_on.fb && h->before_on.running > 0);
    CHECK(h->after_on.draining && !h->after_on.fb);
    CHECK_INT(h->after_on.queued_active, 0);
    CHECK_INT(h->after_on.running, h->before_on.running);
    CHECK_NEAR(h->after_on.params, 70.6e9, 0);
    int on0 = (int)(T_ON / PROBE_NS) - 1;   /* probe index at T_ON */
    CHECK_INT(h->p[on0].t, T_ON);
    int sw = first_fb(h, on0, true);
    CHECK(sw > on0);
    if (sw <= on0)
        goto out;
    /* The drain: nothing admitted, the batch shrinks, then the swap
     * within a few seconds (a batch of short requests). */
    for (int i = on0 + 1; i < sw; i++) {
        CHECK(h->p[i].draining && h->p[i].queued_active == 0);
        CHECK(h->p[i].running <= h->p[i - 1].running);
    }
    CHECK(h->p[sw].t - T_ON < 10 * DCS_SECOND);
    /* The reload: dark for the wake time after the swap, which came in
     * (p[sw - 1].t, p[sw].t]; then awake with the 8B model. */
    dcs_time wake = (dcs_time)(WAKE_S * DCS_SECOND);
    int lit = -1;
    for (int i = sw; i < h->n && h->p[i].t < T_OFF; i++) {
        CHECK(h->p[i].fb && !h->p[i].draining);
        CHECK_NEAR(h->p[i].params, 8.03e9, 0);
        if (h->p[i].t < h->p[sw - 1].t + wake)
            CHECK(!h->p[i].awake && h->p[i].requests == h->p[sw].requests);
        if (h->p[i].t >= h->p[sw].t + wake)
            CHECK(h->p[i].awake);
        if (lit < 0 && h->p[i].awake)
            lit = i;
    }
    CHECK(lit > sw);
    if (lit <= sw)
        goto out;
    /* Requests waited through the reload, and the 8B model served them:
     * its queue is down again within 20 s. */
    CHECK(h->p[lit - 1].queued_active > 10);
    int later = lit + (int)(20 * DCS_SECOND / PROBE_NS);
    CHECK(later < h->n && h->p[later].queued_active < h->p[lit - 1].queued_active / 4);
    CHECK(h->p[later].fb_done > 0);
    /* Back: the 8B model drains, the 70B reloads for the wake time. */
    CHECK(h->after_off.draining && h->after_off.fb);
    int off0 = (int)(T_OFF / PROBE_NS) - 1;
    int back = first_fb(h, off0, false);
    CHECK(back > off0);
    if (back <= off0)
        goto out;
    for (int i = back; i < h->n && h->p[i].t < h->p[off0].t + wake; i++)
        CHECK(!h->p[i].awake && h->p[i].params == 70.6e9);
    /* Requests the 8B model completed: those between the two swaps (the
     * 70B model is dark for 20 s after each, so the probes just after
     * them see every completion of the model before). */
    CHECK(h->p[back].fb_done > 0);
    CHECK_INT(h->p[back].fb_done, h->p[back].requests - h->p[sw].requests);
    CHECK_INT(h->p[h->n - 1].fb_done, h->p[back].fb_done);
    CHECK_INT(h->w->fb_switches, 1);
    /* On the fallback from T_ON to T_OFF as asked. */
    CHECK_NEAR(h->w->fb_s, 60.0, 1e-12);
out:
    site_work_free(h->w);
    dcs_engine_free(e);
    free(f);
}

/* Asked back while still draining: nothing was unloaded, the replica
 * admits again with its own model and never goes dark. */
static void cancel_while_draining(void)
{
    fixture *f;
    dcs_time off = T_ON + DCS_SECOND / 1000;
    dcs_engine *e = run_host(&f, 90 * DCS_SECOND, T_ON, off);
    if (!e) {
        free(f);
        return;
    }
    host *h = dcs_engine_lp_state(e, 0);
    CHECK(h->before_on.running > 0);
    CHECK(h->before_off.draining && !h->before_off.fb);
    CHECK(!h->after_off.draining && !h->after_off.fb);
    /* The waiting requests are back with the 70B model. */
    CHECK_INT(h->after_off.queued_other, 0);
    CHECK_INT(h->after_off.queued_active, h->before_off.queued_other);
    for (int i = 0; i < h->n; i++) {
        bool asked = h->p[i].t >= T_ON && h->p[i].t < off;   /* draining there */
        CHECK(!h->p[i].fb && (asked || !h->p[i].draining) && h->p[i].awake
              && h->p[i].params == 70.6e9);
    }
    CHECK_INT(h->p[h->n - 1].fb_done, 0);
    site_work_free(h->w);
    dcs_engine_free(e);
    free(f);
}

int main(void)
{
    RUN(switch_and_back);
    RUN(cancel_while_draining);
    return TEST_END();
}
