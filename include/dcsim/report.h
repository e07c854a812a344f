/*
 * report.h - `dcsim report DIR -o REPORT_DIR`: a self-contained HTML review
 * report of a sweep (docs/analysis.md).
 */
#ifndef DCSIM_REPORT_H
#define DCSIM_REPORT_H

#include <stdio.h>

/* Write text to out with & < > " ' replaced by HTML entities, so any string
 * from a trace or a file name is shown as text, never read as markup. */
void dcs_report_escape(FILE *out, const char *text);

#endif
