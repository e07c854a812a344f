/*
 * cli_util.h - small file helpers for tests that drive the dcsim binary or
 * inspect what it wrote (include after harness.h, with _POSIX_C_SOURCE set).
 */
#ifndef DCSIM_TESTS_CLI_UTIL_H
#define DCSIM_TESTS_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

/* The file at path into buf (NUL-terminated, at most size - 1 bytes); an
 * unreadable file gives "". */
static inline void read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
}

/* Whether anything exists at path. */
static inline bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

#endif
