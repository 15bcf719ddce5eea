import { describe, expect, it } from 'vitest'
import { KEY_BYTES, keyOf, makeKeys, makeValues, nextPow2, opMix, permutation, scatteredZipfIndices, uniformIndices } from '../../bench/harness/data.js'

describe('bench data', () => {
  it('keys are distinct 16-byte ASCII strings, separated by prefix', () => {
    const keys = makeKeys(5000)
    expect(new Set(keys).size).toBe(5000)
    for (const k of keys) expect(Buffer.byteLength(k)).toBe(KEY_BYTES)
    expect(makeKeys(3, 'm').every((k) => k.startsWith('m') && !keys.includes(k))).toBe(true)
  })

  it('keyOf builds the same key as the pool holds, as a new string each call', () => {
    const keys = makeKeys(5000, 'e')
    for (const i of [0, 1, 35, 36, 4999]) expect(keyOf(i, 'e')).toBe(keys[i])
    expect(keyOf(7)).toBe(makeKeys(8)[7])
  })

  it('values are distinct and exactly the requested size, as strings or Buffers', () => {
    const strings = makeValues(100, 'string', 100)
    expect(new Set(strings).size).toBe(100)
    for (const v of strings) expect(Buffer.byteLength(v as string, 'latin1')).toBe(100)
    const buffers = makeValues(3, 'buffer', 4096)
    for (const b of buffers) expect((b as Buffer).length).toBe(4096)
    expect(Buffer.compare(buffers[0] as Buffer, buffers[1] as Buffer)).not.toBe(0)
  })

  it('nextPow2', () => {
    expect([1, 2, 3, 1000, 1024, 1025].map(nextPow2)).toEqual([1, 2, 4, 1024, 1024, 2048])
  })

  it('index sequences stay in range and are reproducible from their seed', () => {
    const u = uniformIndices(10, 1000, 1)
    expect(Math.max(...u)).toBeLessThan(10)
    expect(uniformIndices(10, 1000, 1)).toEqual(u)
    const z = scatteredZipfIndices(100, 0.99, 5000, 2)
    expect(Math.max(...z)).toBeLessThan(100)
    expect(scatteredZipfIndices(100, 0.99, 5000, 2)).toEqual(z)
  })

  it('Zipf sequences with different seeds share the hot keys', () => {
    const hottest = (xs: Uint32Array) => {
      const counts = new Map<number, number>()
      for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1)
      return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
    }
    expect(hottest(scatteredZipfIndices(1000, 0.99, 20_000, 1))).toBe(hottest(scatteredZipfIndices(1000, 0.99, 20_000, 2)))
  })

  it('permutation is a permutation; opMix has about the asked fraction of sets', () => {
    expect([...permutation(50, 3)].sort((a, b) => a - b)).toEqual([...Array(50).keys()])
    const ops = opMix(100_000, 0.1, 4)
    const sets = ops.reduce((a, x) => a + x, 0)
    expect(sets / ops.length).toBeGreaterThan(0.09)
    expect(sets / ops.length).toBeLessThan(0.11)
  })
})
