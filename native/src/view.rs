//! How JS sees the arena. JS reads values straight out of an ArrayBuffer, which V8 caps at 4 GiB, and
//! the RESULT protocol speaks u32 offsets. Two modes:
//!
//! - direct: the ArrayBuffer covers the whole mapping (arenas up to 4 GiB). Offsets reported to JS are
//!   arena offsets, exactly as in the WebAssembly engine, and values are never copied.
//! - window: the arena is larger. JS gets a window of its own (mapping.rs builds it): the arena's prefix
//!   (header, thread slots, scratch areas), then the first page of every shard (so lock words, sequence
//!   numbers and counters are readable), then private staging regions. Values and entries are copied
//!   into staging and reported there; the sequence index still points at the shard's real sequence
//!   word (through its header page), so JS validates the copy exactly as it validates a direct read.
//!   A LARGE entry's value (a chain of segments, large.rs) is never staged: a get reports it with
//!   KIND_CHAINED and its first segment's global id, and JS has the addon copy the chain straight into
//!   a buffer of its own (copy_chain_out; then it validates the sequence as for any read). A set whose
//!   value doesn't fit in scratch hands its bytes over the same way (fill_reserved in bindings.rs). So a
//!   value costs one copy each way, and its size is bounded by the entry limit alone, not by the 4 GiB
//!   view: the single staging region only ever holds an entry that fits a segment. What values touched
//!   there beyond SINGLE_KEEP is given back to the kernel after SINGLE_TRIM_AFTER smaller uses in a row.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::copy;

/// Single staging above this is given back to the kernel once SINGLE_TRIM_AFTER uses in a row needed less.
const SINGLE_KEEP: u32 = 8 << 20;
const SINGLE_TRIM_AFTER: u32 = 64;

pub struct View {
    pub direct: bool,
    /// Where the JS view starts (the arena itself in direct mode, the window otherwise).
    pub js_base: *mut u8,
    /// Window offset of shard 0's header page (window mode); shards follow PAGE apart.
    pub shard_pages: u32,
    /// Staging for single values (get): one segment, the largest entry that isn't chained.
    pub single: u32,
    pub single_len: u32,
    /// Staging for many values at once (getMany, iteration), filled from the start by each call.
    pub batch: u32,
    pub batch_len: u32,
    pub batch_used: u32,
    /// The most bytes of the single region uses touched beyond SINGLE_KEEP (0 when none), and how many
    /// uses in a row needed no more than SINGLE_KEEP since.
    pub single_used: u32,
    pub single_small: u32,
}

pub const PAGE: u32 = 4096;

impl View {
    pub fn direct(base: *mut u8) -> View {
        View { direct: true, js_base: base, shard_pages: 0, single: 0, single_len: 0, batch: 0, batch_len: 0, batch_used: 0, single_used: 0, single_small: 0 }
    }
}

impl Engine {
    /// The u32 index (in a Uint32Array over JS's view) of a shard's sequence word.
    #[inline(always)]
    pub fn seq_index(&self, shard: u32) -> u32 {
        if self.view.direct {
            ((self.shards_offset + shard as u64 * self.shard_bytes as u64 + L::SHARD_SEQ as u64) >> 2) as u32
        } else {
            (self.view.shard_pages + shard * PAGE + L::SHARD_SEQ) >> 2
        }
    }

    /// The offset in JS's view where `len` bytes at `p` (inside a shard) can be read: their own place in
    /// direct mode, a copy in window mode (`batch` picks the staging region). None when staging is full.
    #[inline(always)]
    pub unsafe fn expose(&mut self, p: *const u8, len: u32, batch: bool) -> Option<u32> {
        if self.view.direct {
            return Some(p.offset_from(self.base) as u32);
        }
        let at = self.stage_room(len, batch)?;
        copy(self.view.js_base.add(at as usize), p, len);
        Some(at)
    }

    /// Room for `len` bytes in a staging region (window mode): the batch region's next free bytes, or
    /// the single region (whose pages a larger earlier use touched beyond SINGLE_KEEP go back first).
    unsafe fn stage_room(&mut self, len: u32, batch: bool) -> Option<u32> {
        let v = &mut self.view;
        if batch {
            let start = (v.batch_used + 7) & !7;
            if start as u64 + len as u64 > v.batch_len as u64 {
                return None;
            }
            v.batch_used = start + len;
            return Some(v.batch + start);
        }
        if len > v.single_len {
            return None;
        }
        if len > SINGLE_KEEP {
            v.single_used = v.single_used.max(len);
            v.single_small = 0;
        } else if v.single_used > SINGLE_KEEP {
            // Pages a large value touched go back only after SINGLE_TRIM_AFTER smaller uses in a row:
            // a thread alternating large and small values doesn't fault the large one's pages in again
            // each time.
            v.single_small += 1;
            if v.single_small >= SINGLE_TRIM_AFTER {
                crate::sys::madvise(v.js_base.add((v.single + SINGLE_KEEP) as usize) as *mut std::ffi::c_void, (v.single_used - SINGLE_KEEP) as usize, crate::sys::MADV_DONTNEED);
                v.single_used = 0;
                v.single_small = 0;
            }
        }
        Some(v.single)
    }

    /// Window mode: copies a LARGE entry's value of `len` bytes, held in the chain starting at global
    /// id `first`, to `dst` (JS's own buffer of at least `len` bytes). Lock-free callers validate the
    /// owner's sequence afterwards, as for any read; every id is checked before it is followed and the
    /// walk stops after the segments `len` fills, so a chain a writer is reusing can't lead it astray.
    /// False when the chain is not whole (only a concurrent writer makes it so).
    pub unsafe fn copy_chain_out(&self, first: u32, len: u32, dst: *mut u8) -> bool {
        len <= self.max_entry_bytes && self.for_each_chain_piece(first, len, |data, pos, n| copy(dst.add(pos as usize), data, n))
    }

    /// Starts filling the batch staging region again (window mode).
    #[inline(always)]
    pub fn begin_batch(&mut self) {
        if !self.view.direct {
            crate::mapping::trim_staging(&mut self.view);
        }
        self.view.batch_used = 0;
    }

    /// RESULT.entryOffset: the entry's arena offset when JS can see it, else 0.
    #[inline(always)]
    pub fn entry_offset(&self, sb: *mut u8, off: u32) -> u32 {
        self.offset_in_view(unsafe { sb.add(off as usize) })
    }

    /// The offset in JS's view of arena address `p` in direct mode; 0 in window mode, where JS sees no
    /// entry in place: RESULT.entryOffset, and RESULT.valueOffset of a setReserve (through a window JS
    /// hands the bytes to fill_reserved in bindings.rs, which copies them into the entry or its chain).
    #[inline(always)]
    pub fn offset_in_view(&self, p: *const u8) -> u32 {
        if self.view.direct {
            unsafe { p.offset_from(self.base) as u32 }
        } else {
            0
        }
    }
}
