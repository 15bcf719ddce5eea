/**
 * invalidate(keys | predicate), for change-data-capture consumers: removes keys, counted in
 * stats().invalidations, and keeps a load of those keys in progress in this thread from storing the
 * value it read before the change.
 */
import type { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { checkKey } from '../keys.js'
import { stateOf } from './state.js'
import { supersede } from './single-flight.js'

export type InvalidateTarget = string | Iterable<string> | ((key: string) => boolean)

/** Returns how many entries were removed. */
export function invalidate<V>(cache: Cache<V>, target: InvalidateTarget): number {
  const state = stateOf(cache)
  const one = (key: string): number => {
    supersede(state, key)
    return cache.invalidateKey(key) ? 1 : 0
  }
  if (typeof target === 'string') {
    checkKey(target, 'invalidate')
    return one(target)
  }
  if (typeof target === 'function') {
    let removed = 0
    // Decide on a snapshot of the keys: removing while a chunk is being read could skip or repeat keys.
    const matching: string[] = []
    // Cached failures too (keys() leaves them out): a change upstream must end a negative entry as well.
    for (const key of state.core.rawKeys()) if (target(key)) matching.push(key)
    for (const key of state.flights.keys()) if (target(key)) supersede(state, key)
    for (const key of matching) removed += one(key)
    return removed
  }
  if (target === null || typeof target !== 'object' || typeof (target as Iterable<string>)[Symbol.iterator] !== 'function')
    throw new CortadoError('ERR_INVALID_OPTION', 'invalidate(target): target must be a key, an iterable of keys or a predicate (key) => boolean')
  // Every key is checked before any is removed: a bad one leaves the cache as it was.
  const keys = Array.from(target)
  for (const key of keys) checkKey(key, 'invalidate')
  let removed = 0
  for (const key of keys) removed += one(key)
  return removed
}
