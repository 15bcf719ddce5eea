import { Prng } from './prng.js'
import type { Trace } from './trace.js'
import { ZipfSampler } from './zipf.js'

export interface ZipfOptions {
  /** Number of distinct keys. */
  keys: number
  /** Skew; 0.6 is flat, 1.2 is steep. */
  s: number
  length: number
  seed: number
}

/** Independent Zipf requests; key = rank - 1, so key 0 is the hottest. */
export function zipfTrace(o: ZipfOptions): Trace {
  const rng = new Prng(o.seed)
  const zipf = new ZipfSampler(o.keys, o.s)
  const keys = new Int32Array(o.length)
  for (let i = 0; i < o.length; i++) keys[i] = zipf.sample(rng) - 1
  return { name: `zipf(s=${o.s},n=${o.keys})`, keys, universe: o.keys }
}
