// Seeded 64-bit hash of key bytes: 8-byte lanes folded with multiply-rotate rounds, then a strong
// finalizer so every output bit depends on every input bit (shard, buckets and tag all come from it).
import { seed } from './arena'

const P1: u64 = 0x9E3779B185EBCA87
const P2: u64 = 0xC2B2AE3D27D4EB4F
const P3: u64 = 0x165667B19E3779F9

// @ts-ignore: decorator
@inline function round(acc: u64, lane: u64): u64 {
  return rotl<u64>(acc ^ (rotl<u64>(lane * P2, 31) * P1), 27) * P1 + P3
}

export function hashBytes(ptr: u32, len: u32): u64 {
  let h: u64 = seed ^ (<u64>len * P1)
  let i: u32 = 0
  while (i + 8 <= len) {
    h = round(h, load<u64>(ptr + i))
    i += 8
  }
  if (i + 4 <= len) {
    h = round(h, <u64>load<u32>(ptr + i))
    i += 4
  }
  while (i < len) {
    h = rotl<u64>(h ^ (<u64>load<u8>(ptr + i) * P3), 11) * P1
    i++
  }
  h ^= h >> 33
  h *= 0xFF51AFD7ED558CCD
  h ^= h >> 33
  h *= 0xC4CEB9FE1A85EC53
  h ^= h >> 33
  return h
}

/** A second, independent-looking 64-bit value from a hash (for the second bucket, tags, sketch). */
// @ts-ignore: decorator
@inline export function rehash(h: u64): u64 {
  const x = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9
  return x ^ (x >> 32)
}

/** Maps a 32-bit value onto [0, n) without a division (Lemire's multiply-shift). */
// @ts-ignore: decorator
@inline export function fastRange(x: u32, n: u32): u32 {
  return <u32>((<u64>x * <u64>n) >> 32)
}
