# latency_cdf.gp - latency CDFs of one workload for one or more designs,
# from `dcsim export TRACE workloads/NAME/histograms/H` (TSV with the
# columns lower_s, upper_s, count; docs/trace-format.md), with the p50, p95
# and p99 levels drawn as horizontal guides.
# Usage: gnuplot -e "in='a.tsv b.tsv'; titles='air immersion'; out='e2e.svg'; what='chat e2e'" analysis/latency_cdf.gp
# `in` is a space-separated list of files, `titles` their legend entries
# (default: the file names).  The x axis is logarithmic (seconds).  The
# output format follows the file name: .svg, otherwise PNG.  Needs awk.
if (!exists("in") || !exists("out")) { print "latency_cdf.gp: set in and out"; exit status 2 }
if (!exists("titles")) titles = in
if (!exists("what")) what = "latency"
if (!exists("title")) title = sprintf("CDF of %s per design", what)
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 800,480 dynamic font "sans,11" } \
else { set terminal pngcairo size 800,480 font "sans,10" }
set output out
set title title noenhanced
set datafile separator "\t"
set logscale x
set format x "%g"
set xlabel sprintf("%s (s)", what) noenhanced
set ylabel "share of requests at or below (1)"
set yrange [0:1.02]
set grid xtics ytics mxtics
set key bottom right noenhanced
set arrow from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3 lc rgb "gray50"
set arrow from graph 0, first 0.95 to graph 1, first 0.95 nohead dt 3 lc rgb "gray50"
set arrow from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 3 lc rgb "gray50"
# Cumulative share at each bin's upper edge; empty bins and the open-ended
# overflow bin are left out so the curve steps only where requests fall.
cdf(f) = sprintf("< awk -F'\t' 'NR > 1 { n += $3; u[NR] = $2; c[NR] = n } END { for (i = 2; i <= NR; i++) if (c[i] > c[i-1] && u[i] != \"inf\") print u[i] \"\t\" c[i] / n }' '%s'", f)
plot for [i=1:words(in)] cdf(word(in, i)) using 1:2 with steps lw 2 title word(titles, i)
