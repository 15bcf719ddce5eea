#!/bin/bash
# What a set with eviction costs without issue 18's rules: the floor of the adaptive policy's set cost.
#
# Issue 18 asks the default policy's set with eviction for >= 0.9x the speed of `policy: 'clock'`. This
# builds the tree's committed HEAD a second time, in a temporary worktree, with every rule issue 18 added
# switched off in src/layout/policy.json (each constant's documented "0: off"; what is left is W-TinyLFU's
# window, probation and protected with the sketch's admission and the ghost-driven window of before issue
# 18), and counts generated instructions per set with eviction (bench/arena/policy-count.sh) for that
# build's adaptive policy, then for <dist>'s adaptive policy and its clock. The first against the last is
# what TinyLFU admission itself costs over CLOCK on this engine; the second against the first is what
# issue 18's rules add (docs/policy.md, "Stop 49: the set's floor").
#
#   bash bench/arena/policy-floor.sh <dist of this tree> [misses]      (~6 min; 12 with misses)
set -euo pipefail
D=$(cd "$1" && pwd); MODE=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d)
WT="$TMP/floor"
cleanup() { git -C "$ROOT" worktree remove --force "$WT" > /dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
git -C "$ROOT" worktree add --detach "$WT" HEAD > /dev/null 2>&1
ln -s "$ROOT/node_modules" "$WT/node_modules"
# Issue 18's rules, off (their values when off are in each constant's doc in src/layout/policy.json).
node -e '
const fs = require("fs")
const file = process.argv[1]
const spec = JSON.parse(fs.readFileSync(file, "utf8"))
const off = ["RETURN_TO", "ONCE_MAX_WINDOW", "ONCE_HOT_SHARE", "COLD_WINDOW", "COLD_HITS_UNASKED", "DRIFT_SWEEP",
  "DRIFT_GROW", "HIT_GAIN", "UNASKED_TIE", "WINDOW_CLOCK_ASKED", "SATURATED_TIE", "UNASKED_KEEP", "QUIET_MAIN"]
for (const name of off) {
  const c = spec.constants[name]
  if (c === undefined) throw new Error(`policy.json has no ${name}`)
  if (typeof c === "object") c.value = 0; else spec.constants[name] = 0
}
fs.writeFileSync(file, JSON.stringify(spec, null, 2) + "\n")
' "$WT/src/layout/policy.json"
(cd "$WT" && node src/layout/generate.mjs > /dev/null && npm run build:wasm --silent > /dev/null && npm run build:ts --silent > /dev/null)
bash "$HERE/policy-count.sh" "$WT/dist" adaptive set $MODE | sed 's|^[^ ]*|rules off|'
bash "$HERE/policy-count.sh" "$D" adaptive set $MODE
bash "$HERE/policy-count.sh" "$D" clock set $MODE
