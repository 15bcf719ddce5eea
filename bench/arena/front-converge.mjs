/**
 * How a full front converges on Zipf gets over a cache far larger than it (issue 19, stop 46): N stored
 * 100-byte strings, the default front (24 MiB) with its self-timing off (the counts are then the same on
 * every run), then BLOCKS blocks of BLOCK Zipf(EXP) gets of stored keys (ranks scattered over the keys by a
 * permutation, drawn fresh: no repeated sequence). Prints per block the share of gets the front served,
 * the entries it held at the block's end, and the gets it still had to skip then (a step-aside).
 *
 *   node bench/arena/front-converge.mjs <dist>/src/index.js
 *   N=5000000 BLOCK=262144 BLOCKS=12 EXP=0.99 FRONT_BYTES=<b> node bench/arena/front-converge.mjs <dist>/src/index.js
 */
import { lcg, scatteredZipfKeys } from './zipf-ranks.mjs'
const [, , lib] = process.argv
const { Cache } = await import(lib)
const { coreOf } = await import(new URL('engine/access.js', new URL(lib, 'file:///')).href)
const N = Number(process.env.N ?? 2_000_000)
const BLOCK = Number(process.env.BLOCK ?? 1 << 18)
const BLOCKS = Number(process.env.BLOCKS ?? 12)
const EXP = Number(process.env.EXP ?? 0.99)
const keyOf = (i) => 'k' + i.toString(36).padStart(15, '0')
const keys = Array.from({ length: N }, (_, i) => `${keyOf(i)}`.split('').join(''))
const cache = new Cache({ maxBytes: Cache.maxBytesFor(N, 124), maxEntries: N, codec: 'string', front: process.env.FRONT_BYTES ? { maxBytes: Number(process.env.FRONT_BYTES) } : true })
for (let i = 0; i < N; i++) cache.set(keys[i], `value-${i}-`.padEnd(100, 'x'))
const front = coreOf(cache).front
front.useTimer(undefined)
const next = lcg()
const order = scatteredZipfKeys(N, EXP, BLOCK * BLOCKS, next)
const blocks = []
let all = 0
let wrong = 0
for (let b = 0; b < BLOCKS; b++) {
  const before = cache.stats().frontHits
  for (let i = b * BLOCK, end = i + BLOCK; i < end; i++) if (cache.get(keys[order[i]]) === undefined) wrong++
  const served = cache.stats().frontHits - before
  all += served
  blocks.push(`${(served / BLOCK).toFixed(3)}/${front.size}${front.skipping > 0 ? `(skip ${front.skipping})` : ''}`)
}
if (wrong > 0) throw new Error(`${wrong} gets missed`)
console.log(`N=${N} Zipf(${EXP}) ${BLOCKS}×${BLOCK} gets: served ${(all / (BLOCK * BLOCKS)).toFixed(3)}; per block served/held: ${blocks.join(' ')}`)
cache.close()
