/*
 * test_units.c - values with units: every kind, conversions checked by hand,
 * and the failure messages.
 *
 * Hand conversions (factors are definitions, see sim/units.c):
 *   1.2 MW = 1.2e6 W;  3.5 kWh = 3.5 * 3.6e6 J = 1.26e7 J
 *   350 gCO2/kWh = 0.350 kg / 3.6e6 J = 9.7222...e-8 kg/J
 *   0.12 USD/kWh = 0.12 / 3.6e6 USD/J = 3.3333...e-8 USD/J
 *   85 USD/MWh = 85 / 3.6e9 USD/J = 2.3611...e-8 USD/J
 *   15 USD/kW/month = 15 / 1000 USD/W/month = 0.015
 *   1.8 L/kWh = 1.8 / 3.6e6 L/J = 5e-7 L/J
 *   3 d 14 h = (3 * 24 + 14) h = 86 h = 309,600 s = 3.096e14 ns
 *   1.5 h = 5400 s = 5.4e12 ns;  2 w = 14 d = 1,209,600 s
 *   2000/s = 2000 /s;  90/min = 1.5 /s;  7200/h = 2 /s
 *   2 GiB = 2 * 1024^3 B = 2,147,483,648 B
 */
#include "dcsim/units.h"
#include "harness.h"

static double parse(dcs_unit_kind k, const char *text, unsigned flags)
{
    double v = -12345.678;
    char msg[256];
    if (!dcs_unit_parse(k, text, flags, &v, msg, sizeof msg))
        fprintf(stderr, "    unexpected failure: %s\n", msg);
    return v;
}

static void every_kind(void)
{
    CHECK_NEAR(parse(DCS_UNIT_POWER, "700 W", 0), 700, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_POWER, "1.2 MW", 0), 1.2e6, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_POWER, "2.385kW", 0), 2385, 1e-15);   /* no space */
    CHECK_NEAR(parse(DCS_UNIT_POWER, "0.5 GW", 0), 5e8, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_ENERGY, "3.5 kWh", 0), 1.26e7, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_ENERGY, "2 MWh", 0), 7.2e9, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_ENERGY, "10 J", 0), 10, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_TEMP, "45 degC", 0), 45, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_TEMP, "-5.5 \xc2\xb0" "C", 0), -5.5, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_TEMP, "24 C", 0), 24, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_TEMP_DIFF, "8 K", 0), 8, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_DURATION, "200 ms", 0), 2e8, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_RATE, "2000/s", 0), 2000, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_RATE, "90/min", 0), 1.5, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_RATE, "7200 /h", 0), 2, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_FRACTION, "30 %", 0), 0.30, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_FRACTION, "0.3", DCS_UNIT_BARE_OK), 0.30, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_CARBON_INTENSITY, "350 gCO2/kWh", 0), 0.350 / 3.6e6, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_CARBON_INTENSITY, "0.4 kgCO2/kWh", 0), 0.4 / 3.6e6, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_CARBON_INTENSITY, "401000 gCO2/MWh", 0), 401 / 3.6e9, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_CARBON_MASS, "2.5 tCO2", 0), 2500, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_CARBON_MASS, "120 gCO2", 0), 0.12, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_CARBON_MASS, "7 kgCO2", 0), 7, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_PRICE_ENERGY, "0.12 USD/kWh", 0), 0.12 / 3.6e6, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_PRICE_ENERGY, "85 USD/MWh", 0), 85 / 3.6e9, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_PRICE_POWER, "15 USD/kW/month", 0), 0.015, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_MONEY, "1250 USD", 0), 1250, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_FLOP_RATE, "989 TFLOP/s", 0), 9.89e14, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_FLOP_RATE, "2.25 PFLOP/s", 0), 2.25e15, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_FLOP_RATE, "312 GFLOP/s", 0), 3.12e11, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_BYTES, "80 GB", 0), 8e10, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_BYTES, "2 GiB", 0), 2147483648.0, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_BYTES, "512 KiB", 0), 524288, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_BYTE_RATE, "3.35 TB/s", 0), 3.35e12, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_BYTE_RATE, "900 GB/s", 0), 9e11, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_VOLUME, "2.5 m3", 0), 2500, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_VOLUME, "40 L", 0), 40, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_WATER_INTENSITY, "1.8 L/kWh", 0), 5e-7, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_LENGTH, "12 km", 0), 12000, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_PRESSURE, "101.325 kPa", 0), 101325, 1e-14);
    CHECK_NEAR(parse(DCS_UNIT_PRESSURE, "250 Pa", 0), 250, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_NUMBER, "70e9", 0), 7e10, 1e-15);
    CHECK_NEAR(parse(DCS_UNIT_NUMBER, "-5", 0), -5, 1e-15);
}

static void durations_exact(void)
{
    dcs_time t = -1;
    char msg[256];
    CHECK(dcs_unit_parse_duration("3 d 14 h", &t, msg, sizeof msg));
    CHECK_INT(t, 309600LL * DCS_SECOND);
    CHECK(dcs_unit_parse_duration("1.5 h", &t, msg, sizeof msg));
    CHECK_INT(t, 5400LL * DCS_SECOND);
    CHECK(dcs_unit_parse_duration("2 w", &t, msg, sizeof msg));
    CHECK_INT(t, 1209600LL * DCS_SECOND);
    CHECK(dcs_unit_parse_duration("1 h 30 min 15 s 250 ms", &t, msg, sizeof msg));
    CHECK_INT(t, 5415250LL * DCS_MS);
    CHECK(dcs_unit_parse_duration("7 ns", &t, msg, sizeof msg));
    CHECK_INT(t, 7);
    CHECK(dcs_unit_parse_duration("-5 min", &t, msg, sizeof msg));
    CHECK_INT(t, -300LL * DCS_SECOND);
    /* 3650 d = 3.1536e17 ns, inside int64; 300 years is not (> 292 years). */
    CHECK(dcs_unit_parse_duration("3650 d", &t, msg, sizeof msg));
    CHECK_INT(t, 3650LL * DCS_DAY);
    CHECK(!dcs_unit_parse_duration("300 w 20000 d 100000 d", &t, msg, sizeof msg));
    CHECK_STR(msg, "'300 w 20000 d 100000 d' is longer than dcsim's clock allows (about 292 years)");
}

static void failures_say_why(void)
{
    double v = 42;
    char msg[256];
    CHECK(!dcs_unit_parse(DCS_UNIT_POWER, "30", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'30' needs a unit of power (W, kW, MW, GW)");
    CHECK(!dcs_unit_parse(DCS_UNIT_POWER, "30 MWh", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'30 MWh' is in units of energy; power takes W, kW, MW, GW");
    CHECK(!dcs_unit_parse(DCS_UNIT_POWER, "30 mw", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "unknown unit 'mw' in '30 mw'; power takes W, kW, MW, GW");
    CHECK(!dcs_unit_parse(DCS_UNIT_FRACTION, "0.3", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'0.3' needs a unit of fraction (%)");
    CHECK(!dcs_unit_parse(DCS_UNIT_NUMBER, "8 GPU", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'8 GPU' must be a plain number, without a unit");
    CHECK(!dcs_unit_parse(DCS_UNIT_POWER, "MW", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'MW' is not a number with a unit of power (W, kW, MW, GW)");
    CHECK(!dcs_unit_parse(DCS_UNIT_POWER, "3 MW 2", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "unexpected '2' after the value in '3 MW 2'");
    CHECK(!dcs_unit_parse(DCS_UNIT_POWER, "1e999 W", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'1e999 W' is not a number with a unit of power (W, kW, MW, GW)");
    CHECK(!dcs_unit_parse(DCS_UNIT_TEMP, "300 K", 0, &v, msg, sizeof msg));
    CHECK_STR(msg, "'300 K' is in units of temperature difference; temperature takes degC, "
                   "\xc2\xb0" "C, C");
    CHECK_NEAR(v, 42, 0);   /* failures leave the output alone */
}

static void plain_numbers(void)
{
    double v = 0;
    CHECK(dcs_unit_parse_number(" 1.25e3 ", &v) && v == 1250);
    CHECK(dcs_unit_parse_number("-.5", &v) && v == -0.5);
    CHECK(dcs_unit_parse_number("-", &v) == false);
    CHECK(dcs_unit_parse_number("1e", &v) == false);
    CHECK(dcs_unit_parse_number("0x10", &v) == false);
    CHECK(dcs_unit_parse_number("inf", &v) == false);
    CHECK(dcs_unit_parse_number("nan", &v) == false);
    CHECK(dcs_unit_parse_number("", &v) == false);
    CHECK(dcs_unit_parse_number("12 3", &v) == false);
    CHECK(dcs_unit_parse_number(".5", &v) && v == 0.5);
}

static void formatting(void)
{
    char buf[64];
    CHECK_STR(dcs_unit_format(DCS_UNIT_POWER, 3e7, buf, sizeof buf), "30 MW");
    CHECK_STR(dcs_unit_format(DCS_UNIT_POWER, 0, buf, sizeof buf), "0 W");
    CHECK_STR(dcs_unit_format(DCS_UNIT_DURATION, 2 * 3.6e12, buf, sizeof buf), "2 h");
    CHECK_STR(dcs_unit_format(DCS_UNIT_DURATION, 0, buf, sizeof buf), "0 s");
    CHECK_STR(dcs_unit_format(DCS_UNIT_FRACTION, 0.3, buf, sizeof buf), "30 %");
    CHECK_STR(dcs_unit_format(DCS_UNIT_RATE, 2000, buf, sizeof buf), "2000/s");
    CHECK_STR(dcs_unit_format(DCS_UNIT_TEMP, -5, buf, sizeof buf), "-5 degC");
    CHECK_STR(dcs_unit_symbols(DCS_UNIT_BYTE_RATE, buf, sizeof buf), "B/s, kB/s, MB/s, GB/s, TB/s");
    CHECK_STR(dcs_unit_kind_name(DCS_UNIT_CARBON_INTENSITY), "carbon intensity");
    CHECK_STR(dcs_unit_internal(DCS_UNIT_PRICE_POWER), "USD/W/month");
}

int main(void)
{
    RUN(every_kind);
    RUN(durations_exact);
    RUN(failures_say_why);
    RUN(plain_numbers);
    RUN(formatting);
    return TEST_END();
}
