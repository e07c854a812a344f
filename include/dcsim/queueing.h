/*
 * queueing.h - closed-form queueing results used to check the detailed
 * serving model and as the waiting-time part of the fluid model.
 *
 * Offered load a = lambda / mu (erlangs) on c servers:
 *   Erlang B  B(c, a) = (a^c / c!) / sum_{k=0..c} a^k / k!
 *             by the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))
 *   Erlang C  C(c, a) = c B / (c - a (1 - B))   for a < c
 *   M/M/c mean wait in queue  Wq = C(c, a) / (c mu - lambda)
 * (Kleinrock, Queueing Systems vol. 1, 1975, ch. 3).
 */
#ifndef DCSIM_QUEUEING_H
#define DCSIM_QUEUEING_H

/* Blocking probability of M/M/c/c; c >= 0, a >= 0. */
double dcs_erlang_b(int c, double a);

/* Probability of waiting in M/M/c; 1 when a >= c. */
double dcs_erlang_c(int c, double a);

/* Mean time in queue of M/M/c, seconds; +inf when lambda >= c mu. */
double dcs_mmc_wait_s(double lambda, double mu, int c);

#endif
