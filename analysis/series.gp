# series.gp - facility power, IT power (left axis, MW) and PUE (right axis)
# over time of one site, from `dcsim export TRACE sites/NAME/series` (TSV with
# a header line naming the columns; docs/trace-format.md lists them).
# Usage: gnuplot -e "in='hall.tsv'; out='hall.svg'; site='hall'" analysis/series.gp
# The output format follows the file name: .svg, otherwise PNG.
if (!exists("in") || !exists("out")) { print "series.gp: set in and out"; exit status 2 }
if (!exists("site")) site = "site"
if (!exists("title")) title = sprintf("Power and PUE over time: %s", site)
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 900,480 dynamic font "sans,11" } \
else { set terminal pngcairo size 900,480 font "sans,10" }
set output out
set title title noenhanced
set datafile separator "\t"
set datafile columnheaders
set xlabel "simulated time (h)"
set ylabel "power (MW)"
set y2label "PUE (1)"
set ytics nomirror
set y2tics
set grid xtics ytics
set key outside bottom center horizontal
# Whole hours on the x axis; watts shown as megawatts for a data-centre scale.
plot in using (column("time_s")/3600):(column("facility_power_w")/1e6) with lines lw 2 lc rgb "#c0392b" title "facility power", \
     '' using (column("time_s")/3600):(column("it_power_w")/1e6) with lines lw 2 lc rgb "#3b75af" title "IT power", \
     '' using (column("time_s")/3600):(column("pue")) axes x1y2 with lines lw 1.5 dt 2 lc rgb "#2c3e50" title "PUE (right axis)"
