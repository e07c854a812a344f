/*
 * units.h - values with units in scenario files, converted to SI once.
 *
 * A scenario value is a number followed by a unit symbol ("700 W", "1.2 MW",
 * "45 degC", "2000/s", "30 %", "350 gCO2/kWh"); the space between them is
 * optional.  Each schema field declares the kind of quantity it expects, and
 * the parser accepts only the symbols of that kind, converting with
 *     value_internal = number * factor + offset
 * from one table (sim/units.c: symbol, kind, factor, offset).  Internal units
 * are SI except where dcsim keeps another by convention:
 *   temperature            degC (not K); differences of temperature in K
 *   duration               dcs_time, int64 nanoseconds
 *   carbon intensity       kg CO2 per J       (350 gCO2/kWh = 9.72e-8 kg/J)
 *   price of energy        USD per J          (0.12 USD/kWh = 3.33e-8 USD/J)
 *   price of power         USD per W per month (demand charges)
 *   volume                 L;  water intensity L per J
 * A bare number where the kind implies a unit is an error, except for
 * fractions when the caller allows it (DCS_UNIT_BARE_OK: "0.3" = 30 %).
 * Durations may be compound ("3 d 14 h"); integral durations are converted in
 * exact integer arithmetic, fractional ones ("1.5 h") through double seconds
 * rounded to the nearest nanosecond.
 *
 * Left out: prefixes are not composable (only the symbols in the table are
 * known), no Fahrenheit, no currency other than USD, no unit arithmetic.
 */
#ifndef DCSIM_UNITS_H
#define DCSIM_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dcsim/time.h"

/* Unit kinds: id, name used in messages, internal unit symbol. */
#define DCS_UNIT_KIND_LIST(X)                                            \
    X(DCS_UNIT_NUMBER,           "plain number",          "")           \
    X(DCS_UNIT_POWER,            "power",                 "W")          \
    X(DCS_UNIT_ENERGY,           "energy",                "J")          \
    X(DCS_UNIT_TEMP,             "temperature",           "degC")       \
    X(DCS_UNIT_TEMP_DIFF,        "temperature difference", "K")         \
    X(DCS_UNIT_DURATION,         "duration",              "ns")         \
    X(DCS_UNIT_RATE,             "rate",                  "/s")         \
    X(DCS_UNIT_FRACTION,         "fraction",              "")           \
    X(DCS_UNIT_CARBON_INTENSITY, "carbon intensity",      "kgCO2/J")    \
    X(DCS_UNIT_CARBON_MASS,      "mass of CO2",           "kgCO2")      \
    X(DCS_UNIT_PRICE_ENERGY,     "price of energy",       "USD/J")      \
    X(DCS_UNIT_PRICE_POWER,      "price of power",        "USD/W/month") \
    X(DCS_UNIT_MONEY,            "money",                 "USD")        \
    X(DCS_UNIT_FLOP_RATE,        "compute rate",          "FLOP/s")     \
    X(DCS_UNIT_BYTES,            "size",                  "B")          \
    X(DCS_UNIT_BYTE_RATE,        "bandwidth",             "B/s")        \
    X(DCS_UNIT_VOLUME,           "volume",                "L")          \
    X(DCS_UNIT_WATER_INTENSITY,  "water intensity",       "L/J")        \
    X(DCS_UNIT_LENGTH,           "length",                "m")          \
    X(DCS_UNIT_PRESSURE,         "pressure",              "Pa")

typedef enum {
#define DCS_UNIT_KIND_ENUM(id, name, sym) id,
    DCS_UNIT_KIND_LIST(DCS_UNIT_KIND_ENUM)
#undef DCS_UNIT_KIND_ENUM
    DCS_UNIT_KIND_COUNT
} dcs_unit_kind;

/* Flags for dcs_unit_parse. */
enum { DCS_UNIT_BARE_OK = 1u << 0 };   /* a bare number is accepted (fractions) */

/* Name of a kind for messages ("power"), and its internal unit ("W"). */
const char *dcs_unit_kind_name(dcs_unit_kind kind);
const char *dcs_unit_internal(dcs_unit_kind kind);

/* The accepted symbols of a kind, comma-separated, written into buf
 * ("W, kW, MW, GW"); returns buf.  A plain number lists nothing. */
const char *dcs_unit_symbols(dcs_unit_kind kind, char *buf, size_t n);

/* Parse text ("1.2 MW") as a value of the given kind, writing the internal
 * value to *out.  On failure returns false, leaves *out unchanged and writes
 * a one-line reason into msg (quoting the text and listing the accepted
 * units), e.g. "'30' needs a unit of power (W, kW, MW, GW)".  Durations are
 * accepted here too (returned as nanoseconds in a double); use
 * dcs_unit_parse_duration for an exact dcs_time. */
bool dcs_unit_parse(dcs_unit_kind kind, const char *text, unsigned flags,
                    double *out, char *msg, size_t msg_n);

/* Parse a duration, possibly compound ("3 d 14 h", "200 ms", "1.5 h"), into
 * *out nanoseconds; negative values are allowed ("-5 min") and range checks
 * are the caller's.  Same failure contract as dcs_unit_parse. */
bool dcs_unit_parse_duration(const char *text, dcs_time *out, char *msg, size_t msg_n);

/* Parse a plain number ("70e9", "-5", "1.2"): decimal only, no hex, no
 * inf/nan, surrounding spaces allowed.  Returns false on anything else. */
bool dcs_unit_parse_number(const char *text, double *out);

/* Print the table of unit kinds (name, internal unit, accepted symbols) as
 * text or as Markdown, for `dcsim validate --schema` and the reference. */
void dcs_unit_print(FILE *out, bool markdown);

/* Format an internal value with the largest unit of its kind not above it
 * ("30 MW", "2 h", "350 gCO2/kWh" style); returns buf. */
const char *dcs_unit_format(dcs_unit_kind kind, double value, char *buf, size_t n);

#endif
