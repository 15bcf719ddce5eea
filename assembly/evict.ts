// Making room: walk queue tails, letting the policy evict or move each entry, until the shard is under
// its count bound and the target queue can append. Called only under the shard lock.
import * as L from './layout.generated'
import { maxEntriesPerShard, maxEntriesTotal, countGlobally } from './arena'
import { hashBytes } from './hash'
import { locate, slotOf, clearSlot, publish, slotFreq } from './hashindex'
import { flagsOf, isLive, hasTtl, expiryOf, entryBytes, keyPtr, keyLenOf, setFlags, setQueue } from './entry'
import { tailEntry, advanceTail, reserveAppend, commitAppend, addLive, removeLive, headFits, freeCount, reclaimDeadTails } from './segments'
import { victimQueue, decideTail, onEvict, EVICT } from './policy/index'

/** Segments kept free for moves during eviction, so a hot tail can be moved rather than dropped. */
const MOVE_RESERVE: u32 = 1
/** After this many moves in a row the next tail entry is evicted whatever the policy says. */
const MAX_CONSECUTIVE_MOVES: u32 = 64

let consecutiveMoves: u32 = 0

/** Drops the LIVE entry at `off` (queue q, `size` bytes) and its index slot: it leaves the cache. */
export function removeEntry(sb: u32, off: u32, q: u32, size: u32, slot: u32): void {
  if (slot != 0) clearSlot(slot)
  setFlags(sb, off, flagsOf(sb, off) & ~L.ENTRY_LIVE)
  removeLive(sb, off, q, size)
  countGlobally(-1)
}

export function bump(sb: u32, field: u32): void {
  store<u64>(sb + field, load<u64>(sb + field) + 1)
}

/** Copies a LIVE entry to the head of queue `dst`; false when there is no room to do so. */
function moveEntry(sb: u32, off: u32, q: u32, size: u32, dst: u32, slot: u32): bool {
  const to = reserveAppend(sb, dst, size, true)
  if (to == 0) return false
  memory.copy(sb + to, sb + off, size)
  setQueue(sb, to, dst)
  commitAppend(sb, to, size)
  // Point the index at the copy before the original stops being LIVE: a crash in between leaves two
  // LIVE copies, and recovery keeps the newer.
  if (slot != 0) {
    const f = slotFreq(slot)
    publish(slot, to, f)
  }
  setFlags(sb, off, flagsOf(sb, off) & ~L.ENTRY_LIVE)
  removeLive(sb, off, q, size)
  addLive(sb, to, dst, size)
  return true
}

/**
 * Processes one entry at a queue tail. Returns 1 when an entry left the cache, 0 on other progress
 * (a dead entry skipped, an entry moved), -1 when every queue is empty.
 */
export function evictStep(sb: u32, now: f64): i32 {
  let q = victimQueue(sb)
  let off = tailEntry(sb, q)
  if (off == 0) {
    for (let other: u32 = 0; other < L.NUM_QUEUES && off == 0; other++) {
      if (other == q) continue
      off = tailEntry(sb, other)
      if (off != 0) q = other
    }
    if (off == 0) return -1
  }
  const flags = flagsOf(sb, off)
  const size = entryBytes(sb, off)
  if (!isLive(flags)) {
    advanceTail(sb, q, size)
    return 0
  }
  const h = hashBytes(keyPtr(sb, off), keyLenOf(sb, off))
  locate(h)
  const slot = slotOf(sb, off)
  if (hasTtl(flags) && expiryOf(sb, off) <= now) {
    removeEntry(sb, off, q, size, slot)
    advanceTail(sb, q, size)
    bump(sb, L.SHARD_EXPIRATIONS)
    return 1
  }
  let decision = consecutiveMoves >= MAX_CONSECUTIVE_MOVES ? EVICT : decideTail(sb, q, slot, h, size)
  if (decision != EVICT) {
    // The move may take a fresh segment; the index globals still describe this entry (h located above).
    if (moveEntry(sb, off, q, size, decision, slot)) {
      advanceTail(sb, q, size)
      consecutiveMoves++
      return 0
    }
    decision = EVICT
  }
  removeEntry(sb, off, q, size, slot)
  advanceTail(sb, q, size)
  bump(sb, L.SHARD_EVICTIONS)
  onEvict(sb, q, h)
  consecutiveMoves = 0
  return 1
}

/**
 * Evicts until queue q can append `size` bytes and, when `adding` a key, until the shard and the whole
 * cache may hold one more entry. With a global bound (maxEntries) the new entry's place in the global
 * count is reserved here by CAS, so concurrent writers in other shards can't overshoot it together.
 * False when there is no way to make room (the global bound is reached and this shard is empty);
 * then nothing was reserved.
 */
export function ensureRoom(sb: u32, q: u32, size: u32, adding: bool, now: f64): bool {
  consecutiveMoves = 0
  if (adding) {
    while (load<u32>(sb + L.SHARD_LIVE_COUNT) >= maxEntriesPerShard) {
      if (evictStep(sb, now) < 0) return false
    }
  }
  // Dead tail segments come back for free before anything live is evicted for bytes.
  if (!headFits(sb, q, size) && freeCount(sb) <= MOVE_RESERVE) reclaimDeadTails(sb)
  while (!headFits(sb, q, size) && freeCount(sb) <= MOVE_RESERVE) {
    if (evictStep(sb, now) < 0) break
  }
  if (!headFits(sb, q, size) && freeCount(sb) == 0) return false
  if (adding && maxEntriesTotal != 0) {
    while (true) {
      const n = atomic.load<i32>(L.ARENA_LIVE_TOTAL)
      if (<u32>n < maxEntriesTotal) {
        if (atomic.cmpxchg<i32>(L.ARENA_LIVE_TOTAL, n, n + 1) == n) break
        continue
      }
      if (evictStep(sb, now) < 0) return false
    }
  }
  return true
}
