//! Port of assembly/policy/rng.ts: a per-shard PRNG (xorshift64*), its state in the shard header: the
//! policy's random choices are reproducible from the cache's seed and differ between shards. Used under
//! the shard lock.
use crate::layout_generated as L;
use crate::mem::*;

pub unsafe fn seed_rng(sb: *mut u8, seed: u64, shard: u32) {
    let mut s = seed ^ ((shard.wrapping_add(1)) as u64).wrapping_mul(0x9E3779B97F4A7C15);
    if s == 0 {
        s = 0x2545F4914F6CDD1D;
    }
    st32(sb.add(L::SHARD_RNG_LO as usize), s as u32);
    st32(sb.add(L::SHARD_RNG_HI as usize), (s >> 32) as u32);
}

pub unsafe fn next_random(sb: *mut u8) -> u32 {
    let mut s = ((ld32(sb.add(L::SHARD_RNG_HI as usize)) as u64) << 32) | ld32(sb.add(L::SHARD_RNG_LO as usize)) as u64;
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    st32(sb.add(L::SHARD_RNG_LO as usize), s as u32);
    st32(sb.add(L::SHARD_RNG_HI as usize), (s >> 32) as u32);
    (s.wrapping_mul(0x2545F4914F6CDD1D) >> 32) as u32
}
