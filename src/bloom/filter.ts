/**
 * A fixed-size Bloom filter over shared memory: "definitely not added" or "probably added".
 *
 * The k bit indexes of a key come from one 64-bit hash by enhanced double hashing
 * (x += y; y += i, Dillinger & Manolios 2004), the Kirsch–Mitzenmacher construction with a correction
 * that keeps the probes distinct when y happens to share a factor with m. Asymptotically this is as good
 * as k independent hashes and costs one hash per key.
 *
 * Bits are set with Atomics.or, so adds from many threads never overwrite each other. Reads are plain:
 * bits only go from 0 to 1 (until `clear`), so a racing reader sees either state and both are correct.
 */
import { randomInt } from 'node:crypto'
import { CortadoError } from '../errors.js'
import { decodeFilter, encodeFilter } from './codec.js'
import { hashKey } from './hash.js'
import { toKeyList, type BloomKey } from './keys.js'
import { HEADER_BYTES, HEADER_WORDS, H_COUNT, H_SATURATED, adopt, allocate, type FilterMemory } from './layout.js'
import {
  bloomParameters,
  estimateItems,
  falsePositiveRateAtFill,
  validateExpectedItems,
  validateFalsePositiveRate,
  validateSeed,
} from './sizing.js'

export interface BloomFilterOptions {
  /** How many distinct keys the filter is sized for (n). */
  expectedItems: number
  /** The false-positive rate to hold at `expectedItems` keys (p), strictly between 0 and 1. */
  falsePositiveRate: number
  /**
   * Seed of the key hash. Default: random, so nobody can precompute keys that collide; it travels with
   * the handle and the bytes, so every copy of the filter agrees.
   */
  seed?: number
}

/** Structured-cloneable: post it to a worker and `BloomFilter.attach` it there. */
export interface BloomFilterHandle {
  /** Marks the object as a Bloom filter handle. */
  readonly kind: 'cortado-bloom-filter'
  /** Handle format version. */
  readonly version: 1
  /** The shared memory holding the filter. */
  readonly buffer: SharedArrayBuffer
}

const HANDLE_KIND = 'cortado-bloom-filter'
const HANDLE_VERSION = 1

/** Constructor argument for memory that already exists (attach, fromBytes); not exported. */
class Adopted {
  constructor(readonly memory: FilterMemory) {}
}

function allocateFor(options: BloomFilterOptions): FilterMemory {
  if (options === null || typeof options !== 'object') {
    throw new CortadoError('ERR_INVALID_OPTION', 'BloomFilter options must be an object with expectedItems and falsePositiveRate')
  }
  const expectedItems = validateExpectedItems(options.expectedItems)
  const falsePositiveRate = validateFalsePositiveRate(options.falsePositiveRate)
  const seed = options.seed === undefined ? randomInt(0, 2 ** 32) : validateSeed(options.seed)
  const { bits, hashes } = bloomParameters(expectedItems, falsePositiveRate)
  return allocate({ bits, hashes, seed, expectedItems, falsePositiveRate })
}

// One hash at a time per thread, so one scratch pair per thread serves every filter.
const scratch = new Uint32Array(2)

export class BloomFilter {
  /** Bits m (a multiple of 32). */
  readonly bits: number
  /** Hash functions k: the bits set and tested per key. */
  readonly hashes: number
  /** Seed of the key hash: filters that must agree (merged, shipped as bytes) need the same one. */
  readonly seed: number
  /** The design n. */
  readonly expectedItems: number
  /** The design p, the rate promised at `expectedItems` distinct keys. */
  readonly falsePositiveRate: number
  readonly #memory: FilterMemory
  readonly #words: Int32Array

  constructor(options: BloomFilterOptions) {
    const memory = options instanceof Adopted ? options.memory : allocateFor(options)
    this.#memory = memory
    this.#words = memory.words
    this.bits = memory.bits
    this.hashes = memory.hashes
    this.seed = memory.seed
    this.expectedItems = memory.expectedItems
    this.falsePositiveRate = memory.falsePositiveRate
  }

  /** A filter over the same shared bits as the one whose `handle` this is (any thread of the process). */
  static attach(handle: BloomFilterHandle): BloomFilter {
    if (handle === null || typeof handle !== 'object' || handle.kind !== HANDLE_KIND) {
      throw new CortadoError('ERR_INVALID_HANDLE', 'not a Cortado Bloom filter handle')
    }
    if (handle.version !== HANDLE_VERSION) {
      throw new CortadoError('ERR_INVALID_HANDLE', `Bloom filter handle version ${String(handle.version)} is not supported`)
    }
    return BloomFilter.#over(adopt(handle.buffer))
  }

  /** A new filter (in new memory) from `toBytes()` output; ERR_BAD_FILE if the bytes are not intact. */
  static fromBytes(bytes: Uint8Array): BloomFilter {
    const decoded = decodeFilter(bytes)
    const memory = allocate(decoded.shape)
    new Uint8Array(memory.buffer, HEADER_BYTES).set(decoded.bitBytes)
    memory.words[H_COUNT] = decoded.count
    memory.words[H_SATURATED] = decoded.saturatedAdds
    return BloomFilter.#over(memory)
  }

  static #over(memory: FilterMemory): BloomFilter {
    return new BloomFilter(new Adopted(memory) as unknown as BloomFilterOptions)
  }

  /** A structured-cloneable description for `postMessage`: `BloomFilter.attach(handle)` in another thread shares the same bits. */
  get handle(): BloomFilterHandle {
    return { kind: HANDLE_KIND, version: HANDLE_VERSION, buffer: this.#memory.buffer }
  }

  /** Bytes of shared memory the filter occupies. */
  get byteLength(): number {
    return this.#memory.buffer.byteLength
  }

  /**
   * Adds that set at least one new bit, across every thread: the number of distinct keys added, short
   * of the keys that were already false positives (and approximate while threads add the same key).
   */
  get count(): number {
    return Atomics.load(this.#words, H_COUNT) >>> 0
  }

  /** Of `count`, the keys added after the filter already held `expectedItems`: a sizing alarm. */
  get saturatedAdds(): number {
    return Atomics.load(this.#words, H_SATURATED) >>> 0
  }

  /** True once more distinct keys than `expectedItems` were added; the rate is then above the promise. */
  get saturated(): boolean {
    return this.count > this.expectedItems
  }

  /** Adds a key. Returns true if it was not (probably) there before. */
  add(key: BloomKey): boolean {
    hashKey(key, this.seed, scratch)
    return this.addHashed(scratch[0]!, scratch[1]!)
  }

  /** False: the key was never added. True: it probably was (wrong with the false-positive rate). */
  has(key: BloomKey): boolean {
    hashKey(key, this.seed, scratch)
    return this.hasHashed(scratch[0]!, scratch[1]!)
  }

  /** Adds every key; returns how many were new. An invalid key throws before anything is added. */
  addMany(keys: Iterable<BloomKey>): number {
    const list = toKeyList(keys)
    let added = 0
    for (let i = 0; i < list.length; i++) if (this.add(list[i]!)) added++
    return added
  }

  /**
   * Empties the filter. Not atomic with respect to other threads: adds racing a clear may or may not
   * survive it, so quiesce writers first if that matters.
   */
  clear(): void {
    this.#words.fill(0, HEADER_WORDS)
    Atomics.store(this.#words, H_COUNT, 0)
    Atomics.store(this.#words, H_SATURATED, 0)
  }

  /** Number of bits set (a scan of the whole filter). */
  setBits(): number {
    const words = this.#words
    let total = 0
    for (let i = HEADER_WORDS; i < words.length; i++) total += popcount(words[i]!)
    return total
  }

  /** Fraction of bits set, 0..1 (a scan). About 0.5 at `expectedItems` keys for an optimal filter. */
  fillRatio(): number {
    return this.setBits() / this.bits
  }

  /** The false-positive rate the filter has now, from its fill: fill^k (a scan). */
  estimatedFalsePositiveRate(): number {
    return falsePositiveRateAtFill(this.fillRatio(), this.hashes)
  }

  /** Distinct keys estimated from the fill (a scan); Infinity once every bit is set. */
  estimatedItems(): number {
    return estimateItems(this.bits, this.hashes, this.setBits())
  }

  /**
   * The filter as bytes (magic, version, checksum). While other threads add, the copy holds at least
   * every bit set before the call.
   */
  toBytes(): Uint8Array {
    return encodeFilter(this.#memory)
  }

  /** @internal Tests the probes of an already computed hash (the scalable filter hashes once for all). */
  hasHashed(h1: number, h2: number): boolean {
    return this.#probe(h1, h2, false)
  }

  /** @internal Sets the probes of an already computed hash; true if any bit was new. */
  addHashed(h1: number, h2: number): boolean {
    const fresh = this.#probe(h1, h2, true)
    if (fresh && (Atomics.add(this.#words, H_COUNT, 1) >>> 0) >= this.expectedItems) Atomics.add(this.#words, H_SATURATED, 1)
    return fresh
  }

  /**
   * Walks the k probes. Testing (`set` false): false at the first clear bit, else true. Setting: sets
   * the clear bits and returns whether there was any. The plain read first skips the atomic for bits
   * already set, the common case for repeated keys; Atomics.or's old value settles a race.
   */
  #probe(h1: number, h2: number, set: boolean): boolean {
    const words = this.#words
    const m = this.bits
    const k = this.hashes
    let x = h1 % m
    let y = h2 % m
    let fresh = false
    for (let i = 1; ; i++) {
      const at = HEADER_WORDS + (x >>> 5)
      const mask = 1 << (x & 31)
      if ((words[at]! & mask) === 0) {
        if (!set) return false
        if ((Atomics.or(words, at, mask) & mask) === 0) fresh = true
      }
      if (i === k) return set ? fresh : true
      x += y
      if (x >= m) x -= m
      y += i
      if (y >= m) y %= m
    }
  }
}

function popcount(word: number): number {
  word -= (word >>> 1) & 0x55555555
  word = (word & 0x33333333) + ((word >>> 2) & 0x33333333)
  return (Math.imul((word + (word >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24)
}
