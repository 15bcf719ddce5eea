/**
 * Issue 2's throughput targets, each measured in several fresh processes ("forks", as JMH does).
 *
 * On these machines the same code runs up to twice as fast in one process as in the next, and Cortado's
 * ratio to lru-cache for one case moves by +-20% between processes, and by more with what else the
 * process has loaded (docs/benchmarks.md, "One process is one draw"). One run of the bench is one draw. This runs
 * each target's case alone in a fresh process that loads only its suite, `forks` times, interleaving the
 * cases so host drift spreads over all of them, and prints every fork's ratio with their median.
 *
 *   npx tsx bench/arena/forks.ts [forks=5] [rounds=9] [--policy clock] [--issue 19]     (~4 min for 5 forks)
 *
 * --policy runs Cortado with that replacement policy instead of its default ('adaptive').
 * --issue 19 reads issue 19's front targets instead (cortado-front against lru-cache or cortado; each
 * suite in a fresh process, so get-zipf's front starts fresh, not after get-hit's gets as in a bench run),
 * with the front floor (bench/peers/front-floor.ts) timed in the same rounds: its ratio says whether
 * any front of that budget could meet the target.
 */
import { runChild } from '../harness/child.js'
import { formatSi } from '../harness/format.js'
import { median, ratio } from '../harness/stats.js'
import { spec } from '../suites/configs.js'
import { BASELINE } from '../peers/types.js'
import { TARGETS, boundText, meets } from '../report/targets.js'
import { targetFloor } from '../report/summary.js'
import { FRONT_FLOOR_TEXT } from '../report/markdown.js'
import type { ValueKind } from '../peers/types.js'
import type { ForkInput, ForkOutput } from './fork-child.js'
import { FORK_SUITES } from './fork-suites.js'

const args = process.argv.slice(2)
const at = args.indexOf('--policy')
const policy = (at >= 0 ? args.splice(at, 2)[1] : undefined) as ForkInput['policy']
const issueAt = args.indexOf('--issue')
const issue = Number(issueAt >= 0 ? args.splice(issueAt, 2)[1] : 2)
const forks = Number(args[0] ?? 5)
const rounds = Number(args[1] ?? 9)
if (!Number.isInteger(forks) || forks < 1 || !Number.isInteger(rounds) || rounds < 1 || (policy !== undefined && policy !== 'adaptive' && policy !== 'clock')) {
  console.error('usage: npx tsx bench/arena/forks.ts [forks >= 1] [rounds >= 1] [--policy adaptive|clock]')
  process.exit(2)
}

// The targets measured by an operation suite (not memory, workers or Redis).
const cases = TARGETS.filter((t) => t.issue === issue && FORK_SUITES.some((s) => s.id === t.suite))
if (cases.length === 0) {
  console.error(`no operation-suite targets of issue ${issue}`)
  process.exit(2)
}
const CHILD = new URL('./fork-child.ts', import.meta.url)
const ratios = cases.map((): number[] => [])
// A target's floor (issue 19: the front floor), timed in the same fork and rounds, ÷ the same reference.
const floors = cases.map((): number[] => [])

for (let f = 0; f < forks; f++) {
  for (const [i, t] of cases.entries()) {
    const p = t.params
    const peers = [...new Set([t.peer, t.against, ...(t.floor ? [t.floor] : []), ...(t.floorAside ? [t.floorAside] : [])])].filter((id) => id !== BASELINE)
    const input: ForkInput = { suite: t.suite, spec: spec(Number(p.entries), p.valueKind as ValueKind, Number(p.valueBytes)), rounds, policy, peers }
    const ops = await runChild<ForkInput, ForkOutput>(CHILD, input, { timeoutMs: 10 * 60_000 })
    const r = ratio(ops[t.peer], ops[t.against])
    if (r === undefined) throw new Error(`${t.label}: no figure for ${ops[t.peer] === undefined ? t.peer : t.against}`)
    ratios[i]!.push(r)
    // The floor, or what it falls back to (a front standing aside: Cortado without one) when that is faster.
    const floorOps = t.floor === undefined || ops[t.floor] === undefined ? undefined : Math.max(ops[t.floor]!, t.floorAside === undefined ? 0 : ops[t.floorAside] ?? 0)
    const fr = t.floor ? ratio(floorOps, ops[t.against]) : undefined
    if (t.floor && fr === undefined) throw new Error(`${t.label}: no figure for ${t.floor}`)
    if (fr !== undefined) floors[i]!.push(fr)
    const floorText = fr === undefined ? '' : `, ${t.floor} ${formatSi(ops[t.floor!]!)} ops/s, floor ${fr.toFixed(2)}x`
    console.error(`fork ${f + 1}/${forks} · ${t.label} (${new Date().toISOString().slice(11, 19)}): ${t.against} ${formatSi(ops[t.against]!)} ops/s, ${t.peer} ${formatSi(ops[t.peer]!)} ops/s, ${r.toFixed(2)}x${floorText}`)
  }
}

console.log(`\nissue ${issue}: Cortado${policy ? ` (policy: '${policy}')` : ''} ÷ its target's reference (ops/s), ${forks} fresh processes per case, median of ${rounds} alternating rounds each\n`)
const withFloor = cases.some((t) => t.floor !== undefined)
console.log(`| target | forks | median | range | target | met by the median |${withFloor ? ' floor ÷ lru-cache (forks) | floor, median |' : ''}`)
console.log(`| --- | --- | ---: | ---: | ---: | --- |${withFloor ? ' --- | --- |' : ''}`)
for (const [i, t] of cases.entries()) {
  const rs = ratios[i]!
  const m = median(rs)
  const fs = floors[i]!
  // The same words as the bench report's floor column (summary.ts, targetFloor).
  const floorCells = !withFloor ? '' : fs.length === 0 ? ' | |' : ` ${fs.map((r) => r.toFixed(2)).join(' ')} | ${targetFloor({ ...t, ratio: m, pass: meets(t, m), floorRatio: median(fs) })} |`
  console.log(`| ${t.label} | ${rs.map((r) => r.toFixed(2)).join(' ')} | ${m.toFixed(2)}x | ${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)} | ${boundText(t)} | ${meets(t, m) ? 'yes' : 'no'} |${floorCells}`)
}
if (withFloor) console.log(`\nThe floor is ${FRONT_FLOOR_TEXT}`)
