/*
 * dispatch.c - round-robin and least-loaded replica choice inside a site,
 * and the small-model-first cascade (contract in include/dcsim/dispatch.h).
 *
 * Least-loaded counts outstanding requests, not tokens: it is what an L7
 * load balancer in front of serving engines sees (open requests per
 * backend).  A token-weighted load would balance long prompts better; it
 * is left out.
 */
#include "dcsim/dispatch.h"

#include <string.h>

bool dcs_dispatch_from_name(const char *name, dcs_dispatch *out)
{
    if (strcmp(name, "round_robin") == 0)
        *out = (dcs_dispatch){DCS_DISPATCH_ROUND_ROBIN, 0};
    else if (strcmp(name, "least_loaded") == 0)
        *out = (dcs_dispatch){DCS_DISPATCH_LEAST_LOADED, 0};
    else
        return false;
    return true;
}

int dcs_dispatch_pick(dcs_dispatch *d, dcs_replica *const *reps, int n)
{
    if (n < 1)
        return -1;
    /* Awake beats asleep; then lower load; then cursor order.  The cursor
     * may lie beyond a pool that shrank since the last pick. */
    int first = d->cursor < n ? d->cursor : d->cursor % n;
    int best = dcs_replica_scan_least(reps, n, first,
                                      d->kind == DCS_DISPATCH_LEAST_LOADED);
    d->cursor = best + 1 < n ? best + 1 : 0;
    return best;
}

bool dcs_cascade_escalate(const dcs_cascade *c, gsl_rng *rng)
{
    return gsl_rng_uniform(rng) >= c->small_share;
}

dcs_request_done dcs_cascade_combine(const dcs_request_done *small,
                                     const dcs_request_done *large)
{
    dcs_request_done r = *large;
    r.id = small->id;
    r.tag = small->tag;
    r.prompt_tokens = small->prompt_tokens;
    r.queue_s = small->queue_s + large->queue_s;
    r.ttft_s = small->e2e_s + large->ttft_s;
    r.e2e_s = small->e2e_s + large->e2e_s;
    return r;
}
