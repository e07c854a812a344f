# site_bars.gp - one metric per site as bars, from a TSV of `site<TAB>value`.
# Usage: gnuplot -e "in='FILE.tsv'; out='FILE.png'; metric='pue'; unit='1'; title='...'" analysis/site_bars.gp
# The output format follows the file name: .png or .svg.
if (!exists("in") || !exists("out")) { print "site_bars.gp: set in and out"; exit status 2 }
if (!exists("metric")) metric = "value"
if (!exists("unit")) unit = ""
if (!exists("title")) title = metric
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 1000,520 dynamic font "sans,11" } \
else { set terminal pngcairo size 1000,520 font "sans,10" }
set output out
set title title
set ylabel (unit eq "1" || unit eq "" ? metric : sprintf("%s (%s)", metric, unit))
set style fill solid 0.8 border -1
set boxwidth 0.7
set grid ytics
set xtics rotate by -40 left noenhanced
set key off
set rmargin 10
set bmargin 7
set datafile separator "\t"
stats in using 2 nooutput
set yrange [(STATS_min > 0 ? 0.95 * STATS_min : 1.05 * STATS_min):(1.02 * STATS_max)]
plot in using 0:2:xtic(1) with boxes lc rgb "#3b75af", \
     '' using 0:2:(sprintf("%.3g", $2)) with labels offset 0,0.6 font "sans,8"
