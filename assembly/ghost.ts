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
  let victim = base
  let oldest: u32 = 0
  // The first empty slot or the one holding fp, else the oldest (the first of equals): the eight
  // slots written out rather than looped over (no loop overhead, constant offsets).
  if (L.BUCKET_SLOTS != 8) unreachable()
  do {
    let f = load<u32>(base, 0)
    if (f == 0 || (f & ~1) == fp) { victim = base + 0; break }
    let age = now - load<u32>(base, 4)
    if (age > oldest) { oldest = age; victim = base + 0 }
    f = load<u32>(base, 8)
    if (f == 0 || (f & ~1) == fp) { victim = base + 8; break }
    age = now - load<u32>(base, 12)
    if (age > oldest) { oldest = age; victim = base + 8 }
    f = load<u32>(base, 16)
    if (f == 0 || (f & ~1) == fp) { victim = base + 16; break }
    age = now - load<u32>(base, 20)
    if (age > oldest) { oldest = age; victim = base + 16 }
    f = load<u32>(base, 24)
    if (f == 0 || (f & ~1) == fp) { victim = base + 24; break }
    age = now - load<u32>(base, 28)
    if (age > oldest) { oldest = age; victim = base + 24 }
    f = load<u32>(base, 32)
    if (f == 0 || (f & ~1) == fp) { victim = base + 32; break }
    age = now - load<u32>(base, 36)
    if (age > oldest) { oldest = age; victim = base + 32 }
    f = load<u32>(base, 40)
    if (f == 0 || (f & ~1) == fp) { victim = base + 40; break }
    age = now - load<u32>(base, 44)
    if (age > oldest) { oldest = age; victim = base + 40 }
    f = load<u32>(base, 48)
    if (f == 0 || (f & ~1) == fp) { victim = base + 48; break }
    age = now - load<u32>(base, 52)
    if (age > oldest) { oldest = age; victim = base + 48 }
    f = load<u32>(base, 56)
    if (f == 0 || (f & ~1) == fp) { victim = base + 56; break }
    if (now - load<u32>(base, 60) > oldest) victim = base + 56
  } while (false)
  store<u32>(victim, fp | (tag & 1))
  store<u32>(victim, now, 4)
  countTag(sb, tag, now)
}

function countTag(sb: u32, tag: u32, now: u32): void {
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
export function ghostAge(sb: u32, h: u64): i32 {
  if (ghostSlots == 0) return -1
  const fp = fingerprint(h)
  const now = load<u32>(sb + L.SHARD_GHOST_CLOCK)
  const base = bucketOf(sb, fp)
  // The first slot holding fp (the eight written out rather than looped over).
  if (L.BUCKET_SLOTS != 8) unreachable()
  let slot: u32 = base
  if ((load<u32>(base) & ~1) != fp) {
    slot = base + 8
    if ((load<u32>(base, 8) & ~1) != fp) {
      slot = base + 16
      if ((load<u32>(base, 16) & ~1) != fp) {
        slot = base + 24
        if ((load<u32>(base, 24) & ~1) != fp) {
          slot = base + 32
          if ((load<u32>(base, 32) & ~1) != fp) {
            slot = base + 40
            if ((load<u32>(base, 40) & ~1) != fp) {
              slot = base + 48
              if ((load<u32>(base, 48) & ~1) != fp) {
                slot = base + 56
                if ((load<u32>(base, 56) & ~1) != fp) return -1
              }
            }
          }
        }
      }
    }
  }
  const f = load<u32>(slot)
  const age = now - load<u32>(slot, 4)
  if (age >= ghostSlots) return -1
  ghostTag = f & 1
  return <i32>age
}

export function clearGhost(sb: u32): void {
  if (ghostSlots == 0) return
  memory.fill(sb + ghostOffset, 0, ghostSlots * 8)
  store<u32>(sb + L.SHARD_GHOST_CLOCK, 0)
  memory.fill(sb + P + L.POLICY_GHOST_WINDOW_NOW, 0, 20)
}
