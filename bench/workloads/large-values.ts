/**
 * Issue 18's write-then-read and moving-Zipf families (recency-trace.ts, shifting-trace.ts) replayed
 * over a real cache of values of 40 KiB–1 MiB (stop 35), as a service caching rendered pages or images
 * has: each value a few thousandths to a few hundredths of the cache. Used by
 * test/policy/large-values.test.ts and bench/arena/large-values-policy.ts.
 */
import { writeThenReadTrace } from './recency-trace.js'
import { shiftingTrace } from './shifting-trace.js'
import { replayValues, hitRatioOf, type BufferCache } from './value-replay.js'
import type { Trace } from './trace.js'

export type { BufferCache }

/** About how many values of `size` bytes an arena of `maxBytes` holds (its data area is ~3/4 of it). */
export const capacityFor = (maxBytes: number, size: number): number => Math.floor((maxBytes * 0.75) / (size + 24))

/** Hit ratio of the reads, every value `size` bytes. */
function replay(cache: BufferCache, trace: Trace, size: number): number {
  return hitRatioOf(replayValues(cache, trace, () => size))
}

/**
 * Write-then-read at `distance` × capacity (writeThenReadTrace: a fill, then one new key per 10
 * requests), at least 2000 requests after the fill, 40 × capacity for caches of more values.
 */
export function writeThenRead(cache: BufferCache, o: { maxBytes: number; size: number; distance: number; writeBack: boolean; seed: number }): number {
  const capacity = capacityFor(o.maxBytes, o.size)
  const trace = writeThenReadTrace({ capacity, distance: o.distance, length: Math.max(2000, 40 * capacity), writeBack: o.writeBack, seed: o.seed })
  return replay(cache, trace, o.size)
}

/**
 * Cache-aside Zipf(0.9) over 20 × capacity keys whose popular keys move to 10 × capacity other keys
 * every `every` × capacity requests (0: never), 40 × capacity requests (shiftingTrace).
 */
export function movingZipf(cache: BufferCache, o: { maxBytes: number; size: number; every: number; seed: number }): number {
  const capacity = capacityFor(o.maxBytes, o.size)
  const length = 40 * capacity
  const phase = o.every === 0 ? length : o.every * capacity
  return replay(cache, shiftingTrace({ keys: 20 * capacity, s: 0.9, length, phase, shift: 10 * capacity, seed: o.seed }), o.size)
}
