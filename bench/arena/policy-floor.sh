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
# issue 18's rules add (docs/policy.md, "Stop 49: the set's floor", and "Stop 58: the set's cost, rule by rule": with
# the 39 rules of 5bbbe36 off, 3776 generated instructions a set against clock's 3018 and the default's 4250; since
# then LATE_ASIDE was retired and STALE_FAST_HALVE added).
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
# Issue 18's rules, off (their values when off are in each constant's doc in src/layout/policy.json). The list is
# checked against policy.json: a constant whose doc opens with issue 18 (or a stop since 33) must be in `off` or in `parts` (a parameter of a
# rule in `off`), so a rule added later cannot stay on in the floor unnoticed.
node -e '
const fs = require("fs")
const file = process.argv[1]
const spec = JSON.parse(fs.readFileSync(file, "utf8"))
const off = ["RETURN_TO", "RETURN_SAMPLE", "RETURN_READ_MIN", "YOUNG_TEST", "ONCE_MAX_WINDOW", "ONCE_HOT_SHARE",
  "COLD_WINDOW", "COLD_HITS_UNASKED", "DRIFT_SWEEP", "DRIFT_GROW", "MISSED_GENS", "WINDOW_CLOCK_ASKED", "HIT_GAIN",
  "HIT_GAIN_UNDO", "UNASKED_TIE", "SATURATED_TIE", "UNASKED_KEEP", "QUIET_MAIN", "MISS_CLEAR", "NET_EVIDENCE",
  "ONCE_FIFO", "ONCE_LIFT", "ONCE_DROP", "COLD_SHED", "FILL_ROTATE", "LATE_HIT", "LATE_FLAG", "TRACER_FLAG",
  "LATE_FREQUENCY", "FREE_TAG", "STALE_GATE", "STALE_HALVE", "STALE_FAST", "STALE_FAST_AGE", "STALE_FAST_HALVE", "WIN_AGE",
  "MISS_RUN", "MISS_UNDO", "DRY_RUN"]
const parts = ["COLD_HITS", "QUIET_SCALE", "LATE_SHARE", "MISS_UNDO_MISSES", "DRY_RUN_COST", "DRY_RUN_CAP",
  "STALE_FAST_AGE_WINDOW", "STALE_FAST_HALVE_DRIFT"]
for (const [name, c] of Object.entries(spec.constants)) {
  // Issue 18 began at stop 33: a doc that opens with "Issue #18" or "Stop NN" (NN >= 33) is one of its rules.
  const m = /^(?:Issue #18|Stop (\d+))/.exec(typeof c === "object" ? c.doc ?? "" : "")
  if (m && (m[1] === undefined || Number(m[1]) >= 33) && !off.includes(name) && !parts.includes(name))
    throw new Error(`policy-floor.sh: ${name} (issue 18) is in neither its off list nor its parts list`)
}
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
