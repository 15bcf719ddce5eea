/**
 * Arena-wide totals against the shards that make them up. Each shard's own invariants are checked by
 * the engine under that shard's lock; the cache-wide live count (kept when `maxEntries` bounds the
 * whole cache) spans every shard, so it can only be compared when no writer is inside any shard: a
 * set reserves its place in the total before its shard counts the entry.
 */
import type { Geometry } from '../layout/geometry.js'
import type { ArenaViews } from './views.js'
import * as L from '../layout/constants.generated.js'

const STABLE_ATTEMPTS = 64

/**
 * A message when the arena's live total differs from the sum of the shards' live counts; undefined
 * when they agree, when no total is kept, or when writers never left every shard quiet long enough
 * to compare (a total read mid-write would be a false alarm).
 */
export function checkLiveTotal(views: ArenaViews, g: Geometry): string | undefined {
  const { u32, i32 } = views
  if (u32[L.ARENA_MAX_ENTRIES_TOTAL >>> 2] === 0) return undefined
  const seqs = new Uint32Array(g.shardCount)
  for (let attempt = 0; attempt < STABLE_ATTEMPTS; attempt++) {
    let quiet = true
    let sum = 0
    for (let s = 0; s < g.shardCount && quiet; s++) {
      const base = g.shardsOffset + s * g.shardBytes
      seqs[s] = Atomics.load(u32, (base + L.SHARD_SEQ) >>> 2)
      quiet = Atomics.load(i32, (base + L.SHARD_LOCK) >>> 2) === 0 && (seqs[s]! & 1) === 0
      sum += u32[(base + L.SHARD_LIVE_COUNT) >>> 2]!
    }
    const total = Atomics.load(i32, L.ARENA_LIVE_TOTAL >>> 2)
    for (let s = 0; s < g.shardCount && quiet; s++) {
      const base = g.shardsOffset + s * g.shardBytes
      quiet = Atomics.load(i32, (base + L.SHARD_LOCK) >>> 2) === 0 && Atomics.load(u32, (base + L.SHARD_SEQ) >>> 2) === seqs[s]
    }
    if (quiet) return total === sum ? undefined : `arena: live total ${total} != ${sum}, the sum of the shards' live counts`
  }
  return undefined
}
