/*
 * harness.h - dcsim's in-house test harness.
 *
 * A test file defines its cases as static functions and calls them through
 * RUN(case) from main(), which returns TEST_END().  Every check prints the
 * expression and both values when it fails and counts as one pass or one
 * failure; TEST_END() prints the closing "N passed, N failed" line and turns
 * the count into the exit code (0 all passed, 1 any failed).  TEST_SKIP()
 * exits 77, which CTest reports as skipped (used by `realdata` tests when
 * ../shared/data is absent).
 */
#ifndef DCSIM_TESTS_HARNESS_H
#define DCSIM_TESTS_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed_;
static int test_failed_;

static inline void test_count_(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        test_passed_++;
    } else {
        test_failed_++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    }
}

#define CHECK(cond) test_count_((cond) != 0, __FILE__, __LINE__, #cond)

/* |got - want| <= rel * max(|want|, tiny) ; prints both values. */
#define CHECK_NEAR(got, want, rel) do {                                        \
        double g_ = (double)(got), w_ = (double)(want), r_ = (double)(rel);    \
        double s_ = fabs(w_) > 1e-300 ? fabs(w_) : 1e-300;                     \
        int ok_ = fabs(g_ - w_) <= r_ * s_;                                    \
        test_count_(ok_, __FILE__, __LINE__, #got " ~ " #want);                \
        if (!ok_) fprintf(stderr, "    got %.17g, want %.17g (rel tol %g)\n",   \
                          g_, w_, r_);                                         \
    } while (0)

/* |got - want| <= abs ; for values near zero. */
#define CHECK_ABS(got, want, tol) do {                                         \
        double g_ = (double)(got), w_ = (double)(want), t_ = (double)(tol);    \
        int ok_ = fabs(g_ - w_) <= t_;                                         \
        test_count_(ok_, __FILE__, __LINE__, #got " ~ " #want);                \
        if (!ok_) fprintf(stderr, "    got %.17g, want %.17g (abs tol %g)\n",   \
                          g_, w_, t_);                                         \
    } while (0)

#define CHECK_INT(got, want) do {                                              \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        test_count_(g_ == w_, __FILE__, __LINE__, #got " == " #want);          \
        if (g_ != w_) fprintf(stderr, "    got %lld, want %lld\n", g_, w_);    \
    } while (0)

#define CHECK_STR(got, want) do {                                              \
        const char *g_ = (got), *w_ = (want);                                  \
        int ok_ = g_ && w_ && strcmp(g_, w_) == 0;                             \
        test_count_(ok_, __FILE__, __LINE__, #got " == " #want);               \
        if (!ok_) fprintf(stderr, "    got \"%s\"\n    want \"%s\"\n",         \
                          g_ ? g_ : "(null)", w_ ? w_ : "(null)");             \
    } while (0)

#define RUN(fn) do { fprintf(stderr, "-- %s\n", #fn); fn(); } while (0)

#define TEST_SKIP(why) do {                                                    \
        printf("skipped: %s\n", (why)); exit(77);                               \
    } while (0)

#define TEST_END() (printf("%d passed, %d failed\n", test_passed_, test_failed_), \
                    test_failed_ ? 1 : 0)

#endif
