/**
 * Values larger than a segment, on the JS side. The engine keeps such an entry's value in a chain of
 * whole segments (assembly/large.ts, native/src/large.rs), which may cross shards: a chain takes
 * segments of its own shard first and borrows the rest from other shards. Segments are named by
 * global ids (shard × segCount + segment, 1-based) in SEG_NEXT; the engine reports where the chain
 * starts with KIND_CHAINED set in the kind. JS copies the value out chunk by chunk, walking the chain
 * through the segment headers, and, for a lock-free read, validates the owner shard's sequence
 * afterwards like any other read: a chain is only freed under its owner's lock, which moves that
 * sequence, and a lender reuses a segment only after the owner gave it back.
 * Everything read from the arena here is bounds-checked first, since a writer may be reusing it.
 */
import * as L from '../layout/constants.generated.js'
import type { Geometry } from '../layout/geometry.js'
import type { ArenaViews } from './views.js'

type ChainGeometry = Pick<Geometry, 'segBytes' | 'segCount' | 'shardDataOffset' | 'shardSegHeadersOffset' | 'shardCount' | 'shardsOffset' | 'shardBytes'>

/** Global id of the segment whose data starts at absolute address `at`, or 0 when there is none. */
function gidAt(g: ChainGeometry, at: number): number {
  const shard = Math.floor((at - g.shardsOffset) / g.shardBytes)
  if (!(shard >= 0 && shard < g.shardCount)) return 0
  const index = (at - g.shardsOffset - shard * g.shardBytes - g.shardDataOffset) / g.segBytes
  if (!Number.isInteger(index) || index < 0 || index >= g.segCount) return 0
  return shard * g.segCount + index + 1
}

/** The global id following `gid` in its chain (unchecked: the caller checks it). */
function nextGid(v: ArenaViews, g: ChainGeometry, gid: number): number {
  const shard = Math.floor((gid - 1) / g.segCount)
  const index = (gid - 1) % g.segCount
  return v.u32[(g.shardsOffset + shard * g.shardBytes + g.shardSegHeadersOffset + index * L.SEG_SIZE + L.SEG_NEXT) >>> 2]
}

/** Absolute address of the data of segment `gid`, or -1 when `gid` names no segment. */
function dataOf(g: ChainGeometry, gid: number): number {
  if (!(gid >= 1 && gid <= g.shardCount * g.segCount)) return -1
  const shard = Math.floor((gid - 1) / g.segCount)
  const index = (gid - 1) % g.segCount
  return g.shardsOffset + shard * g.shardBytes + g.shardDataOffset + index * g.segBytes
}

/**
 * Copies a chained value of `len` bytes starting at `start` (the first segment's data) out of the
 * arena (the caller validates the owner shard's sequence). Returns undefined when the
 * chain is broken, which only a concurrent writer can cause: the caller's sequence check then fails
 * too, and it retries.
 */
export function takeChained(v: ArenaViews, g: ChainGeometry, start: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len)
  const segBytes = g.segBytes
  let gid = gidAt(g, start)
  let at = start
  let pos = 0
  for (;;) {
    if (gid === 0) return undefined
    const n = Math.min(segBytes, len - pos)
    out.set(v.u8.subarray(at, at + n), pos)
    pos += n
    if (pos >= len) return out
    gid = nextGid(v, g, gid)
    at = dataOf(g, gid)
    if (at < 0) return undefined
  }
}

/** Writes `bytes` into the chain starting at `start` (a set holding the owner's lock: nothing moves). */
export function writeChained(v: ArenaViews, g: ChainGeometry, start: number, bytes: Uint8Array): void {
  const segBytes = g.segBytes
  let gid = gidAt(g, start)
  let at = start
  let pos = 0
  while (pos < bytes.length) {
    const n = Math.min(segBytes, bytes.length - pos)
    v.u8.set(bytes.subarray(pos, pos + n), at)
    pos += n
    if (pos >= bytes.length) return
    gid = nextGid(v, g, gid)
    at = dataOf(g, gid)
  }
}

/**
 * The value of the chain whose first segment has global id `first` (a LARGE entry's record holds it:
 * iteration). Undefined when torn (the chunk's sequence check then fails and the chunk is read again).
 */
export function takeChainedById(v: ArenaViews, g: ChainGeometry, first: number, len: number): Uint8Array | undefined {
  const start = dataOf(g, first)
  if (start < 0) return undefined
  return takeChained(v, g, start, len)
}
