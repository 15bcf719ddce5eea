//! Port of assembly/room.ts: making room for a write. The policy evicts, entry by entry, until the
//! shard is under its count bounds and the target queue can append. Called only under the shard lock.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::*;

/// Segments kept free for moves during eviction, so a hot tail can be moved rather than dropped.
const MOVE_RESERVE: u32 = 1;

impl Engine {
    /// Free segments missing for an append of `size` bytes to queue q plus `chain` whole segments (a
    /// LARGE entry's value), keeping `reserve` segments spare.
    #[inline(always)]
    unsafe fn short(&self, sb: *mut u8, q: u32, size: u32, chain: u32, reserve: u32) -> bool {
        let need = chain + if self.head_fits(sb, q, size) { 0 } else { 1 };
        need != 0 && self.free_count(sb) < need + reserve
    }

    /// Evicts until queue q can append `size` bytes and `chain` free segments remain for a LARGE
    /// entry's value and, when `adding` a key, until the shard and the whole cache may hold one more
    /// entry (whose cost to the policy is `cost`; reserving its place in the global count by CAS).
    /// False when there is no way to make room (then nothing was reserved).
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn ensure_room(&mut self, sb: *mut u8, q: u32, size: u32, adding: bool, now: f64, chain: u32, cost: u32) -> bool {
        // Only a new key enters the window; a rewritten one keeps its queue, and a write-back the policy
        // sends to probation takes its room from main's victims, not from the window's tail.
        let incoming = if adding && q != L::QUEUE_PROBATION { cost } else { 0 };
        if adding {
            while ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) >= self.max_entries_per_shard {
                if !self.policy_evict_one(sb, incoming, now) {
                    return false;
                }
            }
        }
        // Dead tail segments come back for free before anything live is evicted for bytes.
        if self.short(sb, q, size, chain, MOVE_RESERVE) {
            self.reclaim_dead_tails(sb);
        }
        while self.short(sb, q, size, chain, MOVE_RESERVE) {
            if !self.policy_evict_one(sb, incoming, now) {
                break;
            }
        }
        if self.short(sb, q, size, chain, 0) {
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
