import { describe, expect, it } from 'vitest'
import { BloomFilter } from '../../src/bloom/filter.js'
import { ScalableBloomFilter } from '../../src/bloom/scalable.js'
import { crc32 } from '../../src/crc32.js'
import { TEST_SEED, generator } from './fixtures/random.js'

const seedInfo = `CORTADO_SEED=${TEST_SEED}`

function filled(): BloomFilter {
  const filter = new BloomFilter({ expectedItems: 3_000, falsePositiveRate: 0.01, seed: TEST_SEED })
  for (let i = 0; i < 3_500; i++) filter.add(`k${i}`)
  return filter
}

/** Keys k0..k(added-1) missing from the copy, and probes on which copy and original disagree. */
function disagreements(copy: { has(key: string): boolean }, original: { has(key: string): boolean }, added: number) {
  let missing = 0
  let differing = 0
  for (let i = 0; i < added; i++) if (!copy.has(`k${i}`)) missing++
  for (let i = 0; i < 20_000; i++) if (copy.has(`p${i}`) !== original.has(`p${i}`)) differing++
  return { missing, differing }
}

function expectBadFile(fn: () => unknown, message?: RegExp): void {
  expect(fn).toThrow(expect.objectContaining({ code: 'ERR_BAD_FILE', ...(message ? { message: expect.stringMatching(message) } : {}) }))
}

describe('BloomFilter bytes', () => {
  it('round-trip: same answers, parameters and counters, in new memory', () => {
    const filter = filled()
    const copy = BloomFilter.fromBytes(filter.toBytes())
    for (const field of ['bits', 'hashes', 'seed', 'expectedItems', 'falsePositiveRate', 'count', 'saturatedAdds'] as const) {
      expect(copy[field], field).toBe(filter[field])
    }
    expect(copy.setBits()).toBe(filter.setBits())
    expect(disagreements(copy, filter, 3_500)).toEqual({ missing: 0, differing: 0 })
    expect(copy.handle.buffer).not.toBe(filter.handle.buffer)
    copy.add('only in the copy')
    expect(filter.has('only in the copy')).toBe(false)
    expect(copy.toBytes()).not.toEqual(filter.toBytes())
  })

  it('the format is stable: the checksum is a standard CRC-32 and the bytes are deterministic', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    const a = new BloomFilter({ expectedItems: 10, falsePositiveRate: 0.1, seed: 42 })
    const b = new BloomFilter({ expectedItems: 10, falsePositiveRate: 0.1, seed: 42 })
    a.addMany(['x', 'y'])
    b.addMany(['y', 'x'])
    const bytes = a.toBytes()
    expect(bytes).toEqual(b.toBytes())
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('CTBF')
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
    expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes, 0, bytes.length - 4))
  })

  it('accepts bytes at any offset of a larger buffer (a Buffer slice)', () => {
    const bytes = filled().toBytes()
    const padded = Buffer.alloc(bytes.length + 11)
    padded.set(bytes, 7)
    expect(BloomFilter.fromBytes(padded.subarray(7, 7 + bytes.length)).has('k1')).toBe(true)
  })

  it('rejects every truncation and every trailing garbage with ERR_BAD_FILE', () => {
    const bytes = filled().toBytes()
    for (const length of [0, 3, 4, 11, 15, 16, 51, 52, bytes.length - 5, bytes.length - 1]) {
      expectBadFile(() => BloomFilter.fromBytes(bytes.subarray(0, length)))
    }
    const longer = new Uint8Array(bytes.length + 1)
    longer.set(bytes)
    expectBadFile(() => BloomFilter.fromBytes(longer), /unexpected bytes/)
  })

  it('rejects any single flipped bit, in header, bits or checksum, and leaves the input as it was', () => {
    const bytes = filled().toBytes()
    const original = bytes.slice()
    const next = generator(TEST_SEED)
    const positions = [0, 4, 6, 8, 12, 16, 24, 36, 44, 52, 53, bytes.length - 4, bytes.length - 1]
    for (let i = 0; i < 40; i++) positions.push(Math.floor(next() * bytes.length))
    for (const at of positions) {
      const bit = 1 << Math.floor(next() * 8)
      bytes[at]! ^= bit
      expectBadFile(() => BloomFilter.fromBytes(bytes))
      bytes[at]! ^= bit
    }
    expect(bytes, seedInfo).toEqual(original)
  })

  // Offsets: 12-byte envelope, then bits 12, hashes 16, seed 20, count 24, saturated 28, n 36, p 44.
  const fields: Array<[string, (view: DataView) => void, RegExp]> = [
    ['version', (v) => v.setUint16(4, 2, true), /version 2/],
    ['kind', (v) => v.setUint8(6, 9), /unknown filter kind/],
    ['bits', (v) => v.setUint32(12, 1000, true), /bit count/],
    ['hashes', (v) => v.setUint32(16, 0, true), /hash count/],
    ['count', (v) => v.setUint32(24, 2 ** 31, true), /counters/],
    ['expectedItems', (v) => v.setFloat64(36, 0, true), /expectedItems/],
    ['falsePositiveRate', (v) => v.setFloat64(44, 1.5, true), /falsePositiveRate/],
  ]
  it.each(fields)('checks the %s field even when the checksum is right', (_, mutate, message) => {
    const bytes = filled().toBytes()
    mutate(new DataView(bytes.buffer))
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true)
    expectBadFile(() => BloomFilter.fromBytes(bytes), message)
  })

  it('tells the two kinds apart and refuses what is not bytes', () => {
    const scalable = new ScalableBloomFilter({ initialCapacity: 100, falsePositiveRate: 0.01, seed: 1 })
    expectBadFile(() => BloomFilter.fromBytes(scalable.toBytes()), /ScalableBloomFilter\.fromBytes/)
    expectBadFile(() => ScalableBloomFilter.fromBytes(filled().toBytes()), /BloomFilter\.fromBytes/)
    expectBadFile(() => BloomFilter.fromBytes(new TextEncoder().encode('definitely not a filter')), /magic/)
    expect(() => BloomFilter.fromBytes('CTBF' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})

describe('ScalableBloomFilter bytes', () => {
  function grown(): ScalableBloomFilter {
    const filter = new ScalableBloomFilter({ initialCapacity: 500, falsePositiveRate: 0.01, seed: TEST_SEED })
    for (let i = 0; i < 4_000; i++) filter.add(`k${i}`)
    return filter
  }

  it('round-trip keeps every stage, the answers and the growth', () => {
    const filter = grown()
    const copy = ScalableBloomFilter.fromBytes(filter.toBytes())
    expect(copy.filterCount).toBe(filter.filterCount)
    expect(copy.count).toBe(filter.count)
    expect(copy.bits).toBe(filter.bits)
    expect(copy.seed).toBe(filter.seed)
    expect(disagreements(copy, filter, 4_000)).toEqual({ missing: 0, differing: 0 })
    // The copy keeps growing exactly like the original.
    for (let i = 4_000; i < 12_000; i++) {
      filter.add(`k${i}`)
      copy.add(`k${i}`)
    }
    expect(copy.toBytes()).toEqual(filter.toBytes())
  })

  it('rejects truncation, corruption and inconsistent stages with ERR_BAD_FILE', () => {
    const bytes = grown().toBytes()
    for (const length of [10, 40, 60, 100, bytes.length - 1]) expectBadFile(() => ScalableBloomFilter.fromBytes(bytes.subarray(0, length)))
    const next = generator(TEST_SEED + 1)
    for (let i = 0; i < 30; i++) {
      const at = Math.floor(next() * bytes.length)
      bytes[at]! ^= 0x10
      expectBadFile(() => ScalableBloomFilter.fromBytes(bytes))
      bytes[at]! ^= 0x10
    }
    // A valid inner filter with another seed spliced in: each part is intact, the whole is not.
    const other = new ScalableBloomFilter({ initialCapacity: 500, falsePositiveRate: 0.01, seed: TEST_SEED + 1 }).toBytes()
    const firstInner = 12 + 40 + 4 // envelope, scalable header, length of inner filter 0
    const innerLength = new DataView(other.buffer).getUint32(firstInner - 4, true)
    expect(new DataView(bytes.buffer).getUint32(firstInner - 4, true)).toBe(innerLength)
    bytes.set(other.subarray(firstInner, firstInner + innerLength), firstInner)
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true)
    expectBadFile(() => ScalableBloomFilter.fromBytes(bytes), /does not match/)
  })
})
