// The log is the source of truth; everything else in a shard can be derived from it. `rebuildShard`
// derives it: segment chains from segment states and sequence numbers, the index and all counts from
// the LIVE entries. It repairs a shard whose writer died mid-operation (losing at most that operation)
// and `verifyShard` uses the same walk to check every invariant without changing anything.
import * as L from './layout.generated'
import { segCount, segBytes, shardCount, maxEntriesPerShard, indexBuckets, countGlobally } from './arena'
import { hashBytes } from './hash'
import { locate, findSlot, emptySlot, publish, clearIndex, slotOffset, slotOf, clearSlot, firstOccupied, nextOccupied } from './hashindex'
import { flagsOf, isLive, hasTtl, isLarge, expiryOf, entryBytes, keyPtr, keyLenOf, setQueue, queueOf, headerBytes, valueLenOf, refPtr, chainedBytes } from './entry'
import { chainLength, claimChain, chainIntact, chainCount, chainLocal, borrowedBytes, isLargeState, largeState, stateOf, ownedSegments, releaseUnclaimed } from './large'
import { segHeader, segData, segOf, queueAddr, releaseSegment, addLive, removeLive, freeCount, setHoldEmptySegments, releaseEmptyInteriors, killEntry } from './segments'
import { bump } from './queues'

const FLAG_BITS: u32 = L.ENTRY_LIVE | L.ENTRY_HAS_TTL | L.ENTRY_QUEUE_MASK | L.ENTRY_LARGE | L.ENTRY_FREE | L.ENTRY_UNASKED | L.ENTRY_TRACER

/** Size of a well-formed entry at `off` whose segment is written up to `limit`, or 0 if malformed. */
function wellFormed(sb: u32, off: u32, limit: u32): u32 {
  if (off + L.ENTRY_HEADER_BYTES > limit) return 0
  const flags = flagsOf(sb, off)
  if ((flags & ~FLAG_BITS) != 0 || queueOf(flags) >= L.NUM_QUEUES) return 0
  if (keyLenOf(sb, off) > L.MAX_KEY_BYTES) return 0
  const inline = isLarge(flags) ? L.LARGE_REF_BYTES : valueLenOf(sb, off)
  const size = <u64>headerBytes(flags) + <u64>keyLenOf(sb, off) + <u64>inline
  if (<u64>off + size > <u64>limit) return 0
  return <u32>size
}

/** Relinks queue q's segments in sequence order; returns how many it holds. */
function relinkQueue(sb: u32, q: u32): u32 {
  const qa = queueAddr(sb, q)
  let prev: u32 = 0
  let lastSeq: u32 = 0
  let n: u32 = 0
  store<u32>(qa + L.QUEUE_TAIL, 0)
  while (true) {
    let pick: u32 = 0
    let pickSeq: u32 = 0xFFFFFFFF
    for (let s: u32 = 1; s <= segCount; s++) {
      const h = segHeader(sb, s)
      if (load<u32>(h + L.SEG_STATE) != q + 1) continue
      const seq = load<u32>(h + L.SEG_SEQ)
      if ((n == 0 || seq > lastSeq) && seq < pickSeq) { pick = s; pickSeq = seq }
    }
    if (pick == 0) break
    if (prev == 0) store<u32>(qa + L.QUEUE_TAIL, pick)
    else store<u32>(segHeader(sb, prev) + L.SEG_NEXT, pick)
    store<u32>(segHeader(sb, pick) + L.SEG_NEXT, 0)
    store<u32>(segHeader(sb, pick) + L.SEG_PREV, prev)
    const used = load<u32>(segHeader(sb, pick) + L.SEG_USED)
    if (used > segBytes) store<u32>(segHeader(sb, pick) + L.SEG_USED, segBytes)
    prev = pick
    lastSeq = pickSeq
    n++
  }
  store<u32>(qa + L.QUEUE_HEAD, prev)
  store<u32>(qa + L.QUEUE_CURSOR, 0)
  store<u32>(qa + L.QUEUE_COUNT, 0)
  store<u64>(qa + L.QUEUE_BYTES, 0)
  return n
}

/** Rebuilds everything derived in a shard from its log. Call with the shard lock held. */
export function rebuildShard(sb: u32, shard: u32, now: f64): void {
  clearIndex(sb)
  // Free list from scratch: segments that belong to no queue.
  store<u32>(sb + L.SHARD_FREE_HEAD, 0)
  store<u32>(sb + L.SHARD_FREE_COUNT, 0)
  let maxSeq: u32 = 0
  for (let s: u32 = 1; s <= segCount; s++) {
    const h = segHeader(sb, s)
    const state = stateOf(h)
    if (isLargeState(state) && (state >> L.SEG_OWNER_SHIFT) < shardCount) {
      // A value's chain: this shard's own are kept until the LIVE entries say which are still owned
      // (claimChains); those lent to another shard's chains are that shard's.
    } else if (state == L.SEG_FREE || state > L.NUM_QUEUES) releaseSegment(sb, s)
    else {
      store<u32>(h + L.SEG_LIVE_BYTES, 0)
      store<u32>(h + L.SEG_LIVE_COUNT, 0)
      if (load<u32>(h + L.SEG_SEQ) > maxSeq) maxSeq = load<u32>(h + L.SEG_SEQ)
    }
  }
  store<u32>(sb + L.SHARD_SEG_SEQ, maxSeq)
  const before = load<u32>(sb + L.SHARD_LIVE_COUNT)
  store<u32>(sb + L.SHARD_LIVE_COUNT, 0)
  store<u64>(sb + L.SHARD_LIVE_BYTES, 0)
  for (let q: u32 = 0; q < L.NUM_QUEUES; q++) relinkQueue(sb, q)
  const limit = maxEntriesPerShard
  setHoldEmptySegments(true)
  for (let q: u32 = 0; q < L.NUM_QUEUES; q++) {
    let seg = load<u32>(queueAddr(sb, q) + L.QUEUE_TAIL)
    while (seg != 0) {
      const h = segHeader(sb, seg)
      const start = segData(seg)
      const limitOff = start + load<u32>(h + L.SEG_USED)
      let off = start
      while (off < limitOff) {
        const size = wellFormed(sb, off, limitOff)
        if (size == 0) {
          // A torn write at the end of the log: everything from here on was never committed.
          store<u32>(h + L.SEG_USED, off - start)
          break
        }
        const flags = flagsOf(sb, off)
        if (isLive(flags)) adopt(sb, off, size, flags, q, limit, now)
        off += size
      }
      seg = load<u32>(h + L.SEG_NEXT)
    }
  }
  claimChains(sb, shard)
  setHoldEmptySegments(false)
  releaseEmptyInteriors(sb)
  store<u32>(sb + L.SHARD_TTL_CURSOR, 0)
  countGlobally(<i32>load<u32>(sb + L.SHARD_LIVE_COUNT) - <i32>before)
}

/**
 * After the rebuild indexed the LIVE entries: each LARGE one claims its chain, and one whose chain is
 * broken or already claimed is dropped. Segments this shard's chains hold that nobody claimed (a set
 * that died before its entry became LIVE, the older copy of a replaced value), here or borrowed from
 * other shards, are given back.
 */
function claimChains(sb: u32, shard: u32): void {
  ownedSegments(shard, true)
  for (let slot = firstOccupied(sb, 0, indexBuckets); slot != 0; slot = nextOccupied(sb, slot, indexBuckets)) {
    const off = slotOffset(slot)
    const flags = flagsOf(sb, off)
    if (!isLarge(flags)) continue
    const ref = refPtr(sb, off)
    const first = load<u32>(ref)
    const word = load<u32>(ref, 4)
    const n = chainCount(word)
    const sane = n == chainLength(valueLenOf(sb, off)) && chainLocal(word) <= n
    const claimed = sane ? claimChain(first, n, 1, shard) : 0
    if (claimed == n) continue
    claimChain(first, claimed, 0, shard)
    clearSlot(slot)
    killEntry(sb, off)
    removeLive(sb, off, queueOf(flags), entryBytes(sb, off))
  }
  releaseUnclaimed(shard)
}

/** Re-indexes one LIVE entry found by the rebuild, resolving duplicates in favour of the newer copy. */
function adopt(sb: u32, off: u32, size: u32, flags: u32, q: u32, limit: u32, now: f64): void {
  if (queueOf(flags) != q) setQueue(sb, off, q, 0)
  if (hasTtl(flags) && expiryOf(sb, off) <= now) {
    killEntry(sb, off)
    bump(sb, L.SHARD_EXPIRATIONS)
    return
  }
  const key = keyPtr(sb, off)
  const keyLen = keyLenOf(sb, off)
  locate(hashBytes(key, keyLen))
  let slot = findSlot(sb, key, keyLen)
  if (slot != 0) {
    const other = slotOffset(slot)
    if (newer(sb, other, off)) {
      killEntry(sb, off)
      return
    }
    const otherFlags = flagsOf(sb, other)
    killEntry(sb, other)
    removeLive(sb, other, queueOf(otherFlags), entryBytes(sb, other))
  } else {
    slot = emptySlot(sb)
    if (slot == 0 || load<u32>(sb + L.SHARD_LIVE_COUNT) >= limit) {
      killEntry(sb, off)
      return
    }
  }
  publish(slot, off, 0)
  addLive(sb, off, q, size)
}

/** True when the entry at a was written after the one at b (segment sequence, then position). */
function newer(sb: u32, a: u32, b: u32): bool {
  const sa = load<u32>(segHeader(sb, segOf(a)) + L.SEG_SEQ)
  const sbq = load<u32>(segHeader(sb, segOf(b)) + L.SEG_SEQ)
  return sa != sbq ? sa > sbq : a > b
}

/**
 * Checks every invariant of a shard without changing it. Returns 0 when consistent, otherwise a code
 * naming the first broken invariant (see src/engine/invariants.ts for their meaning).
 */
export function verifyShard(sb: u32, shard: u32): u32 {
  let segsInQueues: u32 = 0
  let chainSegs: u32 = 0
  let liveCount: u32 = 0
  let liveBytes: u64 = 0
  let borrowedTotal: u64 = 0
  for (let q: u32 = 0; q < L.NUM_QUEUES; q++) {
    const qa = queueAddr(sb, q)
    let seg = load<u32>(qa + L.QUEUE_TAIL)
    let qCount: u32 = 0
    let qBytes: u64 = 0
    let steps: u32 = 0
    let last: u32 = 0
    while (seg != 0) {
      if (++steps > segCount) return 1 // a cycle in a queue's chain
      const h = segHeader(sb, seg)
      if (load<u32>(h + L.SEG_STATE) != q + 1) return 2 // a segment chained into the wrong queue
      if (load<u32>(h + L.SEG_PREV) != last) return 16 // a broken back link
      const start = segData(seg)
      const used = load<u32>(h + L.SEG_USED)
      if (used > segBytes) return 3
      let off = start
      let sCount: u32 = 0
      let sBytes: u32 = 0
      const cursorEnd = seg == load<u32>(qa + L.QUEUE_TAIL) ? start + load<u32>(qa + L.QUEUE_CURSOR) : start
      while (off < start + used) {
        const size = wellFormed(sb, off, start + used)
        if (size == 0) return 4 // a malformed entry below a segment's write mark
        const flags = flagsOf(sb, off)
        if (isLive(flags)) {
          if (off < cursorEnd) return 5 // a LIVE entry behind the tail cursor
          if (queueOf(flags) != q) return 6
          const key = keyPtr(sb, off)
          locate(hashBytes(key, keyLenOf(sb, off)))
          const slot = findSlot(sb, key, keyLenOf(sb, off))
          if (slot == 0 || slotOffset(slot) != off) return 7 // a LIVE entry the index does not point at
          sCount++
          sBytes += size
          const lent = borrowedBytes(sb, off)
          qBytes += <u64>(chainedBytes(sb, off) - lent)
          borrowedTotal += <u64>lent
          if (isLarge(flags)) {
            const word = load<u32>(refPtr(sb, off), 4)
            const n = chainCount(word)
            if (n != chainLength(valueLenOf(sb, off)) || chainLocal(word) > n || !chainIntact(load<u32>(refPtr(sb, off)), n, shard)) return 17 // a broken chain
            chainSegs += n
          }
        }
        off += size
      }
      if (sCount != load<u32>(h + L.SEG_LIVE_COUNT) || sBytes != load<u32>(h + L.SEG_LIVE_BYTES)) return 8
      qCount += sCount
      qBytes += <u64>sBytes
      segsInQueues++
      last = seg
      seg = load<u32>(h + L.SEG_NEXT)
    }
    if (last != load<u32>(qa + L.QUEUE_HEAD)) return 9 // head is not the end of the chain
    if (qCount != load<u32>(qa + L.QUEUE_COUNT) || qBytes != load<u64>(qa + L.QUEUE_BYTES)) return 10
    liveCount += qCount
    liveBytes += qBytes
  }
  // The shard counts each entry whole (bytesUsed); its queues only what it holds itself.
  if (liveCount != load<u32>(sb + L.SHARD_LIVE_COUNT) || liveBytes + borrowedTotal != load<u64>(sb + L.SHARD_LIVE_BYTES)) return 11
  // Chain segments this shard owns, wherever they are (borrowed ones only change under its lock).
  if (chainSegs != ownedSegments(shard, false)) return 18 // a chain no entry owns, or one owned twice
  // Segments here in chains (this shard's or lent to another's) or given back and not yet collected.
  let chained: u32 = 0
  for (let s: u32 = 1; s <= segCount; s++) {
    const state = stateOf(segHeader(sb, s))
    if (isLargeState(state) || state == L.SEG_RETURNED) chained++
  }
  if (segsInQueues + chained + freeCount(sb) != segCount) return 12 // a leaked (or doubly owned) segment
  // Every occupied slot points at a LIVE entry; there are exactly as many as LIVE entries.
  let slots: u32 = 0
  for (let slot = firstOccupied(sb, 0, indexBuckets); slot != 0; slot = nextOccupied(sb, slot, indexBuckets)) {
    if (!isLive(flagsOf(sb, slotOffset(slot)))) return 13
    slots++
  }
  if (slots != liveCount) return 14
  if (liveCount > maxEntriesPerShard) return 15 // the shard's count bound is exceeded
  return 0
}
