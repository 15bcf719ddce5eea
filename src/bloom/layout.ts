/**
 * The shared memory of one Bloom filter: a SharedArrayBuffer with a 64-byte header followed by the bit
 * words. Everything a thread needs to use the filter is in the buffer itself, so a handle carries the
 * buffer alone and a thread attaching can not disagree with the creator about m, k or the seed, and the
 * counters are shared by every thread.
 *
 * Header, in 32-bit words (Atomics work on the Int32Array view; unsigned values are read with >>> 0):
 *   0 magic  1 layout version  2 bits m  3 hashes k  4 seed  5 count  6 saturatedAdds  7 reserved
 *   bytes 32..39 expectedItems (f64)  40..47 falsePositiveRate (f64)  48..63 reserved
 */
import { CortadoError } from '../errors.js'
import { MAX_BITS, MAX_HASHES, MIN_BITS, WORD_BITS } from './sizing.js'

export const HEADER_BYTES = 64
export const HEADER_WORDS = HEADER_BYTES / 4
const MAGIC = 0x46424c43 // "CLBF" little-endian
const LAYOUT_VERSION = 1

export const H_BITS = 2
export const H_HASHES = 3
export const H_SEED = 4
/** Adds that set at least one new bit. Never exceeds m, so 32 bits can not overflow. */
export const H_COUNT = 5
/** Of those, the adds made while count was already at or past expectedItems. */
export const H_SATURATED = 6
const F64_EXPECTED_ITEMS = 4
const F64_FALSE_POSITIVE_RATE = 5

export interface FilterShape {
  readonly bits: number
  readonly hashes: number
  readonly seed: number
  readonly expectedItems: number
  readonly falsePositiveRate: number
}

export interface FilterMemory extends FilterShape {
  readonly buffer: SharedArrayBuffer
  /** Header and bits; the bit of index i is bit (i & 31) of word HEADER_WORDS + (i >>> 5). */
  readonly words: Int32Array
}

export function allocate(shape: FilterShape): FilterMemory {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + shape.bits / 8)
  const words = new Int32Array(buffer)
  words[0] = MAGIC
  words[1] = LAYOUT_VERSION
  words[H_BITS] = shape.bits
  words[H_HASHES] = shape.hashes
  words[H_SEED] = shape.seed
  const floats = new Float64Array(buffer, 0, HEADER_WORDS / 2)
  floats[F64_EXPECTED_ITEMS] = shape.expectedItems
  floats[F64_FALSE_POSITIVE_RATE] = shape.falsePositiveRate
  return { ...shape, buffer, words }
}

/** Reads a buffer some thread allocated; throws ERR_INVALID_HANDLE unless it is a filter's memory. */
export function adopt(buffer: unknown): FilterMemory {
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES + MIN_BITS / 8) {
    throw new CortadoError('ERR_INVALID_HANDLE', 'not a Cortado Bloom filter handle: no filter memory in it')
  }
  const words = new Int32Array(buffer)
  if (words[0] !== MAGIC || words[1] !== LAYOUT_VERSION) {
    throw new CortadoError('ERR_INVALID_HANDLE', 'the handle\'s memory is not a Bloom filter of this Cortado version')
  }
  const bits = words[H_BITS]! >>> 0
  const hashes = words[H_HASHES]!
  const floats = new Float64Array(buffer, 0, HEADER_WORDS / 2)
  const expectedItems = floats[F64_EXPECTED_ITEMS]!
  const falsePositiveRate = floats[F64_FALSE_POSITIVE_RATE]!
  const plausible =
    isValidBitCount(bits) &&
    buffer.byteLength === HEADER_BYTES + bits / 8 &&
    hashes >= 1 &&
    hashes <= MAX_HASHES &&
    expectedItems >= 1 &&
    falsePositiveRate > 0 &&
    falsePositiveRate < 1
  if (!plausible) {
    throw new CortadoError('ERR_INVALID_HANDLE', 'the handle\'s filter header is inconsistent')
  }
  return { bits, hashes, seed: words[H_SEED]! >>> 0, expectedItems, falsePositiveRate, buffer, words }
}

export function isValidBitCount(bits: number): boolean {
  return Number.isInteger(bits) && bits >= MIN_BITS && bits <= MAX_BITS && bits % WORD_BITS === 0
}
