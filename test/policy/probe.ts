/** Looking into the engine's frequency sketch from tests, through the engine's sketch probe. */
import type { Cache } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { engineInternals } from '../../src/engine/access.js'

export interface SketchPlace {
  estimate: number
  shard: number
  block: number
  /** The key's four counters as block-wide ids (shard, block, position in block). */
  counters: string[]
}

export function probeSketch(cache: Cache<unknown>, key: string): SketchPlace {
  const { exports, views, scratch } = engineInternals(cache)
  const bytes = Buffer.from(key)
  views.u8.set(bytes, scratch + L.RESULT_SIZE)
  const estimate = exports.sketchProbe!(bytes.length)
  const shard = views.u32[(scratch + L.RESULT_SHARD) >> 2]
  const block = views.u32[(scratch + L.RESULT_VALUE_OFFSET) >> 2]
  const packed = views.u32[(scratch + L.RESULT_VALUE_LEN) >> 2]
  const counters = [0, 1, 2, 3].map((i) => `${shard}:${block}:${(packed >>> (i * 7)) & 127}`)
  return { estimate, shard, block, counters }
}
