/** The engine's count-min sketch: never below the truth, within its error bound, and ageing. */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { probeSketch } from './probe.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'

describe('frequency sketch (engine)', () => {
  it('estimates are never below the true count (up to 15) and rarely far above it', () => {
    const seed = testSeed(5)
    const C = 2000
    const cache = new Cache<string>({ maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed })
    const rng = new Prng(seed)
    const truth = new Map<string, number>()
    // 300 keys with 1..12 writes each: 1,950 increments, well under the ageing sample (10 x C).
    for (let k = 0; k < 300; k++) truth.set(`key-${k}`, 1 + rng.nextInt(12))
    for (const [k, n] of truth) for (let i = 0; i < n; i++) cache.set(k, 'v')
    let over = 0
    for (const [k, n] of truth) {
      const e = probeSketch(cache as Cache<unknown>, k).estimate
      expect(e, `${k}: estimate ${e}, truth ${n}, seed ${seed}`).toBeGreaterThanOrEqual(n)
      if (e > n + 2) over++
    }
    // Count-min: overestimates come only from keys sharing all four counters; with ~8 counters per
    // entry of capacity and 300 keys, few estimates are off by more than 2.
    expect(over, `seed ${seed}`).toBeLessThan(15)
  })

  it('halves every counter after a sample of 10 x capacity increments', () => {
    const seed = testSeed(6)
    const C = 1000
    const cache = new Cache<string>({ maxBytes: 8 << 20, maxEntries: C, codec: 'string', seed })
    for (let i = 0; i < 14; i++) cache.set('hot', 'v')
    expect(probeSketch(cache as Cache<unknown>, 'hot').estimate).toBeGreaterThanOrEqual(14)
    // Enough other increments to pass the sample at least once (the shard's capacity is ~C).
    for (let i = 0; i < 14 * C; i++) cache.set(`other-${i % 5000}`, 'v')
    const after = probeSketch(cache as Cache<unknown>, 'hot').estimate
    expect(after, `seed ${seed}`).toBeLessThanOrEqual(8)
  })
})
