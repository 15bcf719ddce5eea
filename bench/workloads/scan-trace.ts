import type { Trace } from './trace.js'
import { zipfSource, type ZipfOptions } from './zipf-trace.js'

/** A Zipf background (keys, skew, length, seed) and the scans cut into it. */
export interface ScanMixOptions extends ZipfOptions {
  /** Requests of Zipf between two scans. */
  every: number
  /** Keys per scan; every scan reads fresh keys never seen before (one-hit wonders). */
  scanLength: number
}

/** Zipf traffic interrupted by sequential scans of never-repeated keys (backups, crawlers, reports). */
export function scanMixTrace(o: ScanMixOptions): Trace {
  const { rng, zipf, keys } = zipfSource(o)
  let nextFresh = o.keys
  let i = 0
  while (i < o.length) {
    for (let j = 0; j < o.every && i < o.length; j++) keys[i++] = zipf.sample(rng) - 1
    for (let j = 0; j < o.scanLength && i < o.length; j++) keys[i++] = nextFresh++
  }
  return { name: `scan(s=${o.s},n=${o.keys},scan=${o.scanLength}/${o.every})`, keys, universe: nextFresh }
}
