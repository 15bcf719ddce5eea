import type { Trace } from '../workloads/trace.js'
import { CortadoModel } from './model/cortado.js'
import { AdaptiveWTinyLfuPolicy } from './policies/adaptive-wtinylfu.js'
import { ArcPolicy } from './policies/arc.js'
import { LruPolicy } from './policies/lru.js'
import { OptPolicy } from './policies/opt.js'
import { S3FifoPolicy } from './policies/s3fifo.js'
import { WTinyLfuPolicy } from './policies/wtinylfu.js'
import type { Policy } from './policy.js'
import type { Tuning } from './model/tuning.js'

export interface SimOptions {
  /** Shards of the model (the real cache picks its own). */
  shards: number
  seed: number
  /** Overrides of the model's constants (the `model` policy only). */
  tuning?: Partial<Tuning>
}

/** The simulated policies by CLI name; `cortado` (the real cache) is wired separately (async load). */
export const SIMULATED: Record<string, (capacity: number, trace: Trace, o: SimOptions) => Policy> = {
  lru: (c, t) => new LruPolicy(c, t),
  opt: (c, t) => new OptPolicy(c, t),
  arc: (c, t) => new ArcPolicy(c, t),
  s3fifo: (c, t) => new S3FifoPolicy(c, t),
  wtinylfu: (c, t) => new WTinyLfuPolicy(c, t),
  adaptive: (c, t) => new AdaptiveWTinyLfuPolicy(c, t),
  model: (c, t, o) => new CortadoModel(c, t, { shards: o.shards, seed: o.seed, tuning: o.tuning }),
}

/** What `--policy all` expands to (before LRU and OPT, which every run shows). */
export const ALL = ['cortado', 'model', 'arc', 's3fifo', 'wtinylfu', 'adaptive']
