/*
 * fuzz_common.h - helpers shared by dcsim's libFuzzer harnesses (fuzz/) and
 * by the regression tests that replay their crash inputs (tests/test_fuzz_*).
 *
 * A harness defines FUZZ_ENTRY (LLVMFuzzerTestOneInput unless the includer
 * renamed it) and calls only dcsim's public API.  Importers that take a path
 * get the input through a per-process temporary file.  fuzz_require() turns a
 * broken contract (e.g. an error status with no diagnostic) into an abort, so
 * the fuzzer reports it like a crash.
 */
#ifndef DCSIM_FUZZ_COMMON_H
#define DCSIM_FUZZ_COMMON_H

/* getpid(), unlink() */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

int FUZZ_ENTRY(const uint8_t *data, size_t size);

/* Abort with the condition when a harness invariant fails. */
#define fuzz_require(cond) do {                                                  \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__,      \
                    __LINE__, #cond);                                            \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* A temporary path unique to this process, ending in suffix (".yaml",
 * ".csv"...), written into buf. */
static inline const char *fuzz_tmp_path(char *buf, size_t size, const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, size, "%s/dcsim-fuzz-%ld%s", dir && dir[0] ? dir : "/tmp",
             (long)getpid(), suffix);
    return buf;
}

/* Write size bytes to path; aborts if the file cannot be written (a harness
 * problem, not a finding). */
static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        fprintf(stderr, "fuzz: cannot write %s\n", path);
        abort();
    }
}

/* A NUL-terminated malloc'ed copy of the input (for text APIs). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
