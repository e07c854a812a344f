# faults.gp - what a fault does to sites, over a window of time: the top
# panel shows the first site's supply temperature and ambient (degC) with
# its GPU throttle (right axis: 1 = full clock, 0 = the shutdown limit),
# the bottom panel every site's requests served per second with the first
# site's availability (right axis: 1 = up, 0 = dark), all from `dcsim
# export TRACE sites/NAME/series` (TSV with a header line; columns as in
# docs/trace-format.md).
# Usage: gnuplot -e "in='phoenix.tsv dallas.tsv'; titles='phoenix dallas'; from=21; to=24; out='trip.svg'" analysis/faults.gp
# `in` is a space-separated list of series files, `titles` their legend
# entries (default: the file names); `from` and `to` bound the window in
# simulated hours (default: the whole run).  The output format follows the
# file name: .svg, otherwise PNG.
if (!exists("in") || !exists("out")) { print "faults.gp: set in and out"; exit status 2 }
if (!exists("titles")) titles = in
if (!exists("title")) title = sprintf("Fault window: %s", word(titles, 1))
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 900,640 dynamic font "sans,11" } \
else { set terminal pngcairo size 900,640 font "sans,10" }
set output out
set datafile separator "\t"
set datafile columnheaders
if (exists("from") && exists("to")) { set xrange [from:to] }
set grid xtics ytics
set key outside right top vertical noenhanced
set lmargin 10
set rmargin 24
set multiplot layout 2,1 title title noenhanced
set ylabel "temperature (degC)"
set y2label "throttle (1)"
set y2range [-0.05:1.05]
set ytics nomirror
set y2tics 0, 0.25, 1
set format x ""
hours(c) = column("time_s") / 3600
plot word(in, 1) using (hours(0)):(column("supply_temp_c")) with lines lw 2 lc rgb "#c0392b" title "supply", \
     '' using (hours(0)):(column("ambient_c")) with lines lw 1.5 dt 2 lc rgb "#7f8c8d" title "ambient", \
     '' using (hours(0)):(column("throttle")) axes x1y2 with steps lw 1.5 lc rgb "#2c3e50" title "throttle (right)"
set format x "%g"
set xlabel "simulated time (h)"
set ylabel "requests served (1/s)"
set y2label "available (1)"
set yrange [0:*]
plot for [i=1:words(in)] word(in, i) using (hours(0)):(column("requests_per_s")) with lines lw 2 title word(titles, i), \
     word(in, 1) using (hours(0)):(column("available")) axes x1y2 with steps lw 1.5 dt 3 lc rgb "#2c3e50" title sprintf("%s up (right)", word(titles, 1))
unset multiplot
