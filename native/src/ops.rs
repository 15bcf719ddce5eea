//! Port of assembly/index.ts: the engine's operations, thin entry points that take the shard lock, call
//! the parts and release it. Keys (and small values) arrive in this thread's scratch area; results
//! leave in its RESULT block; status codes and flags are those of src/layout/spec.json. Arguments were
//! range-checked by bindings.rs, so everything dereferenced here lies inside the mapping.
//!
//! Differences from the WebAssembly engine, all at this boundary: waiters are woken here (a futex wake,
//! which reaches other processes), so no status ever carries STATUS_WAITERS_BIT; and values JS can't
//! see in place are staged, or copied straight between the chain and JS's own buffer (view.rs).
use crate::arena::Engine;
use crate::queues::bump;
use crate::layout_generated as L;
use crate::mem::*;

impl Engine {
    /// Called once by the creator after the header was written: formats every shard.
    pub unsafe fn init(&mut self) {
        for s in 0..self.shard_count {
            let sb = self.shard_base(s);
            self.zero(sb, L::SHARD_SIZE as u64);
            self.init_segments(sb, false);
            st32(sb.add(L::SHARD_RNG_LO as usize), 0x9E3779B9 ^ s);
            st32(sb.add(L::SHARD_RNG_HI as usize), 0x85EBCA6Bu32.wrapping_add(s));
            self.policy_init(sb, s);
        }
    }

    fn contended(&self, shard: u32) -> u32 {
        unsafe { st32(self.result(L::RESULT_SHARD), shard) };
        L::STATUS_CONTENDED
    }

    #[inline(always)]
    pub unsafe fn op_get(&mut self, key_len: u32, now: f64, flags: u32) -> u32 {
        self.lookup(self.key_addr(), key_len, now, flags, false)
    }

    /// Locks the key's shard and runs the first half of a set; on STORED the lock stays held.
    unsafe fn begin(&mut self, key_len: u32, value_len: u32, kind: u32, ttl: f64, now: f64) -> u32 {
        let key = self.key_addr();
        let h = self.prepare_key(key, key_len);
        let shard = self.last_shard;
        let sb = self.shard_base(shard);
        if !self.try_lock(sb) {
            return self.contended(shard);
        }
        self.locked_shard = shard;
        let status = self.begin_set(sb, h, key, key_len, value_len, kind, ttl, now);
        if status != L::STATUS_STORED {
            self.release(sb);
        }
        status
    }

    /// One-shot set: key then value in scratch.
    pub unsafe fn op_set(&mut self, key_len: u32, value_len: u32, kind: u32, ttl: f64, now: f64) -> u32 {
        let status = self.begin(key_len, value_len, kind, ttl, now);
        if status != L::STATUS_STORED {
            return status;
        }
        self.copy_value_in(self.key_addr().add(key_len as usize), value_len);
        self.finish_set();
        self.release(self.shard_base(self.locked_shard));
        status
    }

    /// Set for values too large for scratch: on STORED the lock stays held and RESULT.valueOffset says
    /// where JS must write the value (direct mode; RESULT.kind has KIND_CHAINED when that is a chain of
    /// segments). Through a window JS hands the bytes to op_fill_reserved instead. Then set_commit()
    /// publishes the entry and unlocks.
    pub unsafe fn op_set_reserve(&mut self, key_len: u32, value_len: u32, kind: u32, ttl: f64, now: f64) -> u32 {
        st32(self.result(L::RESULT_KIND), 0);
        let status = self.begin(key_len, value_len, kind, ttl, now);
        if status != L::STATUS_STORED {
            return status;
        }
        self.cur.value_len = value_len;
        st32(self.result(L::RESULT_VALUE_OFFSET), self.offset_in_view(self.cur.value_ptr as *const u8));
        status
    }

    /// Window mode, between set_reserve and set_commit: the value's bytes, from JS's own buffer, into
    /// the reserved entry or its chain of segments (one copy, however large the value).
    pub unsafe fn op_fill_reserved(&self, src: *const u8) {
        self.copy_value_in(src, self.cur.value_len);
    }

    pub unsafe fn op_set_commit(&mut self, shard: u32) -> u32 {
        self.finish_set();
        self.release(self.shard_base(shard));
        L::STATUS_STORED
    }

    /// Removes the key in scratch; `mode` is REMOVE_DELETE, REMOVE_EXPIRED or REMOVE_INVALIDATE.
    pub unsafe fn op_remove(&mut self, key_len: u32, now: f64, mode: u32) -> u32 {
        let key = self.key_addr();
        self.prepare_key(key, key_len);
        let shard = self.last_shard;
        let sb = self.shard_base(shard);
        if !self.try_lock(sb) {
            return self.contended(shard);
        }
        let status = self.remove_key(sb, key, key_len, now, mode);
        self.release(sb);
        status
    }

    pub unsafe fn op_clear(&mut self, shard: u32) -> u32 {
        let sb = self.shard_base(shard);
        if !self.try_lock(sb) {
            return self.contended(shard);
        }
        self.clear_shard(sb, shard);
        self.release(sb);
        L::STATUS_STORED
    }

    /// Removes every expired entry of a shard; returns how many, or COUNT_BUSY when contended.
    pub unsafe fn op_purge(&mut self, shard: u32, now: f64) -> u32 {
        let sb = self.shard_base(shard);
        if !self.try_lock(sb) {
            return L::COUNT_BUSY;
        }
        let n = self.reclaim_all(sb, now);
        self.release(sb);
        n
    }

    /// Locks a shard for a slow path driven from JS (iteration under heavy writes, locked reads).
    pub unsafe fn op_lock_shard(&mut self, shard: u32) -> u32 {
        self.try_lock(self.shard_base(shard)) as u32
    }

    pub unsafe fn op_unlock_shard(&mut self, shard: u32) -> u32 {
        self.release(self.shard_base(shard));
        0
    }

    /// Takes over a shard whose lock `dead_owner` holds and will never release, rebuilds it from its
    /// log and unlocks it. Returns 1 if this thread did the repair, 0 if the lock had moved on meanwhile.
    pub unsafe fn op_recover(&mut self, shard: u32, dead_owner: i32, now: f64) -> u32 {
        let sb = self.shard_base(shard);
        if !self.take_over(sb, dead_owner) {
            return 0;
        }
        self.rebuild_shard(sb, shard, now);
        bump(sb, L::SHARD_LOCK_RECOVERIES);
        self.retire_dead_thread(dead_owner);
        self.release(sb);
        1
    }

    /// Rebuilds a shard from its log under the lock (tests and repair tools).
    pub unsafe fn op_rebuild(&mut self, shard: u32, now: f64) -> u32 {
        let sb = self.shard_base(shard);
        if !self.try_lock(sb) {
            return self.contended(shard);
        }
        self.rebuild_shard(sb, shard, now);
        self.release(sb);
        L::STATUS_STORED
    }

    /// 0 when the shard is consistent, else the code of the first broken invariant; COUNT_BUSY if busy.
    pub unsafe fn op_verify(&mut self, shard: u32) -> u32 {
        let sb = self.shard_base(shard);
        if !self.try_lock(sb) {
            return L::COUNT_BUSY;
        }
        let code = self.verify_shard(sb, shard);
        self.release(sb);
        code
    }

    /// Lists live entries of buckets [from, from + count) into scratch after RESULT.
    pub unsafe fn op_entries(&mut self, shard: u32, from: u32, count: u32, max: u32, now: f64) -> u32 {
        self.collect(shard, from, count, self.key_addr(), max, now)
    }

    /// For tests of the policy: the sketch's estimate for the key in scratch (its return value), and
    /// where its counters are (RESULT.shard, RESULT.valueOffset = block, RESULT.valueLen = positions).
    pub unsafe fn op_sketch_probe(&mut self, key_len: u32) -> u32 {
        let h = self.prepare_key(self.key_addr(), key_len);
        let sb = self.shard_base(self.last_shard);
        let block = self.locate_counters(h);
        st32(self.result(L::RESULT_VALUE_OFFSET), block);
        st32(self.result(L::RESULT_VALUE_LEN), self.positions);
        self.estimate(sb, h)
    }
}
