//! Port of assembly/ttl.ts: expiry. Reads never return an expired entry (read.rs checks the
//! deadline); the bytes of expired entries come back at a queue's tail during eviction, a few index
//! buckets at a time after each write, and on demand per shard.
use crate::arena::Engine;
use crate::entry::*;
use crate::queues::bump;
use crate::hashindex::slot_offset;
use crate::layout_generated as L;
use crate::mem::*;

/// Buckets examined after each write while TTLs are in use.
const BUCKETS_PER_WRITE: u32 = 2;

impl Engine {
    /// Removes the expired entries indexed in buckets [from, to) of a shard. Returns how many.
    unsafe fn reclaim_buckets(&self, sb: *mut u8, from: u32, to: u32, now: f64) -> u32 {
        let mut n: u32 = 0;
        for slot in self.occupied_slots(sb, from, to) {
            let off = slot_offset(slot);
            let flags = flags_of(sb, off);
            if is_live(flags) && has_ttl(flags) && expiry_of(sb, off) <= now {
                self.remove_entry(sb, off, queue_of(flags), entry_bytes(sb, off), slot);
                bump(sb, L::SHARD_EXPIRATIONS);
                n += 1;
            }
        }
        n
    }

    /// Incremental reclamation: a couple of buckets per write, under the lock the write holds.
    pub unsafe fn reclaim_some(&self, sb: *mut u8, now: f64) {
        let mut cursor = ld32(sb.add(L::SHARD_TTL_CURSOR as usize));
        for _ in 0..BUCKETS_PER_WRITE {
            if cursor >= self.index_buckets {
                cursor = 0;
            }
            self.reclaim_buckets(sb, cursor, cursor + 1, now);
            cursor += 1;
        }
        st32(sb.add(L::SHARD_TTL_CURSOR as usize), cursor);
    }

    /// Removes every expired entry of a shard (an explicit purgeStale() call). Returns how many.
    pub unsafe fn reclaim_all(&self, sb: *mut u8, now: f64) -> u32 {
        self.reclaim_buckets(sb, 0, self.index_buckets, now)
    }
}
