//! Port of assembly/hashindex.ts: the per-shard hash index. Buckets of 8 slots (one 64-byte cache
//! line), two candidate buckets per key, so a lookup reads at most 16 slots. A slot is
//! [meta u32 = tag | 2-bit frequency][entry offset u32]; offset 0 means empty.
//!
//! Writers change slots only under the shard lock. Lock-free readers may see a slot mid-change; they
//! validate the shard's sequence number afterwards, and bump the frequency bits only with a CAS so a
//! reader can never overwrite what a writer stored.
use crate::arena::Engine;
use crate::entry::{key_len_of, key_ptr};
use crate::hash::{fast_range, hash_bytes, rehash};
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::*;

const TAG_MASK: u32 = !L::SLOT_FREQ_MASK;

/// A slot's address (0 = none, as in the WebAssembly engine).
pub type Slot = *mut u8;

#[inline(always)]
unsafe fn meta(slot: Slot) -> u32 {
    au32(slot).load(Relaxed)
}
#[inline(always)]
pub unsafe fn slot_offset(slot: Slot) -> u32 {
    au32(slot.add(4)).load(Relaxed)
}
#[inline(always)]
pub unsafe fn slot_freq(slot: Slot) -> u32 {
    meta(slot) & L::SLOT_FREQ_MASK
}

/// A hit: saturating increment of the slot's frequency, lossy under contention, never clobbering.
/// Returns the frequency before this hit (LATE_HIT's first hit in probation: read.rs), from the load it
/// makes anyway.
#[inline(always)]
pub unsafe fn touch(slot: Slot) -> u32 {
    let m = au32(slot).load(SeqCst);
    let f = m & L::SLOT_FREQ_MASK;
    if f < L::SLOT_FREQ_MASK {
        let _ = au32(slot).compare_exchange(m, m + 1, SeqCst, Relaxed);
    }
    f
}

/// `times` hits at once (a front's batched hits): the frequency `times` calls of touch would leave,
/// min(max, freq + times), in one CAS (lossy under contention, as touch, never clobbering).
#[inline(always)]
pub unsafe fn touch_times(slot: Slot, times: u32) {
    let m = au32(slot).load(SeqCst);
    let room = L::SLOT_FREQ_MASK - (m & L::SLOT_FREQ_MASK);
    if room != 0 {
        let _ = au32(slot).compare_exchange(m, m + times.min(room), SeqCst, Relaxed);
    }
}

/// Points a slot at an entry's new copy, keeping the slot's tag (whatever key is located now).
pub unsafe fn republish(slot: Slot, off: u32, freq: u32) {
    au32(slot.add(4)).store(off, SeqCst);
    au32(slot).store((meta(slot) & TAG_MASK) | (freq & L::SLOT_FREQ_MASK), SeqCst);
}

/// A key's tag in its index slot: never zero (bit 2 set), so an empty slot can't match.
#[inline(always)]
pub fn tag_of(h: u64) -> u32 {
    (rehash(h) as u32 & TAG_MASK) | 4
}

/// True when `slot` points at `off` and carries the tag of hash h (so it is that key's slot).
pub unsafe fn slot_is_for(slot: Slot, off: u32, h: u64) -> bool {
    slot_offset(slot) == off && meta(slot) & TAG_MASK == tag_of(h)
}

pub unsafe fn clear_slot(slot: Slot) {
    au32(slot.add(4)).store(0, SeqCst);
    au32(slot).store(0, SeqCst);
}

/// The first occupied slot (a nonzero offset) at `slot` or after it and before `end`, or null. The one
/// walk over a shard's index, as assembly/hashindex.ts occupiedFrom: a cursor rather than a callback,
/// because the WebAssembly engine would pay an indirect call per slot (the TTL sweep walks two buckets
/// after every write while TTLs are in use), and the engines walk alike.
#[inline(always)]
unsafe fn occupied_from(mut slot: Slot, end: Slot) -> Slot {
    while slot < end {
        if slot_offset(slot) != 0 {
            return slot;
        }
        slot = slot.add(L::SLOT_BYTES as usize);
    }
    std::ptr::null_mut()
}

/// The occupied slots of a run of buckets, in index order (Engine::occupied_slots). It reads each slot
/// when it reaches it, so the caller may clear the slot it is on (removal) and go on; it borrows
/// nothing from the Engine, so the loop's body may change it. A lock-free caller must still check the
/// offset it loads: a writer may have emptied the slot since.
pub struct OccupiedSlots {
    next: Slot,
    end: Slot,
}

impl Iterator for OccupiedSlots {
    type Item = Slot;
    #[inline(always)]
    fn next(&mut self) -> Option<Slot> {
        // Safety: occupied_slots() bounded the walk to one shard's index.
        let slot = unsafe { occupied_from(self.next, self.end) };
        if slot.is_null() {
            self.next = self.end;
            return None;
        }
        self.next = unsafe { slot.add(L::SLOT_BYTES as usize) };
        Some(slot)
    }
}

impl Engine {
    /// The occupied slots of buckets [from, to) of the shard at `sb` (assembly/hashindex.ts
    /// firstOccupied / nextOccupied). A `from` past `to` walks nothing.
    ///
    /// # Safety
    /// `sb` is a shard's base and `to` <= index_buckets; the index must stay mapped during the walk.
    #[inline(always)]
    pub unsafe fn occupied_slots(&self, sb: *mut u8, from: u32, to: u32) -> OccupiedSlots {
        OccupiedSlots { next: self.bucket_addr(sb, from.min(to)), end: self.bucket_addr(sb, to) }
    }

    #[inline(always)]
    pub fn locate(&mut self, h: u64) {
        self.bucket1 = fast_range(h as u32, self.index_buckets);
        let x = rehash(h);
        let mut b2 = fast_range((x >> 32) as u32, self.index_buckets);
        if b2 == self.bucket1 {
            b2 = if self.bucket1 + 1 == self.index_buckets { 0 } else { self.bucket1 + 1 };
        }
        self.bucket2 = b2;
        self.tag = tag_of(h);
    }

    /// A slot as the WebAssembly engine writes it into shard memory: its arena offset, as a u32 (0 for
    /// none). An arena beyond 4 GiB keeps the low 32 bits, which slot_at() resolves within the shard.
    pub fn slot_word(&self, _sb: *mut u8, slot: Slot) -> u32 {
        if slot.is_null() {
            0
        } else {
            unsafe { slot.offset_from(self.base) as u64 as u32 }
        }
    }

    /// The slot a word written by slot_word() names, or null when it names no slot of this shard's index.
    pub fn slot_at(&self, sb: *mut u8, word: u32) -> Slot {
        if word == 0 {
            return std::ptr::null_mut();
        }
        let shard_off = unsafe { sb.offset_from(self.base) } as u64 as u32;
        let rel = word.wrapping_sub(shard_off);
        let index_end = self.index_offset as u64 + self.index_buckets as u64 * L::BUCKET_BYTES as u64;
        if rel < self.index_offset || rel as u64 >= index_end || (rel - self.index_offset) % L::SLOT_BYTES != 0 {
            return std::ptr::null_mut();
        }
        unsafe { sb.add(rel as usize) }
    }

    /// Saves the located key's place, so other lookups (eviction) can run in between.
    pub fn save_location(&mut self) {
        self.saved_tag = self.tag;
        self.saved_bucket1 = self.bucket1;
        self.saved_bucket2 = self.bucket2;
    }

    pub fn restore_location(&mut self) {
        self.tag = self.saved_tag;
        self.bucket1 = self.saved_bucket1;
        self.bucket2 = self.saved_bucket2;
    }

    /// True while `slot` still holds the located key (its tag, a live offset).
    pub unsafe fn slot_still_holds(&self, slot: Slot) -> bool {
        slot_offset(slot) != 0 && meta(slot) & TAG_MASK == self.tag
    }

    #[inline(always)]
    pub fn bucket_addr(&self, sb: *mut u8, b: u32) -> *mut u8 {
        unsafe { sb.add(self.index_offset as usize + b as usize * L::BUCKET_BYTES as usize) }
    }

    #[inline(always)]
    unsafe fn find_in(&self, sb: *mut u8, bucket: u32, key: *const u8, key_len: u32) -> Slot {
        let base = self.bucket_addr(sb, bucket);
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add((i * L::SLOT_BYTES) as usize);
            if meta(slot) & TAG_MASK == self.tag {
                let off = slot_offset(slot);
                if self.in_bounds(off) && self.key_equals(sb, off, key, key_len) {
                    return slot;
                }
            }
        }
        std::ptr::null_mut()
    }

    /// The slot holding `key` (call locate() first), or null.
    #[inline(always)]
    pub unsafe fn find_slot(&self, sb: *mut u8, key: *const u8, key_len: u32) -> Slot {
        let s = self.find_in(sb, self.bucket1, key, key_len);
        if !s.is_null() {
            s
        } else {
            self.find_in(sb, self.bucket2, key, key_len)
        }
    }

    unsafe fn empty_in(&self, sb: *mut u8, bucket: u32) -> Slot {
        let base = self.bucket_addr(sb, bucket);
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add((i * L::SLOT_BYTES) as usize);
            if slot_offset(slot) == 0 {
                return slot;
            }
        }
        std::ptr::null_mut()
    }

    /// A free slot for the located key: in its first bucket if possible, else its second; when both
    /// are full, one cuckoo step moves a resident of either bucket to that resident's other bucket.
    /// Null only when all 16 residents' other buckets are full too.
    pub unsafe fn empty_slot(&mut self, sb: *mut u8) -> Slot {
        let mut s = self.empty_in(sb, self.bucket1);
        if !s.is_null() {
            return s;
        }
        s = self.empty_in(sb, self.bucket2);
        if !s.is_null() {
            return s;
        }
        let (t, b1, b2) = (self.tag, self.bucket1, self.bucket2);
        s = self.relocate_from(sb, b1);
        if s.is_null() {
            s = self.relocate_from(sb, b2);
        }
        self.tag = t;
        self.bucket1 = b1;
        self.bucket2 = b2;
        s
    }

    /// Moves one resident of a full bucket to its alternative bucket; returns the slot it freed.
    unsafe fn relocate_from(&mut self, sb: *mut u8, bucket: u32) -> Slot {
        let base = self.bucket_addr(sb, bucket);
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add((i * L::SLOT_BYTES) as usize);
            let off = slot_offset(slot);
            self.locate(hash_bytes(self.seed, key_ptr(sb, off), key_len_of(sb, off)));
            let other = if self.bucket1 == bucket { self.bucket2 } else { self.bucket1 };
            let free = self.empty_in(sb, other);
            if !free.is_null() {
                au32(free.add(4)).store(off, SeqCst);
                au32(free).store(meta(slot), SeqCst);
                clear_slot(slot);
                return slot;
            }
        }
        std::ptr::null_mut()
    }

    /// The slot that points at the entry at `off` (call locate() with the entry's hash first), or null.
    pub unsafe fn slot_of(&self, sb: *mut u8, off: u32) -> Slot {
        for pass in 0..2 {
            let base = self.bucket_addr(sb, if pass == 0 { self.bucket1 } else { self.bucket2 });
            for i in 0..L::BUCKET_SLOTS {
                let slot = base.add((i * L::SLOT_BYTES) as usize);
                if slot_offset(slot) == off {
                    return slot;
                }
            }
        }
        std::ptr::null_mut()
    }

    /// Publishes an entry in a slot: offset first, then the tag, so a reader matching the tag sees the offset.
    pub unsafe fn publish(&self, slot: Slot, off: u32, freq: u32) {
        au32(slot.add(4)).store(off, SeqCst);
        au32(slot).store(self.tag | (freq & L::SLOT_FREQ_MASK), SeqCst);
    }

    /// Clears the whole index of a shard (clear(), recovery).
    pub unsafe fn clear_index(&self, sb: *mut u8) {
        fill(sb.add(self.index_offset as usize), 0, self.index_buckets as u64 * L::BUCKET_BYTES as u64);
    }
}
