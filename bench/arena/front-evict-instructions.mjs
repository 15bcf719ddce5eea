/**
 * The front's cost where the arena evicts all along (stop 44: front hits are then recorded as they come,
 * docs/front.md), for cachegrind: cache-aside Zipf(0.99) over 1M keys (ranks scattered), a cache of C
 * entries (default 100k; ~90% hits, ~75% of gets served by the default front), a set on every miss.
 * Modes: `front` (the default front, self-timing off) and `plain` (no front). Per op:
 *
 *   bash bench/arena/front-count.sh "$PWD/dist/src/index.js" bench/arena/front-evict-instructions.mjs front 1 2
 *
 * It prints the hits, front hits and evictions of the measured passes.
 */
import { pathToFileURL } from 'node:url'
import { lcg, zipfRanks } from './zipf-ranks.mjs'
const [, , lib, mode = 'front', passesArg = '1'] = process.argv
const { Cache } = await import(lib)
const { coreOf } = await import(new URL('engine/access.js', pathToFileURL(lib)).href)
const K = 1_000_000, C = Number(process.env.C ?? 100_000)
const keys = Array.from({ length: K }, (_, i) => `key:${String(i).padStart(8, '0')}`)
// Zipf(0.99) ranks (zipf-ranks.mjs) scattered over the keys by a multiplier prime to K.
const order = zipfRanks(K, 0.99, 1 << 20, lcg()).map((r) => (r * 7919) % K)
const cache = new Cache({ maxBytes: Cache.maxBytesFor(C, 124), maxEntries: C, codec: 'string', front: mode === 'front' ? true : undefined })
coreOf(cache).front?.useTimer?.(undefined)
const v = 'v'.repeat(100)
function run(reps) { let h = 0; for (let r = 0; r < reps; r++) for (let i = 0; i < order.length; i++) { const k = keys[order[i]]; if (cache.get(k) !== undefined) h++; else cache.set(k, v) } return h }
run(2)
const b = cache.stats(); const h = run(Number(passesArg)); const a = cache.stats()
console.log(JSON.stringify({ mode, hits: h, frontHits: a.frontHits - b.frontHits, evictions: a.evictions - b.evictions }))
