/* test_llmtrace_realdata.c - imports the two Azure LLM inference traces
 * 2023 from ../shared/data, checks their sizes, rates and medians against
 * the SOURCE.md / FACTS.md figures, refits the lognormal token laws and
 * the empirical quantile tables and checks every number committed in
 * scenarios/catalog/workloads.yaml. */
#include "dcsim/llmtrace.h"
#include "dcsim/tokens.h"
#include "harness.h"

#include <gsl/gsl_sort.h>

typedef struct fit_line {
    double median, sigma, ks;
    int max_tokens;
} fit_line;

typedef struct profile {
    double rate;
    fit_line prompt, output;
    double prompt_q[DCS_TOKENS_TABLE_MAX], output_q[DCS_TOKENS_TABLE_MAX];
    int n_prompt_q, n_output_q;
    double prompt_q_ks, output_q_ks;
} profile;

/* Numbers of a "[a, b, ...]   # ks X" list after `key`; 0 if absent. */
static int read_list(const char *line, const char *key, double *v, double *ks)
{
    const char *p = strstr(line, key);
    if (!p || !(p = strchr(p, '[')))
        return 0;
    int n = 0;
    char *e;
    p++;
    while (n < DCS_TOKENS_TABLE_MAX) {
        double x = strtod(p, &e);
        if (e == p)
            break;
        v[n++] = x;
        p = e;
        while (*p == ',' || *p == ' ')
            p++;
    }
    const char *k = strstr(p, "# ks ");
    *ks = k ? atof(k + 5) : -1.0;
    return n;
}

/* Read one profile's numbers from the catalog by its name; 0 on success. */
static int read_catalog(const char *name, profile *p)
{
    FILE *f = fopen(DCSIM_SOURCE_DIR "/scenarios/catalog/workloads.yaml", "r");
    if (!f)
        return -1;
    char line[512], head[128];
    snprintf(head, sizeof head, "  %s:", name);
    int in = 0, got = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "  ", 2) == 0 && line[2] != ' ')
            in = strncmp(line, head, strlen(head)) == 0;
        if (!in)
            continue;
        got += sscanf(line, "    mean_rate: %lf/s", &p->rate) == 1;
        got += sscanf(line, "    prompt: {lognormal: {median: %lf, sigma: %lf}, max_tokens: %d} # ks %lf",
                      &p->prompt.median, &p->prompt.sigma, &p->prompt.max_tokens, &p->prompt.ks) == 4;
        got += sscanf(line, "    output: {lognormal: {median: %lf, sigma: %lf}, max_tokens: %d} # ks %lf",
                      &p->output.median, &p->output.sigma, &p->output.max_tokens, &p->output.ks) == 4;
        if (strncmp(line, "    prompt_quantiles:", 21) == 0)
            got += (p->n_prompt_q = read_list(line, "prompt_quantiles:", p->prompt_q, &p->prompt_q_ks)) > 0;
        if (strncmp(line, "    output_quantiles:", 21) == 0)
            got += (p->n_output_q = read_list(line, "output_quantiles:", p->output_q, &p->output_q_ks)) > 0;
    }
    fclose(f);
    return got == 5 ? 0 : -1;
}

static double median_of(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static void check_fit(double *x, size_t n, const fit_line *c)
{
    dcs_token_dist d;
    CHECK_INT(dcs_tokens_fit_lognormal(x, n, &d), 0);
    /* The catalog rounds to 5 significant digits. */
    CHECK_NEAR(d.median, c->median, 1e-4);
    CHECK_NEAR(d.sigma, c->sigma, 1e-4);
    CHECK_INT(d.max_tokens, c->max_tokens);
    CHECK_ABS(dcs_tokens_ks_lognormal(x, n, d.median, d.sigma), c->ks, 1e-4);
}

/* The empirical table: refit equals the catalog point by point, KS as
 * committed and below 0.02, mean within 2 % of the trace's. */
static void check_table(double *x, size_t n, const double *want, int nwant, double want_ks)
{
    double probs[DCS_TOKENS_TABLE_MAX];
    int k = dcs_tokens_table_probs(probs);
    CHECK_INT(nwant, k);
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    dcs_token_dist d;
    CHECK_INT(dcs_tokens_fit_table(x, n, probs, k, &d), 0);
    int same = nwant == k;
    for (int i = 0; i < k && same; i++)
        same &= d.quantiles[i] == want[i];
    CHECK(same);
    double ks = dcs_tokens_ks(x, n, &d);
    CHECK_ABS(ks, want_ks, 1e-4);
    CHECK(ks < 0.02);
    CHECK_NEAR(dcs_tokens_mean(&d), mean, 0.02);
}

static void one_trace(const char *dir, const char *file, const char *name,
                      size_t rows, double rate_facts, double med_prompt, double med_output)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/llm_traces/azure_llm_2023/%s", dir, file);
    dcs_diag *d = dcs_diag_new();
    dcs_llm_trace t;
    CHECK_INT(dcs_llm_trace_load(path, d, &t), DCS_OK);
    dcs_diag_print(d, stderr);
    CHECK_INT(t.n, rows);
    profile cat;
    CHECK_INT(read_catalog(name, &cat), 0);
    double span = dcs_time_to_s(t.at[t.n - 1]);
    CHECK_NEAR((double)t.n / span, cat.rate, 2e-4);
    CHECK_NEAR((double)t.n / span, rate_facts, 0.02);   /* FACTS.md 2, 2 digits */
    double *x = malloc(t.n * sizeof *x);
    CHECK(x != NULL);
    if (x) {
        for (size_t i = 0; i < t.n; i++)
            x[i] = t.prompt_tokens[i];
        CHECK_NEAR(median_of(x, t.n), med_prompt, 0);   /* SOURCE.md */
        check_fit(x, t.n, &cat.prompt);
        check_table(x, t.n, cat.prompt_q, cat.n_prompt_q, cat.prompt_q_ks);
        for (size_t i = 0; i < t.n; i++)
            x[i] = t.output_tokens[i];
        CHECK_NEAR(median_of(x, t.n), med_output, 0);
        check_fit(x, t.n, &cat.output);
        check_table(x, t.n, cat.output_q, cat.n_output_q, cat.output_q_ks);
        fprintf(stderr, "    %s: %zu requests over %.1f s = %.4f/s\n", name, t.n, span,
                (double)t.n / span);
    }
    free(x);
    dcs_llm_trace_free(&t);
    dcs_diag_free(d);
}

int main(void)
{
    const char *dir = getenv("DCSIM_SHARED_DATA");
    if (!dir)
        TEST_SKIP("DCSIM_SHARED_DATA not set");
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/llm_traces/azure_llm_2023/SOURCE.md", dir);
    FILE *f = fopen(probe, "r");
    if (!f)
        TEST_SKIP("shared data folder absent");
    fclose(f);
    /* Rows, rates and medians: SOURCE.md and FACTS.md section 2. */
    one_trace(dir, "AzureLLMInferenceTrace_code.csv", "azure-code-2023", 8819, 2.6, 1469, 13);
    one_trace(dir, "AzureLLMInferenceTrace_conv.csv", "azure-conv-2023", 19366, 5.5, 1020, 129);
    return TEST_END();
}
