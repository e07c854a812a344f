/*
 * llmtrace.h - import and replay of LLM request traces in the Azure LLM
 * inference trace format (Patel et al., Splitwise, ISCA 2024; CC BY 4.0):
 *   TIMESTAMP,ContextTokens,GeneratedTokens
 *   2023-11-16 18:17:03.9799600,4808,10
 * Timestamps are "YYYY-MM-DD HH:MM:SS[.fraction]", ascending.  Bad rows are
 * reported through dcs_diag as FILE:LINE:COL (the column of the field) and
 * skipped; the import continues so one pass shows every problem.
 */
#ifndef DCSIM_LLMTRACE_H
#define DCSIM_LLMTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/time.h"

typedef struct dcs_llm_trace {
    size_t n;
    dcs_time *at;              /* arrival, ns after the first row */
    int32_t *prompt_tokens;
    int32_t *output_tokens;
} dcs_llm_trace;

/* Read path into *out (caller frees with dcs_llm_trace_free).  DCS_EIO when
 * the file cannot be opened (reported in d as "FILE: cannot open: ..."),
 * DCS_EINPUT when any row was bad (the good rows are still loaded), DCS_OK
 * otherwise.  An empty trace (header only) is DCS_EINPUT. */
dcs_status dcs_llm_trace_load(const char *path, dcs_diag *d, dcs_llm_trace *out);
/* Free the arrays of t and empty it. */
void dcs_llm_trace_free(dcs_llm_trace *t);

/* Replays a loaded trace with time scaled by time_scale (2 = twice as
 * slow, i.e. half the rate) and, when loop is true, repeated end to end
 * with a period of (span + mean gap) * time_scale. */
typedef struct dcs_trace_replay {
    const dcs_llm_trace *trace;   /* borrowed */
    double time_scale;
    bool loop;
    size_t next;
    uint64_t lap;
    dcs_time period;              /* ns, scaled */
} dcs_trace_replay;

/* Start a replay of t (borrowed: it must outlive r) from its first row. */
void dcs_trace_replay_init(dcs_trace_replay *r, const dcs_llm_trace *t,
                           double time_scale, bool loop);

/* The next request: its arrival and token counts.  false when the trace is
 * exhausted (never when looping a non-empty trace). */
bool dcs_trace_replay_next(dcs_trace_replay *r, dcs_time *at,
                           int32_t *prompt_tokens, int32_t *output_tokens);

#endif
