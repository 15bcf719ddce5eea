/**
 * The data of one cache configuration, shared by all peers and all operation suites run on it: the keys
 * the fill stores, keys that are never stored, fresh keys for writes, values, and the index sequences
 * (built on first use and kept for the next suite).
 */
import type { CacheSpec, Value } from '../peers/types.js'
import { makeKeys, makeValues, nextPow2, uniformIndices } from './data.js'
import { formatBytes, formatCount } from './format.js'
import { makeWorkload, type Workload } from './kernels.js'

/** Distinct values in the pool: JS peers store references, so more would only cost memory and time. */
const VALUE_POOL = 4096
/** Length of every index sequence; the loops wrap around it. */
export const SEQUENCE_LENGTH = 1 << 20

export class Pool {
  /** keys[0 .. entries) are stored by the fill; the rest of this power-of-two pool never is. */
  readonly keys: string[]
  readonly values: Value[]
  private readonly memo = new Map<string, unknown>()

  constructor(readonly spec: CacheSpec) {
    this.keys = makeKeys(nextPow2(2 * spec.entries), 'k')
    this.values = makeValues(VALUE_POOL, spec.valueKind, spec.valueBytes)
  }

  /** Keys in the fill's key space that no cache ever stores (another prefix). */
  get missKeys(): string[] {
    return this.cached('miss', () => makeKeys(nextPow2(Math.min(this.spec.entries, 1 << 18)), 'm'))
  }

  /**
   * Keys for sets of new entries: at least twice the capacity, so with exact LRU or FIFO a key has been
   * evicted long before the sequence wraps around to it.
   */
  get freshKeys(): string[] {
    return this.cached('fresh', () => makeKeys(nextPow2(2 * this.spec.entries), 'e'))
  }

  /**
   * Gets of uniformly random keys: of the stored keys, or of keys never stored. The index sequence is
   * shared by every suite that reads the same keys, so they all walk the same order.
   */
  uniformGets(which: 'stored' | 'miss', batch = 1): Workload {
    const keys = which === 'stored' ? this.keys : this.missKeys
    const range = which === 'stored' ? this.spec.entries : keys.length
    const idx = this.cached(`uniform-${which}`, () => uniformIndices(range, SEQUENCE_LENGTH, which === 'stored' ? 1 : 2))
    return makeWorkload({ keys, values: this.values, idx, batch })
  }

  cached<T>(name: string, make: () => T): T {
    if (!this.memo.has(name)) this.memo.set(name, make())
    return this.memo.get(name) as T
  }
}

export function specLabel(spec: CacheSpec): string {
  return `${formatCount(spec.entries)} entries · ${spec.valueKind} ${formatBytes(spec.valueBytes)}`
}

export function sameSpec(a: CacheSpec, b: CacheSpec): boolean {
  return a.entries === b.entries && a.valueKind === b.valueKind && a.valueBytes === b.valueBytes && a.keyBytes === b.keyBytes
}
