import { describe, expect, it } from 'vitest'
import { ScalableBloomFilter } from '../../src/bloom/scalable.js'
import { TEST_SEED } from './fixtures/random.js'

const seedInfo = `CORTADO_SEED=${TEST_SEED}`

function measure(filter: ScalableBloomFilter, probes: number): number {
  let positives = 0
  for (let i = 0; i < probes; i++) if (filter.has(`probe:${i}`)) positives++
  return positives / probes
}

describe('ScalableBloomFilter keeps its bound however many keys arrive', () => {
  const cases = [
    { n0: 2_000, p: 0.01, growthFactor: 2, tighteningRatio: 0.85, times: 10 },
    { n0: 1_000, p: 0.02, growthFactor: 4, tighteningRatio: 0.5, times: 10 },
    { n0: 200, p: 0.05, growthFactor: 2, tighteningRatio: 0.9, times: 100 },
  ]
  for (const { n0, p, growthFactor, tighteningRatio, times } of cases) {
    it(`n0=${n0} p=${p} s=${growthFactor} r=${tighteningRatio}: under p at ${times}x the initial capacity`, () => {
      const filter = new ScalableBloomFilter({ initialCapacity: n0, falsePositiveRate: p, growthFactor, tighteningRatio, seed: TEST_SEED })
      const total = n0 * times
      for (let i = 0; i < total; i++) filter.add(`member:${i}`)
      let falseNegatives = 0
      for (let i = 0; i < total; i++) if (!filter.has(`member:${i}`)) falseNegatives++
      expect(falseNegatives, seedInfo).toBe(0)

      // Enough probes that 3 standard deviations are 10% of p: "under p" is then a real measurement.
      const probes = Math.ceil((9 * (1 - p)) / (p * 0.01))
      const measured = measure(filter, probes)
      const report = `${seedInfo} measured=${measured} p=${p} filters=${filter.filterCount}`
      expect(measured, report).toBeLessThan(p)
      expect(filter.estimatedFalsePositiveRate(), report).toBeLessThan(p)
      // Keys that were already false positives are not added again, so count falls short by under p.
      expect(filter.count, report).toBeGreaterThan(total * (1 - p))
      // The growth is geometric: a stage is added only when the last one is full.
      let stages = 0
      for (let held = 0; held < filter.count; stages++) held += Math.ceil(n0 * growthFactor ** stages)
      expect(filter.filterCount, report).toBe(stages)
    })
  }

})

describe('ScalableBloomFilter behaviour', () => {
  it('repeated keys do not grow it; clear starts over with one filter', () => {
    const filter = new ScalableBloomFilter({ initialCapacity: 100, falsePositiveRate: 0.01, seed: 1 })
    for (let round = 0; round < 20; round++) for (let i = 0; i < 100; i++) filter.add(`k${i}`)
    expect(filter.filterCount).toBe(1)
    expect(filter.add('k1')).toBe(false)
    for (let i = 100; i < 1_000; i++) filter.add(`k${i}`)
    expect(filter.filterCount).toBeGreaterThan(1)
    const grownBytes = filter.byteLength
    filter.clear()
    expect(filter.filterCount).toBe(1)
    expect(filter.count).toBe(0)
    expect(filter.byteLength).toBeLessThan(grownBytes)
    expect(filter.has('k1')).toBe(false)
  })

  it('a failed growth (ERR_CAPACITY) leaves the filter as it was', () => {
    const filter = new ScalableBloomFilter({ initialCapacity: 1_000, falsePositiveRate: 0.01, growthFactor: 1e9, seed: 7 })
    for (let i = 0; i < 1_000; i++) filter.add(`k${i}`)
    const before = { count: filter.count, filters: filter.filterCount, bytes: filter.toBytes() }
    expect(() => filter.add('new key')).toThrow(expect.objectContaining({ code: 'ERR_CAPACITY' }))
    expect(filter.count).toBe(before.count)
    expect(filter.filterCount).toBe(before.filters)
    expect(filter.toBytes()).toEqual(before.bytes)
    expect(filter.has('k5')).toBe(true)
  })

  it('addMany is all or nothing', () => {
    const filter = new ScalableBloomFilter({ initialCapacity: 10, falsePositiveRate: 1e-9, seed: 3 })
    expect(() => filter.addMany(['a', 'b', {} as never])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect(filter.count).toBe(0)
    expect(filter.addMany(['a', 'b', 'a', Buffer.from('c')])).toBe(3)
    expect(filter.has('c')).toBe(true)
  })

  const invalid: Array<[string, Record<string, unknown>]> = [
    ['initialCapacity 0', { initialCapacity: 0, falsePositiveRate: 0.01 }],
    ['initialCapacity NaN', { initialCapacity: NaN, falsePositiveRate: 0.01 }],
    ['falsePositiveRate 0', { initialCapacity: 10, falsePositiveRate: 0 }],
    ['falsePositiveRate 1', { initialCapacity: 10, falsePositiveRate: 1 }],
    ['growthFactor 0.5', { initialCapacity: 10, falsePositiveRate: 0.01, growthFactor: 0.5 }],
    ['growthFactor Infinity', { initialCapacity: 10, falsePositiveRate: 0.01, growthFactor: Infinity }],
    ['tighteningRatio 0', { initialCapacity: 10, falsePositiveRate: 0.01, tighteningRatio: 0 }],
    ['tighteningRatio 1', { initialCapacity: 10, falsePositiveRate: 0.01, tighteningRatio: 1 }],
    ['tighteningRatio NaN', { initialCapacity: 10, falsePositiveRate: 0.01, tighteningRatio: NaN }],
    ['seed 2^32', { initialCapacity: 10, falsePositiveRate: 0.01, seed: 2 ** 32 }],
  ]
  it.each(invalid)('rejects %s with ERR_INVALID_OPTION', (_, options) => {
    expect(() => new ScalableBloomFilter(options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})
