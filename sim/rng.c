/*
 * rng.c - injective seeding of per-(LP, purpose) random streams (rng.h).
 *
 * This is the one file that knows the layout of a GSL generator's state:
 * GSL's taus and taus2 keep three unsigned longs s1, s2, s3 of which the
 * recurrence uses bits 1..31, 3..31 and 4..31 (L'Ecuyer 1996, Math. Comp.
 * 65:203-213; GSL rng/taus.c).  The layout is checked against the type's
 * declared state size before it is written; any other generator type falls
 * back to gsl_rng_set.
 */
#include "dcsim/rng.h"

#include <assert.h>

typedef struct {
    unsigned long s1, s2, s3;
} taus_state;

/* Arbitrary odd constants that separate the two uses of the seed. */
#define SEED_SALT_1 UINT64_C(0x9e3779b97f4a7c15)
#define SEED_SALT_2 UINT64_C(0xd1b54a32d192ed03)

void dcs_rng_stream_seed(gsl_rng *r, uint64_t seed, uint32_t lp, unsigned purpose)
{
    assert(purpose < 65536u);
    uint64_t key = ((uint64_t)lp << 16) | purpose;
    uint64_t w1 = dcs_mix64(key ^ dcs_mix64(seed ^ SEED_SALT_1));
    uint64_t w2 = dcs_mix64(seed ^ SEED_SALT_2);
    if ((r->type == gsl_rng_taus2 || r->type == gsl_rng_taus) &&
        r->type->size == sizeof(taus_state)) {
        taus_state *s = gsl_rng_state(r);
        s->s1 = (unsigned long)((w1 & 0x7fffffffu) << 1);            /* 31 bits */
        s->s2 = (unsigned long)(((w1 >> 31) & 0x1fffffffu) << 3);    /* 29 bits */
        s->s3 = (unsigned long)((((w1 >> 60) & 0xfu) | ((w2 & 0xffffffu) << 4)) << 4);
        /* A component with no used bit set would stay zero for ever. */
        if (s->s1 < 2)
            s->s1 = 2;
        if (s->s2 < 8)
            s->s2 = 8;
        if (s->s3 < 16)
            s->s3 = 16;
        return;
    }
    unsigned long s = (unsigned long)((w1 ^ w2) & 0xffffffffu);
    gsl_rng_set(r, s ? s : 1);
}

gsl_rng *dcs_rng_stream_alloc(const gsl_rng_type *type, uint64_t seed, uint32_t lp,
                              unsigned purpose)
{
    gsl_rng *r = gsl_rng_alloc(type ? type : gsl_rng_taus2);
    if (r)
        dcs_rng_stream_seed(r, seed, lp, purpose);
    return r;
}
