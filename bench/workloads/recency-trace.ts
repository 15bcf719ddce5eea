import { Prng } from './prng.js'
import { OP_READ, OP_READ_THROUGH, OP_WRITE, type Trace } from './trace.js'
import { ZipfSampler } from './zipf.js'

export interface WriteThenReadOptions {
  /** Cache capacity in entries: the fill and the read distance are in these units. */
  capacity: number
  /** Reads go to a key uniform among the last `distance` × capacity keys written. */
  distance: number
  /** Requests after the fill. */
  length: number
  /** Share of requests after the fill that write a new key (default 0.1: one set per 10 operations). */
  writeShare?: number
  /** Whether a read that misses writes the key back (cache-aside) or not (the value was stored once). */
  writeBack: boolean
  /**
   * Whether the trace starts with `capacity` writes and no reads (default). Without it the reads start
   * with the first write, as in a service that starts empty: the keys read while the cache fills gather
   * counts that the policy must see through once they go cold.
   */
  fill?: boolean
  seed: number
}

/**
 * Write-then-read-soon: a session store, or a service caching the record it just saved. The trace
 * first writes `capacity` new keys (the fill), then each request writes a new key with probability
 * `writeShare`, else reads a key among the last `distance × capacity` written. Nothing is written
 * twice unless `writeBack` puts a missed key back. LRU keeps every key for about `capacity` writes,
 * so it hits nearly every read up to distance 0.9; a policy that keeps stale frequent keys misses.
 */
export function writeThenReadTrace(o: WriteThenReadOptions): Trace {
  const rng = new Prng(o.seed)
  const fill = o.fill ?? true
  const total = (fill ? o.capacity : 0) + o.length
  const keys = new Int32Array(total)
  const ops = new Uint8Array(total)
  const written = writeThenRead(rng, keys, ops, 0, total, 0, o)
  return { name: `write-then-read ${o.distance}×cap ${mode(o.writeBack)}${fill ? '' : ' from empty'}`, keys, universe: written, ops }
}

const mode = (writeBack: boolean): string => (writeBack ? 'write-back' : 'write-once')

/** Fills keys/ops[from, to) with write-then-read requests over new keys from `firstKey`; returns the next free key. */
function writeThenRead(
  rng: Prng,
  keys: Int32Array,
  ops: Uint8Array,
  from: number,
  to: number,
  firstKey: number,
  o: WriteThenReadOptions,
): number {
  const writeShare = o.writeShare ?? 0.1
  const span = Math.max(1, Math.round(o.distance * o.capacity))
  const read = o.writeBack ? OP_READ_THROUGH : OP_READ
  const fill = o.fill ?? true ? o.capacity : 0
  let next = firstKey
  for (let i = from; i < to; i++) {
    if (i - from < fill || next === firstKey || rng.nextFloat() < writeShare) {
      keys[i] = next++
      ops[i] = OP_WRITE
    } else {
      keys[i] = Math.max(firstKey, next - 1 - rng.nextInt(span))
      ops[i] = read
    }
  }
  return next
}

export interface PhasesOptions {
  capacity: number
  /** Requests per phase (the recency phase adds its fill of `capacity` writes). */
  phase: number
  /** Distinct keys of the Zipf phase. */
  zipfKeys: number
  /** Whether reads that miss write the key back in the recency phase (the scan and Zipf phases always do). */
  writeBack: boolean
  seed: number
}

/**
 * Recency and frequency in turn: a scan of new keys, then Zipf(0.9) over `zipfKeys` keys, then
 * write-then-read-soon (0.5 × capacity), then the same Zipf again: a policy must follow each change.
 */
export function phasesTrace(o: PhasesOptions): Trace {
  const rng = new Prng(o.seed)
  const recencyLength = o.capacity + o.phase
  const total = 3 * o.phase + recencyLength
  const keys = new Int32Array(total)
  const ops = new Uint8Array(total)
  let next = 0
  let i = 0
  for (; i < o.phase; i++) keys[i] = next++
  const zipf = new ZipfSampler(o.zipfKeys, 0.9)
  const zipfBase = next
  next += o.zipfKeys
  const zipfPhase = (from: number): void => {
    for (let j = from; j < from + o.phase; j++) keys[j] = zipfBase + zipf.sample(rng) - 1
  }
  zipfPhase(i)
  i += o.phase
  next = writeThenRead(rng, keys, ops, i, i + recencyLength, next, { ...o, distance: 0.5, length: o.phase })
  i += recencyLength
  zipfPhase(i)
  return { name: `phases scan→zipf→recency→zipf ${mode(o.writeBack)}`, keys, universe: next, ops }
}

/** Write-then-read's options (`length`: the requests after the hot phase; never a fill), after a hot phase. */
export interface HotThenWritesOptions extends Omit<WriteThenReadOptions, 'fill'> {
  /** Requests of the Zipf phase (cache-aside, Zipf(0.9) over `zipfKeys` keys). */
  hot: number
  zipfKeys: number
}

/**
 * A hot set read cache-aside, then write-then-read-soon over new keys and nothing else (a service whose
 * traffic turns to sessions, or a cache shared by a batch job and then by a store of fresh records):
 * main holds keys the sketch counted many times that are never asked for again, and the new keys must
 * win their contests against them (stop 47).
 */
export function hotThenWritesTrace(o: HotThenWritesOptions): Trace {
  const rng = new Prng(o.seed)
  const total = o.hot + o.length
  const keys = new Int32Array(total)
  const ops = new Uint8Array(total)
  const zipf = new ZipfSampler(o.zipfKeys, 0.9)
  for (let i = 0; i < o.hot; i++) keys[i] = zipf.sample(rng) - 1
  const next = writeThenRead(rng, keys, ops, o.hot, total, o.zipfKeys, { ...o, fill: false })
  return { name: `zipf→write-then-read ${mode(o.writeBack)} ${o.distance}×cap`, keys, universe: next, ops }
}
