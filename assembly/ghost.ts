// The ghost: fingerprints of recently evicted keys, each tagged with where it left from (the window,
// i.e. a candidate that never made it into main, or main). A key counts as present while fewer than
// `ghostSlots` evictions happened since it was recorded, which gives FIFO-age semantics without a
// queue: buckets of 8 slots [fingerprint u32 (bit 0 = tag)][clock u32], the oldest slot replaced.
// The policy also needs how many ghost entries of each tag are live; that is kept per epoch of
// `ghostSlots` additions (this epoch's count plus the share of the last one still inside the window).
// Written only under the shard lock.
import * as L from './layout.generated'
import { ghostSlots, ghostOffset } from './arena'
import { fastRange } from './hash'

const P = L.POLICY_STATE_OFFSET

/** The tag of the key found by the last successful ghostAge(). */
export let ghostTag: u32 = 0

// @ts-ignore: decorator
@inline function fingerprint(h: u64): u32 {
  // Bits not used by the shard, bucket or index tag choices; bit 0 is left for the tag.
  return ((<u32>(h >> 17) ^ <u32>(h >> 45)) & ~1) | 2
}

// @ts-ignore: decorator
@inline function bucketOf(sb: u32, fp: u32): u32 {
  return sb + ghostOffset + fastRange(fp * 0x9E3779B1, ghostSlots / L.BUCKET_SLOTS) * L.BUCKET_BYTES
}

/** The first word of hash h's ghost bucket (to bring it into cache ahead of use; 0 without a ghost). */
export function ghostWord(sb: u32, h: u64): u32 {
  return ghostSlots == 0 ? 0 : load<u32>(bucketOf(sb, fingerprint(h)))
}

/** Records hash h as evicted from the window (tag 0) or from main (tag 1). */
// @ts-ignore: decorator
@inline export function ghostAdd(sb: u32, h: u64, tag: u32): void {
  if (ghostSlots == 0) return
  const fp = fingerprint(h)
  const now = load<u32>(sb + L.SHARD_GHOST_CLOCK) + 1
  store<u32>(sb + L.SHARD_GHOST_CLOCK, now)
  const base = bucketOf(sb, fp)
  // The first empty slot or the one holding fp, else the oldest (the first of equals), the eight
  // slots compared four at a time (wasm SIMD: a scalar scan of eight slots was ~150 instructions of
  // generated code per eviction, bench/arena/policy-count.sh). Same choice as native/src/ghost.rs.
  if (L.BUCKET_SLOTS != 8) unreachable()
  const lo = v128.load(base)
  const mid = v128.load(base, 16)
  const hi = v128.load(base, 32)
  const top = v128.load(base, 48)
  // Lanes 0..3: fingerprints (or clocks) of slots 0..3 and of slots 4..7.
  const f0 = i32x4.shuffle(lo, mid, 0, 2, 4, 6)
  const f1 = i32x4.shuffle(hi, top, 0, 2, 4, 6)
  const mine = i32x4.splat(fp)
  const untagged = i32x4.splat(~1)
  const none = i32x4.splat(0)
  const free = i32x4.bitmask(v128.or(i32x4.eq(v128.and(f0, untagged), mine), i32x4.eq(f0, none)))
    | (i32x4.bitmask(v128.or(i32x4.eq(v128.and(f1, untagged), mine), i32x4.eq(f1, none))) << 4)
  let index: u32
  if (free != 0) {
    index = ctz<u32>(free)
  } else {
    const clock = i32x4.splat(now)
    const a0 = i32x4.sub(clock, i32x4.shuffle(lo, mid, 1, 3, 5, 7))
    const a1 = i32x4.sub(clock, i32x4.shuffle(hi, top, 1, 3, 5, 7))
    let oldest = i32x4.max_u(a0, a1)
    oldest = i32x4.max_u(oldest, i32x4.shuffle(oldest, oldest, 2, 3, 0, 1))
    oldest = i32x4.max_u(oldest, i32x4.shuffle(oldest, oldest, 1, 0, 3, 2))
    index = ctz<u32>(i32x4.bitmask(i32x4.eq(a0, oldest)) | (i32x4.bitmask(i32x4.eq(a1, oldest)) << 4))
  }
  const victim = base + index * 8
  store<u32>(victim, fp | (tag & 1))
  store<u32>(victim, now, 4)
  countTag(sb, tag, now)
}

// @ts-ignore: decorator
@inline function countTag(sb: u32, tag: u32, now: u32): void {
  if (now - load<u32>(sb + P + L.POLICY_GHOST_EPOCH_START) >= ghostSlots) {
    store<u32>(sb + P + L.POLICY_GHOST_WINDOW_PREV, load<u32>(sb + P + L.POLICY_GHOST_WINDOW_NOW))
    store<u32>(sb + P + L.POLICY_GHOST_MAIN_PREV, load<u32>(sb + P + L.POLICY_GHOST_MAIN_NOW))
    store<u32>(sb + P + L.POLICY_GHOST_WINDOW_NOW, 0)
    store<u32>(sb + P + L.POLICY_GHOST_MAIN_NOW, 0)
    store<u32>(sb + P + L.POLICY_GHOST_EPOCH_START, now)
  }
  const field = sb + P + (tag == 0 ? L.POLICY_GHOST_WINDOW_NOW : L.POLICY_GHOST_MAIN_NOW)
  store<u32>(field, load<u32>(field) + 1)
}

/** Live ghost entries with this tag (estimated: this epoch's plus the remaining share of the last). */
export function ghostTagCount(sb: u32, tag: u32): f64 {
  const now = load<u32>(sb + L.SHARD_GHOST_CLOCK)
  const elapsed = <f64>(now - load<u32>(sb + P + L.POLICY_GHOST_EPOCH_START)) / <f64>max<u32>(1, ghostSlots)
  const cur = load<u32>(sb + P + (tag == 0 ? L.POLICY_GHOST_WINDOW_NOW : L.POLICY_GHOST_MAIN_NOW))
  const prev = load<u32>(sb + P + (tag == 0 ? L.POLICY_GHOST_WINDOW_PREV : L.POLICY_GHOST_MAIN_PREV))
  return <f64>cur + <f64>prev * max<f64>(0, 1 - elapsed)
}

/**
 * How many evictions ago hash h was recorded (0 = the latest), or -1 when it is not in the ghost.
 * A hit does not remove the fingerprint: it ages out like the others. The tag goes to ghostTag.
 */
// @ts-ignore: decorator
@inline export function ghostAge(sb: u32, h: u64): i32 {
  if (ghostSlots == 0) return -1
  const fp = fingerprint(h)
  const now = load<u32>(sb + L.SHARD_GHOST_CLOCK)
  const base = bucketOf(sb, fp)
  // The first slot holding fp, the eight compared four at a time (as in ghostAdd).
  if (L.BUCKET_SLOTS != 8) unreachable()
  const mine = i32x4.splat(fp)
  const untagged = i32x4.splat(~1)
  const f0 = i32x4.shuffle(v128.load(base), v128.load(base, 16), 0, 2, 4, 6)
  const f1 = i32x4.shuffle(v128.load(base, 32), v128.load(base, 48), 0, 2, 4, 6)
  const found = i32x4.bitmask(i32x4.eq(v128.and(f0, untagged), mine)) | (i32x4.bitmask(i32x4.eq(v128.and(f1, untagged), mine)) << 4)
  if (found == 0) return -1
  const slot = base + ctz<u32>(found) * 8
  const f = load<u32>(slot)
  const age = now - load<u32>(slot, 4)
  if (age >= ghostSlots) return -1
  ghostTag = f & 1
  return <i32>age
}

/** Clears the ghost (`zeroed`: its slots are known to be zeros already: policyInit). */
export function clearGhost(sb: u32, zeroed: bool): void {
  if (ghostSlots == 0) return
  if (!zeroed) memory.fill(sb + ghostOffset, 0, ghostSlots * 8)
  store<u32>(sb + L.SHARD_GHOST_CLOCK, 0)
  memory.fill(sb + P + L.POLICY_GHOST_WINDOW_NOW, 0, 20)
}
