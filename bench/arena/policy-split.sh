#!/bin/bash
# Callgrind of one policy's sets with eviction, split by generated function with policy-split.py (stop 48,
# docs/policy.md "Stop 48, setcost"). V8's perf map names the generated code (wasm functions by index;
# dist/wasm/cortado.wat, built with the core, names each index). Run it with two pass counts: the
# difference of the two runs is the sets' cost.
#   N=100000 bash bench/arena/policy-split.sh <dist> adaptive|clock 1 <outdir>   (and 2)
#   WAT=<dist>/wasm/cortado.wat python3 bench/arena/policy-split.py <outdir>/cg.adaptive.1 <outdir>/cg.adaptive.2 <sets between> [top]
set -euo pipefail
D=$(cd "$1" && pwd); P=$2; PASS=$3; O=$(mkdir -p "$4" && cd "$4" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$O"
N=${N:-100000} nice -n 19 valgrind --tool=callgrind --dump-instr=yes --dump-line=no --cache-sim=yes \
  --D1=32768,8,64 --I1=32768,8,64 --LL=8388608,16,64 --smc-check=all-non-file \
  --callgrind-out-file="$O/cg.$P.$PASS" node --perf-basic-prof --predictable --no-liftoff --no-wasm-dynamic-tiering \
  "$HERE/policy-instructions.mjs" "$D/src/index.js" "$P" "${OP:-set}" "$PASS" > "$O/out.$P.$PASS" 2>&1
