#!/bin/bash
# One planted bug's effect on the recency sweep (stop 57): builds the mutant in a scratch worktree of HEAD (wasm and
# TypeScript, no native), then replays bench/arena/recency-sweep.ts on that build, so a surviving mutant's rows can be
# compared with the same sweep on the unmutated tree. Deterministic (hit ratios); a few minutes a mutant.
#
#   bash test/mutants/sweep-one.sh <mutant id> [recency-sweep.ts options, default: --sizes 4000 --shards 1]
#   bash test/mutants/sweep-one.sh free-tag-never --sizes 4000 --shards 1 --only 'lag 0.9C'
#
# Compare with `npx tsx bench/arena/recency-sweep.ts <the same options>` on the tree itself (the sweep test's setting is
# 4000 entries, one shard).
#
# KEEP=1 keeps the scratch worktree (under $TMPDIR) and prints its build's entry point ("dist: <path>", before the sweep), for the
# probe's or the sim's --cortado, or `npm run sim` run inside it; `--build` as the only option builds without the sweep:
#   TMPDIR=/tmp/x KEEP=1 bash test/mutants/sweep-one.sh return-read-ignored --build
# Remove it afterwards with `git worktree remove --force <dir>`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ID=$1; shift
OPTS=("$@"); [ ${#OPTS[@]} -eq 0 ] && OPTS=(--sizes 4000 --shards 1)
WT=$(mktemp -d "${TMPDIR:-/tmp}/mutant-$ID.XXXX")
[ "${KEEP:-0}" = 1 ] || trap 'git -C "$ROOT" worktree remove --force "$WT" >/dev/null 2>&1 || rm -rf "$WT"' EXIT
git worktree add --detach -q "$WT" HEAD
ln -s "$ROOT/node_modules" "$WT/node_modules"
cd "$WT"
MUTANT_ID=$ID npx tsx -e "
import { MUTANTS, applyMutant } from './test/mutants/mutants.ts'
import { readFileSync, writeFileSync } from 'node:fs'
const m = MUTANTS.find((x) => x.id === process.env.MUTANT_ID)
if (!m) throw new Error('no mutant ' + process.env.MUTANT_ID)
const applied = applyMutant(m, readFileSync(m.file, 'utf8'))
if ('reason' in applied) throw new Error(m.id + ': ' + applied.reason + ' (' + m.file + ')')
writeFileSync(m.file, applied.text)
console.error('applied ' + m.id + ' to ' + m.file)
"
npm run --silent build:wasm >/dev/null
npm run --silent build:ts >/dev/null
cd "$ROOT"
[ "${KEEP:-0}" = 1 ] && echo "dist: $WT/dist/src/index.js"
[ "${OPTS[*]}" = --build ] && exit 0
npx tsx bench/arena/recency-sweep.ts "${OPTS[@]}" --cortado "$WT/dist/src/index.js" 2>/dev/null
