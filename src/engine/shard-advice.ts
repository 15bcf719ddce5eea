/**
 * The one warning a cache gives when its values turn out far larger than its shards were sized for.
 * The shard count comes from `expectedEntrySize` (128 B unless given): a 16 MiB cache gets 4 shards,
 * a 64 MiB one 16, each holding ~80 values of 40 KiB or 3 of 1 MiB. The policy then works on tiny
 * queues, and the hash spreads so few values unevenly; stop 35 measured, 40 KiB values in 16 MiB,
 * reads over the last 0.9 × capacity written, written back on a miss: 63% of reads hit with 4 shards,
 * 99% with `expectedEntrySize: 40960` (one shard). Nothing can re-shard a live arena, so the cache
 * says it once, after enough large sets that they are its typical values, not an exception.
 */
import type { Geometry } from '../layout/geometry.js'
import type { ArenaViews } from './views.js'
import { firstToWarn, WARNED_SHARDS } from './warn-once.js'
import { emitProcessWarning } from '../process-warning.js'

/** Sets of values too large for scratch (> ~16 KiB) a thread makes before it looks at the mean entry. */
export const LARGE_SETS_BEFORE_ADVICE = 1024

/** Fewer entries of the mean size than this per shard: the shards are too small for these values. */
const FEW_PER_SHARD = 512

export function adviseShards(v: ArenaViews, name: string | undefined, g: Readonly<Geometry>, bytesUsed: number, entries: number): void {
  if (g.shardCount === 1 || entries === 0) return
  const mean = bytesUsed / entries
  const perShard = (g.segCount * g.segBytes) / mean
  if (perShard >= FEW_PER_SHARD) return
  if (!firstToWarn(v, WARNED_SHARDS)) return
  const size = 1024 * Math.ceil(mean / 1024)
  emitProcessWarning(
    `cortado: cache${name ? ` '${name}'` : ''} holds entries of ~${Math.round(mean / 1024)} KiB on average: each of its ` +
    `${g.shardCount} shards has room for ~${Math.floor(perShard)} of them, too few for the policy to keep the right ones ` +
    `(and for the hash to spread them evenly). Pass expectedEntrySize: ${size} (or shards: 1) to new Cache() for fewer, ` +
    'larger shards: measured with 40 KiB values in 16 MiB, 63% of reads hit with 4 shards, 99% with one. ' +
    'This warning is shown once per cache.',
    'CORTADO_SHARDS')
}
