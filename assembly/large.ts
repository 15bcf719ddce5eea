// Values larger than a segment. Such an entry keeps a record in its queue's segment like any other
// ([header][key][first segment u32][count u32], flagged LARGE) and its value in a chain of whole
// segments: state SEG_LARGE with the owner shard in the same word, linked through SEG_NEXT, each full
// but the last. The chain belongs to the record: moving the record (queue to queue) leaves it in place;
// the entry leaving the cache (evicted, deleted, expired, replaced) gives every segment back at once.
// So space is still allocated and freed in whole segments, and nothing fragments.
//
// Chains cross shards. Segments are named by global ids (shard × segCount + segment, 1-based) in the
// record and in SEG_NEXT. A chain takes up to a third of its own shard's segments (and one more: the
// `local` part, first) and borrows the rest from other shards, at most half of each lender's
// segments, under the lender's lock taken by try-lock only (a writer holding its own lock never waits
// for another, so two writers borrowing from each other can't deadlock; a busy lender is skipped).
// The count word holds the chain's length and, above CHAIN_LOCAL_SHIFT, how many of its segments are
// local. A borrowed segment is given back by its owner without the lender's lock: one atomic store of
// SEG_RETURNED and an atomic count in the lender's header; the lender takes it back into its free list
// under its own lock when it next needs segments (collectReturned). So each segment state word has one
// writer at a time: the owner while SEG_LARGE (its lock), the lender otherwise (its lock).
//
// Lock-free readers walk the chain (src/engine/large.ts) and validate the owner shard's sequence after
// the copy, as for any value: a chain is only freed under the owner's lock, which moves the sequence,
// and a lender reuses a segment only after the owner gave it back, so bytes from a reused segment are
// never returned.
import * as L from './layout.generated'
import { segBytes, segCount, shardCount, shardBase, shardsOffset, shardBytes } from './arena'
import { segHeader, segData, popFree, releaseSegment, freeCount, reclaimDeadTails } from './segments'
import { refPtr, isLarge, flagsOf, valueLenOf } from './entry'

/** Segments a value of `valueLen` bytes fills. */
// @ts-ignore: decorator
@inline export function chainLength(valueLen: u32): u32 { return (valueLen + segBytes - 1) / segBytes }

/** Segments a chain may take from its own shard (the rest it borrows). */
// @ts-ignore: decorator
@inline export function localShare(): u32 { return segCount / L.LARGE_SHARE + 1 }

/** The shard whose base is `sb`. */
// @ts-ignore: decorator
@inline export function shardIndexOf(sb: u32): u32 { return (sb - shardsOffset) / shardBytes }

// @ts-ignore: decorator
@inline export function gidOf(shard: u32, seg: u32): u32 { return shard * segCount + seg }
// @ts-ignore: decorator
@inline export function gidValid(gid: u32): bool { return gid != 0 && gid <= shardCount * segCount }
// @ts-ignore: decorator
@inline function gidShard(gid: u32): u32 { return (gid - 1) / segCount }
// @ts-ignore: decorator
@inline function gidSeg(gid: u32): u32 { return (gid - 1) % segCount + 1 }
// @ts-ignore: decorator
@inline export function gidHeader(gid: u32): u32 { return segHeader(shardBase(gidShard(gid)), gidSeg(gid)) }
/** Absolute address of a segment's first byte, by global id. */
// @ts-ignore: decorator
@inline export function gidData(gid: u32): u32 { return shardBase(gidShard(gid)) + segData(gidSeg(gid)) }

/**
 * Address of the data of chain segment `gid` as a lock-free reader found it in a record, 0 when it
 * names no segment (a writer was reusing the record). Out of line, to keep the read path small.
 */
export function chainData(gid: u32): u32 {
  return gidValid(gid) ? gidData(gid) : 0
}

/** The state word of a segment in a chain owned by `owner`. */
// @ts-ignore: decorator
@inline export function largeState(owner: u32): u32 { return L.SEG_LARGE | (owner << L.SEG_OWNER_SHIFT) }
// @ts-ignore: decorator
@inline export function isLargeState(state: u32): bool { return (state & L.SEG_STATE_MASK) == L.SEG_LARGE }
// @ts-ignore: decorator
@inline export function stateOf(h: u32): u32 { return atomic.load<u32>(h + L.SEG_STATE) }

/** The count word of a record: chain length, and how many segments (the first) are the owner's own. */
// @ts-ignore: decorator
@inline export function chainCount(word: u32): u32 { return word & L.CHAIN_COUNT_MASK }
// @ts-ignore: decorator
@inline export function chainLocal(word: u32): u32 { return word >> L.CHAIN_LOCAL_SHIFT }

/** Bytes of a LARGE entry's value held in borrowed segments (0 for any other entry). */
export function borrowedBytes(sb: u32, off: u32): u32 {
  if (!isLarge(flagsOf(sb, off))) return 0
  const word = load<u32>(refPtr(sb, off), 4)
  const local = chainLocal(word)
  if (local >= chainCount(word)) return 0
  const len = valueLenOf(sb, off)
  const mine = local * segBytes
  return len > mine ? len - mine : 0
}

/** Turns a popped free segment into a chain segment owned by `owner`, linked to nothing yet. */
export function makeChainSegment(h: u32, owner: u32): void {
  store<u32>(h + L.SEG_NEXT, 0)
  store<u32>(h + L.SEG_PREV, 0)
  store<u32>(h + L.SEG_USED, segBytes)
  store<u32>(h + L.SEG_LIVE_BYTES, 0)
  store<u32>(h + L.SEG_LIVE_COUNT, 0)
  atomic.store<u32>(h + L.SEG_STATE, largeState(owner))
}

/** The last segment of the run popChain linked (0 when it took none). */
export let poppedLast: u32 = 0

/**
 * Takes `n` free segments of shard `shard` (base `base`; the caller made sure they are there) as chain
 * segments of `owner`, linked in order; returns the first global id (0 for none), the last in poppedLast.
 */
export function popChain(base: u32, shard: u32, owner: u32, n: u32): u32 {
  let first: u32 = 0
  let last: u32 = 0
  for (let i: u32 = 0; i < n; i++) {
    const seg = popFree(base)
    const gid = gidOf(shard, seg)
    makeChainSegment(segHeader(base, seg), owner)
    if (last != 0) store<u32>(gidHeader(last) + L.SEG_NEXT, gid)
    else first = gid
    last = gid
  }
  poppedLast = last
  return first
}

/**
 * Takes `n` free segments of shard `shard` (the caller made sure they are there) and chains them,
 * the last linked to `tail` (the borrowed part, 0 for none); returns the first global id.
 */
export function allocChain(sb: u32, shard: u32, n: u32, tail: u32): u32 {
  const first = popChain(sb, shard, shard, n)
  if (first == 0) return tail
  store<u32>(gidHeader(poppedLast) + L.SEG_NEXT, tail)
  return first
}

/** Gives one segment of a chain owned by `owner` back: to the free list if it is the owner's own. */
function giveBack(gid: u32, owner: u32): void {
  const lender = gidShard(gid)
  const lb = shardBase(lender)
  if (lender == owner) {
    releaseSegment(lb, gidSeg(gid))
    return
  }
  atomic.store<u32>(segHeader(lb, gidSeg(gid)) + L.SEG_STATE, L.SEG_RETURNED)
  atomic.add<u32>(lb + L.SHARD_RETURNED, 1)
}

/** Gives back up to `n` segments of the chain starting at `first`, owned by `owner`. */
export function freeChain(first: u32, n: u32, owner: u32): void {
  let gid = first
  while (n-- > 0 && gidValid(gid) && stateOf(gidHeader(gid)) == largeState(owner)) {
    const next = load<u32>(gidHeader(gid) + L.SEG_NEXT)
    giveBack(gid, owner)
    gid = next
  }
}

/** Gives a LARGE entry's chain back (no-op for other entries). Under the owner's lock. */
export function freeChainOf(sb: u32, off: u32): void {
  if (!isLarge(flagsOf(sb, off))) return
  const ref = refPtr(sb, off)
  freeChain(load<u32>(ref), chainCount(load<u32>(ref, 4)), shardIndexOf(sb))
}

/**
 * Takes back into the free list the segments other shards gave back (SEG_RETURNED). Under this
 * shard's lock. The count is taken before the scan: a segment given back meanwhile is either seen by
 * the scan or counted for the next one.
 */
export function collectReturned(sb: u32): void {
  if (atomic.load<u32>(sb + L.SHARD_RETURNED) == 0) return
  atomic.xchg<u32>(sb + L.SHARD_RETURNED, 0)
  for (let s: u32 = 1; s <= segCount; s++) {
    if (stateOf(segHeader(sb, s)) == L.SEG_RETURNED) releaseSegment(sb, s)
  }
}

/** Segments of `shard` currently in other shards' chains (or given back and not yet collected). */
export function lentBy(sb: u32, shard: u32): u32 {
  let n: u32 = 0
  for (let s: u32 = 1; s <= segCount; s++) {
    const state = stateOf(segHeader(sb, s))
    if (state == L.SEG_RETURNED || (isLargeState(state) && state != largeState(shard))) n++
  }
  return n
}

/** Copies `len` bytes from `src` into the chain starting at `first` (under the owner's lock). */
export function writeChain(first: u32, src: u32, len: u32): void {
  let gid = first
  let pos: u32 = 0
  while (pos < len && gidValid(gid)) {
    const n = min<u32>(segBytes, len - pos)
    memory.copy(gidData(gid), src + pos, n)
    pos += n
    gid = load<u32>(gidHeader(gid) + L.SEG_NEXT)
  }
}

/**
 * Recovery's claim on a LARGE entry's chain: walks its `n` segments, each valid, owned by `owner`
 * and claimed `mark ^ 1` times (live count), setting the count to `mark`. Returns how many it walked
 * before one failed, or n: a rebuild claims (mark 1), and unclaims (mark 0) what a failed claim took.
 * A borrowed segment's header is only ever written by its owner while it is SEG_LARGE, so the
 * owner's rebuild may mark it without the lender's lock.
 */
export function claimChain(first: u32, n: u32, mark: u32, owner: u32): u32 {
  let gid = first
  for (let i: u32 = 0; i < n; i++) {
    if (!gidValid(gid)) return i
    const h = gidHeader(gid)
    if (stateOf(h) != largeState(owner) || load<u32>(h + L.SEG_LIVE_COUNT) != (mark ^ 1)) return i
    store<u32>(h + L.SEG_LIVE_COUNT, mark)
    gid = load<u32>(h + L.SEG_NEXT)
  }
  return n
}

/** verify's check of a chain, changing nothing: `n` valid segments, all owned by `owner`. */
export function chainIntact(first: u32, n: u32, owner: u32): bool {
  let gid = first
  for (let i: u32 = 0; i < n; i++) {
    if (!gidValid(gid) || stateOf(gidHeader(gid)) != largeState(owner)) return false
    gid = load<u32>(gidHeader(gid) + L.SEG_NEXT)
  }
  return true
}

/** Segments anywhere in the arena owned by `owner`'s chains; with `reset`, their claim marks go to 0. */
export function ownedSegments(owner: u32, reset: bool): u32 {
  const want = largeState(owner)
  let n: u32 = 0
  for (let t: u32 = 0; t < shardCount; t++) {
    const tb = shardBase(t)
    for (let s: u32 = 1; s <= segCount; s++) {
      const h = segHeader(tb, s)
      if (stateOf(h) != want) continue
      n++
      if (reset) store<u32>(h + L.SEG_LIVE_COUNT, 0)
    }
  }
  return n
}

/** After recovery claimed the live chains: gives back every segment `owner` holds that none claimed. */
export function releaseUnclaimed(owner: u32): void {
  const want = largeState(owner)
  for (let t: u32 = 0; t < shardCount; t++) {
    const tb = shardBase(t)
    for (let s: u32 = 1; s <= segCount; s++) {
      const h = segHeader(tb, s)
      if (stateOf(h) != want) continue
      if (load<u32>(h + L.SEG_LIVE_COUNT) == 0) giveBack(gidOf(t, s), owner)
      else store<u32>(h + L.SEG_LIVE_COUNT, 0)
    }
  }
}
