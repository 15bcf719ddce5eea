/**
 * The narrow interface the layers above the core use (loading, dumps, tiers, disk): what Caffeine's
 * loading cache gets from its map (computeIfAbsent, getIfPresentQuietly), and nothing of the engine's
 * byte format. A Cache registers its core here when it is made; `coreOf(cache)` finds it. Nothing here
 * is exported from the package: users see only the Cache API.
 */
import type { Geometry } from '../layout/geometry.js'
import type { EnvelopeMeta } from '../codecs/envelope.js'
import type { EngineProtocol } from './protocol.js'
import type { ArenaViews } from './views.js'
import { CortadoError } from '../errors.js'
import type { WriteGens } from './write-gens.js'

/** One entry as stored: its kind byte, encoded bytes (when asked for) and absolute expiry (ms). */
export interface RawEntry {
  key: string
  kind: number
  bytes: Uint8Array | undefined
  expiry: number
  /**
   * What getOrLoad stored that is no value for plain reads now (a cached failure, a value past its
   * hard TTL kept for staleIfError): Cache iteration skips it; dumps and invalidation see it.
   */
  hidden: boolean
}

/** Per-thread counters the loading layer adds to (summed over threads by stats()). */
export type ThreadCounter = 'loadSuccesses' | 'loadFailures' | 'loadTimeMs' | 'staleHits' | 'refreshes' | 'loadsNotStored'

/** The arena's FLIGHT table (cross-thread single-flight) and this thread's slot in it. */
export interface FlightRegion {
  i32: Int32Array
  offset: number
  slot: number
}

export interface CacheCore<V> {
  readonly closed: boolean
  /** The cache's default TTL in ms (0 = none). */
  readonly defaultTtl: number
  /** Identifies the arena (the same in every thread attached to it). */
  readonly instanceId: number
  readonly clock: () => number
  /** A counted get (a hit or miss, a use for the policy) whose loading metadata, if any, lands in `meta`. */
  getWithMeta(key: string, meta: EnvelopeMeta): V | undefined
  /** Stores encoded bytes under a kind byte, as `set` would with `ttl` (ms, 0 = none). */
  setRaw(key: string, kind: number, bytes: Uint8Array, ttl: number): boolean
  /** Encodes a value with the cache's codec. */
  encode(value: V): { kind: number; bytes: Uint8Array }
  /** Live entries as stored (no decoding: values round-trip exactly whatever codec wrote them). */
  rawEntries(): Generator<RawEntry>
  /** Every live key, hidden ones included (Cache.keys() leaves those out: RawEntry.hidden). */
  rawKeys(): Generator<string>
  /** Adds to one of this thread's counters. */
  count(counter: ThreadCounter, delta?: number): void
  /** Where the cross-thread flight table is (the slot may change if this thread re-attaches). */
  flightRegion(): FlightRegion
  /**
   * The loads in progress through this Cache object, by key. Every write of a key through it (set,
   * setMany, delete, invalidateKey, clear) marks that key's load superseded, so the value the load read
   * before the write is not stored over it.
   */
  trackLoads(loads: ReadonlyMap<string, LoadInProgress>): void
  /**
   * The arena's write generations (write-gens.ts): what tells a load that its key was written by
   * another thread, Cache object or process while it ran.
   */
  readonly writeGens: WriteGens
}

/** What the core marks on a load whose key was written while it ran. */
export interface LoadInProgress {
  superseded: boolean
}

/** The engine itself, for tests and benchmarks of this package (not for layers: they use CacheCore). */
export interface EngineInternals {
  exports: EngineProtocol
  views: ArenaViews
  slot: number
  scratch: number
  geometry: Geometry
  clock: () => number
}

interface RegisteredCore<V> extends CacheCore<V> {
  internals(): EngineInternals
}

const cores = new WeakMap<object, RegisteredCore<unknown>>()

/** Called once by the Cache constructor. */
export function registerCore<V>(cache: object, core: RegisteredCore<V>): void {
  cores.set(cache, core as RegisteredCore<unknown>)
}

function lookup(cache: object): RegisteredCore<unknown> {
  const core = cores.get(cache)
  if (!core) throw new CortadoError('ERR_INVALID_VALUE', 'expected a Cache')
  return core
}

/** The core behind a Cache. */
export function coreOf<V>(cache: object): CacheCore<V> {
  return lookup(cache) as CacheCore<V>
}

/** The engine behind a Cache (tests, benchmarks). */
export function engineInternals(cache: object): EngineInternals {
  return lookup(cache).internals()
}
