#!/bin/bash
# Instructions per get of a front script (cachegrind, the difference of two pass counts), as
# policy-count.sh counts the policy's operations: `total` is every instruction of the process, `jit` only
# V8's generated code (cg_annotate's ???:??? line; the stable figure on a loaded host).
#
#   bash bench/arena/front-count.sh <lib index.js> <script> <mode> <passes a> <passes b>
#   e.g. bash bench/arena/front-count.sh "$PWD/dist/src/index.js" bench/arena/front-instructions.mjs front 1 4
#        N=1000000 bash bench/arena/front-count.sh "$PWD/dist/src/index.js" bench/arena/front-miss-instructions.mjs front 1 3
#
# Each pass is 2^20 gets; the environment (N, ...) passes through to the script. With MISSES=1 cachegrind
# also simulates policy-count.sh's cache hierarchy (D1 32 KiB, LL 8 MiB or LL=<bytes>) and the generated
# code's D1 and LL misses per get are printed too: the cache lines a get brings in, which decide its time
# once its data outgrows the CPU caches while instruction counts stay level.
set -euo pipefail
LIB=$1; S=$2; M=$3; A=$4; B=$5
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ -n "${MISSES:-}" ]; then SIM=(--cache-sim=yes --D1=32768,8,64 --I1=32768,8,64 --LL=${LL:-8388608},16,64); else SIM=(--cache-sim=no); fi
for p in "$A" "$B"; do
  nice -n 10 valgrind --tool=cachegrind "${SIM[@]}" --smc-check=all-non-file --cachegrind-out-file="$OUT/cg.$p" \
    node --predictable --no-liftoff --no-wasm-dynamic-tiering "$S" "$LIB" "$M" "$p" > "$OUT/out.$p" 2>&1
done
total() { grep '^summary:' "$OUT/cg.$1" | awk '{print $2}'; }
jit() { cg_annotate "$OUT/cg.$1" 2>/dev/null | grep -m1 '???:???$' | sed 's/([^)]*)//g; s/,//g' | awk '{print $1}'; }
G=$(( (B - A) * 1048576 ))
if [ -n "${MISSES:-}" ]; then
  # The whole process (summary line: Map lookups run in V8's builtins, which have symbols) and the generated code alone.
  miss() { read -r _ _ _ _ a b _ c d _ <<< "$1"; echo "$a $b $c $d"; }
  read -r a1 b1 c1 d1 <<< "$(miss "$(grep '^summary:' "$OUT/cg.$A" | cut -d' ' -f2-)")"
  read -r a2 b2 c2 d2 <<< "$(miss "$(grep '^summary:' "$OUT/cg.$B" | cut -d' ' -f2-)")"
  echo "$M misses (all): D1 $(echo "($a2 + $c2 - $a1 - $c1) / $G" | bc -l | cut -c1-6), LL $(echo "($b2 + $d2 - $b1 - $d1) / $G" | bc -l | cut -c1-6) per get"
  read -r a1 b1 c1 d1 <<< "$(miss "$(cg_annotate "$OUT/cg.$A" 2>/dev/null | grep -m1 '???:???$' | sed 's/([^)]*)//g; s/,//g')")"
  read -r a2 b2 c2 d2 <<< "$(miss "$(cg_annotate "$OUT/cg.$B" 2>/dev/null | grep -m1 '???:???$' | sed 's/([^)]*)//g; s/,//g')")"
  echo "$M misses (jit): D1 $(echo "($a2 + $c2 - $a1 - $c1) / $G" | bc -l | cut -c1-6), LL $(echo "($b2 + $d2 - $b1 - $d1) / $G" | bc -l | cut -c1-6) per get"
fi
echo "$M N=${N:-default} $LIB: total $(echo "($(total "$B") - $(total "$A")) / $G" | bc -l | cut -c1-7), jit $(echo "($(jit "$B") - $(jit "$A")) / $G" | bc -l | cut -c1-7) instr/get"
tail -1 "$OUT/out.$A"; tail -1 "$OUT/out.$B"
[ -n "${KEEP:-}" ] && cp "$OUT"/cg.* "$KEEP"/ || true
