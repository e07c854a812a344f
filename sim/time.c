/* time.c - conversions between floating-point seconds and dcs_time. */
#include "dcsim/time.h"

#include <math.h>

bool dcs_time_from_s(double seconds, dcs_time *out)
{
    if (!isfinite(seconds))
        return false;
    double ns = nearbyint(seconds * 1e9);
    /* 9.2e18 is just below INT64_MAX and exactly representable as a double,
     * so the comparison itself cannot round the bound up. */
    if (ns >= 9.2e18 || ns <= -9.2e18)
        return false;
    *out = (dcs_time)ns;
    return true;
}
