//! Port of assembly/recovery.ts. The log is the source of truth; everything else in a shard can be
//! derived from it. `rebuild_shard` derives it: segment chains from segment states and sequence
//! numbers, the index and all counts from the LIVE entries. It repairs a shard whose writer died
//! mid-operation (a SIGKILLed process, a terminated thread), losing at most that operation, and
//! `verify_shard` uses the same walk to check every invariant without changing anything.
use crate::arena::Engine;
use crate::entry::*;
use crate::queues::bump;
use crate::hash::hash_bytes;
use crate::hashindex::{clear_slot, slot_offset};
use crate::layout_generated as L;
use crate::mem::*;

const FLAG_BITS: u32 = L::ENTRY_LIVE | L::ENTRY_HAS_TTL | L::ENTRY_QUEUE_MASK | L::ENTRY_LARGE | L::ENTRY_FREE | L::ENTRY_UNASKED | L::ENTRY_TRACER;

impl Engine {
    /// Size of a well-formed entry at `off` whose segment is written up to `limit`, or 0 if malformed.
    unsafe fn well_formed(&self, sb: *mut u8, off: u32, limit: u32) -> u32 {
        if off as u64 + L::ENTRY_HEADER_BYTES as u64 > limit as u64 {
            return 0;
        }
        let flags = flags_of(sb, off);
        if flags & !FLAG_BITS != 0 || queue_of(flags) >= L::NUM_QUEUES {
            return 0;
        }
        if key_len_of(sb, off) > L::MAX_KEY_BYTES {
            return 0;
        }
        let inline = if is_large(flags) { L::LARGE_REF_BYTES } else { value_len_of(sb, off) };
        let size = header_bytes(flags) as u64 + key_len_of(sb, off) as u64 + inline as u64;
        if off as u64 + size > limit as u64 {
            return 0;
        }
        size as u32
    }

    /// Relinks queue q's segments in sequence order; returns how many it holds.
    unsafe fn relink_queue(&self, sb: *mut u8, q: u32) -> u32 {
        let qa = self.queue_addr(sb, q);
        let mut prev: u32 = 0;
        let mut last_seq: u32 = 0;
        let mut n: u32 = 0;
        st32(qa.add(L::QUEUE_TAIL as usize), 0);
        loop {
            let mut pick: u32 = 0;
            let mut pick_seq: u32 = 0xFFFFFFFF;
            for s in 1..=self.seg_count {
                let h = self.seg_header(sb, s);
                if ld32(h.add(L::SEG_STATE as usize)) != q + 1 {
                    continue;
                }
                let seq = ld32(h.add(L::SEG_SEQ as usize));
                if (n == 0 || seq > last_seq) && seq < pick_seq {
                    pick = s;
                    pick_seq = seq;
                }
            }
            if pick == 0 {
                break;
            }
            if prev == 0 {
                st32(qa.add(L::QUEUE_TAIL as usize), pick);
            } else {
                st32(self.seg_header(sb, prev).add(L::SEG_NEXT as usize), pick);
            }
            st32(self.seg_header(sb, pick).add(L::SEG_NEXT as usize), 0);
            st32(self.seg_header(sb, pick).add(L::SEG_PREV as usize), prev);
            let used = ld32(self.seg_header(sb, pick).add(L::SEG_USED as usize));
            if used > self.seg_bytes {
                st32(self.seg_header(sb, pick).add(L::SEG_USED as usize), self.seg_bytes);
            }
            prev = pick;
            last_seq = pick_seq;
            n += 1;
        }
        st32(qa.add(L::QUEUE_HEAD as usize), prev);
        st32(qa.add(L::QUEUE_CURSOR as usize), 0);
        st32(qa.add(L::QUEUE_COUNT as usize), 0);
        st64(qa.add(L::QUEUE_BYTES as usize), 0);
        n
    }

    /// Rebuilds everything derived in a shard from its log. Call with the shard lock held.
    pub unsafe fn rebuild_shard(&mut self, sb: *mut u8, shard: u32, now: f64) {
        self.clear_index(sb);
        // Free list from scratch: segments that belong to no queue.
        st32(sb.add(L::SHARD_FREE_HEAD as usize), 0);
        st32(sb.add(L::SHARD_FREE_COUNT as usize), 0);
        let mut max_seq: u32 = 0;
        for s in 1..=self.seg_count {
            let h = self.seg_header(sb, s);
            let state = crate::large::state_of(h);
            if crate::large::is_large_state(state) && (state >> L::SEG_OWNER_SHIFT) < self.shard_count {
                // A value's chain: this shard's own are kept until the LIVE entries say which are
                // still owned (claim_chains); those lent to another shard's chains are that shard's.
            } else if state == L::SEG_FREE || state > L::NUM_QUEUES {
                self.release_segment(sb, s);
            } else {
                st32(h.add(L::SEG_LIVE_BYTES as usize), 0);
                st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
                if ld32(h.add(L::SEG_SEQ as usize)) > max_seq {
                    max_seq = ld32(h.add(L::SEG_SEQ as usize));
                }
            }
        }
        st32(sb.add(L::SHARD_SEG_SEQ as usize), max_seq);
        let before = ld32(sb.add(L::SHARD_LIVE_COUNT as usize));
        st32(sb.add(L::SHARD_LIVE_COUNT as usize), 0);
        st64(sb.add(L::SHARD_LIVE_BYTES as usize), 0);
        for q in 0..L::NUM_QUEUES {
            self.relink_queue(sb, q);
        }
        let limit = self.max_entries_per_shard;
        self.hold_empty_segments = true;
        for q in 0..L::NUM_QUEUES {
            let mut seg = ld32(self.queue_addr(sb, q).add(L::QUEUE_TAIL as usize));
            while seg != 0 {
                let h = self.seg_header(sb, seg);
                let start = self.seg_data(seg);
                let limit_off = start + ld32(h.add(L::SEG_USED as usize));
                let mut off = start;
                while off < limit_off {
                    let size = self.well_formed(sb, off, limit_off);
                    if size == 0 {
                        // A torn write at the end of the log: everything from here on was never committed.
                        st32(h.add(L::SEG_USED as usize), off - start);
                        break;
                    }
                    let flags = flags_of(sb, off);
                    if is_live(flags) {
                        self.adopt(sb, off, size, flags, q, limit, now);
                    }
                    off += size;
                }
                seg = ld32(h.add(L::SEG_NEXT as usize));
            }
        }
        self.claim_chains(sb, shard);
        self.hold_empty_segments = false;
        self.release_empty_interiors(sb);
        st32(sb.add(L::SHARD_TTL_CURSOR as usize), 0);
        self.count_globally((ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) as i32).wrapping_sub(before as i32));
    }

    /// After the rebuild indexed the LIVE entries: each LARGE one claims its chain, and one whose chain
    /// is broken or already claimed is dropped. Chains nobody claimed (a set that died before its entry
    /// became LIVE, the older copy of a replaced value), here or borrowed from other shards, go back.
    unsafe fn claim_chains(&mut self, sb: *mut u8, shard: u32) {
        self.owned_segments(shard, true);
        for slot in self.occupied_slots(sb, 0, self.index_buckets) {
            let off = slot_offset(slot);
            let flags = flags_of(sb, off);
            if !is_large(flags) {
                continue;
            }
            let r = ref_ptr(sb, off);
            let first = ld32(r);
            let word = ld32(r.add(4));
            let n = crate::large::chain_count(word);
            let sane = n == self.chain_length(value_len_of(sb, off)) && crate::large::chain_local(word) <= n;
            let claimed = if sane { self.claim_chain(first, n, 1, shard) } else { 0 };
            if claimed == n {
                continue;
            }
            self.claim_chain(first, claimed, 0, shard);
            clear_slot(slot);
            self.kill_entry(sb, off);
            self.remove_live(sb, off, queue_of(flags), entry_bytes(sb, off));
        }
        self.release_unclaimed(shard);
    }

    /// Re-indexes one LIVE entry found by the rebuild, resolving duplicates in favour of the newer copy.
    #[allow(clippy::too_many_arguments)]
    unsafe fn adopt(&mut self, sb: *mut u8, off: u32, size: u32, flags: u32, q: u32, limit: u32, now: f64) {
        if queue_of(flags) != q {
            set_queue(sb, off, q, 0);
        }
        if has_ttl(flags) && expiry_of(sb, off) <= now {
            self.kill_entry(sb, off);
            bump(sb, L::SHARD_EXPIRATIONS);
            return;
        }
        let key = key_ptr(sb, off);
        let key_len = key_len_of(sb, off);
        self.locate(hash_bytes(self.seed, key, key_len));
        let mut slot = self.find_slot(sb, key, key_len);
        if !slot.is_null() {
            let other = slot_offset(slot);
            if self.newer(sb, other, off) {
                self.kill_entry(sb, off);
                return;
            }
            let other_flags = flags_of(sb, other);
            self.kill_entry(sb, other);
            self.remove_live(sb, other, queue_of(other_flags), entry_bytes(sb, other));
        } else {
            slot = self.empty_slot(sb);
            if slot.is_null() || ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) >= limit {
                self.kill_entry(sb, off);
                return;
            }
        }
        self.publish(slot, off, 0);
        self.add_live(sb, off, q, size);
    }

    /// True when the entry at a was written after the one at b (segment sequence, then position).
    unsafe fn newer(&self, sb: *mut u8, a: u32, b: u32) -> bool {
        let sa = ld32(self.seg_header(sb, self.seg_of(a)).add(L::SEG_SEQ as usize));
        let sbq = ld32(self.seg_header(sb, self.seg_of(b)).add(L::SEG_SEQ as usize));
        if sa != sbq {
            sa > sbq
        } else {
            a > b
        }
    }

    /// Checks every invariant of a shard without changing it. Returns 0 when consistent, otherwise a
    /// code naming the first broken invariant (the same codes as the WebAssembly engine).
    pub unsafe fn verify_shard(&mut self, sb: *mut u8, shard: u32) -> u32 {
        let mut segs_in_queues: u32 = 0;
        let mut chain_segs: u32 = 0;
        let mut live_count: u32 = 0;
        let mut live_bytes: u64 = 0;
        let mut borrowed_total: u64 = 0;
        for q in 0..L::NUM_QUEUES {
            let qa = self.queue_addr(sb, q);
            let mut seg = ld32(qa.add(L::QUEUE_TAIL as usize));
            let mut q_count: u32 = 0;
            let mut q_bytes: u64 = 0;
            let mut steps: u32 = 0;
            let mut last: u32 = 0;
            while seg != 0 {
                steps += 1;
                if steps > self.seg_count || seg > self.seg_count {
                    return 1; // a cycle in a queue's chain
                }
                let h = self.seg_header(sb, seg);
                if ld32(h.add(L::SEG_STATE as usize)) != q + 1 {
                    return 2; // a segment chained into the wrong queue
                }
                if ld32(h.add(L::SEG_PREV as usize)) != last {
                    return 16; // a broken back link
                }
                let start = self.seg_data(seg);
                let used = ld32(h.add(L::SEG_USED as usize));
                if used > self.seg_bytes {
                    return 3;
                }
                let mut off = start;
                let mut s_count: u32 = 0;
                let mut s_bytes: u32 = 0;
                let cursor_end = if seg == ld32(qa.add(L::QUEUE_TAIL as usize)) { start + ld32(qa.add(L::QUEUE_CURSOR as usize)) } else { start };
                while off < start + used {
                    let size = self.well_formed(sb, off, start + used);
                    if size == 0 {
                        return 4; // a malformed entry below a segment's write mark
                    }
                    let flags = flags_of(sb, off);
                    if is_live(flags) {
                        if off < cursor_end {
                            return 5; // a LIVE entry behind the tail cursor
                        }
                        if queue_of(flags) != q {
                            return 6;
                        }
                        let key = key_ptr(sb, off);
                        self.locate(hash_bytes(self.seed, key, key_len_of(sb, off)));
                        let slot = self.find_slot(sb, key, key_len_of(sb, off));
                        if slot.is_null() || slot_offset(slot) != off {
                            return 7; // a LIVE entry the index does not point at
                        }
                        s_count += 1;
                        s_bytes = s_bytes.wrapping_add(size);
                        let lent = self.borrowed_bytes(sb, off);
                        q_bytes += chained_bytes(sb, off).wrapping_sub(lent) as u64;
                        borrowed_total += lent as u64;
                        if is_large(flags) {
                            let r = ref_ptr(sb, off);
                            let word = ld32(r.add(4));
                            let n = crate::large::chain_count(word);
                            if n != self.chain_length(value_len_of(sb, off)) || crate::large::chain_local(word) > n || !self.chain_intact(ld32(r), n, shard) {
                                return 17; // a broken chain
                            }
                            chain_segs += n;
                        }
                    }
                    off += size;
                }
                if s_count != ld32(h.add(L::SEG_LIVE_COUNT as usize)) || s_bytes != ld32(h.add(L::SEG_LIVE_BYTES as usize)) {
                    return 8;
                }
                q_count += s_count;
                q_bytes += s_bytes as u64;
                segs_in_queues += 1;
                last = seg;
                seg = ld32(h.add(L::SEG_NEXT as usize));
            }
            if last != ld32(qa.add(L::QUEUE_HEAD as usize)) {
                return 9; // head is not the end of the chain
            }
            if q_count != ld32(qa.add(L::QUEUE_COUNT as usize)) || q_bytes != ld64(qa.add(L::QUEUE_BYTES as usize)) {
                return 10;
            }
            live_count += q_count;
            live_bytes += q_bytes;
        }
        // The shard counts each entry whole (bytesUsed); its queues only what it holds itself.
        if live_count != ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) || live_bytes + borrowed_total != ld64(sb.add(L::SHARD_LIVE_BYTES as usize)) {
            return 11;
        }
        // Chain segments this shard owns, wherever they are (borrowed ones only change under its lock).
        if chain_segs != self.owned_segments(shard, false) {
            return 18; // a chain no entry owns, or one owned twice
        }
        // Segments here in chains (this shard's or lent to another's) or given back, not yet collected.
        let mut chained: u32 = 0;
        for s in 1..=self.seg_count {
            let state = crate::large::state_of(self.seg_header(sb, s));
            if crate::large::is_large_state(state) || state == L::SEG_RETURNED {
                chained += 1;
            }
        }
        if segs_in_queues + chained + self.free_count(sb) != self.seg_count {
            return 12; // a leaked (or doubly owned) segment
        }
        // Every occupied slot points at a LIVE entry; there are exactly as many as LIVE entries.
        let mut slots: u32 = 0;
        for slot in self.occupied_slots(sb, 0, self.index_buckets) {
            let off = slot_offset(slot);
            if !self.in_bounds(off) || !is_live(flags_of(sb, off)) {
                return 13;
            }
            slots += 1;
        }
        if slots != live_count {
            return 14;
        }
        if live_count > self.max_entries_per_shard {
            return 15; // the shard's count bound is exceeded
        }
        0
    }
}
