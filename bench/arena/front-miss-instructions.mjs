/**
 * Deterministic per-get cost of the front where it cannot hold the working set (issue 19, "the front's
 * miss path costs almost nothing"), for cachegrind: N stored 100-byte strings, a cache with the
 * default front (`front: true`, 24 MiB over 1M keys) or none, then `passes` × 2^20 gets from inside a function.
 * Modes: `plain` (no front), `front` (the default front) and `floor` (issue 19's front floor,
 * bench/peers/front-floor.ts: the cache without a front behind a prototype-less object of the keys the order reads
 * most, as many as the default front's budget holds; a hit is the Map lookup alone). Environment:
 *   N=1000000      keys (default 100000)
 *   KEYS=built     each key built in the loop as the bench's get-built-key does ('k' + base 36, padded to
 *                  16 characters: a fresh cons string per get); default the stored key strings
 *   ORDER=zipf     Zipf(0.99) ranks scattered over the keys; default uniform
 *   WARM=k         warm-up passes of 2^20 gets before the measured ones (default 1)
 *   FRONT_BYTES=b  the front's maxBytes (default: the default budget, 24 MiB over 1M keys)
 * Run it with two pass counts and take the difference of cachegrind's `I refs` per get:
 *
 *   valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file=/tmp/x \
 *     node --predictable --no-liftoff --no-wasm-dynamic-tiering bench/arena/front-miss-instructions.mjs \
 *     "$PWD/dist/src/index.js" front 1        (then 3)
 *
 * It prints the front hits and hits of the measured passes, so a count says what the front served.
 */
import { lcg, scatteredZipfKeys } from './zipf-ranks.mjs'
const [, , lib, mode = 'front', passesArg = '1'] = process.argv
const { Cache } = await import(lib)
const N = Number(process.env.N ?? 100_000)
const built = process.env.KEYS === 'built'
const zipf = process.env.ORDER === 'zipf'
const warm = Number(process.env.WARM ?? 1)
const passes = Number(passesArg)
const keyOf = (i) => 'k' + i.toString(36).padStart(15, '0')
const keys = Array.from({ length: N }, (_, i) => `${keyOf(i)}`.split('').join(''))
const values = Array.from({ length: N }, (_, i) => `value-${i}-`.padEnd(100, 'x'))
const next = lcg()
let order
if (!zipf) order = Uint32Array.from({ length: 1 << 20 }, () => next() % N)
else {
  // Zipf(0.99) ranks (zipf-ranks.mjs) scattered over the keys by a permutation.
  order = scatteredZipfKeys(N, 0.99, 1 << 20, next)
}
const cache = new Cache({ maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string', ...(mode === 'front' ? { front: process.env.FRONT_BYTES ? { maxBytes: Number(process.env.FRONT_BYTES) } : true } : {}) })
for (let i = 0; i < N; i++) cache.set(keys[i], values[i])

let target = cache
let floorHeld = 0
if (mode === 'floor') {
  const { defaultFrontBytes, ENTRY_OVERHEAD } = await import(new URL('engine/front.js', new URL(lib, 'file:///')).href)
  const budget = process.env.FRONT_BYTES ? Number(process.env.FRONT_BYTES) : defaultFrontBytes(cache.geometry)
  const counts = new Uint32Array(N)
  for (let i = 0; i < order.length; i++) counts[order[i]]++
  const read = []
  for (let k = 0; k < N; k++) if (counts[k] > 0) read.push(k)
  read.sort((a, b) => counts[b] - counts[a] || a - b)
  const map = Object.create(null) // as front-floor.ts keeps it (stop 44)
  let bytes = 0
  for (const k of read) {
    const v = cache.peek(keys[k])
    const b = 2 * (keys[k].length + v.length) + ENTRY_OVERHEAD
    if (bytes + b > budget) break
    map[keys[k]] = v
    floorHeld++
    bytes += b
  }
  target = { get: (key) => { const v = map[key]; return v !== undefined ? v : cache.get(key) } }
}

function storedGets(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) sum += target.get(keys[order[i]])?.length ?? 0
  return sum
}
function builtGets(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) sum += target.get(keyOf(order[i]))?.length ?? 0
  return sum
}
const run = built ? builtGets : storedGets
// With `node --trace-gc`, the collections of the gets are those printed after this line.
if (process.env.MARK) console.log('-- gets --')
run(warm)
const before = cache.stats()
const t0 = process.cpuUsage()
const sum = run(passes)
const t = process.cpuUsage(t0)
const after = cache.stats()
// Entries the front holds at the end (a deterministic trace of how much it filled).
const { coreOf } = await import(new URL('engine/access.js', new URL(lib, 'file:///')).href)
const frontEntries = coreOf(cache).front?.size ?? floorHeld
console.log(JSON.stringify({ mode, N, built, zipf, passes, sum, hits: after.hits - before.hits, frontHits: after.frontHits - before.frontHits, frontEntries, cpuMs: Math.round((t.user + t.system) / 1000) }))
cache.close()
