#!/bin/bash
# Instructions per operation of bench/arena/policy-instructions.mjs (cachegrind, the difference of 4 and 1
# passes over 150k operations), in two figures:
#   total  every instruction of the process (what /work/bisect/pcount.sh prints);
#   jit    only the code cachegrind finds no symbol for ("???:???" in cg_annotate): V8's generated code,
#          i.e. the WebAssembly core and the JITed JavaScript, without the garbage collector and the
#          runtime's C++.
# On a loaded host `total` moved by up to ±300 per set between runs of the same build (the scavenger's
# work differs from run to run; stop 33: clock set 4413, 4578 and 4939 for one build), while `jit` gave
# the same figure every time (clock set 3097 three times, adaptive set 4359 twice). Compare builds on
# `jit`.
#
#   bash bench/arena/policy-count.sh <dist of a build> clock|adaptive set|get
#
# The library is loaded from <dist>/src/index.js; it finds its wasm core in <dist>/wasm (a copy of a
# build must keep the dist/ folder name and sit under a folder whose node_modules resolve).
set -euo pipefail
D=$1; P=$2; O=$3
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
run() {
  N=30000 nice -n 19 valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file \
    --cachegrind-out-file="$OUT/cg.$1" node --predictable --no-liftoff --no-wasm-dynamic-tiering \
    "$HERE/policy-instructions.mjs" "$D/src/index.js" "$P" "$O" "$1" > /dev/null 2>&1
}
total() { grep '^summary:' "$OUT/cg.$1" | awk '{print $2}'; }
jit() { cg_annotate "$OUT/cg.$1" 2>/dev/null | grep -m1 '???:???$' | awk '{print $1}' | tr -d ,; }
run 1
run 4
echo "$D $P $O: total $(( ($(total 4) - $(total 1)) / 150000 )), jit $(( ($(jit 4) - $(jit 1)) / 150000 )) instr/op"
