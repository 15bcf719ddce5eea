// What a replacement policy may do to the queues, and nothing more: look at a queue's tail (dead
// entries are skipped and expired ones reclaimed on the way), move the tail entry to the head of a
// queue, or evict it. Everything runs under the shard lock.
//
// liveTail() leaves the tail entry's description in the `tail*` globals (per instance, so per thread)
// for the policy to read; moveTail/evictTail act on that entry.
import * as L from './layout.generated'
import { countGlobally, sketchBlocks, preload } from './arena'
import { sketchWord } from './sketch'
import { ghostWord } from './ghost'
import { hashBytes } from './hash'
import { locate, slotOf, clearSlot, republish, slotFreq, slotIsFor } from './hashindex'
import { flagsOf, isLive, isLarge, hasTtl, expiryOf, entryBytes, keyPtr, keyLenOf, valueLenOf, setFlags, setQueue } from './entry'
import { freeChainOf, borrowedBytes } from './large'
import { tailEntry, advanceTail, reserveAppend, commitAppend, addLive, removeLive, killEntry } from './segments'

const MEMO_STRIDE: u32 = L.SHARD_Q1_MEMO_OFF - L.SHARD_Q0_MEMO_OFF
const MEMO_SLOT: u32 = L.SHARD_Q0_MEMO_SLOT - L.SHARD_Q0_MEMO_OFF
const MEMO_HASH: u32 = L.SHARD_Q0_MEMO_HASH - L.SHARD_Q0_MEMO_OFF

export let tailOff: u32 = 0
export let tailSize: u32 = 0
/** The tail entry's cost for the policy (tailSize plus the part of a LARGE entry's chained value its shard holds). */
export let tailCost: u32 = 0
export let tailSlot: u32 = 0
export let tailHash: u64 = 0

export function bump(sb: u32, field: u32): void {
  store<u64>(sb + field, load<u64>(sb + field) + 1)
}

/**
 * Drops the LIVE entry at `off` (queue q, `size` bytes in its segment) and its index slot: it leaves
 * the cache, and a LARGE entry's chained segments go back to the free list.
 */
export function removeEntry(sb: u32, off: u32, q: u32, size: u32, slot: u32): void {
  if (slot != 0) clearSlot(slot)
  const flags = flagsOf(sb, off)
  killEntry(sb, off)
  removeLive(sb, off, q, size)
  if (isLarge(flags)) freeChainOf(sb, off)
  countGlobally(-1)
}

/**
 * Finds the LIVE, unexpired entry at the tail of queue q and describes it in the tail* globals;
 * false when the queue holds none. Expired entries met on the way leave as expirations.
 */
export function liveTail(sb: u32, q: u32, now: f64): bool {
  while (true) {
    const off = tailEntry(sb, q)
    if (off == 0) return false
    const flags = flagsOf(sb, off)
    const size = entryBytes(sb, off)
    if (!isLive(flags)) {
      advanceTail(sb, q, size)
      continue
    }
    // The policy often looks at the same tail entry again (a victim that keeps winning): reuse its
    // hash and slot from the queue's memo when the slot still points at it with its tag.
    const memo = memoOf(sb, q)
    let h: u64
    let slot = load<u32>(memo, MEMO_SLOT)
    if (memoDescribes(memo, off, slot)) {
      h = load<u64>(memo, MEMO_HASH)
    } else {
      h = hashBytes(keyPtr(sb, off), keyLenOf(sb, off))
      // With a sketch (the adaptive policy), the tail's sketch block and ghost bucket are what the
      // policy reads next: start loading them now, alongside the index bucket slotOf reads.
      if (sketchBlocks != 0) preload(sketchWord(sb, h) + ghostWord(sb, h))
      locate(h)
      slot = slotOf(sb, off)
      store<u32>(memo, off)
      store<u32>(memo, slot, MEMO_SLOT)
      store<u64>(memo, h, MEMO_HASH)
    }
    if (hasTtl(flags) && expiryOf(sb, off) <= now) {
      removeEntry(sb, off, q, size, slot)
      advanceTail(sb, q, size)
      bump(sb, L.SHARD_EXPIRATIONS)
      continue
    }
    tailOff = off
    tailSize = size
    tailCost = isLarge(flags) ? size + valueLenOf(sb, off) - L.LARGE_REF_BYTES - borrowedBytes(sb, off) : size
    tailSlot = slot
    tailHash = h
    return true
  }
  return false
}

/** Queue q's memo: the last tail entry looked at (offset, index slot, hash). */
// @ts-ignore: decorator
@inline function memoOf(sb: u32, q: u32): u32 {
  return sb + L.SHARD_Q0_MEMO_OFF + q * MEMO_STRIDE
}

/** Whether the memo describes the entry at `off`, its index slot (`slot`, read from the memo) still pointing at it. */
// @ts-ignore: decorator
@inline function memoDescribes(memo: u32, off: u32, slot: u32): bool {
  return load<u32>(memo) == off && slot != 0 && slotIsFor(slot, off, load<u64>(memo, MEMO_HASH))
}

/**
 * liveTail's answer, without its call, when queue q's tail is the entry its memo describes (the victim
 * that keeps winning, set after set), LIVE, with no TTL and not LARGE: then liveTail would describe
 * it from the memo as this does (it has no expiry to check and costs its size). False in every other
 * case, having changed nothing liveTail would not: the caller asks liveTail.
 */
// @ts-ignore: decorator
@inline export function knownTail(sb: u32, q: u32): bool {
  // tailEntry's own inline case; past it, it releases exhausted tail segments, as liveTail would next.
  const off = tailEntry(sb, q)
  if (off == 0) return false
  const memo = memoOf(sb, q)
  const slot = load<u32>(memo, MEMO_SLOT)
  if (!memoDescribes(memo, off, slot)) return false
  if ((flagsOf(sb, off) & (L.ENTRY_LIVE | L.ENTRY_HAS_TTL | L.ENTRY_LARGE)) != L.ENTRY_LIVE) return false
  const size = L.ENTRY_HEADER_BYTES + keyLenOf(sb, off) + valueLenOf(sb, off)
  restoreTail(off, size, size, slot, load<u64>(memo, MEMO_HASH))
  return true
}

/**
 * Back to a tail entry described earlier (a policy that looked at other queues in between keeps the
 * description in locals): valid while nothing was appended to or evicted from its queue.
 */
// @ts-ignore: decorator
@inline export function restoreTail(off: u32, size: u32, cost: u32, slot: u32, h: u64): void {
  tailOff = off
  tailSize = size
  tailCost = cost
  tailSlot = slot
  tailHash = h
}

/** The tail entry's 2-bit hit counter (0..3). */
export function tailCounter(): u32 {
  return tailSlot != 0 ? slotFreq(tailSlot) : 0
}

/**
 * Copies the tail entry of queue q to the head of queue `to` with the given hit counter, and `extra`
 * flags (ENTRY_FREE; any move clears it otherwise). False when no segment is free for it (the caller
 * then evicts instead); the entry is left where it was.
 */
export function moveTail(sb: u32, q: u32, to: u32, counter: u32, extra: u32 = 0): bool {
  const off = tailOff
  const size = tailSize
  const dst = reserveAppend(sb, to, size, true)
  if (dst == 0) return false
  memory.copy(sb + dst, sb + off, size)
  setQueue(sb, dst, to, extra)
  commitAppend(sb, dst, size)
  // The index moves to the copy before the original stops being LIVE: a crash in between leaves two
  // LIVE copies, and recovery keeps the newer.
  if (tailSlot != 0) republish(tailSlot, dst, counter)
  killEntry(sb, off)
  removeLive(sb, off, q, size)
  addLive(sb, dst, to, size)
  advanceTail(sb, q, size)
  return true
}

/** Evicts the tail entry of queue q (counted as an eviction). */
export function evictTail(sb: u32, q: u32): void {
  evictTailAt(sb, q, tailOff, tailSize, tailSlot)
}

/** Evicts queue q's tail entry described by its offset, size and index slot (as liveTail left them). */
// @ts-ignore: decorator
@inline export function evictTailAt(sb: u32, q: u32, off: u32, size: u32, slot: u32): void {
  removeEntry(sb, off, q, size, slot)
  advanceTail(sb, q, size)
  bump(sb, L.SHARD_EVICTIONS)
}
