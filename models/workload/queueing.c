/*
 * queueing.c - Erlang B and C and the M/M/c mean wait (formulas in
 * include/dcsim/queueing.h; Kleinrock 1975, ch. 3).
 *
 * Erlang B uses the stable recursion B(k) = a B(k-1) / (k + a B(k-1)) rather
 * than a^c / c!, which overflows for c above ~170.
 */
#include "dcsim/queueing.h"

#include <math.h>

double dcs_erlang_b(int c, double a)
{
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
