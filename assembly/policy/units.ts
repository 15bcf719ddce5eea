// The adaptive policy measures sizes in "units": entries when the cache has a count bound
// (maxEntries), bytes otherwise. Its capacity C, the queues' sizes and the window target are all in
// units; meanSize converts entry counts (ghost ages, horizons) to units.
import * as L from '../layout.generated'
import { maxEntriesTotal, maxEntriesPerShard } from '../arena'
import { queueBytes, queueCount, freeCount } from '../segments'
import { BIG_NEWCOMER } from './tuning.generated'

const P = L.POLICY_STATE_OFFSET

// @ts-ignore: decorator
@inline export function countMode(): bool { return maxEntriesTotal != 0 }

export function unitsOf(size: u32): f64 {
  return countMode() ? 1 : <f64>size
}

export function queueUnits(sb: u32, q: u32): f64 {
  return countMode() ? <f64>queueCount(sb, q) : <f64>queueBytes(sb, q)
}

/**
 * The units the shard holds against its capacity. In bytes that is what its own segments hold (the
 * queues' bytes), not SHARD_LIVE_BYTES: a LARGE entry's chain borrowed from other shards counts there
 * (it is bytesUsed) but takes none of this shard's segments, and counting it made every contest here
 * evict for bytes the shard never held (a 16 MiB value emptied its owner of small entries).
 */
export function usedUnits(sb: u32): f64 {
  if (countMode()) return <f64>load<u32>(sb + L.SHARD_LIVE_COUNT)
  return <f64>(queueBytes(sb, L.QUEUE_WINDOW) + queueBytes(sb, L.QUEUE_PROBATION) + queueBytes(sb, L.QUEUE_PROTECTED))
}

/** Mean entry size in units (1 with a count bound, and while the shard is empty). */
export function meanSize(sb: u32): f64 {
  const n = load<u32>(sb + L.SHARD_LIVE_COUNT)
  if (countMode() || n == 0) return 1
  return <f64>load<u64>(sb + L.SHARD_LIVE_BYTES) / <f64>n
}

/** The shard's capacity in units: its share of maxEntries, or the bytes its segments hold. */
export function capacity(sb: u32): f64 {
  const c = load<f64>(sb + P + L.POLICY_CAPACITY)
  if (countMode()) return c
  // Small entries may fill the index before the bytes: then the index bounds the capacity.
  return min<f64>(c, <f64>maxEntriesPerShard * meanSize(sb))
}

/**
 * Whether main (probation + protected) holds any entry: its size in units is above 0 exactly then (an
 * entry costs at least its header's bytes), and the counts answer without the unit conversions the
 * policy otherwise paid several times per eviction.
 */
// @ts-ignore: decorator
@inline export function mainHolds(sb: u32): bool {
  return (queueCount(sb, L.QUEUE_PROBATION) | queueCount(sb, L.QUEUE_PROTECTED)) != 0
}

/**
 * True when adding `extra` units would take the shard past its capacity, or when the storage itself
 * is tight (the global count bound would be passed, or free segments are down to the last spares).
 */
export function isFull(sb: u32, extra: f64): bool {
  // With a count bound, fullness is the global count's: keys spread unevenly over shards, and a shard
  // above its share must not evict while the cache as a whole has room.
  if (countMode()) return <f64>atomic.load<i32>(L.ARENA_LIVE_TOTAL) + extra > <f64>maxEntriesTotal
  return usedUnits(sb) + extra > capacity(sb) || freeCount(sb) <= 2
}

/**
 * A newcomer of `size` bytes bigger than BIG_NEWCOMER × the shard's mean entry, counted in bytes
 * whatever the unit (with maxEntries a 1 MiB entry is one unit, yet takes the segments of thousands of
 * small ones): it would displace several typical entries, so it must earn its room before it enters.
 * For an entry already in the shard, `own` is what it adds to the shard's live bytes: the mean is the
 * other entries'. False when there are no others (nothing to displace).
 */
export function isBig(sb: u32, size: u32, own: u64 = 0): bool {
  const n = load<u32>(sb + L.SHARD_LIVE_COUNT) - (own != 0 ? 1 : 0)
  return n != 0 && <f64>size * <f64>n > BIG_NEWCOMER * <f64>(load<u64>(sb + L.SHARD_LIVE_BYTES) - own)
}
