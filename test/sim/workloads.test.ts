import { describe, expect, it } from 'vitest'
import { loopTrace } from '../../bench/workloads/loop-trace.js'
import { Prng } from '../../bench/workloads/prng.js'
import { scanMixTrace } from '../../bench/workloads/scan-trace.js'
import { shiftingTrace } from '../../bench/workloads/shifting-trace.js'
import { ZipfSampler } from '../../bench/workloads/zipf.js'
import { zipfTrace } from '../../bench/workloads/zipf-trace.js'

const SEED = 7

describe('workload generators', () => {
  it('the PRNG is deterministic per seed and uniform enough', () => {
    const a = new Prng(SEED)
    const b = new Prng(SEED)
    const buckets = new Array<number>(10).fill(0)
    let same = 0
    for (let i = 0; i < 100_000; i++) {
      const x = a.nextFloat()
      if (b.nextFloat() === x) same++
      buckets[Math.floor(x * 10)]!++
    }
    expect(same).toBe(100_000)
    for (const n of buckets) expect(Math.abs(n - 10_000), `seed ${SEED}`).toBeLessThan(500)
  })

  for (const s of [0.6, 0.9, 1.0, 1.2]) {
    it(`Zipf(${s}) sampling matches P(k) ∝ k^-s`, () => {
      const n = 1000
      const z = new ZipfSampler(n, s)
      const rng = new Prng(SEED)
      const counts = new Float64Array(n + 1)
      const draws = 400_000
      for (let i = 0; i < draws; i++) counts[z.sample(rng)]!++
      let norm = 0
      for (let k = 1; k <= n; k++) norm += k ** -s
      for (const k of [1, 2, 5, 10, 100]) {
        const expected = (draws * k ** -s) / norm
        // 5 standard deviations of a binomial count
        expect(Math.abs(counts[k]! - expected), `k=${k} s=${s} seed ${SEED}`).toBeLessThan(5 * Math.sqrt(expected) + 1)
      }
    })
  }

  it('generators are seeded and shaped as documented', () => {
    const z1 = zipfTrace({ keys: 1000, s: 0.9, length: 5000, seed: SEED })
    const z2 = zipfTrace({ keys: 1000, s: 0.9, length: 5000, seed: SEED })
    expect(z1.keys).toEqual(z2.keys)
    expect(Math.max(...z1.keys)).toBeLessThan(1000)

    const loop = loopTrace({ loopKeys: 10, length: 25, seed: SEED })
    expect([...loop.keys.slice(8, 13)]).toEqual([8, 9, 0, 1, 2])

    const scan = scanMixTrace({ keys: 100, s: 1, length: 300, every: 100, scanLength: 50, seed: SEED })
    expect([...scan.keys.slice(100, 103)]).toEqual([100, 101, 102]) // fresh keys after 100 Zipf requests
    expect(scan.keys[250]).toBe(150) // the second scan continues with never-seen keys
    expect(scan.universe).toBe(200)

    const shift = shiftingTrace({ keys: 100, s: 1, length: 400, phase: 200, shift: 100, seed: SEED })
    expect(Math.max(...shift.keys.slice(0, 200))).toBeLessThan(100)
    expect(Math.min(...shift.keys.slice(200))).toBeGreaterThanOrEqual(100)
  })
})
