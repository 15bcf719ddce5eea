// Borrowing segments from other shards for a LARGE value's chain (the layout and the rules are in
// large.ts): what lenders have free first, then what their policies give up to the newcomer, then
// what other large values borrowed from them, when those lose to the newcomer.
import * as L from './layout.generated'
import { segCount, shardCount, shardBase, indexBuckets } from './arena'
import { segHeader, freeCount, reclaimDeadTails } from './segments'
import { tryLock, unlock } from './lock'
import { gidHeader, gidValid, popChain, poppedLast, collectReturned, lentBy, freeChain, stateOf, isLargeState, chainCount } from './large'
import { policyLend, policyEstimate } from './policy/index'
import { firstOccupied, nextOccupied, slotOffset } from './hashindex'
import { hashBytes } from './hash'
import { flagsOf, isLarge, refPtr, keyPtr, keyLenOf, queueOf, entryBytes } from './entry'
import { removeEntry, bump } from './queues'
import { LARGE_TIE_FREQUENCY } from './policy/tuning.generated'

// The chain being borrowed (plain globals: the engine never allocates).
let first: u32 = 0
let last: u32 = 0
let got: u32 = 0

/** Takes up to `want` free segments of shard `lender` (base lb) into the chain, keeping one spare. */
function take(lb: u32, lender: u32, owner: u32, want: u32): void {
  const free = freeCount(lb)
  const k = min<u32>(want, free > 1 ? free - 1 : 0)
  const run = popChain(lb, lender, owner, k)
  if (run == 0) return
  if (last != 0) store<u32>(gidHeader(last) + L.SEG_NEXT, run)
  else first = run
  last = poppedLast
  got += k
}

/** Room `lender` may still lend: half its segments, less what it lent already. */
function lendable(lb: u32, lender: u32): u32 {
  const share = segCount / L.LARGE_LEND_SHARE
  const lent = lentBy(lb, lender)
  return lent < share ? share - lent : 0
}

/** True when the chain of `n` segments from `gid` holds a segment of shard `lender`. */
function holdsSegmentsOf(gid: u32, n: u32, lender: u32): bool {
  for (let i: u32 = 0; i < n && gidValid(gid); i++) {
    if ((gid - 1) / segCount == lender) return true
    gid = load<u32>(gidHeader(gid) + L.SEG_NEXT)
  }
  return false
}

/**
 * Evicts one LARGE entry of shard `xb` whose chain holds segments of `lender`, if it loses to a
 * newcomer of frequency `fc` (a tie goes to the newcomer only against a one-hit wonder, as in
 * contestSegments). Under `xb`'s lock. True when one left (its segments went back to their lenders).
 */
function evictBorrower(xb: u32, lender: u32, fc: u32): bool {
  for (let slot = firstOccupied(xb, 0, indexBuckets); slot != 0; slot = nextOccupied(xb, slot, indexBuckets)) {
    const off = slotOffset(slot)
    const flags = flagsOf(xb, off)
    if (!isLarge(flags)) continue
    const ref = refPtr(xb, off)
    if (!holdsSegmentsOf(load<u32>(ref), chainCount(load<u32>(ref, 4)), lender)) continue
    const fv = policyEstimate(xb, hashBytes(keyPtr(xb, off), keyLenOf(xb, off)))
    if (fc < fv || (fc == fv && fv > LARGE_TIE_FREQUENCY)) continue
    removeEntry(xb, off, queueOf(flags), entryBytes(xb, off), slot)
    bump(xb, L.SHARD_EVICTIONS)
    return true
  }
  return false
}

/**
 * Borrows `n` segments for a chain of shard `owner` from the other shards, each lending at most half
 * of its segments: first what lenders have free, then what their policies give up to a newcomer of
 * frequency `fc` (policyLend: TinyLFU against the lender's own victims), then what the large values
 * of other shards (or of the owner) borrowed from them, each contesting the newcomer the same way:
 * without that, a cache of large values only would refuse new ones once every lender had lent its
 * half, lent segments being freed only by their owners. Locks other than the owner's are taken by
 * try-lock only, and a busy (or awaited) shard is skipped. Returns the first global id of the `n`
 * linked segments, or 0 when they could not all be had (then nothing stays borrowed). Under the
 * owner's lock.
 */
export function borrowChain(owner: u32, n: u32, fc: u32, now: f64): u32 {
  first = 0
  last = 0
  got = 0
  for (let pass = 0; pass < 3 && got < n; pass++) {
    for (let i: u32 = 1; i < shardCount && got < n; i++) {
      const lender = (owner + i) % shardCount
      const lb = shardBase(lender)
      if (atomic.load<i32>(lb + L.SHARD_WAITERS) > 0 || !tryLock(lb)) continue
      collectReturned(lb)
      const want = min<u32>(n - got, lendable(lb, lender))
      if (pass < 2 && want > 0) {
        if (freeCount(lb) < want + 1) reclaimDeadTails(lb)
        if (pass == 1 && freeCount(lb) < want + 1) policyLend(lb, fc, want, now)
        take(lb, lender, owner, want)
      } else if (pass == 2) {
        // The lender's segments in other shards' chains: their entries contest the newcomer.
        for (let s: u32 = 1; s <= segCount && got < n; s++) {
          const state = stateOf(segHeader(lb, s))
          if (!isLargeState(state)) continue
          const x = state >> L.SEG_OWNER_SHIFT
          if (x == lender || x >= shardCount) continue
          const xb = shardBase(x)
          if (x != owner && (atomic.load<i32>(xb + L.SHARD_WAITERS) > 0 || !tryLock(xb))) continue
          const evicted = evictBorrower(xb, lender, fc)
          if (x != owner) unlock(xb)
          if (!evicted) continue
          collectReturned(lb)
          take(lb, lender, owner, min<u32>(n - got, lendable(lb, lender)))
        }
      }
      // Waiters on the lender (rare: it had none when we took it) wake within their wait slice.
      unlock(lb)
    }
  }
  if (got < n) {
    freeChain(first, got, owner)
    return 0
  }
  return first
}
