/*
 * fuzz_trace.c - libFuzzer harness for the HDF5 trace reader and the
 * exporters (`dcsim export`): the input is a whole trace file, seeded with
 * small valid traces that the fuzzer mutates.
 *
 * The input is written to a per-process temporary .h5 file and read as
 * `dcsim export` does, partial traces allowed: the list of datasets, the
 * summary, and every listed dataset (up to 32) exported to a memory stream;
 * then the reader's attribute and metric look-ups.  Crashes inside libhdf5
 * itself on malformed files are possible and are not dcsim's to fix; they
 * are recorded in docs/robustness.md.
 * Invariant: a failed export writes its one error message.
 */
#include "fuzz_common.h"

#include "dcsim/trace.h"

enum { MAX_DATASETS = 32 };

/* Export into a memory stream and discard; returns the status. */
static dcs_status export_one(const char *path, const char *dataset, FILE *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        abort();
    dcs_trace_export_opts o = {true, err};
    dcs_status st = dataset ? dcs_trace_export_dataset(path, dataset, &o, out)
                            : dcs_trace_export_summary(path, NULL, &o, out);
    fclose(out);
    free(buf);
    return st;
}

int FUZZ_ENTRY(const uint8_t *data, size_t size)
{
    static bool inited;
    if (!inited) {
        dcs_trace_init();   /* silence HDF5's own error printing */
        inited = true;
    }
    char path[512];
    fuzz_tmp_path(path, sizeof path, ".h5");
    fuzz_write_file(path, data, size);

    char *ebuf = NULL;
    size_t elen = 0;
    FILE *err = open_memstream(&ebuf, &elen);
    char *names = NULL;
    size_t nlen = 0;
    FILE *list = open_memstream(&names, &nlen);
    if (!err || !list)
        abort();
    dcs_trace_export_opts o = {true, err};
    dcs_status st = dcs_trace_export_list(path, &o, list);
    fclose(list);
    if (st == DCS_OK) {
        int k = 0;
        for (char *p = names, *nl; p && *p && k < MAX_DATASETS; p = nl ? nl + 1 : NULL, k++) {
            nl = strchr(p, '\n');
            if (nl)
                *nl = '\0';
            (void)export_one(path, p, err);
        }
        (void)export_one(path, NULL, err);
    }
    fflush(err);
    fuzz_require(st == DCS_OK || elen > 0);
    free(names);

    dcs_trace_reader *r = NULL;
    char msg[256];
    if (dcs_trace_reader_open(path, true, &r, msg, sizeof msg) == DCS_OK) {
        int64_t i64;
        double f64;
        char sbuf[64];
        (void)dcs_trace_reader_attr_i64(r, "", "complete", &i64);
        (void)dcs_trace_reader_attr_str(r, "", "status", sbuf, sizeof sbuf);
        (void)dcs_trace_reader_metric(r, NULL, "energy_kwh", &f64, sbuf, sizeof sbuf);
        double *col = NULL;
        size_t n = 0;
        if (dcs_trace_reader_column(r, "sites/hall/series/time_s", &col, &n) == DCS_OK)
            free(col);
        dcs_trace_reader_close(r);
    } else {
        fuzz_require(msg[0] != '\0');
    }
    fclose(err);
    free(ebuf);
    unlink(path);
    return 0;
}
