/*
 * queueing.c - Erlang B and C and the M/M/c mean wait (formulas in
 * include/dcsim/queueing.h; Kleinrock 1975, ch. 3).
 *
 * Erlang B uses the stable recursion B(k) = a B(k-1) / (k + a B(k-1)) rather
 * than a^c / c!, which overflows for c above ~170.  The recursion costs c
 * steps; for large c (pools of hundreds of replicas, evaluated every control
 * period by the fluid model) B is taken from the Poisson law instead,
 * B(c, a) = P(N = c) / P(N <= c) with N ~ Poisson(a), through GSL's Poisson
 * density and its CDF (an incomplete gamma function), which costs about the
 * same for any c.  tests/test_queueing.c checks the two agree.
 */
#include "dcsim/queueing.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

/* Above this many servers the Poisson form is used. */
#define ERLANG_RECURSION_MAX 64

double dcs_erlang_b(int c, double a)
{
    if (c > ERLANG_RECURSION_MAX && a > 0.0) {
        double cdf = gsl_cdf_poisson_P((unsigned)c, a);
        if (cdf > 0.0)
            return gsl_ran_poisson_pdf((unsigned)c, a) / cdf;
    }
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    return b;
}

double dcs_erlang_c(int c, double a)
{
    if (a >= (double)c)
        return 1.0;
    double b = dcs_erlang_b(c, a);
    return (double)c * b / ((double)c - a * (1.0 - b));
}

double dcs_mmc_wait_s(double lambda, double mu, int c)
{
    if (lambda >= (double)c * mu)
        return HUGE_VAL;
    return dcs_erlang_c(c, lambda / mu) / ((double)c * mu - lambda);
}
