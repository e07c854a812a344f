/*
 * test_schema.c - the generic validator on a small table of its own: every
 * field type filled, defaults, several problems reported in one pass,
 * suggestions, cross-field checks with locations, and the printed tables.
 * Numbers here are arbitrary test values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/schema.h"
#include "harness.h"

/* A pump with a monthly table, a catalog of motors and a list of stages. */
typedef struct motor {
    const char *name;
    double power_w;
} motor;

typedef struct stage {
    const char *name;
    double lift_k;
} stage;

typedef struct pump {
    const char *name;
    double flow_fraction;
    int64_t count;
    dcs_time period;
    bool spare;
    int kind;
    double *monthly_c;
    size_t nmonthly_c;
    double *profile_kw;
    size_t nprofile_kw;
    const char **tags;
    size_t ntags;
    motor *motors;
    size_t nmotors;
    stage *stages;
    size_t nstages;
    stage first;
    const dcs_ynode *extra;
} pump;

static const char *const kinds[] = {"centrifugal", "screw", NULL};

static void check_stage(void *obj, dcs_schema_ctx *c)
{
    const stage *s = obj;
    if (s->lift_k > 20)
        dcs_schema_error(c, s, "lift_k", "lift of stage '%s' above 20 K needs two stages",
                         s->name);
}

static const dcs_field motor_fields[] = {
    DCS_FIELD_STR(motor, name, "name", DCS_NAME_KEY, NULL, "catalog key"),
    DCS_FIELD_NUM(motor, power_w, "power", DCS_UNIT_POWER, DCS_SCALAR_FORM | DCS_REQUIRED,
                  NULL, 0, 1e6, "shaft power"),
};
static const dcs_schema motor_schema = DCS_SCHEMA("motor", motor, motor_fields, NULL, "A motor.");

static const dcs_field stage_fields[] = {
    DCS_FIELD_STR(stage, name, "name", DCS_REQUIRED, NULL, "stage name"),
    DCS_FIELD_NUM(stage, lift_k, "lift_k", DCS_UNIT_TEMP_DIFF, 0, "5 K", 0, 50, "lift"),
};
static const dcs_schema stage_schema =
    DCS_SCHEMA("stage", stage, stage_fields, check_stage, "A stage.");

static const dcs_field pump_fields[] = {
    DCS_FIELD_STR(pump, name, "name", DCS_REQUIRED, NULL, "name"),
    DCS_FIELD_NUM(pump, flow_fraction, "flow", DCS_UNIT_FRACTION, DCS_BARE_OK, "50 %", 0, 1,
                  "share of design flow"),
    DCS_FIELD_INT(pump, count, "count", 0, "2", 1, 16, "pumps in parallel"),
    DCS_FIELD_DUR(pump, period, "period", DCS_MIN_EXCL, "90 s", 0, 86400e9, "control period"),
    DCS_FIELD_BOOL(pump, spare, "spare", 0, "false", "one spare pump"),
    DCS_FIELD_ENUM(pump, kind, "kind", 0, "screw", kinds, "pump type"),
    DCS_FIELD_NUMS(pump, monthly_c, "monthly_c", 0, 12, -60, 60, "monthly mean, degC"),
    DCS_FIELD_TABLE(pump, profile_kw, "profile_kw", 0, 2, 3, 0, 100, "2 x 3 power table"),
    DCS_FIELD_STRS(pump, tags, "tags", 0, "labels"),
    DCS_FIELD_DICT(pump, motors, "motors", 0, &motor_schema, "motors by name"),
    DCS_FIELD_LIST(pump, stages, "stages", 0, &stage_schema, "stages"),
    DCS_FIELD_MAP(pump, first, "first", 0, &stage_schema, "the first stage"),
    DCS_FIELD_ANY(pump, extra, "extra", 0, "anything"),
};
static const dcs_schema pump_schema =
    DCS_SCHEMA("pump", pump, pump_fields, NULL, "A pump.");

static dcs_ynode *parse(dcs_ytree *t, const char *text, dcs_diag *d)
{
    return dcs_ytree_parse(t, text, strlen(text), "p.yaml", 1, 0, d);
}

static void fills_every_type(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    dcs_ynode *m = parse(t,
        "name: p1\n"
        "flow: 0.75\n"
        "count: 4\n"
        "period: 2 min\n"
        "spare: true\n"
        "kind: centrifugal\n"
        "monthly_c: [-12.5, -11, -6, 0.5, 7, 13, 16.5, 14, 8.5, 2, -4, -9]\n"
        "profile_kw: [[1, 2, 3.5], [4, 5, 6]]\n"
        "tags: [a, b]\n"
        "motors: {m1: 7.5 kW, m2: {power: 11 kW}}\n"
        "stages: [{name: s1, lift_k: 8 K}, {name: s2}]\n"
        "extra: {anything: [1, 2]}\n", d);
    pump p;
    memset(&p, 0, sizeof p);
    CHECK_INT(dcs_schema_parse(&pump_schema, m, &p, t, d), 0);
    CHECK_STR(p.name, "p1");
    CHECK_NEAR(p.flow_fraction, 0.75, 1e-15);
    CHECK_INT(p.count, 4);
    CHECK_INT(p.period, 120 * DCS_SECOND);
    CHECK(p.spare);
    CHECK_INT(p.kind, 0);
    CHECK_INT(p.nmonthly_c, 12);
    if (p.nmonthly_c == 12) {
        CHECK_NEAR(p.monthly_c[0], -12.5, 1e-15);
        CHECK_NEAR(p.monthly_c[11], -9, 1e-15);
    }
    CHECK_INT(p.nprofile_kw, 6);   /* 2 rows x 3, row-major */
    if (p.nprofile_kw == 6) {
        CHECK_NEAR(p.profile_kw[2], 3.5, 1e-15);
        CHECK_NEAR(p.profile_kw[3], 4, 1e-15);
    }
    CHECK_INT(p.ntags, 2);
    CHECK_STR(p.ntags == 2 ? p.tags[1] : NULL, "b");
    CHECK_INT(p.nmotors, 2);
    if (p.nmotors == 2) {
        CHECK_STR(p.motors[0].name, "m1");
        CHECK_NEAR(p.motors[0].power_w, 7500, 1e-15);   /* scalar form */
        CHECK_STR(p.motors[1].name, "m2");
        CHECK_NEAR(p.motors[1].power_w, 11000, 1e-15);  /* mapping form */
    }
    CHECK_INT(p.nstages, 2);
    if (p.nstages == 2) {
        CHECK_NEAR(p.stages[0].lift_k, 8, 1e-15);
        CHECK_NEAR(p.stages[1].lift_k, 5, 1e-15);       /* default "5 K" */
    }
    CHECK_NEAR(p.first.lift_k, 5, 1e-15);   /* absent map: its defaults apply */
    CHECK(p.first.name == NULL);            /* ... and its required keys are not demanded */
    CHECK(p.extra && p.extra->kind == DCS_Y_MAP);
    CHECK_INT(dcs_diag_errors(d), 0);
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void defaults_and_absent(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    pump p;
    memset(&p, 0, sizeof p);
    CHECK_INT(dcs_schema_parse(&pump_schema, parse(t, "name: p\n", d), &p, t, d), 0);
    CHECK_NEAR(p.flow_fraction, 0.5, 1e-15);
    CHECK_INT(p.count, 2);
    CHECK_INT(p.period, 90 * DCS_SECOND);
    CHECK(!p.spare);
    CHECK_INT(p.kind, 1);
    CHECK_INT(p.nmotors, 0);
    CHECK(p.motors == NULL);
    CHECK(p.extra == NULL);
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

/* One pass reports every problem, each at its own place, in the order:
 * unknown keys of a mapping first, then its fields in table order. */
static void several_problems_one_pass(void)
{
    dcs_ytree *t = dcs_ytree_new();
    dcs_diag *d = dcs_diag_new();
    dcs_ynode *m = parse(t,
        "flwo: 10 %\n"                       /* 1: typo */
        "count: 40\n"                        /* 2: above 16 */
        "period: 0 s\n"                      /* 3: must be > 0 */
        "spare: yes\n"                       /* 4: not true/false */
        "kind: scerw\n"                      /* 5: typo of an enum name */
        "monthly_c: [1, 2, 3]\n"             /* 6: needs 12 */
        "tags: {a: 1}\n"                     /* 7: not a list */
        "motors: {m1: 7.5 kWh}\n"            /* 8: energy, not power */
        "stages: [{name: s1, lift_k: 30 K}, 5]\n"   /* 9: check; item 2 not a mapping */
        "zzz: 1\n"                           /* 10: unknown, nothing near */
        "profile_kw: [[1, 2, 300], [4, 5]]\n", d);  /* 11: out of range; short row */
    pump p;
    memset(&p, 0, sizeof p);
    int n = dcs_schema_parse(&pump_schema, m, &p, t, d);
    CHECK_INT(n, 14);
    const char *want[] = {
        "p.yaml:1:1: unknown key 'flwo' in pump; did you mean 'flow'?",
        "p.yaml:10:1: unknown key 'zzz' in pump (valid keys: name, flow, count, period, spare, "
        "kind, monthly_c, profile_kw, tags, motors, stages, first, extra)",
        "p.yaml:1:1: missing required key 'name' in pump",
        "p.yaml:2:8: count: '40' is out of range (allowed: 1 to 16)",
        "p.yaml:3:9: period: '0 s' is out of range (allowed: above 0 s to 1 d)",
        "p.yaml:4:8: spare: 'yes' must be true or false",
        "p.yaml:5:7: kind: unknown name 'scerw'; did you mean 'screw'? (valid: centrifugal, screw)",
        "p.yaml:6:12: monthly_c: expected 12 numbers, found 3",
        "p.yaml:11:21: profile_kw: '300' is out of range (allowed: 0 to 100)",
        "p.yaml:11:27: profile_kw: row 2 has 2 numbers, expected 3",
        "p.yaml:7:7: tags: expected a list of names like [a, b], found a mapping",
        "p.yaml:8:14: power: '7.5 kWh' is in units of energy; power takes W, kW, MW, GW",
        "p.yaml:9:29: lift of stage 's1' above 20 K needs two stages",
        "p.yaml:9:36: stages: item 2 must be a mapping of stage parameters, not a scalar",
    };
    for (int i = 0; i < 14; i++)
        CHECK_STR(dcs_diag_line(d, i), want[i]);
    dcs_diag_free(d);
    dcs_ytree_free(t);
}

static void suggestions(void)
{
    const char *names[] = {"power_limit", "pue_overhead", "name", "cooling"};
    CHECK_STR(dcs_schema_suggest("nmae", names, 4), "name");          /* transposition */
    CHECK_STR(dcs_schema_suggest("power_limt", names, 4), "power_limit");
    CHECK_STR(dcs_schema_suggest("colling", names, 4), "cooling");
    CHECK(dcs_schema_suggest("xyz", names, 4) == NULL);
    CHECK(dcs_schema_suggest("ab", names, 4) == NULL);   /* too short to guess */
}

static void printed_tables(void)
{
    FILE *f = tmpfile();
    CHECK(f != NULL);
    if (!f)
        return;
    dcs_schema_print(&pump_schema, true, f);
    long size = ftell(f);
    CHECK(size > 0 && size < 16000);
    char buf[16384];
    rewind(f);
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    buf[got] = '\0';
    fclose(f);
    /* Each table once, in the order first met, with its rows. */
    CHECK(strstr(buf, "## pump\n\nA pump.\n") == buf);
    CHECK(strstr(buf, "| `count` | integer | `2` | >= 1, <= 16 | pumps in parallel |") != NULL);
    CHECK(strstr(buf, "| `flow` | fraction (%, or a bare number: 0.3 = 30 %) | `50 %` | "
                      ">= 0 %, <= 100 % | share of design flow |") != NULL);
    CHECK(strstr(buf, "| `stages` | list of [stage](#stage) | - |  | stages |") != NULL);
    const char *st = strstr(buf, "## stage");
    CHECK(st != NULL && strstr(st + 1, "## stage") == NULL);
    CHECK(strstr(buf, "## motor") != NULL && strstr(buf, "## motor") < st);
}

int main(void)
{
    RUN(fills_every_type);
    RUN(defaults_and_absent);
    RUN(several_problems_one_pass);
    RUN(suggestions);
    RUN(printed_tables);
    return TEST_END();
}
