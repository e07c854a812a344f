/*
 * test_report.c - dcs_report_escape: markup characters in a string become
 * entities, written out by hand below; other bytes pass unchanged.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include "dcsim/report.h"

#include <stdlib.h>

static void escapes_markup(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(f != NULL);
    if (!f)
        return;
    dcs_report_escape(f, "<b a=\"x\">R&D's °C</b>");
    fclose(f);
    CHECK_STR(buf, "&lt;b a=&quot;x&quot;&gt;R&amp;D&#39;s °C&lt;/b&gt;");
    free(buf);
}

int main(void)
{
    RUN(escapes_markup);
    return TEST_END();
}
