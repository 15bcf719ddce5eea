/**
 * What the loading layer keeps per Cache object (so per thread: a cache attached in a worker is another
 * object with its own state), next to the cache rather than in it: the core stays unaware of loading.
 */
import type { Cache } from '../cache.js'
import { FlightTable } from './flight-table.js'
import type { Flight } from './single-flight.js'

export interface LoadingState {
  cache: Cache<unknown>
  /** Loads of this thread in progress (or waited for), by key. */
  flights: Map<string, Flight>
  table: FlightTable
  /** The cache's default TTL (loaded values without their own ttl get it). */
  cacheTtl: number
  /** Identifies the arena (names its cross-thread error channel). */
  instanceId: number
  clock: () => number
  /** Warm-ups in progress (cache.ready waits for them). */
  warmups: Set<Promise<unknown>>
}

const states = new WeakMap<object, LoadingState>()

export function stateOf<V>(cache: Cache<V>): LoadingState {
  let s = states.get(cache)
  if (!s) {
    const handle = cache.handle as { ttl?: unknown; instanceId?: unknown }
    const internals = cache._internals
    s = {
      cache: cache as Cache<unknown>,
      flights: new Map(),
      table: new FlightTable(internals.views.i32, internals.geometry.flightsOffset, internals.slot),
      cacheTtl: typeof handle.ttl === 'number' ? handle.ttl : 0,
      instanceId: typeof handle.instanceId === 'number' ? handle.instanceId : 0,
      clock: internals.clock,
      warmups: new Set(),
    }
    states.set(cache, s)
  }
  return s
}
