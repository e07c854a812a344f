/*
 * units.c - the unit table and the parser of "number unit" values.
 *
 * value_internal = number * factor + offset, with one row per accepted
 * symbol.  Factors are exact definitions, not measurements:
 *   1 Wh = 3600 J;  1 kWh = 3.6e6 J;  1 MWh = 3.6e9 J
 *   350 gCO2/kWh = 350 * 1e-3 kg / 3.6e6 J = 9.722e-8 kg/J
 *   1 USD/kWh = 1 / 3.6e6 USD/J;  1 USD/kW/month = 1e-3 USD/W/month
 *   1 m3 = 1000 L;  1 L/kWh = 1 / 3.6e6 L/J;  1 KiB = 1024 B
 *   duration factors are nanoseconds (1 w = 7 d = 6.048e14 ns), all exact
 *   in a double, so integral durations convert exactly.
 * Temperatures are kept in degC, so every temperature symbol has factor 1
 * and offset 0; the offset column exists for symbols such as K-as-absolute
 * that dcsim deliberately does not accept (K means a difference).
 *
 * Leaves out: composable SI prefixes and unit algebra; only listed symbols.
 */
#include "dcsim/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_row {
    const char *symbol;
    dcs_unit_kind kind;
    double factor;
    double offset;
    bool format;            /* used by dcs_unit_format */
} unit_row;

/* kWh in joules, for the per-kWh rows. */
#define KWH 3.6e6

static const unit_row units[] = {
    {"W", DCS_UNIT_POWER, 1, 0, true},
    {"kW", DCS_UNIT_POWER, 1e3, 0, true},
    {"MW", DCS_UNIT_POWER, 1e6, 0, true},
    {"GW", DCS_UNIT_POWER, 1e9, 0, true},
    {"J", DCS_UNIT_ENERGY, 1, 0, true},
    {"kJ", DCS_UNIT_ENERGY, 1e3, 0, false},
    {"MJ", DCS_UNIT_ENERGY, 1e6, 0, false},
    {"Wh", DCS_UNIT_ENERGY, 3600, 0, false},
    {"kWh", DCS_UNIT_ENERGY, KWH, 0, true},
    {"MWh", DCS_UNIT_ENERGY, 1e3 * KWH, 0, true},
    {"GWh", DCS_UNIT_ENERGY, 1e6 * KWH, 0, true},
    {"degC", DCS_UNIT_TEMP, 1, 0, true},
    {"\xc2\xb0" "C", DCS_UNIT_TEMP, 1, 0, false},   /* "°C" in UTF-8 */
    {"C", DCS_UNIT_TEMP, 1, 0, false},
    {"K", DCS_UNIT_TEMP_DIFF, 1, 0, true},
    {"ns", DCS_UNIT_DURATION, 1, 0, true},
    {"us", DCS_UNIT_DURATION, 1e3, 0, true},
    {"ms", DCS_UNIT_DURATION, 1e6, 0, true},
    {"s", DCS_UNIT_DURATION, 1e9, 0, true},
    {"min", DCS_UNIT_DURATION, 6e10, 0, true},
    {"h", DCS_UNIT_DURATION, 3.6e12, 0, true},
    {"d", DCS_UNIT_DURATION, 8.64e13, 0, true},
    {"w", DCS_UNIT_DURATION, 6.048e14, 0, false},
    {"/s", DCS_UNIT_RATE, 1, 0, true},
    {"/min", DCS_UNIT_RATE, 1.0 / 60, 0, false},
    {"/h", DCS_UNIT_RATE, 1.0 / 3600, 0, false},
    {"/d", DCS_UNIT_RATE, 1.0 / 86400, 0, false},
    {"%", DCS_UNIT_FRACTION, 0.01, 0, true},
    {"gCO2/kWh", DCS_UNIT_CARBON_INTENSITY, 1e-3 / KWH, 0, true},
    {"kgCO2/kWh", DCS_UNIT_CARBON_INTENSITY, 1 / KWH, 0, false},
    {"gCO2/MWh", DCS_UNIT_CARBON_INTENSITY, 1e-3 / (1e3 * KWH), 0, false},
    {"kgCO2/MWh", DCS_UNIT_CARBON_INTENSITY, 1 / (1e3 * KWH), 0, false},
    {"tCO2/MWh", DCS_UNIT_CARBON_INTENSITY, 1e3 / (1e3 * KWH), 0, false},
    {"gCO2", DCS_UNIT_CARBON_MASS, 1e-3, 0, true},
    {"kgCO2", DCS_UNIT_CARBON_MASS, 1, 0, true},
    {"tCO2", DCS_UNIT_CARBON_MASS, 1e3, 0, true},
    {"USD/kWh", DCS_UNIT_PRICE_ENERGY, 1 / KWH, 0, true},
    {"USD/MWh", DCS_UNIT_PRICE_ENERGY, 1 / (1e3 * KWH), 0, false},
    {"USD/kW/month", DCS_UNIT_PRICE_POWER, 1e-3, 0, true},
    {"USD/MW/month", DCS_UNIT_PRICE_POWER, 1e-6, 0, false},
    {"USD", DCS_UNIT_MONEY, 1, 0, true},
    {"FLOP/s", DCS_UNIT_FLOP_RATE, 1, 0, true},
    {"GFLOP/s", DCS_UNIT_FLOP_RATE, 1e9, 0, true},
    {"TFLOP/s", DCS_UNIT_FLOP_RATE, 1e12, 0, true},
    {"PFLOP/s", DCS_UNIT_FLOP_RATE, 1e15, 0, true},
    {"B", DCS_UNIT_BYTES, 1, 0, true},
    {"kB", DCS_UNIT_BYTES, 1e3, 0, true},
    {"MB", DCS_UNIT_BYTES, 1e6, 0, true},
    {"GB", DCS_UNIT_BYTES, 1e9, 0, true},
    {"TB", DCS_UNIT_BYTES, 1e12, 0, true},
    {"KiB", DCS_UNIT_BYTES, 1024.0, 0, false},
    {"MiB", DCS_UNIT_BYTES, 1048576.0, 0, false},
    {"GiB", DCS_UNIT_BYTES, 1073741824.0, 0, false},
    {"TiB", DCS_UNIT_BYTES, 1099511627776.0, 0, false},
    {"B/s", DCS_UNIT_BYTE_RATE, 1, 0, true},
    {"kB/s", DCS_UNIT_BYTE_RATE, 1e3, 0, true},
    {"MB/s", DCS_UNIT_BYTE_RATE, 1e6, 0, true},
    {"GB/s", DCS_UNIT_BYTE_RATE, 1e9, 0, true},
    {"TB/s", DCS_UNIT_BYTE_RATE, 1e12, 0, true},
    {"L", DCS_UNIT_VOLUME, 1, 0, true},
    {"m3", DCS_UNIT_VOLUME, 1e3, 0, true},
    {"L/kWh", DCS_UNIT_WATER_INTENSITY, 1 / KWH, 0, true},
    {"m", DCS_UNIT_LENGTH, 1, 0, true},
    {"km", DCS_UNIT_LENGTH, 1e3, 0, true},
    {"Pa", DCS_UNIT_PRESSURE, 1, 0, true},
    {"kPa", DCS_UNIT_PRESSURE, 1e3, 0, true},
};
enum { NUNITS = sizeof units / sizeof units[0] };

static const struct { const char *name, *internal; } kinds[] = {
#define DCS_UNIT_KIND_ROW(id, name, sym) {name, sym},
    DCS_UNIT_KIND_LIST(DCS_UNIT_KIND_ROW)
#undef DCS_UNIT_KIND_ROW
};

const char *dcs_unit_kind_name(dcs_unit_kind kind)
{
    return (unsigned)kind < DCS_UNIT_KIND_COUNT ? kinds[kind].name : "?";
}

const char *dcs_unit_internal(dcs_unit_kind kind)
{
    return (unsigned)kind < DCS_UNIT_KIND_COUNT ? kinds[kind].internal : "?";
}

const char *dcs_unit_symbols(dcs_unit_kind kind, char *buf, size_t n)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < NUNITS; i++) {
        if (units[i].kind != kind)
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", units[i].symbol);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    return buf;
}

bool dcs_unit_parse_number(const char *text, double *out)
{
    while (*text == ' ')
        text++;
    /* strtod also accepts hex, inf and nan, which are not scenario numbers. */
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return false;
    for (const char *q = p; *q; q++)
        if (*q == 'x' || *q == 'X')
            return false;
    char *end;
    double v = strtod(text, &end);
    if (end == text || !isfinite(v))
        return false;
    while (*end == ' ')
        end++;
    if (*end)
        return false;
    *out = v;
    return true;
}

/* Split "1.2 MW" into the number's length and the symbol (trimmed). */
static size_t number_prefix(const char *text)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    /* An exponent only when digits follow: "5 e" is not a number. */
    if ((*p == 'e' || *p == 'E') && p > text) {
        const char *q = p + 1;
        if (*q == '+' || *q == '-')
            q++;
        if (isdigit((unsigned char)*q)) {
            while (isdigit((unsigned char)*q))
                q++;
            p = q;
        }
    }
    return (size_t)(p - text);
}

static const unit_row *find_symbol(const char *sym, size_t len, dcs_unit_kind kind)
{
    const unit_row *other = NULL;
    for (size_t i = 0; i < NUNITS; i++) {
        if (strlen(units[i].symbol) != len || memcmp(units[i].symbol, sym, len) != 0)
            continue;
        if (units[i].kind == kind)
            return &units[i];
        if (!other)
            other = &units[i];
    }
    return other;
}

/* One "number symbol" term starting at *pp; advances *pp past it. */
static bool parse_term(dcs_unit_kind kind, const char *text, const char **pp, unsigned flags,
                       double *num, const unit_row **row, char *msg, size_t msg_n)
{
    char syms[256];
    const char *p = *pp;
    while (*p == ' ')
        p++;
    size_t nlen = number_prefix(p);
    char nbuf[64];
    if (nlen == 0 || nlen >= sizeof nbuf) {
        snprintf(msg, msg_n, "'%s' is not a number with a unit of %s (%s)", text,
                 dcs_unit_kind_name(kind), dcs_unit_symbols(kind, syms, sizeof syms));
        return false;
    }
    memcpy(nbuf, p, nlen);
    nbuf[nlen] = '\0';
    if (!dcs_unit_parse_number(nbuf, num)) {
        snprintf(msg, msg_n, "'%s' is not a number with a unit of %s (%s)", text,
                 dcs_unit_kind_name(kind), dcs_unit_symbols(kind, syms, sizeof syms));
        return false;
    }
    p += nlen;
    while (*p == ' ')
        p++;
    const char *sym = p;
    while (*p && *p != ' ')
        p++;
    size_t slen = (size_t)(p - sym);
    *pp = p;
    *row = NULL;
    if (slen == 0) {
        if (kind == DCS_UNIT_NUMBER || (flags & DCS_UNIT_BARE_OK))
            return true;
        snprintf(msg, msg_n, "'%s' needs a unit of %s (%s)", text, dcs_unit_kind_name(kind),
                 dcs_unit_symbols(kind, syms, sizeof syms));
        return false;
    }
    const unit_row *r = find_symbol(sym, slen, kind);
    if (kind == DCS_UNIT_NUMBER) {
        snprintf(msg, msg_n, "'%s' must be a plain number, without a unit", text);
        return false;
    }
    if (!r) {
        snprintf(msg, msg_n, "unknown unit '%.*s' in '%s'; %s takes %s", (int)slen, sym, text,
                 dcs_unit_kind_name(kind), dcs_unit_symbols(kind, syms, sizeof syms));
        return false;
    }
    if (r->kind != kind) {
        snprintf(msg, msg_n, "'%s' is in units of %s; %s takes %s", text,
                 dcs_unit_kind_name(r->kind), dcs_unit_kind_name(kind),
                 dcs_unit_symbols(kind, syms, sizeof syms));
        return false;
    }
    *row = r;
    return true;
}

bool dcs_unit_parse(dcs_unit_kind kind, const char *text, unsigned flags,
                    double *out, char *msg, size_t msg_n)
{
    if (kind == DCS_UNIT_DURATION) {
        dcs_time t;
        if (!dcs_unit_parse_duration(text, &t, msg, msg_n))
            return false;
        *out = (double)t;
        return true;
    }
    const char *p = text;
    double num;
    const unit_row *row;
    if (!parse_term(kind, text, &p, flags, &num, &row, msg, msg_n))
        return false;
    while (*p == ' ')
        p++;
    if (*p) {
        snprintf(msg, msg_n, "unexpected '%s' after the value in '%s'", p, text);
        return false;
    }
    double v = row ? num * row->factor + row->offset : num;
    if (!isfinite(v)) {
        snprintf(msg, msg_n, "'%s' is too large", text);
        return false;
    }
    *out = v;
    return true;
}

/* Exact integer nanoseconds for an integral term, else via double seconds. */
static bool term_ns(double num, const unit_row *row, dcs_time *out)
{
    double ns = num * row->factor;
    if (num == nearbyint(num) && fabs(num) < 9.0e15) {
        dcs_time k;
        if (!dcs_time_mul((dcs_time)num, (int64_t)row->factor, &k))
            return false;
        *out = k;
        return true;
    }
    return dcs_time_from_s(ns * 1e-9, out);
}

bool dcs_unit_parse_duration(const char *text, dcs_time *out, char *msg, size_t msg_n)
{
    char syms[128];
    const char *p = text;
    dcs_time total = 0;
    while (*p == ' ')
        p++;
    if (!*p) {
        snprintf(msg, msg_n, "'%s' is not a duration (a number with %s)", text,
                 dcs_unit_symbols(DCS_UNIT_DURATION, syms, sizeof syms));
        return false;
    }
    while (*p) {
        double num;
        const unit_row *row;
        if (!parse_term(DCS_UNIT_DURATION, text, &p, 0, &num, &row, msg, msg_n))
            return false;
        dcs_time t;
        if (!term_ns(num, row, &t) || !dcs_time_add(total, t, &total)) {
            snprintf(msg, msg_n, "'%s' is longer than dcsim's clock allows (about 292 years)",
                     text);
            return false;
        }
        while (*p == ' ')
            p++;
    }
    *out = total;
    return true;
}

const char *dcs_unit_format(dcs_unit_kind kind, double value, char *buf, size_t n)
{
    const unit_row *best = NULL, *first = NULL;
    for (size_t i = 0; i < NUNITS; i++) {
        const unit_row *r = &units[i];
        if (r->kind != kind || !r->format)
            continue;
        if (!first)
            first = r;
        if (fabs(value) >= r->factor && (!best || r->factor > best->factor))
            best = r;
    }
    if (!best)
        best = first;
    if (value == 0 && kind == DCS_UNIT_DURATION) {
        snprintf(buf, n, "0 s");      /* reads better than "0 ns" */
        return buf;
    }
    if (!best) {
        snprintf(buf, n, "%g", value);
        return buf;
    }
    snprintf(buf, n, "%g%s%s", (value - best->offset) / best->factor,
             best->symbol[0] == '/' ? "" : " ", best->symbol);
    return buf;
}

void dcs_unit_print(FILE *out, bool markdown)
{
    char syms[256];
    if (markdown)
        fprintf(out, "| quantity | internal unit | accepted units |\n|---|---|---|\n");
    for (int k = 0; k < DCS_UNIT_KIND_COUNT; k++) {
        const char *internal = kinds[k].internal[0] ? kinds[k].internal : "-";
        dcs_unit_symbols((dcs_unit_kind)k, syms, sizeof syms);
        if (k == DCS_UNIT_NUMBER)
            snprintf(syms, sizeof syms, "none (70e9, 1.2, -5)");
        else if (k == DCS_UNIT_FRACTION)
            snprintf(syms, sizeof syms, "%% (a bare number where the table says so)");
        else if (k == DCS_UNIT_DURATION)
            snprintf(syms, sizeof syms, "ns, us, ms, s, min, h, d, w, and sums (3 d 14 h)");
        if (markdown)
            fprintf(out, "| %s | %s | %s |\n", kinds[k].name, internal, syms);
        else
            fprintf(out, "  %-24s %-12s %s\n", kinds[k].name, internal, syms);
    }
}
