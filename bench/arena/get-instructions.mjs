/**
 * Deterministic per-op cost of the get and set paths, for cachegrind (stop 30's and 31's figures): N
 * stored 100-byte strings under 12-byte keys, then `passes` × 2^20 uniform gets (or sets of the same
 * value, rewritten in place) of stored keys from inside a function (as a caller's loop would be
 * compiled). `engine` and `engine-set` modes call the engine alone (key and value bytes copied into
 * scratch, then `ex.get` / `ex.set`), which splits an op's cost between JS and the engine.
 * Run it with two pass counts and take the difference of cachegrind's `I refs` per get:
 *
 *   valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file --cachegrind-out-file=/tmp/x \
 *     node --predictable --no-liftoff --no-wasm-dynamic-tiering bench/arena/get-instructions.mjs \
 *     "$PWD/dist/src/index.js" get 1        (then 5; mode get|engine|set|engine-set; N=100000 by default)
 *
 * (5 − 1) × 2^20 ops lie between the two runs. `cg_annotate` on the output splits C++ and V8
 * builtins by name (JIT code, JS and wasm alike, is one `???` line).
 *
 * Until stop 31 the key order came from `s * 1103515245` in doubles, which loses low bits past 2^53:
 * 2^20 draws named only ~5,900 distinct keys of 100k (figures of stop 30 were taken that way; the
 * counts changed: per get 9e1442b 2104 → 2433, main 2233 → 2274; front hit 430 and lru-cache 358 as
 * before). Math.imul keeps it a true LCG.
 */
import { pathToFileURL } from 'node:url'

const [, , lib, mode = 'get', passesArg = '1'] = process.argv
const { Cache } = await import(lib)
const N = Number(process.env.N ?? 100_000)
const passes = Number(passesArg)
const cache = new Cache({ maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string' })
const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(8, '0')}`)
const valueOf = (i) => `value-${i}-`.padEnd(100, 'x')
for (let i = 0; i < N; i++) cache.set(keys[i], valueOf(i))
const order = new Uint32Array(1 << 20)
let s = 12345
for (let i = 0; i < order.length; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; order[i] = s % N }

function gets(reps) {
  let sum = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) sum += cache.get(keys[order[i]])?.length ?? 0
  return sum
}

function sets(reps) {
  let stored = 0
  for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) if (cache.set(keys[order[i]], values[order[i]])) stored++
  return stored
}
const values = mode.endsWith('set') ? keys.map((_, i) => valueOf(i)) : []

/** The engine's call alone: the key's (and for a set the value's) bytes copied into scratch first. */
async function engineOps(reps, set) {
  const { coreOf } = await import(new URL('engine/access.js', pathToFileURL(lib)).href)
  const core = coreOf(cache)
  const keyBytes = keys.map((k) => Buffer.from(k))
  const valueBytes = values.map((v) => Buffer.from(v, 'latin1'))
  const kind = core.codec.kind
  const run = (n) => {
    let sum = 0
    for (let r = 0; r < n; r++) for (let i = 0; i < order.length; i++) {
      const b = keyBytes[order[i]]
      core.v.u8.set(b, core.keyAt)
      if (set) {
        const v = valueBytes[order[i]]
        core.v.u8.set(v, core.keyAt + b.length)
        sum += core.ex.set(b.length, v.length, kind, 0, -1)
      } else sum += core.ex.get(b.length, -1, 0)
    }
    return sum
  }
  run(1)
  return run(reps)
}

if (mode === 'engine' || mode === 'engine-set') console.log(JSON.stringify({ mode, passes, statusSum: await engineOps(passes, mode === 'engine-set') }))
else if (mode === 'set') {
  sets(1)
  console.log(JSON.stringify({ mode, passes, stored: sets(passes), sets: cache.stats().sets }))
} else {
  gets(1)
  console.log(JSON.stringify({ mode, passes, sum: gets(passes), hits: cache.stats().hits }))
}
