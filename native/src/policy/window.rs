//! Port of assembly/policy/window.ts: the window's adaptive target, moved like ARC's p. A get that
//! misses on a young ghost is evidence: a candidate the window let go (tag 0) says the window is too
//! small; an entry main evicted (tag 1) says main is. Gets run without the shard lock, so they only
//! count the evidence (atomic adds in the policy state); the next insert, under the lock, moves the
//! target by it. A candidate counts when younger than WINDOW_HORIZON × the window's entries, or when
//! the sketch has seen it at most YOUNG_FREQUENCY times, so a loop larger than the cache can't talk the
//! window into thrashing.
use super::tuning_generated::{AGE_ON_GROWTH, AGE_SPACING, HIT_GAIN, HIT_GAIN_MAIN, HIT_GAIN_NO_AGE, HIT_GAIN_RUNS, HIT_GAIN_UNDO, LATE_FLAG, LATE_FREQUENCY, LATE_SHARE, MAX_WINDOW, MIN_WINDOW, NET_EVIDENCE, ONCE_GAIN, ONCE_HOT_SHARE, ONCE_MAX_WINDOW, ONCE_SHARE, QUIET_BLOCK, QUIET_MAIN, QUIET_MIN_BLOCK, QUIET_SCALE, SKETCH_SAMPLE, UNASKED_GAIN, WINDOW_HORIZON, YOUNG_FREQUENCY};
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::Relaxed;

const P: u32 = L::POLICY_STATE_OFFSET;

impl Engine {
    /// Write-once traffic (ONCE_SHARE, ONCE_MAX_WINDOW; stop 37): most recent inserts were written
    /// unasked (a miss stores nothing). The newest writes are what will be read: the window may take
    /// nearly the whole cache (from a share of ONCE_SHARE), a returning candidate written unasked counts
    /// ONCE_GAIN times, and a newcomer seen at most once wins its tie
    /// without the miss filter's mark (above the write-back band, RETURN_MAX).
    #[inline(always)]
    pub unsafe fn write_once(&self, sb: *mut u8, share: f64) -> bool {
        ONCE_MAX_WINDOW > 0.0 && ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) >= share
    }

    /// ONCE_MAX_WINDOW's condition: write-once traffic (ONCE_SHARE) without a hot set read cache-aside
    /// beside it (ONCE_HOT_SHARE). ONCE_FIFO reads it too (adaptive.rs, leave_window), and ONCE_LIFT (adaptive_insert).
    #[inline]
    pub unsafe fn once_max(&self, sb: *mut u8) -> bool {
        self.write_once(sb, ONCE_SHARE) && !(ONCE_HOT_SHARE > 0.0 && ldf64(sb.add((P + L::POLICY_HOT_SHARE) as usize)) >= ONCE_HOT_SHARE)
    }

    pub unsafe fn window_target(&self, sb: *mut u8) -> f64 {
        ldf64(sb.add((P + L::POLICY_WINDOW_TARGET) as usize))
    }

    pub unsafe fn set_window_target(&self, sb: *mut u8, target: f64) {
        stf64(sb.add((P + L::POLICY_WINDOW_TARGET) as usize), target);
    }

    /// The least window target: one mean entry, and MIN_WINDOW of capacity (as windowFloor in
    /// assembly/policy/window.ts).
    pub unsafe fn window_floor(&self, sb: *mut u8) -> f64 {
        f64::max(self.mean_size(sb), MIN_WINDOW * self.capacity(sb))
    }

    /// LATE_HIT (stop 50): a get's first hit on a probation entry (adaptive.rs) whose key was written
    /// unasked is recency evidence, as a window candidate's return is: it was read only after it left the
    /// window. Counts ONCE_GAIN towards a bigger window while the unasked share is at least LATE_SHARE
    /// (write-then-read traffic), with ONCE_HOT_SHARE while no hot set read cache-aside keeps coming back,
    /// and only for a key the sketch has seen at most LATE_FREQUENCY times, this hit counted (a hot key
    /// the filter wrongly marks is not one). Lock-free (racy reads only misjudge). (LATE_ASIDE, stop 51, kept it
    /// aside while RETURN_TO was on; retired at stop 58: no row needed it once YOUNG_TEST stood RETURN_TO aside.)
    pub unsafe fn note_late_hit(&self, sb: *mut u8, h: u64, entry_unasked: bool) {
        if !(ldf64(sb.add((P + L::POLICY_UNASKED_SHARE) as usize)) >= LATE_SHARE) {
            return;
        }
        if ONCE_HOT_SHARE > 0.0 && ldf64(sb.add((P + L::POLICY_HOT_SHARE) as usize)) >= ONCE_HOT_SHARE {
            return;
        }
        if LATE_FREQUENCY > 0 && self.estimate(sb, h) > LATE_FREQUENCY {
            return;
        }
        if !(if LATE_FLAG & 1 != 0 { entry_unasked } else { self.filter_written_unasked(sb, h) }) {
            return;
        }
        au32(sb.add((P + L::POLICY_PENDING_GROW) as usize)).fetch_add(ONCE_GAIN, Relaxed);
    }

    /// A get missed key h: if it is a young ghost, count the evidence. Lock-free (racy reads only misjudge).
    pub unsafe fn note_ghost(&mut self, sb: *mut u8, h: u64) {
        let missed_before = self.filter_missed(sb, h);
        let age = self.ghost_age(sb, h);
        if age < 0 {
            return;
        }
        if self.ghost_tag == 0 {
            // Beyond the horizon only a key written unasked, or a first miss of a key the sketch barely
            // knows, counts: write-then-read is recency, a loop's keys come back loaded and known.
            // A key written unasked counts UNASKED_GAIN times: recency evidence the frequencies can't give.
            let unasked = self.filter_written_unasked(sb, h);
            if age as f64 >= WINDOW_HORIZON * std::cmp::max(1, self.queue_count(sb, L::QUEUE_WINDOW)) as f64
                && !unasked
                && (missed_before || self.estimate(sb, h) > YOUNG_FREQUENCY)
            {
                return;
            }
            if QUIET_MAIN > 0.0 {
                self.note_quiet(sb, false);
            }
            // On write-once traffic (stop 37) ONCE_GAIN times: each key is read about once at high write
            // shares, so its return is rarer evidence, and the window must grow before the reads move on.
            // QUIET_MAIN (stop 47): also while main's keys no longer come back (a hot set read cache-aside
            // gave way to write-then-read), before the unasked share says so.
            let mut gain = 1;
            if unasked {
                let quiet = QUIET_MAIN > 0.0 && ld32(sb.add((P + L::POLICY_QUIET_ON) as usize)) != 0;
                gain = if self.write_once(sb, ONCE_SHARE) || quiet { ONCE_GAIN } else { UNASKED_GAIN };
            } else if HIT_GAIN > 0 && ld32(sb.add((P + L::POLICY_HIT_RUN) as usize)) >= HIT_GAIN_RUNS {
                // HIT_GAIN (stop 46): the window's tail keys are being hit there and main's keys do not
                // come back (adaptive.rs, hit_gain_gate): a hot set that moved, whose climb one count per
                // return is too slow for.
                gain = HIT_GAIN;
                if HIT_GAIN_NO_AGE != 0 || HIT_GAIN_UNDO > 0.0 {
                    au32(sb.add((P + L::POLICY_PENDING_BOOST) as usize)).fetch_add(HIT_GAIN - 1, Relaxed);
                }
            }
            au32(sb.add((P + L::POLICY_PENDING_GROW) as usize)).fetch_add(gain, Relaxed);
            if HIT_GAIN > 0 {
                au32(sb.add((P + L::POLICY_RET_WINDOW) as usize)).fetch_add(1, Relaxed);
            }
        } else {
            if QUIET_MAIN > 0.0 {
                let main_asked = !self.filter_written_unasked(sb, h);
                self.note_quiet(sb, main_asked);
            }
            au32(sb.add((P + L::POLICY_PENDING_SHRINK) as usize)).fetch_add(1, Relaxed);
            if HIT_GAIN > 0 && HIT_GAIN_MAIN > 0.0 {
                au32(sb.add((P + L::POLICY_RET_MAIN) as usize)).fetch_add(1, Relaxed);
            }
        }
    }

    /// QUIET_MAIN: counts a ghost return (`main_asked`: of a main entry that was asked for, not written
    /// unasked: main's returns of write-then-read keys it took in say nothing of its hot set); the thread
    /// that completes a block (QUIET_BLOCK returns, fewer in a small shard: quiet_block_length) decides
    /// whether main's keys have gone quiet.
    /// Lock-free: a racing return may fall into the next block.
    unsafe fn note_quiet(&self, sb: *mut u8, main_asked: bool) {
        if main_asked {
            au32(sb.add((P + L::POLICY_QUIET_MAIN_RETURNS) as usize)).fetch_add(1, Relaxed);
        }
        let n = au32(sb.add((P + L::POLICY_QUIET_RETURNS) as usize)).fetch_add(1, Relaxed) + 1;
        if n < QUIET_MIN_BLOCK || (n as f64) < self.quiet_block_length(sb) {
            return;
        }
        let main = au32(sb.add((P + L::POLICY_QUIET_MAIN_RETURNS) as usize)).swap(0, Relaxed);
        st32(sb.add((P + L::POLICY_QUIET_ON) as usize), if main as f64 <= QUIET_MAIN * n as f64 { 1 } else { 0 });
        st32(sb.add((P + L::POLICY_QUIET_RETURNS) as usize), 0);
    }

    /// QUIET_SCALE: the returns a block judges, fewer in a small shard (which sees few returns a
    /// capacity): its entries (capacity over the mean entry) / QUIET_SCALE, within [QUIET_MIN_BLOCK,
    /// QUIET_BLOCK].
    unsafe fn quiet_block_length(&self, sb: *mut u8) -> f64 {
        if QUIET_SCALE <= 0.0 {
            return QUIET_BLOCK as f64;
        }
        f64::min(QUIET_BLOCK as f64, f64::max(QUIET_MIN_BLOCK as f64, (self.capacity(sb) / self.mean_size(sb) / QUIET_SCALE).floor()))
    }

    /// Moves the target by the evidence counted since the last insert, each returning candidate
    /// growing it and each returning main entry shrinking it by one mean entry, weighted by how many of
    /// the other kind the ghost holds (ARC's δ1/δ2). Under the shard lock.
    pub unsafe fn apply_ghost_evidence(&self, sb: *mut u8) {
        let pending_grow = au32(sb.add((P + L::POLICY_PENDING_GROW) as usize));
        let pending_shrink = au32(sb.add((P + L::POLICY_PENDING_SHRINK) as usize));
        if pending_grow.load(Relaxed) == 0 && pending_shrink.load(Relaxed) == 0 {
            return;
        }
        let grow = pending_grow.swap(0, Relaxed);
        let shrink = pending_shrink.swap(0, Relaxed);
        let boost = if HIT_GAIN > 0 && (HIT_GAIN_NO_AGE != 0 || HIT_GAIN_UNDO > 0.0) { au32(sb.add((P + L::POLICY_PENDING_BOOST) as usize)).swap(0, Relaxed) } else { 0 };
        // HIT_GAIN_NO_AGE, HIT_GAIN_UNDO: the share of the growth HIT_GAIN's extra counts made.
        let mut boosted = 0.0;
        let unit = self.mean_size(sb);
        let c = self.capacity(sb);
        let from_window = self.ghost_tag_count(sb, 0);
        let from_main = self.ghost_tag_count(sb, 1);
        let mut target = self.window_target(sb);
        // NET_EVIDENCE: the returns counted between two inserts came in an order not kept; when at least
        // NET_EVIDENCE of them were main's (a stretch of gets that inserted nothing: a burst of new keys read
        // without write-backs), the target moves by their net, as ARC taking them one by one would, not by
        // the growth capped at the maximum and then the whole shrink, which took the window to its floor.
        // ARC's ratios: a return weighs more the rarer its kind among the ghost's entries.
        let grow_ratio = f64::max(1.0, from_main / f64::max(1.0, from_window));
        let shrink_ratio = f64::max(1.0, from_window / f64::max(1.0, from_main));
        let both = NET_EVIDENCE != 0 && grow > 0 && shrink >= NET_EVIDENCE;
        let net = if both { grow as f64 * grow_ratio - shrink as f64 * shrink_ratio } else { 0.0 };
        if grow > 0 && (!both || net >= 0.0) {
            let step = grow_ratio * unit;
            // A maximum lowered since the target grew past it (write-once traffic ended) does not pull
            // the target down: shrink evidence does.
            // ONCE_HOT_SHARE: not while a hot set read cache-aside keeps coming back (adaptive.rs,
            // note_hot); a window of nearly the whole cache would leave it no room.
            let once = self.once_max(sb);
            let most = if once { ONCE_MAX_WINDOW } else { MAX_WINDOW };
            let from = target;
            target = f64::min(f64::max(most * c, target), target + if both { net * unit } else { grow as f64 * step });
            if boost > 0 && target > from {
                boosted = (target - from) * boost as f64 / grow as f64;
                // HIT_GAIN_UNDO: the block's boosted growth, given back at the block's end if main's keys
                // came back.
                if HIT_GAIN_UNDO > 0.0 {
                    let at = sb.add((P + L::POLICY_BLOCK_BOOST) as usize);
                    stf64(at, ldf64(at) + boosted);
                }
            }
        }
        if shrink > 0 && (!both || net < 0.0) {
            let step = shrink_ratio * unit;
            target = f64::max(self.window_floor(sb), target - if both { -net * unit } else { shrink as f64 * step });
        }
        if AGE_ON_GROWTH > 0.0 {
            // The window grew by AGE_ON_GROWTH × capacity above its lowest point since the last such
            // step: recency has been beating frequency, so the frequencies are aged now (POLICY.md).
            let base_at = sb.add((P + L::POLICY_GROWTH_BASE) as usize);
            // HIT_GAIN_NO_AGE: the base moves up with HIT_GAIN's growth, which says a hot set moved, not
            // that frequency is losing.
            let mut base = ldf64(base_at);
            if boosted > 0.0 && HIT_GAIN_NO_AGE != 0 {
                base += boosted;
                stf64(base_at, base);
            }
            if target < base {
                stf64(base_at, target);
            } else if target - base >= AGE_ON_GROWTH * c && self.age_early(sb) {
                // Not again and again: see age_allowed.
                stf64(base_at, target);
            }
        }
        self.set_window_target(sb, target);
    }

    /// Whether the window's growth may age the sketch now: at least AGE_SPACING × capacity
    /// increments after the last early ageing (a count below the mark: a regular ageing came in
    /// between). Each early ageing clears the miss filter and halves what write-then-read and a
    /// resting hot set live on, so about one per move of the hot set is what pays (stop 38);
    /// unbounded, a loop a little larger than the cache halved the sketch 20-30 times per capacity.
    unsafe fn age_allowed(&self, sb: *mut u8) -> bool {
        let added = ld32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize));
        let mark = ld32(sb.add((P + L::POLICY_AGE_MARK) as usize));
        if added < mark {
            return true;
        }
        (added - mark) as f64 / (ld32(sb.add(L::SHARD_SKETCH_RESET_AT as usize)) as f64 / SKETCH_SAMPLE as f64) >= AGE_SPACING
    }

    /// An early ageing (the window's growth, AGE_ON_GROWTH; the stale test's opening, STALE_HALVE) if
    /// age_allowed: the sketch halves and the mark moves to now. Whether it aged.
    pub(crate) unsafe fn age_early(&self, sb: *mut u8) -> bool {
        if !self.age_allowed(sb) {
            return false;
        }
        self.age_now(sb);
        true
    }

    /// An early ageing without AGE_SPACING's bound (STALE_FAST_HALVE, stop 58): the sketch halves and the mark moves to now.
    pub(crate) unsafe fn age_now(&self, sb: *mut u8) {
        self.age_sketch(sb);
        st32(sb.add((P + L::POLICY_AGE_MARK) as usize), ld32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize)));
    }
}
