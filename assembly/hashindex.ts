// The per-shard hash index: buckets of 8 slots (one 64-byte cache line), two candidate buckets per key
// ("two-choice"), so a lookup reads at most 16 slots and never follows a probe chain. A slot is
// [meta u32 = tag | 2-bit frequency][entry offset u32]; offset 0 means empty.
//
// Writers change slots only under the shard lock. Lock-free readers may see a slot mid-change; they
// validate the shard's sequence number afterwards, and bump the frequency bits only with a CAS so a
// reader can never overwrite what a writer stored.
import * as L from './layout.generated'
import { indexBuckets, indexOffset } from './arena'
import { rehash, fastRange, hashBytes } from './hash'
import { keyEquals, inBounds, keyPtr, keyLenOf } from './entry'

export const TAG_MASK: u32 = ~L.SLOT_FREQ_MASK

/** Where the last located key may live (per-instance scratch: each thread has its own instance). */
export let tag: u32 = 0
export let bucket1: u32 = 0
export let bucket2: u32 = 0

export function locate(h: u64): void {
  bucket1 = fastRange(<u32>h, indexBuckets)
  const x = rehash(h)
  let b2 = fastRange(<u32>(x >> 32), indexBuckets)
  if (b2 == bucket1) b2 = bucket1 + 1 == indexBuckets ? 0 : bucket1 + 1
  bucket2 = b2
  tag = tagOf(h)
}

/** A key's tag in its index slot: never zero (bit 2 set), so an empty slot can't match. */
export function tagOf(h: u64): u32 {
  return (<u32>rehash(h) & TAG_MASK) | 4
}

/** True when `slot` points at `off` and carries the tag of hash h (so it is that key's slot). */
export function slotIsFor(slot: u32, off: u32, h: u64): bool {
  return load<u32>(slot, 4) == off && (load<u32>(slot) & TAG_MASK) == tagOf(h)
}

// One saved location, so other lookups (eviction) can run in between. (Plain globals: the engine
// allocates nothing, ever; the stub runtime's allocator would write outside the arena's layout.)
let savedTag: u32 = 0
let savedBucket1: u32 = 0
let savedBucket2: u32 = 0

export function saveLocation(): void {
  savedTag = tag
  savedBucket1 = bucket1
  savedBucket2 = bucket2
}

export function restoreLocation(): void {
  tag = savedTag
  bucket1 = savedBucket1
  bucket2 = savedBucket2
}

/** True while `slot` still holds the located key (its tag, a live offset). */
export function slotStillHolds(slot: u32): bool {
  return load<u32>(slot, 4) != 0 && (load<u32>(slot) & TAG_MASK) == tag
}

// @ts-ignore: decorator
@inline export function bucketAddr(sb: u32, b: u32): u32 {
  return sb + indexOffset + b * L.BUCKET_BYTES
}

// Walking every indexed entry of a shard (the TTL sweep, listing, recovery, borrowing): a cursor that
// the caller's loop advances, not a callback per slot, because AssemblyScript calls a function
// reference with call_indirect and the TTL sweep walks two buckets after every write while TTLs are in
// use. The walk reads each slot when it reaches it, so a caller may clear the slot it is on (removal)
// and go on. For buckets [from, to) of a shard:
//   for (let slot = firstOccupied(sb, from, to); slot != 0; slot = nextOccupied(sb, slot, to))
// A lock-free caller must still check the offset it loads: a writer may have emptied the slot since.

/** The first occupied slot (a nonzero offset) at `slot` or after it and before `end`, or 0. */
// @ts-ignore: decorator
@inline function occupiedFrom(slot: u32, end: u32): u32 {
  while (slot < end) {
    if (load<u32>(slot, 4) != 0) return slot
    slot += L.SLOT_BYTES
  }
  return 0 // no slot lives at address 0
}

/** The first occupied slot of buckets [from, to) of a shard, or 0. A `from` past `to` walks nothing. */
// @ts-ignore: decorator
@inline export function firstOccupied(sb: u32, from: u32, to: u32): u32 {
  // min: bucketAddr of a `from` far past the index would wrap around to its start.
  return occupiedFrom(bucketAddr(sb, min<u32>(from, to)), bucketAddr(sb, to))
}

/** The next occupied slot after `slot` in buckets up to `to`, or 0. */
// @ts-ignore: decorator
@inline export function nextOccupied(sb: u32, slot: u32, to: u32): u32 {
  return occupiedFrom(slot + L.SLOT_BYTES, bucketAddr(sb, to))
}

function findIn(sb: u32, bucket: u32, key: u32, keyLen: u32): u32 {
  const base = bucketAddr(sb, bucket)
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * L.SLOT_BYTES
    if ((load<u32>(slot) & TAG_MASK) == tag) {
      const off = load<u32>(slot, 4)
      if (inBounds(off) && keyEquals(sb, off, key, keyLen)) return slot
    }
  }
  return 0
}

/** The offset in the first slot of the located key's first bucket that carries its tag, or 0. */
export function firstTagMatch(sb: u32): u32 {
  const base = bucketAddr(sb, bucket1)
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * L.SLOT_BYTES
    if ((load<u32>(slot) & TAG_MASK) == tag) return load<u32>(slot, 4)
  }
  return 0
}

/** The slot holding `key` (call locate() first), or 0. */
export function findSlot(sb: u32, key: u32, keyLen: u32): u32 {
  const s = findIn(sb, bucket1, key, keyLen)
  return s != 0 ? s : findIn(sb, bucket2, key, keyLen)
}

function emptyIn(sb: u32, bucket: u32): u32 {
  const base = bucketAddr(sb, bucket)
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * L.SLOT_BYTES
    if (load<u32>(slot, 4) == 0) return slot
  }
  return 0
}

/**
 * A free slot for the located key: in its first bucket if possible (so most hits read one cache line),
 * else its second; when both are full, one cuckoo step moves a resident of either bucket to that
 * resident's other bucket. 0 only when all 16 residents' other buckets are full too.
 */
export function emptySlot(sb: u32): u32 {
  let s = emptyIn(sb, bucket1)
  if (s != 0) return s
  s = emptyIn(sb, bucket2)
  if (s != 0) return s
  const t = tag
  const b1 = bucket1
  const b2 = bucket2
  s = relocateFrom(sb, b1)
  if (s == 0) s = relocateFrom(sb, b2)
  tag = t
  bucket1 = b1
  bucket2 = b2
  return s
}

/** Moves one resident of a full bucket to its alternative bucket; returns the slot it freed, or 0. */
function relocateFrom(sb: u32, bucket: u32): u32 {
  const base = bucketAddr(sb, bucket)
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * L.SLOT_BYTES
    const off = load<u32>(slot, 4)
    locate(hashBytes(keyPtr(sb, off), keyLenOf(sb, off)))
    const other = bucket1 == bucket ? bucket2 : bucket1
    const free = emptyIn(sb, other)
    if (free != 0) {
      atomic.store<u32>(free + 4, off)
      atomic.store<u32>(free, load<u32>(slot))
      clearSlot(slot)
      return slot
    }
  }
  return 0
}

/** The slot that points at the entry at `off` (call locate() with the entry's hash first), or 0. */
export function slotOf(sb: u32, off: u32): u32 {
  for (let pass: u32 = 0; pass < 2; pass++) {
    const base = bucketAddr(sb, pass == 0 ? bucket1 : bucket2)
    for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
      const slot = base + i * L.SLOT_BYTES
      if (load<u32>(slot, 4) == off) return slot
    }
  }
  return 0
}

/** Publishes an entry in a slot: offset first, then the tag, so a reader matching the tag sees the offset. */
export function publish(slot: u32, off: u32, freq: u32): void {
  atomic.store<u32>(slot + 4, off)
  atomic.store<u32>(slot, tag | (freq & L.SLOT_FREQ_MASK))
}

/** Points a slot at an entry's new copy, keeping the slot's tag (whatever key is located now). */
export function republish(slot: u32, off: u32, freq: u32): void {
  atomic.store<u32>(slot + 4, off)
  atomic.store<u32>(slot, (load<u32>(slot) & TAG_MASK) | (freq & L.SLOT_FREQ_MASK))
}

export function clearSlot(slot: u32): void {
  atomic.store<u32>(slot + 4, 0)
  atomic.store<u32>(slot, 0)
}

// @ts-ignore: decorator
@inline export function slotOffset(slot: u32): u32 { return load<u32>(slot, 4) }
// @ts-ignore: decorator
@inline export function slotFreq(slot: u32): u32 { return load<u32>(slot) & L.SLOT_FREQ_MASK }

/**
 * A hit: saturating increment of the slot's frequency, lossy under contention, never clobbering. Returns
 * the frequency before this hit (LATE_HIT's first hit in probation: read.ts), from the load it makes anyway.
 */
export function touch(slot: u32): u32 {
  const m = atomic.load<u32>(slot)
  const f = m & L.SLOT_FREQ_MASK
  if (f < L.SLOT_FREQ_MASK) atomic.cmpxchg<u32>(slot, m, m + 1)
  return f
}

/**
 * `times` hits at once (a front's batched hits): the frequency `times` calls of touch would leave,
 * min(max, freq + times), in one CAS (lossy under contention, as touch is, and never clobbering).
 */
export function touchTimes(slot: u32, times: u32): void {
  const m = atomic.load<u32>(slot)
  const room = L.SLOT_FREQ_MASK - (m & L.SLOT_FREQ_MASK)
  if (room != 0) atomic.cmpxchg<u32>(slot, m, m + min<u32>(times, room))
}

/** Clears the whole index of a shard (clear(), recovery). */
export function clearIndex(sb: u32): void {
  memory.fill(sb + indexOffset, 0, indexBuckets * L.BUCKET_BYTES)
}
