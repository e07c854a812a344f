/* test_integrate.c - exact energy integration, periodic samplers, and time
 * overflow at the end of the clock. */
#include "dcsim/engine.h"
#include "dcsim/integrate.h"
#include "harness.h"

static void energy_hand_computed(void)
{
    /* 100 W from 0 to 1.5 s           = 150     J
     * 250.5 W from 1.5 s to 4 s       = 626.25  J   (250.5 * 2.5)
     * 0 W from 4 s on                 = 0       J
     * at 3 s: 150 + 250.5 * 1.5       = 525.75  J
     * at 10 s: 150 + 626.25           = 776.25  J
     * Every product is exact in binary at W*ns (1.5e11, 6.2625e11), so the
     * only rounding is the final * 1e-9. */
    dcs_energy e;
    dcs_energy_init(&e, 0, 100.0);
    CHECK_NEAR(dcs_energy_j(&e, 0), 0.0, 0);
    dcs_energy_set(&e, 1500 * DCS_MS, 250.5);
    CHECK_NEAR(dcs_energy_j(&e, 3 * DCS_SECOND), 525.75, 1e-15);
    dcs_energy_set(&e, 4 * DCS_SECOND, 0.0);
    CHECK_NEAR(dcs_energy_j(&e, 10 * DCS_SECOND), 776.25, 1e-15);
    CHECK_NEAR(e.peak_w, 250.5, 0);
    /* reading does not change the integrator */
    CHECK_NEAR(dcs_energy_j(&e, 10 * DCS_SECOND), 776.25, 1e-15);
    /* a change at the same instant as the last adds nothing */
    dcs_energy_set(&e, 4 * DCS_SECOND, 7.0);
    CHECK_NEAR(dcs_energy_j(&e, 4 * DCS_SECOND), 776.25, 1e-15);
}

static void energy_many_changes(void)
{
    /* A GPU switching between 700.25 W and 60 W every 1 ms for a year's
     * worth of half-hours (17,520 h) would be 6.3e10 changes; take 1e6
     * changes: 500,000 ms at 700.25 W and 500,000 ms at 60 W,
     * E = 500 s * (700.25 + 60) W = 380,125 J.  Starting the clock a year
     * in (3.15e16 ns) checks that large absolute times cost no precision:
     * only differences enter the sum. */
    dcs_time t0 = 365 * DCS_DAY;
    dcs_energy e;
    dcs_energy_init(&e, t0, 700.25);
    for (int i = 1; i <= 1000000; i++)
        dcs_energy_set(&e, t0 + i * DCS_MS, (i % 2) ? 60.0 : 700.25);
    CHECK_NEAR(dcs_energy_j(&e, t0 + 1000000 * DCS_MS), 380125.0, 1e-12);
}

/* ---- sampler through the engine ---- */

enum { K_SAMPLE = 9, MAX_SAMPLES = 16 };

typedef struct sampling_state {
    dcs_sampler s;
    dcs_time t0, period;
    int started;
    int n;
    dcs_time at[MAX_SAMPLES];
    uint64_t index[MAX_SAMPLES];
} sampling_state;

typedef struct sampling_config {
    dcs_time t0, period;
} sampling_config;

static int sampling_init(dcs_lp *lp, void *state, const void *config)
{
    sampling_state *st = state;
    const sampling_config *c = config;
    st->started = dcs_sampler_start(&st->s, lp, c->t0, c->period, K_SAMPLE);
    return 0;
}

static void sampling_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    sampling_state *st = state;
    if (ev->kind != K_SAMPLE || st->n >= MAX_SAMPLES)
        return;
    st->at[st->n] = dcs_lp_now(lp);
    st->index[st->n] = dcs_sampler_index(&st->s);
    st->n++;
    dcs_sampler_next(&st->s, lp);
}

static const dcs_lp_type sampling_type = {"sampling", sizeof(sampling_state), 0, sampling_init,
                                          sampling_handle, NULL};

static sampling_state run_sampler(dcs_time t0, dcs_time period, dcs_time end, int threads)
{
    dcs_engine_config cfg = {.seed = 1, .threads = threads, .end_time = end};
    dcs_engine *e = dcs_engine_new(&cfg);
    sampling_config c = {t0, period};
    dcs_engine_add_lp(e, &sampling_type, &c);
    dcs_engine_add_lp(e, &sampling_type, &c);
    dcs_engine_run(e);
    sampling_state st = *(sampling_state *)dcs_engine_lp_state(e, 1);
    dcs_engine_free(e);
    return st;
}

static void sampler_period(void)
{
    /* t0 = 1 s, period 2.5 s, run [0, 11 s): samples at 1, 3.5, 6, 8.5 s;
     * the next, 11 s, is at the end and is not taken. */
    sampling_state st = run_sampler(DCS_SECOND, 2500 * DCS_MS, 11 * DCS_SECOND, 1);
    CHECK(st.started);
    CHECK_INT(st.n, 4);
    CHECK_INT(st.at[0], 1000 * DCS_MS);
    CHECK_INT(st.at[1], 3500 * DCS_MS);
    CHECK_INT(st.at[2], 6000 * DCS_MS);
    CHECK_INT(st.at[3], 8500 * DCS_MS);
    CHECK_INT(st.index[3], 3);
    /* same samples with 2 threads (no channels declared: no windows) */
    sampling_state two = run_sampler(DCS_SECOND, 2500 * DCS_MS, 11 * DCS_SECOND, 2);
    CHECK_INT(two.n, 4);
    CHECK_INT(two.at[3], 8500 * DCS_MS);
    /* a period of 1/3 s that is not a whole number of ns does not drift:
     * sample k is at exactly k * 333,333,333 ns; before 4.9 s that is
     * k = 0..14 (14 * 333,333,333 = 4,666,666,662; k = 15 gives
     * 4,999,999,995), 15 samples */
    sampling_state third = run_sampler(0, 333333333, 4900 * DCS_MS, 1);
    CHECK_INT(third.n, 15);
    CHECK_INT(third.at[14], 14 * INT64_C(333333333));
}

static void sampler_refuses_bad_input(void)
{
    CHECK(!run_sampler(DCS_SECOND, 0, 10 * DCS_SECOND, 1).started);
    CHECK(!run_sampler(DCS_SECOND, -5, 10 * DCS_SECOND, 1).started);
    CHECK(!run_sampler(-1, DCS_SECOND, 10 * DCS_SECOND, 1).started);   /* in the past */
}

static void time_overflow_at_end_of_clock(void)
{
    /* A run to the end of the clock: samples at MAX - 10 s and MAX - 4 s;
     * the next, MAX + 2 s, would overflow int64, so the sampler stops
     * instead of wrapping to a negative time. */
    dcs_time t0 = DCS_TIME_MAX - 10 * DCS_SECOND;
    sampling_state st = run_sampler(t0, 6 * DCS_SECOND, DCS_TIME_MAX, 1);
    CHECK_INT(st.n, 2);
    CHECK_INT(st.at[1], DCS_TIME_MAX - 4 * DCS_SECOND);
    /* the checked helpers the engine uses */
    dcs_time t;
    CHECK(!dcs_time_add(DCS_TIME_MAX - 4 * DCS_SECOND, 6 * DCS_SECOND, &t));
    CHECK(!dcs_time_mul(6 * DCS_SECOND, INT64_C(2000000000), &t));
    CHECK_INT(dcs_time_add_sat(INT64_MIN, -1), INT64_MIN);
    CHECK_INT(dcs_time_add_sat(DCS_TIME_MAX - 1, DCS_SECOND), DCS_TIME_MAX);
}

int main(void)
{
    RUN(energy_hand_computed);
    RUN(energy_many_changes);
    RUN(sampler_period);
    RUN(sampler_refuses_bad_input);
    RUN(time_overflow_at_end_of_clock);
    return TEST_END();
}
