/**
 * What the adaptive policy costs against the simple CLOCK baseline, side by side in one process:
 * get (hit) and set with eviction at capacity, 100k entries of 16-byte keys and 100-byte strings,
 * uniformly random keys; alternating rounds, medians, ratios. Run:
 *   npx tsx bench/arena/policy-cost.ts [--rounds 9]
 */
import { Cache, type PolicyName } from '../../src/index.js'
import { Prng } from '../workloads/prng.js'
import { median } from '../harness/stats.js'
import { ZipfSampler } from '../workloads/zipf.js'

const N = 100_000
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 9
const OPS = 200_000

const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(12, '0')}`)
const fresh = Array.from({ length: OPS }, (_, i) => `new:${String(i).padStart(12, '0')}`)
const value = 'v'.repeat(100)
const rng = new Prng(7)
const order = Uint32Array.from({ length: OPS }, () => rng.nextInt(N))

function make(policy: PolicyName): Cache<string> {
  const cache = new Cache<string>({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy, seed: 3 })
  for (const k of keys) cache.set(k, value)
  return cache
}

// Separate caches for reads and writes: the set rounds change what a cache holds (each policy keeps
// different keys), and gets must measure hits on the same contents for both.
const readers = { clock: make('clock'), adaptive: make('adaptive') }
// The mixed caches start empty and warm up on the workload itself (prefilled with keys 0..N-1 they
// would hold the optimal hot set from the start, which says nothing about either policy).
const mixers = {
  clock: new Cache<string>({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy: 'clock', seed: 3 }),
  adaptive: new Cache<string>({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy: 'adaptive', seed: 3 }),
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
runMixed(mixers.clock, 0, WARMUP)
runMixed(mixers.adaptive, 0, WARMUP)
const writers = { clock: make('clock'), adaptive: make('adaptive') }
const samples: Record<string, number[]> = {}
const record = (name: string, opsPerSec: number) => (samples[name] ??= []).push(opsPerSec)

let round = 0
for (let r = 0; r < ROUNDS; r++) {
  for (const policy of (r % 2 === 0 ? ['clock', 'adaptive'] : ['adaptive', 'clock']) as PolicyName[]) {
    const cache = writers[policy]
    const reader = readers[policy]
    let t = process.hrtime.bigint()
    let sink = 0
    for (let i = 0; i < OPS; i++) sink += reader.get(keys[order[i]])?.length ?? 0
    record(`get ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    t = process.hrtime.bigint()
    // New keys at capacity: every set evicts. Suffix by round so keys stay new.
    for (let i = 0; i < OPS; i++) cache.set(fresh[i] + round, value)
    record(`set-evict ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    const mixer = mixers[policy]
    t = process.hrtime.bigint()
    runMixed(mixer, WARMUP + r * OPS, OPS)
    record(`mixed ${policy}`, OPS / (Number(process.hrtime.bigint() - t) / 1e9))
    if (sink < 0) console.log(sink)
  }
  round++
}
console.log(`| operation | clock ops/s | adaptive ops/s | adaptive ÷ clock |`)
console.log(`|---|---:|---:|---:|`)
for (const op of ['get', 'set-evict', 'mixed']) {
  const c = median(samples[`${op} clock`]), a = median(samples[`${op} adaptive`])
  console.log(`| ${op} | ${(c / 1e3).toFixed(0)}k | ${(a / 1e3).toFixed(0)}k | ${(a / c).toFixed(2)}× |`)
}
console.log(`(${ROUNDS} alternating rounds of ${OPS} operations each, medians; 100k entries, 16 B keys, 100 B strings; get and set-evict: uniform keys, every set a new key; mixed: Zipf(0.99) over 1M keys, 90% get (set on miss) / 10% set)`)
for (const policy of ['clock', 'adaptive'] as const) {
  const s = mixers[policy].stats()
  console.log(`mixed hit ratio ${policy}: ${(s.hitRatio * 100).toFixed(1)}%`)
}
