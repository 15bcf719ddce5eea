// The ghost: fingerprints of keys recently evicted, so a key that comes back soon is recognised.
// Buckets of 8 slots [fingerprint u32][clock u32]; a fingerprint counts as present while fewer than
// `window` insertions happened since it was recorded, which gives FIFO-age semantics without a queue.
// Written only under the shard lock.
import * as L from './layout.generated'
import { ghostSlots, ghostOffset } from './arena'
import { fastRange } from './hash'

// @ts-ignore: decorator
@inline function fingerprint(h: u64): u32 {
  const f = <u32>(h >> 17) ^ <u32>(h >> 47)
  return f == 0 ? 1 : f
}

// @ts-ignore: decorator
@inline function bucketOf(sb: u32, fp: u32): u32 {
  return sb + ghostOffset + fastRange(fp * 0x9E3779B1, ghostSlots / L.BUCKET_SLOTS) * L.BUCKET_BYTES
}

/** Records hash h as evicted. */
export function ghostAdd(sb: u32, h: u64): void {
  if (ghostSlots == 0) return
  const fp = fingerprint(h)
  const now = load<u32>(sb + L.SHARD_GHOST_CLOCK) + 1
  store<u32>(sb + L.SHARD_GHOST_CLOCK, now)
  const base = bucketOf(sb, fp)
  let victim = base
  let oldest: u32 = 0
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * 8
    const f = load<u32>(slot)
    if (f == fp || f == 0) { victim = slot; break }
    const age = now - load<u32>(slot, 4)
    if (age > oldest) { oldest = age; victim = slot }
  }
  store<u32>(victim, fp)
  store<u32>(victim, now, 4)
}

/** True when hash h was evicted within the last `window` ghost insertions; forgets it if so. */
export function ghostTake(sb: u32, h: u64, window: u32): bool {
  if (ghostSlots == 0) return false
  const fp = fingerprint(h)
  const now = load<u32>(sb + L.SHARD_GHOST_CLOCK)
  const base = bucketOf(sb, fp)
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * 8
    if (load<u32>(slot) == fp) {
      const recent = now - load<u32>(slot, 4) < window
      store<u32>(slot, 0)
      store<u32>(slot, 0, 4)
      return recent
    }
  }
  return false
}

export function clearGhost(sb: u32): void {
  if (ghostSlots == 0) return
  memory.fill(sb + ghostOffset, 0, ghostSlots * 8)
  store<u32>(sb + L.SHARD_GHOST_CLOCK, 0)
}
