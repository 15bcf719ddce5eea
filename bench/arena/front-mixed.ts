/**
 * The bench's `mixed` suite (bench/suites/mixed.ts: Zipf(0.99) over 2 × capacity keys, 90% get / 10% set,
 * sets not tied to misses, starting from the fill) replayed deterministically through Cortado with and
 * without the front, for the same number of operations (the bench runs each peer for a time, so a
 * slower peer's hit ratio is that of an earlier part of the sequence). Prints per block the hit ratio of
 * both and their difference, and the front's counters. Self-timing off unless TIMED=1.
 *
 *   npx tsx bench/arena/front-mixed.ts [--entries 100000] [--blocks 8] [--block-ops 1048576] [--kind string|buffer]
 *     [--ranges FROM:TO,…]
 *
 * --ranges also prints the hit ratio over operations FROM..TO-1 (the operations a peer ran in the bench's
 * measured rounds: after its warm-up round, as many as its speed allowed in 3 rounds of 300 ms).
 */
import { Pool } from '../harness/pool.js'
import { mixed } from '../suites/mixed.js'
import { spec } from '../suites/configs.js'

// LIB=<dist>/src/index.js runs a build (e.g. an instrumented copy); default the sources.
const lib = process.env.LIB
const { Cache } = (await import(lib ?? '../../src/index.js')) as typeof import('../../src/index.js')
const { coreOf } = (await import(lib === undefined ? '../../src/engine/access.js' : new URL('engine/access.js', new URL(lib, 'file:///')).href)) as typeof import('../../src/engine/access.js')

const argv = process.argv.slice(2)
const opt = (n: string): string | undefined => { const i = argv.indexOf(n); return i < 0 ? undefined : argv[i + 1] }
const entries = Number(opt('--entries') ?? 100_000)
const blocks = Number(opt('--blocks') ?? 8)
const blockOps = Number(opt('--block-ops') ?? 1 << 20)
const kind = (opt('--kind') ?? 'string') as 'string' | 'buffer'
const ranges = (opt('--ranges') ?? '').split(',').filter((r) => r !== '').map((r) => r.split(':').map(Number) as [number, number])
const pool = new Pool(spec(entries, kind, 100))
const w = mixed.workload(pool)
const { keys, values, idx, ops } = w
const idxMask = idx.length - 1, valueMask = values.length - 1

function run(front: boolean): { blocks: number[]; total: number; stats: Record<string, number>; frontSize: number; ranged: number[] } {
  const cache = new Cache({ maxBytes: Cache.maxBytesFor(entries, 8 + 16 + 100), maxEntries: entries, codec: kind, front }) as unknown as InstanceType<typeof Cache>
  const core = coreOf(cache) as unknown as { front?: { useTimer(t: undefined): void; size: number } }
  if (front && process.env.TIMED !== '1') core.front?.useTimer(undefined)
  const mask = values.length - 1
  for (let i = 0; i < entries; i++) cache.set(keys[i]!, values[i & mask] as never)
  const out: number[] = []
  const rangeHits = ranges.map(() => 0), rangeGets = ranges.map(() => 0)
  let H = 0, G = 0
  for (let b = 0; b < blocks; b++) {
    let h = 0, g = 0
    for (let i = 0; i < blockOps; i++) {
      const n = (b * blockOps + i) & idxMask
      const key = keys[idx[n]!]!
      if (ops[n] === 1) cache.set(key, values[n & valueMask] as never)
      else {
        g++
        const hit = cache.get(key) !== undefined
        if (hit) h++
        const op = b * blockOps + i
        for (let r = 0; r < ranges.length; r++) {
          if (op >= ranges[r]![0] && op < ranges[r]![1]) {
            rangeGets[r]++
            if (hit) rangeHits[r]++
          }
        }
      }
    }
    out.push((100 * h) / g)
    H += h; G += g
  }
  const s = cache.stats() as unknown as Record<string, number>
  const frontSize = core.front?.size ?? 0
  cache.close()
  return { blocks: out, total: (100 * H) / G, stats: s, frontSize, ranged: ranges.map((_, r) => (100 * rangeHits[r]!) / rangeGets[r]!) }
}

const off = run(false)
const on = run(true)
console.log(`mixed ${entries} ${kind}: block of ${blockOps} ops   off     on      on−off`)
for (let i = 0; i < blocks; i++)
  console.log(`${String(i).padStart(3)}  ${off.blocks[i]!.toFixed(3).padStart(7)}  ${on.blocks[i]!.toFixed(3).padStart(7)}  ${(on.blocks[i]! - off.blocks[i]!).toFixed(3).padStart(7)}`)
console.log(`total  ${off.total.toFixed(3)}  ${on.total.toFixed(3)}  ${(on.total - off.total).toFixed(3)}`)
ranges.forEach(([from, to], r) => console.log(`ops ${from}..${to - 1}  ${off.ranged[r]!.toFixed(3)}  ${on.ranged[r]!.toFixed(3)}  ${(on.ranged[r]! - off.ranged[r]!).toFixed(3)}`))
const pick = (s: Record<string, number>) => ({ hits: s.hits, frontHits: s.frontHits, misses: s.misses, sets: s.sets, evictions: s.evictions, rejections: s.rejections, rejectedOverwrites: s.rejectedOverwrites })
console.log('off', JSON.stringify(pick(off.stats)))
console.log('on ', JSON.stringify(pick(on.stats)), 'front entries', on.frontSize)
const counters = (globalThis as { __frontCounters?: unknown }).__frontCounters
if (counters !== undefined) console.log('front counters', JSON.stringify(counters))
