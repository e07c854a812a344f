/* test_engine_asserts.c - model bugs stop the run with a located message.
 *
 * Each case runs a small model in a child process (fork) that breaks one
 * rule, and checks that the child aborted (SIGABRT) and that its stderr
 * names the simulated time, the LP and the rule. */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dcsim/engine.h"
#include "harness.h"

enum { BUG_LOOKAHEAD, BUG_NO_CHANNEL, BUG_PAST, BUG_OVERFLOW, BUG_NO_LP, BUG_RNG, BUG_REVERSE };

typedef struct bug_state {
    int bug;
} bug_state;

static int bug_init(dcs_lp *lp, void *state, const void *config)
{
    ((bug_state *)state)->bug = *(const int *)config;
    if (dcs_lp_id(lp) == 0)
        dcs_lp_send(lp, 0, 2500 * DCS_MS, 0);   /* first event at 2.5 s */
    return 0;
}

static void bug_handle(dcs_lp *lp, void *state, const dcs_event *ev)
{
    (void)ev;
    switch (((bug_state *)state)->bug) {
    case BUG_LOOKAHEAD: dcs_lp_send(lp, 1, 999 * DCS_MS, 0); break;   /* channel says 1 s */
    case BUG_NO_CHANNEL: dcs_lp_send(lp, 2, 5 * DCS_SECOND, 0); break;
    case BUG_PAST: dcs_lp_send(lp, 0, -1, 0); break;
    case BUG_OVERFLOW: dcs_lp_send(lp, 0, DCS_TIME_MAX - DCS_SECOND, 0); break;
    case BUG_NO_LP: dcs_lp_send(lp, 7, 5 * DCS_SECOND, 0); break;
    case BUG_RNG: (void)dcs_lp_rng(lp, 1); break;
    case BUG_REVERSE: dcs_lp_send(lp, 0, DCS_SECOND, 0); dcs_lp_send(lp, 1, 2 * DCS_SECOND, 0);
        break;   /* 1 -> 0 is not declared (only 0 -> 1): LP 1 will fail */
    }
}

static const dcs_lp_type bug_type = {"bug", sizeof(bug_state), 1, bug_init, bug_handle, NULL};

static void child(int bug, int threads)
{
    dcs_engine_config cfg = {.seed = 1, .threads = threads, .end_time = 10 * DCS_SECOND};
    dcs_engine *e = dcs_engine_new(&cfg);
    for (int i = 0; i < 3; i++)
        dcs_engine_add_lp(e, &bug_type, &bug);
    dcs_engine_channel(e, 0, 1, DCS_SECOND);
    dcs_engine_run(e);
    dcs_engine_free(e);
    _exit(0);   /* reached only if the bug went unnoticed */
}

/* Run bug in a child; return its stderr in buf and whether it aborted. */
static int provoke(int bug, int threads, char *buf, size_t len)
{
    int fd[2];
    if (pipe(fd) != 0)
        return 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        child(bug, threads);
    }
    close(fd[1]);
    size_t used = 0;
    ssize_t k;
    while (used + 1 < len && (k = read(fd[0], buf + used, len - 1 - used)) > 0)
        used += (size_t)k;
    buf[used] = '\0';
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void expect(int bug, int threads, const char *text)
{
    char buf[2048];
    int aborted = provoke(bug, threads, buf, sizeof buf);
    CHECK(aborted);
    int found = strstr(buf, text) != NULL;
    int located = strstr(buf, "engine.c:") != NULL &&
                  strstr(buf, "simulated time 2500000000 ns (2.500000000 s), LP 0 (bug)") != NULL;
    CHECK(found);
    CHECK(located);
    if (!found || !located)
        fprintf(stderr, "    child said: %s    expected: %s\n", buf, text);
}

static void lookahead_violated(void)
{
    expect(BUG_LOOKAHEAD, 1,
           "send to LP 1 with delay 999000000 ns, below the channel's lookahead 1000000000 ns");
    expect(BUG_LOOKAHEAD, 3,
           "send to LP 1 with delay 999000000 ns, below the channel's lookahead 1000000000 ns");
}

static void undeclared_channel(void)
{
    expect(BUG_NO_CHANNEL, 1, "send to LP 2 on an undeclared channel");
}

static void event_in_the_past(void)
{
    expect(BUG_PAST, 1, "send to LP 0 with negative delay -1 ns (event in the past)");
}

static void clock_overflow(void)
{
    expect(BUG_OVERFLOW, 1, "send to LP 0: now + delay 9223372035854775807 ns overflows the clock");
}

static void unknown_destination(void)
{
    expect(BUG_NO_LP, 1, "send to LP 7, but there are 3 LPs");
}

static void channels_have_a_direction(void)
{
    /* LP 0 forwards to LP 1 (allowed); LP 1 then sends back to LP 0 at
     * 4.5 s, on a channel nobody declared. */
    char buf[2048];
    CHECK(provoke(BUG_REVERSE, 2, buf, sizeof buf));
    CHECK(strstr(buf, "simulated time 4500000000 ns (4.500000000 s), LP 1 (bug): "
                      "send to LP 0 on an undeclared channel") != NULL);
}

static void undeclared_stream(void)
{
    expect(BUG_RNG, 1, "random stream 1 requested, type declares 1");
}

int main(void)
{
    RUN(lookahead_violated);
    RUN(undeclared_channel);
    RUN(event_in_the_past);
    RUN(clock_overflow);
    RUN(unknown_destination);
    RUN(undeclared_stream);
    RUN(channels_have_a_direction);
    return TEST_END();
}
