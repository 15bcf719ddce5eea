//! Port of assembly/read.ts: lock-free reads. A reader samples the shard's sequence, looks the key up
//! and reports where the value is; the JS side copies the value out and checks the sequence again
//! (seqlock). Nothing here trusts a length or offset read from memory without a bounds check, because a
//! writer (in this process or another) may be reusing it.
use crate::arena::Engine;
use crate::entry::*;
use crate::hash::{fast_range, hash_bytes};
use crate::hashindex::{slot_is_for, slot_offset, touch, touch_times};
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::{fence, Ordering::*};

const ATTEMPTS: i32 = 32;

impl Engine {
    /// Hash of the key at `key`; also picks its shard (left in `last_shard`) and locates its buckets.
    #[inline(always)]
    pub unsafe fn prepare_key(&mut self, key: *const u8, key_len: u32) -> u64 {
        let h = hash_bytes(self.seed, key, key_len);
        self.prepare_hash(h);
        h
    }

    /// prepare_key() for a hash computed already.
    #[inline(always)]
    pub unsafe fn prepare_hash(&mut self, h: u64) {
        self.last_shard = fast_range((h >> 32) as u32, self.shard_count);
        self.locate(h);
        st32(self.result(L::RESULT_SHARD), self.last_shard);
    }

    /// Looks up the key at `key`. HIT leaves the value's place in RESULT; MISS, EXPIRED (the caller may
    /// then remove it under the lock), NEED_CLOCK (the entry has a TTL and `now` < 0) or BUSY (a writer
    /// kept the shard busy; take the locked path). `batch` says which staging region a copied value
    /// goes to when JS can't see the shard (view.rs).
    pub unsafe fn lookup(&mut self, key: *const u8, key_len: u32, now: f64, flags: u32, batch: bool) -> u32 {
        let h = hash_bytes(self.seed, key, key_len);
        self.lookup_hashed(h, key, key_len, now, flags, batch)
    }

    /// lookup() of a key whose hash is known.
    #[inline(always)]
    pub unsafe fn lookup_hashed(&mut self, h: u64, key: *const u8, key_len: u32, now: f64, flags: u32, batch: bool) -> u32 {
        self.prepare_hash(h);
        let shard = self.last_shard;
        let sb = self.shard_base(shard);
        // Start loading the key's sketch block now: it doesn't depend on the index, so its cache miss
        // overlaps the bucket's instead of following the entry's. A hit counts in it (its address is
        // computed once).
        let block = if flags & L::GET_PEEK == 0 { self.sketch_block_of(sb, h) } else { std::ptr::null_mut() };
        if !block.is_null() {
            crate::prefetch::prefetch(block);
        }
        let seq = au32(sb.add(L::SHARD_SEQ as usize));
        st32(self.result(L::RESULT_SEQ_INDEX), self.seq_index(shard));
        // Under the shard lock (GET_LOCKED) nothing can move: one pass, no sequence checks.
        let locked = flags & L::GET_LOCKED != 0;
        let moved = |s1: u32| -> bool {
            fence(Acquire);
            seq.load(Relaxed) != s1
        };
        for _ in 0..ATTEMPTS {
            let s1 = if locked { 0 } else { seq.load(Acquire) };
            if !locked && s1 & 1 != 0 {
                std::hint::spin_loop();
                continue;
            }
            let slot = self.find_slot(sb, key, key_len);
            if slot.is_null() {
                if !locked && moved(s1) {
                    continue;
                }
                // A miss doesn't count for frequency here: the set that usually follows counts it once.
                // It is evidence for the window's size, though.
                if flags & L::GET_PEEK == 0 {
                    self.policy_on_miss(sb, h);
                }
                return L::STATUS_MISS;
            }
            let off = slot_offset(slot);
            let fl = flags_of(sb, off);
            let vlen = value_len_of(sb, off);
            let klen = key_len_of(sb, off);
            let vstart = off as u64 + header_bytes(fl) as u64 + klen as u64;
            // A LARGE entry's record holds a reference where the value would be: its chain's first segment.
            let large = fl & L::ENTRY_LARGE != 0;
            let inline = if large { L::LARGE_REF_BYTES } else { vlen };
            if !is_live(fl) || !self.in_bounds(off) || vstart + inline as u64 > self.shard_bytes as u64 {
                if !locked && moved(s1) {
                    continue;
                }
                return L::STATUS_MISS;
            }
            let mut expiry = f64::INFINITY;
            if has_ttl(fl) {
                if now < 0.0 {
                    return L::STATUS_NEED_CLOCK;
                }
                expiry = expiry_of(sb, off);
                if expiry <= now {
                    if !locked && moved(s1) {
                        continue;
                    }
                    return L::STATUS_EXPIRED;
                }
            }
            let mut value_at = sb.add(vstart as usize);
            let mut kind = kind_of(sb, off);
            let at;
            if !large {
                let Some(a) = self.expose(value_at, vlen, batch) else {
                    return L::STATUS_BUSY;
                };
                at = a;
            } else {
                let first = ld32(value_at);
                if !self.gid_valid(first) {
                    if !locked && moved(s1) {
                        continue;
                    }
                    return L::STATUS_MISS;
                }
                kind |= L::KIND_CHAINED;
                if self.view.direct {
                    // JS walks the chain itself (src/engine/large.ts).
                    value_at = self.gid_data(first);
                    at = value_at.offset_from(self.base) as u32;
                } else {
                    // Through a window JS can't see segments: it has the chain copied straight into a
                    // buffer of its own by copyChain (view.rs), named by its first segment's global id.
                    at = first;
                }
            }
            st32(self.result(L::RESULT_VALUE_OFFSET), at);
            st32(self.result(L::RESULT_VALUE_LEN), vlen);
            st32(self.result(L::RESULT_KIND), kind);
            st32(self.result(L::RESULT_SEQ), s1);
            st32(self.result(L::RESULT_ENTRY_OFFSET), self.entry_offset(sb, off));
            stf64(self.result(L::RESULT_EXPIRY), expiry);
            st64(self.result(L::RESULT_HASH), h);
            if flags & L::GET_PEEK == 0 {
                // LATE_HIT: whether this is the entry's first hit in probation (touch returns the slot's
                // counter before this hit).
                let before = touch(slot);
                let q = queue_of(fl);
                self.policy_on_hit(sb, h, block, before == 0 && q == L::QUEUE_PROBATION, q == L::QUEUE_WINDOW);
            }
            return L::STATUS_HIT;
        }
        L::STATUS_BUSY
    }

    /// Lists the LIVE, unexpired entries indexed in buckets [from, from + count) of a shard: their
    /// offsets in JS's view go to `out` (u32 each, at most `max`). Returns how many; RESULT.seq holds
    /// the sequence seen at the start (the caller validates it after reading the entries). Returns
    /// COUNT_BUSY when busy.
    pub unsafe fn collect(&mut self, shard: u32, from: u32, count: u32, out: *mut u8, max: u32, now: f64) -> u32 {
        let sb = self.shard_base(shard);
        let s1 = au32(sb.add(L::SHARD_SEQ as usize)).load(Acquire);
        // Odd: a writer is inside, unless the writer is this thread, listing the shard under its lock.
        if s1 & 1 != 0 && ai32(sb.add(L::SHARD_LOCK as usize)).load(Acquire) != self.thread_id as i32 {
            return L::COUNT_BUSY;
        }
        st32(self.result(L::RESULT_SEQ), s1);
        st32(self.result(L::RESULT_SEQ_INDEX), self.seq_index(shard));
        self.begin_batch();
        let mut n: u32 = 0;
        let end = std::cmp::min(from.saturating_add(count), self.index_buckets);
        for slot in self.occupied_slots(sb, from, end) {
            // Loaded again, not trusted from the walk: a writer may have emptied or reused the slot since.
            let off = slot_offset(slot);
            if off == 0 || !self.in_bounds(off) || !self.span_in_bounds(sb, off) {
                continue;
            }
            let fl = flags_of(sb, off);
            if !is_live(fl) {
                continue;
            }
            if has_ttl(fl) && now >= 0.0 && expiry_of(sb, off) <= now {
                continue;
            }
            if n < max {
                // The whole entry (header, key, value) must be visible to JS; of a LARGE entry its
                // record (in window mode JS has its chain copied out by copyChain).
                let inline = if fl & L::ENTRY_LARGE != 0 { L::LARGE_REF_BYTES } else { value_len_of(sb, off) };
                let size = header_bytes(fl) as u64 + key_len_of(sb, off) as u64 + inline as u64;
                match self.expose(sb.add(off as usize), size as u32, true) {
                    Some(at) => st32(out.add(n as usize * 4), at),
                    None => continue,
                }
            }
            n += 1;
        }
        n
    }

    /// Port of recordAccesses (assembly/read.ts): front hits recorded as hits, `count` records of
    /// [entry offset in JS's view u32, uses u32, the key's hash u64] at `input`. Only the direct view has
    /// offsets JS can hold (the window mode never fronts). The slot that holds the recorded offset under
    /// the hash's tag is found without reading the entry; a moved or rewritten entry's hits go to the
    /// key's current entry if the bytes at the recorded offset still hash to the record's hash.
    pub unsafe fn record_accesses(&mut self, count: u32, input: *const u8) -> u32 {
        if !self.view.direct {
            return 0;
        }
        let mut recorded: u32 = 0;
        for i in 0..count {
            let at = input.add((i * L::ACCESS_RECORD_BYTES) as usize);
            let addr = ld32(at) as u64;
            let uses = ld32(at.add(4));
            let h = ld64(at.add(8));
            // The shard is the hash's: an offset outside it is no entry of this key's.
            let shard = fast_range((h >> 32) as u32, self.shard_count);
            let shard_at = self.shards_offset + shard as u64 * self.shard_bytes as u64;
            if addr < shard_at || addr - shard_at >= self.shard_bytes as u64 {
                continue;
            }
            let sb = self.shard_base(shard);
            let off = (addr - shard_at) as u32;
            if !self.in_bounds(off) {
                continue;
            }
            self.locate(h);
            let mut slot = self.slot_of(sb, off);
            if slot.is_null() || !slot_is_for(slot, off, h) {
                // Moved or rewritten since (or gone): the key at the recorded offset, if it still hashes to h.
                if !self.span_in_bounds(sb, off) {
                    continue;
                }
                let key = sb.add((off + header_bytes(flags_of(sb, off))) as usize);
                let key_len = key_len_of(sb, off);
                if hash_bytes(self.seed, key, key_len) != h {
                    continue;
                }
                slot = self.find_slot(sb, key, key_len);
                if slot.is_null() {
                    continue;
                }
            }
            // What `uses` hits would record, at once: touch and policy_on_hit `uses` times each.
            if uses != 0 {
                touch_times(slot, uses);
                self.policy_on_accesses(sb, h, uses);
            }
            recorded += uses;
        }
        recorded
    }
}
