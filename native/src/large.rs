//! Port of assembly/large.ts and assembly/borrow.ts: values larger than a segment. Such an entry keeps
//! a record in its queue's segment ([header][key][first segment u32][count u32], flagged LARGE) and its
//! value in a chain of whole segments: state SEG_LARGE with the owner shard in the same word, linked
//! through SEG_NEXT by global ids (shard × seg_count + segment, 1-based), each full but the last.
//! A chain takes up to a third of its own shard's segments (and one more: the `local` part, first) and
//! borrows the rest from other shards, at most half of each lender's (LARGE_LEND_SHARE), under the lender's lock taken
//! by try-lock only (a writer holding its own lock never waits for another: no deadlock; a busy lender
//! is skipped). The count word holds the chain's length and, above CHAIN_LOCAL_SHIFT, its local part.
//! A borrowed segment goes back without the lender's lock: an atomic store of SEG_RETURNED and an
//! atomic count in the lender's header; the lender collects it under its own lock. Lock-free readers
//! walk the chain from JS (src/engine/large.ts) and validate the owner's sequence afterwards.
use crate::arena::Engine;
use crate::entry::{flags_of, is_large, ref_ptr, value_len_of};

/// The chain being borrowed (borrow_chain).
#[derive(Default, Clone, Copy)]
pub struct Borrowing {
    pub first: u32,
    pub last: u32,
    pub got: u32,
}
use crate::layout_generated as L;
use crate::mem::*;
use std::sync::atomic::Ordering::*;

#[inline(always)]
pub fn large_state(owner: u32) -> u32 {
    L::SEG_LARGE | (owner << L::SEG_OWNER_SHIFT)
}
#[inline(always)]
pub fn is_large_state(state: u32) -> bool {
    state & L::SEG_STATE_MASK == L::SEG_LARGE
}
#[inline(always)]
pub fn chain_count(word: u32) -> u32 {
    word & L::CHAIN_COUNT_MASK
}
#[inline(always)]
pub fn chain_local(word: u32) -> u32 {
    word >> L::CHAIN_LOCAL_SHIFT
}
#[inline(always)]
pub unsafe fn state_of(h: *mut u8) -> u32 {
    au32(h.add(L::SEG_STATE as usize)).load(Acquire)
}

impl Engine {
    /// Segments a value of `value_len` bytes fills.
    #[inline(always)]
    pub fn chain_length(&self, value_len: u32) -> u32 {
        value_len.div_ceil(self.seg_bytes)
    }

    /// Segments a chain may take from its own shard (the rest it borrows).
    #[inline(always)]
    pub fn local_share(&self) -> u32 {
        self.seg_count / L::LARGE_SHARE + 1
    }

    /// The shard whose base is `sb`.
    #[inline(always)]
    pub fn shard_index_of(&self, sb: *mut u8) -> u32 {
        ((sb as usize - self.base as usize - self.shards_offset as usize) / self.shard_bytes as usize) as u32
    }

    #[inline(always)]
    pub fn gid_of(&self, shard: u32, seg: u32) -> u32 {
        shard * self.seg_count + seg
    }
    #[inline(always)]
    pub fn gid_valid(&self, gid: u32) -> bool {
        gid != 0 && gid as u64 <= self.shard_count as u64 * self.seg_count as u64
    }
    #[inline(always)]
    pub fn gid_shard(&self, gid: u32) -> u32 {
        (gid - 1) / self.seg_count
    }
    #[inline(always)]
    fn gid_seg(&self, gid: u32) -> u32 {
        (gid - 1) % self.seg_count + 1
    }
    #[inline(always)]
    pub fn gid_header(&self, gid: u32) -> *mut u8 {
        self.seg_header(self.shard_base(self.gid_shard(gid)), self.gid_seg(gid))
    }
    /// Address of a segment's first byte, by global id.
    #[inline(always)]
    pub fn gid_data(&self, gid: u32) -> *mut u8 {
        unsafe { self.shard_base(self.gid_shard(gid)).add(self.seg_data(self.gid_seg(gid)) as usize) }
    }

    /// Bytes of a LARGE entry's value held in borrowed segments (0 for any other entry).
    pub unsafe fn borrowed_bytes(&self, sb: *mut u8, off: u32) -> u32 {
        if !is_large(flags_of(sb, off)) {
            return 0;
        }
        let word = ld32(ref_ptr(sb, off).add(4));
        let local = chain_local(word);
        if local >= chain_count(word) {
            return 0;
        }
        value_len_of(sb, off).saturating_sub(local.wrapping_mul(self.seg_bytes))
    }

    /// Turns a popped free segment into a chain segment owned by `owner`, linked to nothing yet.
    unsafe fn make_chain_segment(&self, h: *mut u8, owner: u32) {
        st32(h.add(L::SEG_NEXT as usize), 0);
        st32(h.add(L::SEG_PREV as usize), 0);
        st32(h.add(L::SEG_USED as usize), self.seg_bytes);
        st32(h.add(L::SEG_LIVE_BYTES as usize), 0);
        st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
        au32(h.add(L::SEG_STATE as usize)).store(large_state(owner), Release);
    }

    /// Takes `n` free segments of shard `shard` (the caller made sure they are there) and chains them,
    /// the last linked to `tail` (the borrowed part, 0 for none); returns the first global id.
    pub unsafe fn alloc_chain(&self, sb: *mut u8, shard: u32, n: u32, tail: u32) -> u32 {
        let mut first = tail;
        let mut last = 0;
        for _ in 0..n {
            let seg = self.pop_free(sb);
            let gid = self.gid_of(shard, seg);
            self.make_chain_segment(self.seg_header(sb, seg), shard);
            if last != 0 {
                st32(self.gid_header(last).add(L::SEG_NEXT as usize), gid);
            } else {
                first = gid;
            }
            last = gid;
        }
        if last != 0 {
            st32(self.gid_header(last).add(L::SEG_NEXT as usize), tail);
        }
        first
    }

    /// Gives one segment of a chain owned by `owner` back: to the free list if it is the owner's own.
    unsafe fn give_back(&self, gid: u32, owner: u32) {
        let lender = self.gid_shard(gid);
        let lb = self.shard_base(lender);
        if lender == owner {
            self.release_segment(lb, self.gid_seg(gid));
            return;
        }
        au32(self.seg_header(lb, self.gid_seg(gid)).add(L::SEG_STATE as usize)).store(L::SEG_RETURNED, Release);
        au32(lb.add(L::SHARD_RETURNED as usize)).fetch_add(1, AcqRel);
    }

    /// Gives back up to `n` segments of the chain starting at `first`, owned by `owner`.
    pub unsafe fn free_chain(&self, first: u32, mut n: u32, owner: u32) {
        let mut gid = first;
        while n > 0 && self.gid_valid(gid) && state_of(self.gid_header(gid)) == large_state(owner) {
            n -= 1;
            let next = ld32(self.gid_header(gid).add(L::SEG_NEXT as usize));
            self.give_back(gid, owner);
            gid = next;
        }
    }

    /// Gives a LARGE entry's chain back (no-op for other entries). Under the owner's lock.
    pub unsafe fn free_chain_of(&self, sb: *mut u8, off: u32) {
        if !is_large(flags_of(sb, off)) {
            return;
        }
        let r = ref_ptr(sb, off);
        self.free_chain(ld32(r), chain_count(ld32(r.add(4))), self.shard_index_of(sb));
    }

    /// Takes back into the free list the segments other shards gave back. Under this shard's lock;
    /// the count is taken before the scan (see assembly/large.ts).
    pub unsafe fn collect_returned(&self, sb: *mut u8) {
        let returned = au32(sb.add(L::SHARD_RETURNED as usize));
        if returned.load(Acquire) == 0 {
            return;
        }
        returned.swap(0, AcqRel);
        for s in 1..=self.seg_count {
            if state_of(self.seg_header(sb, s)) == L::SEG_RETURNED {
                self.release_segment(sb, s);
            }
        }
    }

    /// Segments of `shard` currently in other shards' chains (or given back and not yet collected).
    unsafe fn lent_by(&self, sb: *mut u8, shard: u32) -> u32 {
        let mut n = 0;
        for s in 1..=self.seg_count {
            let state = state_of(self.seg_header(sb, s));
            if state == L::SEG_RETURNED || (is_large_state(state) && state != large_state(shard)) {
                n += 1;
            }
        }
        n
    }

    /// Copies `len` bytes from `src` into the chain starting at `first` (under the owner's lock).
    pub unsafe fn write_chain(&self, first: u32, src: *const u8, len: u32) {
        self.for_each_chain_piece(first, len, |data, pos, n| copy(data, src.add(pos as usize), n));
    }

    /// Walks `len` bytes of the chain starting at `first`, one segment's share at a time:
    /// `f(the segment's data, position in the value, bytes)`. False when the chain ends (an id that
    /// names no segment) before `len` bytes: a chain being reused under a lock-free reader.
    #[inline(always)]
    pub unsafe fn for_each_chain_piece(&self, first: u32, len: u32, mut f: impl FnMut(*mut u8, u32, u32)) -> bool {
        let mut gid = first;
        let mut pos: u32 = 0;
        while pos < len {
            if !self.gid_valid(gid) {
                return false;
            }
            let n = self.seg_bytes.min(len - pos);
            f(self.gid_data(gid), pos, n);
            pos += n;
            gid = ld32(self.gid_header(gid).add(L::SEG_NEXT as usize));
        }
        true
    }

    /// Recovery's claim on a LARGE entry's chain (see assembly/large.ts claimChain).
    pub unsafe fn claim_chain(&self, first: u32, n: u32, mark: u32, owner: u32) -> u32 {
        let mut gid = first;
        for i in 0..n {
            if !self.gid_valid(gid) {
                return i;
            }
            let h = self.gid_header(gid);
            if state_of(h) != large_state(owner) || ld32(h.add(L::SEG_LIVE_COUNT as usize)) != (mark ^ 1) {
                return i;
            }
            st32(h.add(L::SEG_LIVE_COUNT as usize), mark);
            gid = ld32(h.add(L::SEG_NEXT as usize));
        }
        n
    }

    /// verify's check of a chain, changing nothing: `n` valid segments, all owned by `owner`.
    pub unsafe fn chain_intact(&self, first: u32, n: u32, owner: u32) -> bool {
        let mut gid = first;
        for _ in 0..n {
            if !self.gid_valid(gid) || state_of(self.gid_header(gid)) != large_state(owner) {
                return false;
            }
            gid = ld32(self.gid_header(gid).add(L::SEG_NEXT as usize));
        }
        true
    }

    /// Calls `f(gid, header)` for every segment anywhere in the arena owned by `owner`'s chains.
    unsafe fn for_each_owned(&self, owner: u32, mut f: impl FnMut(u32, *mut u8)) {
        let want = large_state(owner);
        for t in 0..self.shard_count {
            let tb = self.shard_base(t);
            for s in 1..=self.seg_count {
                let h = self.seg_header(tb, s);
                if state_of(h) == want {
                    f(self.gid_of(t, s), h);
                }
            }
        }
    }

    /// Segments anywhere in the arena owned by `owner`'s chains; with `reset`, their claim marks go to 0.
    pub unsafe fn owned_segments(&self, owner: u32, reset: bool) -> u32 {
        let mut n = 0;
        self.for_each_owned(owner, |_, h| {
            n += 1;
            if reset {
                st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
            }
        });
        n
    }

    /// After recovery claimed the live chains: gives back every segment `owner` holds that none claimed.
    pub unsafe fn release_unclaimed(&self, owner: u32) {
        self.for_each_owned(owner, |gid, h| {
            if ld32(h.add(L::SEG_LIVE_COUNT as usize)) == 0 {
                self.give_back(gid, owner);
            } else {
                st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
            }
        });
    }

    /// Takes up to `want` free segments of shard `lender` (base lb) into the chain being borrowed,
    /// keeping one spare.
    unsafe fn take_lent(&mut self, lb: *mut u8, lender: u32, owner: u32, want: u32) {
        let k = want.min(self.free_count(lb).saturating_sub(1));
        for _ in 0..k {
            let seg = self.pop_free(lb);
            let gid = self.gid_of(lender, seg);
            self.make_chain_segment(self.seg_header(lb, seg), owner);
            if self.borrow.last != 0 {
                st32(self.gid_header(self.borrow.last).add(L::SEG_NEXT as usize), gid);
            } else {
                self.borrow.first = gid;
            }
            self.borrow.last = gid;
        }
        self.borrow.got += k;
    }

    /// Room `lender` may still lend: half its segments, less what it lent already.
    unsafe fn lendable(&self, lb: *mut u8, lender: u32) -> u32 {
        (self.seg_count / L::LARGE_LEND_SHARE).saturating_sub(self.lent_by(lb, lender))
    }

    /// True when the chain of `n` segments from `gid` holds a segment of shard `lender`.
    unsafe fn holds_segments_of(&self, mut gid: u32, n: u32, lender: u32) -> bool {
        let mut i = 0;
        while i < n && self.gid_valid(gid) {
            if self.gid_shard(gid) == lender {
                return true;
            }
            gid = ld32(self.gid_header(gid).add(L::SEG_NEXT as usize));
            i += 1;
        }
        false
    }

    /// Evicts one LARGE entry of shard `xb` whose chain holds segments of `lender`, if it loses to a
    /// newcomer of frequency `fc` (see assembly/borrow.ts evictBorrower). Under `xb`'s lock.
    unsafe fn evict_borrower(&mut self, xb: *mut u8, lender: u32, fc: u32) -> bool {
        for slot in self.occupied_slots(xb, 0, self.index_buckets) {
            let off = crate::hashindex::slot_offset(slot);
            let flags = flags_of(xb, off);
            if !is_large(flags) {
                continue;
            }
            let r = ref_ptr(xb, off);
            if !self.holds_segments_of(ld32(r), chain_count(ld32(r.add(4))), lender) {
                continue;
            }
            let h = crate::hash::hash_bytes(self.seed, crate::entry::key_ptr(xb, off), crate::entry::key_len_of(xb, off));
            let fv = self.policy_estimate(xb, h);
            if fc < fv || (fc == fv && fv > crate::policy::tuning_generated::LARGE_TIE_FREQUENCY) {
                continue;
            }
            self.remove_entry(xb, off, crate::entry::queue_of(flags), crate::entry::entry_bytes(xb, off), slot);
            crate::queues::bump(xb, L::SHARD_EVICTIONS);
            return true;
        }
        false
    }

    /// Borrows `n` segments for a chain of shard `owner` from the other shards (see
    /// assembly/borrow.ts): what lenders have free, then what their policies give up to a newcomer
    /// of frequency `fc`, then what other large values borrowed from them when those lose to it.
    /// Returns the first global id, or 0 (nothing stays borrowed).
    pub unsafe fn borrow_chain(&mut self, owner: u32, n: u32, fc: u32, now: f64) -> u32 {
        self.borrow = Default::default();
        for pass in 0..3 {
            if self.borrow.got >= n {
                break;
            }
            for i in 1..self.shard_count {
                if self.borrow.got >= n {
                    break;
                }
                let lender = (owner + i) % self.shard_count;
                let lb = self.shard_base(lender);
                if ai32(lb.add(L::SHARD_WAITERS as usize)).load(Acquire) > 0 || !self.try_lock(lb) {
                    continue;
                }
                self.collect_returned(lb);
                let want = (n - self.borrow.got).min(self.lendable(lb, lender));
                if pass < 2 && want > 0 {
                    if self.free_count(lb) < want + 1 {
                        self.reclaim_dead_tails(lb);
                    }
                    if pass == 1 && self.free_count(lb) < want + 1 {
                        self.policy_lend(lb, fc, want, now);
                    }
                    self.take_lent(lb, lender, owner, want);
                } else if pass == 2 {
                    // The lender's segments in other shards' chains: their entries contest the newcomer.
                    let mut s = 1;
                    while s <= self.seg_count && self.borrow.got < n {
                        let state = state_of(self.seg_header(lb, s));
                        s += 1;
                        if !is_large_state(state) {
                            continue;
                        }
                        let x = state >> L::SEG_OWNER_SHIFT;
                        if x == lender || x >= self.shard_count {
                            continue;
                        }
                        let xb = self.shard_base(x);
                        if x != owner && (ai32(xb.add(L::SHARD_WAITERS as usize)).load(Acquire) > 0 || !self.try_lock(xb)) {
                            continue;
                        }
                        let evicted = self.evict_borrower(xb, lender, fc);
                        if x != owner {
                            self.release(xb);
                        }
                        if !evicted {
                            continue;
                        }
                        self.collect_returned(lb);
                        let want = (n - self.borrow.got).min(self.lendable(lb, lender));
                        self.take_lent(lb, lender, owner, want);
                    }
                }
                self.release(lb);
            }
        }
        let (first, got) = (self.borrow.first, self.borrow.got);
        if got < n {
            self.free_chain(first, got, owner);
            return 0;
        }
        first
    }
}
