//! Port of assembly/evict.ts: making room. Walk queue tails, letting the policy evict or move each
//! entry, until the shard is under its count bound and the target queue can append. Called only under
//! the shard lock.
use crate::arena::Engine;
use crate::entry::*;
use crate::hash::hash_bytes;
use crate::hashindex::{clear_slot, slot_freq, Slot};
use crate::layout_generated as L;
use crate::mem::*;
use crate::policy::EVICT;
use std::sync::atomic::Ordering::*;

/// Segments kept free for moves during eviction, so a hot tail can be moved rather than dropped.
const MOVE_RESERVE: u32 = 1;
/// After this many moves in a row the next tail entry is evicted whatever the policy says.
const MAX_CONSECUTIVE_MOVES: u32 = 64;

pub unsafe fn bump(sb: *mut u8, field: u32) {
    let p = sb.add(field as usize);
    st64(p, ld64(p).wrapping_add(1));
}

impl Engine {
    /// Drops the LIVE entry at `off` (queue q, `size` bytes) and its index slot: it leaves the cache.
    pub unsafe fn remove_entry(&self, sb: *mut u8, off: u32, q: u32, size: u32, slot: Slot) {
        if !slot.is_null() {
            clear_slot(slot);
        }
        set_flags(sb, off, flags_of(sb, off) & !L::ENTRY_LIVE);
        self.remove_live(sb, off, q, size);
        self.count_globally(-1);
    }

    /// Copies a LIVE entry to the head of queue `dst`; false when there is no room to do so.
    unsafe fn move_entry(&self, sb: *mut u8, off: u32, q: u32, size: u32, dst: u32, slot: Slot) -> bool {
        let to = self.reserve_append(sb, dst, size, true);
        if to == 0 {
            return false;
        }
        copy(sb.add(to as usize), sb.add(off as usize), size);
        set_queue(sb, to, dst);
        self.commit_append(sb, to, size);
        // Point the index at the copy before the original stops being LIVE: a crash in between leaves
        // two LIVE copies, and recovery keeps the newer.
        if !slot.is_null() {
            let f = slot_freq(slot);
            self.publish(slot, to, f);
        }
        set_flags(sb, off, flags_of(sb, off) & !L::ENTRY_LIVE);
        self.remove_live(sb, off, q, size);
        self.add_live(sb, to, dst, size);
        true
    }

    /// Processes one entry at a queue tail. Returns 1 when an entry left the cache, 0 on other progress
    /// (a dead entry skipped, an entry moved), -1 when every queue is empty.
    pub unsafe fn evict_step(&mut self, sb: *mut u8, now: f64) -> i32 {
        let mut q = self.victim_queue(sb);
        let mut off = self.tail_entry(sb, q);
        if off == 0 {
            let mut other = 0;
            while other < L::NUM_QUEUES && off == 0 {
                if other != q {
                    off = self.tail_entry(sb, other);
                    if off != 0 {
                        q = other;
                    }
                }
                other += 1;
            }
            if off == 0 {
                return -1;
            }
        }
        let flags = flags_of(sb, off);
        let size = entry_bytes(sb, off);
        if !is_live(flags) {
            self.advance_tail(sb, q, size);
            return 0;
        }
        let h = hash_bytes(self.seed, key_ptr(sb, off), key_len_of(sb, off));
        self.locate(h);
        let slot = self.slot_of(sb, off);
        if has_ttl(flags) && expiry_of(sb, off) <= now {
            self.remove_entry(sb, off, q, size, slot);
            self.advance_tail(sb, q, size);
            bump(sb, L::SHARD_EXPIRATIONS);
            return 1;
        }
        // A LIVE entry is always indexed; should the index ever have lost it, it is simply evicted.
        let mut decision = if self.consecutive_moves >= MAX_CONSECUTIVE_MOVES || slot.is_null() {
            EVICT
        } else {
            self.decide_tail(sb, q, slot, h, size)
        };
        if decision != EVICT {
            // The move may take a fresh segment; the index state still describes this entry.
            if self.move_entry(sb, off, q, size, decision, slot) {
                self.advance_tail(sb, q, size);
                self.consecutive_moves += 1;
                return 0;
            }
            decision = EVICT;
        }
        let _ = decision;
        self.remove_entry(sb, off, q, size, slot);
        self.advance_tail(sb, q, size);
        bump(sb, L::SHARD_EVICTIONS);
        self.on_evict(sb, q, h);
        self.consecutive_moves = 0;
        1
    }

    /// Evicts until queue q can append `size` bytes and, when `adding` a key, until the shard and the
    /// whole cache may hold one more entry (reserving the new entry's place in the global count by CAS).
    /// False when there is no way to make room; then nothing was reserved.
    pub unsafe fn ensure_room(&mut self, sb: *mut u8, q: u32, size: u32, adding: bool, now: f64) -> bool {
        self.consecutive_moves = 0;
        if adding {
            while ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) >= self.max_entries_per_shard {
                if self.evict_step(sb, now) < 0 {
                    return false;
                }
            }
        }
        // Dead tail segments come back for free before anything live is evicted for bytes.
        if !self.head_fits(sb, q, size) && self.free_count(sb) <= MOVE_RESERVE {
            self.reclaim_dead_tails(sb);
        }
        while !self.head_fits(sb, q, size) && self.free_count(sb) <= MOVE_RESERVE {
            if self.evict_step(sb, now) < 0 {
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
                if self.evict_step(sb, now) < 0 {
                    return false;
                }
            }
        }
        true
    }
}
