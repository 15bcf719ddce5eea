// Expiry. Reads never return an expired entry (read.ts checks the deadline); the bytes of expired
// entries come back three ways, none of which stops the world: at a queue's tail during eviction, a
// few index buckets at a time after each write (a cursor sweeping the index), and on demand per shard.
import * as L from './layout.generated'
import { indexBuckets } from './arena'
import { firstOccupied, nextOccupied, slotOffset } from './hashindex'
import { flagsOf, isLive, hasTtl, expiryOf, queueOf, entryBytes } from './entry'
import { removeEntry, bump } from './queues'

/** Buckets examined after each write while TTLs are in use: 16 slots, about one or two cache lines. */
const BUCKETS_PER_WRITE: u32 = 2

/** Removes the expired entries indexed in buckets [from, to) of a shard. Returns how many. */
function reclaimBuckets(sb: u32, from: u32, to: u32, now: f64): u32 {
  let n: u32 = 0
  for (let slot = firstOccupied(sb, from, to); slot != 0; slot = nextOccupied(sb, slot, to)) {
    const off = slotOffset(slot)
    const flags = flagsOf(sb, off)
    if (isLive(flags) && hasTtl(flags) && expiryOf(sb, off) <= now) {
      removeEntry(sb, off, queueOf(flags), entryBytes(sb, off), slot)
      bump(sb, L.SHARD_EXPIRATIONS)
      n++
    }
  }
  return n
}

/** Incremental reclamation: a couple of buckets per write, under the lock the write holds. */
export function reclaimSome(sb: u32, now: f64): void {
  let cursor = load<u32>(sb + L.SHARD_TTL_CURSOR)
  for (let i: u32 = 0; i < BUCKETS_PER_WRITE; i++) {
    if (cursor >= indexBuckets) cursor = 0
    reclaimBuckets(sb, cursor, cursor + 1, now)
    cursor++
  }
  store<u32>(sb + L.SHARD_TTL_CURSOR, cursor)
}

/** Removes every expired entry of a shard (an explicit purgeStale() call). Returns how many. */
export function reclaimAll(sb: u32, now: f64): u32 {
  return reclaimBuckets(sb, 0, indexBuckets, now)
}
