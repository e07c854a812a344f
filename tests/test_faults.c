/*
 * test_faults.c - the pure parts of fault injection (fault.h): UPS
 * ride-through, generator fuel and CO2, the renewal process of random
 * faults, and the tracker that turns a site's windows into its state.
 */
#include <math.h>
#include <stdlib.h>

#include "dcsim/fault.h"
#include "dcsim/rng.h"
#include "dcsim/scenario.h"
#include "harness.h"

/* A 1 MW (design IT) site with the default 5 min autonomy stores
 * 1e6 W x 300 s = 3e8 J.  At a facility load of 600 kW it runs
 * 3e8 / 6e5 = 500 s; the generator starts after 10 s (NFPA 110 Type 10),
 * well within, so the UPS carries 10 s and the generator the rest. */
static void ups_runtime(void)
{
    dcs_backup_params b;
    dcs_backup_defaults(&b, 1e6, 0);
    CHECK_NEAR(b.ups_energy_j, 3e8, 1e-15);
    CHECK_NEAR(dcs_ups_runtime_s(b.ups_energy_j, 6e5), 500.0, 1e-15);
    CHECK(isinf(dcs_ups_runtime_s(b.ups_energy_j, 0)));
    dcs_backup_plan p;
    dcs_backup_plan_for(&b, 6e5, false, &p);
    CHECK(p.generator);
    CHECK_NEAR(p.ups_s, 10.0, 1e-15);
    CHECK(isinf(p.dark_after_s));
    /* The generator fails: the batteries run their 500 s, then dark. */
    dcs_backup_plan_for(&b, 6e5, true, &p);
    CHECK(!p.generator);
    CHECK_NEAR(p.ups_s, 500.0, 1e-15);
    CHECK_NEAR(p.dark_after_s, 500.0, 1e-15);
    /* A load of 40 MW empties 3e8 J in 7.5 s, before the 10 s start. */
    dcs_backup_plan_for(&b, 4e7, false, &p);
    CHECK(!p.generator);
    CHECK_NEAR(p.dark_after_s, 7.5, 1e-15);
    /* A 2 min autonomy at 1 MW: 1.2e8 J. */
    dcs_backup_defaults(&b, 1e6, 120);
    CHECK_NEAR(b.ups_energy_j, 1.2e8, 1e-15);
}

/* 1 MWh generated = 1000 kWh x 0.27 l/kWh = 270 l of diesel;
 * 270 l x (10.21 kg / 3.785411784 l) = 728.25 kg CO2. */
static void generator_fuel(void)
{
    dcs_backup_params b;
    dcs_backup_defaults(&b, 1e6, 0);
    double l = dcs_generator_fuel_l(&b, 3.6e9);
    CHECK_NEAR(l, 270.0, 1e-12);
    CHECK_NEAR(dcs_diesel_co2_kg(&b, l), 270.0 * 10.21 / 3.785411784, 1e-12);
    CHECK_NEAR(dcs_diesel_co2_kg(&b, l), 728.25, 1e-4);
}

/* MTBF 1000 h, fixed MTTR 10 h over 1e6 h: cycles of mean 1010 h, so
 * about 1e6 / 1010 = 990.1 failures.  The count of a renewal process has
 * variance about T sigma^2 / mu^3 = 1e6 x 1000^2 / 1010^3 = 970.6
 * (sd 31.2): within 4 sd, 125.  Down time is 10 h per failure exactly;
 * windows are ordered and never overlap. */
static void renewal_count(void)
{
    gsl_rng *r = dcs_rng_stream_alloc(NULL, 42, 7, 1);
    CHECK(r != NULL);
    if (!r)
        return;
    dcs_fault_list l = {0};
    dcs_fault_window proto = {.kind = DCS_FAULT_NODE_FAILURE, .fraction = 0.01, .region = -1};
    dcs_time horizon = 1000000 * DCS_HOUR;
    size_t n = dcs_fault_renewal(r, &proto, 1000 * 3600.0, 10 * 3600.0, DCS_REPAIR_FIXED,
                                 horizon, &l);
    CHECK_INT(n, l.n);
    CHECK(fabs((double)n - 990.1) < 125);
    int ordered = 1;
    for (size_t i = 0; i < l.n; i++) {
        ordered &= l.w[i].end - l.w[i].at == 10 * DCS_HOUR;
        ordered &= i == 0 || l.w[i].at > l.w[i - 1].end;
        ordered &= l.w[i].at < horizon && l.w[i].fraction == 0.01;
    }
    CHECK(ordered);
    /* Exponential repairs: mean down time within 4 sd (10 h / sqrt(n)). */
    dcs_fault_list e = {0};
    size_t ne = dcs_fault_renewal(r, &proto, 1000 * 3600.0, 10 * 3600.0,
                                  DCS_REPAIR_EXPONENTIAL, horizon, &e);
    double down = 0;
    for (size_t i = 0; i < e.n; i++)
        down += dcs_time_to_s(e.w[i].end - e.w[i].at) / 3600.0;
    CHECK(ne > 800);
    CHECK(fabs(down / (double)ne - 10.0) < 4 * 10.0 / sqrt((double)ne));
    /* No rate, no faults. */
    CHECK_INT(dcs_fault_renewal(r, &proto, 0, 10, DCS_REPAIR_FIXED, horizon, &e), 0);
    dcs_fault_list_free(&l);
    dcs_fault_list_free(&e);
    gsl_rng_free(r);
}

/* The same stream gives the same windows (what makes random faults the
 * same for any thread count: model_build.c draws them before the run). */
static void renewal_repeatable(void)
{
    gsl_rng *a = dcs_rng_stream_alloc(NULL, 9, 3, 2), *b = dcs_rng_stream_alloc(NULL, 9, 3, 2);
    dcs_fault_list la = {0}, lb = {0};
    dcs_fault_window proto = {.kind = DCS_FAULT_SITE_OUTAGE, .region = -1};
    dcs_fault_renewal(a, &proto, 3600.0, 60.0, DCS_REPAIR_EXPONENTIAL, 1000 * DCS_HOUR, &la);
    dcs_fault_renewal(b, &proto, 3600.0, 60.0, DCS_REPAIR_EXPONENTIAL, 1000 * DCS_HOUR, &lb);
    CHECK_INT(la.n, lb.n);
    int same = la.n == lb.n && la.n > 0;
    for (size_t i = 0; same && i < la.n; i++)
        same = la.w[i].at == lb.w[i].at && la.w[i].end == lb.w[i].end;
    CHECK(same);
    dcs_fault_list_free(&la);
    dcs_fault_list_free(&lb);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

#define S DCS_SECOND

/* Windows (s): node failures 0.1 over [0, 30) and 0.05 over [12, 18);
 * partition of region 2 over [5, 15) with failover off; outage [10, 20);
 * a chiller trip (left to the cooling loop) at 1; a utility loss at 40
 * for 100 s whose generator starts after 10 s. */
static void tracker_states(void)
{
    dcs_fault_list l = {0};
    dcs_fault_window w[] = {
        {.at = 0, .end = 30 * S, .kind = DCS_FAULT_NODE_FAILURE, .fraction = 0.1, .region = -1},
        {.at = 1 * S, .end = 2 * S, .kind = DCS_FAULT_CHILLER_TRIP, .region = -1},
        {.at = 5 * S, .end = 15 * S, .kind = DCS_FAULT_NETWORK_PARTITION, .region = 2},
        {.at = 10 * S, .end = 20 * S, .kind = DCS_FAULT_SITE_OUTAGE, .region = -1,
         .failover = true},
        {.at = 12 * S, .end = 18 * S, .kind = DCS_FAULT_NODE_FAILURE, .fraction = 0.05,
         .region = -1},
        {.at = 40 * S, .end = 140 * S, .kind = DCS_FAULT_UTILITY_LOSS, .region = -1,
         .failover = true},
    };
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        dcs_fault_list_push(&l, &w[i]);
    dcs_fault_list_sort(&l);
    dcs_backup_params b;
    dcs_backup_defaults(&b, 1e6, 0);  /* 3e8 J: 300 s at 1 MW, start 10 s */
    dcs_fault_tracker tr;
    CHECK_INT(dcs_fault_tracker_init(&tr, l.w, l.n, &b), 0);
    dcs_fault_now f;
    CHECK(dcs_fault_tracker_advance(&tr, 0, 1e6, &f));
    CHECK_NEAR(f.gpus_out, 0.1, 1e-15);
    CHECK(!f.dark);
    CHECK_INT(dcs_fault_tracker_next(&tr), 5 * S);   /* the trip at 1 s is not tracked */
    CHECK(dcs_fault_tracker_advance(&tr, 5 * S, 1e6, &f));
    CHECK(f.cut[2] && !f.cut_reported[2] && !f.cut[1]);
    CHECK(dcs_fault_tracker_advance(&tr, 10 * S, 1e6, &f));
    CHECK(f.dark && f.dark_reported);
    CHECK(dcs_fault_tracker_advance(&tr, 12 * S, 1e6, &f));
    CHECK_NEAR(f.gpus_out, 0.15, 1e-12);
    CHECK_INT(f.active, 4);
    CHECK(dcs_fault_tracker_advance(&tr, 15 * S, 1e6, &f));
    CHECK(!f.cut[2]);
    CHECK_INT(dcs_fault_tracker_next(&tr), 18 * S);
    CHECK(dcs_fault_tracker_advance(&tr, 20 * S, 1e6, &f));   /* 18 and 20 at once */
    CHECK(!f.dark);
    CHECK_NEAR(f.gpus_out, 0.1, 1e-12);
    CHECK(!dcs_fault_tracker_advance(&tr, 25 * S, 1e6, &f));  /* nothing due */
    CHECK(dcs_fault_tracker_advance(&tr, 30 * S, 1e6, &f));
    CHECK_INT(f.active, 0);
    CHECK_INT(dcs_fault_tracker_next(&tr), 40 * S);
    /* Utility loss at 1 MW: UPS for 10 s, then the generator. */
    CHECK(dcs_fault_tracker_advance(&tr, 40 * S, 1e6, &f));
    CHECK(f.on_ups && !f.on_generator && !f.dark);
    CHECK_INT(dcs_fault_tracker_next(&tr), 50 * S);
    CHECK(dcs_fault_tracker_advance(&tr, 50 * S, 1e6, &f));
    CHECK(!f.on_ups && f.on_generator);
    CHECK_INT(dcs_fault_tracker_next(&tr), 140 * S);
    CHECK(dcs_fault_tracker_advance(&tr, 140 * S, 1e6, &f));
    CHECK(!f.on_generator && f.active == 0);
    CHECK_INT(dcs_fault_tracker_next(&tr), DCS_TIME_MAX);
    dcs_fault_tracker_free(&tr);
    dcs_fault_list_free(&l);
}

/* A utility loss of 400 s whose generator fails, at 2 MW: 3e8 J / 2e6 W
 * = 150 s on batteries, then dark from 150 s until the grid returns at
 * 400 s. */
static void tracker_generator_fails(void)
{
    dcs_fault_window w = {.at = 0, .end = 400 * S, .kind = DCS_FAULT_UTILITY_LOSS,
                          .region = -1, .generator_fails = true, .failover = false};
    dcs_backup_params b;
    dcs_backup_defaults(&b, 1e6, 0);
    dcs_fault_tracker tr;
    CHECK_INT(dcs_fault_tracker_init(&tr, &w, 1, &b), 0);
    dcs_fault_now f;
    dcs_fault_tracker_advance(&tr, 0, 2e6, &f);
    CHECK(f.on_ups && !f.dark);
    CHECK_INT(dcs_fault_tracker_next(&tr), 150 * S);
    CHECK(dcs_fault_tracker_advance(&tr, 150 * S, 0, &f));
    CHECK(f.dark && !f.dark_reported && !f.on_ups);
    CHECK_INT(dcs_fault_tracker_next(&tr), 400 * S);
    dcs_fault_tracker_advance(&tr, 400 * S, 0, &f);
    CHECK(!f.dark);
    dcs_fault_tracker_free(&tr);
}

int main(void)
{
    RUN(ups_runtime);
    RUN(generator_fuel);
    RUN(renewal_count);
    RUN(renewal_repeatable);
    RUN(tracker_states);
    RUN(tracker_generator_fails);
    return TEST_END();
}
