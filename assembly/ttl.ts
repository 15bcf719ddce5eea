// Expiry. Reads never return an expired entry (read.ts checks the deadline); the bytes of expired
// entries come back three ways, none of which stops the world: at a queue's tail during eviction, a
// few index buckets at a time after each write (a cursor sweeping the index), and on demand per shard.
import * as L from './layout.generated'
import { indexBuckets } from './arena'
import { bucketAddr } from './hashindex'
import { flagsOf, isLive, hasTtl, expiryOf, queueOf, entryBytes } from './entry'
import { removeEntry, bump } from './queues'

/** Buckets examined after each write while TTLs are in use: 16 slots, about one or two cache lines. */
const BUCKETS_PER_WRITE: u32 = 2

function reclaimBucket(sb: u32, b: u32, now: f64): u32 {
  const base = bucketAddr(sb, b)
  let n: u32 = 0
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * L.SLOT_BYTES
    const off = load<u32>(slot, 4)
    if (off == 0) continue
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
    reclaimBucket(sb, cursor, now)
    cursor++
  }
  store<u32>(sb + L.SHARD_TTL_CURSOR, cursor)
}

/** Removes every expired entry of a shard (an explicit purgeStale() call). Returns how many. */
export function reclaimAll(sb: u32, now: f64): u32 {
  let n: u32 = 0
  for (let b: u32 = 0; b < indexBuckets; b++) n += reclaimBucket(sb, b, now)
  return n
}
