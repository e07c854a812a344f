/*
 * report_html.c - HTML escaping for `dcsim report`.  Every string that comes
 * from a trace, a scenario or a file name goes through it.
 */
#include "dcsim/report.h"

void dcs_report_escape(FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*c, out);
        }
    }
}
