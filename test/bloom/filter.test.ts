import { describe, expect, it } from 'vitest'
import { BloomFilter } from '../../src/bloom/filter.js'
import { predictedFalsePositiveRate } from '../../src/bloom/sizing.js'
import { isCortadoError } from '../../src/errors.js'
import { TEST_SEED, generator, randomBytesKeys } from './fixtures/random.js'

const seedInfo = `CORTADO_SEED=${TEST_SEED}`

/**
 * Probes needed so that 4 standard deviations of the binomial noise stay within 12% of p: what is left
 * of the 15% tolerance covers the sizing's rounding of k (under 2% for the rates tested here).
 */
function probesFor(p: number): number {
  const relativeSigma = 0.12 / 4
  return Math.ceil((1 - p) / (p * relativeSigma * relativeSigma))
}

describe('BloomFilter false-positive rate at its design capacity', () => {
  const cases = [
    { n: 20_000, p: 0.1, keys: 'sequential strings' },
    { n: 50_000, p: 0.01, keys: 'sequential strings' },
    { n: 30_000, p: 0.02, keys: 'random bytes' },
    { n: 20_000, p: 0.001, keys: 'non-ASCII strings' },
  ] as const

  for (const { n, p, keys } of cases) {
    it(`n=${n}, p=${p}, ${keys}: within 15% of p, close to the prediction, no false negatives`, () => {
      const next = generator(TEST_SEED ^ n)
      const filter = new BloomFilter({ expectedItems: n, falsePositiveRate: p, seed: (next() * 2 ** 32) >>> 0 })
      const makeKey = keyMaker(keys, next)
      const added = Array.from({ length: n }, (_, i) => makeKey('member', i))
      for (const key of added) filter.add(key)

      let falseNegatives = 0
      for (const key of added) if (!filter.has(key)) falseNegatives++
      expect(falseNegatives, seedInfo).toBe(0)

      const probes = probesFor(p)
      let positives = 0
      for (let i = 0; i < probes; i++) if (filter.has(makeKey('probe', i))) positives++
      const measured = positives / probes
      const predicted = predictedFalsePositiveRate(filter.bits, filter.hashes, n)
      const sigma = Math.sqrt((predicted * (1 - predicted)) / probes)
      const report = `${seedInfo} measured=${measured} predicted=${predicted} p=${p} probes=${probes}`
      expect(Math.abs(measured - p) / p, report).toBeLessThanOrEqual(0.15)
      // A hash whose two halves are correlated passes the loose bound above but not this one.
      expect(Math.abs(measured - predicted), report).toBeLessThanOrEqual(4.5 * sigma)
      // The filter's own estimate from its fill agrees with what was measured.
      expect(Math.abs(filter.estimatedFalsePositiveRate() - measured) / p, report).toBeLessThan(0.15)
    })
  }
})

function keyMaker(kind: string, next: () => number): (role: string, i: number) => string | Uint8Array {
  switch (kind) {
    case 'sequential strings':
      return (role, i) => `${role}:${i}`
    case 'non-ASCII strings':
      return (role, i) => `${role === 'member' ? 'clé' : 'ключ'}-${i}-😀`
    default: {
      // Member and probe keys differ in their first byte, so no probe is a member by accident.
      return (role) => {
        const [key] = randomBytesKeys(next, 1, 12)
        key![0] = role === 'member' ? 0 : 1
        return key!
      }
    }
  }
}

describe('BloomFilter sizing and state', () => {
  it('derives m and k from n and p', () => {
    const filter = new BloomFilter({ expectedItems: 1_000_000, falsePositiveRate: 0.01, seed: 1 })
    // m = -n ln p / ln^2 2 = 9,585,058.4 bits, rounded up to whole words; k = log2(100) = 6.64 -> 7.
    expect(filter.bits).toBe(9_585_088)
    expect(filter.hashes).toBe(7)
    expect(filter.byteLength).toBe(64 + 9_585_088 / 8)
  })

  it('a string and its UTF-8 bytes are the same key', () => {
    const filter = new BloomFilter({ expectedItems: 100, falsePositiveRate: 0.01, seed: 5 })
    filter.add('café ☕')
    expect(filter.has(new TextEncoder().encode('café ☕'))).toBe(true)
    filter.add(Buffer.from('naïve'))
    expect(filter.has('naïve')).toBe(true)
  })

  it('counts distinct adds, reports fill and estimates the count', () => {
    const filter = new BloomFilter({ expectedItems: 10_000, falsePositiveRate: 0.01, seed: TEST_SEED })
    expect(filter.add('a')).toBe(true)
    expect(filter.add('a')).toBe(false)
    expect(filter.count).toBe(1)
    for (let i = 1; i < 10_000; i++) filter.add(`k${i}`)
    // At design capacity an optimal filter is about half full.
    expect(filter.fillRatio(), seedInfo).toBeGreaterThan(0.47)
    expect(filter.fillRatio(), seedInfo).toBeLessThan(0.53)
    expect(Math.abs(filter.estimatedItems() - 10_000) / 10_000, seedInfo).toBeLessThan(0.03)
    // A few new keys were already false positives when added; they do not count.
    expect(filter.count, seedInfo).toBeGreaterThan(9_950)
    expect(filter.count, seedInfo).toBeLessThanOrEqual(10_000)
    expect(filter.saturated).toBe(false)
    expect(filter.saturatedAdds).toBe(0)
  })

  it('counts the adds past the design capacity and its rate estimate climbs', () => {
    const filter = new BloomFilter({ expectedItems: 2_000, falsePositiveRate: 0.01, seed: TEST_SEED })
    for (let i = 0; i < 2_000; i++) filter.add(`k${i}`)
    const counted = filter.count
    for (let i = 2_000; i < 4_000; i++) filter.add(`k${i}`)
    expect(filter.saturated).toBe(true)
    // Every distinct add from the moment the count reached n is a saturated one.
    expect(filter.saturatedAdds, seedInfo).toBe(filter.count - 2_000)
    // As the filter overfills, more new keys are already false positives (about 6% on average here).
    expect(filter.count - counted, seedInfo).toBeGreaterThan(1_750)
    expect(filter.count - counted, seedInfo).toBeLessThan(1_990)
    expect(filter.estimatedFalsePositiveRate(), seedInfo).toBeGreaterThan(0.1)
  })

  it('addMany adds all keys and returns the new ones', () => {
    const filter = new BloomFilter({ expectedItems: 1_000, falsePositiveRate: 0.001, seed: 9 })
    expect(filter.addMany(['a', 'b', 'a', new Uint8Array([1, 2])])).toBe(3)
    expect(filter.addMany(new Set(['b', 'c']))).toBe(1)
    for (const key of ['a', 'b', 'c', new Uint8Array([1, 2])]) expect(filter.has(key)).toBe(true)
  })

  it('clear empties bits and counters', () => {
    const filter = new BloomFilter({ expectedItems: 100, falsePositiveRate: 0.01, seed: 2 })
    for (let i = 0; i < 300; i++) filter.add(`k${i}`)
    filter.clear()
    expect(filter.setBits()).toBe(0)
    expect(filter.count).toBe(0)
    expect(filter.saturatedAdds).toBe(0)
    expect(filter.has('k1')).toBe(false)
    expect(filter.add('k1')).toBe(true)
  })

  it('a random seed by default, and the seed changes which keys collide', () => {
    const seeds = new Set(Array.from({ length: 8 }, () => new BloomFilter({ expectedItems: 10, falsePositiveRate: 0.5 }).seed))
    expect(seeds.size).toBeGreaterThan(1)
    const a = new BloomFilter({ expectedItems: 1_000, falsePositiveRate: 0.05, seed: 1 })
    const b = new BloomFilter({ expectedItems: 1_000, falsePositiveRate: 0.05, seed: 2 })
    for (let i = 0; i < 1_000; i++) {
      a.add(`k${i}`)
      b.add(`k${i}`)
    }
    const positivesOf = (filter: BloomFilter) => Array.from({ length: 5_000 }, (_, i) => filter.has(`p${i}`))
    const pa = positivesOf(a)
    const pb = positivesOf(b)
    const both = pa.filter((positive, i) => positive && pb[i]).length
    // Independent seeds: shared false positives are about p^2 of the probes, not p.
    expect(both).toBeLessThan(5_000 * 0.05 * 0.3)
  })
})

describe('BloomFilter errors', () => {
  const invalid: Array<[string, unknown]> = [
    ['n = 0', { expectedItems: 0, falsePositiveRate: 0.01 }],
    ['n < 0', { expectedItems: -5, falsePositiveRate: 0.01 }],
    ['n = NaN', { expectedItems: NaN, falsePositiveRate: 0.01 }],
    ['n = Infinity', { expectedItems: Infinity, falsePositiveRate: 0.01 }],
    ['n a string', { expectedItems: '100', falsePositiveRate: 0.01 }],
    ['p = 0', { expectedItems: 100, falsePositiveRate: 0 }],
    ['p = 1', { expectedItems: 100, falsePositiveRate: 1 }],
    ['p > 1', { expectedItems: 100, falsePositiveRate: 1.5 }],
    ['p = NaN', { expectedItems: 100, falsePositiveRate: NaN }],
    ['p missing', { expectedItems: 100 }],
    ['seed negative', { expectedItems: 100, falsePositiveRate: 0.1, seed: -1 }],
    ['seed fractional', { expectedItems: 100, falsePositiveRate: 0.1, seed: 1.5 }],
    ['no options', undefined],
  ]
  for (const [label, options] of invalid) {
    it(`rejects ${label} with ERR_INVALID_OPTION`, () => {
      expect(() => new BloomFilter(options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    })
  }

  it('rejects a filter too large for one SharedArrayBuffer with ERR_CAPACITY', () => {
    expect(() => new BloomFilter({ expectedItems: 1e12, falsePositiveRate: 0.01 })).toThrow(
      expect.objectContaining({ code: 'ERR_CAPACITY' }),
    )
  })

  it('rejects keys that are not strings or bytes and stays intact', () => {
    // p = 1e-9 so that the "nothing was added" check below can not be fooled by a false positive.
    const filter = new BloomFilter({ expectedItems: 100, falsePositiveRate: 1e-9, seed: 3 })
    filter.add('kept')
    for (const key of [1, null, undefined, {}, ['a'], new Uint16Array(2)]) {
      expect(() => filter.add(key as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
      expect(() => filter.has(key as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    }
    let thrown: unknown
    try {
      filter.addMany(['x', 'y', 42 as never, 'z'])
    } catch (err) {
      thrown = err
    }
    expect(isCortadoError(thrown, 'ERR_INVALID_KEY')).toBe(true)
    // All or nothing: the keys before the bad one were not added either.
    expect(filter.has('x') || filter.has('y')).toBe(false)
    expect(filter.count).toBe(1)
    expect(() => filter.addMany(7 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})
