/**
 * A Bloom filter that grows with its content (Almeida, Baquero, Preguiça & Hutchison, "Scalable Bloom
 * Filters", 2007). When the newest filter reaches its capacity a new one is added, `growthFactor` times
 * larger, with its error rate `tighteningRatio` times tighter. Filter i holds rate p(1 - r)r^i, so the
 * rate of the whole, at most the sum of the parts, stays below p(1 - r)(1 + r + r^2 + ...) = p for any
 * number of keys; memory grows with the keys, slightly faster than linearly.
 *
 * Not shared between threads (no handle): growing means allocating a filter every thread must learn
 * about, which needs a registry and a lock that a fixed filter does not. Share a fixed `BloomFilter`
 * sized for the peak instead, or ship `toBytes()` to other threads as a snapshot.
 */
import { randomInt } from 'node:crypto'
import { CortadoError, shown } from '../errors.js'
import { badBytes, decodeScalable, encodeScalable, type ScalableState } from './codec.js'
import { BloomFilter } from './filter.js'
import { hashKey } from './hash.js'
import { toKeyList, type BloomKey } from './keys.js'
import { validateExpectedItems, validateFalsePositiveRate, validateSeed } from './sizing.js'

/** Options of `new ScalableBloomFilter(options)`. */
export interface ScalableBloomFilterOptions {
  /** Capacity of the first filter: the keys expected before any growth. */
  initialCapacity: number
  /** The bound on the false-positive rate, held however many keys arrive (0 < p < 1). */
  falsePositiveRate: number
  /** Capacity ratio of each new filter to the previous one, >= 1. Default 2 (4 grows faster, with fewer filters). */
  growthFactor?: number
  /** Error ratio of each new filter to the previous one, in (0, 1). Default 0.85 (the paper suggests 0.8 to 0.9). */
  tighteningRatio?: number
  /** Seed of the key hash, shared by every inner filter. Default: random. */
  seed?: number
}

const DEFAULT_GROWTH_FACTOR = 2
const DEFAULT_TIGHTENING_RATIO = 0.85

const scratch = new Uint32Array(2)

/** A Bloom filter that grows with its content while holding its false-positive bound (Scalable Bloom Filters, 2007). */
export class ScalableBloomFilter {
  /** Capacity of the first inner filter. */
  readonly initialCapacity: number
  /** The bound on the false-positive rate of the whole. */
  readonly falsePositiveRate: number
  /** Capacity ratio of each new inner filter to the previous one. */
  readonly growthFactor: number
  /** Error ratio of each new inner filter to the previous one. */
  readonly tighteningRatio: number
  /** Seed of the key hash, shared by every inner filter. */
  readonly seed: number
  #filters: BloomFilter[]

  constructor(options: ScalableBloomFilterOptions) {
    if (options === null || typeof options !== 'object') {
      throw new CortadoError('ERR_INVALID_OPTION', 'ScalableBloomFilter options must be an object with initialCapacity and falsePositiveRate')
    }
    const state = validateState({
      initialCapacity: options.initialCapacity,
      falsePositiveRate: options.falsePositiveRate,
      growthFactor: options.growthFactor ?? DEFAULT_GROWTH_FACTOR,
      tighteningRatio: options.tighteningRatio ?? DEFAULT_TIGHTENING_RATIO,
      seed: options.seed ?? randomInt(0, 2 ** 32),
    })
    this.initialCapacity = state.initialCapacity
    this.falsePositiveRate = state.falsePositiveRate
    this.growthFactor = state.growthFactor
    this.tighteningRatio = state.tighteningRatio
    this.seed = state.seed
    this.#filters = [new BloomFilter(this.#stage(0))]
  }

  /** A new filter from `toBytes()` output; ERR_BAD_FILE if the bytes are not intact. */
  static fromBytes(bytes: Uint8Array): ScalableBloomFilter {
    const decoded = decodeScalable(bytes)
    let filter: ScalableBloomFilter
    try {
      filter = new ScalableBloomFilter(decoded)
    } catch (err) {
      badBytes(`invalid parameters (${(err as Error).message})`)
    }
    if (decoded.filters.length === 0) badBytes('no inner filter')
    filter.#filters = decoded.filters.map((bytes, i) => {
      const inner = BloomFilter.fromBytes(bytes)
      const stage = filter.#stage(i)
      const matches =
        inner.seed === filter.seed &&
        inner.expectedItems === stage.expectedItems &&
        Math.abs(inner.falsePositiveRate / stage.falsePositiveRate - 1) < 1e-9
      if (!matches) badBytes(`inner filter ${i} does not match the growth parameters`)
      return inner
    })
    return filter
  }

  /** Distinct keys added (see `BloomFilter.count`). */
  get count(): number {
    let total = 0
    for (const filter of this.#filters) total += filter.count
    return total
  }

  /** How many inner filters the growth has created so far. */
  get filterCount(): number {
    return this.#filters.length
  }

  /** Total bits over the inner filters. */
  get bits(): number {
    let total = 0
    for (const filter of this.#filters) total += filter.bits
    return total
  }

  /** Bytes of memory over the inner filters. */
  get byteLength(): number {
    let total = 0
    for (const filter of this.#filters) total += filter.byteLength
    return total
  }

  /** Adds a key; returns true if it was not (probably) there. ERR_CAPACITY if growth is impossible. */
  add(key: BloomKey): boolean {
    hashKey(key, this.seed, scratch)
    const h1 = scratch[0]!
    const h2 = scratch[1]!
    // A key any filter already reports must not be added again: it would spend capacity for nothing.
    if (this.#hasHashed(h1, h2)) return false
    let current = this.#filters[this.#filters.length - 1]!
    if (current.count >= current.expectedItems) {
      // Allocate before touching anything, so a failed growth leaves the filter as it was.
      current = new BloomFilter(this.#stage(this.#filters.length))
      this.#filters.push(current)
    }
    return current.addHashed(h1, h2)
  }

  /** False when `key` was certainly never added; true when it probably was. */
  has(key: BloomKey): boolean {
    hashKey(key, this.seed, scratch)
    return this.#hasHashed(scratch[0]!, scratch[1]!)
  }

  /** Adds every key; returns how many were new. An invalid key throws before anything is added. */
  addMany(keys: Iterable<BloomKey>): number {
    const list = toKeyList(keys)
    let added = 0
    for (const key of list) if (this.add(key)) added++
    return added
  }

  /** Empties the filter and gives back the memory of every grown stage. */
  clear(): void {
    this.#filters = [new BloomFilter(this.#stage(0))]
  }

  /** The rate now: 1 - product of (1 - rate of each inner filter) (a scan of every filter). */
  estimatedFalsePositiveRate(): number {
    let allNegative = 1
    for (const filter of this.#filters) allNegative *= 1 - filter.estimatedFalsePositiveRate()
    return 1 - allNegative
  }

  /** A snapshot of the filter as bytes (`ScalableBloomFilter.fromBytes` restores it). */
  toBytes(): Uint8Array {
    return encodeScalable(this, this.#filters.map((filter) => filter.toBytes()))
  }

  #hasHashed(h1: number, h2: number): boolean {
    // Newest first: the largest filter holds the most keys, so positives end sooner on average.
    for (let i = this.#filters.length - 1; i >= 0; i--) if (this.#filters[i]!.hasHashed(h1, h2)) return true
    return false
  }

  #stage(index: number): { expectedItems: number; falsePositiveRate: number; seed: number } {
    const expectedItems = Math.ceil(this.initialCapacity * this.growthFactor ** index)
    const falsePositiveRate = this.falsePositiveRate * (1 - this.tighteningRatio) * this.tighteningRatio ** index
    if (!(falsePositiveRate > 0)) {
      throw new CortadoError('ERR_CAPACITY', `ScalableBloomFilter can not grow past ${index} filters: the error rate underflows`)
    }
    return { expectedItems, falsePositiveRate, seed: this.seed }
  }
}

function validateState(state: ScalableState): ScalableState {
  validateExpectedItems(state.initialCapacity, 'initialCapacity')
  validateFalsePositiveRate(state.falsePositiveRate)
  const { growthFactor, tighteningRatio } = state
  if (typeof growthFactor !== 'number' || !Number.isFinite(growthFactor) || growthFactor < 1) {
    throw new CortadoError('ERR_INVALID_OPTION', `growthFactor must be a finite number >= 1, got ${shown(growthFactor)}`)
  }
  if (typeof tighteningRatio !== 'number' || !(tighteningRatio > 0 && tighteningRatio < 1)) {
    throw new CortadoError('ERR_INVALID_OPTION', `tighteningRatio must be a number strictly between 0 and 1, got ${shown(tighteningRatio)}`)
  }
  validateSeed(state.seed)
  return state
}
