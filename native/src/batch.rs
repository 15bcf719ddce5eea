//! Port of assembly/batch.ts: many keys per boundary crossing. getMany runs the lock-free lookup for
//! each key and leaves one BATCH_OUT record per key; setMany stores records in order, taking each
//! key's shard lock in turn, and stops at the first contended shard so JS can wait and resume there.
//! Inputs live in this thread's scratch area; `end` bounds every record read from it.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;

#[inline(always)]
fn align(n: u64, a: u64) -> u64 {
    (n + a - 1) & !(a - 1)
}

impl Engine {
    /// Looks up `count` keys laid out at `input` as [u32 keyLen][key][pad to 4]; records go to `out`.
    pub unsafe fn batch_get(&mut self, count: u32, input: *mut u8, out: *mut u8, end: *mut u8, now: f64, flags: u32) {
        self.begin_batch();
        let mut p = input;
        let r = self.scratch;
        for i in 0..count {
            if p.add(L::BATCH_IN_HEADER_BYTES as usize) > end {
                break;
            }
            let key_len = ld32(p);
            if key_len > L::MAX_KEY_BYTES || p.add((L::BATCH_IN_HEADER_BYTES + key_len) as usize) > end {
                break;
            }
            let status = self.lookup(p.add(L::BATCH_IN_HEADER_BYTES as usize), key_len, now, flags, true);
            let o = out.add((i * L::BATCH_OUT_SIZE) as usize);
            st32(o.add(L::BATCH_OUT_STATUS as usize), status);
            if status == L::STATUS_HIT {
                st32(o.add(L::BATCH_OUT_VALUE_OFFSET as usize), ld32(r.add(L::RESULT_VALUE_OFFSET as usize)));
                st32(o.add(L::BATCH_OUT_VALUE_LEN as usize), ld32(r.add(L::RESULT_VALUE_LEN as usize)));
                st32(o.add(L::BATCH_OUT_KIND as usize), ld32(r.add(L::RESULT_KIND as usize)));
                st32(o.add(L::BATCH_OUT_SEQ as usize), ld32(r.add(L::RESULT_SEQ as usize)));
                st32(o.add(L::BATCH_OUT_SEQ_INDEX as usize), ld32(r.add(L::RESULT_SEQ_INDEX as usize)));
            }
            p = p.add(align((L::BATCH_IN_HEADER_BYTES + key_len) as u64, 4) as usize);
        }
    }

    /// Stores records [from, count) laid out at `input` (BATCH_SET_IN header, key, value, padded to 8);
    /// each record's status goes to out[i] (u32). Returns the index of the first record whose shard was
    /// contended (RESULT.shard says which), or `count` when all were processed. Waiters are woken here.
    pub unsafe fn batch_set(&mut self, from: u32, count: u32, input: *mut u8, out: *mut u8, end: *mut u8, now: f64) -> u32 {
        let mut p = input;
        st32(self.result(L::RESULT_RESERVED), 0);
        for i in 0..count {
            if p.add(L::BATCH_SET_IN_SIZE as usize) > end {
                return count;
            }
            let key_len = ld32(p.add(L::BATCH_SET_IN_KEY_LEN as usize));
            let value_len = ld32(p.add(L::BATCH_SET_IN_VALUE_LEN as usize));
            let size = align(L::BATCH_SET_IN_SIZE as u64 + key_len as u64 + value_len as u64, 8);
            if key_len > L::MAX_KEY_BYTES || (end as usize - p as usize) < (L::BATCH_SET_IN_SIZE as u64 + key_len as u64 + value_len as u64) as usize {
                return count;
            }
            let next = p.add(size as usize);
            if i < from {
                p = next;
                continue;
            }
            let key = p.add(L::BATCH_SET_IN_SIZE as usize);
            let h = self.prepare_key(key, key_len);
            let shard = self.last_shard;
            let sb = self.shard_base(shard);
            if !self.try_lock(sb) {
                return i;
            }
            let kind = ld32(p.add(L::BATCH_SET_IN_KIND as usize));
            let ttl = ldf64(p.add(L::BATCH_SET_IN_TTL as usize));
            let status = self.begin_set(sb, shard, h, key, key_len, value_len, kind, ttl, now);
            if status == L::STATUS_STORED {
                copy(self.cur.value_ptr as *mut u8, key.add(key_len as usize), value_len);
                self.finish_set();
            }
            self.release(sb);
            st32(out.add(i as usize * 4), status);
            p = next;
        }
        count
    }
}
