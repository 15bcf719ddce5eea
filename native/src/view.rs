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
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::copy;

pub struct View {
    pub direct: bool,
    /// Where the JS view starts (the arena itself in direct mode, the window otherwise).
    pub js_base: *mut u8,
    /// Window offset of shard 0's header page (window mode); shards follow PAGE apart.
    pub shard_pages: u32,
    /// Staging for single values (get, setReserve): as large as the largest entry.
    pub single: u32,
    pub single_len: u32,
    /// Staging for many values at once (getMany, iteration), filled from the start by each call.
    pub batch: u32,
    pub batch_len: u32,
    pub batch_used: u32,
}

pub const PAGE: u32 = 4096;

impl View {
    pub fn direct(base: *mut u8) -> View {
        View { direct: true, js_base: base, shard_pages: 0, single: 0, single_len: 0, batch: 0, batch_len: 0, batch_used: 0 }
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
        let v = &mut self.view;
        let at = if batch {
            let start = (v.batch_used + 7) & !7;
            if start as u64 + len as u64 > v.batch_len as u64 {
                return None;
            }
            v.batch_used = start + len;
            v.batch + start
        } else {
            if len > v.single_len {
                return None;
            }
            v.single
        };
        copy(v.js_base.add(at as usize), p, len);
        Some(at)
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
        if self.view.direct {
            unsafe { sb.add(off as usize).offset_from(self.base) as u32 }
        } else {
            0
        }
    }

    /// Where JS writes the value of a set whose bytes don't fit in scratch (setReserve): the entry
    /// itself in direct mode, the single staging region in window mode (set_commit copies it over).
    pub fn value_target(&self, value_ptr: *mut u8, len: u32) -> Option<u32> {
        if self.view.direct {
            return Some(unsafe { value_ptr.offset_from(self.base) } as u32);
        }
        if len > self.view.single_len {
            return None;
        }
        Some(self.view.single)
    }
}
