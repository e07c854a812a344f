/*
 * rl.h - the learned placement policy (`placement: rl`), its policy file
 * and its training by evolution strategies (docs/rl.md).
 *
 * The policy scores every site s for each workload w and user region r
 * with one small function of a fixed set of per-(w, r, s) features
 * (dcs_rl_feature_names: carbon intensity now and forecast, price, PUE,
 * utilisation, p99 and RTT against the SLO, room), the same weights for
 * every site, so the number of weights does not depend on the scenario's
 * size and a policy trained on three sites reads thirty:
 *   x    = (f(w, r, s) - mean) / std              (per feature)
 *   score = theta . x + v . tanh(W x)            (hidden = 0: theta . x)
 *   split_w,r,s = exp(score_s) / sum_{usable s'} exp(score_s')
 * over the sites w may use; the spill order is by split, largest first.
 * Zero weights give equal shares (round_robin).  Optionally (replicas
 * set) a second head sets the replicas kept powered per site, as the
 * consolidate policy does but with a learned target utilisation:
 *   u_s = 0.3 + 0.7 sigmoid(psi . xbar_s)    (xbar_s: x averaged over the
 *                                             usable (w, r) of site s)
 *   kept_s = min(total, max(1, ceil(in_use_s / u_s)))
 * with in_use_s = dcs_policy_replicas_in_use for the split just chosen.
 * Optionally (caps set) a third head sets the power cap of every cluster
 * c of site s from the same averaged features:
 *   cap_s,c = cap_min_c + (1 - cap_min_c) sigmoid(phi . xbar_s)
 * (cap_min_c: the observation's cluster_cap_min).  Power policies later in
 * the stack (power_cap) run after rl and may overwrite the caps.
 * Enforcement (dcs_policy_enforce) applies as to every policy.
 *
 * The network is a plain value (fixed-size arrays, no allocation), so it
 * can be copied into a policy, a file and a training population freely.
 */
#ifndef DCSIM_RL_H
#define DCSIM_RL_H

#include <stdbool.h>
#include <stdint.h>

#include "dcsim/diag.h"
#include "dcsim/policy.h"
#include "dcsim/scenario.h"

#define DCS_RL_FEATURES 12
#define DCS_RL_MAX_HIDDEN DCS_RL_MAX_HIDDEN_UNITS
#define DCS_RL_MAX_PARAMS \
    (DCS_RL_FEATURES + DCS_RL_MAX_HIDDEN * (DCS_RL_FEATURES + 1) + 2 * DCS_RL_FEATURES)

/* Names of the features, in layout order (docs/rl.md defines each). */
extern const char *const dcs_rl_feature_names[DCS_RL_FEATURES];

/* The layout as one comma-separated string of the names (what a policy
 * file stores and is checked against). */
const char *dcs_rl_layout(void);

typedef struct dcs_rl_net {
    int hidden;                          /* tanh units, 0..DCS_RL_MAX_HIDDEN */
    bool replicas;                       /* the replica head is used */
    bool caps;                           /* the cap head is used */
    double mean[DCS_RL_FEATURES];        /* feature normalisation */
    double std[DCS_RL_FEATURES];         /* > 0 */
    /* Weights, dcs_rl_net_nparams used: theta[F], then for each hidden
     * unit j its F input weights and its output weight v_j, then (replicas)
     * psi[F], then (caps) phi[F]. */
    double w[DCS_RL_MAX_PARAMS];
} dcs_rl_net;

/* Running feature statistics (Welford), filled by an rl policy that has
 * params.rl_record set (training's normalisation episode). */
typedef struct dcs_rl_stats {
    double n;
    double mean[DCS_RL_FEATURES];
    double m2[DCS_RL_FEATURES];
} dcs_rl_stats;

/* Weights of the split head of a network with `hidden` units. */
int dcs_rl_nparams(int hidden);
/* All weights net uses (split head, and the replica and cap heads if on). */
int dcs_rl_net_nparams(const dcs_rl_net *net);
/* Index in net->w of the cap head's phi (its bias phi[0]). */
int dcs_rl_cap_offset(const dcs_rl_net *net);
/* Bias of psi in a new network with the replica head: u = 0.3 + 0.7 x
 * sigmoid(-3) = 0.33, so the head starts by keeping about three times the
 * replicas in use (nearly all, as without consolidation). */
#define DCS_RL_REPLICA_BIAS0 (-3.0)
/* Target utilisation of the replica head for a site's averaged raw
 * features f. */
double dcs_rl_target_util(const dcs_rl_net *net, const double *f);
/* Bias of phi in a new network with the cap head: sigmoid(3) = 0.953, so
 * an untrained head caps a cluster of minimum 0.3 at 0.967 of its maximum
 * (little change from uncapped). */
#define DCS_RL_CAP_BIAS0 3.0
/* Cap of the cap head, a fraction of the cluster's maximum in
 * [cap_min, 1], for a site's averaged raw features f and a cluster's
 * lowest cap cap_min (clamped to (0, 1]). */
double dcs_rl_cap(const dcs_rl_net *net, const double *f, double cap_min);

/* A network with zero weights (equal splits), mean 0 and std 1. */
void dcs_rl_net_init(dcs_rl_net *net, int hidden);

/* The features of site s for workload w and region r, raw (before
 * normalisation), into f[DCS_RL_FEATURES]. */
void dcs_rl_features(const dcs_policy_obs *obs, int w, int r, int s, double *f);

/* Score of one raw feature vector under net. */
double dcs_rl_score(const dcs_rl_net *net, const double *f);

/* Set net's mean and std from st (std floored at 0.1, raw features
 * being of order 1, and the bias feature kept at mean 0, std 1). */
void dcs_rl_stats_apply(const dcs_rl_stats *st, dcs_rl_net *net);

/* The policy type "rl" (role placement).  Its weights come from
 * params.rl_net (copied at init; NULL: zero weights, equal splits; a
 * network with non-finite values or std <= 0 is DCS_ERANGE). */
extern const dcs_policy_type dcs_policy_rl;

/* ---- policy file (sim/rl_file.c) ---------------------------------------- */

#define DCS_RL_MAX_CURVE 1024

/* One training generation. */
typedef struct dcs_rl_curve_point {
    int generation;
    double mean_return;                  /* over the population */
    double best_return;
    double center_return;                /* the unperturbed weights */
    double wall_s;                       /* since training started */
} dcs_rl_curve_point;

/* Everything a policy file holds besides the network. */
typedef struct dcs_rl_meta {
    char scenario[128];                  /* training scenario's name */
    char scenario_hash[17];              /* FNV-1a 64 of its effective text, hex */
    char version[32];                    /* dcsim version that trained it */
    double reward_energy, reward_carbon, reward_cost, reward_sla;
    uint64_t seed;
    int threads;
    int ncurve;
    dcs_rl_curve_point curve[DCS_RL_MAX_CURVE];
} dcs_rl_meta;

/* Write net and meta to path (through path.tmp, renamed when complete).
 * DCS_OK, or DCS_EIO with a message in d naming the file. */
dcs_status dcs_rl_file_write(const char *path, const dcs_rl_net *net, const dcs_rl_meta *meta,
                             dcs_diag *d);

/* Read a policy file.  A missing or unreadable file, or one whose feature
 * layout differs from dcs_rl_layout() (the message names both), is
 * DCS_EINPUT with the file name in d.  meta may be NULL. */
dcs_status dcs_rl_file_read(const char *path, dcs_rl_net *net, dcs_rl_meta *meta, dcs_diag *d);

/* Check that net (read from the policy file path) has the heads the
 * scenario's policy.rl asks for: a cap head exactly when rl->caps (the
 * replica head is not checked, policy files trained with it being read
 * by scenarios that do not set policy.rl.replicas).  DCS_OK, or
 * DCS_EINPUT with a message naming the file and both outputs. */
dcs_status dcs_rl_check_outputs(const dcs_rl_net *net, const dcs_rl_spec *rl, const char *path,
                                dcs_diag *d);

/* The outputs string of net as a policy file records it: "split", then
 * ",replicas" and ",caps" for the heads it has. */
const char *dcs_rl_outputs(const dcs_rl_net *net);

/* FNV-1a 64-bit hash of text as 16 hex digits into out[17]. */
void dcs_rl_hash_text(const char *text, char out[17]);

/* ---- training (sim/rl_train.c) ------------------------------------------ */

typedef struct dcs_rl_train_opts {
    uint64_t seed;
    int threads;                         /* OpenMP threads for episodes; 0: all */
    int generations;                     /* < 0: the scenario's policy.rl.generations */
    bool quiet;                          /* no progress lines */
} dcs_rl_train_opts;

/* Train on scenario s (read from path; its policy.rl table gives the
 * periods, reward weights and ES settings).  Writes the trained network
 * into *net and the curve and provenance into *meta.  Deterministic for a
 * seed whatever the thread count.  DCS_EINPUT (message in d) when an
 * episode cannot be built, DCS_ENOMEM. */
dcs_status dcs_rl_train(const dcs_scenario *s, const char *path, const dcs_rl_train_opts *o,
                        dcs_rl_net *net, dcs_rl_meta *meta, dcs_diag *d);


#endif
