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

/** What every Zipf-based generator starts from: its seeded PRNG, the sampler and the output array. */
export function zipfSource(o: ZipfOptions): { rng: Prng; zipf: ZipfSampler; keys: Int32Array } {
  return { rng: new Prng(o.seed), zipf: new ZipfSampler(o.keys, o.s), keys: new Int32Array(o.length) }
}

/** Independent Zipf requests; key = rank - 1, so key 0 is the hottest. */
export function zipfTrace(o: ZipfOptions): Trace {
  const { rng, zipf, keys } = zipfSource(o)
  for (let i = 0; i < o.length; i++) keys[i] = zipf.sample(rng) - 1
  return { name: `zipf(s=${o.s},n=${o.keys})`, keys, universe: o.keys }
}
