# pareto.gp - one design per point: metric y (default carbon_kg) against
# metric x (default sla_violation_pct), each with its confidence
# interval, from `dcsim compare DIR --format csv`.  Designs down and to the
# left of the others are the Pareto front (less carbon and fewer violations).
# Usage: gnuplot -e "in='compare.csv'; out='pareto.svg'; x='sla_violation_pct'; y='carbon_kg'" analysis/pareto.gp
# The output format follows the file name: .svg, otherwise PNG.  Needs awk
# on PATH (it joins the two metrics' rows by design).
if (!exists("in") || !exists("out")) { print "pareto.gp: set in and out"; exit status 2 }
if (!exists("x")) x = "sla_violation_pct"
if (!exists("y")) y = "carbon_kg"
# One line per design: design, x mean, x half-width, y mean, y half-width
# (a missing half-width becomes 0: one seed has no interval).
pts = sprintf("< awk -F, -v x='%s' -v y='%s' 'NR > 1 && $2 == x { xm[$1] = $5; xh[$1] = $6 + 0; o[++n] = $1 } NR > 1 && $2 == y { ym[$1] = $5; yh[$1] = $6 + 0 } END { for (i = 1; i <= n; i++) if (o[i] in ym) print o[i] \",\" xm[o[i]] \",\" xh[o[i]] \",\" ym[o[i]] \",\" yh[o[i]] }' '%s'", x, y, in)
xunit = system(sprintf("awk -F, -v m='%s' '$2 == m { print $3; exit }' '%s'", x, in))
yunit = system(sprintf("awk -F, -v m='%s' '$2 == m { print $3; exit }' '%s'", y, in))
if (!exists("title")) title = sprintf("%s against %s per design (95 %% CI)", y, x)
if (out[strlen(out)-3:] eq ".svg") { set terminal svg size 760,560 dynamic font "sans,11" } \
else { set terminal pngcairo size 760,560 font "sans,10" }
set output out
set title title noenhanced
set datafile separator ","
set xlabel (xunit eq "1" || xunit eq "" ? x : sprintf("%s (%s)", x, xunit)) noenhanced
set ylabel (yunit eq "1" || yunit eq "" ? y : sprintf("%s (%s)", y, yunit)) noenhanced
set grid
set key outside bottom center
set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
plot pts using 2:4:3:5 with xyerrorbars pt 7 ps 1.2 lc rgb "#c0392b" title "design (mean, 95 % CI)", \
     pts using 2:4:1 with labels offset 0,1.2 noenhanced notitle
