/*
 * rl_file.c - the policy file of placement: rl (HDF5; rl.h, docs/rl.md).
 *
 * Layout:
 *   attributes of /   format ("dcsim-rl-policy 1"), feature_layout (the
 *                     comma-separated feature names), nfeatures, hidden,
 *                     scenario, scenario_hash, dcsim_version, seed,
 *                     threads, reward_energy, reward_carbon, reward_cost,
 *                     reward_sla
 *                     outputs ("split", "split,replicas", "split,caps"
 *                     or "split,replicas,caps" for the heads the network
 *                     has; absent: "split")
 *   /weights          double[dcs_rl_net_nparams(net)]
 *   /norm_mean        double[nfeatures]
 *   /norm_std         double[nfeatures]
 *   /curve            double[ngenerations][5], attribute columns
 *                     "generation,mean_return,best_return,center_return,wall_s"
 * The file is written to PATH.tmp and renamed when complete, so a policy
 * file that exists is whole.  Reading checks the layout first: a file of
 * another feature layout is refused naming both layouts;
 * dcs_rl_check_outputs refuses a file whose cap head the scenario's
 * policy.rl.caps does not match.
 */
#define _POSIX_C_SOURCE 200809L

#include "dcsim/rl.h"

#include <hdf5.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FORMAT[] = "dcsim-rl-policy 1";
/* Outputs strings indexed by replicas + 2 x caps. */
static const char *const OUTPUTS[4] = {"split", "split,replicas", "split,caps",
                                       "split,replicas,caps"};
static const char CURVE_COLUMNS[] = "generation,mean_return,best_return,center_return,wall_s";
enum { CURVE_NCOLS = 5 };

const char *dcs_rl_outputs(const dcs_rl_net *net)
{
    return OUTPUTS[(net->replicas ? 1 : 0) + (net->caps ? 2 : 0)];
}

dcs_status dcs_rl_check_outputs(const dcs_rl_net *net, const dcs_rl_spec *rl, const char *path,
                                dcs_diag *d)
{
    if (net->caps == rl->caps)
        return DCS_OK;
    dcs_loc at = {path, 0, 0};
    dcs_diag_error(d, at, "policy file outputs '%s' do not match the scenario's "
                   "policy.rl.caps: %s (%s); retrain with dcsim train",
                   dcs_rl_outputs(net), rl->caps ? "true" : "false",
                   rl->caps ? "the scenario needs a cap head, outputs with 'caps'"
                            : "the file has a cap head the scenario does not ask for");
    return DCS_EINPUT;
}

void dcs_rl_hash_text(const char *text, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;            /* FNV-1a 64 offset basis */
    for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;                     /* FNV-1a 64 prime */
    }
    snprintf(out, 17, "%016" PRIx64, h);
}

/* ---- writing ------------------------------------------------------------ */

static bool put_str(hid_t f, const char *name, const char *v)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return false;
    bool ok = H5Tset_size(t, strlen(v) + 1) >= 0;
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = ok && sp >= 0 ? H5Acreate2(f, name, t, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
    ok = a >= 0 && H5Awrite(a, t, v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static bool put_scalar(hid_t f, const char *name, hid_t type, const void *v)
{
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = sp >= 0 ? H5Acreate2(f, name, type, sp, H5P_DEFAULT, H5P_DEFAULT) : -1;
    bool ok = a >= 0 && H5Awrite(a, type, v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    if (sp >= 0)
        H5Sclose(sp);
    return ok;
}

static bool put_doubles(hid_t f, const char *name, int rank, const hsize_t *dims, const double *v)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t ds = sp >= 0 ? H5Dcreate2(f, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT,
                                    H5P_DEFAULT)
                       : -1;
    bool ok = ds >= 0 && H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    if (ok && strcmp(name, "curve") == 0)
        ok = put_str(ds, "columns", CURVE_COLUMNS);
    if (ds >= 0)
        H5Dclose(ds);
    if (sp >= 0)
        H5Sclose(sp);
    return ok;
}

static bool write_all(hid_t f, const dcs_rl_net *net, const dcs_rl_meta *m)
{
    int nf = DCS_RL_FEATURES;
    bool ok = put_str(f, "format", FORMAT) && put_str(f, "feature_layout", dcs_rl_layout()) &&
              put_scalar(f, "nfeatures", H5T_NATIVE_INT, &nf) &&
              put_scalar(f, "hidden", H5T_NATIVE_INT, &net->hidden) &&
              put_str(f, "outputs", dcs_rl_outputs(net)) &&
              put_str(f, "scenario", m->scenario) &&
              put_str(f, "scenario_hash", m->scenario_hash) &&
              put_str(f, "dcsim_version", m->version) &&
              put_scalar(f, "seed", H5T_NATIVE_UINT64, &m->seed) &&
              put_scalar(f, "threads", H5T_NATIVE_INT, &m->threads) &&
              put_scalar(f, "reward_energy", H5T_NATIVE_DOUBLE, &m->reward_energy) &&
              put_scalar(f, "reward_carbon", H5T_NATIVE_DOUBLE, &m->reward_carbon) &&
              put_scalar(f, "reward_cost", H5T_NATIVE_DOUBLE, &m->reward_cost) &&
              put_scalar(f, "reward_sla", H5T_NATIVE_DOUBLE, &m->reward_sla);
    hsize_t np = (hsize_t)dcs_rl_net_nparams(net), nfd = DCS_RL_FEATURES;
    ok = ok && put_doubles(f, "weights", 1, &np, net->w) &&
         put_doubles(f, "norm_mean", 1, &nfd, net->mean) &&
         put_doubles(f, "norm_std", 1, &nfd, net->std);
    int n = m->ncurve < 0 ? 0 : m->ncurve > DCS_RL_MAX_CURVE ? DCS_RL_MAX_CURVE : m->ncurve;
    double *rows = calloc((size_t)(n > 0 ? n : 1) * CURVE_NCOLS, sizeof *rows);
    if (!rows)
        return false;
    for (int i = 0; i < n; i++) {
        const dcs_rl_curve_point *c = &m->curve[i];
        double *row = rows + (size_t)i * CURVE_NCOLS;
        row[0] = c->generation;
        row[1] = c->mean_return;
        row[2] = c->best_return;
        row[3] = c->center_return;
        row[4] = c->wall_s;
    }
    hsize_t dims[2] = {(hsize_t)n, CURVE_NCOLS};
    ok = ok && put_doubles(f, "curve", 2, dims, rows);
    free(rows);
    return ok;
}

dcs_status dcs_rl_file_write(const char *path, const dcs_rl_net *net, const dcs_rl_meta *meta,
                             dcs_diag *d)
{
    dcs_loc at = {path, 0, 0};
    size_t len = strlen(path) + 5;
    char *tmp = malloc(len);
    if (!tmp)
        return DCS_ENOMEM;
    snprintf(tmp, len, "%s.tmp", path);
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    bool ok = f >= 0 && write_all(f, net, meta);
    if (f >= 0 && H5Fclose(f) < 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        remove(tmp);
        dcs_diag_error(d, at, "cannot write the policy file");
    }
    free(tmp);
    return ok ? DCS_OK : DCS_EIO;
}

/* ---- reading ------------------------------------------------------------ */

/* A fixed- or variable-length string attribute into buf (size n). */
static bool get_str(hid_t f, const char *name, char *buf, size_t n)
{
    buf[0] = '\0';
    if (H5Aexists(f, name) <= 0)
        return false;
    hid_t a = H5Aopen(f, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : -1;
    bool ok = t >= 0 && H5Tget_class(t) == H5T_STRING && !H5Tis_variable_str(t);
    size_t size = ok ? H5Tget_size(t) : 0;
    char *tmp = ok ? calloc(size + 1, 1) : NULL;
    ok = tmp && H5Aread(a, t, tmp) >= 0;
    if (ok)
        snprintf(buf, n, "%s", tmp);
    free(tmp);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return ok;
}

static bool get_scalar(hid_t f, const char *name, hid_t type, void *v)
{
    if (H5Aexists(f, name) <= 0)
        return false;
    hid_t a = H5Aopen(f, name, H5P_DEFAULT);
    bool ok = a >= 0 && H5Aread(a, type, v) >= 0;
    if (a >= 0)
        H5Aclose(a);
    return ok;
}

/* Dataset name into v: exactly n values (rank 1) or rows x cols (rank 2,
 * *rows set; at most n values). */
static bool get_doubles(hid_t f, const char *name, double *v, size_t n, hsize_t *rows)
{
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0)
        return false;
    hid_t ds = H5Dopen2(f, name, H5P_DEFAULT);
    hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
    hsize_t dims[2] = {0, 0};
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    bool ok = rank == (rows ? 2 : 1) && H5Sget_simple_extent_dims(sp, dims, NULL) == rank;
    size_t count = ok ? (size_t)dims[0] * (rows ? (size_t)dims[1] : 1) : 0;
    ok = ok && (rows ? count <= n && dims[1] == CURVE_NCOLS : count == n);
    if (ok && count > 0)
        ok = H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
    if (rows)
        *rows = ok ? dims[0] : 0;
    if (sp >= 0)
        H5Sclose(sp);
    if (ds >= 0)
        H5Dclose(ds);
    return ok;
}

static bool read_curve(hid_t f, dcs_rl_meta *m)
{
    double *rows = calloc((size_t)DCS_RL_MAX_CURVE * CURVE_NCOLS, sizeof *rows);
    hsize_t n = 0;
    bool ok = rows && get_doubles(f, "curve", rows, (size_t)DCS_RL_MAX_CURVE * CURVE_NCOLS, &n);
    m->ncurve = ok ? (int)n : 0;
    for (int i = 0; i < m->ncurve; i++) {
        const double *row = rows + (size_t)i * CURVE_NCOLS;
        m->curve[i] = (dcs_rl_curve_point){(int)row[0], row[1], row[2], row[3], row[4]};
    }
    free(rows);
    return ok;
}

dcs_status dcs_rl_file_read(const char *path, dcs_rl_net *net, dcs_rl_meta *meta, dcs_diag *d)
{
    dcs_loc at = {path, 0, 0};
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        dcs_diag_error(d, at, "cannot open the rl policy file");
        return DCS_EINPUT;
    }
    fclose(probe);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        dcs_diag_error(d, at, "not an HDF5 file (an rl policy file is written by dcsim train)");
        return DCS_EINPUT;
    }
    dcs_status st = DCS_EINPUT;
    char format[64], layout[512];
    int nf = 0, hidden = -1;
    if (!get_str(f, "format", format, sizeof format) || strcmp(format, FORMAT) != 0) {
        dcs_diag_error(d, at, "not an rl policy file (format '%s', expected '%s')", format,
                       FORMAT);
        goto out;
    }
    get_str(f, "feature_layout", layout, sizeof layout);
    get_scalar(f, "nfeatures", H5T_NATIVE_INT, &nf);
    if (strcmp(layout, dcs_rl_layout()) != 0 || nf != DCS_RL_FEATURES) {
        dcs_diag_error(d, at, "policy file feature layout '%s' (%d features) does not match "
                       "this dcsim's layout '%s' (%d features); retrain with dcsim train",
                       layout, nf, dcs_rl_layout(), DCS_RL_FEATURES);
        goto out;
    }
    if (!get_scalar(f, "hidden", H5T_NATIVE_INT, &hidden) || hidden < 0 ||
        hidden > DCS_RL_MAX_HIDDEN) {
        dcs_diag_error(d, at, "policy file: hidden units %d outside 0..%d", hidden,
                       DCS_RL_MAX_HIDDEN);
        goto out;
    }
    dcs_rl_net_init(net, hidden);
    char outputs[64] = "";
    if (H5Aexists(f, "outputs") > 0 && !get_str(f, "outputs", outputs, sizeof outputs))
        outputs[0] = '?';
    int heads = outputs[0] ? -1 : 0;
    for (int k = 0; k < 4 && outputs[0]; k++)
        if (strcmp(outputs, OUTPUTS[k]) == 0)
            heads = k;
    if (heads < 0) {
        dcs_diag_error(d, at, "policy file: outputs '%s' unknown (this dcsim knows '%s', '%s', "
                       "'%s' and '%s')", outputs, OUTPUTS[0], OUTPUTS[1], OUTPUTS[2],
                       OUTPUTS[3]);
        goto out;
    }
    net->replicas = heads & 1;
    net->caps = heads & 2;
    if (!get_doubles(f, "weights", net->w, (size_t)dcs_rl_net_nparams(net), NULL) ||
        !get_doubles(f, "norm_mean", net->mean, DCS_RL_FEATURES, NULL) ||
        !get_doubles(f, "norm_std", net->std, DCS_RL_FEATURES, NULL)) {
        dcs_diag_error(d, at, "policy file: weights or normalisation missing or of the wrong "
                       "size (%d weights expected for %d hidden units and outputs '%s')",
                       dcs_rl_net_nparams(net), hidden, dcs_rl_outputs(net));
        goto out;
    }
    for (int i = 0; i < DCS_RL_FEATURES; i++)
        if (!(net->std[i] > 0.0) || !isfinite(net->std[i]) || !isfinite(net->mean[i])) {
            dcs_diag_error(d, at, "policy file: normalisation of feature '%s' is not finite "
                           "with std > 0", dcs_rl_feature_names[i]);
            goto out;
        }
    if (meta) {
        memset(meta, 0, sizeof *meta);
        get_str(f, "scenario", meta->scenario, sizeof meta->scenario);
        get_str(f, "scenario_hash", meta->scenario_hash, sizeof meta->scenario_hash);
        get_str(f, "dcsim_version", meta->version, sizeof meta->version);
        get_scalar(f, "seed", H5T_NATIVE_UINT64, &meta->seed);
        get_scalar(f, "threads", H5T_NATIVE_INT, &meta->threads);
        get_scalar(f, "reward_energy", H5T_NATIVE_DOUBLE, &meta->reward_energy);
        get_scalar(f, "reward_carbon", H5T_NATIVE_DOUBLE, &meta->reward_carbon);
        get_scalar(f, "reward_cost", H5T_NATIVE_DOUBLE, &meta->reward_cost);
        get_scalar(f, "reward_sla", H5T_NATIVE_DOUBLE, &meta->reward_sla);
        read_curve(f, meta);
    }
    st = DCS_OK;
out:
    H5Fclose(f);
    return st;
}
