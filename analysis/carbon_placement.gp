# carbon_placement.gp - where the load went against how clean each site's
# grid was: one point per sample and site, the site's grid carbon intensity
# (x) against its IT power (y), from the sites' series
# (`dcsim export TRACE sites/NAME/series`, columns found by name).  A
# carbon-aware placement puts its points low on the right and high on the
# left; round robin gives flat bands.
# Usage: gnuplot -e "in='lulea.tsv ashburn.tsv'; titles='lulea ashburn'; out='placement.svg'" analysis/carbon_placement.gp
# The output format follows the file name: .svg, otherwise PNG.
if (!exists("in") || !exists("out")) { print "carbon_placement.gp: set in and out"; exit status 2 }
if (!exists("titles")) titles = in
if (!exists("title")) title = "Load placement against grid carbon intensity"
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 800,480 dynamic font "sans,11" } \
else { set terminal pngcairo size 800,480 font "sans,10" }
set output out
set title title noenhanced
set datafile separator "\t"
set datafile columnheaders
set xlabel "grid carbon intensity (gCO2/kWh)"
set ylabel "IT power (MW)"
set grid xtics ytics
set key outside right top noenhanced
plot for [i=1:words(in)] word(in, i) using (column("carbon_intensity_g_per_kwh")):(column("it_power_w")/1e6) \
     with points pt 7 ps 0.5 title word(titles, i)
