//! Port of assembly/hash.ts: seeded 64-bit hash of key bytes (8-byte lanes folded with multiply-rotate
//! rounds, then a strong finalizer). Must stay bit-identical to the WebAssembly engine: shard, buckets,
//! tags and sketch counters of a shared arena all derive from it.
use crate::mem::{ld32_plain, ld64_plain};

const P1: u64 = 0x9E3779B185EBCA87;
const P2: u64 = 0xC2B2AE3D27D4EB4F;
const P3: u64 = 0x165667B19E3779F9;

#[inline(always)]
fn round(acc: u64, lane: u64) -> u64 {
    (acc ^ lane.wrapping_mul(P2).rotate_left(31).wrapping_mul(P1)).rotate_left(27).wrapping_mul(P1).wrapping_add(P3)
}

/// Hashes `len` bytes at `ptr`: scratch bytes of this thread, or arena bytes under the shard lock.
pub unsafe fn hash_bytes(seed: u64, ptr: *const u8, len: u32) -> u64 {
    let mut h = seed ^ (len as u64).wrapping_mul(P1);
    let mut i: u32 = 0;
    while i + 8 <= len {
        h = round(h, ld64_plain(ptr.add(i as usize)));
        i += 8;
    }
    if i + 4 <= len {
        h = round(h, ld32_plain(ptr.add(i as usize)) as u64);
        i += 4;
    }
    while i < len {
        h = (h ^ (*ptr.add(i as usize) as u64).wrapping_mul(P3)).rotate_left(11).wrapping_mul(P1);
        i += 1;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51AFD7ED558CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CEB9FE1A85EC53);
    h ^= h >> 33;
    h
}

/// A second, independent-looking 64-bit value from a hash (for the second bucket, tags, sketch).
#[inline(always)]
pub fn rehash(h: u64) -> u64 {
    let x = (h ^ (h >> 29)).wrapping_mul(0xBF58476D1CE4E5B9);
    x ^ (x >> 32)
}

/// Maps a 32-bit value onto [0, n) without a division (Lemire's multiply-shift).
#[inline(always)]
pub fn fast_range(x: u32, n: u32) -> u32 {
    ((x as u64 * n as u64) >> 32) as u32
}
