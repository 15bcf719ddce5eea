#!/bin/bash
# Simulated cache misses per operation of bench/arena/policy-instructions.mjs: cachegrind with its cache
# simulation on a fixed hierarchy (D1 32 KiB 8-way, LL 8 MiB 16-way or LL=<bytes>, 64-byte lines),
# the difference of 4 and 1 passes over 150k operations, N=100000 entries (the sketch, ghost, index and
# entries together well beyond the LL). Like policy-count.sh it reports the code cachegrind finds no
# symbol for ("???:???": V8's generated code, i.e. the WebAssembly core and the JITed JavaScript), whose
# figures repeat from run to run, and prints per operation:
#   D1 misses (reads + writes) and LL misses (reads + writes): the cache lines an operation brings in.
# A layout change that moves state into a line the operation touches anyway shows here, where the
# instruction count (policy-count.sh) does not.
#
#   bash bench/arena/policy-misses.sh <dist of a build> clock|adaptive set|get
set -euo pipefail
D=$1; P=$2; O=$3
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
run() {
  N=${N:-100000} nice -n 19 valgrind --tool=cachegrind --cache-sim=yes --D1=32768,8,64 --I1=32768,8,64 --LL=${LL:-8388608},16,64 \
    --smc-check=all-non-file --cachegrind-out-file="$OUT/cg.$1" node --predictable --no-liftoff --no-wasm-dynamic-tiering \
    "$HERE/policy-instructions.mjs" "$D/src/index.js" "$P" "$O" "$1" > /dev/null 2>&1
}
# The ???:??? line's columns: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw.
jit() { cg_annotate "$OUT/cg.$1" 2>/dev/null | grep -m1 '???:???$' | sed 's/([^)]*)//g; s/,//g' | awk '{print $1, $5 + $8, $6 + $9}'; }
run 1
run 4
read -r i1 d1 l1 <<< "$(jit 1)"
read -r i4 d4 l4 <<< "$(jit 4)"
awk -v d="$D" -v p="$P" -v o="$O" -v i1="$i1" -v i4="$i4" -v d1="$d1" -v d4="$d4" -v l1="$l1" -v l4="$l4" \
  'BEGIN { printf "%s %s %s (jit): %d instr, %.2f D1 misses, %.2f LL misses per op\n", d, p, o, (i4 - i1) / 150000, (d4 - d1) / 150000, (l4 - l1) / 150000 }'
