/**
 * Deterministic per-operation cost of the bench's mixed workload (bench/suites/mixed.ts: Zipf(0.99) keys
 * scattered over 2 × N keys, 90% gets / 10% sets of 100-byte strings, sets not tied to misses, starting
 * from a cache filled with the first N keys), for cachegrind through front-count.sh: `passes` × 2^20
 * operations from inside a function, with the default front (`front`) or none (`plain`). Environment:
 *   N=100000   entries (default 100000)
 *   WARM=k     warm-up passes of 2^20 operations before the measured ones (default 1)
 *
 *   N=100000 bash bench/arena/front-count.sh "$PWD/dist/src/index.js" bench/arena/front-mixed-instructions.mjs front 1 2
 *
 * front-count.sh prints instructions per 2^20 "gets": here per operation (a get or a set). The script
 * prints the measured passes' hits, front hits and gets, so a count says what the front served.
 */
import { lcg, scatteredZipfKeys } from './zipf-ranks.mjs'
const [, , lib, mode = 'front', passesArg = '1'] = process.argv
const { Cache } = await import(lib)
const N = Number(process.env.N ?? 100_000)
const warm = Number(process.env.WARM ?? 1)
const passes = Number(passesArg)
const keyOf = (i) => 'k' + i.toString(36).padStart(15, '0')
const keys = Array.from({ length: 2 * N }, (_, i) => `${keyOf(i)}`.split('').join(''))
const values = Array.from({ length: 4096 }, (_, i) => `value-${i}-`.padEnd(100, 'x'))
const next = lcg()
const order = scatteredZipfKeys(2 * N, 0.99, 1 << 20, next)
// One set in 10, drawn from the same generator after the keys.
const sets = Uint8Array.from({ length: 1 << 20 }, () => (next() % 10 === 0 ? 1 : 0))
const cache = new Cache({ maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string', ...(mode === 'front' ? { front: true } : {}) })
for (let i = 0; i < N; i++) cache.set(keys[i], values[i & 4095])

function mixed(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < order.length; i++) {
      const key = keys[order[i]]
      if (sets[i] === 1) cache.set(key, values[(i + r) & 4095])
      else sum += cache.get(key)?.length ?? 0
    }
  }
  return sum
}
mixed(warm)
const before = cache.stats()
const t0 = process.cpuUsage()
const sum = mixed(passes)
const t = process.cpuUsage(t0)
const after = cache.stats()
const gets = after.hits + after.misses - before.hits - before.misses
console.log(JSON.stringify({ mode, N, passes, sum, gets, hits: after.hits - before.hits, frontHits: after.frontHits - before.frontHits, hitRatio: +((after.hits - before.hits) / gets).toFixed(5), cpuMs: Math.round((t.user + t.system) / 1000) }))
cache.close()
