//! Port of assembly/write.ts: set, delete, clear. Each runs under its shard's lock (taken in ops.rs)
//! and keeps the log recoverable at every step: an entry is complete before it becomes LIVE, and the
//! index moves to a new copy before the old copy stops being LIVE.
use crate::arena::Engine;
use crate::entry::*;
use crate::queues::bump;
use crate::hashindex::{slot_freq, slot_offset, touch, Slot};
use crate::layout_generated as L;
use crate::mem::*;
use crate::policy::REJECT;

impl Engine {
    /// First half of a set, under the lock: decides where the entry goes, evicts for room and writes
    /// header and key. Returns STORED with the value's address in `cur.value_ptr` (RESULT.kind is
    /// KIND_CHAINED when the value goes into a LARGE entry's chain of segments, starting there), or
    /// REJECTED.
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn begin_set(&mut self, sb: *mut u8, h: u64, key: *const u8, key_len: u32, value_len: u32, kind: u32, ttl: f64, now: f64) -> u32 {
        let with_ttl = ttl > 0.0;
        // What the entry costs (the policy's size), and what it takes in its queue's segment: all of it,
        // or for an entry larger than a segment a record, its value going into a chain of segments.
        let size = size_for(with_ttl, key_len, value_len);
        let large = size > self.seg_bytes;
        let record = if large { size_for(with_ttl, key_len, L::LARGE_REF_BYTES) } else { size };
        let slot = self.find_slot(sb, key, key_len);
        let asked_before = slot.is_null() && self.policy_asked_before(sb, h);
        // The policy's work below locates other keys: keep this key's location to come back to.
        self.save_location();
        // (size < value_len: a length so large that the u32 size wrapped; the limit may be 4 GiB - 1.)
        if size < value_len || size > self.max_entry_bytes || record > self.seg_bytes {
            bump(sb, L::SHARD_OVERSIZED);
            return self.refuse(sb, slot, now);
        }
        // A write is an access: it counts for the key's frequency.
        self.policy_on_access(sb, h);
        let expiry = if with_ttl { now + ttl } else { 0.0 };
        self.cur.sb = sb as usize;
        self.cur.with_ttl = with_ttl;
        self.cur.now = now;
        self.cur.size = record;
        self.cur.chain = 0;
        let mut q: i32 = 0;
        // The policy's flags for the new copy: an update keeps the old entry's (ENTRY_UNASKED, ENTRY_TRACER).
        let mut policy_flags: u32 = 0;
        if !slot.is_null() {
            let old = slot_offset(slot);
            let old_flags = flags_of(sb, old);
            // Same footprint: rewrite in place. Lock-free readers racing with it see the sequence move.
            // The entry stops being LIVE until the new bytes are complete: a writer dying halfway
            // leaves a dead entry (the key is lost), never a torn value recovery would keep.
            // A LARGE value of the same length is rewritten in place too, over its own chain (same
            // cost, same segments); a writer dying halfway leaves the record dead and recovery frees it.
            let same_small = entry_bytes(sb, old) == size && !large && !is_large(old_flags);
            let same_large = !same_small && large && is_large(old_flags) && value_len_of(sb, old) == value_len;
            if (same_small || same_large) && has_ttl(old_flags) == with_ttl {
                count_if_expired(sb, old, now);
                self.kill_entry(sb, old);
                st8(sb.add((old + L::ENTRY_KIND) as usize), kind);
                if with_ttl {
                    stf64(sb.add((old + L::ENTRY_HEADER_BYTES) as usize), expiry);
                }
                touch(slot);
                self.cur.in_place = true;
                self.cur.off = old;
                if same_large {
                    self.cur.chain = ld32(ref_ptr(sb, old));
                    self.cur.value_ptr = self.gid_data(self.cur.chain) as usize;
                    st32(self.result(L::RESULT_KIND), L::KIND_CHAINED);
                } else {
                    self.cur.value_ptr = key_ptr(sb, old).add(key_len as usize) as usize;
                }
                return L::STATUS_STORED;
            }
            // Evictions below may move the old copy to another queue; the new one goes where it was.
            q = queue_of(old_flags) as i32;
            policy_flags = old_flags & (L::ENTRY_UNASKED | L::ENTRY_TRACER);
        }
        // A LARGE value's chain: up to local_share() segments of this shard, the rest borrowed from
        // others. The policy of this shard counts (and contests for) only what this shard holds of it.
        let chain = if large { self.chain_length(value_len) } else { 0 };
        let local = chain.min(self.local_share());
        let borrowed = chain - local;
        let cost = if borrowed != 0 { size - (value_len - local * self.seg_bytes) } else { size };
        if slot.is_null() {
            q = self.policy_insert(sb, h, cost, now, if large { local + 1 } else { 0 }, asked_before);
            if q == REJECT {
                return self.refuse(sb, std::ptr::null_mut(), now);
            }
            policy_flags = self.policy_insert_flags();
        }
        self.cur.in_place = false;
        self.cur.queue = q as u32;
        self.cur.adding = slot.is_null();
        let shard = if large { self.shard_index_of(sb) } else { 0 };
        let mut tail = 0;
        let mut ok = true;
        if borrowed != 0 {
            let fc = self.policy_lend_frequency(sb, h, cost);
            tail = self.borrow_chain(shard, borrowed, fc, now);
            ok = tail != 0;
        }
        if ok {
            ok = self.ensure_room(sb, q as u32, record, slot.is_null(), now, local, cost);
        }
        if !ok && tail != 0 {
            self.free_chain(tail, borrowed, shard);
        }
        // Eviction located other keys, and may have moved our old copy (same slot, new offset) or
        // evicted it (slot cleared; nothing is inserted during eviction, so a cleared slot stays empty).
        self.restore_location();
        let cur_slot = if !slot.is_null() && self.slot_still_holds(slot) { slot } else { std::ptr::null_mut() };
        self.cur.slot = cur_slot as usize;
        if !ok {
            return self.refuse(sb, cur_slot, now);
        }
        // ensure_room guaranteed the room (and reserved a place in the global count for a new key).
        let off = self.reserve_append(sb, q as u32, record, true);
        self.cur.off = off;
        let value_ptr = self.write_entry(sb, off, kind, with_ttl, expiry, key, key_len, value_len, q as u32, large, policy_flags);
        if large {
            let first = self.alloc_chain(sb, shard, local, tail);
            self.cur.chain = first;
            st32(value_ptr, first);
            st32(value_ptr.add(4), chain | (local << L::CHAIN_LOCAL_SHIFT));
            self.cur.value_ptr = self.gid_data(first) as usize;
            st32(self.result(L::RESULT_KIND), L::KIND_CHAINED);
        } else {
            self.cur.value_ptr = value_ptr as usize;
        }
        L::STATUS_STORED
    }

    /// Copies the value of the set in progress from `src` (after begin_set returned STORED).
    pub unsafe fn copy_value_in(&self, src: *const u8, len: u32) {
        if self.cur.chain != 0 {
            self.write_chain(self.cur.chain, src, len);
        } else {
            copy(self.cur.value_ptr as *mut u8, src, len);
        }
    }

    /// A set that could not be honoured. The key's previous value (if any) goes too: after a write, the
    /// cache must not keep serving what the caller just replaced.
    unsafe fn refuse(&self, sb: *mut u8, old_slot: Slot, now: f64) -> u32 {
        bump(sb, L::SHARD_REJECTIONS);
        if !old_slot.is_null() {
            let off = slot_offset(old_slot);
            let flags = flags_of(sb, off);
            // The caller replaced the value: the old one goes, counted as removed by this refusal (or as expired).
            if !count_if_expired(sb, off, now) {
                bump(sb, L::SHARD_REJECTED_OVERWRITES);
            }
            self.remove_entry(sb, off, queue_of(flags), entry_bytes(sb, off), old_slot);
        }
        L::STATUS_REJECTED
    }

    /// Second half of a set: the value's bytes are in place; make the entry LIVE and index it.
    pub unsafe fn finish_set(&mut self) {
        let sb = self.cur.sb as *mut u8;
        bump(sb, L::SHARD_SETS);
        if self.cur.with_ttl {
            st32(self.at(L::ARENA_TTL_IN_USE), 1);
        }
        if self.cur.in_place {
            set_flags(sb, self.cur.off, flags_of(sb, self.cur.off) | L::ENTRY_LIVE);
        } else {
            self.publish_new(sb);
            self.policy_after_insert(sb, self.cur.queue, self.cur.now);
        }
        // Every write pays for a little expiry sweeping, so expired bytes come back without being read.
        if ld32(self.at(L::ARENA_TTL_IN_USE)) != 0 {
            self.reclaim_some(sb, self.cur.now);
        }
    }

    unsafe fn publish_new(&mut self, sb: *mut u8) {
        let c = self.cur;
        self.commit_append(sb, c.off, c.size);
        set_flags(sb, c.off, flags_of(sb, c.off) | L::ENTRY_LIVE);
        let mut slot = c.slot as Slot;
        if !slot.is_null() {
            let old = slot_offset(slot);
            let old_flags = flags_of(sb, old);
            count_if_expired(sb, old, c.now);
            self.publish(slot, c.off, slot_freq(slot));
            self.kill_entry(sb, old);
            self.remove_live(sb, old, queue_of(old_flags), entry_bytes(sb, old));
            self.free_chain_of(sb, old);
        } else {
            slot = self.empty_slot(sb);
            if slot.is_null() {
                slot = self.evict_from_bucket(sb);
            }
            self.publish(slot, c.off, 0);
            // The global count was reserved by ensure_room when it knew the key was new; if an eviction
            // meanwhile removed the old copy, this is a new entry that was not reserved.
            if !c.adding {
                self.count_globally(1);
            }
        }
        self.add_live(sb, c.off, c.queue, c.size);
    }

    /// Both candidate buckets are full (rare by sizing): evict the least frequent entry of the first
    /// bucket to free its slot. Counted as an eviction and as a collision eviction.
    unsafe fn evict_from_bucket(&self, sb: *mut u8) -> Slot {
        let base = self.bucket_addr(sb, self.bucket1);
        let mut victim = base;
        let mut best: u32 = 4;
        for i in 0..L::BUCKET_SLOTS {
            let slot = base.add((i * L::SLOT_BYTES) as usize);
            let f = slot_freq(slot);
            if f < best {
                best = f;
                victim = slot;
            }
        }
        let off = slot_offset(victim);
        let flags = flags_of(sb, off);
        self.remove_entry(sb, off, queue_of(flags), entry_bytes(sb, off), victim);
        bump(sb, L::SHARD_EVICTIONS);
        bump(sb, L::SHARD_COLLISION_EVICTIONS);
        victim
    }

    /// Removes the key if present; returns DELETED or NOT_FOUND. The mode says why, for the counters.
    pub unsafe fn remove_key(&self, sb: *mut u8, key: *const u8, key_len: u32, now: f64, mode: u32) -> u32 {
        let slot = self.find_slot(sb, key, key_len);
        if slot.is_null() {
            return L::STATUS_NOT_FOUND;
        }
        let off = slot_offset(slot);
        let flags = flags_of(sb, off);
        let expired = has_ttl(flags) && now >= 0.0 && ldf64(sb.add((off + L::ENTRY_HEADER_BYTES) as usize)) <= now;
        if mode == L::REMOVE_EXPIRED && !expired {
            return L::STATUS_NOT_FOUND;
        }
        self.remove_entry(sb, off, queue_of(flags), entry_bytes(sb, off), slot);
        // An expired entry was never observable: removing it is an expiration, and nothing was deleted.
        if expired {
            bump(sb, L::SHARD_EXPIRATIONS);
            return L::STATUS_NOT_FOUND;
        }
        bump(sb, if mode == L::REMOVE_INVALIDATE { L::SHARD_INVALIDATIONS } else { L::SHARD_DELETES });
        L::STATUS_DELETED
    }

    /// Empties a shard; cumulative counters are kept.
    pub unsafe fn clear_shard(&mut self, sb: *mut u8, shard: u32) {
        self.count_globally(-(ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) as i32));
        self.clear_index(sb);
        // The shard's chains go back (segments borrowed from other shards too), then every segment
        // but those lent to other shards' chains is free.
        self.owned_segments(shard, true);
        self.release_unclaimed(shard);
        self.init_segments(sb, true);
        st32(sb.add(L::SHARD_LIVE_COUNT as usize), 0);
        st64(sb.add(L::SHARD_LIVE_BYTES as usize), 0);
        st32(sb.add(L::SHARD_TTL_CURSOR as usize), 0);
        self.policy_init(sb, shard);
    }
}

/// A set replacing (or, refused, dropping) an entry whose TTL ran out: that entry expired, as it would
/// have had a read, a delete or the sweep found it first, so `expirations` does not depend on which
/// came first. (now < 0: the clock was not read, no TTL is in use.)
unsafe fn count_if_expired(sb: *mut u8, off: u32, now: f64) -> bool {
    if has_ttl(flags_of(sb, off)) && now >= 0.0 && expiry_of(sb, off) <= now {
        bump(sb, L::SHARD_EXPIRATIONS);
        return true;
    }
    false
}
