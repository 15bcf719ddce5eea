/**
 * The one warning a cache bounded by `maxBytes` alone gives when its entries turn out far larger than
 * the `expectedEntrySize` (128 B unless given) its index and policy state were sized by. Those
 * structures are sized per expected entry, so with entries of ~1 KiB they are ~8 times larger than the
 * entries need and take memory the entries could use (22% of a 16 MiB arena with the adaptive policy:
 * sized for 1 KiB, entries get ~25% more room). Measured at stop 51 (`npx tsx
 * bench/arena/recency-sweep.ts --sizes 10000 --only bytes [--expected-entry-size 1024]`, values of 64 B–4 KiB,
 * ~1 KiB on average, against lru-cache holding the payload a `'clock'` cache holds): 7 of 11 rows under
 * LRU − 1 with the default (down to −10.81), 3 with `expectedEntrySize: 1024` (worst −1.21; the −10.81
 * row +1.00): docs/policy-recency.md "Stop 51, lead". A cache given a `maxEntries` its `maxBytes` can't
 * hold at its entries' size wastes the same way (the structures are sized for maxEntries): it is told to
 * lower maxEntries. Nothing can resize a live arena's structures, so the cache says it once, when it has
 * filled (evicted or refused) and its entries are a small share of what it was sized for: at the first
 * `stats()` or `close()` that finds it so.
 */
import { computeGeometry, sizedEntries, structureBytes, type Geometry, type GeometryInput } from '../layout/geometry.js'
import * as L from '../layout/constants.generated.js'
import type { ArenaViews } from './views.js'
import type { CacheStats } from '../types.js'
import { firstToWarn, hasWarned, WARNED_SIZING } from './warn-once.js'
import { emitProcessWarning } from '../process-warning.js'

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

/** What the warning says: the option to pass and its value, with the facts behind it. */
export interface SizingAdvice {
  /** `expectedEntrySize` for a cache bounded by maxBytes alone; `maxEntries` for one whose maxEntries its bytes can't hold. */
  option: 'expectedEntrySize' | 'maxEntries'
  suggested: number
  /** Mean bytes of a live entry (header + key + value). */
  mean: number
  /** Share of the arena the index and policy state take. */
  share: number
  /** Entries they were sized for. */
  sized: number
  /** How much more room entries get with the suggestion (a fraction; 0 if the geometry can't tell). */
  moreRoom: number
}

/**
 * Whether this cache's structures are sized for far more entries than it holds when full: the advice,
 * or undefined. Bounded by maxBytes alone, the cause is `expectedEntrySize` (entries far larger than it);
 * with maxEntries, a maxEntries that maxBytes can't hold at the entries' size.
 */
export function sizingAdvice(g: Readonly<Geometry>, facts: SizingFacts): SizingAdvice | undefined {
  if (!facts.full || facts.entries === 0) return undefined
  const sized = sizedEntries(g)
  if (facts.entries > FEW_ENTRIES_SHARE * sized) return undefined
  const share = structureBytes(g) / g.memBytes
  if (share < STRUCTURE_SHARE) return undefined
  const mean = facts.bytesUsed / facts.entries
  const policy = g.sketchBlocks > 0 ? L.POLICY_ADAPTIVE : L.POLICY_CLOCK
  const base = { maxBytes: g.memBytes, maxThreads: g.maxThreads, policy }
  if (g.maxEntriesTotal === 0) {
    const suggested = 64 * Math.ceil(mean / 64)
    return { option: 'expectedEntrySize', suggested, mean, share, sized, moreRoom: moreRoom(g, { ...base, expectedEntrySize: suggested }) }
  }
  // A quarter above what the bytes hold now, in two significant digits: room for the entries the
  // structures' memory will hold once it goes to entries.
  const suggested = twoDigits(1.25 * facts.entries)
  return { option: 'maxEntries', suggested, mean, share, sized, moreRoom: moreRoom(g, { ...base, maxEntries: suggested }) }
}

function twoDigits(n: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1)
  return Math.ceil(n / unit) * unit
}

function moreRoom(g: Readonly<Geometry>, input: GeometryInput): number {
  try {
    return Math.max(0, computeGeometry(input).bytesTotal / g.bytesTotal - 1)
  } catch {
    return 0
  }
}

/**
 * Looks (at `stats()` and at `close()`: a countdown on the set path cost clock's sets with eviction 5-10%,
 * stop 51) and warns the first time the advice holds. `facts` is read only if this cache has not warned.
 */
export function adviseSizing(v: ArenaViews, name: string | undefined, g: Readonly<Geometry>, stats: () => Pick<CacheStats, 'entries' | 'bytesUsed' | 'evictions' | 'rejections'>): void {
  if (hasWarned(v, WARNED_SIZING)) return
  const s = stats()
  const f: SizingFacts = { entries: s.entries, bytesUsed: s.bytesUsed, full: s.evictions + s.rejections > 0 }
  const advice = sizingAdvice(g, f)
  if (advice === undefined || !firstToWarn(v, WARNED_SIZING)) return
  const kib = advice.mean >= 1024 ? `${(advice.mean / 1024).toFixed(1)} KiB` : `${Math.round(advice.mean)} B`
  const cause = advice.option === 'expectedEntrySize'
    ? 'maxBytes alone, by expectedEntrySize, 128 B unless given'
    : 'maxEntries, more than maxBytes holds at this size'
  emitProcessWarning(
    `cortado: cache${name ? ` '${name}'` : ''} is full with ${f.entries} entries of ~${kib} on average, but its index and ` +
    `policy state were sized for ~${advice.sized} entries (${cause}) and take ${(100 * advice.share).toFixed(0)}% of ` +
    `maxBytes that entries could use. Pass ${advice.option}: ${advice.suggested} to new Cache() to give that memory to entries` +
    (advice.moreRoom > 0 ? ` (~${(100 * advice.moreRoom).toFixed(0)}% more room for them in the same maxBytes)` : '') +
    '. This warning is shown once per cache.',
    'CORTADO_SIZING')
}
