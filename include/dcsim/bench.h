/*
 * bench.h - `dcsim bench NAME [options]`: the table of benchmarks.
 *
 * A benchmark is a function taking the arguments after its name (argv[0] is
 * the benchmark's name) and returning an exit code (0 ok, 1 failed, 2 bad
 * options).  It prints results as `key value unit` lines on stdout.  New
 * benchmarks add one row to the table in sim/cmd_bench.c.
 */
#ifndef DCSIM_BENCH_H
#define DCSIM_BENCH_H

typedef struct dcs_bench {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;     /* one line for `dcsim bench` */
} dcs_bench;

int dcs_bench_phold(int argc, char **argv);
int dcs_bench_sweep(int argc, char **argv);   /* sim/sweep_bench.c */
int dcs_bench_serving(int argc, char **argv); /* sim/bench_work.c */
int dcs_bench_fleet_year(int argc, char **argv);

#endif
