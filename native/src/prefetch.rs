//! Prefetch hints: start loading a cache line that is about to be needed, so that several misses are
//! in flight at once. They change nothing but timing (and are no-ops where no hint is available).
use crate::arena::Engine;
use crate::hash::fast_range;
use crate::hashindex::tag_of;
use crate::layout_generated as L;
use crate::mem::ld32;

#[inline(always)]
pub fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8);
    }
    #[cfg(target_arch = "aarch64")]
    unsafe {
        std::arch::asm!("prfm pldl1keep, [{0}]", in(reg) p, options(nostack, readonly, preserves_flags));
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    let _ = p;
}

impl Engine {
    /// The index buckets a lookup of hash h reads first, and the sketch block a hit counts in.
    #[inline(always)]
    pub fn prefetch_lookup(&self, h: u64, flags: u32) {
        let sb = self.shard_base(fast_range((h >> 32) as u32, self.shard_count));
        prefetch(self.bucket_addr(sb, fast_range(h as u32, self.index_buckets)));
        if flags & L::GET_PEEK == 0 {
            self.prefetch_sketch(sb, h);
        }
    }

    /// The sketch block a hit of hash h counts in.
    #[inline(always)]
    pub fn prefetch_sketch(&self, sb: *mut u8, h: u64) {
        // The block sketch.rs counts h in (block_of: a remix of the hash over the counter blocks).
        let block = self.sketch_block_of(sb, h);
        if !block.is_null() {
            prefetch(block);
        }
    }

    /// The adaptive policy's lines for hash h: its sketch block and ghost bucket (a new key's set and a
    /// queue tail's contest read both), so that their misses overlap each other and the index's.
    #[inline(always)]
    pub fn prefetch_policy(&self, sb: *mut u8, h: u64) {
        self.prefetch_sketch(sb, h);
        let bucket = self.ghost_bucket_of(sb, h);
        if !bucket.is_null() {
            prefetch(bucket);
        }
    }

    /// The entries that the slots of h's first bucket carrying h's tag point at (the key's own entry,
    /// short of a tag collision): the key comparison and the value are there.
    #[inline(always)]
    pub fn prefetch_entries(&self, h: u64) {
        let sb = self.shard_base(fast_range((h >> 32) as u32, self.shard_count));
        let base = self.bucket_addr(sb, fast_range(h as u32, self.index_buckets));
        let tag = tag_of(h);
        for i in 0..L::BUCKET_SLOTS {
            unsafe {
                let slot = base.add((i * L::SLOT_BYTES) as usize);
                if ld32(slot) & !L::SLOT_FREQ_MASK == tag {
                    let off = ld32(slot.add(4));
                    if self.in_bounds(off) {
                        prefetch(sb.add(off as usize));
                        prefetch(sb.add(off as usize + 64).min(sb.add(self.shard_bytes as usize - 1)));
                    }
                }
            }
        }
    }
}
