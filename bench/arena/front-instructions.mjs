/**
 * Deterministic per-hit cost of a front hit (issue 19), for cachegrind, beside the two references a
 * front hit is compared with: N stored 100-byte strings under 12-byte keys, a front that holds them
 * all, then `passes` × 2^20 uniform gets of stored keys from inside a function (as a caller's loop
 * would be compiled). Modes:
 *   front     Cache.get with the front (every get a front hit)
 *   frontget  the front's own lookup (Front.get) alone, without Cache.get around it
 *   plain     Cache.get without a front (the arena path)
 *   lru       lru-cache's get (max N)
 *   map       Map.get of an object and one of its fields (the floor of a Map-based front)
 *   floor     issue 19's front floor (bench/peers/front-floor.ts): every key's value in a prototype-less object,
 *             before Cache.get without a front (never reached here: all N keys are held)
 * Run it with two pass counts and take the difference of cachegrind's `I refs` per get:
 *
 *   valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file=/tmp/x \
 *     node --predictable --no-liftoff --no-wasm-dynamic-tiering bench/arena/front-instructions.mjs \
 *     "$PWD/dist/src/index.js" front 1        (then 5; N=100000 by default)
 *
 * (5 − 1) × 2^20 gets lie between the two runs; the script checks that every one of them was a front
 * hit in the front modes.
 *
 * With ZIPF=0.99 in the environment the gets follow Zipf(0.99) over the keys instead (stop 42). With
 * KEYS=built each get builds its key ('key:' + the padded number: a fresh flat string whose hash no one has
 * computed, as a service's `'user:' + id`) instead of passing the stored string (stop 44).
 *
 * Until stop 31 the key order came from `s * 1103515245` in doubles, which loses low bits past 2^53:
 * 2^20 draws named only ~5,900 distinct keys of 100k (figures of stop 30 were taken that way; the
 * counts changed: per get 9e1442b 2104 → 2433, main 2233 → 2274; front hit 430 and lru-cache 358 as
 * before). Math.imul keeps it a true LCG.
 */
import { pathToFileURL } from 'node:url'
import { lcg, zipfRanks } from './zipf-ranks.mjs'

const [, , lib, mode = 'front', passesArg = '1'] = process.argv
const N = Number(process.env.N ?? 100_000)
const passes = Number(passesArg)
const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(8, '0')}`)
const values = Array.from({ length: N }, (_, i) => `value-${i}-`.padEnd(100, 'x'))
// ZIPF=<exponent> (e.g. 0.99): key i drawn with weight 1/(i+1)^exponent (zipf-ranks.mjs); otherwise uniform.
const ZIPF = process.env.ZIPF === undefined ? undefined : Number(process.env.ZIPF)
const next = lcg()
const order = ZIPF === undefined ? Uint32Array.from({ length: 1 << 20 }, () => next() % N) : zipfRanks(N, ZIPF, 1 << 20, next)

let target
let stats = () => ({})
if (mode === 'lru') {
  const { LRUCache } = await import('lru-cache')
  target = new LRUCache({ max: N })
  for (let i = 0; i < N; i++) target.set(keys[i], values[i])
} else if (mode === 'floor') {
  const { Cache } = await import(lib)
  const cache = new Cache({ maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string' })
  const map = Object.create(null) // as front-floor.ts keeps it (stop 44)
  for (let i = 0; i < N; i++) { cache.set(keys[i], values[i]); map[keys[i]] = cache.peek(keys[i]) }
  target = { get: (key) => { const v = map[key]; return v !== undefined ? v : cache.get(key) } }
} else if (mode === 'map') {
  target = new Map()
  for (let i = 0; i < N; i++) target.set(keys[i], { value: values[i], version: i })
} else {
  const { Cache } = await import(lib)
  const cache = new Cache({
    maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string',
    front: mode === 'plain' ? undefined : { maxBytes: 512 << 20 },
  })
  for (let i = 0; i < N; i++) cache.set(keys[i], values[i])
  const { coreOf } = await import(new URL('engine/access.js', pathToFileURL(lib)).href)
  // The front's self-timing (stop 34) makes 2 windows in up to 258 skip it: off here, so every get
  // counted is a front hit (what it leaves out is one clock read per 4096 gets).
  if (mode !== 'plain') coreOf(cache).front?.useTimer?.(undefined)
  if (mode !== 'plain') {
    // Passes of the measured (uniform) order until the front holds every key. (In key order a window
    // re-reads none of its keys: a front that serves none of a window's gets steps aside and, since stop
    // 39, drops what it holds.)
    const front = coreOf(cache).front
    for (let r = 0; r < 40 && front.size < N; r++) {
      for (let i = 0; i < order.length; i++) cache.get(keys[order[i]])
      // The few keys the order never names (2^20 draws leave ~3 of 100k), while the front pays.
      for (let i = 0; i < N; i++) cache.get(keys[i])
    }
    if (front.size < N) throw new Error(`the front holds ${front.size} of ${N} keys after 40 passes`)
  }
  stats = () => { const t = cache.stats(); return { hits: t.hits, frontHits: t.frontHits } }
  if (mode === 'frontget') {
    target = coreOf(cache).front
  } else target = cache
}

function gets(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) sum += target.get(keys[order[i]])?.length ?? 0
  return sum
}
function builtGets(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) sum += target.get(`key:${String(order[i]).padStart(8, '0')}`)?.length ?? 0
  return sum
}
function mapGets(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) {
    const e = target.get(keys[order[i]])
    if (e !== undefined) sum += e.value.length
  }
  return sum
}

const run = mode === 'map' ? mapGets : process.env.KEYS === 'built' ? builtGets : gets
run(1)
const before = stats()
const sum = run(passes)
const after = stats()
if (mode === 'front' && after.frontHits - before.frontHits !== passes * order.length)
  throw new Error(`not every get was a front hit: ${after.frontHits - before.frontHits} of ${passes * order.length}`)
console.log(JSON.stringify({ mode, passes, sum, ...after }))
