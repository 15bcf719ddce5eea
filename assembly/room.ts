// Making room for a write: the policy evicts, entry by entry, until the shard is under its count
// bounds and the target queue can append. Called only under the shard lock.
import * as L from './layout.generated'
import { maxEntriesPerShard, maxEntriesTotal } from './arena'
import { headFits, freeCount, reclaimDeadTails } from './segments'
import { policyEvictOne } from './policy/index'

/** Segments kept free for moves during eviction, so a hot tail can be moved rather than dropped. */
const MOVE_RESERVE: u32 = 1

/**
 * Free segments missing for an append of `size` bytes to queue q plus `chain` whole segments (a LARGE
 * entry's value), keeping `reserve` segments spare.
 */
// @ts-ignore: decorator
@inline function short(sb: u32, q: u32, size: u32, chain: u32, reserve: u32): bool {
  const need = chain + (headFits(sb, q, size) ? 0 : 1)
  return need != 0 && freeCount(sb) < need + reserve
}

/**
 * Evicts until queue q can append `size` bytes and `chain` free segments remain for a LARGE entry's
 * value and, when `adding` a key, until the shard and the whole cache may hold one more entry (whose
 * cost to the policy is `cost`). With a global bound (maxEntries) the new entry's place in the global
 * count is reserved here by CAS, so concurrent writers in other shards can't overshoot it together.
 * False when there is no way to make room (then nothing was reserved).
 */
export function ensureRoom(sb: u32, q: u32, size: u32, adding: bool, now: f64, chain: u32, cost: u32): bool {
  // Only a new key enters the window; a rewritten one keeps its queue, and a write-back the policy
  // sends to probation takes its room from main's victims, not from the window's tail.
  const incoming = adding && q != L.QUEUE_PROBATION ? cost : 0
  if (adding) {
    while (load<u32>(sb + L.SHARD_LIVE_COUNT) >= maxEntriesPerShard) {
      if (!policyEvictOne(sb, incoming, now)) return false
    }
  }
  // Dead tail segments come back for free before anything live is evicted for bytes.
  if (short(sb, q, size, chain, MOVE_RESERVE)) reclaimDeadTails(sb)
  while (short(sb, q, size, chain, MOVE_RESERVE)) {
    if (!policyEvictOne(sb, incoming, now)) break
  }
  if (short(sb, q, size, chain, 0)) return false
  if (adding && maxEntriesTotal != 0) {
    while (true) {
      const n = atomic.load<i32>(L.ARENA_LIVE_TOTAL)
      if (<u32>n < maxEntriesTotal) {
        if (atomic.cmpxchg<i32>(L.ARENA_LIVE_TOTAL, n, n + 1) == n) break
        continue
      }
      if (!policyEvictOne(sb, incoming, now)) return false
    }
  }
  return true
}
