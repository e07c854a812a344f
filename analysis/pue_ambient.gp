# pue_ambient.gp - PUE against outdoor dry-bulb temperature, one point per
# sample, from `dcsim export TRACE sites/NAME/series` (TSV with a header).
# Shows where free cooling ends and compressors take over.
# Usage: gnuplot -e "in='hall.tsv'; out='hall_pue.svg'; site='hall'" analysis/pue_ambient.gp
# The output format follows the file name: .svg, otherwise PNG.
if (!exists("in") || !exists("out")) { print "pue_ambient.gp: set in and out"; exit status 2 }
if (!exists("site")) site = "site"
if (!exists("title")) title = sprintf("PUE against ambient temperature: %s", site)
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 720,520 dynamic font "sans,11" } \
else { set terminal pngcairo size 720,520 font "sans,10" }
set output out
set title title noenhanced
set datafile separator "\t"
set datafile columnheaders
set xlabel "ambient dry-bulb temperature (°C)"
set ylabel "PUE (1)"
set grid
set key top left
plot in using (column("ambient_c")):(column("pue")) with points pt 7 ps 0.6 lc rgb "#3b75af" title "one sample"
