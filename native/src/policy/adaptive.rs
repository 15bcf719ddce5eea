//! Port of assembly/policy/adaptive.ts, the default policy: W-TinyLFU built from three FIFO queues,
//! with ARC's adaptation of the window (bench/sim/model/POLICY.md has the algorithm, its constants and
//! the measurements behind each).
//!
//! - WINDOW: every newcomer enters here; its target size adapts.
//! - PROBATION: main entries not hit since they got there; its tail is the eviction victim.
//! - PROTECTED: main entries hit in probation, CLOCK reinsertion; its overflow goes back to probation.
//!
//! A candidate leaving the window enters probation only if the sketch says it is more frequent than
//! the victim it displaces (TinyLFU); a key found in the ghost contests the victims at once and,
//! winning, goes straight to protected; the window target moves like ARC's p on recent ghost hits.
use super::decision::REJECT;
use super::rng::{next_random, seed_rng};
use super::tuning_generated::{
    COLD_HITS, COLD_HITS_UNASKED, COLD_SHARE, COLD_WINDOW, DRIFT_BLOCK, DRIFT_DECAY, DRIFT_DROP, DRIFT_FULL, DRIFT_GROW, DRIFT_GROW_DECAY, DRIFT_GROW_HIT, DRIFT_MIN_BLOCK, DRIFT_SWEEP, FREE_TAG, HIT_GAIN, HIT_GAIN_MAIN, HIT_GAIN_NO_AGE, HIT_GAIN_RUNS, HIT_GAIN_SHARE, HIT_GAIN_UNDO, INITIAL_WINDOW, LARGE_TIE_FREQUENCY, LATE_FLAG, LATE_HIT, LATE_SHARE, TRACER_FLAG, MISS_RUN, MISS_UNDO, MISS_UNDO_MISSES, DRY_RUN, DRY_RUN_CAP, DRY_RUN_COST, MAX_WINDOW, MISS_CLEAR, MISSED_GENS, COLD_SHED, FILL_ROTATE, ONCE_DROP, ONCE_FIFO, ONCE_HOT_SHARE, ONCE_LIFT, ONCE_MAX_WINDOW, PROTECTED_SHARE, RETURN_LEVEL, RETURN_MAX, RETURN_READ_MIN, RETURN_SAMPLE, RETURN_SHARE, RETURN_SPAN, RETURN_TEST_BACK, RETURN_TEST_NEW, RETURN_TO, SATURATED_TIE, STALE_FAST, STALE_FAST_AGE, STALE_FAST_AGE_WINDOW, STALE_FAST_DRIFT, STALE_FAST_HALVE, STALE_FAST_HALVE_DRIFT, STALE_FAST_HOLD, STALE_FAST_PEAK, STALE_FAST_TAIL, STALE_FAST_WINDOW, STALE_GATE, STALE_HALVE, STALE_HOLD, STALE_MAX_WINDOW, STALE_MIN_STEPS, STALE_RUNS, UNASKED_TIE, WARM_FREQUENCY, WARM_ODDS, WINDOW_CLOCK_ASKED, WIN_AGE, YOUNG_AGE, YOUNG_BACK_FROM, YOUNG_BACK_MIN, YOUNG_BACK_TO, YOUNG_HANDOFF, YOUNG_KEEP, YOUNG_MIN, YOUNG_STEP, YOUNG_TEST,
};
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::SeqCst;

const WINDOW: u32 = L::QUEUE_WINDOW;
const PROBATION: u32 = L::QUEUE_PROBATION;
const PROTECTED: u32 = L::QUEUE_PROTECTED;
const FROM_WINDOW: u32 = 0;
const FROM_MAIN: u32 = 1;
const P: u32 = L::POLICY_STATE_OFFSET;
// MISS_RUN's word (POLICY_MISS_RUN): gets that missed in a row (the low 28 bits), DRY_RUN's mark (an insert set it, no
// get hit since), MISS_UNDO's verdict started, pending (a jump waits for it) and its undo decided (the next insert
// applies it). See assembly/policy/adaptive.ts.
const MISS_COUNT: u32 = 0x0fff_ffff;
const DRY_ARMED: u32 = 1 << 28;
const MISS_STARTED: u32 = 1 << 29;
const MISS_PENDING: u32 = 1 << 30;
const MISS_UNDONE: u32 = 1 << 31;
/// MISS_UNDO's thresholds, in the tally's units (a miss -1, a hit +/-MISS_UNDO_MISSES).
const MISS_VERDICT: i32 = (MISS_UNDO * MISS_UNDO_MISSES) as i32;
// DRY_RUN's state word (POLICY_DRY_STATE): the pending jump is DRY_RUN's, and an undone dry jump's lockout.
const DRY_JUMP: u32 = 1;
const DRY_LOCK: u32 = 2;

/// The drift gate's block for a shard of `entries` capacity: DRIFT_BLOCK of it, at least DRIFT_MIN_BLOCK.
fn block_of(entries: f64) -> u32 {
    f64::min(u32::MAX as f64, f64::max(DRIFT_MIN_BLOCK as f64, DRIFT_BLOCK * entries).ceil()) as u32
}

const MAX_TAIL_OPS: i32 = super::tuning_generated::MAX_TAIL_OPS as i32;

/// YOUNG_TEST (stop 52): a key's tracer slot (YOUNG_TEST a power of two), as assembly/policy/adaptive.ts youngSlot.
#[inline(always)]
fn young_slot(h: u64) -> u32 {
    ((h.wrapping_mul(0x9E3779B97F4A7C15) >> 40) as u32) & (YOUNG_TEST.wrapping_sub(1))
}

/// YOUNG_TEST's running share at `share`: one step of YOUNG_STEP towards `toward` (1: a tracer counted for, 0: against).
#[inline(always)]
unsafe fn young_step(share: *mut u8, toward: f64) {
    let x = ldf64(share);
    stf64(share, x + (toward - x) * YOUNG_STEP);
}

/// YOUNG_TEST: a key's tracer tag (≥ 4: 0 is a free slot, 1 a tracer read in time, 2 a new key's read late).
#[inline(always)]
fn young_tag(h: u64) -> u32 {
    ((h >> 32) as u32) | 4
}

/// YOUNG_TEST's veto as last decided (return_test_veto moves it): on, and write-backs read again often enough (YOUNG_BACK_MIN).
#[inline(always)]
unsafe fn young_veto_holds(sb: *mut u8) -> bool {
    ld32(sb.add((P + L::POLICY_YOUNG_VETO) as usize)) != 0
        && (YOUNG_BACK_MIN == 0.0 || ldf64(sb.add((P + L::POLICY_BACK_SHARE) as usize)) >= YOUNG_BACK_MIN)
}

/// RETURN_TEST: the sampled write-backs leave the window hit more often than the new keys.
#[inline(always)]
unsafe fn back_read_more(sb: *mut u8) -> bool {
    ldf64(sb.add((P + L::POLICY_BACK_MEAN) as usize)) > ldf64(sb.add((P + L::POLICY_NEW_MEAN) as usize))
}

/// RETURN_TEST (RETURN_SAMPLE, stop 50): one key in RETURN_SAMPLE, by hash (as assembly/policy/adaptive.ts returnSampled).
#[inline(always)]
fn return_sampled(h: u64) -> bool {
    ((h.wrapping_mul(0x94D049BB133111EB) >> 40) as u32) & (RETURN_SAMPLE.wrapping_sub(1)) == 0
}

impl Engine {
    pub unsafe fn adaptive_init(&mut self, sb: *mut u8, shard: u32) {
        let c = self.policy_capacity;
        stf64(sb.add((P + L::POLICY_CAPACITY) as usize), c);
        self.set_window_target(sb, f64::max(1.0, c * INITIAL_WINDOW));
        stf64(sb.add((P + L::POLICY_GROWTH_BASE) as usize), f64::max(1.0, c * INITIAL_WINDOW));
        st32(sb.add((P + L::POLICY_AGE_MARK) as usize), 0);
        st32(sb.add((P + L::POLICY_PENDING_GROW) as usize), 0);
        st32(sb.add((P + L::POLICY_PENDING_SHRINK) as usize), 0);
        st32(sb.add((P + L::POLICY_RETURN_ON) as usize), 0);
        stf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize), 0.0);
        stf64(sb.add((P + L::POLICY_HOT_SHARE) as usize), 0.0);
        st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 0);
        st32(sb.add((P + L::POLICY_COLD_HITS) as usize), 0);
        st32(sb.add((P + L::POLICY_MISS_RUN) as usize), 0);
        stf64(sb.add((P + L::POLICY_MISS_FROM) as usize), 0.0);
        st32(sb.add((P + L::POLICY_MISS_TALLY) as usize), 0);
        st32(sb.add((P + L::POLICY_MISS_SHED) as usize), 0);
        st32(sb.add((P + L::POLICY_DRY_RUN) as usize), 0);
        st32(sb.add((P + L::POLICY_DRY_ADDED) as usize), 0);
        st32(sb.add((P + L::POLICY_DRY_STATE) as usize), 0);
        st32(sb.add((P + L::POLICY_DRY_LAST) as usize), 0);
        stf64(sb.add((P + L::POLICY_DRIFT_PEAK) as usize), 0.0);
        st32(sb.add((P + L::POLICY_DRIFT_INSERTS) as usize), 0);
        st32(sb.add((P + L::POLICY_DRIFT_RETURNS) as usize), 0);
        st32(sb.add((P + L::POLICY_DRIFT_ON) as usize), 0);
        // Count mode: the block's length for good. Byte mode: a placeholder until the shard is first
        // full (an empty shard's mean size says nothing), when cold_start takes it with the mean size.
        st32(sb.add((P + L::POLICY_DRIFT_BLOCK) as usize), block_of(c));
        st32(sb.add((P + L::POLICY_DRIFT_FELL) as usize), 0);
        st32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize), 0);
        st32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize), 0);
        stf64(sb.add((P + L::POLICY_DRIFT_GREW) as usize), 0.0);
        st32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize), 0);
        st32(sb.add((P + L::POLICY_RET_WINDOW) as usize), 0);
        st32(sb.add((P + L::POLICY_RET_MAIN) as usize), 0);
        st32(sb.add((P + L::POLICY_HIT_RUN) as usize), 0);
        st32(sb.add((P + L::POLICY_PENDING_BOOST) as usize), 0);
        stf64(sb.add((P + L::POLICY_BLOCK_BOOST) as usize), 0.0);
        st32(sb.add((P + L::POLICY_QUIET_RETURNS) as usize), 0);
        st32(sb.add((P + L::POLICY_QUIET_MAIN_RETURNS) as usize), 0);
        st32(sb.add((P + L::POLICY_QUIET_ON) as usize), 0);
        st32(sb.add((P + L::POLICY_STALE_STEPS) as usize), 0);
        st32(sb.add((P + L::POLICY_STALE_UNHIT) as usize), 0);
        st32(sb.add((P + L::POLICY_STALE_RUN) as usize), 0);
        st32(sb.add((P + L::POLICY_STALE_HELD) as usize), 0);
        stf64(sb.add((P + L::POLICY_BACK_MEAN) as usize), 0.0);
        stf64(sb.add((P + L::POLICY_NEW_MEAN) as usize), 3.0);
        st32(sb.add((P + L::POLICY_YOUNG_CLOCK) as usize), 0);
        st32(sb.add((P + L::POLICY_YOUNG_LIMIT) as usize), 0);
        st32(sb.add((P + L::POLICY_BACK_FROM) as usize), 0);
        st32(sb.add((P + L::POLICY_BACK_TO) as usize), 0);
        st32(sb.add((P + L::POLICY_YOUNG_KEEP_LIMIT) as usize), 0);
        st32(sb.add((P + L::POLICY_YOUNG_VETO) as usize), 0);
        stf64(sb.add((P + L::POLICY_YOUNG_SHARE) as usize), 1.0);
        stf64(sb.add((P + L::POLICY_BACK_SHARE) as usize), 0.0);
        stf64(sb.add((P + L::POLICY_READ_SHARE) as usize), 1.0);
        st32(sb.add((P + L::POLICY_READ_FROM) as usize), 0);
        std::ptr::write_bytes(sb.add((P + L::POLICY_YOUNG_SLOTS) as usize), 0, (YOUNG_TEST << 4) as usize);
        seed_rng(sb, self.seed, shard);
        self.clear_sketch(sb, self.ghost_slots);
        self.clear_ghost(sb);
    }

    /// Every access that counts for frequency: a hit (lock-free, lossy) or a set (under the lock).
    #[inline(always)]
    pub unsafe fn adaptive_on_access(&self, sb: *mut u8, h: u64) {
        self.increment(sb, h);
    }

    /// A get that hit (lock-free, lossy): an access, evidence for COLD_WINDOW until the shard is
    /// first full, and with `first_in_probation` (the entry's first hit in probation) for LATE_HIT;
    /// `entry_flags`: the entry's flags (ENTRY_UNASKED: LATE_FLAG; ENTRY_TRACER: TRACER_FLAG).
    #[inline(always)]
    pub unsafe fn adaptive_on_hit(&self, sb: *mut u8, h: u64, block: *mut u8, first_in_probation: bool, entry_flags: u32) {
        if !block.is_null() {
            self.increment_at(sb, block, h as u32);
        }
        // TRACER_FLAG: only an entry whose tag a tracer slot held at its insert can be a tracer.
        if YOUNG_TEST != 0 && (TRACER_FLAG == 0 || entry_flags & L::ENTRY_TRACER != 0) {
            self.young_read(sb, h);
        }
        if COLD_WINDOW > 0.0 {
            self.note_cold_hits(sb, h, 1, Some(entry_flags));
        }
        if LATE_HIT != 0 && first_in_probation {
            self.note_late_hit(sb, h, entry_flags & L::ENTRY_UNASKED != 0);
        }
        // MISS_RUN: one load (the word sits beside coldFull's, which note_cold_hits read), a store only when it is not 0.
        if MISS_RUN != 0 {
            let w = ld32(sb.add((P + L::POLICY_MISS_RUN) as usize));
            if w != 0 {
                self.miss_run_hit(sb, w, entry_flags, h as u32);
            }
        }
    }

    /// MISS_RUN (stop 54): a get that hit ends the run of misses; while MISS_UNDO's verdict is pending, the hit counts
    /// for it (+1 in main, -1 in the window; see assembly/policy/adaptive.ts missRunHit). Lock-free and lossy.
    #[inline(never)]
    unsafe fn miss_run_hit(&self, sb: *mut u8, w: u32, entry_flags: u32, key: u32) {
        // DRY_RUN: the hit clears the mark the last insert set (a get hit since).
        let mut flags = w & !(MISS_COUNT | DRY_ARMED);
        if w & MISS_PENDING != 0 {
            let in_window = entry_flags & L::ENTRY_QUEUE_MASK == L::QUEUE_WINDOW << L::ENTRY_QUEUE_SHIFT;
            let at = sb.add((P + L::POLICY_MISS_TALLY) as usize);
            let mut step = if in_window { -(MISS_UNDO_MISSES as i32) } else { MISS_UNDO_MISSES as i32 };
            // DRY_RUN: after its jump a hit on an entry written unasked serves the jump, and a hit in main counts
            // against it only on another key than the last so counted (see assembly/policy/adaptive.ts missRunHit).
            if DRY_RUN != 0 && !in_window && ld32(sb.add((P + L::POLICY_DRY_STATE) as usize)) & DRY_JUMP != 0 {
                step = Self::dry_step(sb, entry_flags, key);
            }
            let tally = (ld32(at) as i32).wrapping_add(step);
            st32(at, tally as u32);
            flags |= MISS_STARTED;
            if tally >= MISS_VERDICT {
                flags = (flags & !(MISS_PENDING | MISS_STARTED)) | MISS_UNDONE;
            } else if tally <= -MISS_VERDICT {
                flags &= !(MISS_PENDING | MISS_STARTED);
            }
        }
        st32(sb.add((P + L::POLICY_MISS_RUN) as usize), flags);
    }

    /// DRY_RUN: a hit in main's step in the verdict on a dry jump (see miss_run_hit).
    unsafe fn dry_step(sb: *mut u8, entry_flags: u32, key: u32) -> i32 {
        if LATE_FLAG != 0 && entry_flags & L::ENTRY_UNASKED != 0 {
            return -(MISS_UNDO_MISSES as i32);
        }
        let at = sb.add((P + L::POLICY_DRY_LAST) as usize);
        if key == ld32(at) {
            return 0;
        }
        st32(at, key);
        MISS_UNDO_MISSES as i32
    }

    /// MISS_UNDO: a get that missed while the verdict runs counts -1 (out of line: only between a jump and its verdict).
    #[inline(never)]
    unsafe fn miss_verdict_miss(&self, sb: *mut u8) {
        let at = sb.add((P + L::POLICY_MISS_TALLY) as usize);
        let tally = (ld32(at) as i32).wrapping_sub(1);
        st32(at, tally as u32);
        if tally <= -MISS_VERDICT {
            au32(sb.add((P + L::POLICY_MISS_RUN) as usize)).fetch_and(!(MISS_PENDING | MISS_STARTED), SeqCst);
        }
    }

    /// `times` hits at once (a front's batched hits): the sketch counts them as `times` accesses.
    pub unsafe fn adaptive_on_accesses(&self, sb: *mut u8, h: u64, times: u32) {
        self.increment_times(sb, h, times);
        if YOUNG_TEST != 0 {
            self.young_read(sb, h);
        }
        if COLD_WINDOW > 0.0 {
            self.note_cold_hits(sb, h, times, None);
        }
        // MISS_RUN: they end the run but give MISS_UNDO no verdict (the front does not say which queue the entry is in).
        if MISS_RUN != 0 {
            let at = sb.add((P + L::POLICY_MISS_RUN) as usize);
            let w = ld32(at);
            if w & (MISS_COUNT | DRY_ARMED) != 0 {
                st32(at, w & !(MISS_COUNT | DRY_ARMED));
            }
        }
    }

    /// Hits before the shard was first full (COLD_HITS). A plain, lossy count: a lost hit only matters
    /// near the threshold, and once the flag is set (under the lock) nothing counts any more. A count that
    /// wrapped past 2^32 before the first fill reads low: the rule then does not fire, the safe side.
    /// COLD_HITS_UNASKED: only hits on keys written unasked, while the unasked share is at least
    /// RETURN_SHARE, count (write-then-read from empty reads its own writes); a cache-aside hot set hits its
    /// own loads, and a bulk warm-up of sets after it made the rule misfire (stop 39). `entry_flags`: the hit
    /// entry's flags (None for a front's batched hits, which have no entry at hand).
    #[inline(always)]
    unsafe fn note_cold_hits(&self, sb: *mut u8, h: u64, n: u32, entry_flags: Option<u32>) {
        let full = ld32(sb.add((P + L::POLICY_COLD_FULL) as usize));
        if full != 0 {
            // FILL_ROTATE: a get that hits ends the rotation (see assembly/policy/adaptive.ts noteColdHits).
            if FILL_ROTATE > 0.0 && full == 3 {
                st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 1);
            }
            return;
        }
        let at = sb.add((P + L::POLICY_COLD_HITS) as usize);
        let hits = ld32(at);
        if COLD_HITS_UNASKED == 0 {
            st32(at, hits.wrapping_add(n));
            return;
        }
        // The filter is read only while the rule could still fire and needs more hits: while some inserts
        // are written unasked (RETURN_SHARE: cache-aside traffic has ~0; COLD_SHARE itself dropped hits
        // made while the share was still rising, write share 0.5 from empty), and below the count it needs
        // (a cache that never fills, read after a bulk fill, stops reading it once that many hits were
        // seen). A count at the threshold decides as a higher one would. The capacity in POLICY_CAPACITY
        // is at least capacity(), the one cold_start uses.
        // The count is tested first: in a cache that never fills it is over the threshold on nearly every
        // hit, and cold_hits_limit is that threshold as an integer (arena.rs).
        if (hits as u64) < self.cold_hits_limit
            && ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) >= RETURN_SHARE
            && self.written_unasked(sb, h, entry_flags)
        {
            st32(at, hits.wrapping_add(n));
        }
    }

    /// Whether hash h was written unasked, for COLD_HITS_UNASKED: with LATE_FLAG bit 2 (stop 59) a hit reads its
    /// entry's ENTRY_UNASKED, which the get holds already (the filter's word was a cache line of its own on every hit of
    /// a cache not yet full); a front's batched hits (no entry) read the filter (see assembly/policy/adaptive.ts noteColdHits).
    #[inline(always)]
    unsafe fn written_unasked(&self, sb: *mut u8, h: u64, entry_flags: Option<u32>) -> bool {
        match entry_flags {
            Some(flags) if LATE_FLAG & 2 != 0 => flags & L::ENTRY_UNASKED != 0,
            _ => self.filter_written_unasked(sb, h),
        }
    }

    /// COLD_WINDOW: the first time an insert finds the shard full. Write-then-read traffic from empty
    /// (sets, then gets of recent writes: a share of unasked inserts, and hits while filling) gave the
    /// keys read meanwhile counts that make admission reject the newcomers for capacities: the window
    /// target starts large instead. A bulk warm-up of sets has no hits, and cache-aside traffic no
    /// unasked share.
    unsafe fn cold_start(&self, sb: *mut u8) {
        st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 1);
        let c = self.capacity(sb);
        if DRIFT_SWEEP != 0 {
            st32(sb.add((P + L::POLICY_DRIFT_BLOCK) as usize), block_of(c / self.mean_size(sb)));
        }
        let share = ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize));
        let hits = ld32(sb.add((P + L::POLICY_COLD_HITS) as usize));
        if COLD_WINDOW > 0.0 && share >= COLD_SHARE && hits as f64 >= COLD_HITS * c {
            self.set_window_target(sb, f64::max(self.window_target(sb), COLD_WINDOW * c));
            // COLD_SHED: main sheds down to its new share; until it has, protected's unhit overflow is the victim.
            if COLD_SHED != 0 {
                st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 2);
            }
        } else if FILL_ROTATE > 0.0 && YOUNG_TEST != 0 && hits == 0 && share >= COLD_SHARE {
            // FILL_ROTATE: a fill of sets alone; the deadline (YOUNG_TEST's clock) lives in coldHits, unread once full.
            st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 3);
            let until = ld32(sb.add((P + L::POLICY_YOUNG_CLOCK) as usize)).wrapping_add((FILL_ROTATE * c / self.mean_size(sb)).floor() as u32);
            st32(sb.add((P + L::POLICY_COLD_HITS) as usize), until);
        }
    }

    /// A get that missed (lock-free): a young ghost is evidence for the window's size.
    pub unsafe fn adaptive_on_miss(&mut self, sb: *mut u8, h: u64) {
        if YOUNG_TEST != 0 {
            self.young_read(sb, h);
        }
        self.note_ghost(sb, h);
        // MISS_RUN: one more miss in the run (atomic: gets run without the lock); a full count stays full. MISS_UNDO:
        // a miss while the verdict runs counts against the undo.
        if MISS_RUN != 0 {
            let at = sb.add((P + L::POLICY_MISS_RUN) as usize);
            let w = ld32(at);
            if w & MISS_COUNT != MISS_COUNT {
                au32(at).fetch_add(1, SeqCst);
            }
            if w & MISS_STARTED != 0 {
                self.miss_verdict_miss(sb);
            }
        }
    }

    /// MISS_UNDO (stop 54): main's keys were read again after MISS_RUN's jump: the target and the shed go back.
    #[inline(never)]
    unsafe fn miss_undo(&self, sb: *mut u8) {
        au32(sb.add((P + L::POLICY_MISS_RUN) as usize)).fetch_and(!MISS_UNDONE, SeqCst);
        // DRY_RUN: an undone dry jump locks the rule out until the next ageing.
        let dry = sb.add((P + L::POLICY_DRY_STATE) as usize);
        if DRY_RUN != 0 && ld32(dry) & DRY_JUMP != 0 {
            st32(dry, ld32(dry) | DRY_LOCK);
            st32(sb.add((P + L::POLICY_DRY_RUN) as usize), 0);
        }
        self.set_window_target(sb, ldf64(sb.add((P + L::POLICY_MISS_FROM) as usize)));
        st32(sb.add((P + L::POLICY_COLD_FULL) as usize), ld32(sb.add((P + L::POLICY_MISS_SHED) as usize)));
    }

    /// MISS_RUN (stop 54): the window target jumps to COLD_WINDOW's level and main sheds, as at a cold fill; MISS_UNDO
    /// keeps the state before it for the verdict (see assembly/policy/adaptive.ts missJump). Out of line.
    #[inline(never)]
    unsafe fn miss_jump(&self, sb: *mut u8, dry: bool) {
        let c = self.capacity(sb);
        if !(self.window_target(sb) < COLD_WINDOW * c) {
            return;
        }
        let at = sb.add((P + L::POLICY_MISS_RUN) as usize);
        if MISS_UNDO != 0 && ld32(at) & MISS_PENDING == 0 {
            // DRY_RUN: whose jump the verdict is on.
            if DRY_RUN != 0 {
                let ds = sb.add((P + L::POLICY_DRY_STATE) as usize);
                st32(ds, if dry { ld32(ds) | DRY_JUMP } else { ld32(ds) & !DRY_JUMP });
            }
            stf64(sb.add((P + L::POLICY_MISS_FROM) as usize), self.window_target(sb));
            let shed = if ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) == 2 { 2 } else { 1 };
            st32(sb.add((P + L::POLICY_MISS_SHED) as usize), shed);
            st32(sb.add((P + L::POLICY_MISS_TALLY) as usize), 0);
            au32(at).fetch_and(!MISS_STARTED, SeqCst);
            au32(at).fetch_or(MISS_PENDING, SeqCst);
        }
        self.set_window_target(sb, COLD_WINDOW * c);
        st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 2);
    }

    /// DRY_RUN (stop 56, lagopen2), at an insert: the sketch's count towards the next ageing moved by this set's own
    /// count (0 or 1) and nothing else since the last insert; the run counts it if a get hit since the insert before
    /// (DRY_ARMED); anything else added takes DRY_RUN_COST per addition off it (stop 57). See assembly/policy/adaptive.ts
    /// dryNote. Under the shard lock.
    unsafe fn dry_note(&self, sb: *mut u8) {
        let n = ld32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize));
        let added = sb.add((P + L::POLICY_DRY_ADDED) as usize);
        let moved = n.wrapping_sub(ld32(added)) as i32;
        st32(added, n);
        let at = sb.add((P + L::POLICY_MISS_RUN) as usize);
        let w = ld32(at);
        if moved < 0 || moved > 1 {
            // DRY_RUN_COST (stop 57): each addition but the set's own takes DRY_RUN_COST off the run (an ageing, the
            // count gone down, one addition's worth), floored at 0. The additions counted are bounded by DRY_RUN_CAP (more
            // empty the run anyway), so the product cannot wrap.
            let run = sb.add((P + L::POLICY_DRY_RUN) as usize);
            let cost = (if moved < 0 { 1 } else { (moved as u32 - 1).min(DRY_RUN_CAP) }) * DRY_RUN_COST;
            let r = ld32(run);
            st32(run, if r > cost { r - cost } else { 0 });
            if w & DRY_ARMED != 0 {
                au32(at).fetch_and(!DRY_ARMED, SeqCst);
            }
            if moved < 0 {
                let ds = sb.add((P + L::POLICY_DRY_STATE) as usize);
                st32(ds, ld32(ds) & !DRY_LOCK);
            }
            return;
        }
        if w & DRY_ARMED == 0 {
            let run = sb.add((P + L::POLICY_DRY_RUN) as usize);
            // DRY_RUN_CAP: the run is held at most this long.
            if ld32(run) < DRY_RUN_CAP {
                st32(run, ld32(run) + 1);
            }
            au32(at).fetch_or(DRY_ARMED, SeqCst);
        }
    }

    /// MISS_RUN's win: 1 after MISS_RUN misses in a row, 2 DRY_RUN's alone (the run long enough, no lockout, the
    /// window target below COLD_WINDOW's level), 0 neither.
    unsafe fn dry_or_miss_run(&self, sb: *mut u8) -> u32 {
        if ld32(sb.add((P + L::POLICY_MISS_RUN) as usize)) & MISS_COUNT >= MISS_RUN {
            return 1;
        }
        if DRY_RUN != 0
            && ld32(sb.add((P + L::POLICY_DRY_RUN) as usize)) >= DRY_RUN
            && ld32(sb.add((P + L::POLICY_DRY_STATE) as usize)) & DRY_LOCK == 0
            && self.window_target(sb) < COLD_WINDOW * self.capacity(sb)
        {
            return 2;
        }
        0
    }

    /// Where a newcomer of `size` bytes goes: WINDOW, PROTECTED (a recent ghost that beat the victims),
    /// or REJECT (a large newcomer that could not earn its room). Called under the shard lock.
    pub unsafe fn adaptive_insert(&mut self, sb: *mut u8, h: u64, size: u32, now: f64, segments: u32, asked_before: bool) -> i32 {
        let units = self.units_of(size);
        // MISS_UNDO: an undo a hit decided applies before anything of this insert.
        if MISS_RUN != 0 && MISS_UNDO != 0 && ld32(sb.add((P + L::POLICY_MISS_RUN) as usize)) & MISS_UNDONE != 0 {
            self.miss_undo(sb);
        }
        self.apply_ghost_evidence(sb);
        // Only a big newcomer earns its room up front (BIG_NEWCOMER); a LARGE one among large values
        // enters the window like any newcomer, and ensure_room evicts for its segments.
        let big = self.is_big(sb, size, 0);
        if segments != 0 && big && !self.contest_segments(sb, h, segments, now) {
            return REJECT;
        }
        // Inserted before any get missed it: written unasked (window.rs counts its return as recency).
        let asked_for = self.filter_inserted(sb, h, asked_before);
        // LATE_FLAG: the insert's own mark goes with the entry (a get would miss the filter's word).
        self.insert_flags = if LATE_FLAG != 0 && !asked_for { L::ENTRY_UNASKED } else { 0 };
        // MISS_RUN: a key asked for is a cache-aside load, whose get counted a miss: the set takes it off again.
        if MISS_RUN != 0 && asked_for {
            let at = sb.add((P + L::POLICY_MISS_RUN) as usize);
            let w = ld32(at);
            if w & MISS_COUNT != 0 {
                let _ = au32(at).compare_exchange(w, w - 1, SeqCst, SeqCst);
            }
        }
        if DRY_RUN != 0 {
            self.dry_note(sb);
        }
        // The mean entry size serves both note_insert and the size check below, unless a contest
        // evicted entries in between.
        let mut mean = self.mean_size(sb);
        let mut weight = 0.0;
        if RETURN_TO != 0 || ONCE_MAX_WINDOW > 0.0 {
            weight = self.note_insert(sb, asked_for, mean);
        }
        // ONCE_LIFT: a target exactly at MAX_WINDOW was capped there (growth, or COLD_WINDOW) before the share
        // reached ONCE_SHARE; on write-once traffic it takes the larger maximum now, not at the next growth
        // evidence (a burst's gets insert nothing, so that evidence waits for the next burst).
        if ONCE_LIFT != 0 && self.window_target(sb) == MAX_WINDOW * self.capacity(sb) && self.once_max(sb) {
            self.set_window_target(sb, ONCE_MAX_WINDOW * self.capacity(sb));
        }
        if ONCE_DROP != 0
            && self.window_target(sb) == ONCE_MAX_WINDOW * self.capacity(sb)
            && ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) < RETURN_SHARE
        {
            // ONCE_DROP: and back, once the traffic is cache-aside (see assembly/policy/adaptive.ts).
            self.set_window_target(sb, MAX_WINDOW * self.capacity(sb));
        }
        // FILL_ROTATE: an insert asked for (after a get missed it) ends the rotation (cache-aside after a bulk warm-up).
        if FILL_ROTATE > 0.0 && asked_for && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) == 3 {
            st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 1);
        }
        // The flag also tells DRIFT_SWEEP's gate that the shard has been full.
        if (COLD_WINDOW > 0.0 || DRIFT_SWEEP != 0) && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) == 0 && self.is_full(sb, units) {
            self.cold_start(sb);
        }
        let from_ghost = self.ghost_age(sb, h) >= 0;
        if DRIFT_SWEEP != 0 {
            self.note_drift(sb, from_ghost);
        }
        if ONCE_MAX_WINDOW > 0.0 && ONCE_HOT_SHARE > 0.0 {
            self.note_hot(sb, from_ghost && asked_for && !self.filter_written_unasked(sb, h), weight);
        }
        if YOUNG_TEST != 0 {
            self.young_insert(sb, h, asked_for, mean);
        }
        if YOUNG_TEST != 0 && TRACER_FLAG != 0 && self.holds_tracer(sb, h) {
            self.insert_flags |= L::ENTRY_TRACER;
        }
        if from_ghost {
            // Evicted recently and back already: if it beats main's victims, it skips the window.
            if self.main_holds(sb) && self.is_full(sb, units) {
                let need = f64::max(units, self.used_units(sb) + units - self.capacity(sb));
                if self.contest(sb, h, need, now, false, false) {
                    return PROTECTED as i32;
                }
                mean = self.mean_size(sb);
            }
        }
        // Once recency has won, a key written back (set after a miss) is an old key coming back: it goes
        // to probation, so that the window's FIFO keeps the newest writes (RETURN_TO in src/layout/policy.json).
        // RETURN_TEST (RETURN_SAMPLE): not a sampled write-back, nor while write-backs are read in the
        // window more than the new keys are.
        if RETURN_TO != 0 && (from_ghost || asked_for) && self.return_to_probation(sb, from_ghost) && !self.return_test_veto(sb, h) {
            return PROBATION as i32;
        }
        // A newcomer several typical entries large must earn the room it takes from main.
        if big && units > mean && self.main_holds(sb) {
            let excess = self.used_units(sb) + units - self.capacity(sb);
            if excess > mean && !self.contest(sb, h, excess, now, false, false) {
                return REJECT;
            }
        }
        WINDOW as i32
    }

    /// The share of inserts written unasked (not set after a miss), averaged over about RETURN_SPAN ×
    /// capacity inserts (in mean entries of `mean` units): each insert moves it by return_weight of the
    /// way, which it returns (note_hot moves by the same).
    unsafe fn note_insert(&self, sb: *mut u8, asked_for: bool, mean: f64) -> f64 {
        let at = sb.add((P + L::POLICY_UNASKED_SHARE) as usize);
        let share = ldf64(at);
        let x = if asked_for { 0.0 } else { 1.0 };
        let weight = self.return_weight(sb, mean);
        let next = share + (x - share) * weight;
        stf64(at, next);
        // MISS_CLEAR: sets of keys no get missed have begun; the 'missed' bits left by the cache-aside
        // traffic before would call half of the new keys asked for.
        if MISS_CLEAR != 0 && share < RETURN_SHARE && next >= RETURN_SHARE {
            self.clear_missed(sb);
        }
        weight
    }

    /// The share of inserts that are cache-aside returns (back from the ghost, set after a get missed
    /// them, never written unasked), averaged as the unasked share: a hot set read beside write-once
    /// traffic, which inserts no such key (ONCE_HOT_SHARE; window.rs). `weight` is note_insert's.
    #[inline]
    unsafe fn note_hot(&self, sb: *mut u8, hot: bool, weight: f64) {
        let at = sb.add((P + L::POLICY_HOT_SHARE) as usize);
        let share = ldf64(at);
        let x = if hot { 1.0 } else { 0.0 };
        stf64(at, share + (x - share) * weight);
    }

    /// min(1, mean / (RETURN_SPAN × capacity(sb))) as assembly/policy/adaptive.ts returnWeight computes
    /// it (that one caches the two quotients): capacity(sb) is the stored capacity c, or in byte mode
    /// min(c, max_entries_per_shard × mean), which makes it max(mean / (RETURN_SPAN × c),
    /// 1 / (RETURN_SPAN × max_entries_per_shard)).
    unsafe fn return_weight(&self, sb: *mut u8, mean: f64) -> f64 {
        let per_unit = 1.0 / (RETURN_SPAN * ldf64(sb.add((P + L::POLICY_CAPACITY) as usize)));
        if self.count_mode() {
            return f64::min(1.0, per_unit);
        }
        f64::min(1.0, f64::max(mean * per_unit, 1.0 / (RETURN_SPAN * self.max_entries_per_shard as f64)))
    }

    /// Whether write-backs go to probation now (see assembly/policy/adaptive.ts returnToProbation).
    unsafe fn return_to_probation(&self, sb: *mut u8, from_ghost: bool) -> bool {
        let on = sb.add((P + L::POLICY_RETURN_ON) as usize);
        if !self.main_holds(sb) || self.window_target(sb) < RETURN_LEVEL * self.capacity(sb) {
            st32(on, 0);
            return false;
        }
        // RETURN_READ_MIN (stop 54, movewrites): off while the new keys are mostly never read (see assembly/policy/adaptive.ts).
        if RETURN_READ_MIN > 0.0 && ldf64(sb.add((P + L::POLICY_READ_SHARE) as usize)) < RETURN_READ_MIN {
            st32(on, 0);
            return false;
        }
        let share = ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize));
        if share < RETURN_SHARE {
            st32(on, 0);
        } else if share <= RETURN_MAX && from_ghost {
            st32(on, 1);
        }
        ld32(on) != 0
    }

    /// MISSED_GENS (as keptMarksCount in assembly/policy/adaptive.ts): whether the window's CLOCK reads the marks the
    /// last halving kept: 1 always; 2 while the unasked share is at least RETURN_SHARE; 4 as 2, not while RETURN_TO
    /// places write-backs in probation.
    unsafe fn kept_marks_count(&self, sb: *mut u8) -> bool {
        if MISSED_GENS == 1 {
            return true;
        }
        ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) >= RETURN_SHARE && !(MISSED_GENS == 4 && self.return_placing(sb))
    }

    /// MISSED_GENS 4 (as returnPlacing in assembly/policy/adaptive.ts): whether RETURN_TO places write-backs in
    /// probation now: on, and neither veto holds as last decided (no sampled keys, the veto not moved).
    unsafe fn return_placing(&self, sb: *mut u8) -> bool {
        if ld32(sb.add((P + L::POLICY_RETURN_ON) as usize)) == 0 {
            return false;
        }
        !(YOUNG_TEST != 0 && young_veto_holds(sb)) && !(RETURN_SAMPLE != 0 && back_read_more(sb))
    }

    /// RETURN_TEST (see assembly/policy/adaptive.ts returnTestVeto): a sampled write-back enters the
    /// window; any does while the sampled write-backs leave the window hit more often than the new keys.
    unsafe fn return_test_veto(&self, sb: *mut u8, h: u64) -> bool {
        // YOUNG_TEST: few new keys read young, and write-backs read again (see young_insert); its veto, once
        // it lifts, hands over to RETURN_TEST's (YOUNG_HANDOFF; see assembly/policy/adaptive.ts returnTestVeto).
        if YOUNG_TEST != 0 {
            let veto = sb.add((P + L::POLICY_YOUNG_VETO) as usize);
            if ldf64(sb.add((P + L::POLICY_YOUNG_SHARE) as usize)) < YOUNG_MIN {
                st32(veto, 1);
            } else if ld32(veto) != 0 {
                st32(veto, 0);
                if YOUNG_HANDOFF > 0.0 {
                    let back = sb.add((P + L::POLICY_BACK_MEAN) as usize);
                    stf64(back, f64::max(ldf64(back), ldf64(sb.add((P + L::POLICY_NEW_MEAN) as usize)) + YOUNG_HANDOFF));
                }
            }
            if young_veto_holds(sb) {
                return true;
            }
        }
        if RETURN_SAMPLE == 0 {
            return false;
        }
        return_sampled(h) || back_read_more(sb)
    }

    /// YOUNG_TEST (stop 52): a first write takes its class's young tracer slot, a write-back its back
    /// slot; the slot's previous tracer, marked or past its limit, moves its running share (see
    /// assembly/policy/adaptive.ts youngInsert). Under the lock.
    unsafe fn young_insert(&self, sb: *mut u8, h: u64, asked_for: bool, mean: f64) {
        let tag = young_tag(h);
        let mut at = sb.add((P + L::POLICY_YOUNG_SLOTS + (young_slot(h) << 3)) as usize);
        let mut now = ld32(sb.add((P + L::POLICY_YOUNG_CLOCK) as usize));
        let limit: u32;
        let mut share = sb.add((P + L::POLICY_YOUNG_SHARE) as usize);
        if !asked_for {
            now = now.wrapping_add(1);
            st32(sb.add((P + L::POLICY_YOUNG_CLOCK) as usize), now);
            // RETURN_READ_MIN: the read share counts the tracers placed from the first first write once the shard was full.
            if RETURN_READ_MIN > 0.0 && ld32(sb.add((P + L::POLICY_READ_FROM) as usize)) == 0 && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) != 0 {
                st32(sb.add((P + L::POLICY_READ_FROM) as usize), now);
            }
            // The limits in entries (units / mean), taken here for the lock-free reads.
            let entries = self.capacity(sb) / mean;
            let young = (YOUNG_AGE * entries) as u32;
            st32(sb.add((P + L::POLICY_YOUNG_LIMIT) as usize), young);
            st32(sb.add((P + L::POLICY_BACK_FROM) as usize), (YOUNG_BACK_FROM * entries) as u32);
            st32(sb.add((P + L::POLICY_BACK_TO) as usize), (YOUNG_BACK_TO * entries) as u32);
            let keep = (YOUNG_KEEP * entries) as u32;
            st32(sb.add((P + L::POLICY_YOUNG_KEEP_LIMIT) as usize), keep);
            // YOUNG_KEEP: a tracer not asked for yet is kept that long, then dropped unmeasured.
            limit = if YOUNG_KEEP > 0.0 { keep } else { young };
        } else {
            if YOUNG_BACK_MIN == 0.0 {
                return;
            }
            at = at.add((YOUNG_TEST << 3) as usize);
            limit = ld32(sb.add((P + L::POLICY_BACK_TO) as usize));
            share = sb.add((P + L::POLICY_BACK_SHARE) as usize);
        }
        let old = ld32(at);
        if old == 1 || old == 2 {
            // Read in time (1), or a new key read late (2).
            young_step(share, if old == 1 { 1.0 } else { 0.0 });
            // RETURN_READ_MIN: a new key's tracer read at all moves the read share up.
            if RETURN_READ_MIN > 0.0 && !asked_for {
                young_step(sb.add((P + L::POLICY_READ_SHARE) as usize), 1.0);
            }
        } else if old != 0 {
            let stamp = ld32(at.add(4));
            if now.wrapping_sub(stamp) < limit {
                return;
            }
            // Past its limit unread: a write-back not read again counts against; a new key, with YOUNG_KEEP, not.
            if asked_for || YOUNG_KEEP == 0.0 {
                young_step(share, 0.0);
            }
            // RETURN_READ_MIN: a new key's tracer dropped unread moves the read share down, if placed once the shard
            // was full (a bulk load's first keys are often never read).
            if RETURN_READ_MIN > 0.0 && !asked_for {
                let from = ld32(sb.add((P + L::POLICY_READ_FROM) as usize));
                if from != 0 && (stamp.wrapping_sub(from) as i32) >= 0 {
                    young_step(sb.add((P + L::POLICY_READ_SHARE) as usize), 0.0);
                }
            }
        }
        st32(at, tag);
        st32(at.add(4), now);
    }

    /// TRACER_FLAG: whether a tracer slot of h's class holds h's tag (young_read would look at it).
    unsafe fn holds_tracer(&self, sb: *mut u8, h: u64) -> bool {
        let tag = young_tag(h);
        let at = sb.add((P + L::POLICY_YOUNG_SLOTS + (young_slot(h) << 3)) as usize);
        ld32(at) == tag || (YOUNG_BACK_MIN != 0.0 && ld32(at.add((YOUNG_TEST << 3) as usize)) == tag)
    }

    /// YOUNG_TEST: a get of key h (hit or miss; lock-free, racy stores only misjudge) marks its tracers.
    #[inline(always)]
    unsafe fn young_read(&self, sb: *mut u8, h: u64) {
        let tag = young_tag(h);
        let at = sb.add((P + L::POLICY_YOUNG_SLOTS + (young_slot(h) << 3)) as usize);
        let now = ld32(sb.add((P + L::POLICY_YOUNG_CLOCK) as usize));
        if ld32(at) == tag {
            if now.wrapping_sub(ld32(at.add(4))) < ld32(sb.add((P + L::POLICY_YOUNG_LIMIT) as usize)) {
                st32(at, 1);
            } else if YOUNG_KEEP > 0.0 {
                st32(at, 2);
            }
        }
        if YOUNG_BACK_MIN == 0.0 {
            return;
        }
        let back = at.add((YOUNG_TEST << 3) as usize);
        if ld32(back) != tag {
            return;
        }
        let age = now.wrapping_sub(ld32(back.add(4)));
        if age >= ld32(sb.add((P + L::POLICY_BACK_FROM) as usize)) && age < ld32(sb.add((P + L::POLICY_BACK_TO) as usize)) {
            st32(back, 1);
        }
    }

    /// RETURN_TEST: the window's leaver (hash h, hit counter c) while RETURN_TO is on moves the mean of
    /// its class (see assembly/policy/adaptive.ts returnTestLeave).
    unsafe fn return_test_leave(&self, sb: *mut u8, h: u64, c: u32) {
        if ld32(sb.add((P + L::POLICY_RETURN_ON) as usize)) == 0 {
            return;
        }
        let (at, step) = if self.filter_asked(sb, h) {
            if !return_sampled(h) {
                return;
            }
            (sb.add((P + L::POLICY_BACK_MEAN) as usize), RETURN_TEST_BACK)
        } else {
            (sb.add((P + L::POLICY_NEW_MEAN) as usize), RETURN_TEST_NEW)
        };
        let m = ldf64(at);
        stf64(at, m + (c as f64 - m) * step);
    }

    /// After an insert: protected's overflow goes down, and the window's overflow leaves the window
    /// (into probation for free while the cache is not over capacity; through a contest when it is).
    pub unsafe fn adaptive_after_insert(&mut self, sb: *mut u8, q: u32, now: f64) {
        if q == PROTECTED {
            self.rebalance_protected(sb, now);
        }
        let mut guard = 0;
        // The newest entry stays, even alone over the target: an entry larger than the whole window (a
        // LARGE one of typical size, BIG_NEWCOMER) gets its time there, until the next newcomer pushes
        // it out. Entries smaller than the window never meet this (the model's never do).
        while self.queue_units(sb, WINDOW) > self.window_target(sb) && self.queue_count(sb, WINDOW) > 1 && {
            let go = guard < 64;
            guard += 1;
            go
        } {
            let full = self.is_full(sb, 0.0);
            if !self.leave_window(sb, now, full) {
                break;
            }
        }
        if DRIFT_SWEEP != 0 && q == WINDOW && ld32(sb.add((P + L::POLICY_DRIFT_ON) as usize)) != 0 {
            self.drift_sweep(sb, now);
        }
    }

    /// DRIFT_SWEEP (src/layout/policy.json, stop 40): per block of inserts, the share back from the
    /// ghost. A standing hot set keeps bringing back keys the cache evicted; a hot set that moved
    /// brings keys it has never seen, and protected still holds the old one. The ghost lookup is the
    /// insert path's own: the signal costs the lock-free hit path nothing.
    unsafe fn note_drift(&self, sb: *mut u8, back: bool) {
        let n = ld32(sb.add((P + L::POLICY_DRIFT_INSERTS) as usize)) + 1;
        let r = ld32(sb.add((P + L::POLICY_DRIFT_RETURNS) as usize)) + back as u32;
        if n < ld32(sb.add((P + L::POLICY_DRIFT_BLOCK) as usize)) {
            st32(sb.add((P + L::POLICY_DRIFT_INSERTS) as usize), n);
            st32(sb.add((P + L::POLICY_DRIFT_RETURNS) as usize), r);
            return;
        }
        st32(sb.add((P + L::POLICY_DRIFT_INSERTS) as usize), 0);
        st32(sb.add((P + L::POLICY_DRIFT_RETURNS) as usize), 0);
        // The next block's length is taken once per block (a division in byte mode), not on every insert.
        st32(sb.add((P + L::POLICY_DRIFT_BLOCK) as usize), block_of(self.capacity(sb) / self.mean_size(sb)));
        let tail = if HIT_GAIN > 0 { self.hit_gain_gate(sb) } else { 0.0 };
        let rate = r as f64 / n as f64;
        let peak = f64::max(rate, ldf64(sb.add((P + L::POLICY_DRIFT_PEAK) as usize)) * DRIFT_DECAY);
        stf64(sb.add((P + L::POLICY_DRIFT_PEAK) as usize), peak);
        // A fall: the share well under its peak, once the shard has been full, on cache-aside traffic
        // (write-then-read resting a hot set is not a move).
        let fell = ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) != 0
            && rate < (1.0 - DRIFT_DROP) * peak
            && ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) < RETURN_SHARE;
        // STALE_GATE (stop 50): judged before DRIFT_GROW moves the window, as the model does.
        let test = if STALE_GATE > 0.0 { self.stale_block_end(sb, rate, peak, tail) } else { 0 };
        let stale = test != 0;
        let fast = test == 2;
        if DRIFT_GROW > 0.0 {
            self.drift_grow(sb, fell);
        }
        // The gate opens on a fall (or STALE_GATE's test) while protected holds most of its target (a
        // drained one has nothing to sweep).
        let mut on = (fell || stale) && self.queue_units(sb, PROTECTED) >= DRIFT_FULL * (self.capacity(sb) - self.window_target(sb)) * PROTECTED_SHARE;
        // STALE_HOLD: a gate the stale test opened stays open for STALE_HOLD blocks in all (its sweep
        // drains protected, whose hand then takes too few steps to judge a block).
        if STALE_GATE > 0.0 {
            let held_at = sb.add((P + L::POLICY_STALE_HELD) as usize);
            let mut held = ld32(held_at);
            if on && stale {
                held = (if fast && STALE_FAST_HOLD > 0 { STALE_FAST_HOLD } else { STALE_HOLD }) - 1;
            } else if !on && ld32(sb.add((P + L::POLICY_DRIFT_ON) as usize)) != 0 && held > 0 {
                held -= 1;
                on = true;
            } else {
                held = 0;
            }
            st32(held_at, held);
        }
        // STALE_HALVE (stop 51): the stale test (not a fall) opens the gate: the sketch ages too, as an early
        // ageing (AGE_SPACING apart), or the dead keys the sweep demotes keep the counts that beat every newcomer.
        if STALE_HALVE != 0 && on && stale && !fell && ld32(sb.add((P + L::POLICY_DRIFT_ON) as usize)) == 0 {
            self.age_early(sb);
        }
        // STALE_FAST_AGE (stop 56): the gate STALE_FAST opened (held, or met again) is open: WIN_AGE's ageing while the
        // window is at most STALE_FAST_AGE_WINDOW (win_age). The word counts the gate's blocks (0 closed, 1 the
        // opening's). STALE_FAST_HALVE (stop 58): every STALE_FAST_HALVE blocks after the opening's, while the window is
        // at most STALE_FAST_AGE_WINDOW × capacity and the block's drift signal under STALE_FAST_HALVE_DRIFT, the sketch
        // halves without AGE_SPACING's bound.
        if STALE_FAST_AGE != 0 || STALE_FAST_HALVE != 0 {
            let fast_at = sb.add((P + L::POLICY_STALE_FAST_ON) as usize);
            let was = ld32(fast_at);
            let blocks: u32 = if on && (fast && !fell || was != 0) { was.wrapping_add(1) } else { 0 };
            st32(fast_at, blocks);
            if STALE_FAST_HALVE != 0 && blocks >= 2 && (blocks - 1) % STALE_FAST_HALVE == 0
                && self.window_target(sb) <= STALE_FAST_AGE_WINDOW * self.capacity(sb)
                && (STALE_FAST_HALVE_DRIFT == 0.0 || rate < STALE_FAST_HALVE_DRIFT)
            {
                self.age_now(sb);
            }
        }
        st32(sb.add((P + L::POLICY_DRIFT_ON) as usize), on as u32);
    }

    /// STALE_GATE (stop 50), once per drift block: the share of protected's hand steps in the block
    /// (promotions' overflow and victim searches, not the gate's own sweep) that found an entry not hit
    /// since the hand last passed it. A partial move of a hot set (its hottest keys replaced, every other
    /// key hotter) keeps bringing keys back from the ghost, so the gate's fall never comes, while
    /// protected fills with the dead keys its hand reaches only on promotions. True after STALE_RUNS such
    /// blocks in a row, once the shard has been full, on cache-aside traffic, while the window is under
    /// STALE_MAX_WINDOW of capacity; the gate it opens stays open for STALE_HOLD blocks (note_drift).
    /// 0: not met; 1: met (the run); 2: met at once by STALE_FAST (stop 56; see assembly/policy/adaptive.ts
    /// staleBlockEnd): the share at least STALE_FAST, the drift signal `rate` at least STALE_FAST_DRIFT and
    /// STALE_FAST_PEAK × its `peak`, the window's tail share `tail` at least STALE_FAST_TAIL, the window target at
    /// most STALE_FAST_WINDOW × capacity.
    unsafe fn stale_block_end(&self, sb: *mut u8, rate: f64, peak: f64, tail: f64) -> u32 {
        let steps = ld32(sb.add((P + L::POLICY_STALE_STEPS) as usize));
        let unhit = ld32(sb.add((P + L::POLICY_STALE_UNHIT) as usize));
        st32(sb.add((P + L::POLICY_STALE_STEPS) as usize), 0);
        st32(sb.add((P + L::POLICY_STALE_UNHIT) as usize), 0);
        let met = steps >= STALE_MIN_STEPS
            && unhit as f64 / steps as f64 >= STALE_GATE
            && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) != 0
            && ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) < RETURN_SHARE
            && self.window_target(sb) < STALE_MAX_WINDOW * self.capacity(sb);
        let run = if met { std::cmp::min(ld32(sb.add((P + L::POLICY_STALE_RUN) as usize)) + 1, STALE_RUNS) } else { 0 };
        st32(sb.add((P + L::POLICY_STALE_RUN) as usize), run);
        if !met {
            return 0;
        }
        if STALE_FAST > 0.0
            && unhit as f64 / steps as f64 >= STALE_FAST
            && self.window_target(sb) <= STALE_FAST_WINDOW * self.capacity(sb)
            && rate >= STALE_FAST_DRIFT
            && rate >= STALE_FAST_PEAK * peak
            && tail >= STALE_FAST_TAIL
        {
            return 2;
        }
        (run >= STALE_RUNS) as u32
    }

    /// STALE_GATE: one step of protected's hand, which found an entry hit since its last pass (`hit`) or not.
    #[inline(always)]
    unsafe fn note_stale(&self, sb: *mut u8, hit: bool) {
        if STALE_GATE <= 0.0 {
            return;
        }
        let steps_at = sb.add((P + L::POLICY_STALE_STEPS) as usize);
        st32(steps_at, ld32(steps_at) + 1);
        if !hit {
            let unhit_at = sb.add((P + L::POLICY_STALE_UNHIT) as usize);
            st32(unhit_at, ld32(unhit_at) + 1);
        }
    }

    /// HIT_GAIN's gate (stop 46), once per drift block: the block qualifies when at least HIT_GAIN_SHARE
    /// of the window's tail keys (leavers, and keys that went round: WINDOW_CLOCK_ASKED) were hit in the
    /// window, and main's returns from the ghost were at most HIT_GAIN_MAIN per counted candidate
    /// return (window.rs, note_ghost); HIT_GAIN_RUNS qualifying blocks in a row open it. A moved hot
    /// set's new keys are read in the window and its old keys do not come back; a standing hot set's
    /// newcomers are barely read there, and its evicted keys do come back.
    unsafe fn hit_gain_gate(&self, sb: *mut u8) -> f64 {
        let rounds = ld32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize));
        let seen = ld32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize)).wrapping_add(rounds);
        let hit = ld32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize)).wrapping_add(rounds);
        st32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize), 0);
        if DRIFT_GROW == 0.0 {
            st32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize), 0);
            st32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize), 0);
        }
        // Gets add to these without the lock (note_ghost): taken as the pending evidence is.
        let back = au32(sb.add((P + L::POLICY_RET_WINDOW) as usize)).swap(0, std::sync::atomic::Ordering::Relaxed);
        let main = if HIT_GAIN_MAIN > 0.0 { au32(sb.add((P + L::POLICY_RET_MAIN) as usize)).swap(0, std::sync::atomic::Ordering::Relaxed) } else { 0 };
        let share = if seen == 0 { 0.0 } else { hit as f64 / seen as f64 };
        // A block without a counted candidate return does not qualify (the ratio is then infinite).
        let met = share >= HIT_GAIN_SHARE && (HIT_GAIN_MAIN <= 0.0 || (back != 0 && main as f64 / back as f64 <= HIT_GAIN_MAIN));
        let run = ld32(sb.add((P + L::POLICY_HIT_RUN) as usize));
        // HIT_GAIN_UNDO (stop 47): the gain applied in this block (the run stood at HIT_GAIN_RUNS when it
        // began) and main's keys came back at once: a trace's lone opening, not a moved hot set, whose old
        // keys stay away. The growth the gain made in this block is given back.
        if HIT_GAIN_UNDO > 0.0 {
            let grown = ldf64(sb.add((P + L::POLICY_BLOCK_BOOST) as usize));
            stf64(sb.add((P + L::POLICY_BLOCK_BOOST) as usize), 0.0);
            if grown > 0.0 && run >= HIT_GAIN_RUNS && (back == 0 || main as f64 / back as f64 >= HIT_GAIN_UNDO) {
                let target = self.window_target(sb);
                let undo = f64::min(grown, f64::max(0.0, target - self.window_floor(sb)));
                self.set_window_target(sb, target - undo);
                if HIT_GAIN_NO_AGE != 0 {
                    let base_at = sb.add((P + L::POLICY_GROWTH_BASE) as usize);
                    stf64(base_at, ldf64(base_at) - undo);
                }
            }
        }
        st32(sb.add((P + L::POLICY_HIT_RUN) as usize), if met { std::cmp::min(run + 1, HIT_GAIN_RUNS) } else { 0 });
        // The block's tail share: STALE_FAST reads it.
        share
    }

    /// DRIFT_GROW (stop 41; decay stop 42): on a fall's first block the window grows, if enough of the
    /// window's leavers in that block were hit there (a moved hot set's new keys are read in the window;
    /// a scan's or a loop's are not): the newcomers get more time to build the counts that beat the old
    /// set's victims. Up to MAX_WINDOW, a target above it kept, as ghost evidence grows it. At each block
    /// without a fall DRIFT_GROW_DECAY of the growth still left is given back: a hot set that keeps
    /// moving falls again before the growth wears off, one that stands gets its small window back.
    unsafe fn drift_grow(&self, sb: *mut u8, fell: bool) {
        let leaves = ld32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize));
        let hit = ld32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize));
        st32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize), 0);
        st32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize), 0);
        let first = fell && ld32(sb.add((P + L::POLICY_DRIFT_FELL) as usize)) == 0;
        st32(sb.add((P + L::POLICY_DRIFT_FELL) as usize), fell as u32);
        let grew = ldf64(sb.add((P + L::POLICY_DRIFT_GREW) as usize));
        if !fell && grew > 0.0 {
            let back = grew * DRIFT_GROW_DECAY;
            self.set_window_target(sb, f64::max(self.window_floor(sb), self.window_target(sb) - back));
            stf64(sb.add((P + L::POLICY_DRIFT_GREW) as usize), f64::max(0.0, grew - back));
            return;
        }
        if !first || leaves == 0 || (hit as f64) / (leaves as f64) < DRIFT_GROW_HIT {
            return;
        }
        let c = self.capacity(sb);
        let target = self.window_target(sb);
        let next = f64::min(f64::max(MAX_WINDOW * c, target), target + DRIFT_GROW * c);
        self.set_window_target(sb, next);
        stf64(sb.add((P + L::POLICY_DRIFT_GREW) as usize), grew + (next - target));
    }

    /// While the drift gate is open, protected's hand takes DRIFT_SWEEP steps per newcomer in the
    /// window: a hit entry loses a count and goes round, an unhit one goes down to probation.
    unsafe fn drift_sweep(&mut self, sb: *mut u8, now: f64) {
        let mut i = 0;
        while i < DRIFT_SWEEP && self.live_tail(sb, PROTECTED, now) {
            i += 1;
            let c = self.tail_counter();
            if c != 0 && self.move_tail(sb, PROTECTED, PROTECTED, c - 1) {
                continue;
            }
            if !self.move_tail(sb, PROTECTED, PROBATION, 0) {
                break;
            }
        }
    }

    /// One entry leaves the cache to make room for a newcomer. When the window is at its target, room
    /// is made as W-TinyLFU makes it: the window's tail contests main's victim and the loser leaves.
    /// Otherwise main's victim leaves (or the window's tail when main is empty).
    pub unsafe fn adaptive_evict_one(&mut self, sb: *mut u8, incoming: u32, now: f64) -> bool {
        // Bytes bind before the index when entries are larger than expected: the sketch ages after
        // SKETCH_SAMPLE × the entries the shard really holds, not × what its index could hold.
        if !self.count_mode() {
            self.fit_sample(sb, ld32(sb.add(L::SHARD_LIVE_COUNT as usize)), self.ghost_slots);
        }
        // The newcomer will enter the window: if that takes the window past its target, its tail must leave.
        if self.main_holds(sb)
            && self.queue_count(sb, WINDOW) > 0
            && self.queue_units(sb, WINDOW) + self.units_of(incoming) > self.window_target(sb)
        {
            let before = ld32(sb.add(L::SHARD_LIVE_COUNT as usize));
            self.leave_window(sb, now, true);
            if ld32(sb.add(L::SHARD_LIVE_COUNT as usize)) < before {
                return true;
            }
        }
        if self.main_holds(sb) && self.victim(sb, now) {
            let tag = self.main_tag(sb);
            self.ghost_add(sb, self.tail_hash, tag);
            self.evict_tail(sb, self.victim_queue);
            return true;
        }
        if self.live_tail(sb, WINDOW, now) {
            self.ghost_add(sb, self.tail_hash, FROM_WINDOW);
            self.evict_tail(sb, WINDOW);
            return true;
        }
        // Only main left, but victim() found nothing movable in bounded work: take any tail.
        for q in PROBATION..=PROTECTED {
            if self.live_tail(sb, q, now) {
                let tag = self.main_tag(sb);
                self.ghost_add(sb, self.tail_hash, tag);
                self.evict_tail(sb, q);
                return true;
            }
        }
        false
    }

    /// The window's tail leaves it: into probation while the cache has room, else only if it beats
    /// main's victims for the room it needs; a loser is evicted (and remembered as a rejected candidate).
    unsafe fn leave_window(&mut self, sb: *mut u8, now: f64, contested: bool) -> bool {
        if !self.live_tail(sb, WINDOW, now) {
            return false;
        }
        // WINDOW_CLOCK_ASKED (stop 46): a tail key hit in the window and asked for (a get missed it:
        // loaded cache-aside) goes round with its count cleared, as LRU would keep it; a key written
        // unasked keeps the FIFO (write-backs need it). Bounded as the victim search is.
        if WINDOW_CLOCK_ASKED != 0 {
            let mut ops: u32 = 0;
            // MISSED_GENS (stop 55): a mark of the sketch period before counts too (kept_marks_count); read only for a
            // tail key hit in the window whose own mark a halving cleared, so a set with eviction pays nothing for it.
            // RETURN_TEST: while RETURN_TO is on, a sampled key makes one pass (its count there is the measure).
            while self.tail_counter() != 0
                && ops < MAX_TAIL_OPS as u32
                && (self.filter_asked(sb, self.tail_hash)
                    || (MISSED_GENS != 0 && self.kept_marks_count(sb) && self.filter_missed_before(sb, self.tail_hash)))
                && !(RETURN_SAMPLE != 0 && ld32(sb.add((P + L::POLICY_RETURN_ON) as usize)) != 0 && return_sampled(self.tail_hash))
                // ONCE_FIFO: not on write-once traffic (ONCE_MAX_WINDOW's condition): a miss stores nothing
                // there, so a 'missed' mark on a key in the window is the filter's false positive.
                && !(ONCE_FIFO != 0 && self.once_max(sb))
            {
                if !self.move_tail(sb, WINDOW, WINDOW, 0) {
                    break;
                }
                ops += 1;
                if !self.live_tail(sb, WINDOW, now) {
                    if HIT_GAIN > 0 {
                        st32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize), ld32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize)).wrapping_add(ops));
                    }
                    return false;
                }
            }
            if HIT_GAIN > 0 && ops != 0 {
                st32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize), ld32(sb.add((P + L::POLICY_TAIL_ROUNDS) as usize)).wrapping_add(ops));
            }
        }
        let h = self.tail_hash;
        if RETURN_SAMPLE != 0 {
            self.return_test_leave(sb, h, self.tail_counter());
        }
        // DRIFT_GROW's and HIT_GAIN's evidence: the window's leavers, and those hit while there.
        if DRIFT_GROW > 0.0 || HIT_GAIN > 0 {
            st32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize), ld32(sb.add((P + L::POLICY_DRIFT_LEAVES) as usize)).wrapping_add(1));
            if self.tail_counter() != 0 {
                st32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize), ld32(sb.add((P + L::POLICY_DRIFT_LEAVE_HITS) as usize)).wrapping_add(1));
            }
        }
        let units = self.units_of(self.tail_cost);
        // FREE_TAG: a leaver that meets no contest (the cache has room) enters probation flagged ENTRY_FREE.
        let free = FREE_TAG != 0 && !(contested && self.main_holds(sb));
        // A big LARGE entry won its admission already (contest_segments, contest_free); it may be
        // larger than the whole window, so it moves on uncontested (engine-only rule, see
        // assembly/policy). A LARGE entry of typical size entered uncontested: it contests here.
        let large = crate::entry::is_large(crate::entry::flags_of(sb, self.tail_off));
        if contested
            && self.main_holds(sb)
            && !(large && self.is_big(sb, self.tail_cost, self.tail_size as u64 + crate::entry::chained_bytes(sb, self.tail_off) as u64))
        {
            self.save_tail();
            let need = f64::max(units, self.used_units(sb) - self.capacity(sb));
            let hit_in_window = self.tail_counter() != 0;
            let admitted = self.contest(sb, h, need, now, hit_in_window, true);
            // The contest only touched main's queues: the window's tail is where it was.
            self.restore_tail();
            if !admitted {
                self.ghost_add(sb, h, FROM_WINDOW);
                self.evict_tail(sb, WINDOW);
                return true;
            }
        }
        if !self.move_tail_flagged(sb, WINDOW, PROBATION, 0, if free { L::ENTRY_FREE } else { 0 }) {
            self.ghost_add(sb, h, FROM_WINDOW);
            self.evict_tail(sb, WINDOW);
        }
        true
    }

    /// The ghost tag of main's victim at a queue tail (the tail_* fields): main's, or FREE_TAG (stop 50)
    /// a window candidate's for an entry that entered probation without a contest (ENTRY_FREE; any move
    /// clears it) and was never hit there, while the unasked share is at least LATE_SHARE and the window
    /// target at least RETURN_LEVEL × capacity: after a fill read at a lag, the fill's keys leave
    /// probation as LATE_HIT grows the window, and their returns would argue for a smaller one.
    #[inline(always)]
    unsafe fn main_tag(&self, sb: *mut u8) -> u32 {
        if FREE_TAG == 0 || crate::entry::flags_of(sb, self.tail_off) & L::ENTRY_FREE == 0 || self.tail_counter() != 0 {
            return FROM_MAIN;
        }
        if !(ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) >= LATE_SHARE) {
            return FROM_MAIN;
        }
        if self.window_target(sb) >= RETURN_LEVEL * self.capacity(sb) {
            FROM_WINDOW
        } else {
            FROM_MAIN
        }
    }

    /// TinyLFU admission, size-aware: evicts main's victims until `need` units are free, as long as the
    /// candidate is more frequent than each (or, warm and lucky, wins the 1-in-512 draw that keeps
    /// crafted sketch collisions from freezing the cache). False when a victim wins; victims already
    /// evicted stay evicted. `hit_in_window`: the candidate is the window's tail and was hit there
    /// (SATURATED_TIE). `age_winner`: the candidate is a window leaver (WIN_AGE; not a key back from
    /// the ghost, not a big newcomer's room).
    unsafe fn contest(&mut self, sb: *mut u8, candidate: u64, mut need: f64, now: f64, hit_in_window: bool, age_winner: bool) -> bool {
        let fc = self.estimate(sb, candidate);
        // UNASKED_TIE: a newcomer written unasked and seen at most once wins a tie (a cache filled by
        // sets otherwise keeps its never-read keys against the first new ones until the window has grown).
        // The miss filter's word (one more cache line) is read at the first tie only: -1 until then.
        let mut tie: i32 = if UNASKED_TIE != 0 && fc <= 1 { -1 } else { 0 };
        while need > 0.0 && self.main_holds(sb) {
            if !self.victim(sb, now) {
                break;
            }
            // MISS_RUN: after a run of misses a window leaver written unasked beats probation's victim (miss_jump).
            // DRY_RUN: or after a run of inserts with nothing but their own counts added to the sketch, once per jump.
            let run_win = if MISS_RUN != 0 && age_winner && self.victim_queue == PROBATION { self.dry_or_miss_run(sb) } else { 0 };
            if run_win != 0 && self.filter_written_unasked(sb, candidate) {
                self.miss_jump(sb, run_win == 2);
            } else {
                let fv = self.estimate(sb, self.tail_hash);
                if fc == fv && tie < 0 {
                    // On write-once traffic (stop 37) the newcomer needs no mark: every halving clears the
                    // marks, and a newcomer at 0 then lost its tie with a dead key at 0.
                    tie = if self.write_once(sb, RETURN_MAX) || self.filter_written_unasked(sb, candidate) { 1 } else { 0 };
                }
                // SATURATED_TIE: at the counters' ceiling a tie says nothing of which key is read more; a
                // window leaver read there is the one being read now.
                if (fc < fv || (fc == fv && tie == 0 && !(SATURATED_TIE != 0 && hit_in_window && fc >= crate::sketch::MAX_COUNT)))
                    && !(fc >= WARM_FREQUENCY && next_random(sb) % WARM_ODDS == 0)
                {
                    if (WIN_AGE > 0.0 || STALE_FAST_AGE != 0) && age_winner {
                        self.win_age(sb);
                    }
                    if FILL_ROTATE > 0.0 && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) == 3 {
                        self.fill_rotate(sb);
                    }
                    return false;
                }
            }
            need -= self.units_of(self.tail_cost);
            let tag = self.main_tag(sb);
            self.ghost_add(sb, self.tail_hash, tag);
            self.evict_tail(sb, self.victim_queue);
        }
        need <= 0.0
    }

    /// FILL_ROTATE (stop 53): main's victim (the tail_* fields) just beat a candidate in the first inserts after a
    /// fill of sets alone: a probation victim goes round to probation's head (see assembly/policy/adaptive.ts
    /// fillRotate). Out of line: the contest's rare case.
    #[inline(never)]
    unsafe fn fill_rotate(&mut self, sb: *mut u8) {
        if (ld32(sb.add((P + L::POLICY_COLD_HITS) as usize)).wrapping_sub(ld32(sb.add((P + L::POLICY_YOUNG_CLOCK) as usize))) as i32) <= 0 {
            st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 1);
            return;
        }
        if self.victim_queue == PROBATION && self.queue_count(sb, PROBATION) > 1 {
            self.move_tail(sb, PROBATION, PROBATION, 0);
        }
    }

    /// WIN_AGE (stop 51): main's victim (the tail_* fields) just beat a window leaver. While HIT_GAIN's run stands (a hot set that moves) and the window target is at least WIN_AGE ×
    /// capacity, the victim's counts are halved (see assembly/policy/adaptive.ts winAge). Out of line: the
    /// contest's rare case.
    #[inline(never)]
    unsafe fn win_age(&self, sb: *mut u8) {
        // STALE_FAST_AGE (stop 56): also while the gate STALE_FAST opened is open and the window is at most
        // STALE_FAST_AGE_WINDOW × capacity (STALE_FAST_WINDOW's bound until stop 58).
        if STALE_FAST_AGE != 0 && ld32(sb.add((P + L::POLICY_STALE_FAST_ON) as usize)) != 0 && self.window_target(sb) <= STALE_FAST_AGE_WINDOW * self.capacity(sb)
            || WIN_AGE > 0.0 && ld32(sb.add((P + L::POLICY_HIT_RUN) as usize)) >= HIT_GAIN_RUNS && self.window_target(sb) >= WIN_AGE * self.capacity(sb)
        {
            self.age_counters(sb, self.tail_hash);
        }
    }

    /// TinyLFU admission for a LARGE newcomer, in segments (see assembly/policy/adaptive.ts
    /// contestSegments): evicts main's victims until `segments` are free (plus one spare), as long as
    /// the candidate is more frequent than each; false when a victim wins.
    unsafe fn contest_segments(&mut self, sb: *mut u8, candidate: u64, segments: u32, now: f64) -> bool {
        let fc = self.estimate(sb, candidate);
        self.contest_free(sb, fc, segments, now)
    }

    /// contest_segments for a candidate of frequency `fc` (estimated by its own shard's sketch): also
    /// how a shard lends segments to another shard's LARGE newcomer, its victims contesting it.
    pub unsafe fn contest_free(&mut self, sb: *mut u8, fc: u32, segments: u32, now: f64) -> bool {
        while self.free_count(sb) < segments + 1 {
            if self.reclaim_dead_tails(sb) {
                continue;
            }
            if !self.main_holds(sb) || !self.victim(sb, now) {
                // No victim in main (a window grown over the whole cache, as a loop grows it): the
                // window's oldest entry is the one to beat.
                if !self.live_tail(sb, WINDOW, now) {
                    return true;
                }
                self.victim_queue = WINDOW;
            }
            let fv = self.estimate(sb, self.tail_hash);
            if (fc < fv || (fc == fv && fv > LARGE_TIE_FREQUENCY)) && !(fc >= WARM_FREQUENCY && next_random(sb) % WARM_ODDS == 0) {
                return false;
            }
            let tag = if self.victim_queue == WINDOW { FROM_WINDOW } else { self.main_tag(sb) };
            self.ghost_add(sb, self.tail_hash, tag);
            self.evict_tail(sb, self.victim_queue);
        }
        true
    }

    /// Leaves main's next victim at a queue tail (victim_queue says which): probation's tail once the
    /// entries hit there have moved up to protected, or protected's CLOCK victim when probation is
    /// empty. Bounded: after MAX_TAIL_OPS moves the tail is taken as it is.
    unsafe fn victim(&mut self, sb: *mut u8, now: f64) -> bool {
        let mut ops: i32 = 0;
        // COLD_SHED: COLD_WINDOW's shed ends the first time a victim is sought with main no longer over its share.
        if COLD_SHED != 0
            && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) == 2
            && self.queue_units(sb, PROBATION) + self.queue_units(sb, PROTECTED) <= self.capacity(sb) - self.window_target(sb)
        {
            st32(sb.add((P + L::POLICY_COLD_FULL) as usize), 1);
        }
        while self.live_tail(sb, PROBATION, now) {
            if self.tail_counter() == 0 || {
                let over = ops >= MAX_TAIL_OPS;
                ops += 1;
                over
            } {
                self.victim_queue = PROBATION;
                return true;
            }
            if !self.move_tail(sb, PROBATION, PROTECTED, 0) {
                self.victim_queue = PROBATION;
                return true;
            }
            if COLD_SHED != 0 && ld32(sb.add((P + L::POLICY_COLD_FULL) as usize)) == 2 && self.shed_protected(sb, now) {
                self.victim_queue = PROTECTED;
                return true;
            }
            ops += self.rebalance_protected(sb, now);
        }
        while self.live_tail(sb, PROTECTED, now) {
            let c = self.tail_counter();
            self.note_stale(sb, c != 0);
            // A failed move leaves the entry at the tail, described as it was: it is the victim.
            if c == 0
                || {
                    let over = ops >= MAX_TAIL_OPS;
                    ops += 1;
                    over
                }
                || !self.move_tail(sb, PROTECTED, PROTECTED, c - 1)
            {
                self.victim_queue = PROTECTED;
                return true;
            }
        }
        false
    }

    /// COLD_SHED (stop 53): while main sheds after COLD_WINDOW fired, protected's unhit overflow is the victim
    /// (left at protected's tail: true), hit entries going round first; false when none is found within
    /// MAX_TAIL_OPS (see assembly/policy/adaptive.ts shedProtected).
    unsafe fn shed_protected(&mut self, sb: *mut u8, now: f64) -> bool {
        let limit = (self.capacity(sb) - self.window_target(sb)) * PROTECTED_SHARE;
        let mut ops: i32 = 0;
        while self.queue_units(sb, PROTECTED) > limit
            && {
                let ok = ops < MAX_TAIL_OPS;
                ops += 1;
                ok
            }
            && self.live_tail(sb, PROTECTED, now)
        {
            let c = self.tail_counter();
            self.note_stale(sb, c != 0);
            // A failed move leaves the entry at the tail, described as it was: it is the victim.
            if c == 0 || !self.move_tail(sb, PROTECTED, PROTECTED, c - 1) {
                return true;
            }
        }
        false
    }

    /// Demotes protected's overflow to probation (CLOCK: a hit entry goes round once more first).
    unsafe fn rebalance_protected(&mut self, sb: *mut u8, now: f64) -> i32 {
        let limit = (self.capacity(sb) - self.window_target(sb)) * PROTECTED_SHARE;
        let mut ops: i32 = 0;
        while self.queue_units(sb, PROTECTED) > limit && self.live_tail(sb, PROTECTED, now) {
            ops += 1;
            let c = self.tail_counter();
            self.note_stale(sb, c != 0);
            if c != 0 && ops < MAX_TAIL_OPS && self.move_tail(sb, PROTECTED, PROTECTED, c - 1) {
                continue;
            }
            if !self.move_tail(sb, PROTECTED, PROBATION, 0) {
                break;
            }
        }
        ops
    }
}


