/*
 * fuzz_replay.h - replay saved fuzz inputs through a harness's entry point
 * (tests/test_fuzz_*.c).  A test includes the harness source from fuzz/
 * with FUZZ_ENTRY renamed, then calls fuzz_replay_dir() on the folders that
 * hold its inputs: tests/fixtures/fuzz/NAME (every crash the fuzzer found,
 * kept as a regression) and fuzz/corpus/NAME (the committed seeds).  An
 * input that still crashes aborts the test (and ASan reports it in the
 * sanitizer build); the harness's own invariants run as well.
 */
#ifndef DCSIM_TESTS_FUZZ_REPLAY_H
#define DCSIM_TESTS_FUZZ_REPLAY_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Read the whole file at path into a malloc'ed buffer; NULL on failure. */
static uint8_t *fuzz_replay_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *size = n;
    return buf;
}

/* Feed every regular file of dir (not its subfolders) (a missing dir counts as empty) to entry,
 * in name order so that a failure is reproducible; returns how many. */
static int fuzz_replay_dir(const char *dir, int (*entry)(const uint8_t *, size_t))
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return 0;
    int count = 0;
    for (int i = 0; i < n; i++) {
        char path[1024];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            size_t size = 0;
            uint8_t *data = fuzz_replay_read(path, &size);
            if (data) {
                fprintf(stderr, "   replay %s (%zu bytes)\n", path, size);
                entry(data, size);
                free(data);
                count++;
            }
        }
        free(names[i]);
    }
    free(names);
    return count;
}

#endif
