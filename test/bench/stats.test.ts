import { describe, expect, it } from 'vitest'
import { median, opsPerSecond, ratio, relativeSpread } from '../../bench/harness/stats.js'

describe('median', () => {
  it('takes the middle of an odd count and the mean of the two middles of an even count', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })

  it('does not reorder its input', () => {
    const xs = [3, 1, 2]
    median(xs)
    expect(xs).toEqual([3, 1, 2])
  })

  it('is not moved by one outlier round', () => {
    expect(median([100, 101, 99, 100, 5])).toBe(100)
  })

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow(RangeError)
  })
})

describe('ratio', () => {
  it('is peer ÷ baseline', () => {
    expect(ratio(150, 100)).toBe(1.5)
    expect(ratio(30, 600)).toBeCloseTo(0.05)
  })

  it('is undefined when a side is missing, zero or not finite', () => {
    expect(ratio(undefined, 1)).toBeUndefined()
    expect(ratio(1, undefined)).toBeUndefined()
    expect(ratio(1, 0)).toBeUndefined()
    expect(ratio(Number.NaN, 1)).toBeUndefined()
    expect(ratio(1, Number.POSITIVE_INFINITY)).toBeUndefined()
  })
})

describe('relativeSpread and opsPerSecond', () => {
  it('spread is (max - min) / median, 0 for fewer than two samples', () => {
    expect(relativeSpread([90, 100, 110])).toBeCloseTo(0.2)
    expect(relativeSpread([42])).toBe(0)
  })

  it('ops per second from nanoseconds', () => {
    expect(opsPerSecond(1_000, 1e6)).toBe(1e6)
    expect(opsPerSecond(5, 0)).toBe(0)
  })
})
