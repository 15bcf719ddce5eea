import type { Trace } from '../../workloads/trace.js'
import { hashKey } from '../hash.js'
import type { Policy } from '../policy.js'
import { Shard, type ShardOptions } from './shard.js'
import { LearnedShard, type LearnedOptions } from './learned.js'
import { SpmShard, type SpmOptions } from './spm.js'

export interface ModelOptions extends ShardOptions, Omit<LearnedOptions, keyof ShardOptions> {
  learned?: boolean
  legacy?: boolean
  spm?: SpmOptions
  /** Shards by key hash, each with capacity / shards and its own policy state (default 1). */
  shards?: number
  /** Seed of the key hash and of the shards' PRNGs. */
  seed?: number
}

/** The pure-TypeScript model of Cortado's policy: a cache of `capacity` entries split over shards. */
export class CortadoModel implements Policy {
  readonly shards: (Shard | LearnedShard | SpmShard)[]
  private readonly shardShift: number
  private readonly seed: number

  constructor(capacity: number, trace: Trace, o: ModelOptions = {}) {
    const n = o.shards ?? 1
    if ((n & (n - 1)) !== 0) throw new RangeError('shards must be a power of two')
    this.seed = o.seed ?? 0x2545f491
    this.shardShift = 32 - Math.log2(n)
    const keyState = new Uint8Array(trace.universe)
    this.shards = []
    for (let i = 0; i < n; i++) {
      const cap = Math.floor(capacity / n) + (i < capacity % n ? 1 : 0)
      const so = { ...o, hashSeed: this.seed, seed: (this.seed + i * 0x9e3779b9) >>> 0 }
      this.shards.push(o.legacy ? new Shard(cap, keyState, so) : o.learned ? new LearnedShard(cap, keyState, so) : new SpmShard(cap, keyState, { ...o.spm, hashSeed: so.hashSeed, seed: so.seed, sizes: o.sizes }))
    }
  }

  access(key: number): boolean {
    const h = hashKey(key, this.seed)
    const shard = this.shardShift === 32 ? this.shards[0]! : this.shards[h >>> this.shardShift]!
    return shard.access(key, h)
  }
}
