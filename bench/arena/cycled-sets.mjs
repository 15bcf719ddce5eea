/**
 * ab-builds.ts's sets with eviction in a process of its own (stop 60): 100k keys `key:<i>` with 100-byte string values
 * cycled through a 4 MiB cache that holds about a quarter of them, so every set evicts; two warm passes, then
 * `passes` passes of 100k sets. For cachegrind (run it with two pass counts and take the difference, as policy-count.sh
 * does) or, with TIME=1, timed (ns a set over the measured passes). POLICY=clock runs the other replacement policy.
 *
 *   TIME=1 node bench/arena/cycled-sets.mjs <dist>/src/index.js [passes=10]
 *   valgrind --tool=cachegrind --cache-sim=yes --LL=2097152,16,64 --smc-check=all-non-file \
 *     node --predictable --no-liftoff --no-wasm-dynamic-tiering bench/arena/cycled-sets.mjs <dist>/src/index.js 1   (then 3)
 *
 * Unlike policy-instructions.mjs (a cache bounded by maxEntries, new keys), the cache is bounded by maxBytes, as
 * ab-builds.ts's and set-cost-builds.ts's: docs/policy.md "Stop 60" counts the clock policy's set on both, across
 * the history since issue 18 was filed.
 */
import { standaloneWorkload } from './standalone-workload.mjs'

const { Cache, N, passes, keys, value, policy } = await standaloneWorkload('cycled-sets.mjs', 10)
const cache = new Cache({ maxBytes: 4 << 20, codec: 'string', seed: 1, engine: 'wasm', ...policy })
let stored = 0
const pass = () => {
  for (let i = 0; i < N; i++) if (cache.set(keys[i], value)) stored++
}
pass()
pass()
const t0 = performance.now()
for (let p = 0; p < passes; p++) pass()
const ms = performance.now() - t0
console.log(`sets ${passes * N}, stored ${stored - 2 * N}${process.env.TIME ? `, ${((ms * 1e6) / (passes * N)).toFixed(1)} ns a set` : ''}`)
cache.close()
