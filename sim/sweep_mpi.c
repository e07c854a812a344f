/*
 * sweep_mpi.c - the little MPI that `mpirun -n N dcsim sweep ...` needs:
 * start, find this process's rank and how many ranks share its machine, sum
 * or take the maximum of a few numbers over the ranks, finish.  The runs
 * themselves never touch MPI: each rank runs its shard of the plan with
 * dcs_sweep_execute (forked children that leave with _exit, which Open MPI
 * allows after MPI_Init), and the ranks only meet three times:
 * before their runs (to check they planned the same runs), after them (to
 * add up what happened) and after rank 0 wrote the index (so every rank
 * exits with the same code).
 *
 * Assignment is static, run i to rank i % N (the --shard rule), so the
 * ranks need no messages while they run.  Handing runs out from rank 0
 * would balance uneven run times better but makes rank 0 serve requests
 * while it waits for its own children.  If a rank dies mpirun aborts the
 * job; the finished traces stay and the next invocation redoes the rest.
 *
 * Waiting polls an MPI-3 non-blocking collective every 10 ms.  A blocking
 * MPI wait busy-polls in Open MPI, and a rank that finished its share early
 * would take a whole core from the ranks still running theirs on the same
 * machine.
 *
 * Compiled to stubs without MPI (CMake defines DCSIM_HAVE_MPI only when it
 * finds MPI), so the sweep stays local and the build needs no MPI.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/sweep.h"

#include <stdlib.h>

#ifdef DCSIM_HAVE_MPI
#include <limits.h>
#include <mpi.h>
#include <time.h>
#endif

bool dcs_sweep_mpi_launched(void)
{
    /* Open MPI's own variable first; PMIx and PMI cover other launchers
     * (srun, MPICH's hydra) that start processes able to MPI_Init. */
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"};
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
        const char *v = getenv(vars[k]);
        if (v && *v)
            return true;
    }
    return false;
}

double dcs_sweep_plan_hash(const dcs_sweep_plan *p)
{
    /* FNV-1a (64-bit) over the names, each ended by a newline, cut to the
     * 52 bits a double holds exactly. */
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < p->nruns; i++)
        for (const char *c = p->runs[i].name;; c++) {
            h ^= (unsigned char)(*c ? *c : '\n');
            h *= 1099511628211u;
            if (!*c)
                break;
        }
    return (double)(h >> 12);
}

#ifdef DCSIM_HAVE_MPI

bool dcs_sweep_mpi_available(void)
{
    return true;
}

/* msg = what + MPI's own text for code. */
static dcs_status mpi_fail(int code, const char *what, char *msg, size_t msg_size)
{
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(code, text, &len) != MPI_SUCCESS)
        snprintf(text, sizeof text, "MPI error %d", code);
    snprintf(msg, msg_size, "%s: %s", what, text);
    return DCS_EIO;
}

dcs_status dcs_sweep_mpi_init(dcs_sweep_mpi *m, char *msg, size_t msg_size)
{
    *m = (dcs_sweep_mpi){0, 1, 1};
    int rc = MPI_Init(NULL, NULL);
    if (rc != MPI_SUCCESS)
        return mpi_fail(rc, "MPI_Init", msg, msg_size);
    /* Report failures as codes instead of aborting every rank, so a rank
     * can say what went wrong. */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm local;
    if ((rc = MPI_Comm_rank(MPI_COMM_WORLD, &m->rank)) != MPI_SUCCESS ||
        (rc = MPI_Comm_size(MPI_COMM_WORLD, &m->size)) != MPI_SUCCESS ||
        (rc = MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL,
                                  &local)) != MPI_SUCCESS) {
        MPI_Finalize();
        return mpi_fail(rc, "MPI start", msg, msg_size);
    }
    rc = MPI_Comm_size(local, &m->local_size);
    MPI_Comm_free(&local);
    if (rc != MPI_SUCCESS) {
        MPI_Finalize();
        return mpi_fail(rc, "MPI start", msg, msg_size);
    }
    return DCS_OK;
}

/* values = op over all ranks, waited for without spinning. */
static dcs_status allreduce(double *values, size_t n, MPI_Op op, char *msg, size_t msg_size)
{
    if (n > INT_MAX) {
        snprintf(msg, msg_size, "MPI reduction of %zu values: too many", n);
        return DCS_EIO;
    }
    MPI_Request req;
    int rc = MPI_Iallreduce(MPI_IN_PLACE, values, (int)n, MPI_DOUBLE, op, MPI_COMM_WORLD, &req);
    if (rc != MPI_SUCCESS)
        return mpi_fail(rc, "MPI_Iallreduce", msg, msg_size);
    const struct timespec nap = {0, 10000000};
    for (;;) {
        int done = 0;
        rc = MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS)
            return mpi_fail(rc, "MPI_Test", msg, msg_size);
        if (done)
            return DCS_OK;
        nanosleep(&nap, NULL);
    }
}

dcs_status dcs_sweep_mpi_sum(const dcs_sweep_mpi *m, double *values, size_t n, char *msg,
                             size_t msg_size)
{
    (void)m;
    return allreduce(values, n, MPI_SUM, msg, msg_size);
}

dcs_status dcs_sweep_mpi_max(const dcs_sweep_mpi *m, double *values, size_t n, char *msg,
                             size_t msg_size)
{
    (void)m;
    return allreduce(values, n, MPI_MAX, msg, msg_size);
}

void dcs_sweep_mpi_finish(dcs_sweep_mpi *m)
{
    (void)m;
    MPI_Finalize();
}

#else /* no MPI: the sweep stays on one machine */

bool dcs_sweep_mpi_available(void)
{
    return false;
}

dcs_status dcs_sweep_mpi_init(dcs_sweep_mpi *m, char *msg, size_t msg_size)
{
    *m = (dcs_sweep_mpi){0, 1, 1};
    snprintf(msg, msg_size, "this dcsim was built without MPI");
    return DCS_EIO;
}

dcs_status dcs_sweep_mpi_sum(const dcs_sweep_mpi *m, double *values, size_t n, char *msg,
                             size_t msg_size)
{
    /* One rank: the sums are the values themselves. */
    (void)m;
    (void)values;
    (void)n;
    (void)msg;
    (void)msg_size;
    return DCS_OK;
}

dcs_status dcs_sweep_mpi_max(const dcs_sweep_mpi *m, double *values, size_t n, char *msg,
                             size_t msg_size)
{
    return dcs_sweep_mpi_sum(m, values, n, msg, msg_size);
}

void dcs_sweep_mpi_finish(dcs_sweep_mpi *m)
{
    (void)m;
}

#endif
