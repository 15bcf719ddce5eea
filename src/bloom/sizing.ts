/**
 * The arithmetic of Bloom filters: how many bits and hash functions a target needs, and what a filter
 * in a given state promises. Pure functions, so the filter, the scalable filter and the decoder agree.
 */
import { CortadoError, shown } from '../errors.js'

const LN2 = Math.LN2
const LN2_SQUARED = LN2 * LN2

/** Bits are stored in 32-bit words; sizes are rounded up to whole words. */
export const WORD_BITS = 32

/**
 * Smallest filter: below this the rounding of k dominates and the promised rate is meaningless.
 */
export const MIN_BITS = 64

/**
 * Largest filter (512 MiB of bits). Bit indexes stay below 2^32, so they fit the unsigned shifts of
 * the probe loop; a filter that needs more is better split (or given a larger rate).
 */
export const MAX_BITS = 2 ** 32 - WORD_BITS

/**
 * k = log2(1/p) can not exceed 1075 for any positive double p (the smallest is 2^-1074), so this bounds
 * what a decoder accepts without rejecting anything the sizing can produce.
 */
export const MAX_HASHES = 1075

/** The size of a Bloom filter for a number of keys and a false-positive rate. */
export interface BloomParameters {
  /** Bits m, rounded up to whole 32-bit words. */
  readonly bits: number
  /** Hash functions k. */
  readonly hashes: number
}

export function validateExpectedItems(n: unknown, what = 'expectedItems'): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 1) {
    throw new CortadoError('ERR_INVALID_OPTION', `${what} must be a finite number >= 1, got ${shown(n)}`)
  }
  return n
}

export function validateFalsePositiveRate(p: unknown, what = 'falsePositiveRate'): number {
  if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0 || p >= 1) {
    throw new CortadoError('ERR_INVALID_OPTION', `${what} must be a number strictly between 0 and 1, got ${shown(p)}`)
  }
  return p
}

export function validateSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new CortadoError('ERR_INVALID_OPTION', `seed must be an integer in [0, 2^32), got ${shown(seed)}`)
  }
  return seed
}

/**
 * Optimal sizing for n items at rate p: m = -n ln p / (ln 2)^2 and k = (m/n) ln 2 = log2(1/p).
 * k is derived from the unrounded m: rounding m up to whole words (or to MIN_BITS) only lowers the
 * rate, whereas feeding the rounded m into k would inflate k for tiny filters.
 */
export function bloomParameters(expectedItems: number, falsePositiveRate: number): BloomParameters {
  const n = validateExpectedItems(expectedItems)
  const p = validateFalsePositiveRate(falsePositiveRate)
  const exactBits = (-n * Math.log(p)) / LN2_SQUARED
  const bits = Math.max(MIN_BITS, Math.ceil(exactBits / WORD_BITS) * WORD_BITS)
  if (!(bits <= MAX_BITS)) {
    throw new CortadoError(
      'ERR_CAPACITY',
      `a Bloom filter for ${n} items at rate ${p} needs ${exactBits.toExponential(3)} bits, ` +
        `more than the ${MAX_BITS} one filter can hold; raise falsePositiveRate or split the key space`,
    )
  }
  const hashes = Math.min(MAX_HASHES, Math.max(1, Math.round((exactBits / n) * LN2)))
  return { bits, hashes }
}

/** Probability that a key never added tests positive when a fraction `fill` of the bits is set. */
export function falsePositiveRateAtFill(fill: number, hashes: number): number {
  return Math.pow(fill, hashes)
}

/** The classical prediction for `items` distinct keys in m bits with k hashes: (1 - e^(-kn/m))^k. */
export function predictedFalsePositiveRate(bits: number, hashes: number, items: number): number {
  return Math.pow(-Math.expm1((-hashes * items) / bits), hashes)
}

/**
 * Estimate of the distinct keys that produced `setBits` set bits (Swamidass & Baldi 2007):
 * n* = -(m/k) ln(1 - X/m). Infinite once every bit is set, which is the honest answer.
 */
export function estimateItems(bits: number, hashes: number, setBits: number): number {
  return (-bits / hashes) * Math.log1p(-setBits / bits)
}
