/*
 * rng.h - random streams per (LP, purpose), seeded injectively from the run
 * seed.
 *
 * GSL's gsl_rng_set keeps only 32 bits of a seed (and treats 0 as "use the
 * default"), so distinct LPs seeded with gsl_rng_set(seed + lp) would share
 * streams once there are more than a few tens of thousands of them (birthday
 * bound) and streams of different runs would overlap.  Instead, for the
 * default generator taus2 (L'Ecuyer 1996 / 1999, "Tables of maximally
 * equidistributed combined LFSR generators", three 32-bit words, 88 bits of
 * state) dcsim writes the state directly:
 *
 *   k  = (lp << 16) | purpose                        48 bits, injective
 *   w1 = mix64(k ^ mix64(seed ^ C1))                 64 bits
 *   w2 = mix64(seed ^ C2)
 *   s1 = bits 0..30 of w1 in bits 1..31  (taus2 ignores bit 0 of s1)
 *   s2 = bits 31..59 of w1 in bits 3..31 (ignores bits 0..2)
 *   s3 = bits 60..63 of w1 and 24 bits of w2 in bits 4..31 (ignores 0..3)
 *
 * mix64 is splitmix64's finaliser (Steele, Lea, Flood 2014), a bijection of
 * 64-bit integers, so for a given seed distinct (lp, purpose) pairs get
 * distinct w1, every bit of which reaches the state: the streams of one run
 * start from distinct states.  Runs with different seeds differ in w1 and in
 * 24 further bits.  A component whose used bits would all be zero (which
 * would lock it at zero; probability 2^-28 per stream) is set to its smallest
 * valid value, which alone could merge two streams.
 *
 * Other generator types (if a caller picks one) are seeded with
 * gsl_rng_set(32 bits of w1 ^ w2, nonzero), which is not injective.
 */
#ifndef DCSIM_RNG_H
#define DCSIM_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* splitmix64's finaliser: a bijection on 64-bit integers. */
static inline uint64_t dcs_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

/* Seed r as the stream (seed, lp, purpose) as described above.
 * purpose must be below 65536. */
void dcs_rng_stream_seed(gsl_rng *r, uint64_t seed, uint32_t lp, unsigned purpose);

/* A new generator of type (NULL: gsl_rng_taus2) seeded as the stream
 * (seed, lp, purpose); NULL if memory is exhausted.  Free with gsl_rng_free. */
gsl_rng *dcs_rng_stream_alloc(const gsl_rng_type *type, uint64_t seed, uint32_t lp,
                              unsigned purpose);

#endif
