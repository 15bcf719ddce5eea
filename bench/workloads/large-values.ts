/**
 * Workloads of values of 40 KiB–1 MiB over a real cache (stop 35): each value a few thousandths to a
 * few hundredths of the cache, as a service caching rendered pages or images has. Used by
 * test/policy/large-values.test.ts and bench/arena/large-values-policy.ts.
 */
import { Prng } from './prng.js'

/** What these workloads need of a cache: any Cortado build's Cache of Buffers. */
export interface BufferCache {
  get(key: string): Buffer | undefined
  set(key: string, value: Buffer): boolean
  close(): void
}

/** About how many values of `size` bytes an arena of `maxBytes` holds (its data area is ~3/4 of it). */
export const capacityFor = (maxBytes: number, size: number): number => Math.floor((maxBytes * 0.75) / (size + 24))

/**
 * Fills the cache with `capacity` values, then writes a new key every 10 operations and reads keys
 * among the last `distance` × capacity written (uniform); a missed key is written back only with
 * `writeBack`. At least 2000 operations, 40 × capacity for caches of more values. Hit ratio of the reads.
 */
export function writeThenRead(cache: BufferCache, o: { maxBytes: number; size: number; distance: number; writeBack: boolean; seed: number }): number {
  const rng = new Prng(o.seed)
  const value = Buffer.alloc(o.size, 7)
  const capacity = capacityFor(o.maxBytes, o.size)
  let written = 0
  for (; written < capacity; written++) cache.set(`page:${written}`, value)
  let hits = 0
  let reads = 0
  for (let i = 0; i < Math.max(2000, 40 * capacity); i++) {
    if (i % 10 === 0) {
      cache.set(`page:${written++}`, value)
      continue
    }
    reads++
    const key = `page:${written - 1 - rng.nextInt(Math.max(1, Math.floor(o.distance * capacity)))}`
    if (cache.get(key) !== undefined) hits++
    else if (o.writeBack) cache.set(key, value)
  }
  return hits / reads
}

/**
 * Cache-aside Zipf(0.9) over 20 × capacity keys whose popular keys move to 10 × capacity other keys
 * every `every` × capacity requests (0: never), 40 × capacity requests. Hit ratio.
 */
export function movingZipf(cache: BufferCache, o: { maxBytes: number; size: number; every: number; seed: number }): number {
  const rng = new Prng(o.seed)
  const capacity = capacityFor(o.maxBytes, o.size)
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
  const value = Buffer.alloc(o.size, 1)
  let hits = 0
  let offset = 0
  const n = 40 * capacity
  for (let i = 0; i < n; i++) {
    if (o.every > 0 && i > 0 && i % (o.every * capacity) === 0) offset += 10 * capacity
    const key = `k${offset + rank()}`
    if (cache.get(key) !== undefined) hits++
    else cache.set(key, value)
  }
  return hits / n
}
