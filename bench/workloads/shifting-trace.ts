import type { Trace } from './trace.js'
import { zipfSource, type ZipfOptions } from './zipf-trace.js'

export interface ShiftingOptions extends ZipfOptions {
  /** Requests per phase; at each phase change the popularity ranks move to other keys. */
  phase: number
  /**
   * Keys the ranking moves by at each phase change. `shift >= keys` gives a disjoint new hot set;
   * smaller values keep part of the old one (it becomes colder).
   */
  shift: number
}

/** Zipf whose hot set moves to other keys every `phase` requests (a deploy, a new day, a trend). */
export function shiftingTrace(o: ShiftingOptions): Trace {
  const { rng, zipf, keys } = zipfSource(o)
  let offset = 0
  for (let i = 0; i < o.length; i++) {
    if (i > 0 && i % o.phase === 0) offset += o.shift
    keys[i] = offset + zipf.sample(rng) - 1
  }
  return { name: `shift(s=${o.s},n=${o.keys},phase=${o.phase})`, keys, universe: offset + o.keys }
}
