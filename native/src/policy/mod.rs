//! Port of assembly/policy/index.ts: the narrow interface between storage and replacement policy.
//! Storage asks: where does a newcomer go (or is it refused), what follows an insert, and which entry
//! leaves when room is needed. Policies act on the queues only through queues.rs (tail, move, evict),
//! and see hits through the lock-free on_access. `clock` is the simple baseline; `adaptive` the default.
pub mod adaptive;
pub mod clock;
pub mod decision;
pub mod rng;
pub mod tuning_generated;
pub mod units;
pub mod window;

use crate::arena::Engine;
use crate::layout_generated as L;
use clock::CLOCK_QUEUE;

pub use decision::REJECT;

impl Engine {
    pub unsafe fn policy_init(&mut self, sb: *mut u8, shard: u32) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_init(sb, shard);
        }
    }

    /// Queue for a new key of `size` bytes with hash `h`, or REJECT; `segments` is what a LARGE entry
    /// needs free (its value's chain and a segment for its record), 0 for any other. Under the lock.
    pub unsafe fn policy_insert(&mut self, sb: *mut u8, h: u64, size: u32, now: f64, segments: u32, asked_before: bool) -> i32 {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_insert(sb, h, size, now, segments, asked_before)
        } else {
            CLOCK_QUEUE as i32
        }
    }

    /// Whether a get missed the new key with hash h (the miss filter's 'missed' bit), read before its
    /// set counts the access: a count that halves the sketch clears the filter, and a key loaded after a
    /// miss would then look written unasked (as policyTouchNew in assembly/policy/index.ts). Under the
    /// shard lock.
    /// Also starts loading the key's sketch block and ghost bucket, which the set reads next (as
    /// policyTouchNew's preload; here a prefetch, which holds nothing up).
    pub unsafe fn policy_asked_before(&self, sb: *mut u8, h: u64) -> bool {
        if self.policy_id != L::POLICY_ADAPTIVE {
            return false;
        }
        self.prefetch_policy(sb, h);
        self.filter_asked(sb, h)
    }

    /// After a new entry went into queue q. Under the shard lock.
    pub unsafe fn policy_after_insert(&mut self, sb: *mut u8, q: u32, now: f64) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_after_insert(sb, q, now);
        }
    }

    /// Makes one entry leave the shard to make room for a newcomer of `incoming` bytes (0 when the room
    /// is not for a newcomer); false when the shard holds nothing. Under the shard lock.
    pub unsafe fn policy_evict_one(&mut self, sb: *mut u8, incoming: u32, now: f64) -> bool {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_evict_one(sb, incoming, now)
        } else {
            self.clock_evict_one(sb, now)
        }
    }

    /// A get that missed (lock-free; not a peek).
    pub unsafe fn policy_on_miss(&mut self, sb: *mut u8, h: u64) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_on_miss(sb, h);
        }
    }

    /// An access that counts for frequency (a hit, lock-free and lossy; or a set, under the lock).
    #[inline(always)]
    pub unsafe fn policy_on_access(&self, sb: *mut u8, h: u64) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_on_access(sb, h);
        }
    }

    /// `times` accesses at once (a front's batched hits, lock-free): what `times` calls of
    /// policy_on_access do (the adaptive policy's access is the sketch's increment).
    #[inline(always)]
    pub unsafe fn policy_on_accesses(&self, sb: *mut u8, h: u64, times: u32) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_on_accesses(sb, h, times);
        }
    }

    /// A get that hit (lock-free, lossy): an access that also counts as a hit (COLD_HITS). `block`: the
    /// key's sketch block (sketch_block_of), null without a sketch. `first_in_probation`: the entry is in
    /// probation and was not hit since it got there (LATE_HIT). `in_window`: the entry is in the window (MISS_UNDO).
    #[inline(always)]
    pub unsafe fn policy_on_hit(&self, sb: *mut u8, h: u64, block: *mut u8, first_in_probation: bool, entry_flags: u32) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.adaptive_on_hit(sb, h, block, first_in_probation, entry_flags);
        }
    }

    /// The policy's flags for the entry of the insert policy_insert just placed (ENTRY_UNASKED: LATE_FLAG;
    /// ENTRY_TRACER: TRACER_FLAG), which every move and an update keep. Under the shard lock.
    pub fn policy_insert_flags(&self) -> u32 {
        if self.policy_id == L::POLICY_ADAPTIVE { self.insert_flags } else { 0 }
    }

    /// The frequency a newcomer with hash `h` brings to a contest in another shard (0 without a sketch).
    pub unsafe fn policy_estimate(&self, sb: *mut u8, h: u64) -> u32 {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.estimate(sb, h)
        } else {
            0
        }
    }

    /// What a LARGE newcomer of policy cost `size` brings to the lenders' contests: its frequency when
    /// it is big (BIG_NEWCOMER: it must earn its room there too), else UNCONTESTED, so that lenders
    /// give up their victims in eviction order, as its own shard makes its room (0 without a sketch).
    pub unsafe fn policy_lend_frequency(&self, sb: *mut u8, h: u64, size: u32) -> u32 {
        if self.policy_id != L::POLICY_ADAPTIVE {
            return 0;
        }
        if self.is_big(sb, size, 0) {
            self.estimate(sb, h)
        } else {
            decision::UNCONTESTED
        }
    }

    /// Makes `segments` segments free (and one spare) in shard `sb` for another shard's LARGE newcomer
    /// of frequency `fc`, as far as its victims lose to it (adaptive) or by plain eviction (clock).
    pub unsafe fn policy_lend(&mut self, sb: *mut u8, fc: u32, segments: u32, now: f64) {
        if self.policy_id == L::POLICY_ADAPTIVE {
            self.contest_free(sb, fc, segments, now);
            return;
        }
        while self.free_count(sb) < segments + 1 {
            if !self.clock_evict_one(sb, now) {
                break;
            }
        }
    }
}
