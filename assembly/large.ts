// Values larger than a segment. Such an entry keeps a record in its queue's segment like any other
// ([header][key][first segment u32][segment count u32], flagged LARGE) and its value in a chain of whole
// segments taken from the shard's free list: state SEG_LARGE, linked through SEG_NEXT, each full but
// the last. The chain belongs to the record: moving the record (queue to queue) leaves it in place;
// the entry leaving the cache (evicted, deleted, expired, replaced) gives every segment back at once.
// So space is still allocated and freed in whole segments, and nothing fragments.
//
// Lock-free readers walk the chain (src/engine/large.ts) and validate the shard's sequence after
// the copy, as for any value: a chain is only freed or reused under the shard lock, which moves the
// sequence, so bytes from a reused segment are never returned.
import * as L from './layout.generated'
import { segBytes, segCount } from './arena'
import { segHeader, segData, segNext, popFree, releaseSegment } from './segments'
import { refPtr, isLarge, flagsOf } from './entry'

/** Segments a value of `valueLen` bytes fills. */
// @ts-ignore: decorator
@inline export function chainLength(valueLen: u32): u32 { return (valueLen + segBytes - 1) / segBytes }

/** Takes `n` free segments (the caller made sure they are there) and chains them; returns the first. */
export function allocChain(sb: u32, n: u32): u32 {
  let first: u32 = 0
  let last: u32 = 0
  for (let i: u32 = 0; i < n; i++) {
    const seg = popFree(sb)
    const h = segHeader(sb, seg)
    store<u32>(h + L.SEG_STATE, L.SEG_LARGE)
    store<u32>(h + L.SEG_NEXT, 0)
    store<u32>(h + L.SEG_PREV, last)
    store<u32>(h + L.SEG_USED, segBytes)
    store<u32>(h + L.SEG_LIVE_BYTES, 0)
    store<u32>(h + L.SEG_LIVE_COUNT, 0)
    if (last != 0) store<u32>(segHeader(sb, last) + L.SEG_NEXT, seg)
    else first = seg
    last = seg
  }
  return first
}

/** Gives a LARGE entry's chain back to the free list (no-op for other entries). Under the lock. */
export function freeChainOf(sb: u32, off: u32): void {
  if (!isLarge(flagsOf(sb, off))) return
  const ref = refPtr(sb, off)
  let seg = load<u32>(ref)
  let n = load<u32>(ref, 4)
  while (n-- > 0 && seg != 0 && seg <= segCount && load<u32>(segHeader(sb, seg) + L.SEG_STATE) == L.SEG_LARGE) {
    const next = segNext(sb, seg)
    releaseSegment(sb, seg)
    seg = next
  }
}

/** Copies `len` bytes from `src` into the chain starting at segment `first` (under the lock). */
export function writeChain(sb: u32, first: u32, src: u32, len: u32): void {
  let seg = first
  let pos: u32 = 0
  while (pos < len && seg != 0) {
    const n = min<u32>(segBytes, len - pos)
    memory.copy(sb + segData(seg), src + pos, n)
    pos += n
    seg = segNext(sb, seg)
  }
}

/**
 * Recovery's claim on a LARGE entry's chain: walks its `n` segments, each in range, SEG_LARGE and
 * claimed `mark ^ 1` times (live count), setting the count to `mark`. Returns how many it walked
 * before one failed, or n: a rebuild claims (mark 1), and unclaims (mark 0) what a failed claim took.
 */
export function claimChain(sb: u32, first: u32, n: u32, mark: u32): u32 {
  let seg = first
  for (let i: u32 = 0; i < n; i++) {
    if (seg == 0 || seg > segCount) return i
    const h = segHeader(sb, seg)
    if (load<u32>(h + L.SEG_STATE) != L.SEG_LARGE || load<u32>(h + L.SEG_LIVE_COUNT) != (mark ^ 1)) return i
    store<u32>(h + L.SEG_LIVE_COUNT, mark)
    seg = load<u32>(h + L.SEG_NEXT)
  }
  return n
}

/** verify's check of a chain, changing nothing: `n` segments in range and SEG_LARGE. */
export function chainIntact(sb: u32, first: u32, n: u32): bool {
  let seg = first
  for (let i: u32 = 0; i < n; i++) {
    if (seg == 0 || seg > segCount || load<u32>(segHeader(sb, seg) + L.SEG_STATE) != L.SEG_LARGE) return false
    seg = segNext(sb, seg)
  }
  return true
}
