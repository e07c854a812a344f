/*
 * trace.h - dcsim's HDF5 run trace: writer and exporter.
 *
 * A trace is the product of a run: every number a user compares later is read
 * out of it.  Its layout (docs/trace-format.md has the full reference):
 *
 *   /                          attributes dcsim_version, schema_version,
 *                              scenario, seed, threads, wall_seconds,
 *                              complete (0 while writing, 1 once committed),
 *                              status ("running" | "complete")
 *   /scenario                  the effective scenario text (scalar string)
 *   /summary                   compound rows (name, value, unit)
 *   /sites/NAME/summary        the same rows for one site
 *   /sites/NAME/series/        one 1-D float64 dataset per column, time_s
 *                              first; each has a `unit` attribute and the
 *                              group's `columns` attribute lists them in order
 *   /workloads/NAME/summary    the same rows for one workload
 *   /workloads/NAME/histograms/H/   columns lower_UNIT, upper_UNIT, count
 *   /jobs                      compound rows, one per training or batch job
 *   /events                    compound rows (time_s, kind, site, detail)
 *
 * Writing is crash-safe: the file is created as PATH.tmp and renamed to PATH
 * only by dcs_trace_commit(), so a failed, aborted or killed run never leaves
 * a PATH that looks finished, and an existing PATH is replaced only then.
 *
 * One thread writes (HDF5 is not built thread-safe here): the engine collects
 * rows from its LPs and hands them to the writer in a deterministic order.
 * All strings are UTF-8.  This header and sim/trace*.c are the only places
 * that know about HDF5.
 */
#ifndef DCSIM_TRACE_H
#define DCSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dcsim/diag.h"
#include "dcsim/time.h"

/* Bumped whenever the layout changes in a way a reader would notice. */
#define DCS_TRACE_SCHEMA_VERSION 1

/* Silence HDF5's automatic printing of its error stack, once, in main()
 * before any thread starts; every HDF5 return is checked and reported through
 * dcsim's own status codes instead.  Returns DCS_EIO if HDF5 cannot be
 * initialised. */
dcs_status dcs_trace_init(void);

/* What the root attributes and /scenario record about the run.  Strings are
 * borrowed for the duration of dcs_trace_open(). */
typedef struct dcs_trace_meta {
    const char *scenario_name;   /* the scenario's `name` */
    const char *scenario_text;   /* effective text after includes and --set */
    uint64_t seed;
    int threads;
} dcs_trace_meta;

/* One /summary row.  Metric names are those of DESIGN.md section 8 (and
 * additions); unit is an SI or conventional unit string ("kWh", "kg", "ms",
 * "1" for dimensionless, "%" for percentages). */
typedef struct dcs_trace_metric {
    const char *name;
    double value;
    const char *unit;
} dcs_trace_metric;

/* One column of a series: its name (carrying the unit where not obvious:
 * "it_power_w") and its unit string ("W").  The first column, time_s, is
 * added by the writer and must not be declared. */
typedef struct dcs_trace_column {
    const char *name;
    const char *unit;
} dcs_trace_column;

/* One /jobs row.  Times are simulated seconds from the run's start; NaN where
 * a time does not apply (never started, no deadline).  Strings borrowed. */
typedef struct dcs_trace_job {
    const char *name;
    const char *workload;
    const char *site;        /* "" if never placed */
    int64_t gpus;
    double submit_s;
    double start_s;
    double end_s;
    double deadline_s;
    const char *state;       /* "completed", "deadline_missed", "running", ... */
    int64_t preemptions;
    double energy_kwh;
} dcs_trace_job;

/* One /events row: a fault or a policy decision.  Strings borrowed. */
typedef struct dcs_trace_event {
    dcs_time time;
    const char *kind;        /* "chiller_trip", "traffic_split", ... */
    const char *site;        /* "" for fleet-wide events */
    const char *detail;      /* free text for a reviewer */
} dcs_trace_event;

typedef struct dcs_trace dcs_trace;
typedef struct dcs_trace_series dcs_trace_series;

/* Create PATH.tmp (truncating any stale one left by a killed run), write the
 * root attributes with complete = 0 and status "running", /scenario and the
 * empty /jobs and /events tables.  On success *out owns the open trace; on
 * failure *out is NULL, nothing is left on disk and, if msg is not NULL, a
 * one-line message is written into msg (msg_size bytes).  Returns DCS_OK or
 * DCS_EIO.  The writer's calls below return DCS_OK or DCS_EIO; after the
 * first failure they do nothing, and dcs_trace_error() says what failed.
 * Out of memory aborts with the size (STYLE.md). */
dcs_status dcs_trace_open(const char *path, const dcs_trace_meta *meta,
                          dcs_trace **out, char *msg, size_t msg_size);

/* Write the summary rows of a scope: scope NULL or "" for /summary,
 * "sites/NAME" or "workloads/NAME" for that group's summary.  Each scope is
 * written once.  Rows are copied. */
dcs_status dcs_trace_summary(dcs_trace *tr, const char *scope,
                             const dcs_trace_metric *rows, size_t n);

/* Declare the sampled series of a site: ncols columns after time_s.  The
 * returned handle is owned by the trace (valid until dcs_trace_close) and
 * takes rows through dcs_trace_series_append.  One series per site. */
dcs_status dcs_trace_series_open(dcs_trace *tr, const char *site,
                                 const dcs_trace_column *cols, size_t ncols,
                                 dcs_trace_series **out);

/* Append one sample: time t and ncols values in declaration order.  Rows are
 * buffered and written a chunk at a time (and at commit). */
dcs_status dcs_trace_series_append(dcs_trace_series *s, dcs_time t,
                                   const double *values);

/* Write a latency (or other) histogram of a workload as
 * /workloads/WORKLOAD/histograms/NAME with columns lower_UNIT, upper_UNIT and
 * count: n_bins bins with edges[0..n_bins] in `unit` and counts[0..n_bins-1]
 * (a gsl_histogram's range, bin and n fit directly). */
dcs_status dcs_trace_histogram(dcs_trace *tr, const char *workload,
                               const char *name, const char *unit,
                               size_t n_bins, const double *edges,
                               const double *counts);

/* Append one row to /jobs or /events (buffered; strings copied). */
dcs_status dcs_trace_job_append(dcs_trace *tr, const dcs_trace_job *job);
dcs_status dcs_trace_event_append(dcs_trace *tr, const dcs_trace_event *ev);

/* Flush everything, set wall_seconds, complete = 1 and status "complete",
 * close the file and rename PATH.tmp to PATH (replacing any old PATH).  If an
 * earlier call failed, or this one fails, the tmp file is removed, no PATH is
 * written and DCS_EIO is returned.  Call dcs_trace_close() afterwards in every
 * case. */
dcs_status dcs_trace_commit(dcs_trace *tr, double wall_seconds);

/* The first failure's one-line message ("" if none); valid until close. */
const char *dcs_trace_error(const dcs_trace *tr);

/* Release the trace.  An uncommitted trace is aborted: its tmp file is
 * removed and PATH is left as it was.  NULL is allowed. */
void dcs_trace_close(dcs_trace *tr);

/* ---- Reading ------------------------------------------------------ */

typedef struct dcs_trace_reader dcs_trace_reader;

/* Open a trace for reading.  Refuses a file that does not exist or cannot be
 * read (DCS_EIO), one that is not HDF5 or not a dcsim trace, or was written
 * by a newer schema (DCS_EINPUT), and, unless partial, one whose complete
 * flag is not 1 (DCS_EINPUT).  On failure *out is NULL and a one-line
 * message "PATH: why" goes into msg. */
dcs_status dcs_trace_reader_open(const char *path, bool partial, dcs_trace_reader **out,
                                 char *msg, size_t msg_size);
void dcs_trace_reader_close(dcs_trace_reader *r);

/* Read attribute `name` of object (a path such as "sites/a/series/pue", or
 * "" for the root).  DCS_EINPUT if the object or attribute is absent or of
 * another kind; DCS_ERANGE if a string does not fit in size bytes. */
dcs_status dcs_trace_reader_attr_i64(const dcs_trace_reader *r, const char *object,
                                     const char *name, int64_t *out);
dcs_status dcs_trace_reader_attr_u64(const dcs_trace_reader *r, const char *object,
                                     const char *name, uint64_t *out);
dcs_status dcs_trace_reader_attr_f64(const dcs_trace_reader *r, const char *object,
                                     const char *name, double *out);
dcs_status dcs_trace_reader_attr_str(const dcs_trace_reader *r, const char *object,
                                     const char *name, char *buf, size_t size);

/* Read a whole 1-D numeric dataset (a series or histogram column) as
 * doubles into a new array *values (caller frees) of *n elements. */
dcs_status dcs_trace_reader_column(const dcs_trace_reader *r, const char *path,
                                   double **values, size_t *n);

/* Look up one summary metric of a group (NULL or "" for /summary): its
 * value and unit.  DCS_EINPUT if there is no such summary or metric. */
dcs_status dcs_trace_reader_metric(const dcs_trace_reader *r, const char *group,
                                   const char *metric, double *value,
                                   char *unit, size_t unit_size);

/* ---- Export (dcsim export) ------------------------------------------ */

/* Options shared by the exporters; a NULL opts means complete traces only,
 * errors to stderr. */
typedef struct dcs_trace_export_opts {
    bool partial;   /* accept a trace whose complete flag is not 1 */
    FILE *err;      /* where the one error message goes (stderr if NULL) */
} dcs_trace_export_opts;

/* Print the summary of a group as TSV to out: a header line
 * "metric\tvalue\tunit", then one line per row.  group NULL or "" means
 * /summary; "sites/NAME" or "workloads/NAME" that group's summary.  Numbers
 * are printed in the shortest form that reads back to the same double.
 * Returns DCS_OK; DCS_EIO if the file cannot be read; DCS_EINPUT if it is
 * not a complete dcsim trace (without opts->partial) or has no such group
 * (the message lists the groups that have a summary). */
dcs_status dcs_trace_export_summary(const char *path, const char *group,
                                    const dcs_trace_export_opts *opts, FILE *out);

/* Print one dataset as TSV to out with a header line of column names (which
 * carry their unit, e.g. time_s): a compound table (/summary, /jobs,
 * /events), a column group (series, histograms) or /scenario (printed as
 * text).  Strings have tab, newline and backslash escaped as \t \n \\.
 * Unknown names give DCS_EINPUT with the list of exportable datasets. */
dcs_status dcs_trace_export_dataset(const char *path, const char *dataset,
                                    const dcs_trace_export_opts *opts, FILE *out);

/* Print the names of every exportable dataset in the trace, one per line,
 * sorted by name level by level, depth first (a group's contents appear
 * where the group's own name sorts).  Same returns as above. */
dcs_status dcs_trace_export_list(const char *path,
                                 const dcs_trace_export_opts *opts, FILE *out);

#endif
