/**
 * Where a front hit's time goes (issue 19): the same uniform gets of stored keys, all held by the front,
 * through each layer of Cache.get, timed alone in one process on alternating rounds (medians of ns per
 * get). Each step is its own compiled loop (new Function), so each call site sees one callee.
 *
 *   npx tsx bench/arena/front-breakdown.ts [entries=100000] [rounds=9] [roundMs=200]
 *
 * Add V8 flags through NODE_OPTIONS (e.g. --trace-deopt) to see what a step's loop compiles to.
 */
import { LRUCache } from 'lru-cache'
import { Cache } from '../../src/index.js'
import { coreOf } from '../../src/engine/access.js'
import type { EngineCore } from '../../src/engine/core.js'
import { makeKeys, makeValues } from '../harness/data.js'
import { Prng } from '../workloads/prng.js'
import { runRounds, type Contender } from '../harness/rounds.js'
import { median } from '../harness/stats.js'

const entries = Number(process.argv[2] ?? 100_000)
const rounds = Number(process.argv[3] ?? 9)
const roundMs = Number(process.argv[4] ?? 200)
const SEQUENCE = 1 << 18

const keys = makeKeys(entries)
const values = makeValues(entries, 'string', 100) as string[]
const rng = new Prng(7)
const idx = Uint32Array.from({ length: SEQUENCE }, () => rng.nextInt(entries))

const lru = new LRUCache<string, string>({ max: entries })
const map = new Map<string, { value: string; version: number }>()
const maxBytes = Cache.maxBytesFor(entries, 8 + 16 + 100)
const fronted = new Cache<string>({ maxBytes, maxEntries: entries, codec: 'string', front: { maxBytes: 512 << 20 } })
const plain = new Cache<string>({ maxBytes, maxEntries: entries, codec: 'string' })
for (let i = 0; i < entries; i++) {
  lru.set(keys[i], values[i])
  map.set(keys[i], { value: values[i], version: i })
  fronted.set(keys[i], values[i])
  plain.set(keys[i], values[i])
}
// Passes until the front holds every key (it steps aside while it serves few gets, so it fills in steps).
for (let r = 0; r < 40 && fronted.stats().frontHits < entries; r++) for (let i = 0; i < entries; i++) fronted.get(keys[i])
const core = coreOf<string>(fronted) as EngineCore<string>
const front = core.front!
const before = fronted.stats().frontHits
for (let i = 0; i < 1000; i++) fronted.get(keys[i])
if (fronted.stats().frontHits - before !== 1000) throw new Error('the front does not hold the keys')

/** This process's CPU time (a loaded host takes the CPU away for whole slices: wall time counts them). */
const cpuNow = (): bigint => {
  const u = process.cpuUsage()
  return BigInt(u.user + u.system) * 1000n
}

const step = (id: string, body: string, env: Record<string, unknown>): Contender => ({
  id,
  run: new Function('keys', 'idx', ...Object.keys(env),
    `return (from, count) => { let s = 0; for (let i = from; i < from + count; i++) { const k = keys[idx[i & ${SEQUENCE - 1}]]; ${body} } return s }`)(
    keys, idx, ...Object.values(env)) as Contender['run'],
})

// The front branch of EngineCore.get as a closure over the same core (the "closure vs method" probe).
const closureGet = (key: string): unknown => {
  if (core.v.u32[core.leaseIdx] !== core.lease) core.lostSlot()
  const got = front.get(key)
  if (got !== undefined) {
    core.v.f64[core.frontHitsIdx]++
    return got
  }
  return core.get(key)
}

const contenders: Contender[] = [
  step('lru-cache get', 'if (c.get(k) !== undefined) s++', { c: lru }),
  step('Map get + field', 'const e = c.get(k); if (e !== undefined && e.value !== undefined) s++', { c: map }),
  step('Front.get', 'if (f.get(k) !== undefined) s++', { f: front }),
  step('closure: front branch of EngineCore.get', 'if (g(k) !== undefined) s++', { g: closureGet }),
  step('EngineCore.get', 'if (c.get(k) !== undefined) s++', { c: core }),
  step('Cache.get (front)', 'if (c.get(k) !== undefined) s++', { c: fronted }),
  step('Cache.get (no front)', 'if (c.get(k) !== undefined) s++', { c: plain }),
]
const { samples, failed } = runRounds(contenders, { rounds, roundMs, chunk: 4096, warmup: true, now: cpuNow })
for (const [id, err] of failed) throw new Error(`${id}: ${err.message}`)
const ns = new Map([...samples].map(([id, s]) => [id, median(s.map((r) => r.ns / r.ops))]))
const lruNs = ns.get('lru-cache get')!
console.log(`${entries} entries, all in the front; ns per get (median of ${rounds} alternating rounds of ${roundMs} ms), and ops/s ÷ lru-cache's`)
for (const [id, v] of ns) console.log(`${id.padEnd(42)} ${v.toFixed(1).padStart(7)} ns  ${(lruNs / v).toFixed(2)}×`)
