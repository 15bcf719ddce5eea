/**
 * Deterministic per-operation cost of a policy, for cachegrind (the host's timings are ±3% noisy; this
 * counts instructions). Builds a cache of N entries (100 B strings, 16 B keys, maxEntries N), fills it,
 * then runs `passes` × 50k sets of new keys (every one evicts; after one stretch of new keys so the
 * policy is in its steady state) or gets of stored keys. Run it with two pass counts and take the
 * difference of cachegrind's `I refs` per operation (150k operations between 1 and 4 passes):
 *
 *   N=30000 valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file=/tmp/x \
 *     node --predictable --no-liftoff --no-wasm-dynamic-tiering bench/arena/policy-instructions.mjs \
 *     "$PWD/dist/src/index.js" adaptive set 1      (then 4; policy clock|adaptive, op set|get|getfull|getfresh|mixed)
 *
 * --no-liftoff --no-wasm-dynamic-tiering matter: with wasm tiering the background TurboFan compile
 * lands at a different point each run and the count moved by ±10%; without it two runs agree within
 * ~5 instructions per operation. The library is loaded from the given path; it finds its wasm core in
 * the nearest ancestor's dist/wasm (so a copy of a build must keep the dist/ folder name).
 *
 * Until stop 31 the key order came from `s * 1103515245` in doubles, which loses low bits past 2^53:
 * its draws named only a few thousand distinct keys (figures of stop 30 were taken that way; the
 * get-instructions.mjs counts changed: per get 9e1442b 2104 → 2433, main 2233 → 2274). Math.imul
 * keeps it a true LCG.
 *
 * Two states for gets. `get`: the cache holds its N keys and has never been full (no shard evicted: the
 * per-shard bound has slack for uneven shards), as a cache sized above its data runs; the adaptive
 * policy still counts cold hits then (COLD_HITS, until a shard is first full). `getfull`: every shard
 * has been full (and evicted) first, as in a cache that has run at capacity; the gets are to the same N
 * keys (all hits, in both policies). getfull's `jit` figure is not steady (stop 40: one build gave 1850
 * and 1924 in two runs; the fill's JS is counted differently in the 1- and 4-pass runs): compare the
 * wasm functions' own counts there (a callgrind profile, /work/notes/getcost.md), which don't depend on
 * the harness's JS (clock's wasm rows were the same to 0.1 for get and for getfull).
 */
const [, , lib, policy, op, passesArg] = process.argv
const { Cache } = await import(lib)
const N = Number(process.env.N ?? 100_000), OPS = 50_000, MAXP = 5
const passes = Number(passesArg)
const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(12, '0')}`)
const fresh = Array.from({ length: OPS * (MAXP + 1) }, (_, i) => `new:${String(i).padStart(12, '0')}`)
const value = 'v'.repeat(100)
let s = 7
const order = Uint32Array.from({ length: OPS }, () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % N })
// `getfresh`: every stretch of gets is a fresh draw of uniform keys, so a share of them is a key's first
// hit since the fill (~40% over the counted passes), as in policy-cost.ts's timed rounds, which read a
// fresh cache once; `get` repeats one stretch (the steady state, where first hits are gone).
const freshOrders = op === 'getfresh'
  ? Array.from({ length: MAXP + 1 }, () => Uint32Array.from({ length: OPS }, () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s >>> 8) % N }))
  : []
const stretch = (p) => op === 'getfresh' ? freshOrders[p] : order
// `mixed`: policy-cost.ts's mixed workload, Zipf(0.99) over 10N keys, 90% get (a set after a miss) / 10%
// set, the workload a policy is for: a stretch of its own per pass, after a warm-up of 4 stretches (from
// the cache filled with keys 0..N-1, the Zipf ranks' order, so the warm-up starts near the hot set).
const mixedKeys = op === 'mixed' ? Array.from({ length: 10 * N }, (_, i) => `key:${String(i).padStart(12, '0')}`) : []
const MIXED_WARMUP = 4
const mixedOps = op === 'mixed' ? zipfDraws(10 * N, 0.99, OPS * (MIXED_WARMUP + MAXP)) : new Uint32Array(0)
/** `n` draws of Zipf(`skew`) ranks 0..keys-1 (inverse CDF by binary search), the low bit a 10% set coin. */
function zipfDraws(keys, skew, n) {
  const cdf = new Float64Array(keys)
  let sum = 0
  for (let i = 0; i < keys; i++) cdf[i] = sum += 1 / Math.pow(i + 1, skew)
  const out = new Uint32Array(n)
  for (let j = 0; j < n; j++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const u = ((s >>> 8) / 16777216) * sum
    let lo = 0, hi = keys - 1
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (cdf[mid] < u) lo = mid + 1; else hi = mid }
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    out[j] = (lo << 1) | ((s >>> 8) % 10 === 0 ? 1 : 0)
  }
  return out
}
function runMixed(from, count) {
  for (let i = from; i < from + count; i++) {
    const d = mixedOps[i], key = mixedKeys[d >>> 1]
    if ((d & 1) !== 0) cache.set(key, value)
    else if (cache.get(key) === undefined) cache.set(key, value)
  }
}
const cache = new Cache({ maxBytes: 64 << 20, maxEntries: N, codec: 'string', policy, seed: 3 })
// In a function of its own: as loops of the module's top level, the JIT compiled them into the code that
// then runs the gets, differently for 1 and 4 passes (the top level's count moved by ~40 per get).
function fillThenEmpty() {
  const filler = Array.from({ length: 2 * N }, (_, i) => `old:${String(i).padStart(12, '0')}`)
  for (const k of filler) cache.set(k, value)
  for (const k of filler) cache.delete(k)
}
// Every shard full first (2N keys of its own), then emptied of them: the N keys the gets read then
// go in as into the never-full cache, and both policies hold all of them (a fill left to evict would
// keep different keys in each, whose gets cost differently: clock 1568 against 1795 instructions).
if (op === 'getfull') fillThenEmpty()
for (const k of keys) cache.set(k, value)
let sink = 0
if (op === 'mixed') {
  runMixed(0, OPS * MIXED_WARMUP)
  for (let p = 0; p < passes; p++) runMixed(OPS * (MIXED_WARMUP + p), OPS)
} else if (op === 'set') {
  for (let i = 0; i < OPS; i++) cache.set(fresh[i], value) // steady state
  for (let p = 0; p < passes; p++) for (let i = 0; i < OPS; i++) cache.set(fresh[OPS * (p + 1) + i], value)
} else {
  const first = stretch(0)
  for (let i = 0; i < OPS; i++) sink += cache.get(keys[first[i]])?.length ?? 0
  for (let p = 0; p < passes; p++) {
    const o = stretch(p + 1)
    for (let i = 0; i < OPS; i++) sink += cache.get(keys[o[i]])?.length ?? 0
  }
}
const st = cache.stats()
console.log(JSON.stringify({ policy, op, passes, hits: st.hits, misses: st.misses, evictions: st.evictions, sink }))
