/**
 * What the loading layer keeps per Cache object (so per thread: a cache attached in a worker is another
 * object with its own state), next to the cache rather than in it: the core stays unaware of loading.
 * The loading layer reaches the core only through CacheCore (src/engine/access.ts).
 */
import type { Cache } from '../cache.js'
import { coreOf, type CacheCore } from '../engine/access.js'
import { FlightTable } from './flight-table.js'
import type { Flight } from './single-flight.js'

export interface LoadingState {
  cache: Cache<unknown>
  core: CacheCore<unknown>
  /** Loads of this thread in progress (or waited for), by key. */
  flights: Map<string, Flight>
  /** The arena's cross-thread flight table, at this thread's current slot. */
  readonly table: FlightTable
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
    const core = coreOf<unknown>(cache)
    let table: FlightTable | undefined
    let tableSlot = -1
    s = {
      cache: cache as Cache<unknown>,
      core,
      flights: new Map(),
      // Made again if this thread re-attached through another slot (it was thought dead).
      get table(): FlightTable {
        const region = core.flightRegion()
        if (!table || region.slot !== tableSlot) {
          table = new FlightTable(region.i32, region.offset, region.slot)
          tableSlot = region.slot
        }
        return table
      },
      cacheTtl: core.defaultTtl,
      instanceId: core.instanceId,
      clock: core.clock,
      warmups: new Set(),
    }
    states.set(cache, s)
    // Writes through the cache itself (set, delete, clear...) supersede these loads too, not only the
    // loading layer's own writes (write-through/behind, invalidate, restore).
    core.trackLoads(s.flights)
  }
  return s
}
