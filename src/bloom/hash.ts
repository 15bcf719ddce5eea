/**
 * A seeded 64-bit key hash, produced as two 32-bit halves for double hashing.
 *
 * Two 32-bit lanes absorb each little-endian 4-byte word with different multipliers and rotations, then
 * cross-mix ((a, b) -> (a + b, a + 2b), invertible mod 2^32), so the state is 64 bits wide and neither
 * half can collide alone. The finalizer avalanches both halves. Bloom filters need the halves to behave
 * as independent uniform values: a weak h2 makes the k probes of a key correlated and the measured
 * false-positive rate drifts above the promise (the tests measure that against the prediction).
 *
 * A string hashes as its UTF-8 bytes, so `"café"` and `Buffer.from("café")` are the same key. Strings are
 * read with charCodeAt and encoded on the fly: nothing is allocated per call, and ASCII goes 4 chars per
 * step. Lone surrogates hash as U+FFFD, as TextEncoder would encode them.
 */
import { invalidKey, type BloomKey } from './keys.js'

const M1 = 0xcc9e2d51
const M2 = 0x1b873593
const M3 = 0x85ebca6b
const M4 = 0xc2b2ae35

// Lane state of the hash in progress. Module scope (one copy per thread) keeps the byte-feeding helpers
// allocation-free; hashing is synchronous, so no two hashes ever interleave.
let laneA = 0
let laneB = 0
let pending = 0
let pendingBytes = 0
let byteLength = 0

function begin(seed: number): void {
  laneA = seed | 0
  // A different start for lane B, so equal words do not drive both lanes the same way.
  laneB = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0x6a09e667
  pending = 0
  pendingBytes = 0
  byteLength = 0
}

function absorb(word: number): void {
  let k = Math.imul(word, M1)
  k = (k << 15) | (k >>> 17)
  laneA ^= Math.imul(k, M2)
  laneA = (laneA << 13) | (laneA >>> 19)
  laneA = (Math.imul(laneA, 5) + 0xe6546b64) | 0

  k = Math.imul(word, M3)
  k = (k << 16) | (k >>> 16)
  laneB ^= Math.imul(k, M4)
  laneB = (laneB << 17) | (laneB >>> 15)
  laneB = (Math.imul(laneB, 5) + 0x38495ab5) | 0

  laneA = (laneA + laneB) | 0
  laneB = (laneB + laneA) | 0
}

function pushByte(byte: number): void {
  pending |= byte << (pendingBytes << 3)
  byteLength++
  if (++pendingBytes === 4) {
    absorb(pending)
    pending = 0
    pendingBytes = 0
  }
}

function avalanche(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

function finish(out: Uint32Array): void {
  // The zero-padded tail word is absorbed like any other; the length below tells "ab" from "ab\0".
  if (pendingBytes !== 0) absorb(pending)
  laneA ^= byteLength
  laneB ^= Math.imul(byteLength, 0x9e3779b1)
  laneA = (laneA + laneB) | 0
  laneB = (laneB + laneA) | 0
  laneA = avalanche(laneA)
  laneB = avalanche(laneB)
  laneA = (laneA + laneB) | 0
  laneB = (laneB + laneA) | 0
  out[0] = laneA
  out[1] = laneB
}

/** Hashes the UTF-8 encoding of `key` into `out[0]` (h1) and `out[1]` (h2). */
export function hashString(key: string, seed: number, out: Uint32Array): void {
  begin(seed)
  const length = key.length
  let i = 0
  while (i < length) {
    // Fast path: four ASCII chars make one word, as long as no partial word is pending.
    if (pendingBytes === 0 && i + 4 <= length) {
      const c0 = key.charCodeAt(i)
      const c1 = key.charCodeAt(i + 1)
      const c2 = key.charCodeAt(i + 2)
      const c3 = key.charCodeAt(i + 3)
      if ((c0 | c1 | c2 | c3) < 0x80) {
        absorb(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24))
        byteLength += 4
        i += 4
        continue
      }
    }
    const c = key.charCodeAt(i++)
    if (c < 0x80) {
      pushByte(c)
    } else if (c < 0x800) {
      pushByte(0xc0 | (c >>> 6))
      pushByte(0x80 | (c & 0x3f))
    } else if (c >= 0xd800 && c < 0xdc00 && i < length && (key.charCodeAt(i) & 0xfc00) === 0xdc00) {
      const codePoint = 0x10000 + ((c - 0xd800) << 10) + (key.charCodeAt(i++) - 0xdc00)
      pushByte(0xf0 | (codePoint >>> 18))
      pushByte(0x80 | ((codePoint >>> 12) & 0x3f))
      pushByte(0x80 | ((codePoint >>> 6) & 0x3f))
      pushByte(0x80 | (codePoint & 0x3f))
    } else {
      const unit = (c & 0xf800) === 0xd800 ? 0xfffd : c
      pushByte(0xe0 | (unit >>> 12))
      pushByte(0x80 | ((unit >>> 6) & 0x3f))
      pushByte(0x80 | (unit & 0x3f))
    }
  }
  finish(out)
}

/** Hashes `key`'s bytes into `out[0]` (h1) and `out[1]` (h2). */
export function hashBytes(key: Uint8Array, seed: number, out: Uint32Array): void {
  begin(seed)
  const length = key.length
  const whole = length & ~3
  let i = 0
  for (; i < whole; i += 4) {
    absorb(key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24))
  }
  byteLength = whole
  for (; i < length; i++) pushByte(key[i]!)
  finish(out)
}

/** Hashes a string or byte key; anything else is an ERR_INVALID_KEY. */
export function hashKey(key: BloomKey, seed: number, out: Uint32Array): void {
  if (typeof key === 'string') hashString(key, seed, out)
  else if (key instanceof Uint8Array) hashBytes(key, seed, out)
  else throw invalidKey(key)
}
