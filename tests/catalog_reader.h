/* catalog_reader.h - reads numbers out of the catalogs' fixed YAML shape for
 * tests (the scenario loader is the real YAML reader; tests only need to
 * look values up). */
#ifndef DCSIM_TESTS_CATALOG_READER_H
#define DCSIM_TESTS_CATALOG_READER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A minimal reader for the catalog's fixed shape: "  name:" opens an entry;
 * "    key: [a, b, ...]" or "    key: value" inside it.  Reads the numbers
 * of key under site into v (up to max); returns how many, -1 if the file
 * cannot be opened. */
static int catalog_numbers(const char *path, const char *site, const char *key, double *v,
                           int max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[1024], want_site[128], want_key[128];
    snprintf(want_site, sizeof want_site, "  %s:", site);
    snprintf(want_key, sizeof want_key, "    %s:", key);
    int in_site = 0, n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n#")] = '\0';
        if (strncmp(line, "  ", 2) == 0 && line[2] != ' ')
            in_site = strcmp(line, want_site) == 0;
        if (!in_site || strncmp(line, want_key, strlen(want_key)) != 0)
            continue;
        char *p = line + strlen(want_key);
        while (*p && n < max) {
            while (*p == ' ' || *p == '[' || *p == ',')
                p++;
            char *end;
            double x = strtod(p, &end);
            if (end == p)
                break;
            v[n++] = x;
            p = end;
        }
        break;
    }
    fclose(f);
    return n;
}

#endif
