/**
 * The default policy with values of 40 KiB–1 MiB, as a service caching rendered pages or images does:
 * each value is a few thousandths to a few hundredths of the cache. Until stop 35 every newcomer larger
 * than the shard's mean entry had to beat main's victims before it entered (a LARGE one, chained over
 * segments, always did), and the sketch aged after 12 × the entries the index was sized for (~300× the
 * 40 KiB values a 16 MiB cache holds): once full, such a cache kept its first values and refused every
 * new one. Write-then-read 0.5 × capacity, 16 MiB: 40 KiB values 6.4% of reads hit, 256 KiB 1.7%, 1 MiB
 * 0.4%, where 'clock' has 85–92%. 'clock' is the reference here: it keeps what was written last.
 */
import { it, expect } from 'vitest'
import type { Cache } from '../../src/index.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache, type Engine } from '../conformance/engines.js'

const KiB = 1024
const MiB = 1024 * KiB

/** About how many values of `size` bytes the arena holds (its data area is ~3/4 of maxBytes). */
const capacityFor = (maxBytes: number, size: number) => Math.floor((maxBytes * 0.75) / (size + 24))

/**
 * Fills the cache, then writes a new key every 10 operations and reads keys among the last
 * `distance` × capacity written (uniform), never writing a missed key back. Hit ratio of the reads.
 */
function writeThenRead(engine: Engine, policy: 'adaptive' | 'clock', maxBytes: number, size: number, distance: number, seed: number): number {
  const cache: Cache<Buffer> = makeCache<Buffer>(engine, { maxBytes, codec: 'buffer', policy, seed })
  const rng = new Prng(seed)
  const value = Buffer.alloc(size, 7)
  const capacity = capacityFor(maxBytes, size)
  let written = 0
  for (; written < capacity; written++) cache.set(`page:${written}`, value)
  let hits = 0
  let reads = 0
  for (let i = 0; i < Math.max(2000, 40 * capacity); i++) {
    if (i % 10 === 0) { cache.set(`page:${written++}`, value); continue }
    reads++
    if (cache.get(`page:${written - 1 - rng.nextInt(Math.max(1, Math.floor(distance * capacity)))}`) !== undefined) hits++
  }
  cache.close()
  return hits / reads
}

/** Cache-aside Zipf(0.9) over 20 × capacity keys whose popular keys move every `every` × capacity requests. */
function movingZipf(engine: Engine, policy: 'adaptive' | 'clock', maxBytes: number, size: number, every: number, seed: number): number {
  const cache: Cache<Buffer> = makeCache<Buffer>(engine, { maxBytes, codec: 'buffer', policy, seed })
  const rng = new Prng(seed)
  const capacity = capacityFor(maxBytes, size)
  const keys = 20 * capacity
  const cdf = new Float64Array(keys)
  let total = 0
  for (let i = 0; i < keys; i++) cdf[i] = total += 1 / (i + 1) ** 0.9
  const rank = (): number => {
    const x = rng.nextFloat() * total
    let lo = 0
    let hi = keys - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const value = Buffer.alloc(size, 1)
  let hits = 0
  let offset = 0
  const n = 40 * capacity
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % (every * capacity) === 0) offset += 10 * capacity
    const key = `k${offset + rank()}`
    if (cache.get(key) !== undefined) hits++
    else cache.set(key, value)
  }
  cache.close()
  return hits / n
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`

forEachEngine('values of 40 KiB to 1 MiB', (engine) => {
  for (const [size, maxBytes] of [[40 * KiB, 16 * MiB], [256 * KiB, 16 * MiB], [1 * MiB, 16 * MiB], [100 * KiB, 64 * MiB]] as const) {
    it(`${size / KiB} KiB values in ${maxBytes / MiB} MiB, reads over the last 0.5 × capacity written: within 5 points of 'clock'`, () => {
      const seed = testSeed(35)
      const adaptive = writeThenRead(engine, 'adaptive', maxBytes, size, 0.5, seed)
      const clock = writeThenRead(engine, 'clock', maxBytes, size, 0.5, seed)
      console.log(`[large write-then-read ${size / KiB} KiB / ${maxBytes / MiB} MiB, ${engine}] adaptive ${pct(adaptive)}, clock ${pct(clock)}`)
      expect(adaptive, `seed ${seed}: adaptive ${pct(adaptive)} vs clock ${pct(clock)}`).toBeGreaterThan(clock - 0.05)
    })
  }

  it('set() returns true only for a value a get then finds: an entry larger than the whole window gets its time there', () => {
    const seed = testSeed(37)
    for (const [size, maxBytes] of [[40 * KiB, 16 * MiB], [300 * KiB, 16 * MiB], [1 * MiB, 64 * MiB]] as const) {
      const cache = makeCache<Buffer>(engine, { maxBytes, codec: 'buffer', seed })
      const value = Buffer.alloc(size, 3)
      let stored = 0
      for (let i = 0; i < 4 * capacityFor(maxBytes, size); i++) {
        if (!cache.set(`v:${i}`, value)) continue
        stored++
        expect(cache.get(`v:${i}`)?.length, `seed ${seed}, ${size / KiB} KiB values in ${maxBytes / MiB} MiB: v:${i} stored, then missing`).toBe(size)
      }
      expect(stored, `${size / KiB} KiB values`).toBeGreaterThan(0)
      cache.close()
    }
  })

  it('40 KiB values, Zipf moving every 10 capacities: the sketch ages by the values the cache holds, not by its index', () => {
    const seed = testSeed(36)
    const adaptive = movingZipf(engine, 'adaptive', 16 * MiB, 40 * KiB, 10, seed)
    const clock = movingZipf(engine, 'clock', 16 * MiB, 40 * KiB, 10, seed)
    console.log(`[large moving Zipf 40 KiB / 16 MiB, ${engine}] adaptive ${pct(adaptive)}, clock ${pct(clock)}`)
    // Aged by its index (~12 × 38k increments per shard), the sketch kept old phases' counts: 3.6–4.7
    // points under 'clock' (seeds 1–3); aged by the values held, 1.3–1.9 under (seeds 1–6).
    expect(adaptive, `seed ${seed}: adaptive ${pct(adaptive)} vs clock ${pct(clock)}`).toBeGreaterThan(clock - 0.03)
  })
})
