/*
 * controller_log.h - private to the controller LP: the decision log
 * (controller_log.c; the rule is in docs/policies.md, "Decision log").
 */
#ifndef DCSIM_CONTROLLER_LOG_H
#define DCSIM_CONTROLLER_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dcsim/control.h"

/* Which enforcement quantities are logged, and where in last_report. */
enum { LOG_FORBIDDEN, LOG_SPILL, LOG_OVERLOAD, LOG_DROP, LOG_NREPORT };

typedef struct ctl_log {
    dcs_event_log_row *rows;           /* DCS_EVENT_LOG_MAX, allocated by the LP */
    size_t nrows;
    uint64_t dropped_rows;
    bool started;                      /* logged holds a state */
    dcs_policy_action logged;          /* the state as last logged, per key */
    double last_report[LOG_NREPORT];
    double last_unmet_w[DCS_POLICY_MAX_SITES];
} ctl_log;

/* Demand act drops, req/s: sum over workloads and regions of demand x
 * drop share (after enforcement: the regions with no usable site). */
double ctl_dropped_rps(const dcs_policy_obs *obs, const dcs_policy_action *act);

/* Log what act changes against the last logged state (rows at time now).
 * first is the state before the first decision (the initial action); it
 * is read once, on the first call.  stack may be NULL. */
void ctl_log_decision(ctl_log *log, dcs_time now, const dcs_policy_obs *obs,
                      const dcs_policy_action *act, const dcs_policy_report *rep,
                      const dcs_policy_stack *stack, const dcs_policy_action *first);

#endif
