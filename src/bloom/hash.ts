/**
 * A seeded 64-bit key hash, produced as two 32-bit halves for double hashing.
 *
 * Two 32-bit lanes absorb each little-endian 4-byte word with different multipliers and rotations, then
 * cross-mix ((a, b) -> (a + b, a + 2b), invertible mod 2^32), so the state is 64 bits wide and the
 * halves do not collide together when one of them does. The finalizer avalanches both halves. Bloom
 * filters need the halves to behave as independent uniform values: a weak h2 correlates the k probes of
 * a key and the measured false-positive rate drifts above the promise (the tests measure both).
 *
 * A string hashes as its UTF-8 bytes, so `"café"` and `Buffer.from("café")` are the same key. Strings
 * are copied into a reused scratch buffer first (charCodeAt for ASCII, TextEncoder.encodeInto otherwise,
 * which writes lone surrogates as U+FFFD), so there is one byte loop to keep fast and no allocation per
 * call; the lanes are locals, which V8 keeps in registers.
 */
import { invalidKey, type BloomKey } from './keys.js'

const M1 = 0xcc9e2d51
const M2 = 0x1b873593
const M3 = 0x85ebca6b
const M4 = 0xc2b2ae35

const encoder = new TextEncoder()
// Reused for every string key of this thread (one hash at a time). It grows for long keys up to
// MAX_SCRATCH; a longer key gets a buffer of its own, so one huge key does not pin memory forever.
const MAX_SCRATCH = 64 * 1024
let scratch = new Uint8Array(256)

function scratchFor(bytes: number): Uint8Array {
  if (scratch.length >= bytes) return scratch
  if (bytes > MAX_SCRATCH) return new Uint8Array(bytes)
  scratch = new Uint8Array(2 ** Math.ceil(Math.log2(bytes)))
  return scratch
}

/** Hashes `bytes[0, length)` into `out[0]` (h1) and `out[1]` (h2). */
export function hashBytes(bytes: Uint8Array, seed: number, out: Uint32Array, length = bytes.length): void {
  let a = seed | 0
  // A different start for lane B, so equal words do not drive both lanes the same way.
  let b = Math.imul(seed ^ 0x9e3779b9, M3) ^ 0x6a09e667
  const whole = length & ~3
  for (let i = 0; i <= whole; i += 4) {
    let word: number
    if (i < whole) {
      word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)
    } else if (i < length) {
      // The zero-padded tail is absorbed like any word; the length below tells "ab" from "ab\0".
      word = 0
      for (let j = length - 1; j >= i; j--) word = (word << 8) | bytes[j]!
    } else {
      break
    }
    let k = Math.imul(word, M1)
    k = (k << 15) | (k >>> 17)
    a ^= Math.imul(k, M2)
    a = (a << 13) | (a >>> 19)
    a = (Math.imul(a, 5) + 0xe6546b64) | 0
    k = Math.imul(word, M3)
    k = (k << 16) | (k >>> 16)
    b ^= Math.imul(k, M4)
    b = (b << 17) | (b >>> 15)
    b = (Math.imul(b, 5) + 0x38495ab5) | 0
    a = (a + b) | 0
    b = (b + a) | 0
  }
  a ^= length
  b ^= Math.imul(length, 0x9e3779b1)
  a = (a + b) | 0
  b = (b + a) | 0
  a = avalanche(a)
  b = avalanche(b)
  a = (a + b) | 0
  out[0] = a
  out[1] = (b + a) | 0
}

/** Hashes the UTF-8 encoding of `key` into `out[0]` (h1) and `out[1]` (h2). */
export function hashString(key: string, seed: number, out: Uint32Array): void {
  const length = key.length
  const bytes = scratchFor(length)
  for (let i = 0; i < length; i++) {
    const c = key.charCodeAt(i)
    if (c >= 0x80) {
      // Not ASCII: let the engine encode (at most 3 bytes per UTF-16 unit).
      const utf8 = scratchFor(length * 3)
      hashBytes(utf8, seed, out, encoder.encodeInto(key, utf8).written)
      return
    }
    bytes[i] = c
  }
  hashBytes(bytes, seed, out, length)
}

/** Hashes a string or byte key; anything else is an ERR_INVALID_KEY. */
export function hashKey(key: BloomKey, seed: number, out: Uint32Array): void {
  if (typeof key === 'string') hashString(key, seed, out)
  else if (key instanceof Uint8Array) hashBytes(key, seed, out)
  else throw invalidKey(key)
}

function avalanche(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, M3)
  h ^= h >>> 13
  h = Math.imul(h, M4)
  return h ^ (h >>> 16)
}
