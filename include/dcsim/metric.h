/*
 * metric.h - one row of a summary table: a DESIGN.md section 8 name (or an
 * added one), its value and unit.  name and unit are static strings.
 */
#ifndef DCSIM_METRIC_H
#define DCSIM_METRIC_H

typedef struct dcs_metric {
    const char *name;
    double value;
    const char *unit;
} dcs_metric;

#endif
