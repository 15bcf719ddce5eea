#!/bin/bash
# Issue 18's gates on the real cache, one after another, and a summary of what they print: the traces on
# four seeds (every row >= LRU + 0.5, the mean over the best known), the recency suite at 10k and 100k (every
# family >= LRU - 1), the sweep's grid and the probe's drawn rows on three seeds (rows under LRU - 1 over the
# whole run). About 7 minutes on a quiet host; the tree must be built (`npm run build`).
#
#   bash bench/sim/policy-gates.sh <outdir>           run every gate, then summarise
#   bash bench/sim/policy-gates.sh --summary <outdir>  summarise an earlier run
#
# Each gate's output stays in <outdir>/<gate>.txt and its start and end in <outdir>/log, so two runs (a
# branch and its base) can be compared row by row afterwards.
set -u
cd "$(dirname "$0")/../.."

summary() {
  local out=$1
  for s in d 1 2 3; do
    local f=$out/traces-$s.txt
    [ -f "$f" ] || continue
    echo "traces seed $s: $(grep -m1 'every row ≥ LRU' "$f" | awk -F'|' '{print $3 $4}') mean − best $(grep -m1 'mean(cortado − best anchor)' "$f" | awk -F'|' '{print $3}')"
  done
  for n in suite-10k suite-100k; do
    local f=$out/$n.txt
    [ -f "$f" ] || continue
    node -e '
      const rows = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l))
      const by = {}
      for (const r of rows) (by[r.trace] ??= {})[r.policy] = r.hitRatio
      let worst = [0, ""], under = 0
      for (const [trace, v] of Object.entries(by)) {
        if (v.lru === undefined || v.cortado === undefined) continue
        const d = 100 * (v.cortado - v.lru)
        if (d < -1) under++
        if (d < worst[0]) worst = [d, trace]
      }
      console.log(`${process.argv[2]}: families under LRU − 1: ${under}, worst ${worst[0].toFixed(2)} ${worst[1]}`)' "$f" "$n"
  done
  [ -f "$out/sweep.txt" ] && echo "sweep: $(grep 'rows, ' "$out/sweep.txt" | tail -1) | whole run under LRU − 1: $(awk -F'|' 'NR > 3 && $6 + 0 < -1' "$out/sweep.txt" | wc -l)"
  for s in 1 2 3; do
    local f=$out/probe-$s.txt
    [ -f "$f" ] || continue
    echo "probe seed $s: $(grep '^under' "$f") | real, whole run under LRU − 1: $(awk -F'|' '/✗/ { split($6, a, " / "); if (a[1] + 0 < -1) n++ } END { print n + 0 }' "$f")"
  done
}

if [ "${1:-}" = --summary ]; then
  summary "${2:?usage: policy-gates.sh --summary <outdir>}"
  exit 0
fi
OUT=${1:?usage: policy-gates.sh <outdir>}
mkdir -p "$OUT"
run() {
  local name=$1
  shift
  echo "$(date +%T) start $name" >> "$OUT/log"
  "$@" > "$OUT/$name.txt" 2>&1
  echo "$(date +%T) done $name rc=$?" >> "$OUT/log"
}
run traces-d npm run sim -- --policy cortado
for s in 1 2 3; do run traces-$s npm run sim -- --policy cortado --seed $s; done
run suite-10k npm run sim -- --recency --policy cortado,lru --sizes 10000
run sweep npx tsx bench/arena/recency-sweep.ts
for s in 1 2 3; do run probe-$s npx tsx bench/sim/recency-probe.ts --rows 300 --seed $s --real; done
run suite-100k npm run sim -- --recency --policy cortado,lru --sizes 100000
summary "$OUT"
