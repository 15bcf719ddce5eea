import type { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { engineInternals } from '../../src/engine/access.js'

/** The shard a key lives in (the engine reports it after any lookup). */
export function shardOf(cache: Cache<unknown>, key: string): number {
  cache.has(key)
  const { views, scratch } = engineInternals(cache)
  return views.u32[(scratch + L.RESULT_SHARD) >>> 2]!
}
