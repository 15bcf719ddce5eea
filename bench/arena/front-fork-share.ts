/**
 * The share of gets the default front serves on the forks' get-zipf workload (issue 19, stop 48), block by
 * block from a fresh cache, against the share the front floor (bench/peers/front-floor.ts) serves on the
 * same sequence: the bench's own pool, fill, key sequence (get-zipf's, repeated as the timed loop repeats
 * it) and cortadoOptions, through a given build. Counts, not times: with `TIMED=0` (default) the front's
 * self-timing is off, so the figures are the same on every run; `TIMED=1` keeps it on (the bench's front).
 *
 *   [SUITE=get-hit] [TIMED=1] npx tsx bench/arena/front-fork-share.ts <dist>/src/index.js [entries=1000000] [blocks=16] [blockGets=262144]
 *
 * Prints per block: served share / entries held / fills per get (and the share of its gets the front skipped,
 * sampled every 1024 gets, when it stood aside).
 */
import { Pool } from '../harness/pool.js'
import { spec } from '../suites/configs.js'
import { getZipf } from '../suites/get-zipf.js'
import { getHit } from '../suites/get-hit.js'
import { cortadoOptions, loadCortado } from '../peers/cortado.js'

const [lib, entriesArg = '1000000', blocksArg = '16', blockArg = String(1 << 18)] = process.argv.slice(2)
if (!lib) {
  console.error('usage: npx tsx bench/arena/front-fork-share.ts <dist>/src/index.js [entries] [blocks] [blockGets]')
  process.exit(2)
}
interface Front { size: number; skipping: number; useTimer(t: undefined): void; fill(k: string, v: unknown): void }
interface CacheLike { get(k: string): unknown; set(k: string, v: unknown): void; peek(k: string): unknown; stats(): { frontHits: number }; close(): void; geometry: unknown }
const { Cache } = (await import(lib)) as { Cache: new (o: object) => CacheLike }
const base = new URL(lib, 'file:///')
const { coreOf } = (await import(new URL('engine/access.js', base).href)) as { coreOf(c: unknown): { front: Front } }
const { defaultFrontBytes, ENTRY_OVERHEAD } = (await import(new URL('engine/front.js', base).href)) as { defaultFrontBytes(g: unknown): number; ENTRY_OVERHEAD: number }

const entries = Number(entriesArg)
const blocks = Number(blocksArg)
const block = Number(blockArg)
// The bench's sizing (cortadoOptions: Cache.maxBytesFor of the sources' Cache, which sizes as the build does).
await loadCortado()
const s = spec(entries, 'string', 100)
const pool = new Pool(s)
// SUITE=get-hit: the forks' uniform get-hit workload instead of get-zipf.
const w = (process.env.SUITE === 'get-hit' ? getHit : getZipf).workload(pool)
const cache = new Cache({ ...cortadoOptions(s), front: true })
const mask = pool.values.length - 1
for (let i = 0; i < entries; i++) cache.set(pool.keys[i]!, pool.values[i & mask])
const front = coreOf(cache).front
if (process.env.TIMED !== '1') front.useTimer(undefined)
// Fills (arena hits the front takes in), counted by wrapping this instance's fill.
let fills = 0
const fill = front.fill.bind(front)
front.fill = (k, v) => { fills++; fill(k, v) }

// The floor: the keys the sequence reads most, as many as the default budget holds (front-floor.ts's prime).
const idx = w.idx
const counts = new Uint32Array(w.keys.length)
const keyMask = w.keys.length - 1
for (let i = 0; i < idx.length; i++) counts[idx[i]! & keyMask]!++
const read: number[] = []
for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) read.push(k)
read.sort((a, b) => counts[b]! - counts[a]! || a - b)
const budget = defaultFrontBytes(cache.geometry)
let bytes = 0
let held = 0
let served = 0
for (const k of read) {
  const v = cache.peek(w.keys[k]!) as string
  const b = 2 * (w.keys[k]!.length + v.length) + ENTRY_OVERHEAD
  if (bytes + b > budget) break
  bytes += b
  held++
  served += counts[k]!
}
console.log(`floor: ${held} keys of ${read.length} read in the sequence of ${idx.length}, serves ${(served / idx.length).toFixed(4)}`)

const keys = w.keys
const idxMask = idx.length - 1
let at = 0
const out: string[] = []
let all = 0
for (let b = 0; b < blocks; b++) {
  const before = cache.stats().frontHits
  const fillsBefore = fills
  let aside = 0
  for (let i = 0; i < block; i++, at++) {
    if (cache.get(keys[idx[at & idxMask]!]!) === undefined) throw new Error('a get missed')
    // Sampled every 1024 gets: the share of the block's gets the front skipped (a step-aside or a timed skip).
    if ((i & 1023) === 0 && front.skipping > 0) aside += 1024
  }
  const got = cache.stats().frontHits - before
  all += got
  out.push(`${(got / block).toFixed(3)}/${front.size}/${((fills - fillsBefore) / block).toFixed(4)}${aside > 0 ? ` aside ${(aside / block).toFixed(2)}` : ''}`)
}
console.log(`front: served ${(all / (block * blocks)).toFixed(4)} over ${blocks}×${block} gets; per block served/held/fills a get: ${out.join(' ')}`)
cache.close()
