/*
 * test_scenario_bad.c - the bad-input corpus: every file in tests/bad/ is a
 * distinct mistake and carries the exact first message line dcsim must print
 * for it, in a comment:
 *     # expect: bad/unit_missing.yaml:5:18: power_limit: '30' needs a unit ...
 *     # set: KEY.PATH=VALUE      (optional, repeated: --set overrides to apply)
 * A file that cannot hold a comment (binary garbage) keeps its expectation in
 * a side file NAME.expect.  Files in tests/bad/inc/ are only included by
 * others.  The test also runs `dcsim validate` on one of them through the
 * binary to check the exit code 2 and that the message reaches stderr, and
 * the exit codes of good input, --help and usage mistakes.
 */
#define _POSIX_C_SOURCE 200809L   /* opendir, popen */

#include <dirent.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/scenario.h"
#include "harness.h"

enum { MAX_FILES = 256, MAX_SETS = 8 };

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The rest of the line after prefix, for every line of f starting with it. */
static int directives(const char *path, const char *prefix, char out[][512], int max)
{
    FILE *f = fopen(path, "rb");
    int n = 0;
    char line[1024];
    if (!f)
        return 0;
    size_t plen = strlen(prefix);
    while (n < max && fgets(line, sizeof line, f)) {
        if (strncmp(line, prefix, plen) != 0)
            continue;
        line[strcspn(line, "\n")] = '\0';
        snprintf(out[n++], 512, "%s", line + plen);
    }
    fclose(f);
    return n;
}

static int checked_files;

static void check_file(const char *name)
{
    char path[512], expect[1][512], sets[MAX_SETS][512];
    snprintf(path, sizeof path, "bad/%s", name);
    bool binary = strstr(name, ".bin") != NULL;
    if (binary) {
        char side[512];
        snprintf(side, sizeof side, "bad/%.*s.expect", (int)(strlen(name) - 4), name);
        FILE *f = fopen(side, "rb");
        CHECK(f != NULL);
        if (!f)
            return;
        if (!fgets(expect[0], sizeof expect[0], f))
            expect[0][0] = '\0';
        expect[0][strcspn(expect[0], "\n")] = '\0';
        fclose(f);
    } else if (directives(path, "# expect: ", expect, 1) != 1) {
        fprintf(stderr, "%s: no '# expect:' line\n", path);
        CHECK(!"every bad file states its expected message");
        return;
    }
    int nsets = binary ? 0 : directives(path, "# set: ", sets, MAX_SETS);
    const char *setv[MAX_SETS];
    for (int i = 0; i < nsets; i++)
        setv[i] = sets[i];
    dcs_diag *d = dcs_diag_new();
    dcs_scenario *s = NULL;
    dcs_status st = dcs_scenario_load(path, setv, nsets, d, &s);
    CHECK_INT(st, DCS_EINPUT);
    CHECK(s == NULL);
    CHECK(dcs_diag_errors(d) >= 1);
    if (dcs_diag_count(d) >= 1 && strcmp(dcs_diag_line(d, 0), expect[0]) != 0)
        fprintf(stderr, "in %s:\n", path);
    CHECK_STR(dcs_diag_line(d, 0), expect[0]);
    dcs_scenario_free(s);
    dcs_diag_free(d);
    checked_files++;
}

static void corpus(void)
{
    DIR *dir = opendir("bad");
    CHECK(dir != NULL);
    if (!dir)
        return;
    char *names[MAX_FILES];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n < MAX_FILES) {
        size_t len = strlen(e->d_name);
        bool yaml = len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0;
        bool bin = len > 4 && strcmp(e->d_name + len - 4, ".bin") == 0;
        if (yaml || bin) {
            names[n] = malloc(len + 1);
            if (!names[n])
                abort();
            memcpy(names[n++], e->d_name, len + 1);
        }
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    for (int i = 0; i < n; i++) {
        check_file(names[i]);
        free(names[i]);
    }
    /* The issue asks for at least 30 distinct mistakes. */
    CHECK(checked_files >= 30);
    fprintf(stderr, "   %d bad inputs checked\n", checked_files);
}

/* `dcsim validate` on a bad file: exit 2 and the located message on stderr. */
static void validate_exit_code(void)
{
    const char *bin = getenv("DCSIM_BIN");
    if (!bin) {
        fprintf(stderr, "   DCSIM_BIN not set: binary check not run\n");
        CHECK(!"DCSIM_BIN is set by CTest");
        return;
    }
    char cmd[1024], line[1024] = "";
    snprintf(cmd, sizeof cmd, "'%s' validate bad/unit_missing.yaml 2>&1", bin);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p)
        return;
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    char rest[1024];           /* drain the other lines: no SIGPIPE for dcsim */
    while (fgets(rest, sizeof rest, p))
        ;
    int status = pclose(p);
    line[strcspn(line, "\n")] = '\0';
    char expect[1][512];
    CHECK_INT(directives("bad/unit_missing.yaml", "# expect: ", expect, 1), 1);
    CHECK_STR(line, expect[0]);
    CHECK(WIFEXITED(status));
    CHECK_INT(WEXITSTATUS(status), 2);

    /* Good input, help, and usage mistakes: 0, 0, 2, 2, 2. */
    const char *args[] = {"fixtures/scenario/base.yaml", "--help", "--bogus", "",
                          "--set"};
    const int want[] = {0, 0, 2, 2, 2};
    for (int i = 0; i < 5; i++) {
        snprintf(cmd, sizeof cmd, "'%s' validate %s >/dev/null 2>&1", bin, args[i]);
        status = system(cmd);
        CHECK(WIFEXITED(status));
        if (WEXITSTATUS(status) != want[i])
            fprintf(stderr, "    dcsim validate %s\n", args[i]);
        CHECK_INT(WEXITSTATUS(status), want[i]);
    }
}

int main(void)
{
    RUN(corpus);
    RUN(validate_exit_code);
    return TEST_END();
}
