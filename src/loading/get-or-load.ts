/**
 * getOrLoad: cache-aside reads. What a read finds decides what happens:
 *
 *   fresh (before the soft TTL)        → the value; with early refresh (X-Fetch), maybe a background refresh
 *   stale (between soft and hard TTL)  → the stale value at once (staleHits) + one background refresh per key
 *   expired, kept for staleIfError     → wait for a load; if it fails, the stale value (staleHits)
 *   a cached failure (negativeTtl)     → that error, without calling the loader
 *   miss                               → wait for a load (single-flight, in this thread and across threads)
 */
import type { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { checkKey } from '../keys.js'
import type { LoadOptions, Loader } from './types.js'
import { resolveLoadOptions, type ResolvedLoad } from './options.js'
import { stateOf, type LoadingState } from './state.js'
import { hashKey } from './flight-table.js'
import { joinFlight, runningFlight, startFlight } from './single-flight.js'
import { readEntry } from './read.js'
import type { CacheCore } from '../engine/access.js'
import { aborted, loadsItself, reviveError } from './errors.js'
import { shouldRefreshEarly } from './x-fetch.js'

export async function getOrLoad<V>(cache: Cache<V>, key: string, loader: Loader<V>, options?: LoadOptions): Promise<V | undefined> {
  checkKey(key, 'getOrLoad')
  if (typeof loader !== 'function') throw new CortadoError('ERR_INVALID_OPTION', 'getOrLoad(key, loader): loader must be a function')
  const state = stateOf(cache)
  const o = resolveLoadOptions(options, state.cacheTtl)
  return load(state, cache, key, loader, o)
}

/** getOrLoad with resolved options (warm-up and the write-through/behind wrappers come in here). */
export async function load<V>(state: LoadingState, cache: Cache<V>, key: string, loader: Loader<V>, o: ResolvedLoad): Promise<V | undefined> {
  if (o.signal?.aborted) throw aborted(key, o.signal.reason)
  const read = readEntry(state.core as CacheCore<V>, key)
  let stale: V | undefined
  if (read.type === 'error') throw reviveError(read.error)
  if (read.type === 'value') {
    const now = state.clock()
    if (now < read.hardExpiry) {
      if (now >= read.softExpiry) {
        state.core.count('staleHits')
        refresh(state, key, loader, o, read.value)
        return read.value
      }
      const expiry = read.softExpiry < Infinity ? read.softExpiry : read.hardExpiry
      if (o.beta > 0 && shouldRefreshEarly(now, expiry, read.loadMs, o.beta, o.random)) refresh(state, key, loader, o, read.value)
      return read.value
    }
    // Past its hard TTL: the cache kept it only to serve if reloading fails.
    stale = read.value
  }
  const running = runningFlight(state, key)
  // A Flight's promise is set once its loader's synchronous part has returned: before, this is that loader.
  if (running !== undefined && (running.promise as Promise<unknown> | undefined) === undefined) throw loadsItself(key)
  const flight = running ?? startFlight(state, key, hashKey(key), loader, o, stale)
  const result = await joinFlight(state, flight, o)
  if (result.ok) return result.value as V | undefined
  if (stale !== undefined && o.staleIfError > 0 && isLoadFailure(result.error)) {
    state.core.count('staleHits')
    return stale
  }
  throw result.error
}

/** Serve-stale-on-error covers failed loads, not this caller's own abort or timeout. */
function isLoadFailure(error: unknown): boolean {
  return !(error instanceof CortadoError) || (error.code !== 'ERR_ABORTED' && error.code !== 'ERR_TIMEOUT')
}

/**
 * Starts a background refresh unless the key is being loaded already, here or in another thread
 * (then that load is the refresh). Its failure keeps the stale value, is counted, and is reported to
 * onRefreshError.
 */
function refresh<V>(state: LoadingState, key: string, loader: Loader<V>, o: ResolvedLoad, stale: V): void {
  if (runningFlight(state, key) !== undefined) return
  const hash = hashKey(key)
  const entered = state.table.enter(hash, o.leaseMs)
  if (entered.type === 'waiter' || entered.type === 'busy') return
  // A refresh belongs to no caller: its own signal and timeout don't apply.
  const flight = startFlight(state, key, hash, loader, { ...o, signal: undefined, timeout: undefined }, stale, entered)
  void flight.promise.then((result) => {
    if (result.ok || !o.onRefreshError) return
    const error = result.error instanceof CortadoError ? result.error : new CortadoError('ERR_LOADER', String(result.error), { cause: result.error })
    try {
      o.onRefreshError(error, key)
    } catch {
      // A throwing error handler must not become an unhandled rejection.
    }
  })
}
