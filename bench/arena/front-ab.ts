/**
 * Two builds of Cortado side by side on the front's workloads (issue 19), in one process: gets of stored
 * keys (uniform and Zipf(0.99)) with and without `front: true`, 100-byte string values. Every round makes
 * fresh caches for both builds (a pair kept for all rounds biases identical builds by 3-5%), fills them,
 * runs the get sequence twice unmeasured (the JIT settles, the front fills), then times it; the build
 * timed first alternates. Time is this process's CPU time (a loaded host takes whole slices away, which
 * wall time would count). Prints B ÷ A in ops/s per case: the median and every round.
 *
 *   npx tsx bench/arena/front-ab.ts <A>/dist/src/index.js <B>/dist/src/index.js [rounds=7] [cases=all]
 *
 * cases: comma-separated of uniform-100k-front, zipf-100k-front, uniform-1m-front, zipf-1m-front,
 * uniform-100k-plain, uniform-1m-plain (plain = no front), built-100k-front (the key built per get), and the *-front-vs-plain
 * cases (A without a front, B with one: pass the same build twice for what the front costs or saves):
 * uniform-100k, uniform-1m, zipf-100k, zipf-1m, built-100k, built-1m, built-zipf-100k (built = the key
 * built per get as get-built-key builds it).
 */
import { keyOf, makeKeys, makeValues } from '../harness/data.js'
import { median } from '../harness/stats.js'
import { getSequence, SEQUENCE_LENGTH as SEQ } from './get-sequence.js'

const [pathA, pathB, roundsArg, casesArg] = process.argv.slice(2)
if (!pathA || !pathB) {
  console.error('usage: npx tsx bench/arena/front-ab.ts <A>/dist/src/index.js <B>/dist/src/index.js [rounds] [cases]')
  process.exit(2)
}
const rounds = Number(roundsArg ?? 7)
interface CacheLike { get(k: string): unknown; set(k: string, v: string): boolean; close(): void }
type Module = { Cache: (new (o: object) => CacheLike) & { maxBytesFor(entries: number, bytes: number): number } }
const mods = await Promise.all([import(pathA) as Promise<Module>, import(pathB) as Promise<Module>])

interface Case { id: string; entries: number; zipf: boolean; front: boolean | [boolean, boolean]; built?: boolean }
const ALL: Case[] = [
  { id: 'uniform-100k-front', entries: 100_000, zipf: false, front: true },
  { id: 'zipf-100k-front', entries: 100_000, zipf: true, front: true },
  { id: 'uniform-100k-plain', entries: 100_000, zipf: false, front: false },
  { id: 'uniform-1m-front', entries: 1_000_000, zipf: false, front: true },
  { id: 'zipf-1m-front', entries: 1_000_000, zipf: true, front: true },
  { id: 'uniform-1m-plain', entries: 1_000_000, zipf: false, front: false },
  { id: 'uniform-1m-front-vs-plain', entries: 1_000_000, zipf: false, front: [false, true] },
  { id: 'zipf-100k-front-vs-plain', entries: 100_000, zipf: true, front: [false, true] },
  { id: 'zipf-1m-front-vs-plain', entries: 1_000_000, zipf: true, front: [false, true] },
  { id: 'uniform-100k-front-vs-plain', entries: 100_000, zipf: false, front: [false, true] },
  // The key built per get, as get-built-key builds it (keyOf: a fresh string whose hash nobody computed).
  { id: 'built-100k-front-vs-plain', entries: 100_000, zipf: false, front: [false, true], built: true },
  { id: 'built-1m-front-vs-plain', entries: 1_000_000, zipf: false, front: [false, true], built: true },
  { id: 'built-100k-front', entries: 100_000, zipf: false, front: true, built: true },
  { id: 'built-zipf-100k-front-vs-plain', entries: 100_000, zipf: true, front: [false, true], built: true },
]
const wanted = casesArg ? new Set(casesArg.split(',')) : undefined
const cases = ALL.filter((c) => wanted === undefined || wanted.has(c.id))


const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

for (const c of cases) {
  const keys = makeKeys(c.entries)
  const values = makeValues(c.entries, 'string', 100) as string[]
  const idx = getSequence(c.entries, c.zipf, 11)
  // One compiled loop per build, so each call site sees one Cache class.
  const key = c.built ? 'keyOf(idx[i])' : 'keys[idx[i]]'
  const loops = [0, 1].map(() => new Function('keys', 'idx', 'keyOf',
    `return (cache) => { let n = 0; for (let i = 0; i < ${SEQ}; i++) if (cache.get(${key}) !== undefined) n++; return n }`)(keys, idx, keyOf) as (c: CacheLike) => number)
  const ratios: number[] = []
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0]
    const made: CacheLike[] = []
    for (const who of order) {
      const mod = mods[who]!
      const cache = new mod.Cache({ maxBytes: mod.Cache.maxBytesFor(c.entries, 8 + 16 + 100), maxEntries: c.entries, codec: 'string', seed: 1, engine: 'wasm', ...((Array.isArray(c.front) ? c.front[who] : c.front) ? { front: true } : {}) })
      for (let i = 0; i < c.entries; i++) cache.set(keys[i]!, values[i]!)
      made[who] = cache
    }
    const ms = [0, 0]
    for (const who of order) {
      const cache = made[who]!
      loops[who]!(cache)
      loops[who]!(cache)
      const t0 = cpu()
      const hits = loops[who]!(cache)
      ms[who] = cpu() - t0
      if (hits !== SEQ) throw new Error(`${c.id}: ${SEQ - hits} misses`)
    }
    ratios.push(ms[0]! / ms[1]!)
    for (const cache of made) cache.close()
  }
  console.log(`${c.id}: B ÷ A ops/s, median of ${rounds}: ${median(ratios).toFixed(3)} (rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`)
}
