// Writes: set, delete, clear. Each runs under its shard's lock (taken in index.ts and batch.ts) and keeps the log
// recoverable at every step: an entry is complete before it becomes LIVE, and the index moves to a new
// copy before the old copy stops being LIVE.
import * as L from './layout.generated'
import { segBytes, maxEntryBytes, scratchBase, countGlobally } from './arena'
import { locate, findSlot, emptySlot, publish, slotOffset, slotFreq, touch, bucketAddr, bucket1, clearIndex, saveLocation, restoreLocation, slotStillHolds } from './hashindex'
import { flagsOf, setFlags, entryBytes, hasTtl, isLarge, queueOf, sizeFor, writeEntry, keyPtr, valueLenOf, refPtr, expiryOf } from './entry'
import { reserveAppend, commitAppend, addLive, removeLive, initSegments, killEntry } from './segments'
import { ensureRoom } from './room'
import { removeEntry, bump } from './queues'
import { policyInsert, policyInsertFlags, policyAfterInsert, policyOnAccess, policyInit, policyLendFrequency, policyTouchNew, REJECT } from './policy/index'
import { reclaimSome } from './ttl'
import { chainLength, localShare, allocChain, freeChainOf, freeChain, writeChain, gidData, shardIndexOf, ownedSegments, releaseUnclaimed } from './large'
import { borrowChain } from './borrow'

// The set in progress on this thread (module globals are per instance, hence per thread).
let curSb: u32 = 0
let curOff: u32 = 0
let curSize: u32 = 0
let curQueue: u32 = 0
let curInPlace: bool = false
let curWithTtl: bool = false
let curNow: f64 = 0
let curAdding: bool = false
let curSlot: u32 = 0
/** First segment of the value's chain when the set in progress is LARGE, else 0. */
let curChain: u32 = 0

/**
 * First half of a set, under the lock: decides where the entry goes, evicts for room and writes header
 * and key. Returns STORED with RESULT.valueOffset = where the value's bytes go (RESULT.kind is
 * KIND_CHAINED when they go into a LARGE entry's chain of segments, starting there; setReserve clears
 * it first), or REJECTED.
 */
export function beginSet(sb: u32, h: u64, key: u32, keyLen: u32, valueLen: u32, kind: u32, ttl: f64, now: f64): u32 {
  const withTtl = ttl > 0
  // What the entry costs (the policy's size), and what it takes in its queue's segment: all of it, or
  // for an entry larger than a segment a record, its value going into a chain of whole segments.
  const size = sizeFor(withTtl, keyLen, valueLen)
  const large = size > segBytes
  const record = large ? sizeFor(withTtl, keyLen, L.LARGE_REF_BYTES) : size
  const slot = findSlot(sb, key, keyLen)
  const askedBefore = slot == 0 && policyTouchNew(sb, h)
  // The policy's work below locates other keys: keep this key's location to come back to.
  saveLocation()
  // (size < valueLen: a length so large that the u32 size wrapped.)
  if (size < valueLen || size > maxEntryBytes || record > segBytes) {
    bump(sb, L.SHARD_OVERSIZED)
    return refuse(sb, slot, now)
  }
  // A write is an access: it counts for the key's frequency.
  policyOnAccess(sb, h)
  const expiry = withTtl ? now + ttl : 0
  curSb = sb
  curWithTtl = withTtl
  curNow = now
  curSize = record
  curChain = 0
  let q: i32 = 0
  // The policy's flags for the new copy: an update keeps the old entry's (ENTRY_UNASKED, ENTRY_TRACER).
  let policyFlags: u32 = 0
  if (slot != 0) {
    const old = slotOffset(slot)
    const oldFlags = flagsOf(sb, old)
    // Same footprint: rewrite in place. Lock-free readers racing with it see the sequence move. The
    // entry stops being LIVE until the new bytes are complete: a writer dying halfway leaves a dead
    // entry (the key is lost, which a cache may do), never a torn value recovery would keep.
    // A LARGE value of the same length is rewritten in place too, over its own chain (same cost, same
    // segments); a writer dying halfway leaves the record dead and recovery frees the chain.
    const sameSmall = entryBytes(sb, old) == size && !large && !isLarge(oldFlags)
    const sameLarge = !sameSmall && large && isLarge(oldFlags) && valueLenOf(sb, old) == valueLen
    if ((sameSmall || sameLarge) && hasTtl(oldFlags) == withTtl) {
      countIfExpired(sb, old, now)
      killEntry(sb, old)
      store<u8>(sb + old, kind, L.ENTRY_KIND)
      if (withTtl) store<f64>(sb + old + L.ENTRY_HEADER_BYTES, expiry)
      touch(slot)
      curInPlace = true
      curOff = old
      if (sameLarge) {
        curChain = load<u32>(refPtr(sb, old))
        store<u32>(scratchBase + L.RESULT_VALUE_OFFSET, gidData(curChain))
        store<u32>(scratchBase + L.RESULT_KIND, L.KIND_CHAINED)
      } else {
        store<u32>(scratchBase + L.RESULT_VALUE_OFFSET, keyPtr(sb, old) + keyLen)
      }
      return L.STATUS_STORED
    }
    q = <i32>queueOf(oldFlags)
    policyFlags = oldFlags & (L.ENTRY_UNASKED | L.ENTRY_TRACER)
    // Evictions below may move the old copy to another queue; the new one goes where it was.
  }
  // A LARGE value's chain: up to localShare() segments of this shard, the rest borrowed from others.
  // The policy of this shard counts (and contests for) only what this shard holds of it.
  const chain = large ? chainLength(valueLen) : 0
  const local = min<u32>(chain, localShare())
  const borrowed = chain - local
  const cost = borrowed != 0 ? size - (valueLen - local * segBytes) : size
  if (slot == 0) {
    q = policyInsert(sb, h, cost, now, large ? local + 1 : 0, askedBefore)
    if (q == REJECT) return refuse(sb, 0, now)
    policyFlags = policyInsertFlags()
  }
  curInPlace = false
  curQueue = <u32>q
  curAdding = slot == 0
  const shard = large ? shardIndexOf(sb) : 0
  let tail: u32 = 0
  let ok = true
  if (borrowed != 0) {
    tail = borrowChain(shard, borrowed, policyLendFrequency(sb, h, cost), now)
    ok = tail != 0
  }
  if (ok) ok = ensureRoom(sb, <u32>q, record, slot == 0, now, local, cost)
  if (!ok && tail != 0) freeChain(tail, borrowed, shard)
  // Eviction located other keys, and may have moved our old copy (same slot, new offset) or evicted
  // it (slot cleared; nothing is inserted during eviction, so a cleared slot stays empty).
  restoreLocation()
  curSlot = slot != 0 && slotStillHolds(slot) ? slot : 0
  if (!ok) return refuse(sb, curSlot, now)
  // ensureRoom guaranteed the room (and reserved a place in the global count for a new key).
  const off = reserveAppend(sb, <u32>q, record, true)
  curOff = off
  const valuePtr = writeEntry(sb, off, kind, withTtl, expiry, key, keyLen, valueLen, <u32>q, large, policyFlags)
  if (large) {
    curChain = allocChain(sb, shard, local, tail)
    store<u32>(valuePtr, curChain)
    store<u32>(valuePtr, chain | (local << L.CHAIN_LOCAL_SHIFT), 4)
    store<u32>(scratchBase + L.RESULT_VALUE_OFFSET, gidData(curChain))
    store<u32>(scratchBase + L.RESULT_KIND, L.KIND_CHAINED)
  } else {
    store<u32>(scratchBase + L.RESULT_VALUE_OFFSET, valuePtr)
  }
  return L.STATUS_STORED
}

/** Copies the value of the set in progress from `src` (after beginSet returned STORED). */
// @ts-ignore: decorator
@inline export function copyValueIn(src: u32, len: u32): void {
  if (curChain != 0) writeChain(curChain, src, len)
  else memory.copy(load<u32>(scratchBase + L.RESULT_VALUE_OFFSET), src, len)
}

/**
 * A set that could not be honoured. The key's previous value (if any) goes too: after a write, the
 * cache must not keep serving what the caller just replaced. Returns the status for the caller.
 */
function refuse(sb: u32, oldSlot: u32, now: f64): u32 {
  bump(sb, L.SHARD_REJECTIONS)
  if (oldSlot != 0) {
    const off = slotOffset(oldSlot)
    const flags = flagsOf(sb, off)
    // The caller replaced the value: the old one goes, counted as removed by this refusal (or as expired).
    if (!countIfExpired(sb, off, now)) bump(sb, L.SHARD_REJECTED_OVERWRITES)
    removeEntry(sb, off, queueOf(flags), entryBytes(sb, off), oldSlot)
  }
  return L.STATUS_REJECTED
}

/**
 * A set replacing (or, refused, dropping) an entry whose TTL ran out: that entry expired, as it would
 * have had a read, a delete or the sweep found it first, so `expirations` does not depend on which came
 * first. (now < 0: the clock was not read, no TTL is in use.)
 */
function countIfExpired(sb: u32, off: u32, now: f64): bool {
  if (!(hasTtl(flagsOf(sb, off)) && now >= 0 && expiryOf(sb, off) <= now)) return false
  bump(sb, L.SHARD_EXPIRATIONS)
  return true
}

/** Second half of a set: the value's bytes are in place; make the entry LIVE and index it. */
export function finishSet(): void {
  const sb = curSb
  bump(sb, L.SHARD_SETS)
  if (curWithTtl) store<u32>(L.ARENA_TTL_IN_USE, 1)
  if (curInPlace) {
    setFlags(sb, curOff, flagsOf(sb, curOff) | L.ENTRY_LIVE)
  } else {
    publishNew(sb)
    policyAfterInsert(sb, curQueue, curNow)
  }
  // Every write pays for a little expiry sweeping, so expired bytes come back without being read.
  if (load<u32>(L.ARENA_TTL_IN_USE) != 0) reclaimSome(sb, curNow)
}

function publishNew(sb: u32): void {
  commitAppend(sb, curOff, curSize)
  setFlags(sb, curOff, flagsOf(sb, curOff) | L.ENTRY_LIVE)
  let slot = curSlot
  if (slot != 0) {
    const old = slotOffset(slot)
    const oldFlags = flagsOf(sb, old)
    countIfExpired(sb, old, curNow)
    publish(slot, curOff, slotFreq(slot))
    killEntry(sb, old)
    removeLive(sb, old, queueOf(oldFlags), entryBytes(sb, old))
    freeChainOf(sb, old)
  } else {
    slot = emptySlot(sb)
    if (slot == 0) slot = evictFromBucket(sb)
    publish(slot, curOff, 0)
    // The global count was reserved by ensureRoom when it knew the key was new; if an eviction
    // meanwhile removed the old copy, this is a new entry that was not reserved.
    if (!curAdding) countGlobally(1)
  }
  addLive(sb, curOff, curQueue, curSize)
}

/**
 * Both candidate buckets are full (rare by sizing): evict the least frequent entry of the first bucket
 * to free its slot. Counted as an eviction and as a collision eviction.
 */
function evictFromBucket(sb: u32): u32 {
  const base = bucketAddr(sb, bucket1)
  let victim = base
  let best: u32 = 4
  for (let i: u32 = 0; i < L.BUCKET_SLOTS; i++) {
    const slot = base + i * L.SLOT_BYTES
    const f = slotFreq(slot)
    if (f < best) { best = f; victim = slot }
  }
  const off = slotOffset(victim)
  const flags = flagsOf(sb, off)
  removeEntry(sb, off, queueOf(flags), entryBytes(sb, off), victim)
  bump(sb, L.SHARD_EVICTIONS)
  bump(sb, L.SHARD_COLLISION_EVICTIONS)
  return victim
}

/**
 * Removes the key if present; returns DELETED or NOT_FOUND. The mode says why, for the counters:
 * REMOVE_DELETE (delete()), REMOVE_EXPIRED (only if expired: lazy expiry), REMOVE_INVALIDATE.
 */
export function removeKey(sb: u32, key: u32, keyLen: u32, now: f64, mode: u32): u32 {
  const slot = findSlot(sb, key, keyLen)
  if (slot == 0) return L.STATUS_NOT_FOUND
  const off = slotOffset(slot)
  const flags = flagsOf(sb, off)
  const expired = hasTtl(flags) && now >= 0 && load<f64>(sb + off + L.ENTRY_HEADER_BYTES) <= now
  if (mode == L.REMOVE_EXPIRED && !expired) return L.STATUS_NOT_FOUND
  removeEntry(sb, off, queueOf(flags), entryBytes(sb, off), slot)
  // An expired entry was never observable: removing it is an expiration, and nothing was deleted.
  if (expired) {
    bump(sb, L.SHARD_EXPIRATIONS)
    return L.STATUS_NOT_FOUND
  }
  bump(sb, mode == L.REMOVE_INVALIDATE ? L.SHARD_INVALIDATIONS : L.SHARD_DELETES)
  return L.STATUS_DELETED
}

/** Empties a shard; cumulative counters are kept. */
export function clearShard(sb: u32, shard: u32): void {
  countGlobally(-<i32>load<u32>(sb + L.SHARD_LIVE_COUNT))
  clearIndex(sb)
  // The shard's chains go back (segments borrowed from other shards too), then every segment but
  // those lent to other shards' chains is free.
  ownedSegments(shard, true)
  releaseUnclaimed(shard)
  initSegments(sb, true)
  store<u32>(sb + L.SHARD_LIVE_COUNT, 0)
  store<u64>(sb + L.SHARD_LIVE_BYTES, 0)
  store<u32>(sb + L.SHARD_TTL_CURSOR, 0)
  policyInit(sb, shard, false)
}
