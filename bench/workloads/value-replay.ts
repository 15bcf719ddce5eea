/**
 * Replays a key trace over a real cache of Buffers whose size each key decides (`sizeOf`: one size for
 * every key, or a mix), as a service caching pages, images or records has. Writes set the key's value;
 * reads get it, and on a miss set it back when they read through (a trace without ops reads through
 * everywhere). Hits and reads are counted per value size, so a mix shows which sizes the policy kept.
 */
import { OP_READ, OP_READ_THROUGH, OP_WRITE, type Trace } from './trace.js'

/** What these workloads need of a cache: any Cortado build's Cache of Buffers. */
export interface BufferCache {
  get(key: string): Buffer | undefined
  set(key: string, value: Buffer): boolean
  close(): void
}

export interface SizeCount { hits: number; reads: number }

export function replayValues(cache: BufferCache, trace: Trace, sizeOf: (key: number) => number): Map<number, SizeCount> {
  const values = new Map<number, Buffer>()
  const counts = new Map<number, SizeCount>()
  const valueOf = (size: number): Buffer => {
    let v = values.get(size)
    if (v === undefined) values.set(size, (v = Buffer.alloc(size, 7)))
    return v
  }
  for (let i = 0; i < trace.keys.length; i++) {
    const id = trace.keys[i]!
    const key = `k${id}`
    const size = sizeOf(id)
    const op = trace.ops === undefined ? OP_READ_THROUGH : trace.ops[i]!
    if (op === OP_WRITE) {
      cache.set(key, valueOf(size))
      continue
    }
    let c = counts.get(size)
    if (c === undefined) counts.set(size, (c = { hits: 0, reads: 0 }))
    c.reads++
    if (cache.get(key) !== undefined) c.hits++
    else if (op !== OP_READ) cache.set(key, valueOf(size))
  }
  return counts
}

/** The hit ratio over every read of `counts`. */
export function hitRatioOf(counts: Map<number, SizeCount>): number {
  let hits = 0
  let reads = 0
  for (const c of counts.values()) {
    hits += c.hits
    reads += c.reads
  }
  return reads === 0 ? 0 : hits / reads
}
