// Lock-free reads. A reader samples the shard's sequence, looks the key up and reports where the value
// is; the JS side copies the value out and checks the sequence again (seqlock). Nothing here trusts a
// length or offset read from memory without a bounds check, because a writer may be reusing it.
import * as L from './layout.generated'
import { shardCount, scratchBase, shardBase, shardsOffset } from './arena'
import { hashBytes, fastRange } from './hash'
import { locate, findSlot, slotOf, slotOffset, touch, touchTimes, firstOccupied, nextOccupied, tag, TAG_MASK } from './hashindex'
import { flagsOf, kindOf, keyLenOf, valueLenOf, isLive, hasTtl, expiryOf, headerBytes, inBounds, spanInBounds, queueOf } from './entry'
import { policyOnHit, policyOnAccesses, policyOnMiss } from './policy/index'
import { sketchBlockOf } from './sketch'
import { indexBuckets, shardBytes, threadId, preload } from './arena'
import { chainData } from './large'

const ATTEMPTS: i32 = 32

// @ts-ignore: decorator
@inline export function keyAddr(): u32 { return scratchBase + L.RESULT_SIZE }

/** Hash of the key in scratch; also picks its shard (left in `lastShard`) and locates its buckets. */
export let lastShard: u32 = 0
export function prepareKey(key: u32, keyLen: u32): u64 {
  const h = hashBytes(key, keyLen)
  lastShard = fastRange(<u32>(h >> 32), shardCount)
  locate(h)
  store<u32>(scratchBase + L.RESULT_SHARD, lastShard)
  return h
}

function result(field: u32): u32 { return scratchBase + field }

/**
 * Looks up the key at `key` (keyLen bytes). HIT leaves the value's place in RESULT; MISS, EXPIRED
 * (the caller may then remove it under the lock), NEED_CLOCK (the entry has a TTL and `now` < 0) or
 * BUSY (a writer kept the shard busy; take the locked path).
 */
export function lookup(key: u32, keyLen: u32, now: f64, flags: u32): u32 {
  const h = prepareKey(key, keyLen)
  const sb = shardBase(lastShard)
  // Start loading the key's sketch block now: it doesn't depend on the index, so its cache miss
  // overlaps the bucket's instead of following the entry's. A hit counts in it (its address is
  // computed once).
  const block = (flags & L.GET_PEEK) == 0 ? sketchBlockOf(sb, h) : 0
  if (block != 0) preload(load<u32>(block))
  store<u32>(result(L.RESULT_SEQ_INDEX), (sb + L.SHARD_SEQ) >> 2)
  // Under the shard lock (GET_LOCKED) nothing can move: one pass, no sequence checks.
  const locked = (flags & L.GET_LOCKED) != 0
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const s1 = locked ? 0 : atomic.load<u32>(sb + L.SHARD_SEQ)
    if (!locked && (s1 & 1) != 0) continue
    const slot = findSlot(sb, key, keyLen)
    if (slot == 0) {
      if (!locked && atomic.load<u32>(sb + L.SHARD_SEQ) != s1) continue
      // A miss doesn't count for frequency here: the set that usually follows counts it once. (Counting
      // both made keys outside the cache gain twice as fast as cached ones: measured, a loop 20% larger
      // than the cache fell from 79% to 72% hits.) It is evidence for the window's size, though.
      if ((flags & L.GET_PEEK) == 0) policyOnMiss(sb, h)
      return L.STATUS_MISS
    }
    const off = slotOffset(slot)
    const fl = flagsOf(sb, off)
    const vlen = valueLenOf(sb, off)
    const klen = keyLenOf(sb, off)
    const vstart = <u64>off + <u64>headerBytes(fl) + <u64>klen
    // A LARGE entry's record holds a reference where the value would be: its chain's first segment.
    const large = (fl & L.ENTRY_LARGE) != 0
    if (!isLive(fl) || !inBounds(off) || vstart + <u64>(large ? L.LARGE_REF_BYTES : vlen) > <u64>shardBytes) {
      if (!locked && atomic.load<u32>(sb + L.SHARD_SEQ) != s1) continue
      return L.STATUS_MISS
    }
    let expiry = Infinity
    if (hasTtl(fl)) {
      if (now < 0) return L.STATUS_NEED_CLOCK
      expiry = expiryOf(sb, off)
      if (expiry <= now) {
        if (!locked && atomic.load<u32>(sb + L.SHARD_SEQ) != s1) continue
        return L.STATUS_EXPIRED
      }
    }
    let valueAt = sb + <u32>vstart
    let kind = kindOf(sb, off)
    if (large) {
      const at = chainData(load<u32>(valueAt))
      if (at == 0) {
        if (!locked && atomic.load<u32>(sb + L.SHARD_SEQ) != s1) continue
        return L.STATUS_MISS
      }
      valueAt = at
      kind |= L.KIND_CHAINED
    }
    store<u32>(result(L.RESULT_VALUE_OFFSET), valueAt)
    store<u32>(result(L.RESULT_VALUE_LEN), vlen)
    store<u32>(result(L.RESULT_KIND), kind)
    store<u32>(result(L.RESULT_SEQ), s1)
    store<u32>(result(L.RESULT_ENTRY_OFFSET), sb + off)
    store<f64>(result(L.RESULT_EXPIRY), expiry)
    store<u64>(result(L.RESULT_HASH), h)
    if ((flags & L.GET_PEEK) == 0) {
      // LATE_HIT: whether this is the entry's first hit in probation (touch returns the slot's counter
      // before this hit).
      const before = touch(slot)
      const q = queueOf(fl)
      policyOnHit(sb, h, block, before == 0 && q == L.QUEUE_PROBATION, q == L.QUEUE_WINDOW)
    }
    return L.STATUS_HIT
  }
  return L.STATUS_BUSY
}

/**
 * Lists the LIVE, unexpired entries indexed in buckets [from, from + count) of a shard: their absolute
 * offsets go to `out` (u32 each, at most `max`). Returns how many; RESULT.seq holds the sequence seen
 * at the start (the caller validates it after reading the entries). Returns COUNT_BUSY when busy.
 */
export function collect(shard: u32, from: u32, count: u32, out: u32, max: u32, now: f64): u32 {
  const sb = shardBase(shard)
  const s1 = atomic.load<u32>(sb + L.SHARD_SEQ)
  // Odd: a writer is inside, unless the writer is this thread, listing the shard under its lock.
  if ((s1 & 1) != 0 && atomic.load<i32>(sb + L.SHARD_LOCK) != <i32>threadId) return L.COUNT_BUSY
  store<u32>(result(L.RESULT_SEQ), s1)
  store<u32>(result(L.RESULT_SEQ_INDEX), (sb + L.SHARD_SEQ) >> 2)
  let n: u32 = 0
  const to = min<u32>(from + count, indexBuckets)
  for (let slot = firstOccupied(sb, from, to); slot != 0; slot = nextOccupied(sb, slot, to)) {
    // Loaded again, not trusted from the walk: a writer may have emptied or reused the slot since.
    const off = slotOffset(slot)
    if (off == 0 || !inBounds(off) || !spanInBounds(sb, off)) continue
    const fl = flagsOf(sb, off)
    if (!isLive(fl)) continue
    if (hasTtl(fl) && now >= 0 && expiryOf(sb, off) <= now) continue
    if (n < max) store<u32>(out + n * 4, sb + off)
    n++
  }
  return n
}

/**
 * Records uses that were served without a lookup (hits of a thread's front, src/engine/front.ts): `count`
 * records of [absolute entry offset u32, uses u32, the key's hash u64 (RESULT.hash of the lookup that
 * filled the front)] at `input`. Each use counts as a hit on the key would (the index slot's reference
 * bits, the policy's sketch), on the entry the index holds for the key now. Lock-free, as a hit's
 * recording is. Returns how many uses were recorded.
 *
 * Most records name an entry the index still points at: the slot in the hash's buckets that holds the
 * recorded offset under the hash's tag. That is found without reading the entry (no key bytes hashed or
 * compared: the hash says where to look; hashing the key again was ~a fifth of a record's cost and its
 * bytes a cache line of their own). Otherwise the policy moved the entry between its queues (a copy at a
 * new offset) or a set rewrote it, and hits served from the earlier copy are still hits on the key
 * (skipping them made the front change decisions: write-then-read 0.45 points at 10k entries, stop 33):
 * the key is read at the recorded offset, which keeps a dead record's bytes until its segment is reused,
 * and looked up. A record is lossy and may name an offset whose segment was reused since: bytes whose
 * hash is not the record's (another key's, or no key's) record nothing, nor does a key no longer indexed.
 */
export function recordAccesses(count: u32, input: u32): u32 {
  let recorded: u32 = 0
  for (let i: u32 = 0; i < count; i++) {
    const at = input + i * L.ACCESS_RECORD_BYTES
    const addr = load<u32>(at)
    const uses = load<u32>(at, 4)
    const h = load<u64>(at, 8)
    // The shard is the hash's: an offset outside it is no entry of this key's.
    const shard = fastRange(<u32>(h >> 32), shardCount)
    const sb = shardBase(shard)
    if (addr < sb) continue
    const off = addr - sb
    if (!inBounds(off)) continue
    locate(h)
    let slot = slotOf(sb, off)
    if (slot == 0 || (load<u32>(slot) & TAG_MASK) != tag) {
      // Moved or rewritten since (or gone): the key at the recorded offset, if it still hashes to h.
      if (!spanInBounds(sb, off)) continue
      const key = sb + off + headerBytes(flagsOf(sb, off))
      const keyLen = keyLenOf(sb, off)
      if (hashBytes(key, keyLen) != h) continue
      slot = findSlot(sb, key, keyLen)
      if (slot == 0) continue
    }
    // What `uses` hits would record, at once: touch() and policyOnHit() `uses` times each.
    if (uses != 0) {
      touchTimes(slot, uses)
      policyOnAccesses(sb, h, uses)
    }
    recorded += uses
  }
  return recorded
}
