/**
 * Issue 2's throughput targets, each measured in several fresh processes ("forks", as JMH does).
 *
 * On these machines the same code runs up to twice as fast in one process as in the next, and Cortado's
 * ratio to lru-cache for one case moves by +-20% between processes, and by more with what else the
 * process has loaded (docs/benchmarks.md, "One process is one draw"). One run of the bench is one draw. This runs
 * each target's case alone in a fresh process that loads only its suite, `forks` times, interleaving the
 * cases so host drift spreads over all of them, and prints every fork's ratio with their median.
 *
 *   npx tsx bench/arena/forks.ts [forks=5] [rounds=9] [--policy clock]     (~4 min for 5 forks)
 *
 * --policy runs Cortado with that replacement policy instead of its default ('adaptive').
 */
import { runChild } from '../harness/child.js'
import { formatSi } from '../harness/format.js'
import { median, ratio } from '../harness/stats.js'
import { spec } from '../suites/configs.js'
import { BASELINE } from '../peers/types.js'
import { TARGETS, boundText, meets } from '../report/targets.js'
import type { ValueKind } from '../peers/types.js'
import type { ForkInput, ForkOutput } from './fork-child.js'
import { FORK_SUITES } from './fork-suites.js'

const args = process.argv.slice(2)
const at = args.indexOf('--policy')
const policy = (at >= 0 ? args.splice(at, 2)[1] : undefined) as ForkInput['policy']
const forks = Number(args[0] ?? 5)
const rounds = Number(args[1] ?? 9)
if (!Number.isInteger(forks) || forks < 1 || !Number.isInteger(rounds) || rounds < 1 || (policy !== undefined && policy !== 'adaptive' && policy !== 'clock')) {
  console.error('usage: npx tsx bench/arena/forks.ts [forks >= 1] [rounds >= 1] [--policy adaptive|clock]')
  process.exit(2)
}

// The targets measured by an operation suite against lru-cache (not memory, workers or Redis).
const cases = TARGETS.filter((t) => t.issue === 2 && FORK_SUITES.some((s) => s.id === t.suite))
const CHILD = new URL('./fork-child.ts', import.meta.url)
const ratios = cases.map((): number[] => [])

for (let f = 0; f < forks; f++) {
  for (const [i, t] of cases.entries()) {
    const p = t.params
    const input: ForkInput = { suite: t.suite, spec: spec(Number(p.entries), p.valueKind as ValueKind, Number(p.valueBytes)), rounds, policy }
    const ops = await runChild<ForkInput, ForkOutput>(CHILD, input, { timeoutMs: 10 * 60_000 })
    const r = ratio(ops[t.peer], ops[BASELINE])
    if (r === undefined) throw new Error(`${t.label}: no figure for ${ops[t.peer] === undefined ? t.peer : BASELINE}`)
    ratios[i]!.push(r)
    console.error(`fork ${f + 1}/${forks} · ${t.label}: lru-cache ${formatSi(ops[BASELINE]!)} ops/s, Cortado ${formatSi(ops[t.peer]!)} ops/s, ${r.toFixed(2)}x`)
  }
}

console.log(`\nCortado${policy ? ` (policy: '${policy}')` : ''} ÷ lru-cache (ops/s), ${forks} fresh processes per case, median of ${rounds} alternating rounds each\n`)
console.log('| target | forks | median | range | target | met by the median |')
console.log('| --- | --- | ---: | ---: | ---: | --- |')
for (const [i, t] of cases.entries()) {
  const rs = ratios[i]!
  const m = median(rs)
  console.log(`| ${t.label} | ${rs.map((r) => r.toFixed(2)).join(' ')} | ${m.toFixed(2)}x | ${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)} | ${boundText(t)} | ${meets(t, m) ? 'yes' : 'no'} |`)
}
