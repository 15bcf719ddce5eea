import { describe, expect, it } from 'vitest'
import { hashBytes, hashKey, hashString } from '../../src/bloom/hash.js'
import { TEST_SEED, generator, randomBytesKeys } from './fixtures/random.js'

const seedInfo = `CORTADO_SEED=${TEST_SEED}`
const out = new Uint32Array(2)

function hashOf(key: string | Uint8Array, seed = 1): [number, number] {
  hashKey(key, seed, out)
  return [out[0]!, out[1]!]
}

/** Random strings over ASCII, Latin-1, BMP, astral and lone-surrogate code units. */
function randomString(next: () => number): string {
  const ranges = [[0x20, 0x7f], [0x80, 0x7ff], [0x800, 0xd7ff], [0xd800, 0xdfff], [0xe000, 0xffff]]
  let text = ''
  const length = Math.floor(next() * 12)
  for (let i = 0; i < length; i++) {
    const [lo, hi] = ranges[Math.floor(next() * ranges.length)]!
    if (next() < 0.2) text += String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff))
    else text += String.fromCharCode(lo! + Math.floor(next() * (hi! - lo!)))
  }
  return text
}

describe('key hash', () => {
  it('a string hashes exactly as its UTF-8 bytes (TextEncoder), lone surrogates included', () => {
    const next = generator(TEST_SEED)
    const encoder = new TextEncoder()
    const bytesOut = new Uint32Array(2)
    for (let i = 0; i < 3_000; i++) {
      const text = randomString(next)
      hashString(text, 99, out)
      hashBytes(encoder.encode(text), 99, bytesOut)
      expect([out[0], out[1]], `${seedInfo} ${JSON.stringify(text)}`).toEqual([bytesOut[0], bytesOut[1]])
    }
  })

  it('long keys (past the reused scratch buffer) hash as their bytes, and repeatably', () => {
    const encoder = new TextEncoder()
    const bytesOut = new Uint32Array(2)
    for (const text of ['a'.repeat(300), 'k'.repeat(70_000), 'é'.repeat(30_000), `${'x'.repeat(100)}😀`]) {
      hashString(text, 3, out)
      const first = [out[0], out[1]]
      hashString('short', 3, out)
      hashString(text, 3, out)
      expect([out[0], out[1]]).toEqual(first)
      hashBytes(encoder.encode(text), 3, bytesOut)
      expect([bytesOut[0], bytesOut[1]]).toEqual(first)
    }
  })

  it('length, seed and every byte position matter', () => {
    const seen = new Set<string>()
    const keys = ['', '\0', '\0\0', 'a', 'a\0', 'ab', 'ba', 'abcd', 'abcde', 'abcd\0', 'bcda']
    for (const key of keys) seen.add(hashOf(key).join())
    expect(seen.size).toBe(keys.length)
    expect(hashOf('key', 1)).not.toEqual(hashOf('key', 2))
  })

  it('avalanche: flipping one input bit flips each output bit with probability ~1/2', () => {
    const next = generator(TEST_SEED + 7)
    const keys = randomBytesKeys(next, 300, 13)
    const flips = new Array<number>(64).fill(0)
    let trials = 0
    for (const key of keys) {
      const [a, b] = hashOf(key)
      for (let bit = 0; bit < key.length * 8; bit++) {
        key[bit >>> 3]! ^= 1 << (bit & 7)
        const [c, d] = hashOf(key)
        key[bit >>> 3]! ^= 1 << (bit & 7)
        for (let j = 0; j < 32; j++) {
          flips[j]! += ((a ^ c) >>> j) & 1
          flips[32 + j]! += ((b ^ d) >>> j) & 1
        }
        trials++
      }
    }
    // 31,200 trials: a sound hash stays within +-1.5% of 1/2 (sigma 0.28%); weak mixing lands far off.
    for (let j = 0; j < 64; j++) expect(Math.abs(flips[j]! / trials - 0.5), `${seedInfo} output bit ${j}`).toBeLessThan(0.015)
  })

  it('sequential keys spread uniformly, and the two halves are independent (chi-square)', () => {
    const keys = 64_000
    const single = [new Float64Array(1024), new Float64Array(1024)]
    const joint = new Float64Array(1024)
    for (let i = 0; i < keys; i++) {
      const [h1, h2] = hashOf(`user:${i}`, TEST_SEED)
      single[0]![h1 % 1024]!++
      single[1]![h2 % 1024]!++
      // The joint distribution of 5 high bits of h1 and 5 low bits of h2: double hashing needs both.
      joint[((h1 >>> 27) << 5) | (h2 & 31)]!++
    }
    const chiSquare = (counts: Float64Array) => {
      const expected = keys / counts.length
      let sum = 0
      for (const count of counts) sum += (count - expected) ** 2 / expected
      return sum
    }
    // 1023 degrees of freedom: mean 1023, sd 45. 1023 + 5 sd is far beyond chance.
    for (const counts of [...single, joint]) expect(chiSquare(counts), seedInfo).toBeLessThan(1023 + 5 * 45)
  })

  it('is 64 bits wide: keys that collide on h1 still differ on h2', () => {
    // 300,000 keys make ~10 collisions of a 32-bit half (birthday bound) and ~0 of the whole 64 bits.
    // A hash whose h2 is a function of h1 (only 32 bits of entropy) fails here.
    const keys = 300_000
    const byH1 = new Map<number, number>()
    let h1Collisions = 0
    let fullCollisions = 0
    for (let i = 0; i < keys; i++) {
      const [h1, h2] = hashOf(`order:${i}`, TEST_SEED)
      const previous = byH1.get(h1)
      if (previous !== undefined) {
        h1Collisions++
        if (previous === h2) fullCollisions++
      }
      byH1.set(h1, h2)
    }
    const expected = (keys * (keys - 1)) / 2 / 2 ** 32
    expect(h1Collisions, `${seedInfo} expected about ${expected.toFixed(1)}`).toBeGreaterThanOrEqual(1)
    expect(h1Collisions, `${seedInfo} expected about ${expected.toFixed(1)}`).toBeLessThanOrEqual(30)
    expect(fullCollisions, seedInfo).toBe(0)
  })
})
