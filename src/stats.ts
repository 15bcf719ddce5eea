/**
 * stats(): the source of truth for every metric. Shard counters are kept by the engine under each
 * shard's lock; hit and miss counters by each thread in its own slot (no sharing, so exact); counters
 * of threads that detached live on in the arena's "retired" totals.
 */
import type { CacheStats } from './types.js'
import type { Geometry } from './layout/geometry.js'
import type { ArenaViews } from './engine/views.js'
import * as L from './layout/constants.generated.js'

export interface StatsSource {
  views: ArenaViews
  geometry: Geometry
}

const SHARD_COUNTERS = {
  sets: L.SHARD_SETS, deletes: L.SHARD_DELETES, evictions: L.SHARD_EVICTIONS, expirations: L.SHARD_EXPIRATIONS,
  rejections: L.SHARD_REJECTIONS, oversized: L.SHARD_OVERSIZED, rejectedOverwrites: L.SHARD_REJECTED_OVERWRITES,
  invalidations: L.SHARD_INVALIDATIONS, lockRecoveries: L.SHARD_LOCK_RECOVERIES,
} as const

const THREAD_COUNTERS = {
  hits: [L.THREAD_HITS, L.ARENA_RETIRED_HITS],
  misses: [L.THREAD_MISSES, L.ARENA_RETIRED_MISSES],
  loadSuccesses: [L.THREAD_LOAD_SUCCESSES, L.ARENA_RETIRED_LOAD_SUCCESSES],
  loadFailures: [L.THREAD_LOAD_FAILURES, L.ARENA_RETIRED_LOAD_FAILURES],
  loadTimeMs: [L.THREAD_LOAD_TIME_MS, L.ARENA_RETIRED_LOAD_TIME_MS],
  staleHits: [L.THREAD_STALE_HITS, L.ARENA_RETIRED_STALE_HITS],
  refreshes: [L.THREAD_REFRESHES, L.ARENA_RETIRED_REFRESHES],
  loadsNotStored: [L.THREAD_LOADS_NOT_STORED, L.ARENA_RETIRED_LOADS_NOT_STORED],
  readRetries: [L.THREAD_READ_RETRIES, L.ARENA_RETIRED_READ_RETRIES],
  frontHits: [L.THREAD_FRONT_HITS, L.ARENA_RETIRED_FRONT_HITS],
} as const

export function readStats({ views, geometry: g }: StatsSource): CacheStats {
  const { u32, u64, f64 } = views
  const shard = { sets: 0, deletes: 0, evictions: 0, expirations: 0, rejections: 0, oversized: 0, rejectedOverwrites: 0, invalidations: 0, lockRecoveries: 0 }
  let entries = 0
  let bytesUsed = 0
  for (let s = 0; s < g.shardCount; s++) {
    const base = g.shardsOffset + s * g.shardBytes
    for (const [name, off] of Object.entries(SHARD_COUNTERS)) shard[name as keyof typeof shard] += Number(u64[(base + off) >>> 3])
    entries += u32[(base + L.SHARD_LIVE_COUNT) >>> 2]
    bytesUsed += Number(u64[(base + L.SHARD_LIVE_BYTES) >>> 3])
  }
  const threads = { hits: 0, misses: 0, loadSuccesses: 0, loadFailures: 0, loadTimeMs: 0, staleHits: 0, refreshes: 0, loadsNotStored: 0, readRetries: 0, frontHits: 0 }
  for (const [name, [threadOff, retiredOff]] of Object.entries(THREAD_COUNTERS)) {
    let total = f64[retiredOff >>> 3]
    for (let t = 0; t < g.maxThreads; t++) {
      const base = g.threadsOffset + t * L.THREAD_SIZE
      if (u32[(base + L.THREAD_STATE) >>> 2] !== L.THREAD_FREE) total += f64[(base + threadOff) >>> 3]
    }
    threads[name as keyof typeof threads] = total
  }
  // A front hit is counted once, in frontHits (the hot path's one store); hits are arena hits + front hits.
  threads.hits += threads.frontHits
  const lookups = threads.hits + threads.misses
  return {
    ...threads,
    ...shard,
    entries,
    bytesUsed,
    bytesTotal: g.bytesTotal,
    hitRatio: lookups === 0 ? 0 : threads.hits / lookups,
  }
}
