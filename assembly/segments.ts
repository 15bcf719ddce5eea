// Log-structured storage of one shard. The data area is cut into equal segments; each replacement queue
// is a chain of segments (tail = oldest ... head = newest) written append-only, and eviction walks a
// cursor through the tail segment. A segment returns to the free list once the cursor has passed all
// of it, so space is reclaimed in whole segments and the allocator can never fragment into failure.
//
// Segment ids are 1-based (0 = none). Each segment header records its queue and a sequence number:
// together with the entries' LIVE flags that is enough to rebuild everything else (see recovery.ts).
import * as L from './layout.generated'
import { segBytes, segCount, segHeadersOffset, dataOffset } from './arena'
import { chainedBytes, flagsOf, setFlags, isLarge } from './entry'
import { shardIndexOf, isLargeState, largeState, borrowedBytes, collectReturned } from './large'

// @ts-ignore: decorator
@inline export function segHeader(sb: u32, seg: u32): u32 { return sb + segHeadersOffset + (seg - 1) * L.SEG_SIZE }
/** Shard-relative offset of a segment's first byte. */
// @ts-ignore: decorator
@inline export function segData(seg: u32): u32 { return dataOffset + (seg - 1) * segBytes }
/** The segment holding a shard-relative entry offset. */
// @ts-ignore: decorator
@inline export function segOf(off: u32): u32 { return (off - dataOffset) / segBytes + 1 }
// @ts-ignore: decorator
@inline export function queueAddr(sb: u32, q: u32): u32 { return sb + L.QUEUES_OFFSET + q * L.QUEUE_SIZE }

// @ts-ignore: decorator
@inline export function segUsed(sb: u32, seg: u32): u32 { return load<u32>(segHeader(sb, seg) + L.SEG_USED) }
// @ts-ignore: decorator
@inline export function segNext(sb: u32, seg: u32): u32 { return load<u32>(segHeader(sb, seg) + L.SEG_NEXT) }

/**
 * Makes every segment of the shard free. With `keepLent` (clearing a live cache), segments lent to
 * other shards' chains stay theirs; the shard's own chains must have been given back first.
 */
export function initSegments(sb: u32, keepLent: bool): void {
  const shard = shardIndexOf(sb)
  let head: u32 = 0
  let n: u32 = 0
  // Backwards, so the free list comes out in ascending order.
  for (let s: u32 = segCount; s >= 1; s--) {
    const h = segHeader(sb, s)
    const state = atomic.load<u32>(h + L.SEG_STATE)
    if (keepLent && isLargeState(state) && state != largeState(shard)) continue
    store<u32>(h + L.SEG_STATE, L.SEG_FREE)
    store<u32>(h + L.SEG_NEXT, head)
    store<u32>(h + L.SEG_PREV, 0)
    store<u32>(h + L.SEG_USED, 0)
    store<u32>(h + L.SEG_LIVE_BYTES, 0)
    store<u32>(h + L.SEG_LIVE_COUNT, 0)
    store<u32>(h + L.SEG_SEQ, 0)
    // Entries of a cleared shard may still read LIVE in memory: a new version retires copies of them.
    bumpVersion(h)
    head = s
    n++
  }
  store<u32>(sb + L.SHARD_FREE_HEAD, head)
  store<u32>(sb + L.SHARD_FREE_COUNT, n)
  for (let q: u32 = 0; q < L.NUM_QUEUES; q++) {
    const qa = queueAddr(sb, q)
    store<u32>(qa + L.QUEUE_HEAD, 0)
    store<u32>(qa + L.QUEUE_TAIL, 0)
    store<u32>(qa + L.QUEUE_CURSOR, 0)
    store<u32>(qa + L.QUEUE_COUNT, 0)
    store<u64>(qa + L.QUEUE_BYTES, 0)
  }
}

// @ts-ignore: decorator
@inline export function freeCount(sb: u32): u32 { return load<u32>(sb + L.SHARD_FREE_COUNT) }

export function popFree(sb: u32): u32 {
  const seg = load<u32>(sb + L.SHARD_FREE_HEAD)
  if (seg == 0) return 0
  store<u32>(sb + L.SHARD_FREE_HEAD, segNext(sb, seg))
  store<u32>(sb + L.SHARD_FREE_COUNT, load<u32>(sb + L.SHARD_FREE_COUNT) - 1)
  return seg
}

export function releaseSegment(sb: u32, seg: u32): void {
  const h = segHeader(sb, seg)
  store<u32>(h + L.SEG_STATE, L.SEG_FREE)
  store<u32>(h + L.SEG_USED, 0)
  store<u32>(h + L.SEG_LIVE_BYTES, 0)
  store<u32>(h + L.SEG_LIVE_COUNT, 0)
  store<u32>(h + L.SEG_NEXT, load<u32>(sb + L.SHARD_FREE_HEAD))
  store<u32>(sb + L.SHARD_FREE_HEAD, seg)
  store<u32>(sb + L.SHARD_FREE_COUNT, load<u32>(sb + L.SHARD_FREE_COUNT) + 1)
}

/** Takes a free segment and makes it the new head of queue q; false when none is free. */
function growQueue(sb: u32, q: u32): bool {
  const seg = popFree(sb)
  if (seg == 0) return false
  const h = segHeader(sb, seg)
  // Reused: entries written here from now on are not the ones a reader may hold copies of.
  bumpVersion(h)
  const seq = load<u32>(sb + L.SHARD_SEG_SEQ) + 1
  store<u32>(sb + L.SHARD_SEG_SEQ, seq)
  store<u32>(h + L.SEG_SEQ, seq)
  store<u32>(h + L.SEG_NEXT, 0)
  store<u32>(h + L.SEG_USED, 0)
  store<u32>(h + L.SEG_STATE, q + 1)
  const qa = queueAddr(sb, q)
  const head = load<u32>(qa + L.QUEUE_HEAD)
  store<u32>(h + L.SEG_PREV, head)
  if (head != 0) {
    store<u32>(segHeader(sb, head) + L.SEG_NEXT, seg)
  } else {
    store<u32>(qa + L.QUEUE_TAIL, seg)
    store<u32>(qa + L.QUEUE_CURSOR, 0)
  }
  store<u32>(qa + L.QUEUE_HEAD, seg)
  return true
}

/** True when queue q's head segment can take `size` more bytes without a new segment. */
export function headFits(sb: u32, q: u32, size: u32): bool {
  const head = load<u32>(queueAddr(sb, q) + L.QUEUE_HEAD)
  return head != 0 && segUsed(sb, head) + size <= segBytes
}

/**
 * Where the next entry of `size` bytes goes in queue q (shard-relative), taking a free segment if the
 * head is full and `mayGrow`; 0 when there is no room. The caller writes the entry, then calls
 * commitAppend: bytes below a segment's `used` are always complete entries.
 */
export function reserveAppend(sb: u32, q: u32, size: u32, mayGrow: bool): u32 {
  if (!headFits(sb, q, size)) {
    if (!mayGrow || !growQueue(sb, q)) return 0
  }
  const head = load<u32>(queueAddr(sb, q) + L.QUEUE_HEAD)
  return segData(head) + segUsed(sb, head)
}

export function commitAppend(sb: u32, off: u32, size: u32): void {
  const h = segHeader(sb, segOf(off))
  store<u32>(h + L.SEG_USED, load<u32>(h + L.SEG_USED) + size)
}

/** The borrowed part of the value largeOutside() measured last. */
let largeBorrowed: u32 = 0

/**
 * Bytes of a LARGE entry's value outside its record (its whole value less the reference); sets
 * largeBorrowed to the part of them in borrowed segments. Kept out of line: small entries never call it.
 */
function largeOutside(sb: u32, off: u32): u32 {
  largeBorrowed = borrowedBytes(sb, off)
  return chainedBytes(sb, off)
}

/**
 * Accounts a newly LIVE entry of `size` bytes in its segment, queue and shard. The segment counts the
 * bytes it holds; the shard counts the entry's whole cost (a LARGE entry's chained value too: that is
 * bytesUsed), the queue (the policy's units) what the shard itself holds of it: not the part of a
 * chain borrowed from other shards.
 */
// @ts-ignore: decorator
@inline export function addLive(sb: u32, off: u32, q: u32, size: u32): void {
  const h = segHeader(sb, segOf(off))
  store<u32>(h + L.SEG_LIVE_BYTES, load<u32>(h + L.SEG_LIVE_BYTES) + size)
  store<u32>(h + L.SEG_LIVE_COUNT, load<u32>(h + L.SEG_LIVE_COUNT) + 1)
  // A LARGE entry's value outside its record (the flag test is all a small entry pays).
  let queued = size
  if (isLarge(flagsOf(sb, off))) {
    size += largeOutside(sb, off)
    queued = size - largeBorrowed
  }
  const qa = queueAddr(sb, q)
  store<u32>(qa + L.QUEUE_COUNT, load<u32>(qa + L.QUEUE_COUNT) + 1)
  store<u64>(qa + L.QUEUE_BYTES, load<u64>(qa + L.QUEUE_BYTES) + queued)
  store<u32>(sb + L.SHARD_LIVE_COUNT, load<u32>(sb + L.SHARD_LIVE_COUNT) + 1)
  store<u64>(sb + L.SHARD_LIVE_BYTES, load<u64>(sb + L.SHARD_LIVE_BYTES) + size)
}

/** Reverses addLive when an entry stops being LIVE (evicted, deleted, replaced or moved away). */
// @ts-ignore: decorator
@inline export function removeLive(sb: u32, off: u32, q: u32, size: u32): void {
  const seg = segOf(off)
  const h = segHeader(sb, seg)
  store<u32>(h + L.SEG_LIVE_BYTES, load<u32>(h + L.SEG_LIVE_BYTES) - size)
  const left = load<u32>(h + L.SEG_LIVE_COUNT) - 1
  store<u32>(h + L.SEG_LIVE_COUNT, left)
  if (left == 0) releaseIfInterior(sb, seg, q)
  let queued = size
  if (isLarge(flagsOf(sb, off))) {
    size += largeOutside(sb, off)
    queued = size - largeBorrowed
  }
  const qa = queueAddr(sb, q)
  store<u32>(qa + L.QUEUE_COUNT, load<u32>(qa + L.QUEUE_COUNT) - 1)
  store<u64>(qa + L.QUEUE_BYTES, load<u64>(qa + L.QUEUE_BYTES) - queued)
  store<u32>(sb + L.SHARD_LIVE_COUNT, load<u32>(sb + L.SHARD_LIVE_COUNT) - 1)
  store<u64>(sb + L.SHARD_LIVE_BYTES, load<u64>(sb + L.SHARD_LIVE_BYTES) - size)
}

/**
 * A segment in the middle of its queue whose last LIVE entry just went (deleted, overwritten,
 * expired) is unlinked and freed at once: dead space never waits for the tail to reach it. Only a
 * queue's head (still being appended to) and tail (walked by eviction) can hold dead bytes.
 */
function releaseIfInterior(sb: u32, seg: u32, q: u32): void {
  if (holdEmptySegments) return
  const qa = queueAddr(sb, q)
  if (seg == load<u32>(qa + L.QUEUE_HEAD) || seg == load<u32>(qa + L.QUEUE_TAIL)) return
  const h = segHeader(sb, seg)
  const prev = load<u32>(h + L.SEG_PREV)
  const next = load<u32>(h + L.SEG_NEXT)
  store<u32>(segHeader(sb, prev) + L.SEG_NEXT, next)
  store<u32>(segHeader(sb, next) + L.SEG_PREV, prev)
  releaseSegment(sb, seg)
}

/** Set while recovery walks the chains: segments must stay linked until the walk is over. */
export let holdEmptySegments = false

export function setHoldEmptySegments(hold: bool): void {
  holdEmptySegments = hold
}

/** Frees every interior segment without LIVE entries (after recovery). */
export function releaseEmptyInteriors(sb: u32): void {
  for (let q: u32 = 0; q < L.NUM_QUEUES; q++) {
    const qa = queueAddr(sb, q)
    let seg = load<u32>(qa + L.QUEUE_TAIL)
    while (seg != 0) {
      const next = segNext(sb, seg)
      if (load<u32>(segHeader(sb, seg) + L.SEG_LIVE_COUNT) == 0) releaseIfInterior(sb, seg, q)
      seg = next
    }
  }
}

/** Frees the fully dead tail segments of every queue (and collects returned ones); true when that freed anything. */
export function reclaimDeadTails(sb: u32): bool {
  const before = freeCount(sb)
  // Segments other shards' chains gave back come first: they cost no eviction.
  collectReturned(sb)
  for (let q: u32 = 0; q < L.NUM_QUEUES; q++) tailEntry(sb, q)
  return freeCount(sb) > before
}

/**
 * The next unprocessed entry at the tail of queue q (shard-relative offset), releasing tail segments
 * the cursor has fully passed; 0 when the queue holds nothing unprocessed. The usual case, a tail
 * segment with live entries past the cursor, is answered inline (every eviction looks at one or two
 * tails; the call was ~15 of the ~35 instructions of generated code it took); the rest is a call.
 */
// @ts-ignore: decorator
@inline export function tailEntry(sb: u32, q: u32): u32 {
  const qa = queueAddr(sb, q)
  const tail = load<u32>(qa + L.QUEUE_TAIL)
  if (tail != 0) {
    const cursor = load<u32>(qa + L.QUEUE_CURSOR)
    const h = segHeader(sb, tail)
    if (cursor < load<u32>(h + L.SEG_USED) && load<u32>(h + L.SEG_LIVE_COUNT) != 0) return segData(tail) + cursor
  }
  return passTail(sb, q)
}

/** tailEntry past exhausted tail segments: each is released (or the queue emptied) on the way. */
function passTail(sb: u32, q: u32): u32 {
  const qa = queueAddr(sb, q)
  while (true) {
    const tail = load<u32>(qa + L.QUEUE_TAIL)
    if (tail == 0) return 0
    const head = load<u32>(qa + L.QUEUE_HEAD)
    const cursor = load<u32>(qa + L.QUEUE_CURSOR)
    const h = segHeader(sb, tail)
    // A segment with nothing live left needs no walk: skip it whole.
    const exhausted = cursor >= load<u32>(h + L.SEG_USED) || load<u32>(h + L.SEG_LIVE_COUNT) == 0
    if (!exhausted) return segData(tail) + cursor
    if (tail == head) {
      // The queue's only segment, walked to its end: it holds nothing live, so give it back.
      if (load<u32>(h + L.SEG_LIVE_COUNT) == 0) {
        store<u32>(qa + L.QUEUE_CURSOR, 0)
        store<u32>(qa + L.QUEUE_HEAD, 0)
        store<u32>(qa + L.QUEUE_TAIL, 0)
        releaseSegment(sb, tail)
      }
      return 0
    }
    const next = load<u32>(h + L.SEG_NEXT)
    store<u32>(segHeader(sb, next) + L.SEG_PREV, 0)
    store<u32>(qa + L.QUEUE_TAIL, next)
    store<u32>(qa + L.QUEUE_CURSOR, 0)
    releaseSegment(sb, tail)
  }
  return 0
}

/** Moves queue q's tail cursor past the entry at `off` (which must be the current tail entry). */
export function advanceTail(sb: u32, q: u32, size: u32): void {
  const qa = queueAddr(sb, q)
  store<u32>(qa + L.QUEUE_CURSOR, load<u32>(qa + L.QUEUE_CURSOR) + size)
}

// @ts-ignore: decorator
@inline export function queueCount(sb: u32, q: u32): u32 { return load<u32>(queueAddr(sb, q) + L.QUEUE_COUNT) }
// @ts-ignore: decorator
@inline export function queueBytes(sb: u32, q: u32): u64 { return load<u64>(queueAddr(sb, q) + L.QUEUE_BYTES) }

/**
 * Kills an entry: clears its LIVE flag and moves its segment's version, so a copy of it a reader holds
 * (a thread's front) is known stale from the version alone. Every removal, rewrite and repair of an
 * entry goes through here. Under the shard lock.
 */
export function killEntry(sb: u32, off: u32): void {
  setFlags(sb, off, flagsOf(sb, off) & ~L.ENTRY_LIVE)
  // Only fronts read versions: until a thread opens one (ARENA.frontInUse, set before its first fill,
  // never cleared) no segment header is touched, a cache line and ~4% of a set that rewrites in place.
  // A front's fill validates its read by the shard's sequence, so a copy it made after setting the flag
  // saw every kill that skipped the version; the writer reads the flag after its lock's atomic
  // read-modify-write and the front sets it (Atomics.store) before its lookups: one of the two sees
  // the other.
  if (atomic.load<u32>(L.ARENA_FRONT_IN_USE) != 0) bumpVersion(segHeader(sb, segOf(off)))
}

/**
 * Moves the version of the segment whose header is at `h`. A plain load and store, not an atomic
 * read-modify-write (a locked instruction on x86, ~20 cycles):
 * every writer of a version holds its shard's lock, so no increment is lost, and the unlock's atomic
 * store publishes it to the next holder. A front reading the version (Atomics.load) at the same time
 * sees the old or the new value, as it would racing with an atomic add; one that learns of the write
 * through any synchronisation (a message, an Atomics wait) sees the new one (happens-before).
 */
// @ts-ignore: decorator
@inline function bumpVersion(h: u32): void {
  store<u32>(h + L.SEG_VERSION, load<u32>(h + L.SEG_VERSION) + 1)
}
