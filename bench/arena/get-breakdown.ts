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
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LRUCache } from 'lru-cache'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { writeUtf8 } from '../../src/text.js'
import { makeKeys, makeValues } from '../harness/data.js'
import { Prng } from '../workloads/prng.js'
import { runRounds, type Contender } from '../harness/rounds.js'
import { median } from '../harness/stats.js'

/** Key indices per step: a power of two, so the loops wrap with a mask. */
const SEQUENCE = 1 << 18
const ROUNDS = 15
const ROUND_MS = 300

function steps(entries: number, keys: string[]): Contender[] {
  const values = makeValues(entries, 'string', 100) as string[]
  const lru = new LRUCache<string, string>({ max: entries })
  const map = new Map<string, string>()
  const cache = new Cache<string>({ maxBytes: Cache.maxBytesFor(entries, 8 + 16 + 100), maxEntries: entries })
  for (let i = 0; i < entries; i++) {
    lru.set(keys[i], values[i])
    map.set(keys[i], values[i])
    cache.set(keys[i], values[i])
  }
  const rng = new Prng(7)
  const idx = Uint32Array.from({ length: SEQUENCE }, () => rng.nextInt(entries))
  const { exports: ex, views, scratch } = cache._internals
  const keyAt = scratch + L.RESULT_SIZE
  const room = L.MAX_KEY_BYTES + 1
  const valueAt = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2] // any stored value's bytes will do
  // One compiled loop per step, so each call site sees one callee (as bench/harness/kernels.ts does).
  const step = (id: string, body: string, env: Record<string, unknown>): Contender => ({
    id,
    run: new Function(...Object.keys(env),
      `return (from, count) => { let s = 0; for (let i = from; i < from + count; i++) { const k = keys[idx[i & ${SEQUENCE - 1}]]; ${body} } return s }`)(
      ...Object.values(env)) as Contender['run'],
  })
  const key = { keys, idx }
  const engine = { ...key, w: writeUtf8, v: views, at: keyAt, room, ex }
  return [
    step('lru-cache get', 'if (c.get(k) !== undefined) s++', { ...key, c: lru }),
    step('Map get', 'if (c.get(k) !== undefined) s++', { ...key, c: map }),
    step('Cortado get', 'if (c.get(k) !== undefined) s++', { ...key, c: cache }),
    step('1. key bytes into the arena', 's += w(v, k, at, room)', engine),
    step('1+2. + engine lookup (hit counted)', 'if (ex.get(w(v, k, at, room), -1, 0) === 1) s++', engine),
    step('1+2. + engine lookup, peek (not counted)', `if (ex.get(w(v, k, at, room), -1, ${L.GET_PEEK}) === 1) s++`, engine),
    // Reads no key: only the copy of a 100-byte value into a new string.
    step('3. value out: latin1Slice of 100 B', 's += buf.latin1Slice(at + (i & 1023), at + (i & 1023) + 100).length',
      { keys: [''], idx: [0], buf: views.buf, at: valueAt - (valueAt & 1023) }),
  ]
}

/** Median ns per operation of each step, over alternating rounds (bench/harness/rounds.ts). */
function measure(contenders: Contender[]): Map<string, number> {
  const { samples, failed } = runRounds(contenders, { rounds: ROUNDS, roundMs: ROUND_MS, chunk: 4096, warmup: true })
  for (const [id, err] of failed) throw new Error(`${id}: ${err.message}`)
  return new Map([...samples].map(([id, rounds]) => [id, median(rounds.map((r) => r.ns / r.ops))]))
}

// Each (entries, key form) is measured in a fresh child process, so one form's structures don't share
// the heap and the CPU caches with the other's.
const [entriesArg, formArg] = process.argv.slice(2)
if (formArg === 'cons' || formArg === 'flat') {
  const cons = makeKeys(Number(entriesArg))
  const keys = formArg === 'cons' ? cons : (JSON.parse(JSON.stringify(cons)) as string[])
  console.log(JSON.stringify([...measure(steps(Number(entriesArg), keys))]))
} else {
  const sizes = process.argv.slice(2).map(Number)
  for (const entries of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
    const results = (['cons', 'flat'] as const).map((form) => {
      const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(entries), form], { encoding: 'utf8' })
      return new Map<string, number>(JSON.parse(out.trim().split('\n').pop()!))
    })
    console.log(`\n${entries} entries, ns per operation (median of ${ROUNDS} alternating rounds of ${ROUND_MS} ms; one process per key form)\n`)
    console.log('| step | cons keys | flat keys |')
    console.log('| --- | ---: | ---: |')
    for (const name of results[0].keys()) {
      console.log(`| ${name} | ${results.map((r) => r.get(name)!.toFixed(0)).join(' | ')} |`)
    }
    const ratio = (r: Map<string, number>) => (r.get('lru-cache get')! / r.get('Cortado get')!).toFixed(2)
    console.log(`| Cortado ÷ lru-cache (ops/s) | ${results.map(ratio).join('× | ')}× |`)
  }
}
