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
# With `misses` (4th argument), cachegrind also simulates a fixed cache hierarchy (D1 32 KiB 8-way, LL
# 8 MiB 16-way or LL=<bytes>, 64-byte lines) over N=100000 entries (N=<entries> to change; the sketch,
# ghost, index and entries together well beyond the LL), and the generated code's D1 and LL misses per
# operation are printed too: the cache lines an operation brings in. A layout change that moves state
# into a line the operation touches anyway shows there, where the instruction count does not. The D1
# figure of one build moves by ~1 between runs (heap addresses).
#
#   bash bench/arena/policy-count.sh <dist of a build> clock|adaptive set|get|getfull|getfresh|mixed [misses]
#
# get: a cache that has never been full; getfull: one whose every shard has been full (policy-instructions.mjs);
# getfresh: as get, each stretch of gets a fresh draw of keys (~40% first hits, as policy-cost.ts's rounds).
# mixed: Zipf(0.99) over 10N keys, 90% get (a set after a miss) / 10% set, as policy-cost.ts's mixed rounds.
# LL=2097152 simulates this host's L2 (2 MiB a core) as the last level: its misses are the reads that go to L3.
#
# The library is loaded from <dist>/src/index.js; it finds its wasm core in <dist>/wasm (a copy of a
# build must keep the dist/ folder name and sit under a folder whose node_modules resolve).
set -euo pipefail
# The dist as an absolute path: the script imports it from bench/arena, where a relative one would not
# resolve (and the run's output, sent to /dev/null, would hide why nothing is printed).
D=$(cd "$1" && pwd); P=$2; O=$3; MODE=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ "$MODE" = misses ]; then
  SIM=(--cache-sim=yes --D1=32768,8,64 --I1=32768,8,64 --LL=${LL:-8388608},16,64); ENTRIES=${N:-100000}
else
  SIM=(--cache-sim=no); ENTRIES=${N:-30000}
fi
run() {
  N=$ENTRIES nice -n 19 valgrind --tool=cachegrind "${SIM[@]}" --smc-check=all-non-file \
    --cachegrind-out-file="$OUT/cg.$1" node --predictable --no-liftoff --no-wasm-dynamic-tiering \
    "$HERE/policy-instructions.mjs" "$D/src/index.js" "$P" "$O" "$1" > /dev/null 2>&1
}
total() { grep '^summary:' "$OUT/cg.$1" | awk '{print $2}'; }
# The ???:??? line's columns: Ir, then with the simulation I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw.
jit() { cg_annotate "$OUT/cg.$1" 2>/dev/null | grep -m1 '???:???$' | sed 's/([^)]*)//g; s/,//g'; }
run 1
run 4
if [ "$MODE" = misses ]; then
  read -r i1 _ _ _ d1r l1r _ d1w l1w _ <<< "$(jit 1)"
  read -r i4 _ _ _ d4r l4r _ d4w l4w _ <<< "$(jit 4)"
  awk -v d="$D" -v p="$P" -v o="$O" -v i="$((i4 - i1))" -v dm="$((d4r + d4w - d1r - d1w))" -v lm="$((l4r + l4w - l1r - l1w))" \
    'BEGIN { printf "%s %s %s (jit): %d instr, %.2f D1 misses, %.2f LL misses per op\n", d, p, o, i / 150000, dm / 150000, lm / 150000 }'
else
  echo "$D $P $O: total $(( ($(total 4) - $(total 1)) / 150000 )), jit $(( ($(jit 4 | awk '{print $1}') - $(jit 1 | awk '{print $1}')) / 150000 )) instr/op"
fi
