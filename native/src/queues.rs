//! Port of assembly/queues.ts: what a replacement policy may do to the queues, and nothing more: look
//! at a queue's tail (dead entries are skipped and expired ones reclaimed on the way), move the tail
//! entry to the head of a queue, or evict it. Everything runs under the shard lock.
//!
//! live_tail() leaves the tail entry's description in the engine's `tail_*` fields for the policy to
//! read; move_tail/evict_tail act on that entry.
use crate::arena::Engine;
use crate::entry::*;
use crate::hash::hash_bytes;
use crate::hashindex::{clear_slot, republish, slot_freq, slot_is_for, Slot};
use crate::layout_generated as L;
use crate::mem::*;

const MEMO_STRIDE: u32 = L::SHARD_Q1_MEMO_OFF - L::SHARD_Q0_MEMO_OFF;
const MEMO_SLOT: u32 = L::SHARD_Q0_MEMO_SLOT - L::SHARD_Q0_MEMO_OFF;
const MEMO_HASH: u32 = L::SHARD_Q0_MEMO_HASH - L::SHARD_Q0_MEMO_OFF;

/// One saved tail description, so a policy can look at other queues and come back.
#[derive(Default, Clone, Copy)]
pub struct SavedTail {
    off: u32,
    size: u32,
    cost: u32,
    slot: usize,
    hash: u64,
}

pub unsafe fn bump(sb: *mut u8, field: u32) {
    let p = sb.add(field as usize);
    st64(p, ld64(p).wrapping_add(1));
}

impl Engine {
    /// Drops the LIVE entry at `off` (queue q, `size` bytes in its segment) and its index slot: it
    /// leaves the cache, and a LARGE entry's chained segments go back to the free list.
    pub unsafe fn remove_entry(&self, sb: *mut u8, off: u32, q: u32, size: u32, slot: Slot) {
        if !slot.is_null() {
            clear_slot(slot);
        }
        let flags = flags_of(sb, off);
        self.kill_entry(sb, off);
        self.remove_live(sb, off, q, size);
        if is_large(flags) {
            self.free_chain_of(sb, off);
        }
        self.count_globally(-1);
    }

    /// Finds the LIVE, unexpired entry at the tail of queue q and describes it in the tail_* fields;
    /// false when the queue holds none. Expired entries met on the way leave as expirations.
    pub unsafe fn live_tail(&mut self, sb: *mut u8, q: u32, now: f64) -> bool {
        loop {
            let off = self.tail_entry(sb, q);
            if off == 0 {
                return false;
            }
            let flags = flags_of(sb, off);
            let size = entry_bytes(sb, off);
            if !is_live(flags) {
                self.advance_tail(sb, q, size);
                continue;
            }
            // The policy often looks at the same tail entry again (a victim that keeps winning): reuse
            // its hash and slot from the queue's memo when the slot still points at it with its tag.
            let memo = sb.add((L::SHARD_Q0_MEMO_OFF + q * MEMO_STRIDE) as usize);
            let h: u64;
            let slot: Slot;
            let memo_slot = self.slot_at(sb, ld32(memo.add(MEMO_SLOT as usize)));
            if ld32(memo) == off && !memo_slot.is_null() && slot_is_for(memo_slot, off, ld64(memo.add(MEMO_HASH as usize))) {
                h = ld64(memo.add(MEMO_HASH as usize));
                slot = memo_slot;
            } else {
                h = hash_bytes(self.seed, key_ptr(sb, off), key_len_of(sb, off));
                // With a sketch (the adaptive policy), the tail's sketch block and ghost bucket are what
                // the policy reads next: start loading them now, alongside the index bucket slot_of reads.
                if self.sketch_blocks != 0 {
                    self.prefetch_policy(sb, h);
                }
                self.locate(h);
                slot = self.slot_of(sb, off);
                st32(memo, off);
                st32(memo.add(MEMO_SLOT as usize), self.slot_word(sb, slot));
                st64(memo.add(MEMO_HASH as usize), h);
            }
            if has_ttl(flags) && expiry_of(sb, off) <= now {
                self.remove_entry(sb, off, q, size, slot);
                self.advance_tail(sb, q, size);
                bump(sb, L::SHARD_EXPIRATIONS);
                continue;
            }
            self.tail_off = off;
            self.tail_size = size;
            self.tail_cost = if is_large(flags) { size.wrapping_add(value_len_of(sb, off)).wrapping_sub(L::LARGE_REF_BYTES).wrapping_sub(self.borrowed_bytes(sb, off)) } else { size };
            self.tail_slot = slot as usize;
            self.tail_hash = h;
            return true;
        }
    }

    pub fn save_tail(&mut self) {
        self.saved_tail = SavedTail { off: self.tail_off, size: self.tail_size, cost: self.tail_cost, slot: self.tail_slot, hash: self.tail_hash };
    }

    /// Back to the saved tail entry; valid while nothing was appended to or evicted from its queue.
    pub fn restore_tail(&mut self) {
        let t = self.saved_tail;
        self.tail_off = t.off;
        self.tail_size = t.size;
        self.tail_cost = t.cost;
        self.tail_slot = t.slot;
        self.tail_hash = t.hash;
    }

    /// The tail entry's 2-bit hit counter (0..3).
    pub unsafe fn tail_counter(&self) -> u32 {
        if self.tail_slot != 0 {
            slot_freq(self.tail_slot as Slot)
        } else {
            0
        }
    }

    /// Copies the tail entry of queue q to the head of queue `to` with the given hit counter. False
    /// when no segment is free for it (the caller then evicts instead); the entry is left where it was.
    #[inline(always)]
    pub unsafe fn move_tail(&mut self, sb: *mut u8, q: u32, to: u32, counter: u32) -> bool {
        self.move_tail_flagged(sb, q, to, counter, 0)
    }

    /// move_tail, with `extra` flags on the copy (ENTRY_FREE; any move clears it otherwise).
    pub unsafe fn move_tail_flagged(&mut self, sb: *mut u8, q: u32, to: u32, counter: u32, extra: u32) -> bool {
        let off = self.tail_off;
        let size = self.tail_size;
        let dst = self.reserve_append(sb, to, size, true);
        if dst == 0 {
            return false;
        }
        copy(sb.add(dst as usize), sb.add(off as usize), size);
        set_queue(sb, dst, to, extra);
        self.commit_append(sb, dst, size);
        // The index moves to the copy before the original stops being LIVE: a crash in between leaves
        // two LIVE copies, and recovery keeps the newer.
        if self.tail_slot != 0 {
            republish(self.tail_slot as Slot, dst, counter);
        }
        self.kill_entry(sb, off);
        self.remove_live(sb, off, q, size);
        self.add_live(sb, dst, to, size);
        self.advance_tail(sb, q, size);
        true
    }

    /// Evicts the tail entry of queue q (counted as an eviction).
    pub unsafe fn evict_tail(&mut self, sb: *mut u8, q: u32) {
        self.remove_entry(sb, self.tail_off, q, self.tail_size, self.tail_slot as Slot);
        self.advance_tail(sb, q, self.tail_size);
        bump(sb, L::SHARD_EVICTIONS);
    }
}
