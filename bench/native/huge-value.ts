/**
 * One value of maxBytes / 16 (or the largest an entry holds, 4 GiB less header and key, when that is
 * less; or the given MiB) in a native cache of `gib` GiB, seen through windows beyond 4 GiB
 * (docs/production.md, "Size limits"): set, get, byte compare, delete, with timings. Needs about 3× the
 * value in memory (value, chain, copy read back).
 *
 *   npx tsx bench/native/huge-value.ts [gib=48] [valueMiB]
 */
import { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'

const gib = Number(process.argv[2] ?? 48)
const maxBytes = gib * 2 ** 30
const cache = new Cache<Buffer>({ maxBytes, engine: 'native', codec: 'buffer' })
const size = process.argv[3] !== undefined ? Number(process.argv[3]) * 2 ** 20
  : Math.min(Math.floor(maxBytes / 16), cache.geometry.maxEntryBytes - L.ENTRY_HEADER_BYTES - 'huge'.length)
console.log(`${gib} GiB cache: largest entry ${(cache.geometry.maxEntryBytes / 2 ** 20).toFixed(1)} MiB, value ${(size / 2 ** 20).toFixed(1)} MiB`)
const value = Buffer.alloc(size, 7)
value[0] = 1
value[size - 1] = 2
let t = performance.now()
const stored = cache.set('huge', value)
console.log(`set: ${stored} in ${(performance.now() - t).toFixed(0)} ms, bytesUsed ${cache.stats().bytesUsed}, oversized ${cache.stats().oversized}`)
t = performance.now()
const back = cache.get('huge')
console.log(`get: ${back?.length} bytes in ${(performance.now() - t).toFixed(0)} ms, byte-exact ${back !== undefined && back.equals(value)}`)
console.log(`delete: ${cache.delete('huge')}, bytesUsed ${cache.stats().bytesUsed}`)
cache.close()
