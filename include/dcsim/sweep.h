/*
 * sweep.h - `dcsim sweep`: many runs of `dcsim run` over scenarios, --set
 * values and seeds, in parallel, resumable, with an index of the results.
 *
 * A sweep is the cartesian product  scenarios x (values of each --set key)
 * x seeds.  Seeds are the scenario's own `seed` + 0 .. N-1 (--seeds N), so
 * every design sees the same seeds (common random numbers for compare.h).
 * Each run is named by a stable, readable file stem
 *
 *     STEM__KEY=VALUE__KEY=VALUE__seedN
 *
 * (STEM the scenario file's name without .yaml; KEY=VALUE in the order the
 * --set options were given, sanitised by dcs_sweep_sanitise) and writes
 * DIR/NAME.h5 through the run path (trace.h: written as .tmp, renamed when
 * complete).  A run that fails leaves DIR/NAME.err with its error text
 * instead.  The index DIR/sweep.csv and DIR/sweep.h5 is rebuilt from what is
 * in DIR (dcs_sweep_index), so a sweep, a resumed sweep and a merge of
 * shards all give the same index.  docs/sweep.md has the full reference.
 */
#ifndef DCSIM_SWEEP_H
#define DCSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dcsim/diag.h"

/* One planned run: what `dcsim run` is called with. */
typedef struct dcs_sweep_run {
    char *name;            /* file stem, see above */
    const char *scenario;  /* scenario path (borrowed from the caller) */
    char **sets;           /* "KEY=VALUE" for each --set key, nsets of them */
    size_t nsets;
    uint64_t seed;
} dcs_sweep_run;

typedef struct dcs_sweep_plan {
    dcs_sweep_run *runs;
    size_t nruns;
} dcs_sweep_plan;

/* Expand scenarios x sets x seeds into *out (caller frees with
 * dcs_sweep_plan_free).  sets are the --set arguments "KEY=V1,V2,..." (a
 * value may not contain a comma); seeds >= 1.  Each scenario is read (with
 * no --set applied) for its `seed`; one that cannot be read still gets runs
 * (base seed 0) so the failure is listed per run.  Reports to d, located at
 * the option ("--set 2", "scenario 1"), and returns DCS_EINPUT for a
 * malformed --set, a key given twice, the key `seed` (use --seeds), or two
 * runs whose sanitised names collide.  Scenario paths are borrowed. */
dcs_status dcs_sweep_plan_build(const char *const *scenarios, size_t nscenarios,
                                const char *const *sets, size_t nsets,
                                unsigned seeds, dcs_diag *d, dcs_sweep_plan **out);
void dcs_sweep_plan_free(dcs_sweep_plan *p);

/* Copy text into out (size bytes, always terminated) keeping letters,
 * digits and . + - =, dropping spaces and turning any other run of
 * characters into one '_' ("30 MW" -> "30MW", "a/b" -> "a_b").  Returns the
 * length the sanitised text needs (like snprintf). */
size_t dcs_sweep_sanitise(const char *text, char *out, size_t size);

/* Options of dcs_sweep_execute. */
typedef struct dcs_sweep_opts {
    int jobs;              /* runs at once (>= 1) */
    int threads_per_run;   /* engine threads of each run (>= 1) */
    unsigned shard;        /* run only runs with index % nshards == shard */
    unsigned nshards;      /* >= 1 */
    FILE *progress;        /* progress output (NULL: none) */
    bool progress_bar;     /* a redrawn bar (terminal) instead of lines */
    const char *label;     /* put before each progress line ("rank 1: "), so
                              the lines of MPI ranks sharing one stderr tell
                              apart; NULL: none */
} dcs_sweep_opts;

/* What dcs_sweep_execute did. */
typedef struct dcs_sweep_result {
    size_t planned;        /* runs of this shard */
    size_t skipped;        /* already complete in DIR */
    size_t ok;             /* run now and complete */
    size_t failed;         /* run now and failed (DIR/NAME.err written) */
    double wall_s;         /* wall time of the whole call */
    double runs_wall_s;    /* sum of the wall_seconds of the runs made now
                              (as their traces record: load to written) */
    double procs_wall_s;   /* sum of those runs' child process lifetimes,
                              fork to reaped (adds the trace's final flush
                              and the process exit) */
} dcs_sweep_result;

/* Run the plan's runs of this shard into dir (created if missing), at most
 * opts->jobs at a time, each in a forked child process that calls the run
 * path (`dcsim run ... --quiet`) with stdout and stderr in DIR/NAME.log.
 * A run whose DIR/NAME.h5 is a complete trace is skipped; a failed run's log
 * becomes DIR/NAME.err (its error text) and the other runs go on.  Returns
 * DCS_OK if the sweep machinery worked (even if runs failed: see res),
 * DCS_EIO if dir cannot be made or a child cannot be started (msg says
 * why).  Children are reaped with waitpid(-1): a caller must not have other
 * children of its own exiting meanwhile (they would be reaped and ignored). */
dcs_status dcs_sweep_execute(const dcs_sweep_plan *p, const char *dir,
                             const dcs_sweep_opts *opts, dcs_sweep_result *res,
                             char *msg, size_t msg_size);

/* ---- The index and reading runs back ---------------------------------- */

/* One run found in a directory or given as a file. */
typedef struct dcs_sweep_entry {
    char *path;            /* the trace (or .err) file */
    char *name;            /* file stem */
    char *design;          /* the name without "__seedN" (or the scenario
                              attribute when the name has no seed part) */
    char *scenario;        /* first part of the name */
    char **keys;           /* KEY of each KEY=VALUE part, nparams of them */
    char **values;         /* sanitised VALUE of each part */
    size_t nparams;
    uint64_t seed;
    bool ok;               /* a complete trace */
    char *error;           /* failed runs: the error text (last line) */
    char **metrics;        /* /summary names, values and units (ok runs) */
    double *values_m;
    char **units;
    size_t nmetrics;
    double wall_s;         /* the trace's wall_seconds (NAN if failed) */
} dcs_sweep_entry;

/* Read runs from paths: a directory contributes every NAME.h5 (not
 * sweep.h5) and every NAME.err without a NAME.h5; a file is read as one
 * trace.  Entries are sorted by name.  A file that is not a complete trace
 * is reported to d and left out (DCS_EINPUT at the end; the good entries
 * are still returned).  DCS_EIO if a directory cannot be listed. */
dcs_status dcs_sweep_scan(const char *const *paths, size_t npaths, dcs_diag *d,
                          dcs_sweep_entry **out, size_t *n);
void dcs_sweep_entries_free(dcs_sweep_entry *e, size_t n);

/* Rebuild DIR/sweep.csv and DIR/sweep.h5 from the runs in dir (written as
 * .tmp and renamed).  Columns: name, scenario, one per --set key (union over
 * runs, in order of first appearance), seed, status ("ok" | "failed"),
 * error, then one per summary metric (union, first appearance; the CSV
 * header gives "METRIC [UNIT]").  Wall times are left out so the index does
 * not depend on the machine.  *nruns gets the number of rows.  DCS_OK, or
 * DCS_EIO / DCS_EINPUT with msg. */
dcs_status dcs_sweep_index(const char *dir, size_t *nruns, char *msg, size_t msg_size);

/* One column of an HDF5 index table: text (nrows strings) or values (nrows
 * doubles), exactly one of them set; unit may be NULL. */
typedef struct dcs_sweep_column {
    const char *name;
    const char *unit;
    const char *const *text;
    const double *values;
} dcs_sweep_column;

/* Write an HDF5 file with group /runs holding one 1-D dataset per column
 * (variable-length strings or float64), each with a `unit` attribute where
 * given, and the group's `columns` attribute listing them in order; the root
 * has `dcsim_version` and `nruns`.  Written as PATH.tmp, renamed when done.
 * (sim/trace_index.c: the trace module keeps all HDF5 code.) */
dcs_status dcs_sweep_index_h5(const char *path, const dcs_sweep_column *cols,
                              size_t ncols, size_t nrows, char *msg, size_t msg_size);

/* ---- Across machines: MPI (sim/sweep_mpi.c) -------------------------- */

/* `mpirun -n N dcsim sweep ...` runs the plan as N shards, rank r taking the
 * runs whose index % N == r (dcs_sweep_execute with shard r of N, each rank
 * -j runs at a time as on one machine), waits for every rank, and rank 0
 * alone writes the index.  Because the index is rebuilt from the files in
 * DIR, it is the one a local sweep of the same command writes.  The MPI
 * code is compiled only when CMake finds MPI (DCSIM_HAVE_MPI); otherwise
 * these functions say MPI is unavailable and the sweep stays local. */

/* This process's place among the ranks. */
typedef struct dcs_sweep_mpi {
    int rank;              /* 0 .. size - 1 in MPI_COMM_WORLD */
    int size;              /* number of ranks */
    int local_size;        /* ranks on this machine (sharing its cores) */
} dcs_sweep_mpi;

/* Whether this dcsim was built with MPI. */
bool dcs_sweep_mpi_available(void);

/* Whether the environment says an MPI launcher started this process (Open
 * MPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMIx and PMI launchers such as
 * srun set PMIX_RANK or PMI_SIZE).  Only then does `dcsim sweep` call
 * MPI_Init: started plainly it behaves as without MPI.  Independent of
 * dcs_sweep_mpi_available, so a build without MPI can warn. */
bool dcs_sweep_mpi_launched(void);

/* MPI_Init and fill *m.  DCS_EIO with msg if MPI is unavailable or fails to
 * start (nothing to finish then).  Call before forking any run: the runs
 * are forked children that never call MPI and leave with _exit. */
dcs_status dcs_sweep_mpi_init(dcs_sweep_mpi *m, char *msg, size_t msg_size);

/* Sum values[0 .. n-1] over all ranks; every rank gets the sums in values.
 * A collective: every rank must call it with the same n.  The wait polls
 * every 10 ms instead of spinning (an MPI blocking wait busy-polls, which
 * would take a core from the runs of ranks still working).  DCS_EIO with
 * msg if MPI fails. */
dcs_status dcs_sweep_mpi_sum(const dcs_sweep_mpi *m, double *values, size_t n,
                             char *msg, size_t msg_size);

/* The same as dcs_sweep_mpi_sum with the maximum over ranks instead of
 * the sum (the minimum is minus the maximum of the negated values). */
dcs_status dcs_sweep_mpi_max(const dcs_sweep_mpi *m, double *values, size_t n,
                             char *msg, size_t msg_size);

/* A 52-bit hash of the plan's run names in order (exact in a double), so
 * ranks can check with dcs_sweep_mpi_max that they planned the same runs:
 * a scenario that reads differently on two machines would otherwise give
 * them different names and seeds for the same run index. */
double dcs_sweep_plan_hash(const dcs_sweep_plan *p);

/* MPI_Finalize.  Every rank calls it once, after its last dcs_sweep_mpi_sum. */
void dcs_sweep_mpi_finish(dcs_sweep_mpi *m);

#endif
