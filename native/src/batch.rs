//! Port of assembly/batch.ts: many keys per boundary crossing. getMany runs the lock-free lookup for
//! each key and leaves one BATCH_OUT record per key; setMany stores records in order, taking each
//! key's shard lock in turn, and stops at the first contended shard so JS can wait and resume there.
//! Inputs live in this thread's scratch area; `end` bounds every record read from it.
use crate::arena::Engine;
use crate::hash::hash_bytes;
use crate::layout_generated as L;
use crate::mem::*;

#[inline(always)]
fn align(n: u64, a: u64) -> u64 {
    (n + a - 1) & !(a - 1)
}

impl Engine {
    /// Looks up `count` keys laid out at `input` as [u32 keyLen][key][pad to 4]; records go to `out`.
    ///
    /// Same lookups, in the same order, as the WebAssembly engine; what this engine adds is memory
    /// parallelism. Keys go in groups: all of a group's hashes first, with their index buckets and
    /// sketch blocks prefetched, then the entries their tags point at, and only then the lookups, so a
    /// group's cache misses overlap instead of coming one after another.
    pub unsafe fn batch_get(&mut self, count: u32, input: *mut u8, out: *mut u8, end: *mut u8, now: f64, flags: u32) {
        const GROUP: usize = 16;
        self.begin_batch();
        let r = self.scratch;
        let mut p = input;
        let mut i: u32 = 0;
        let mut keys = [(std::ptr::null_mut::<u8>(), 0u32, 0u64); GROUP];
        while i < count {
            let mut n = 0;
            while n < GROUP && i + (n as u32) < count {
                if p.add(L::BATCH_IN_HEADER_BYTES as usize) > end {
                    break;
                }
                let key_len = ld32(p);
                let key = p.add(L::BATCH_IN_HEADER_BYTES as usize);
                if key_len > L::MAX_KEY_BYTES || key.add(key_len as usize) > end {
                    break;
                }
                keys[n] = (key, key_len, hash_bytes(self.seed, key, key_len));
                p = p.add(align((L::BATCH_IN_HEADER_BYTES + key_len) as u64, 4) as usize);
                n += 1;
            }
            if n == 0 {
                return;
            }
            for &(_, _, h) in &keys[..n] {
                self.prefetch_lookup(h, flags);
            }
            for &(_, _, h) in &keys[..n] {
                self.prefetch_entries(h);
            }
            for (k, &(key, key_len, h)) in keys[..n].iter().enumerate() {
                let status = self.lookup_hashed(h, key, key_len, now, flags, true);
                let o = out.add(((i + k as u32) * L::BATCH_OUT_SIZE) as usize);
                st32(o.add(L::BATCH_OUT_STATUS as usize), status);
                if status == L::STATUS_HIT {
                    st32(o.add(L::BATCH_OUT_VALUE_OFFSET as usize), ld32(r.add(L::RESULT_VALUE_OFFSET as usize)));
                    st32(o.add(L::BATCH_OUT_VALUE_LEN as usize), ld32(r.add(L::RESULT_VALUE_LEN as usize)));
                    st32(o.add(L::BATCH_OUT_KIND as usize), ld32(r.add(L::RESULT_KIND as usize)));
                    st32(o.add(L::BATCH_OUT_SEQ as usize), ld32(r.add(L::RESULT_SEQ as usize)));
                    st32(o.add(L::BATCH_OUT_SEQ_INDEX as usize), ld32(r.add(L::RESULT_SEQ_INDEX as usize)));
                }
            }
            i += n as u32;
            if n < GROUP && i < count {
                return; // a malformed record: the rest stay unanswered, as in the WebAssembly engine
            }
        }
    }

    /// Stores records [from, count) laid out at `input` (BATCH_SET_IN header, key, value, padded to 8);
    /// each record's status goes to out[i] (u32). Returns the index of the first record whose shard was
    /// contended (RESULT.shard says which), or `count` when all were processed. Waiters are woken here.
    /// As in batch_get, a group's buckets, sketch blocks and old entries are prefetched first.
    pub unsafe fn batch_set(&mut self, from: u32, count: u32, input: *mut u8, out: *mut u8, end: *mut u8, now: f64) -> u32 {
        const GROUP: usize = 16;
        let mut p = input;
        st32(self.result(L::RESULT_RESERVED), 0);
        let mut recs = [(std::ptr::null_mut::<u8>(), 0u32, 0u32, 0u64); GROUP];
        let mut i: u32 = 0;
        while i < count {
            let mut n = 0;
            let mut malformed = false;
            while n < GROUP && i + (n as u32) < count {
                if p.add(L::BATCH_SET_IN_SIZE as usize) > end {
                    malformed = true;
                    break;
                }
                let key_len = ld32(p.add(L::BATCH_SET_IN_KEY_LEN as usize));
                let value_len = ld32(p.add(L::BATCH_SET_IN_VALUE_LEN as usize));
                let bytes = L::BATCH_SET_IN_SIZE as u64 + key_len as u64 + value_len as u64;
                if key_len > L::MAX_KEY_BYTES || ((end as usize - p as usize) as u64) < bytes {
                    malformed = true;
                    break;
                }
                let h = if i + (n as u32) >= from { hash_bytes(self.seed, p.add(L::BATCH_SET_IN_SIZE as usize), key_len) } else { 0 };
                recs[n] = (p, key_len, value_len, h);
                p = p.add(align(bytes, 8) as usize);
                n += 1;
            }
            for (k, rec) in recs[..n].iter().enumerate() {
                if i + k as u32 >= from {
                    self.prefetch_lookup(rec.3, 0);
                }
            }
            for (k, rec) in recs[..n].iter().enumerate() {
                if i + k as u32 >= from {
                    self.prefetch_entries(rec.3);
                }
            }
            for (k, &(rec, key_len, value_len, h)) in recs[..n].iter().enumerate() {
                let idx = i + k as u32;
                if idx < from {
                    continue;
                }
                let key = rec.add(L::BATCH_SET_IN_SIZE as usize);
                self.prepare_hash(h);
                let shard = self.last_shard;
                let sb = self.shard_base(shard);
                if !self.try_lock(sb) {
                    return idx;
                }
                let kind = ld32(rec.add(L::BATCH_SET_IN_KIND as usize));
                let ttl = ldf64(rec.add(L::BATCH_SET_IN_TTL as usize));
                let status = self.begin_set(sb, h, key, key_len, value_len, kind, ttl, now);
                if status == L::STATUS_STORED {
                    self.copy_value_in(key.add(key_len as usize), value_len);
                    self.finish_set();
                }
                self.release(sb);
                st32(out.add(idx as usize * 4), status);
            }
            i += n as u32;
            if malformed {
                return count;
            }
        }
        count
    }
}
