/**
 * The one warning a cache bounded by `maxBytes` alone gives when its entries turn out far larger than
 * the `expectedEntrySize` (128 B unless given) its index and policy state were sized by. Those
 * structures are sized per expected entry, so with entries of ~1 KiB they are ~8 times larger than the
 * entries need and take memory the entries could use (22% of a 16 MiB arena with the adaptive policy:
 * sized for 1 KiB, entries get ~25% more room). Measured at stop 51 (`npx tsx
 * bench/arena/recency-sweep.ts --sizes 10000 --only bytes [--expected-entry-size 1024]`, values of 64 B–4 KiB,
 * ~1 KiB on average, against lru-cache holding the payload a `'clock'` cache holds): 7 of 11 rows under
 * LRU − 1 with the default (down to −10.81), 3 with `expectedEntrySize: 1024` (worst −1.21; the −10.81
 * row +1.00): docs/policy-recency.md "Stop 51, lead". Nothing can resize a live arena's structures, so the
 * cache says it once, when it has filled (evicted or refused) and its entries are a small share of
 * what it was sized for.
 */
import { computeGeometry, sizedEntries, structureBytes, type Geometry } from '../layout/geometry.js'
import * as L from '../layout/constants.generated.js'
import type { ArenaViews } from './views.js'
import { firstToWarn, hasWarned, WARNED_SIZING } from './warn-once.js'
import { emitProcessWarning } from '../process-warning.js'

/** Sets a thread makes between two looks at the cache's entries (a look reads every shard's counters). */
export const SETS_BETWEEN_SIZING_CHECKS = 8192

/** Warn when the entries are at most this share of what the structures were sized for... */
const FEW_ENTRIES_SHARE = 0.25
/** ...and those structures take at least this share of the arena. */
const STRUCTURE_SHARE = 0.05

export interface SizingFacts {
  entries: number
  bytesUsed: number
  /** Evictions and refusals so far: the cache has been full. */
  full: boolean
}

/** Whether this cache's structures are sized for far smaller entries than it holds: the advice, or undefined. */
export function sizingAdvice(g: Readonly<Geometry>, facts: SizingFacts): { mean: number, suggested: number, share: number, sized: number, moreRoom: number } | undefined {
  if (g.maxEntriesTotal !== 0 || !facts.full || facts.entries === 0) return undefined
  const sized = sizedEntries(g)
  if (facts.entries > FEW_ENTRIES_SHARE * sized) return undefined
  const share = structureBytes(g) / g.memBytes
  if (share < STRUCTURE_SHARE) return undefined
  const mean = facts.bytesUsed / facts.entries
  const suggested = 64 * Math.ceil(mean / 64)
  return { mean, suggested, share, sized, moreRoom: moreRoom(g, suggested) }
}

/** How much more of the arena entries would get with `expectedEntrySize` (a fraction; 0 if it can't tell). */
function moreRoom(g: Readonly<Geometry>, expectedEntrySize: number): number {
  try {
    const policy = g.sketchBlocks > 0 ? L.POLICY_ADAPTIVE : L.POLICY_CLOCK
    const sized = computeGeometry({ maxBytes: g.memBytes, maxThreads: g.maxThreads, expectedEntrySize, policy })
    return Math.max(0, sized.bytesTotal / g.bytesTotal - 1)
  } catch {
    return 0
  }
}

/** Looks once more (every SETS_BETWEEN_SIZING_CHECKS sets of a thread) and warns the first time the advice holds. */
export function adviseSizing(v: ArenaViews, name: string | undefined, g: Readonly<Geometry>, facts: () => SizingFacts): void {
  if (hasWarned(v, WARNED_SIZING)) return
  const f = facts()
  const advice = sizingAdvice(g, f)
  if (advice === undefined || !firstToWarn(v, WARNED_SIZING)) return
  const kib = advice.mean >= 1024 ? `${(advice.mean / 1024).toFixed(1)} KiB` : `${Math.round(advice.mean)} B`
  emitProcessWarning(
    `cortado: cache${name ? ` '${name}'` : ''} is full with ${f.entries} entries of ~${kib} on average, but its index and ` +
    `policy state were sized for ~${advice.sized} entries (maxBytes alone, expectedEntrySize 128 B unless given) and take ` +
    `${(100 * advice.share).toFixed(0)}% of maxBytes that entries could use. Pass expectedEntrySize: ${advice.suggested} ` +
    `(or maxEntries) to new Cache() to give that memory to entries` +
    (advice.moreRoom > 0 ? ` (~${(100 * advice.moreRoom).toFixed(0)}% more room for them in the same maxBytes)` : '') +
    '. This warning is shown once per cache.',
    'CORTADO_SIZING')
}
