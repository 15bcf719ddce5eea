//! Port of assembly/room.ts: making room for a write. The policy evicts, entry by entry, until the
//! shard is under its count bounds and the target queue can append. Called only under the shard lock.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::*;

/// Segments kept free for moves during eviction, so a hot tail can be moved rather than dropped.
const MOVE_RESERVE: u32 = 1;

impl Engine {
    /// Evicts until queue q can append `size` bytes and, when `adding` a key, until the shard and the
    /// whole cache may hold one more entry (reserving the new entry's place in the global count by
    /// CAS). False when there is no way to make room (then nothing was reserved).
    pub unsafe fn ensure_room(&mut self, sb: *mut u8, q: u32, size: u32, adding: bool, now: f64) -> bool {
        // Only a new key enters the window; a rewritten one keeps its queue.
        let incoming = if adding { size } else { 0 };
        if adding {
            while ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) >= self.max_entries_per_shard {
                if !self.policy_evict_one(sb, incoming, now) {
                    return false;
                }
            }
        }
        // Dead tail segments come back for free before anything live is evicted for bytes.
        if !self.head_fits(sb, q, size) && self.free_count(sb) <= MOVE_RESERVE {
            self.reclaim_dead_tails(sb);
        }
        while !self.head_fits(sb, q, size) && self.free_count(sb) <= MOVE_RESERVE {
            if !self.policy_evict_one(sb, incoming, now) {
                break;
            }
        }
        if !self.head_fits(sb, q, size) && self.free_count(sb) == 0 {
            return false;
        }
        if adding && self.max_entries_total != 0 {
            let total = ai32(self.at(L::ARENA_LIVE_TOTAL));
            loop {
                let n = total.load(SeqCst);
                if (n as u32) < self.max_entries_total {
                    if total.compare_exchange(n, n + 1, SeqCst, SeqCst).is_ok() {
                        break;
                    }
                    continue;
                }
                if !self.policy_evict_one(sb, incoming, now) {
                    return false;
                }
            }
        }
        true
    }
}
