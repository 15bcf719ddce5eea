/**
 * Where a get's time goes, next to lru-cache's and a Map's: the bench's get-hit workload (16-byte keys,
 * 100-byte string values, uniformly random stored keys), cut into the steps Cache.get takes, each timed
 * alone in the same process, alternating rounds, medians. Run with both forms a key string takes in V8:
 * - cons: 'k' + 15 characters, as the bench (and most code building keys by concatenation) makes them; a
 *   16-character concatenation is a ConsString pointing at its flat characters, so reading the key's
 *   bytes is two dependent loads, while a Map needs only the hash cached in the cons header;
 * - flat: the same keys through JSON, as keys parsed off a socket are.
 *
 *   npx tsx bench/arena/get-breakdown.ts [entries...]     (default: 100000 1000000; ~2.5 min)
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { LRUCache } from 'lru-cache'
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { writeUtf8 } from '../../src/text.js'
import { makeKeys, makeValues } from '../harness/data.js'
import { Prng } from '../workloads/prng.js'

const OPS = 200_000
const ROUNDS = 15

type Step = () => number

function steps(entries: number, keys: string[]): Record<string, Step> {
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
  const idx = Uint32Array.from({ length: OPS }, () => rng.nextInt(entries))
  const { exports: ex, views, scratch } = cache._internals
  const keyAt = scratch + L.RESULT_SIZE
  const room = L.MAX_KEY_BYTES + 1
  const valueAt = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2] // any stored value's bytes will do
  const loop = (body: string, env: Record<string, unknown>): Step =>
    new Function(...Object.keys(env), `return () => { let s = 0; for (let i = 0; i < ${OPS}; i++) { ${body} } return s }`)(
      ...Object.values(env)) as Step
  const base = { keys, idx }
  return {
    'lru-cache get': loop('if (c.get(keys[idx[i]]) !== undefined) s++', { ...base, c: lru }),
    'Map get': loop('if (c.get(keys[idx[i]]) !== undefined) s++', { ...base, c: map }),
    'Cortado get': loop('if (c.get(keys[idx[i]]) !== undefined) s++', { ...base, c: cache }),
    '1. key bytes into the arena': loop('s += w(v, keys[idx[i]], at, room)', { ...base, w: writeUtf8, v: views, at: keyAt, room }),
    '1+2. + engine lookup (hit counted)': loop('s += ex.get(w(v, keys[idx[i]], at, room), -1, 0)',
      { ...base, w: writeUtf8, v: views, at: keyAt, room, ex }),
    '1+2. + engine lookup, peek (not counted)': loop(`s += ex.get(w(v, keys[idx[i]], at, room), -1, ${L.GET_PEEK})`,
      { ...base, w: writeUtf8, v: views, at: keyAt, room, ex }),
    '3. value out: latin1Slice of 100 B': loop('s += buf.latin1Slice(at + (i & 1023), at + (i & 1023) + 100).length',
      { buf: views.buf, at: valueAt - (valueAt & 1023) }),
  }
}

function measure(all: Record<string, Step>): Map<string, number> {
  const names = Object.keys(all)
  const times = new Map<string, number[]>(names.map((n) => [n, []]))
  for (const n of names) all[n]() // warm-up: compile every loop
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of r % 2 === 0 ? names : [...names].reverse()) {
      const t = process.hrtime.bigint()
      all[n]()
      times.get(n)!.push(Number(process.hrtime.bigint() - t) / OPS)
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]
  return new Map(names.map((n) => [n, median(times.get(n)!)]))
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
    console.log(`\n${entries} entries, ns per operation (median of ${ROUNDS} alternating rounds of ${OPS / 1000}k; one process per key form)\n`)
    console.log('| step | cons keys | flat keys |')
    console.log('| --- | ---: | ---: |')
    for (const name of results[0].keys()) {
      console.log(`| ${name} | ${results.map((r) => r.get(name)!.toFixed(0)).join(' | ')} |`)
    }
    const ratio = (r: Map<string, number>) => (r.get('lru-cache get')! / r.get('Cortado get')!).toFixed(2)
    console.log(`| Cortado ÷ lru-cache (ops/s) | ${results.map(ratio).join('× | ')}× |`)
  }
}
