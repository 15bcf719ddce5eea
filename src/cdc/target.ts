/**
 * Where invalidations go. Three kinds of targets, each through its public API:
 * - a `Cache`: `invalidate(keys)` (counted in its stats, and a load of those keys in progress in this
 *   thread will not store the value it read before the change); prefixes by predicate; `clear()`.
 * - a `TieredCache`: `delete(key)` drops L1 and L2 and tells the other instances over the bus; a
 *   prefix or full clear is `invalidateAll()` (every L1; L2 has no scan, so its entries age out by TTL).
 * - a function, given each `Invalidation` (awaited when it returns a promise).
 */
import { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { TieredCache } from '../tier/tiered-cache.js'

/** What the feed asks its target to drop: some keys, every key under some prefixes, or everything. */
export type Invalidation =
  | {
    /** Discriminant: these exact keys. */
    kind: 'keys'
    /** Keys computed from row changes of watched tables. */
    keys: string[]
  }
  /** Every key starting with one of `prefixes` (a TRUNCATE of a table that declared its prefixes). */
  | {
    /** Discriminant: every key under `prefixes`. */
    kind: 'prefixes'
    /** The key prefixes declared by the table(s). */
    prefixes: readonly string[]
    /** Why, for logs: a TRUNCATE of the table, a lost slot, or a keys function that failed. */
    reason: string
  }
  /** Everything (a TRUNCATE without prefixes, or a lost slot). */
  | {
    /** Discriminant: every key. */
    kind: 'all'
    /** Why, for logs: a TRUNCATE of the table, a lost slot, or a keys function that failed. */
    reason: string
  }

/** A target of your own: given each invalidation, awaited when it returns a promise (failures are retried). */
export type InvalidationFunction = (invalidation: Invalidation) => void | Promise<void>

/** Where a PostgresChangeFeed sends invalidations: a Cache, a TieredCache or a function. */
export type FeedTarget = Cache<any> | TieredCache<any> | InvalidationFunction

/** Applies one invalidation; a promise only when the target is asynchronous. */
export type Apply = (invalidation: Invalidation) => void | Promise<void>

const startsWithAny = (prefixes: readonly string[]) => (key: string) => prefixes.some((p) => key.startsWith(p))

export function applierFor(target: FeedTarget): Apply {
  if (target instanceof Cache) {
    return (inv) => {
      if (inv.kind === 'keys') target.invalidate(inv.keys)
      else if (inv.kind === 'prefixes') target.invalidate(startsWithAny(inv.prefixes))
      else target.clear()
    }
  }
  if (target instanceof TieredCache) {
    return async (inv) => {
      if (inv.kind === 'keys') await Promise.all(inv.keys.map((key) => target.delete(key)))
      else target.invalidateAll()
    }
  }
  if (typeof target === 'function') return target
  throw new CortadoError('ERR_INVALID_OPTION', 'PostgresChangeFeed: target must be a Cache, a TieredCache or a function (invalidation) => void')
}
