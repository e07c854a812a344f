# design_bars.gp - one metric's mean per design as bars with confidence
# interval error bars, from `dcsim compare DIR --format csv` (columns design,
# metric, unit, n, mean, ciNN_half_width, ...).  Only the rows of `metric`
# are drawn (default: the first metric in the file); a design with one seed
# has no interval and is drawn without an error bar.
# Usage: gnuplot -e "in='compare.csv'; out='energy.svg'; metric='energy_facility_kwh'" analysis/design_bars.gp
# The output format follows the file name: .svg, otherwise PNG.  Needs awk
# on PATH (it picks the metric's rows).
if (!exists("in") || !exists("out")) { print "design_bars.gp: set in and out"; exit status 2 }
if (!exists("metric")) metric = system(sprintf("awk -F, 'NR == 2 { print $2 }' '%s'", in))
rows = sprintf("< awk -F, -v m='%s' 'NR == 1 || $2 == m' '%s'", metric, in)
unit = system(sprintf("awk -F, -v m='%s' '$2 == m { print $3; exit }' '%s'", metric, in))
if (!exists("title")) title = sprintf("%s per design (mean over seeds, 95 %% CI)", metric)
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 800,480 dynamic font "sans,11" } \
else { set terminal pngcairo size 800,480 font "sans,10" }
set output out
set title title noenhanced
set datafile separator ","
set datafile columnheaders
set ylabel (unit eq "1" || unit eq "" ? metric : sprintf("%s (%s)", metric, unit)) noenhanced
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set xtics rotate by -30 left noenhanced
set bmargin 12
set rmargin 20
set yrange [0:*]
set key top right
plot rows using 0:5:xtic(1) with boxes lc rgb "#3b75af" title "mean", \
     rows using 0:5:(valid(6) ? $6 : 0) with yerrorbars pt -1 lw 1.5 lc rgb "black" title "95 % CI"
