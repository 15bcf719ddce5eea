/**
 * Write-once traffic mixed with a Zipf hot set, on the real cache against lru-cache (stop 37): a share
 * `w` of the requests writes a new key, a share `r` reads a recently written key (its distance uniform
 * or exponential over the last k × capacity writes), the rest read Zipf(0.9) over 5 × capacity keys and
 * set them on a miss (cache-aside). Written once: a missed recent key is not written back; written back:
 * it is. The cache starts empty and every read counts (40 capacities of requests). A session store
 * with a catalogue beside it; the suite's write-then-read families are the pure case (r = 1 − w).
 * Deterministic (seeded): one run per build. Prints Cortado − LRU per row; `clock` for reference.
 *
 *   npx tsx bench/arena/recency-mix.ts [--capacity 10000] [--w 0.1,0.3,0.5] [--r 0.2,0.3] [--k 1,1.5]
 *     [--cortado <dist>/src/index.js]
 */
import { LRUCache } from 'lru-cache'
import { Prng } from '../workloads/prng.js'
import { ZipfSampler } from '../workloads/zipf.js'
import { perPolicy } from '../harness/per-policy.js'
import { toolArgs } from '../harness/tool-args.js'

const args = toolArgs()
const opt = args.opt
const list = args.numbers
const capacity = Number(opt('--capacity', '10000'))
const path = opt('--cortado', '../../src/index.js')

interface MixCache { get(key: string): unknown; set(key: string, value: string): unknown; close?(): void }
type CortadoModule = { Cache: (new (o: object) => MixCache) & { maxBytesFor(entries: number, entryBytes: number): number } }
const { Cache } = (await import(path)) as CortadoModule

interface Mix { w: number; r: number; k: number; exponential: boolean; writeBack: boolean }

/** Hit ratio (%) of every read of one seeded run. */
function run(cache: MixCache, m: Mix): number {
  const rng = new Prng(777)
  const zipf = new ZipfSampler(5 * capacity, 0.9)
  const span = Math.max(1, Math.floor(m.k * capacity))
  let written = 0
  let reads = 0
  let hits = 0
  for (let i = 0; i < 40 * capacity; i++) {
    const u = rng.nextFloat()
    if (u < m.w || written === 0) {
      cache.set(`w${written++}`, 'v')
      continue
    }
    let key: string
    let recent = false
    if (u < m.w + m.r) {
      const within = Math.min(written, span)
      const d = m.exponential ? Math.min(within - 1, Math.floor((-Math.log(1 - rng.nextFloat()) * within) / 4)) : rng.nextInt(within)
      key = `w${written - 1 - d}`
      recent = true
    } else key = `z${zipf.sample(rng)}`
    reads++
    if (cache.get(key) !== undefined) hits++
    else if (!recent || m.writeBack) cache.set(key, 'v')
  }
  return (100 * hits) / reads
}

const cortado = (policy: string): MixCache =>
  new Cache({ maxEntries: capacity, maxBytes: Cache.maxBytesFor(capacity, 48), codec: 'string', seed: 1, policy })
const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)
console.log(`${capacity} entries, 40 capacities of requests from empty; Zipf(0.9) over ${5 * capacity} keys for the rest`)
console.log('| w | r | distance | k | mode | lru | cortado | − lru | clock |')
console.log('|---:|---:|---|---:|---|---:|---:|---:|---:|')
for (const w of list('--w', '0.1,0.3,0.5')) {
  for (const exponential of [false, true]) {
    for (const k of list('--k', '1,1.5')) {
      for (const r of list('--r', '0.2,0.3')) {
        for (const writeBack of [false, true]) {
          const m: Mix = { w, r, k, exponential, writeBack }
          const lru = run(new LRUCache<string, string>({ max: capacity }), m)
          const [adaptive, clock] = perPolicy(cortado, (c) => run(c, m))
          const mark = adaptive - lru < -1 ? ' ✗' : ''
          console.log(`| ${w} | ${r} | ${exponential ? 'exponential' : 'uniform'} | ${k} | ${writeBack ? 'back' : 'once'} | ${lru.toFixed(2)} | ${adaptive.toFixed(2)} | ${signed(adaptive - lru)}${mark} | ${clock.toFixed(2)} |`)
        }
      }
    }
  }
}
