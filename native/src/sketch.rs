//! Port of assembly/sketch.ts: TinyLFU's frequency sketch, a count-min sketch of 4-bit counters per
//! shard. Each key's four counters sit in two 64-bit words of one 64-byte block, two in each. All counters are halved every `resetAt`
//! increments (aging). Updates are lock-free and lossy (relaxed atomics: a lost increment only makes an
//! estimate slightly low), and nothing else lives in these bytes, so a race can't corrupt state.
use crate::arena::Engine;
use crate::hash::fast_range;
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::{AtomicU32, AtomicU64};
use std::sync::atomic::Ordering::*;
use crate::policy::tuning_generated::MISSED_GENS;

const WORDS_PER_BLOCK: u32 = 8;
/// A counter's ceiling (four bits): an estimate is at most this.
pub const MAX_COUNT: u32 = 15;
const HALF_MASK: u64 = 0x7777777777777777;
/// The miss filter's 'written unasked' bit of every pair (the odd bits: filter_inserted).
const UNASKED_BITS: u64 = 0xAAAAAAAAAAAAAAAA;

impl Engine {
    /// The area's last blocks (one in MISS_FILTER_SHARE, rounded up) are the miss filter, the rest the
    /// counters: src/layout/geometry.ts adds ceil(counters / (share − 1)) filter blocks to the counters.
    #[inline(always)]
    fn counter_blocks(&self) -> u32 {
        // Computed once when the arena is attached (a division per lookup cost 5% of a get).
        self.sketch_counter_blocks
    }

    #[inline(always)]
    fn filter_blocks(&self) -> u32 {
        self.sketch_blocks - self.counter_blocks()
    }

    /// The block comes from a remix of the hash, not from its high bits: those also pick the shard,
    /// so within one shard they span only 1/shards of their range and would leave most blocks unused.
    #[inline(always)]
    fn block_of(&self, h: u64) -> u32 {
        fast_range((h.wrapping_mul(0x9E3779B97F4A7C15) >> 32) as u32, self.counter_blocks())
    }

    // The miss filter: a pair of bits per slot, 'missed' (bit 2i: a get missed the key) and 'written
    // unasked' (bit 2i+1: a set inserted it while 'missed' was clear: stored before anyone asked for
    // it), cleared when the sketch halves. Gets set bits lock-free (an atomic or); a race or a
    // collision only misjudges one ghost hit.
    #[inline(always)]
    fn filter_pair(&self, h: u64) -> u32 {
        fast_range((h.wrapping_mul(0xC2B2AE3D27D4EB4F) >> 32) as u32, self.filter_blocks() * (L::SKETCH_BLOCK_BYTES * 4))
    }

    #[inline(always)]
    unsafe fn filter_word(&self, sb: *mut u8, pair: u32) -> &AtomicU32 {
        au32(sb.add(self.sketch_offset as usize + self.counter_blocks() as usize * L::SKETCH_BLOCK_BYTES as usize + (pair >> 4) as usize * 4))
    }

    /// A get missed hash h: sets its 'missed' bit; true if it was set already (h missed before).
    pub unsafe fn filter_missed(&self, sb: *mut u8, h: u64) -> bool {
        if self.filter_blocks() == 0 {
            return false;
        }
        let pair = self.filter_pair(h);
        let word = self.filter_word(sb, pair);
        let bit: u32 = 1 << ((pair & 15) << 1);
        if word.load(Relaxed) & bit != 0 {
            return true;
        }
        word.fetch_or(bit, Relaxed) & bit != 0
    }

    /// A set inserts hash h: if no get missed it before (`asked_before`: the 'missed' bit read before
    /// the set counted the access, policy_asked_before), sets its 'written unasked' bit.
    pub unsafe fn filter_inserted(&self, sb: *mut u8, h: u64, asked_before: bool) -> bool {
        if self.filter_blocks() == 0 {
            return false;
        }
        if asked_before {
            return true;
        }
        let pair = self.filter_pair(h);
        let word = self.filter_word(sb, pair);
        let shift = (pair & 15) << 1;
        let bits = (word.load(Relaxed) >> shift) & 3;
        if bits == 0 {
            word.fetch_or(2 << shift, Relaxed);
        }
        // Whether a get missed h since policy_asked_before looked (another thread's, racing this set): asked for.
        bits & 1 != 0
    }

    /// Whether a get missed hash h before (in this sketch period, or a collision says so): asked for,
    /// loaded cache-aside.
    pub unsafe fn filter_asked(&self, sb: *mut u8, h: u64) -> bool {
        if self.filter_blocks() == 0 {
            return false;
        }
        let pair = self.filter_pair(h);
        (self.filter_word(sb, pair).load(Relaxed) >> ((pair & 15) << 1)) & 1 != 0
    }

    /// MISSED_GENS: the 'missed' bits of the sketch period before this one, after the sketch area (src/layout/geometry.ts
    /// reserves them; as prevFilter in assembly/sketch.ts): one bit a pair, pair p at bit p & 31 of the u32 at (p >> 5) × 4.
    #[inline(always)]
    unsafe fn prev_filter(&self, sb: *mut u8) -> *mut u8 {
        sb.add(self.sketch_offset as usize + self.sketch_blocks as usize * L::SKETCH_BLOCK_BYTES as usize)
    }

    /// Whether a get missed hash h in the sketch period before this one (MISSED_GENS's kept mark; a collision may say
    /// so; as filterMissedBefore in assembly/sketch.ts).
    pub unsafe fn filter_missed_before(&self, sb: *mut u8, h: u64) -> bool {
        if MISSED_GENS == 0 || self.filter_blocks() == 0 {
            return false;
        }
        let pair = self.filter_pair(h);
        (au32(self.prev_filter(sb).add((pair >> 5) as usize * 4)).load(Relaxed) >> (pair & 31)) & 1 != 0
    }

    /// Whether hash h was written unasked (in this sketch period, or a collision says so).
    pub unsafe fn filter_written_unasked(&self, sb: *mut u8, h: u64) -> bool {
        if self.filter_blocks() == 0 {
            return false;
        }
        let pair = self.filter_pair(h);
        (self.filter_word(sb, pair).load(Relaxed) >> (((pair & 15) << 1) + 1)) & 1 != 0
    }

    #[inline(always)]
    pub(crate) fn block_addr(&self, sb: *mut u8, h: u64) -> *mut u8 {
        unsafe { sb.add(self.sketch_offset as usize + self.block_of(h) as usize * L::SKETCH_BLOCK_BYTES as usize) }
    }

    // `bits` are the hash's low 16 bits. Counters 0 and 1 are in word A (one of the block's first
    // four: bits 0-1), 2 and 3 in word B (one of its last four: bits 2-3); counter i is one of the 8
    // nibbles of its word's half i & 1 (bits 4+3i..6+3i). As wordA, wordB and shift0..3 in
    // assembly/sketch.ts.
    #[inline(always)]
    unsafe fn word_a(block: *mut u8, bits: u32) -> &'static AtomicU64 {
        au64(block.add(((bits & 3) << 3) as usize))
    }

    #[inline(always)]
    unsafe fn word_b(block: *mut u8, bits: u32) -> &'static AtomicU64 {
        au64(block.add((32 + ((bits & 12) << 1)) as usize))
    }

    #[inline(always)]
    fn shifts(bits: u32) -> [u32; 4] {
        [(bits >> 2) & 28, ((bits >> 5) & 28) | 32, (bits >> 8) & 28, ((bits >> 11) & 28) | 32]
    }

    /// The frequency estimate of hash h: the smallest of its four counters (0..15).
    pub unsafe fn estimate(&self, sb: *mut u8, h: u64) -> u32 {
        if self.sketch_blocks == 0 {
            return 0;
        }
        let block = self.block_addr(sb, h);
        let bits = h as u32;
        let s = Self::shifts(bits);
        let a = Self::word_a(block, bits).load(Relaxed);
        let b = Self::word_b(block, bits).load(Relaxed);
        let n = |w: u64, shift: u32| ((w >> shift) & 15) as u32;
        n(a, s[0]).min(n(a, s[1])).min(n(b, s[2]).min(n(b, s[3])))
    }

    /// Where hash h's counters are, for tests that craft colliding keys: the block index is returned,
    /// the four counters' positions in the block (0..127, 7 bits each: word × 16 + nibble) are packed
    /// into `positions`.
    pub fn locate_counters(&mut self, h: u64) -> u32 {
        let bits = h as u32;
        let s = Self::shifts(bits);
        let a = (bits & (L::SKETCH_PAIR_WORDS - 1)) << 4;
        let b = (L::SKETCH_PAIR_WORDS + ((bits >> 2) & (L::SKETCH_PAIR_WORDS - 1))) << 4;
        self.positions = (a | (s[0] >> 2)) | ((a | (s[1] >> 2)) << 7) | ((b | (s[2] >> 2)) << 14) | ((b | (s[3] >> 2)) << 21);
        self.block_of(h)
    }

    /// Counts one access of hash h, ageing the whole sketch when its sample is full.
    pub unsafe fn increment(&self, sb: *mut u8, h: u64) {
        if self.sketch_blocks == 0 {
            return;
        }
        self.increment_at(sb, self.block_addr(sb, h), h as u32);
    }

    /// Where hash h's counters are (null without a sketch): a get computes it once, to bring the block
    /// into cache while it looks the key up and to count the hit in it afterwards (increment_at).
    #[inline(always)]
    pub fn sketch_block_of(&self, sb: *mut u8, h: u64) -> *mut u8 {
        if self.sketch_blocks == 0 {
            std::ptr::null_mut()
        } else {
            self.block_addr(sb, h)
        }
    }

    /// Adds one to each of the counters at `ones` (a 1 at each one's lowest bit) in `word` that is
    /// below 15, in one addition; stores the word only if one was (true then). As bumpWord.
    #[inline(always)]
    fn bump_word(word: &AtomicU64, ones: u64) -> bool {
        let w = word.load(Relaxed);
        // A counter's lowest bit survives the two folds only if its four bits are all set (15).
        let mut full = w & (w >> 1);
        full &= full >> 2;
        let add = ones & !full;
        if add == 0 {
            return false;
        }
        word.store(w.wrapping_add(add), Relaxed);
        true
    }

    /// increment for the hash whose block is `block` (sketch_block_of; not null) and low bits `bits`.
    #[inline(always)]
    pub unsafe fn increment_at(&self, sb: *mut u8, block: *mut u8, bits: u32) {
        let s = Self::shifts(bits);
        let a = Self::bump_word(Self::word_a(block, bits), (1u64 << s[0]) | (1u64 << s[1]));
        let b = Self::bump_word(Self::word_b(block, bits), (1u64 << s[2]) | (1u64 << s[3]));
        if !(a | b) {
            return;
        }
        // A plain (lossy) count; only the thread whose CAS moves the count back ages the sketch.
        let additions = au32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize));
        let n = additions.load(Relaxed).wrapping_add(1);
        additions.store(n, Relaxed);
        if n >= ld32(sb.add(L::SHARD_SKETCH_RESET_AT as usize)) && additions.compare_exchange(n, n >> 1, SeqCst, Relaxed).is_ok() {
            self.halve(sb);
        }
    }

    /// Counts `times` accesses of hash h (a front's batched hits): leaves the counters, the count
    /// towards ageing and the ageing exactly as `times` calls of increment would, in one pass over the
    /// block when no ageing falls among them (lossy under contention, as increment). A call of
    /// increment adds to the count only while some counter is below 15: for the first
    /// 15 - (smallest counter) calls. Mirrors assembly/sketch.ts's incrementTimes.
    pub unsafe fn increment_times(&self, sb: *mut u8, h: u64, times: u32) {
        if self.sketch_blocks == 0 {
            return;
        }
        let added = times.min(15 - self.estimate(sb, h));
        if added == 0 {
            return;
        }
        let additions = au32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize));
        let n = additions.load(Relaxed).wrapping_add(added);
        if n >= ld32(sb.add(L::SHARD_SKETCH_RESET_AT as usize)) {
            // An ageing falls among them: one at a time, so it halves what it would have halved.
            for _ in 0..times {
                self.increment(sb, h);
            }
            return;
        }
        let block = self.block_addr(sb, h);
        let bits = h as u32;
        let s = Self::shifts(bits);
        // What `times` increments add to the counter at `shift` of w (they stop at 15), in place.
        let raised = |w: u64, shift: u32| (times.min(15 - ((w >> shift) & 15) as u32) as u64) << shift;
        let a = Self::word_a(block, bits);
        let wa = a.load(Relaxed);
        let da = raised(wa, s[0]) + raised(wa, s[1]);
        if da != 0 {
            a.store(wa.wrapping_add(da), Relaxed);
        }
        let b = Self::word_b(block, bits);
        let wb = b.load(Relaxed);
        let db = raised(wb, s[2]) + raised(wb, s[3]);
        if db != 0 {
            b.store(wb.wrapping_add(db), Relaxed);
        }
        additions.store(n, Relaxed);
    }

    /// WIN_AGE (stop 51): halves hash h's four counters (main's victim that beat a newcomer while a hot
    /// set moves: policy/adaptive.rs contest). Under the shard lock; as assembly/sketch.ts ageCounters.
    pub unsafe fn age_counters(&self, sb: *mut u8, h: u64) {
        if self.sketch_blocks == 0 {
            return;
        }
        let block = self.block_addr(sb, h);
        let bits = h as u32;
        let s = Self::shifts(bits);
        // The word with its counter at `shift` halved (a key's two counters in a word are in different halves).
        let halved = |w: u64, shift: u32| (w & !(15u64 << shift)) | ((((w >> shift) & 15) >> 1) << shift);
        let a = Self::word_a(block, bits);
        a.store(halved(halved(a.load(Relaxed), s[0]), s[1]), Relaxed);
        let b = Self::word_b(block, bits);
        b.store(halved(halved(b.load(Relaxed), s[2]), s[3]), Relaxed);
    }

    /// Ages the sketch now (the policy saw recency beat frequency: policy/window.rs): halves the
    /// counters, clears the miss filter and halves the count towards the next regular ageing. Under
    /// the shard lock.
    pub unsafe fn age_sketch(&self, sb: *mut u8) {
        if self.sketch_blocks == 0 {
            return;
        }
        let additions = au32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize));
        additions.store(additions.load(Relaxed) >> 1, Relaxed);
        self.halve(sb);
    }

    unsafe fn halve(&self, sb: *mut u8) {
        let base = sb.add(self.sketch_offset as usize);
        let words = self.counter_blocks() * WORDS_PER_BLOCK;
        for i in 0..words {
            let w = au64(base.add(i as usize * 8));
            w.store((w.load(Relaxed) >> 1) & HALF_MASK, Relaxed);
        }
        let filter_words = self.filter_blocks() * WORDS_PER_BLOCK;
        // MISSED_GENS: the 'missed' bits this halving clears are kept for one more period.
        if MISSED_GENS != 0 {
            let prev = self.prev_filter(sb);
            for i in 0..filter_words {
                let from = au64(base.add((words + i) as usize * 8)).load(Relaxed);
                au32(prev.add(i as usize * 4)).store(missed_bits_of(from), Relaxed);
            }
        }
        // UNASKED_KEEP (stop 47): while main's keys are quiet (QUIET_MAIN) only the 'missed' bits go (as
        // halve in assembly/sketch.ts).
        let quiet = ld32(sb.add((L::POLICY_STATE_OFFSET + L::POLICY_QUIET_ON) as usize)) != 0;
        let keep = crate::policy::tuning_generated::UNASKED_KEEP != 0 && quiet;
        if keep {
            self.clear_missed_words(base, words, filter_words);
            return;
        }
        for i in words..words + filter_words {
            au64(base.add(i as usize * 8)).store(0, Relaxed);
        }
    }

    /// Clears the miss filter's 'missed' bits and keeps its 'written unasked' ones (MISS_CLEAR, when sets
    /// of keys no get missed begin: policy/adaptive.rs note_insert; as clearMissed in assembly/sketch.ts).
    /// Under the shard lock; a get racing it may lose its bit, as at a halving.
    pub unsafe fn clear_missed(&self, sb: *mut u8) {
        if self.filter_blocks() == 0 {
            return;
        }
        let words = self.counter_blocks() * WORDS_PER_BLOCK;
        self.clear_missed_words(sb.add(self.sketch_offset as usize), words, self.filter_blocks() * WORDS_PER_BLOCK);
        // MISSED_GENS: the traffic that left those marks is over; the period before's go too.
        if MISSED_GENS != 0 {
            self.zero(self.prev_filter(sb), self.filter_blocks() as u64 * (L::SKETCH_BLOCK_BYTES >> 1) as u64);
        }
    }

    unsafe fn clear_missed_words(&self, base: *mut u8, from: u32, count: u32) {
        for i in from..from + count {
            let w = au64(base.add(i as usize * 8));
            w.store(w.load(Relaxed) & UNASKED_BITS, Relaxed);
        }
    }

    /// Sets the ageing period to SKETCH_SAMPLE × `entries` (at most × `capacity`, clear_sketch's), when
    /// it is off by more than a quarter: the shard's index was sized for `capacity` entries of the
    /// expected size, and a cache of 40 KiB values holds a hundredth of that; aged by its index, its
    /// sketch would keep the first values' counts for ever and refuse every new one. A quarter of slack
    /// keeps the small-entry caches, which hold about their index's count, on the period they had.
    pub unsafe fn fit_sample(&self, sb: *mut u8, entries: u32, capacity: u32) {
        if self.sketch_blocks == 0 {
            return;
        }
        let target = sample_period(std::cmp::min(entries, capacity));
        let at = sb.add(L::SHARD_SKETCH_RESET_AT as usize);
        let current = ld32(at);
        if target < current - (current >> 2) || target > current + (current >> 2) {
            st32(at, target);
        }
    }

    pub unsafe fn clear_sketch(&self, sb: *mut u8, capacity: u32) {
        if self.sketch_blocks == 0 {
            return;
        }
        // With MISSED_GENS the period before's 'missed' bits follow the sketch area.
        let prev_bytes = if MISSED_GENS != 0 { self.filter_blocks() as u64 * (L::SKETCH_BLOCK_BYTES >> 1) as u64 } else { 0 };
        self.zero(sb.add(self.sketch_offset as usize), self.sketch_blocks as u64 * L::SKETCH_BLOCK_BYTES as u64 + prev_bytes);
        st32(sb.add(L::SHARD_SKETCH_ADDITIONS as usize), 0);
        st32(sb.add(L::SHARD_SKETCH_RESET_AT as usize), sample_period(capacity));
    }
}

/// The 'missed' bits (the even ones) of the filter's u64 `w`, packed into 32 bits in order (missedBitsOf in assembly/sketch.ts).
#[inline(always)]
fn missed_bits_of(w: u64) -> u32 {
    let mut x = w & 0x5555555555555555;
    x = (x | (x >> 1)) & 0x3333333333333333;
    x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0F;
    x = (x | (x >> 4)) & 0x00FF00FF00FF00FF;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFF;
    (x | (x >> 16)) as u32
}

/// Increments between ageings for a shard of `entries` entries: TinyLFU's sample size W = 12 C.
#[inline(always)]
fn sample_period(entries: u32) -> u32 {
    std::cmp::max(64, entries.wrapping_mul(crate::policy::tuning_generated::SKETCH_SAMPLE))
}
