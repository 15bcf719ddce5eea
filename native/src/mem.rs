//! Loads and stores in the mapped arena, the counterparts of AssemblyScript's load<T>/store<T>.
//!
//! Entries are packed (an 8-byte header, an optional 8-byte expiry, then key and value bytes), so most
//! fields are unaligned: everything goes through unaligned accesses. Lock-free readers look at bytes a
//! writer in another thread or process may be changing; those reads are volatile, so the compiler reads
//! each field exactly once (a length that was bounds-checked is the length that gets used) and the
//! shard's sequence number decides afterwards whether what was read may be trusted. Words that readers
//! and writers race on by design (index slots, lock words, sequence numbers, counters updated without
//! the lock) are aligned and accessed as atomics.
use std::ptr;
use std::sync::atomic::{AtomicI32, AtomicU32, AtomicU64};

#[inline(always)]
pub unsafe fn ld8(p: *const u8) -> u32 {
    ptr::read_volatile(p) as u32
}
#[inline(always)]
pub unsafe fn ld16(p: *const u8) -> u32 {
    u16::from_le_bytes(ptr::read_volatile(p as *const [u8; 2])) as u32
}
#[inline(always)]
pub unsafe fn ld32(p: *const u8) -> u32 {
    u32::from_le_bytes(ptr::read_volatile(p as *const [u8; 4]))
}
#[inline(always)]
pub unsafe fn ld64(p: *const u8) -> u64 {
    u64::from_le_bytes(ptr::read_volatile(p as *const [u8; 8]))
}
#[inline(always)]
pub unsafe fn ldf64(p: *const u8) -> f64 {
    f64::from_bits(ld64(p))
}

/// Plain loads, for bytes no other thread writes meanwhile (this thread's scratch, or under the lock
/// when the optimiser may combine them).
#[inline(always)]
pub unsafe fn ld64_plain(p: *const u8) -> u64 {
    ptr::read_unaligned(p as *const u64)
}
#[inline(always)]
pub unsafe fn ld32_plain(p: *const u8) -> u32 {
    ptr::read_unaligned(p as *const u32)
}

#[inline(always)]
pub unsafe fn st8(p: *mut u8, v: u32) {
    ptr::write_volatile(p, v as u8)
}
#[inline(always)]
pub unsafe fn st16(p: *mut u8, v: u32) {
    ptr::write_volatile(p as *mut [u8; 2], (v as u16).to_le_bytes())
}
#[inline(always)]
pub unsafe fn st32(p: *mut u8, v: u32) {
    ptr::write_volatile(p as *mut [u8; 4], v.to_le_bytes())
}
#[inline(always)]
pub unsafe fn st64(p: *mut u8, v: u64) {
    ptr::write_volatile(p as *mut [u8; 8], v.to_le_bytes())
}
#[inline(always)]
pub unsafe fn stf64(p: *mut u8, v: f64) {
    st64(p, v.to_bits())
}

/// memory.copy: the ranges may overlap (an entry moved within its own queue's segments never does,
/// but memmove costs nothing extra).
#[inline(always)]
pub unsafe fn copy(dst: *mut u8, src: *const u8, len: u32) {
    ptr::copy(src, dst, len as usize)
}
#[inline(always)]
pub unsafe fn fill(dst: *mut u8, byte: u8, len: u64) {
    ptr::write_bytes(dst, byte, len as usize)
}

#[inline(always)]
pub unsafe fn au32<'a>(p: *mut u8) -> &'a AtomicU32 {
    &*(p as *const AtomicU32)
}
#[inline(always)]
pub unsafe fn ai32<'a>(p: *mut u8) -> &'a AtomicI32 {
    &*(p as *const AtomicI32)
}
#[inline(always)]
pub unsafe fn au64<'a>(p: *mut u8) -> &'a AtomicU64 {
    &*(p as *const AtomicU64)
}
