//! The arena's geometry, read from its header (written by the TypeScript side, src/engine/wasm/arena.ts),
//! and the per-thread state of the engine. assembly/ keeps that state in module globals, which are per
//! WebAssembly instance and so per thread; here it lives in one `Engine` per attached thread, and every
//! port of an assembly/ function is a method on it.
use crate::layout_generated as L;
use crate::mem::*;

/// What a set in progress remembers between its two halves (write.ts's `cur*` globals).
#[derive(Default, Clone, Copy)]
pub struct CurrentSet {
    pub sb: usize,
    pub off: u32,
    pub size: u32,
    pub queue: u32,
    pub in_place: bool,
    pub with_ttl: bool,
    pub now: f64,
    pub adding: bool,
    pub slot: usize,
    /// Where the value's bytes go in the arena (window mode: JS hands them over with fillReserved).
    pub value_ptr: usize,
    pub value_len: u32,
    /// First segment of the value's chain when the set is LARGE, else 0.
    pub chain: u32,
}

pub struct Engine {
    /// The first byte of the mapped arena.
    pub base: *mut u8,
    pub mem_bytes: u64,

    pub shard_count: u32,
    pub shard_bytes: u32,
    pub shards_offset: u64,
    pub seg_bytes: u32,
    pub seg_count: u32,
    /// The largest entry a set may store; above a segment it is LARGE (large.rs).
    pub max_entry_bytes: u32,
    pub index_buckets: u32,
    pub sketch_blocks: u32,
    /// Of those, the blocks that hold counters (the rest are the miss filter: sketch.rs); computed once.
    pub sketch_counter_blocks: u32,
    /// The adaptive policy's capacity per shard (POLICY_CAPACITY, stored by adaptive_init from this
    /// same geometry), and the least hit count not below COLD_HITS × it (note_cold_hits' threshold as an
    /// integer, as assembly/arena.ts).
    pub policy_capacity: f64,
    pub cold_hits_limit: u64,
    pub ghost_slots: u32,
    pub max_entries_per_shard: u32,
    pub max_entries_total: u32,
    pub sketch_offset: u32,
    pub ghost_offset: u32,
    pub index_offset: u32,
    pub seg_headers_offset: u32,
    pub data_offset: u32,
    pub policy_id: u32,
    pub seed: u64,
    pub max_threads: u32,
    pub threads_offset: u64,
    pub scratch_offset: u64,
    pub scratch_bytes: u32,

    /// This thread's slot + 1 (the owner id in lock words; 0 = not attached).
    pub thread_id: u32,
    pub thread_base: *mut u8,
    /// The lease this engine's claim wrote into its slot (0 = none): threads.rs.
    pub my_lease: u32,
    /// This thread's scratch area: RESULT first, then keys and values.
    pub scratch: *mut u8,

    // hashindex.ts: where the last located key may live, and one saved location.
    pub tag: u32,
    pub bucket1: u32,
    pub bucket2: u32,
    pub saved_tag: u32,
    pub saved_bucket1: u32,
    pub saved_bucket2: u32,
    // read.ts
    pub last_shard: u32,
    // index.ts: the shard locked by the last begin().
    pub locked_shard: u32,
    // queues.ts: the entry liveTail() found at a queue's tail.
    pub tail_off: u32,
    pub tail_size: u32,
    /// The tail entry's cost for the policy (tail_size plus a LARGE entry's chained value).
    pub tail_cost: u32,
    pub tail_slot: usize,
    pub tail_hash: u64,
    pub saved_tail: crate::queues::SavedTail,
    // sketch.ts: where the probed key's counters are (sketchProbe, for tests).
    pub positions: u32,
    // ghost.ts: the tag of the key found by the last successful ghost_age().
    pub ghost_tag: u32,
    // policy/adaptive.ts: the queue main's victim was left at the tail of.
    pub victim_queue: u32,
    // policy/adaptive.ts: the policy's flags for the entry of the insert adaptive_insert just decided
    // (ENTRY_UNASKED: LATE_FLAG; ENTRY_TRACER: TRACER_FLAG).
    pub insert_flags: u32,
    // segments.ts
    pub hold_empty_segments: bool,
    // write.ts
    pub cur: CurrentSet,
    /// The chain a LARGE set is borrowing from other shards (large.rs).
    pub borrow: crate::large::Borrowing,

    /// How JS sees the arena (see view.rs).
    pub view: crate::view::View,
    /// The mapping is brand new, hence all zeros: formatting skips zero fills, so that formatting a
    /// large arena touches (and makes resident) only the pages it writes something other than zero to.
    pub fresh: bool,
}

impl Engine {
    pub fn new(base: *mut u8, mem_bytes: u64, view: crate::view::View) -> Engine {
        let mut e = Engine {
            base,
            mem_bytes,
            shard_count: 0,
            shard_bytes: 0,
            shards_offset: 0,
            seg_bytes: 0,
            seg_count: 0,
            max_entry_bytes: 0,
            index_buckets: 0,
            sketch_blocks: 0,
            sketch_counter_blocks: 0,
            policy_capacity: 0.0,
            cold_hits_limit: 0,
            ghost_slots: 0,
            max_entries_per_shard: 0,
            max_entries_total: 0,
            sketch_offset: 0,
            ghost_offset: 0,
            index_offset: 0,
            seg_headers_offset: 0,
            data_offset: 0,
            policy_id: 0,
            seed: 0,
            max_threads: 0,
            threads_offset: 0,
            scratch_offset: 0,
            scratch_bytes: 0,
            thread_id: 0,
            thread_base: std::ptr::null_mut(),
            my_lease: 0,
            scratch: std::ptr::null_mut(),
            tag: 0,
            bucket1: 0,
            bucket2: 0,
            saved_tag: 0,
            saved_bucket1: 0,
            saved_bucket2: 0,
            last_shard: 0,
            locked_shard: 0,
            tail_off: 0,
            tail_size: 0,
            tail_cost: 0,
            tail_slot: 0,
            tail_hash: 0,
            saved_tail: Default::default(),
            positions: 0,
            ghost_tag: 0,
            victim_queue: crate::layout_generated::QUEUE_PROBATION,
            insert_flags: 0,
            hold_empty_segments: false,
            cur: CurrentSet::default(),
            borrow: Default::default(),
            view,
            fresh: false,
        };
        unsafe { e.load_geometry() };
        e
    }

    #[inline(always)]
    pub fn at(&self, off: u32) -> *mut u8 {
        unsafe { self.base.add(off as usize) }
    }

    /// Reads the geometry back from the header. Bounds were checked by the caller (bindings.rs) before
    /// the engine is used: every shard must lie inside the mapping.
    pub unsafe fn load_geometry(&mut self) {
        let b = self.base;
        let u32f = |off: u32| ld32(b.add(off as usize));
        let u64f = |off: u32| ld64(b.add(off as usize));
        self.shard_count = u32f(L::ARENA_SHARD_COUNT);
        self.shard_bytes = u64f(L::ARENA_SHARD_BYTES) as u32;
        self.shards_offset = u64f(L::ARENA_SHARDS_OFFSET);
        self.seg_bytes = u32f(L::ARENA_SEG_BYTES);
        self.seg_count = u32f(L::ARENA_SEG_COUNT);
        self.max_entry_bytes = u32f(L::ARENA_MAX_ENTRY_BYTES);
        self.index_buckets = u32f(L::ARENA_INDEX_BUCKETS);
        self.sketch_blocks = u32f(L::ARENA_SKETCH_BLOCKS);
        self.sketch_counter_blocks = if crate::policy::tuning_generated::MISS_FILTER_SHARE == 0 {
            self.sketch_blocks
        } else {
            (self.sketch_blocks as u64 * (crate::policy::tuning_generated::MISS_FILTER_SHARE - 1) as u64
                / crate::policy::tuning_generated::MISS_FILTER_SHARE as u64) as u32
        };
        self.ghost_slots = u32f(L::ARENA_GHOST_SLOTS);
        self.max_entries_per_shard = u32f(L::ARENA_MAX_ENTRIES_PER_SHARD);
        self.max_entries_total = u32f(L::ARENA_MAX_ENTRIES_TOTAL);
        // Segments left to allocation when the whole queue area is counted as capacity.
        let spare = L::NUM_QUEUES + 2;
        self.policy_capacity = if self.max_entries_total != 0 {
            self.max_entries_total as f64 / self.shard_count as f64
        } else {
            (if self.seg_count > spare { self.seg_count - spare } else { 1 }) as f64 * self.seg_bytes as f64
        };
        // For a u32 count n: (n as f64) < x exactly when n < ceil(x) (x ≥ 0, every u32 exact in f64).
        let x = crate::policy::tuning_generated::COLD_HITS * self.policy_capacity;
        self.cold_hits_limit = if x <= 0.0 { 0 } else if x >= 8589934592.0 { 8589934592 } else { x.ceil() as u64 };
        self.sketch_offset = u32f(L::ARENA_SHARD_SKETCH_OFFSET);
        self.ghost_offset = u32f(L::ARENA_SHARD_GHOST_OFFSET);
        self.index_offset = u32f(L::ARENA_SHARD_INDEX_OFFSET);
        self.seg_headers_offset = u32f(L::ARENA_SHARD_SEG_HEADERS_OFFSET);
        self.data_offset = u32f(L::ARENA_SHARD_DATA_OFFSET);
        self.policy_id = u32f(L::ARENA_POLICY);
        self.seed = ((u32f(L::ARENA_SEED_HI) as u64) << 32) | u32f(L::ARENA_SEED_LO) as u64;
        self.max_threads = u32f(L::ARENA_MAX_THREADS);
        self.threads_offset = u64f(L::ARENA_THREADS_OFFSET);
        self.scratch_offset = u64f(L::ARENA_SCRATCH_OFFSET);
        self.scratch_bytes = u32f(L::ARENA_SCRATCH_BYTES);
    }

    /// A description of what is wrong with the header's geometry for this mapping, if anything: the
    /// engine dereferences every offset it derives from these numbers, so they are checked once here.
    pub fn geometry_problem(&self) -> Option<String> {
        let shard_bytes = unsafe { ld64(self.base.add(L::ARENA_SHARD_BYTES as usize)) };
        if shard_bytes >= 1 << 32 {
            return Some(format!("shards of {} bytes (a shard must be smaller than 4 GiB)", shard_bytes));
        }
        let end = self.shards_offset as u128 + self.shard_count as u128 * shard_bytes as u128;
        if self.shard_count == 0 || end > self.mem_bytes as u128 {
            return Some(format!("{} shards of {} bytes from offset {} do not fit in {} bytes", self.shard_count, shard_bytes, self.shards_offset, self.mem_bytes));
        }
        let data_end = self.data_offset as u64 + self.seg_count as u64 * self.seg_bytes as u64;
        if data_end > shard_bytes || self.seg_bytes < 64 || self.seg_count == 0 || self.index_buckets < 2 {
            return Some("segments or index do not fit in a shard".into());
        }
        if (self.index_offset as u64) + self.index_buckets as u64 * L::BUCKET_BYTES as u64 > self.seg_headers_offset as u64
            || (self.seg_headers_offset as u64) + self.seg_count as u64 * L::SEG_SIZE as u64 > self.data_offset as u64
        {
            return Some("overlapping shard regions".into());
        }
        let threads_end = self.threads_offset + self.max_threads as u64 * L::THREAD_SIZE as u64;
        let scratch_end = self.scratch_offset + self.max_threads as u64 * self.scratch_bytes as u64;
        if threads_end > self.shards_offset || scratch_end > self.shards_offset || self.scratch_bytes < 4096 {
            return Some("thread slots or scratch areas overlap the shards".into());
        }
        None
    }

    pub fn set_thread(&mut self, slot: u32) {
        self.thread_id = slot + 1;
        self.thread_base = self.at64(self.threads_offset + slot as u64 * L::THREAD_SIZE as u64);
        self.scratch = self.at64(self.scratch_offset + slot as u64 * self.scratch_bytes as u64);
    }

    #[inline(always)]
    pub fn at64(&self, off: u64) -> *mut u8 {
        unsafe { self.base.add(off as usize) }
    }

    #[inline(always)]
    pub fn shard_base(&self, shard: u32) -> *mut u8 {
        unsafe { self.base.add((self.shards_offset + shard as u64 * self.shard_bytes as u64) as usize) }
    }

    /// Live entries in the whole arena, kept only when there is a global count bound (maxEntries).
    #[inline(always)]
    pub fn count_globally(&self, delta: i32) {
        if self.max_entries_total != 0 {
            unsafe { ai32(self.at(L::ARENA_LIVE_TOTAL)) }.fetch_add(delta, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// memory.fill with zeros, skipped on a fresh mapping (which reads as zeros already).
    pub unsafe fn zero(&self, p: *mut u8, len: u64) {
        if !self.fresh {
            fill(p, 0, len);
        }
    }

    #[inline(always)]
    pub fn result(&self, field: u32) -> *mut u8 {
        unsafe { self.scratch.add(field as usize) }
    }

    /// Where the key of the current call sits in scratch (after RESULT).
    #[inline(always)]
    pub fn key_addr(&self) -> *mut u8 {
        self.result(L::RESULT_SIZE)
    }
}
