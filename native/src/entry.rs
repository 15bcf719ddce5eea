//! Port of assembly/entry.ts. One entry in a segment:
//! the ENTRY header of src/layout/spec.json, [expiry f64 if HAS_TTL], [key], [value], at a shard-relative
//! offset. A LARGE entry (larger than a segment) keeps only a record, [..][key][first segment u32]
//! [segments u32] in place of the value, whose bytes fill a chain of whole segments (large.rs).
//! Readers may look at an entry while a writer reuses its bytes, so every length read here is
//! bounds-checked before it is trusted.
use crate::arena::Engine;
use crate::layout_generated as L;
use crate::mem::*;

#[inline(always)]
pub unsafe fn flags_of(sb: *mut u8, off: u32) -> u32 {
    ld8(sb.add((off + L::ENTRY_FLAGS) as usize))
}
#[inline(always)]
pub unsafe fn kind_of(sb: *mut u8, off: u32) -> u32 {
    ld8(sb.add((off + L::ENTRY_KIND) as usize))
}
#[inline(always)]
pub unsafe fn key_len_of(sb: *mut u8, off: u32) -> u32 {
    ld16(sb.add((off + L::ENTRY_KEY_LEN) as usize))
}
#[inline(always)]
pub unsafe fn value_len_of(sb: *mut u8, off: u32) -> u32 {
    ld32(sb.add((off + L::ENTRY_VALUE_LEN) as usize))
}
#[inline(always)]
pub fn is_live(flags: u32) -> bool {
    flags & L::ENTRY_LIVE != 0
}
#[inline(always)]
pub fn has_ttl(flags: u32) -> bool {
    flags & L::ENTRY_HAS_TTL != 0
}
#[inline(always)]
pub fn is_large(flags: u32) -> bool {
    flags & L::ENTRY_LARGE != 0
}
#[inline(always)]
pub fn queue_of(flags: u32) -> u32 {
    (flags & L::ENTRY_QUEUE_MASK) >> L::ENTRY_QUEUE_SHIFT
}
#[inline(always)]
pub fn header_bytes(flags: u32) -> u32 {
    L::ENTRY_HEADER_BYTES + if has_ttl(flags) { L::ENTRY_TTL_BYTES } else { 0 }
}
#[inline(always)]
pub unsafe fn expiry_of(sb: *mut u8, off: u32) -> f64 {
    ldf64(sb.add((off + L::ENTRY_HEADER_BYTES) as usize))
}
/// Bytes the entry takes in its segment (a LARGE entry's record: its value lives elsewhere). Only
/// called under the lock on entries known to be well formed, where the sum fits the shard; wrapping
/// keeps a racing reader from ever trapping.
#[inline(always)]
pub unsafe fn entry_bytes(sb: *mut u8, off: u32) -> u32 {
    let flags = flags_of(sb, off);
    let inline = if is_large(flags) { L::LARGE_REF_BYTES } else { value_len_of(sb, off) };
    header_bytes(flags).wrapping_add(key_len_of(sb, off)).wrapping_add(inline)
}
/// Bytes of a LARGE entry's value outside its record (0 for any other entry).
#[inline(always)]
pub unsafe fn chained_bytes(sb: *mut u8, off: u32) -> u32 {
    if is_large(flags_of(sb, off)) {
        value_len_of(sb, off).wrapping_sub(L::LARGE_REF_BYTES)
    } else {
        0
    }
}
/// A LARGE entry's reference: [first segment u32][segment count u32].
#[inline(always)]
pub unsafe fn ref_ptr(sb: *mut u8, off: u32) -> *mut u8 {
    key_ptr(sb, off).add(key_len_of(sb, off) as usize)
}
#[inline(always)]
pub unsafe fn key_ptr(sb: *mut u8, off: u32) -> *mut u8 {
    sb.add(off as usize + header_bytes(flags_of(sb, off)) as usize)
}
/// Bytes an entry needs in a segment.
#[inline(always)]
pub fn size_for(with_ttl: bool, key_len: u32, value_len: u32) -> u32 {
    (L::ENTRY_HEADER_BYTES + if with_ttl { L::ENTRY_TTL_BYTES } else { 0 }).wrapping_add(key_len).wrapping_add(value_len)
}
#[inline(always)]
pub unsafe fn set_flags(sb: *mut u8, off: u32, flags: u32) {
    st8(sb.add(off as usize), flags)
}
/// Moves the entry's flags to `queue`: ENTRY_FREE (FREE_TAG) is cleared by any move, and set again by `extra`.
pub unsafe fn set_queue(sb: *mut u8, off: u32, queue: u32, extra: u32) {
    let f = flags_of(sb, off);
    st8(sb.add(off as usize), (f & !(L::ENTRY_QUEUE_MASK | L::ENTRY_FREE)) | (queue << L::ENTRY_QUEUE_SHIFT) | extra);
}

impl Engine {
    /// True when the entry at `off` plausibly lies inside the shard's data area. Lock-free readers call
    /// this before reading lengths they got from memory a writer may be changing.
    #[inline(always)]
    pub fn in_bounds(&self, off: u32) -> bool {
        !(off < self.data_offset || off > self.shard_bytes - L::ENTRY_HEADER_BYTES)
    }

    #[inline(always)]
    pub unsafe fn span_in_bounds(&self, sb: *mut u8, off: u32) -> bool {
        let flags = flags_of(sb, off);
        let inline = if is_large(flags) { L::LARGE_REF_BYTES } else { value_len_of(sb, off) };
        let total = off as u64 + header_bytes(flags) as u64 + key_len_of(sb, off) as u64 + inline as u64;
        total <= self.shard_bytes as u64
    }

    /// Compares the key stored at `off` with `len` bytes at `key`.
    pub unsafe fn key_equals(&self, sb: *mut u8, off: u32, key: *const u8, len: u32) -> bool {
        if key_len_of(sb, off) != len {
            return false;
        }
        if !self.span_in_bounds(sb, off) {
            return false;
        }
        let stored = key_ptr(sb, off);
        let mut i: u32 = 0;
        while i + 8 <= len {
            if ld64(stored.add(i as usize)) != ld64_plain(key.add(i as usize)) {
                return false;
            }
            i += 8;
        }
        while i < len {
            if ld8(stored.add(i as usize)) != *key.add(i as usize) as u32 {
                return false;
            }
            i += 1;
        }
        true
    }

    /// Writes a complete entry (not yet LIVE) at `off`; returns the address of its value (of a LARGE
    /// entry's reference, which the caller fills). `policy_flags`: the policy's (ENTRY_UNASKED, ENTRY_TRACER).
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn write_entry(&self, sb: *mut u8, off: u32, kind: u32, with_ttl: bool, expiry: f64, key: *const u8, key_len: u32, value_len: u32, queue: u32, large: bool, policy_flags: u32) -> *mut u8 {
        let p = sb.add(off as usize);
        st8(p.add(L::ENTRY_FLAGS as usize), (if with_ttl { L::ENTRY_HAS_TTL } else { 0 }) | (if large { L::ENTRY_LARGE } else { 0 }) | (queue << L::ENTRY_QUEUE_SHIFT) | policy_flags);
        st8(p.add(L::ENTRY_KIND as usize), kind);
        st16(p.add(L::ENTRY_KEY_LEN as usize), key_len);
        st32(p.add(L::ENTRY_VALUE_LEN as usize), value_len);
        let mut k = p.add(L::ENTRY_HEADER_BYTES as usize);
        if with_ttl {
            stf64(k, expiry);
            k = k.add(L::ENTRY_TTL_BYTES as usize);
        }
        copy(k, key, key_len);
        k.add(key_len as usize)
    }
}
