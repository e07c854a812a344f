/* test_registry.c - named lookup, the unknown-name message, table checks. */
#include "dcsim/diag.h"
#include "dcsim/engine.h"
#include "dcsim/registry.h"
#include "harness.h"

static const int air = 1, immersion = 2, liquid = 3;

static const dcs_registry_entry cooling_entries[] = {
    {"air", &air}, {"direct_liquid", &liquid}, {"immersion", &immersion},
};
static const dcs_registry cooling = {"cooling model", cooling_entries, 3};

static void find(void)
{
    CHECK(dcs_registry_find(&cooling, "air") == &air);
    CHECK(dcs_registry_find(&cooling, "direct_liquid") == &liquid);
    CHECK(dcs_registry_find(&cooling, "immersion") == &immersion);
    CHECK(dcs_registry_find(&cooling, "Air") == NULL);    /* case matters */
    CHECK(dcs_registry_find(&cooling, "") == NULL);
    CHECK(dcs_registry_find(&cooling, "zzz") == NULL);
    static const dcs_registry empty = {"policy", NULL, 0};
    CHECK(dcs_registry_find(&empty, "air") == NULL);
}

static void unknown_message(void)
{
    char buf[256];
    size_t n = dcs_registry_unknown(&cooling, "imersion", buf, sizeof buf);
    CHECK_STR(buf, "unknown cooling model 'imersion'; valid names: air, direct_liquid, immersion");
    CHECK_INT(n, strlen(buf));
    /* truncated, still terminated, full length reported */
    char small[20];
    size_t m = dcs_registry_unknown(&cooling, "imersion", small, sizeof small);
    CHECK_INT(m, n);
    CHECK_STR(small, "unknown cooling mod");
    static const dcs_registry empty = {"policy", NULL, 0};
    dcs_registry_unknown(&empty, "rl", buf, sizeof buf);
    CHECK_STR(buf, "unknown policy 'rl'; valid names: (none)");
}

static void lookup_reports_located_error(void)
{
    dcs_diag *d = dcs_diag_new();
    CHECK(dcs_registry_lookup(&cooling, "air", d, (dcs_loc){"s.yaml", 4, 12}) == &air);
    CHECK(dcs_registry_lookup(&cooling, "water", d, (dcs_loc){"s.yaml", 9, 11}) == NULL);
    CHECK_INT(dcs_diag_errors(d), 1);
    CHECK_STR(dcs_diag_line(d, 0), "s.yaml:9:11: unknown cooling model 'water'; valid names: "
                                   "air, direct_liquid, immersion");
    dcs_diag_free(d);
}

static void table_checks(void)
{
    CHECK(dcs_registry_check(&cooling, NULL));
    static const dcs_registry_entry bad_order[] = {{"b", &air}, {"a", &air}};
    static const dcs_registry_entry dup[] = {{"a", &air}, {"a", &liquid}};
    dcs_diag *d = dcs_diag_new();
    CHECK(!dcs_registry_check(&(dcs_registry){"x", bad_order, 2}, d));
    CHECK(!dcs_registry_check(&(dcs_registry){"x", dup, 2}, d));
    CHECK_STR(dcs_diag_line(d, 0), "dcsim: x registry: 'a' is out of order after 'b'");
    CHECK_STR(dcs_diag_line(d, 1), "dcsim: x registry: 'a' repeats 'a'");
    dcs_diag_free(d);
}

static void builtin_lp_types(void)
{
    dcs_diag *d = dcs_diag_new();
    CHECK(dcs_registry_check(&dcs_lp_types, d));
    CHECK_INT(dcs_diag_errors(d), 0);
    const dcs_lp_type *t = dcs_registry_find(&dcs_lp_types, "phold");
    CHECK(t != NULL);
    CHECK_STR(t ? t->name : NULL, "phold");
    dcs_diag_free(d);
}

int main(void)
{
    RUN(find);
    RUN(unknown_message);
    RUN(lookup_reports_located_error);
    RUN(table_checks);
    RUN(builtin_lp_types);
    return TEST_END();
}
