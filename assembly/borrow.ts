// Borrowing segments from other shards for a LARGE value's chain (the layout and the rules are in
// large.ts): what lenders have free first, then what their policies give up to the newcomer.
import * as L from './layout.generated'
import { segCount, shardCount, shardBase } from './arena'
import { segHeader, popFree, freeCount, reclaimDeadTails } from './segments'
import { tryLock, unlock } from './lock'
import { gidOf, gidHeader, makeChainSegment, collectReturned, lentBy, freeChain } from './large'
import { policyLend } from './policy/index'

/**
 * Borrows `n` segments for a chain of shard `owner` from the other shards, each lending at most half
 * of its segments: first what lenders have free, then what their policies give up to a newcomer of
 * frequency `fc` (policyLend: TinyLFU against the lender's own victims). A lender whose lock is busy (or
 * awaited) is skipped. Returns the first global id of the `n` linked segments, or 0 when they could
 * not all be had (then nothing stays borrowed). Under the owner's lock.
 */
export function borrowChain(owner: u32, n: u32, fc: u32, now: f64): u32 {
  let first: u32 = 0
  let last: u32 = 0
  let got: u32 = 0
  const share = segCount / L.LARGE_LEND_SHARE
  for (let pass = 0; pass < 2 && got < n; pass++) {
    for (let i: u32 = 1; i < shardCount && got < n; i++) {
      const lender = (owner + i) % shardCount
      const lb = shardBase(lender)
      if (atomic.load<i32>(lb + L.SHARD_WAITERS) > 0 || !tryLock(lb)) continue
      collectReturned(lb)
      const lent = lentBy(lb, lender)
      let take = min<u32>(n - got, lent < share ? share - lent : 0)
      if (take > 0) {
        if (freeCount(lb) < take + 1) reclaimDeadTails(lb)
        if (pass == 1 && freeCount(lb) < take + 1) policyLend(lb, fc, take, now)
        const free = freeCount(lb)
        take = min<u32>(take, free > 1 ? free - 1 : 0)
        for (let k: u32 = 0; k < take; k++) {
          const seg = popFree(lb)
          const gid = gidOf(lender, seg)
          makeChainSegment(segHeader(lb, seg), owner)
          if (last != 0) store<u32>(gidHeader(last) + L.SEG_NEXT, gid)
          else first = gid
          last = gid
        }
        got += take
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
