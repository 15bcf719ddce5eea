/**
 * ab-builds.ts's get workload in a process of its own (stop 59): 100k keys `key:<i>` with 100-byte string values in a
 * 64 MiB cache that never fills, then `passes` × 5 gets of every key in turn (after one such warm pass). For
 * cachegrind (run it with two pass counts and take the difference, as policy-count.sh does) or, with TIME=1, timed
 * (ns a get over the measured passes). POLICY=clock runs the other replacement policy.
 *
 *   TIME=1 node bench/arena/never-full-gets.mjs <dist>/src/index.js [passes=6]
 *   valgrind --tool=cachegrind --cache-sim=yes --LL=2097152,16,64 node --predictable bench/arena/never-full-gets.mjs <dist>/src/index.js 1 (then 3)
 *
 * A cache sized above its working set is the common case this covers: its shards never become full, so whatever the
 * policy does only until the first fill (COLD_HITS) runs on every hit.
 */
import { standaloneWorkload } from './standalone-workload.mjs'

const { Cache, N, passes, keys, value, policy } = await standaloneWorkload('never-full-gets.mjs', 6)
const cache = new Cache({ maxBytes: 64 << 20, codec: 'string', seed: 1, engine: 'wasm', ...policy })
for (const k of keys) cache.set(k, value)
let hits = 0
const pass = () => {
  for (let r = 0; r < 5; r++) for (let i = 0; i < N; i++) if (cache.get(keys[i]) !== undefined) hits++
}
pass()
const t0 = performance.now()
for (let p = 0; p < passes; p++) pass()
const ms = performance.now() - t0
console.log(`gets ${passes * 5 * N}, hits ${hits - 5 * N}${process.env.TIME ? `, ${((ms * 1e6) / (passes * 5 * N)).toFixed(1)} ns a get` : ''}`)
cache.close()
