/**
 * What the adaptive policy costs against the simple CLOCK baseline, side by side in one process:
 * get (hit; in a cache that never filled, and in one that has been full) and set with eviction at
 * capacity, 100k entries of 16-byte keys and 100-byte strings, uniformly random keys; alternating rounds, medians, ratios. Run:
 *   npx tsx bench/arena/policy-cost.ts [--rounds 9] [--native]
 * --native: both policies on the native engine (the Cache's default is the wasm core).
 */
import { Cache, type PolicyName } from '../../src/index.js'
import { Prng } from '../workloads/prng.js'
import { median } from '../harness/stats.js'
import { ZipfSampler } from '../workloads/zipf.js'

const N = 100_000
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 9
const OPS = 200_000
const ENGINE = process.argv.includes('--native') ? 'native' as const : 'wasm' as const

const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(12, '0')}`)
const fresh = Array.from({ length: OPS }, (_, i) => `new:${String(i).padStart(12, '0')}`)
const value = 'v'.repeat(100)
const rng = new Prng(7)
const getOrder = Uint32Array.from({ length: OPS }, () => rng.nextInt(N))

// `full`: every shard is filled past its bound first (2N keys of its own, evicting), then emptied of
// them, before the N keys go in. The gets then read the same N keys as in a cache that never filled
// (no shard evicts at N entries: the per-shard bound has slack), but in a cache that has run at
// capacity, as most do: the adaptive policy counts cold hits (COLD_HITS) only until a shard is first full.
const filler = Array.from({ length: 2 * N }, (_, i) => `old:${String(i).padStart(12, '0')}`)
function make(policy: PolicyName, full = false): Cache<string> {
  const cache = new Cache<string>({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy, seed: 3, engine: ENGINE })
  if (full) {
    for (const k of filler) cache.set(k, value)
    for (const k of filler) cache.delete(k)
  }
  for (const k of keys) cache.set(k, value)
  return cache
}

// Mixed: Zipf(0.99) over 10x the capacity, 90% get / 10% set (cache-aside: a missed get is followed
// by a set), the workload a policy is for.
const zipf = new ZipfSampler(10 * N, 0.99)
const zipfKeys = Array.from({ length: 10 * N }, (_, i) => `key:${String(i).padStart(12, '0')}`)
// A fresh stretch of the Zipf sequence each round (both policies see the same one), after a warm-up.
const WARMUP = 2 * OPS
const mixed = Uint32Array.from({ length: WARMUP + ROUNDS * OPS }, () => zipf.sample(rng) - 1)
const coin = Float64Array.from({ length: mixed.length }, () => rng.nextFloat())
function runMixed(cache: Cache<string>, from: number, count: number): void {
  for (let i = from; i < from + count; i++) {
    const key = zipfKeys[mixed[i]]
    if (coin[i] < 0.1) cache.set(key, value)
    else if (cache.get(key) === undefined) cache.set(key, value)
  }
}

/**
 * One policy's caches for a round. Made afresh every round (in the round's order): an arena's place in
 * memory moves its speed by a few percent, and caches kept for every round favoured one policy by as
 * much as the bound being measured (bench/arena/ab-builds.ts found the same with identical builds).
 * Separate caches for reads and writes: the set rounds change what a cache holds (each policy keeps
 * different keys), and gets must measure hits on the same contents for both. The mixed cache starts
 * empty and warms up on the workload itself over the stretch before this round's (prefilled with keys
 * 0..N-1 it would hold the optimal hot set from the start, which says nothing about either policy).
 */
function caches(policy: PolicyName, r: number) {
  const mixer = new Cache<string>({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy, seed: 3, engine: ENGINE })
  runMixed(mixer, r * OPS, WARMUP)
  // The writer has already taken a stretch of new keys at capacity: its policy has adapted to them
  // (a cache that only ever sees new keys grows its window), as a long-running one has.
  const writer = make(policy)
  for (let i = 0; i < OPS; i++) writer.set(`${fresh[i]}w${r}`, value)
  return { reader: make(policy), fullReader: make(policy, true), writer, mixer }
}

const samples: Record<string, number[]> = {}
const record = (name: string, opsPerSec: number) => (samples[name] ??= []).push(opsPerSec)
const hitRatios: Record<string, number[]> = {}

for (let r = 0; r < ROUNDS; r++) {
  const order = (r % 2 === 0 ? ['clock', 'adaptive'] : ['adaptive', 'clock']) as PolicyName[]
  const made = new Map(order.map((policy) => [policy, caches(policy, r)]))
  for (const policy of order) {
    const { reader, fullReader, writer, mixer } = made.get(policy)!
    let t = process.hrtime.bigint()
    let sink = 0
    for (let i = 0; i < OPS; i++) sink += reader.get(keys[getOrder[i]])?.length ?? 0
    record(`get ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    t = process.hrtime.bigint()
    for (let i = 0; i < OPS; i++) sink += fullReader.get(keys[getOrder[i]])?.length ?? 0
    record(`get-full ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    t = process.hrtime.bigint()
    // New keys at capacity: every set evicts. Suffix by round so keys stay new.
    for (let i = 0; i < OPS; i++) writer.set(fresh[i] + r, value)
    record(`set-evict ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    const before = mixer.stats()
    t = process.hrtime.bigint()
    runMixed(mixer, WARMUP + r * OPS, OPS)
    record(`mixed ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    const after = mixer.stats()
    ;(hitRatios[policy] ??= []).push((after.hits - before.hits) / (after.hits + after.misses - before.hits - before.misses))
    if (sink < 0) console.log(sink)
  }
  for (const { reader, fullReader, writer, mixer } of made.values()) { reader.close(); fullReader.close(); writer.close(); mixer.close() }
}
console.log(`| operation | clock ops/s | adaptive ops/s | adaptive ÷ clock |`)
console.log(`|---|---:|---:|---:|`)
for (const op of ['get', 'get-full', 'set-evict', 'mixed']) {
  const c = median(samples[`${op} clock`]), a = median(samples[`${op} adaptive`])
  console.log(`| ${op} | ${(c / 1e3).toFixed(0)}k | ${(a / 1e3).toFixed(0)}k | ${(a / c).toFixed(2)}× |`)
}
console.log(`(${ENGINE} engine; ${ROUNDS} alternating rounds of ${OPS} operations each, medians; 100k entries, 16 B keys, 100 B strings; get: uniform keys of a cache that never filled, get-full: of one that has been full; set-evict: uniform keys, every set a new key; mixed: Zipf(0.99) over 1M keys, 90% get (set on miss) / 10% set)`)
for (const policy of ['clock', 'adaptive'] as const) console.log(`mixed hit ratio ${policy}: ${(median(hitRatios[policy]!) * 100).toFixed(1)}% (median of the measured stretches)`)
