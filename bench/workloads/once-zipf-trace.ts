import { Prng } from './prng.js'
import { OP_READ, OP_READ_THROUGH, OP_WRITE, type Trace } from './trace.js'
import { ZipfSampler } from './zipf.js'

export interface OnceZipfOptions {
  /** Cache capacity in entries: the read span and the Zipf set are in these units. */
  capacity: number
  /** Requests (the trace starts empty: no fill). */
  length: number
  /** Share of requests that write a new key. */
  w: number
  /** Share of requests that read a recently written key; the rest read the Zipf set (cache-aside). */
  r: number
  /** Recent reads go to one of the last k × capacity keys written. */
  k: number
  /** Distances uniform over the span, or exponential with mean span / 4 (reads bunched on the newest writes). */
  exponential: boolean
  /** Whether a recent read that misses writes the key back (else the value was stored once). */
  writeBack: boolean
  /** Zipf skew and key count (in capacities) of the cache-aside reads. Default 0.9 over 5 × capacity. */
  skew?: number
  zipfKeys?: number
  seed?: number
}

/**
 * Write-once traffic beside a Zipf hot set (issue #18 after stop 37): a session store and a catalogue
 * in one cache. The request stream is the one `bench/arena/recency-mix.ts` drives the real cache with
 * (same PRNG use, same seed by default), as a trace the simulator can replay: Zipf keys are ids
 * [0, zipfKeys × capacity), written keys follow. Every read is counted (the cache starts empty).
 */
export function onceZipfTrace(o: OnceZipfOptions): Trace {
  const rng = new Prng(o.seed ?? 777)
  const zipfN = Math.round((o.zipfKeys ?? 5) * o.capacity)
  const zipf = new ZipfSampler(zipfN, o.skew ?? 0.9)
  const span = Math.max(1, Math.floor(o.k * o.capacity))
  const keys = new Int32Array(o.length)
  const ops = new Uint8Array(o.length)
  let written = 0
  for (let i = 0; i < o.length; i++) {
    const u = rng.nextFloat()
    if (u < o.w || written === 0) {
      keys[i] = zipfN + written++
      ops[i] = OP_WRITE
      continue
    }
    if (u < o.w + o.r) {
      const within = Math.min(written, span)
      const d = o.exponential ? Math.min(within - 1, Math.floor((-Math.log(1 - rng.nextFloat()) * within) / 4)) : rng.nextInt(within)
      keys[i] = zipfN + written - 1 - d
      ops[i] = o.writeBack ? OP_READ_THROUGH : OP_READ
    } else {
      // Ranks are 1-based; the real-cache tool names them z<rank>, here id rank - 1.
      keys[i] = zipf.sample(rng) - 1
      ops[i] = OP_READ_THROUGH
    }
  }
  const name = `once+zipf w${o.w} r${o.r} ${o.exponential ? 'exp' : 'uni'} k${o.k} ${o.writeBack ? 'back' : 'once'}${o.skew !== undefined && o.skew !== 0.9 ? ` s${o.skew}` : ''}`
  return { name, keys, universe: zipfN + written, ops }
}
