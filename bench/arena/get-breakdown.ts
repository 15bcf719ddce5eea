/**
 * Where a get's time goes, next to lru-cache's and a Map's: the bench's get-hit workload (16-byte keys,
 * 100-byte string values, uniformly random stored keys), cut into the steps Cache.get takes, each timed
 * alone in the same process, alternating rounds, medians. Run with both forms a key string takes in V8:
 * - cons: 'k' + 15 characters, as the bench (and most code building keys by concatenation) makes them; a
 *   16-character concatenation is a ConsString pointing at its flat characters, so reading the key's
 *   bytes is two dependent loads, while a Map needs only the hash cached in the cons header;
 * - flat: the same keys through JSON, as keys parsed off a socket are.
 *
 *   npx tsx bench/arena/get-breakdown.ts [entries...]     (default: 100000 1000000; ~5 min)
 */
import { runChild } from '../harness/child.js'
import type { BreakdownInput, BreakdownOutput, KeyForm } from './get-breakdown-child.js'

const ROUNDS = 15
const ROUND_MS = 300
const CHILD = new URL('./get-breakdown-child.ts', import.meta.url)

// Each (entries, key form) is measured in a fresh child process, so one form's structures don't share
// the heap and the CPU caches with the other's.
const sizes = process.argv.slice(2).map(Number)
for (const entries of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
  const results: Map<string, number>[] = []
  for (const form of ['cons', 'flat'] as KeyForm[]) {
    const steps = await runChild<BreakdownInput, BreakdownOutput>(CHILD, { entries, form, rounds: ROUNDS, roundMs: ROUND_MS }, { timeoutMs: 20 * 60_000 })
    results.push(new Map(steps))
  }
  console.log(`\n${entries} entries, ns per operation (median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms; one process per key form)\n`)
  console.log('| step | cons keys | flat keys |')
  console.log('| --- | ---: | ---: |')
  for (const name of results[0]!.keys()) {
    console.log(`| ${name} | ${results.map((r) => r.get(name)!.toFixed(0)).join(' | ')} |`)
  }
  const ratio = (r: Map<string, number>) => (r.get('lru-cache get')! / r.get('Cortado get')!).toFixed(2)
  console.log(`| Cortado ÷ lru-cache (ops/s) | ${results.map(ratio).join('× | ')}× |`)
}
