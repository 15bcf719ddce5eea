#!/bin/bash
# Stop 57 (movingage): ten moving rows of the recency probe (seeds 1-3, their own trace seeds, so the figures equal the
# probe's model column) on the model, one line per row: model − LRU, whole run / second half, per variant.
#   bash bench/sim/moving-rows.sh 'base:;x:k=v'      (add sketchLayout=4,ghostBuckets=1 to a variant for the engines' structures)
cd "$(dirname "$0")/../.." || exit 1
V="${1:-base:}"
while read -r c s per every by seed; do
  echo "== $c s$s $per/entry every ${every}C by ${by}C (trace seed $seed)"
  npx tsx bench/sim/mild-diag.ts --gen moving --c "$c" --s "$s" --per "$per" --every "$every" --by "$by" --seed "$seed" --variants "$V" 2>&1 | grep -E '^[A-Za-z0-9_]+: '
done <<ROWS | python3 -c '
import sys, re
line = None
for l in sys.stdin:
    l = l.rstrip()
    if l.startswith("=="):
        if line: print(line)
        p = l.split(); line = "%-6s %-5s %-8s %-6s %-6s|" % (p[1], p[2], p[3], p[5], p[7])
    else:
        m = re.match(r"([A-Za-z0-9_]+): (\S+) / (\S+)", l)
        if m: line += " %s %s / %s |" % m.groups()
if line: print(line)'
6300 1.1 2 17 1 181991578
20300 1.1 2 18 1.55 769628589
3200 1.1 2 19.5 8.15 273054441
17900 1.1 2 11 0.6 498894529
4900 1.1 5 11.5 1.55 956866794
17600 0.8 2 16 3.8 707984623
12800 0.99 5 12.5 3.5 48139231
9000 0.7 2 5 0.25 644737505
3700 0.9 10 4 1.4 16564475
15400 0.7 2 3.5 6.1 864892768
ROWS
