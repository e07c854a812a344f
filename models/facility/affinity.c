/*
 * affinity.c - fan and pump affinity laws.
 *
 * P(n) = P_design * n^3 for speed ratio n (flow ∝ n at a fixed system
 * curve), so -10 % speed gives 0.9^3 = 0.729 (-27 %) of design power
 * (Emerson/Vertiv EC plug-fan note; FACTS.md section 3).  Below the minimum
 * speed the machine cycles, so power falls linearly with flow from
 * P(n_min).  Left out: static head (which makes real pump curves flatter),
 * motor and drive efficiency falling at low load.
 */
#include "dcsim/affinity.h"

double dcs_affinity_power_w(double design_w, double flow, double min_speed)
{
    if (!(flow > 0.0))
        return 0.0;
    if (flow > 1.0)
        flow = 1.0;
    if (flow >= min_speed)
        return design_w * flow * flow * flow;
    return design_w * min_speed * min_speed * min_speed * (flow / min_speed);
}
