/**
 * The arena's warnings word (ARENA_OVERSIZE_WARNED): one bit per kind of once-per-cache process
 * warning, so that each is given once, whichever thread meets its cause first.
 */
import * as L from '../layout/constants.generated.js'
import type { ArenaViews } from './views.js'

/** A value too large to store (oversize.ts). */
export const WARNED_OVERSIZE = 1
/** Shards too small for the cache's values (shard-advice.ts). */
export const WARNED_SHARDS = 2
/** Index and policy state sized for far smaller entries than the cache holds (sizing-advice.ts). */
export const WARNED_SIZING = 4

/** True for the first caller with `bit` in this cache's lifetime, over every thread. */
export function firstToWarn(v: ArenaViews, bit: number): boolean {
  return (Atomics.or(v.i32, L.ARENA_OVERSIZE_WARNED >>> 2, bit) & bit) === 0
}

/** Whether a warning of kind `bit` was given already (a plain read: a race only means one more look). */
export function hasWarned(v: ArenaViews, bit: number): boolean {
  return (v.i32[L.ARENA_OVERSIZE_WARNED >>> 2]! & bit) !== 0
}
