import { Prng } from './prng.js'
import type { Trace } from './trace.js'
import { ZipfSampler } from './zipf.js'

export interface LoopOptions {
  /** Keys in the loop: 0..loopKeys-1, requested in order, over and over. */
  loopKeys: number
  length: number
  /**
   * Fraction of requests drawn instead from a Zipf(0.9) over `noiseKeys` other keys, so the loop
   * competes with a skewed background (0 = a pure loop, the pattern that defeats LRU).
   */
  noise?: number
  noiseKeys?: number
  seed: number
}

export function loopTrace(o: LoopOptions): Trace {
  const rng = new Prng(o.seed)
  const noise = o.noise ?? 0
  const noiseKeys = o.noiseKeys ?? o.loopKeys
  const zipf = noise > 0 ? new ZipfSampler(noiseKeys, 0.9) : undefined
  const keys = new Int32Array(o.length)
  let cursor = 0
  for (let i = 0; i < o.length; i++) {
    if (zipf !== undefined && rng.nextFloat() < noise) {
      keys[i] = o.loopKeys + zipf.sample(rng) - 1
    } else {
      keys[i] = cursor
      cursor = cursor + 1 === o.loopKeys ? 0 : cursor + 1
    }
  }
  const name = noise > 0 ? `loop(${o.loopKeys},noise=${noise})` : `loop(${o.loopKeys})`
  return { name, keys, universe: o.loopKeys + (zipf !== undefined ? noiseKeys : 0) }
}
