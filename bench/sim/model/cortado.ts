import type { Trace } from '../../workloads/trace.js'
import { hashKey } from '../hash.js'
import type { Policy } from '../policy.js'
import { Shard } from './shard.js'
import { TUNING, type Tuning } from './tuning.js'

export interface ModelOptions {
  /** Shards by key hash (a power of two), each with capacity / shards and its own state. Default 1. */
  shards?: number
  /** Seed of the key hash, the sketches and the PRNGs. */
  seed?: number
  /** Entry sizes by key id: capacity is then in bytes (byte mode). */
  sizes?: Uint32Array
  /**
   * Byte mode: the typical entry size the sketch and ghost are sized by (capacity / this entries),
   * as the engine's `expectedEntrySize`. Default: the mean of `sizes`.
   */
  expectedEntrySize?: number
  /** Overrides of the policy's constants, for research. */
  tuning?: Partial<Tuning>
}

/**
 * The pure-TypeScript model of Cortado's replacement policy (see POLICY.md), for fast research:
 * a cache of `capacity` entries (or bytes, with `sizes`) split over shards by key hash, as the
 * engine splits it. Each shard follows only the engine's constraints: FIFO queues, a 2-bit counter
 * per entry, a 4-bit count-min sketch, a ghost of fingerprints and a few numbers of state.
 */
export class CortadoModel implements Policy {
  readonly shards: Shard[]
  private readonly shardShift: number
  private readonly seed: number

  constructor(capacity: number, trace: Trace, o: ModelOptions = {}) {
    const n = o.shards ?? 1
    if (n < 1 || (n & (n - 1)) !== 0) throw new RangeError('shards must be a power of two')
    this.seed = o.seed ?? 0x2545f491
    this.shardShift = 32 - Math.log2(n)
    const tuning = { ...TUNING, ...o.tuning }
    const keyState = new Uint16Array(trace.universe)
    const meanSize = o.sizes === undefined ? 1 : (o.expectedEntrySize ?? mean(o.sizes))
    this.shards = []
    for (let i = 0; i < n; i++) {
      const cap = Math.floor(capacity / n) + (i < capacity % n ? 1 : 0)
      this.shards.push(
        new Shard(cap, keyState, {
          tuning,
          seed: (this.seed + Math.imul(i + 1, 0x9e3779b9)) >>> 0,
          hashSeed: this.seed,
          sizes: o.sizes,
          entryCapacity: cap / meanSize,
        }),
      )
    }
  }

  access(key: number): boolean {
    const h = hashKey(key, this.seed)
    return this.shardOf(h).access(key, h)
  }

  read(key: number): boolean {
    const h = hashKey(key, this.seed)
    return this.shardOf(h).read(key, h)
  }

  write(key: number): void {
    const h = hashKey(key, this.seed)
    this.shardOf(h).write(key, h)
  }

  private shardOf(h: number): Shard {
    return this.shardShift === 32 ? this.shards[0]! : this.shards[h >>> this.shardShift]!
  }
}

function mean(a: Uint32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]!
  return a.length === 0 ? 1 : s / a.length
}
