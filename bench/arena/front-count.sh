#!/bin/bash
# Instructions per get of a front script (cachegrind, the difference of two pass counts), as
# policy-count.sh counts the policy's operations: `total` is every instruction of the process, `jit` only
# V8's generated code (cg_annotate's ???:??? line; the stable figure on a loaded host).
#
#   bash bench/arena/front-count.sh <lib index.js> <script> <mode> <passes a> <passes b>
#   e.g. bash bench/arena/front-count.sh "$PWD/dist/src/index.js" bench/arena/front-instructions.mjs front 1 4
#        N=1000000 bash bench/arena/front-count.sh "$PWD/dist/src/index.js" bench/arena/front-miss-instructions.mjs front 1 3
#
# Each pass is 2^20 gets; the environment (N, ...) passes through to the script.
set -euo pipefail
LIB=$1; S=$2; M=$3; A=$4; B=$5
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for p in "$A" "$B"; do
  nice -n 10 valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file="$OUT/cg.$p" \
    node --predictable --no-liftoff --no-wasm-dynamic-tiering "$S" "$LIB" "$M" "$p" > "$OUT/out.$p" 2>&1
done
total() { grep '^summary:' "$OUT/cg.$1" | awk '{print $2}'; }
jit() { cg_annotate "$OUT/cg.$1" 2>/dev/null | grep -m1 '???:???$' | sed 's/([^)]*)//g; s/,//g' | awk '{print $1}'; }
G=$(( (B - A) * 1048576 ))
echo "$M N=${N:-default} $LIB: total $(echo "($(total "$B") - $(total "$A")) / $G" | bc -l | cut -c1-7), jit $(echo "($(jit "$B") - $(jit "$A")) / $G" | bc -l | cut -c1-7) instr/get"
tail -1 "$OUT/out.$A"; tail -1 "$OUT/out.$B"
[ -n "${KEEP:-}" ] && cp "$OUT"/cg.* "$KEEP"/ || true
