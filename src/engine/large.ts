/**
 * Values larger than a segment, on the JS side. The engine keeps such an entry's value in a chain of
 * whole segments of its shard (assembly/large.ts, native/src/large.rs) and reports where the chain
 * starts with KIND_CHAINED set in the kind. JS copies the value out chunk by chunk, walking the chain
 * through the segment headers, and, for a lock-free read, validates the shard's sequence afterwards
 * like any other read: a chain is only freed or reused under the shard lock, which moves the sequence.
 * Everything read from the arena here is bounds-checked first, since a writer may be reusing it.
 */
import * as L from '../layout/constants.generated.js'
import type { Geometry } from '../layout/geometry.js'
import type { ArenaViews } from './views.js'

type ChainGeometry = Pick<Geometry, 'segBytes' | 'segCount' | 'shardDataOffset' | 'shardSegHeadersOffset'>

/** True for a kind the engine reported as chained (the stored kind is `kind & 0xff`). */
export function isChained(kind: number): boolean {
  return kind >= L.KIND_CHAINED
}

/** The shard base (in the views) whose sequence word is at u32 index `seqIndex`. */
export function shardOfSeq(seqIndex: number): number {
  return seqIndex * 4 - L.SHARD_SEQ
}

/**
 * Copies a chained value of `len` bytes starting at `start` (the first segment's data) out of shard
 * `sb`. Returns undefined when the chain is broken, which only a concurrent writer can cause: the
 * caller's sequence check then fails too, and it retries.
 */
export function takeChained(v: ArenaViews, g: ChainGeometry, sb: number, start: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len)
  const data = sb + g.shardDataOffset
  const segBytes = g.segBytes
  let at = start
  let pos = 0
  for (;;) {
    const index = (at - data) / segBytes
    if (!Number.isInteger(index) || index < 0 || index >= g.segCount) return undefined
    const n = Math.min(segBytes, len - pos)
    out.set(v.u8.subarray(at, at + n), pos)
    pos += n
    if (pos >= len) return out
    const next = v.u32[(sb + g.shardSegHeadersOffset + index * L.SEG_SIZE + L.SEG_NEXT) >> 2]
    if (next === 0 || next > g.segCount) return undefined
    at = data + (next - 1) * segBytes
  }
}

/** Writes `bytes` into the chain starting at `start` (a set holding the shard lock: nothing moves). */
export function writeChained(v: ArenaViews, g: ChainGeometry, sb: number, start: number, bytes: Uint8Array): void {
  const data = sb + g.shardDataOffset
  const segBytes = g.segBytes
  let at = start
  let pos = 0
  while (pos < bytes.length) {
    const n = Math.min(segBytes, bytes.length - pos)
    v.u8.set(bytes.subarray(pos, pos + n), at)
    pos += n
    const index = (at - data) / segBytes
    const next = v.u32[(sb + g.shardSegHeadersOffset + index * L.SEG_SIZE + L.SEG_NEXT) >> 2]
    at = data + (next - 1) * segBytes
  }
}

/**
 * The value of a LARGE entry listed by iteration: `refAt` is where its record holds the chain's first
 * segment. Undefined when torn (the chunk's sequence check then fails and the chunk is read again).
 */
export function takeListedChained(v: ArenaViews, g: ChainGeometry, sb: number, refAt: number, len: number): Uint8Array | undefined {
  if (refAt + 4 > v.u8.length) return undefined
  const first = v.dv.getUint32(refAt, true)
  if (first === 0 || first > g.segCount) return undefined
  return takeChained(v, g, sb, sb + g.shardDataOffset + (first - 1) * g.segBytes, len)
}
