import { describe, expect, it } from 'vitest'
import { hashKey } from '../../bench/sim/hash.js'
import { CountMinSketch } from '../../bench/sim/sketch.js'
import { Prng } from '../../bench/workloads/prng.js'
import { ZipfSampler } from '../../bench/workloads/zipf.js'

const SEED = 5

describe('count-min sketch', () => {
  it('never underestimates (until saturation) and stays within the count-min bound', () => {
    const capacity = 1024
    const s = new CountMinSketch(capacity, { sampleFactor: 1000, seed: SEED }) // no halving here
    const rng = new Prng(SEED)
    const zipf = new ZipfSampler(50_000, 0.8)
    const truth = new Map<number, number>()
    const n = 5 * capacity
    for (let i = 0; i < n; i++) {
      const k = zipf.sample(rng)
      truth.set(k, (truth.get(k) ?? 0) + 1)
      s.increment(hashKey(k, SEED))
    }
    // Count-min: estimate ≤ true + e·N/w with probability ≥ 1 − e^-depth per key (w = 4·nextPow2(capacity)).
    const bound = (Math.E * n) / (4 * capacity)
    let over = 0
    for (const [k, c] of truth) {
      const est = s.estimate(hashKey(k, SEED))
      expect(est, `key ${k} seed ${SEED}`).toBeGreaterThanOrEqual(Math.min(15, c))
      if (est > Math.min(15, c + bound)) over++
    }
    expect(over / truth.size, `seed ${SEED}`).toBeLessThan(Math.exp(-4))
  })

  it('halves every counter after sampleFactor × capacity increments', () => {
    const s = new CountMinSketch(64, { sampleFactor: 10, seed: SEED })
    const hot = hashKey(1, SEED)
    for (let i = 0; i < 12; i++) s.increment(hot)
    expect(s.estimate(hot)).toBe(12)
    let k = 1000
    while (s.halvings === 0) s.increment(hashKey(k++, SEED))
    expect(s.estimate(hot)).toBe(6)
  })

  it('a doorkeeper absorbs first sightings and is cleared at each halving', () => {
    const s = new CountMinSketch(64, { sampleFactor: 10, doorkeeper: true, seed: SEED })
    const a = hashKey(1, SEED)
    s.increment(a)
    expect(s.estimate(a)).toBe(1) // doorkeeper bit only
    s.increment(a)
    expect(s.estimate(a)).toBe(2)
    let k = 1000
    while (s.halvings === 0) s.increment(hashKey(k++, SEED))
    expect(s.estimate(a)).toBe(0) // counter 1 halved to 0, doorkeeper reset
  })
})
