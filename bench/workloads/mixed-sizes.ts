/**
 * Values of two sizes in one cache (stop 36): most small, a share several hundred times larger, as a
 * service caching API responses or pages next to records has. Which key gets which size is a hash of
 * the key, fixed per key. Issue 18's write-then-read and Zipf families replayed over it
 * (value-replay.ts), with hits counted per size: the policy keeps the big values only when they earn
 * their room. Used by test/policy/mixed-sizes.test.ts and bench/arena/mixed-sizes-policy.ts.
 */
import { writeThenReadTrace } from './recency-trace.js'
import { shiftingTrace } from './shifting-trace.js'
import { replayValues, type BufferCache, type SizeCount } from './value-replay.js'

export interface SizeMix {
  /** Bytes of most values. */
  small: number
  /** Bytes of the others. */
  big: number
  /** The share of keys whose value is big. */
  bigShare: number
}

export interface MixedResult {
  /** Hit ratio over every read. */
  all: number
  /** Hit ratio of the reads of big values, of small ones. */
  big: number
  small: number
}

/** The size of key `id`'s value: big for a fixed `bigShare` of keys (a multiplicative hash of the id). */
export const sizeOfKey = (mix: SizeMix) => (id: number): number =>
  Math.imul(id + 1, 0x9e3779b1) >>> 0 < mix.bigShare * 2 ** 32 ? mix.big : mix.small

/** About how many values of the mix an arena of `maxBytes` holds (its data area is ~3/4 of it). */
export const mixedCapacity = (maxBytes: number, mix: SizeMix): number =>
  Math.floor((maxBytes * 0.75) / (mix.bigShare * mix.big + (1 - mix.bigShare) * mix.small + 24))

function result(counts: Map<number, SizeCount>, mix: SizeMix): MixedResult {
  const ratio = (c: SizeCount | undefined) => (c === undefined || c.reads === 0 ? 0 : c.hits / c.reads)
  const b = counts.get(mix.big)
  const s = counts.get(mix.small)
  const reads = (b?.reads ?? 0) + (s?.reads ?? 0)
  return { all: reads === 0 ? 0 : ((b?.hits ?? 0) + (s?.hits ?? 0)) / reads, big: ratio(b), small: ratio(s) }
}

/** Write-then-read at `distance` × capacity (a fill, then one new key per 10 requests), 40 × capacity requests. */
export function mixedWriteThenRead(cache: BufferCache, o: { maxBytes: number; mix: SizeMix; distance: number; writeBack: boolean; seed: number }): MixedResult {
  const capacity = mixedCapacity(o.maxBytes, o.mix)
  const trace = writeThenReadTrace({ capacity, distance: o.distance, length: Math.max(2000, 40 * capacity), writeBack: o.writeBack, seed: o.seed })
  return result(replayValues(cache, trace, sizeOfKey(o.mix)), o.mix)
}

/** Cache-aside Zipf(0.9) over 20 × capacity keys, popular keys moving every `every` × capacity (0: never). */
export function mixedZipf(cache: BufferCache, o: { maxBytes: number; mix: SizeMix; every: number; seed: number }): MixedResult {
  const capacity = mixedCapacity(o.maxBytes, o.mix)
  const length = 40 * capacity
  const phase = o.every === 0 ? length : o.every * capacity
  const trace = shiftingTrace({ keys: 20 * capacity, s: 0.9, length, phase, shift: 10 * capacity, seed: o.seed })
  return result(replayValues(cache, trace, sizeOfKey(o.mix)), o.mix)
}
