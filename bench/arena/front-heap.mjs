/**
 * Heap bytes a fronted entry costs (issue 19; the front's budget is an estimate of them): N stored
 * 100-character strings under 12-character keys, a front of FRONT bytes (default 64 MiB) filled with all
 * of them by reading each key twice, and V8's heapUsed + arrayBuffers after two full collections, before
 * the gets and after, divided by the entries held. What the front allocates when it is made (main until
 * stop 41: a slot array and a free list for the whole budget) is before the first reading, so not in it.
 * `withoutValue` takes off a decoded value string's ~120 bytes (16-byte header + 100 one-byte characters).
 *
 *   node --expose-gc bench/arena/front-heap.mjs "$PWD/dist/src/index.js"      (N=100000, FRONT=bytes)
 */
import { pathToFileURL } from 'node:url'
const [, , lib] = process.argv
const N = Number(process.env.N ?? 100_000)
const { Cache } = await import(lib)
const { coreOf } = await import(new URL('engine/access.js', pathToFileURL(lib)).href)
const keys = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(8, '0')}`)
const cache = new Cache({ maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string', front: { maxBytes: Number(process.env.FRONT ?? 64 << 20) } })
for (let i = 0; i < N; i++) cache.set(keys[i], `value-${i}-`.padEnd(100, 'x'))
const front = coreOf(cache).front
front.useTimer(undefined)
const mem = () => { global.gc(); global.gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers }
const before = mem()
for (let r = 0; r < 10 && front.size < N; r++) for (let i = 0; i < N; i++) { cache.get(keys[i]); cache.get(keys[i]) }
const after = mem()

console.log(JSON.stringify({ lib, held: front.size, perEntry: ((after - before) / front.size).toFixed(1), withoutValue: ((after - before) / front.size - 120).toFixed(1) }))
