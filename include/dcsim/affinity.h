/*
 * affinity.h - fan and pump affinity laws.
 *
 * At fixed system curve, flow Q ∝ speed n, head ∝ n^2 and shaft power ∝ n^3
 * (Emerson/Vertiv EC plug-fan note, FACTS.md section 3: -10 % speed gives
 * -27 % power).  Below a minimum speed the machine cycles on and off, so
 * power falls linearly with the demanded flow from P(n_min).  Static head and
 * motor/drive efficiency changes at low speed are left out.
 */
#ifndef DCSIM_AFFINITY_H
#define DCSIM_AFFINITY_H

/* Power (W) of a fan or pump of design power design_w (W at speed 1) run to
 * deliver flow ratio flow (0..1 of design; above 1 is clamped to 1) with
 * minimum continuous speed min_speed (0..1): design_w * flow^3 for flow >=
 * min_speed, design_w * min_speed^3 * flow / min_speed below it. */
double dcs_affinity_power_w(double design_w, double flow, double min_speed);

#endif
