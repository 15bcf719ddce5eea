//! Port of assembly/large.ts: values larger than a segment. Such an entry keeps a record in its queue's
//! segment ([header][key][first segment u32][segment count u32], flagged LARGE) and its value in a chain
//! of whole segments taken from the shard's free list (state SEG_LARGE, linked through SEG_NEXT, each
//! full but the last). Moving the record leaves the chain in place; the entry leaving the cache gives
//! every segment back at once. Lock-free readers walk the chain from JS (src/engine/large.ts) and
//! validate the shard's sequence afterwards: chains are only freed or reused under the shard lock.
use crate::arena::Engine;
use crate::entry::{flags_of, is_large, ref_ptr};
use crate::layout_generated as L;
use crate::mem::*;

impl Engine {
    /// Segments a value of `value_len` bytes fills.
    #[inline(always)]
    pub fn chain_length(&self, value_len: u32) -> u32 {
        value_len.div_ceil(self.seg_bytes)
    }

    /// Takes `n` free segments (the caller made sure they are there) and chains them; returns the first.
    pub unsafe fn alloc_chain(&self, sb: *mut u8, n: u32) -> u32 {
        let mut first = 0;
        let mut last = 0;
        for _ in 0..n {
            let seg = self.pop_free(sb);
            let h = self.seg_header(sb, seg);
            st32(h.add(L::SEG_STATE as usize), L::SEG_LARGE);
            st32(h.add(L::SEG_NEXT as usize), 0);
            st32(h.add(L::SEG_PREV as usize), last);
            st32(h.add(L::SEG_USED as usize), self.seg_bytes);
            st32(h.add(L::SEG_LIVE_BYTES as usize), 0);
            st32(h.add(L::SEG_LIVE_COUNT as usize), 0);
            if last != 0 {
                st32(self.seg_header(sb, last).add(L::SEG_NEXT as usize), seg);
            } else {
                first = seg;
            }
            last = seg;
        }
        first
    }

    /// Gives a LARGE entry's chain back to the free list (no-op for other entries). Under the lock.
    pub unsafe fn free_chain_of(&self, sb: *mut u8, off: u32) {
        if !is_large(flags_of(sb, off)) {
            return;
        }
        let r = ref_ptr(sb, off);
        let mut seg = ld32(r);
        let mut n = ld32(r.add(4));
        while n > 0 && seg != 0 && seg <= self.seg_count && self.seg_u32(sb, seg, L::SEG_STATE) == L::SEG_LARGE {
            n -= 1;
            let next = self.seg_u32(sb, seg, L::SEG_NEXT);
            self.release_segment(sb, seg);
            seg = next;
        }
    }

    /// Copies `len` bytes from `src` into the chain starting at segment `first` (under the lock).
    pub unsafe fn write_chain(&self, sb: *mut u8, first: u32, src: *const u8, len: u32) {
        let mut seg = first;
        let mut pos: u32 = 0;
        while pos < len && seg != 0 {
            let n = self.seg_bytes.min(len - pos);
            copy(sb.add(self.seg_data(seg) as usize), src.add(pos as usize), n);
            pos += n;
            seg = self.seg_u32(sb, seg, L::SEG_NEXT);
        }
    }

    /// Recovery's claim on a LARGE entry's chain (see assembly/large.ts claimChain).
    pub unsafe fn claim_chain(&self, sb: *mut u8, first: u32, n: u32, mark: u32) -> u32 {
        let mut seg = first;
        for i in 0..n {
            if seg == 0 || seg > self.seg_count {
                return i;
            }
            let h = self.seg_header(sb, seg);
            if ld32(h.add(L::SEG_STATE as usize)) != L::SEG_LARGE || ld32(h.add(L::SEG_LIVE_COUNT as usize)) != (mark ^ 1) {
                return i;
            }
            st32(h.add(L::SEG_LIVE_COUNT as usize), mark);
            seg = ld32(h.add(L::SEG_NEXT as usize));
        }
        n
    }

    /// verify's check of a chain, changing nothing: `n` segments in range and SEG_LARGE.
    pub unsafe fn chain_intact(&self, sb: *mut u8, first: u32, n: u32) -> bool {
        let mut seg = first;
        for _ in 0..n {
            if seg == 0 || seg > self.seg_count || self.seg_u32(sb, seg, L::SEG_STATE) != L::SEG_LARGE {
                return false;
            }
            seg = self.seg_u32(sb, seg, L::SEG_NEXT);
        }
        true
    }
}
