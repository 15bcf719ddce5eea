/**
 * A two-level cache: an in-process Cortado cache (L1) in front of a shared remote store (L2), kept
 * coherent across instances by an invalidation bus.
 *
 * Reads go L1 → L2 → loader. An L1 hit never leaves the process. An L1 miss asks L2, and an L2 hit
 * fills L1 with the entry's *remaining* TTL, so no level keeps a value longer than the writer asked.
 * Concurrent misses for one key share one L2 request and one loader call (single-flight per level).
 *
 * Writes go to L1, then through to L2, then the key is published so the other instances drop their
 * L1 copy. A read or load that was in flight when its key was written or invalidated still answers
 * its callers, but does not fill L1 (nor L2) with what may now be an old value.
 *
 * When L2 fails, the tier degrades instead of failing: L1 keeps serving, misses go to the loader,
 * failures are counted (`stats().l2Errors`) and reported to `onError`, and nothing is thrown unless
 * `throwOnRemoteError` is set. Reconnection is the store's job (ioredis reconnects in the background;
 * memcached is retried after `retryDelay`); while a store reports itself unavailable, the tier skips
 * it without a request.
 */
import { pack, unpack } from '../codecs/msgpack.js'
import { CortadoError, isCortadoError, shown } from '../errors.js'
import { checkKey } from '../keys.js'
import { nonNegative } from '../options.js'
import { checkOptions } from '../option-names.js'
import type { CacheLike, CacheStats, Codec, SetOptions } from '../types.js'
import type { InvalidationBus } from './invalidation-bus.js'
import { RemotePartialError, checkTtl, type RemoteEntry, type RemoteStore } from './remote-store.js'

/** What the tier needs from its L1. A Cortado `Cache` is one. */
export interface L1Cache<V> extends CacheLike<V> {
  /** Drops every entry: used when invalidations may have been missed. */
  clear(): void
}

/** Produces the value of a key on a miss in both levels; `undefined` means "no value" (nothing is cached). */
export type TierLoader<V> = (key: string) => V | undefined | Promise<V | undefined>

/** Options of `new TieredCache(options)`: the two levels are required. */
export interface TieredCacheOptions<V> {
  /** The in-process level. The tier never closes it. */
  l1: L1Cache<V>
  /** The shared level. The tier never closes it. */
  l2: RemoteStore
  /** Broadcasts this instance's writes and receives the others'. Without it, L1s may diverge until their TTLs. */
  bus?: InvalidationBus
  /**
   * How values become bytes in L2. Every instance sharing the L2 must use the same codec.
   * Default: MessagePack (msgpackr).
   */
  codec?: Codec<V>
  /** Default TTL in milliseconds of entries written by `set` or a load. 0 = never expire. Default 0. */
  ttl?: number
  /**
   * Upper bound in milliseconds on how long a value stays in L1, whatever its TTL in L2: a bound on
   * staleness should an invalidation be lost. 0 = no bound (L1 keeps the L2 entry's remaining TTL).
   * Default 0.
   */
  l1Ttl?: number
  /** Loader used by `getOrLoad` when the call gives none. */
  loader?: TierLoader<V>
  /**
   * Throw `ERR_REMOTE` to the caller when L2 fails (or is known to be down), instead of degrading to
   * L1 and the loader. Default false.
   */
  throwOnRemoteError?: boolean
  /** Receives every L2 failure (an `ERR_REMOTE` or `ERR_DECODE` error), e.g. to log it. */
  onError?: (error: CortadoError) => void
  /** Name in errors and metrics. Default: the L1's name, else `'tiered'`. */
  name?: string
}

/** Counters since the tier was created. */
export interface TieredCacheStats {
  /** Reads answered by the in-process level. */
  l1Hits: number
  /** Reads the in-process level could not answer. */
  l1Misses: number
  /** Reads answered by the shared level. */
  l2Hits: number
  /** Reads the shared level could not answer. */
  l2Misses: number
  /** L2 requests that failed (connection, timeout, server error, undecodable value). */
  l2Errors: number
  /** L2 requests not made because the store reported itself unavailable. */
  l2Skipped: number
  /** Loader calls that resolved. */
  loads: number
  /** Loader calls that failed. */
  loadErrors: number
  /** Calls that joined a read or load already in flight for the same key. */
  coalesced: number
  /** Keys this instance published to its peers. */
  invalidationsSent: number
  /** Keys dropped from L1 because a peer changed them. */
  invalidationsReceived: number
  /** Times L1 was cleared (a peer's `invalidateAll`, or a subscription gap). */
  l1Clears: number
  /** The L1's own counters. */
  l1: CacheStats
}

/** One read or load in flight; `stale` is set when its key changes before it completes. */
interface PendingFetch<V> {
  promise: Promise<V | undefined>
  stale: boolean
}

const msgpack: Codec<unknown> = { encode: pack, decode: unpack }

const KNOWN: ReadonlySet<string> = new Set(['l1', 'l2', 'bus', 'codec', 'ttl', 'l1Ttl', 'loader', 'throwOnRemoteError', 'onError', 'name'])
const SET_KNOWN: ReadonlySet<string> = new Set(['ttl'])
const ENTRY_KNOWN: ReadonlySet<string> = new Set(['key', 'value', 'ttl'])

function checkType(value: unknown, name: string, type: 'boolean' | 'function' | 'string'): void {
  if (value !== undefined && typeof value !== type) throw new CortadoError('ERR_INVALID_OPTION', `${name} must be a ${type}, got ${shown(value)}`)
}

/** Two levels: a Cortado cache in the process (L1) in front of a shared remote store (L2), with single-flight loading and cross-instance invalidation. */
export class TieredCache<V> {
  /** Name in errors and metrics. */
  readonly name: string
  /** The in-process level. */
  readonly l1: L1Cache<V>
  /** The shared level. */
  readonly l2: RemoteStore
  readonly #bus: InvalidationBus | undefined
  readonly #codec: Codec<V>
  readonly #ttl: number
  readonly #l1Ttl: number
  readonly #loader: TierLoader<V> | undefined
  readonly #throwOnRemoteError: boolean
  readonly #onError: (error: CortadoError) => void
  readonly #reads = new Map<string, PendingFetch<V>>()
  readonly #loads = new Map<string, PendingFetch<V>>()
  readonly #unsubscribe: (() => void) | undefined
  #closed = false
  readonly #counters = {
    l1Hits: 0,
    l1Misses: 0,
    l2Hits: 0,
    l2Misses: 0,
    l2Errors: 0,
    l2Skipped: 0,
    loads: 0,
    loadErrors: 0,
    coalesced: 0,
    invalidationsSent: 0,
    invalidationsReceived: 0,
    l1Clears: 0,
  }

  constructor(options: TieredCacheOptions<V>) {
    checkOptions(options, 'new TieredCache', KNOWN, '{ l1, l2 }', false)
    if (options === undefined || options.l1 === undefined || options.l2 === undefined) {
      throw new CortadoError('ERR_INVALID_OPTION', 'TieredCache needs both l1 and l2')
    }
    if (typeof options.l1.clear !== 'function') {
      throw new CortadoError('ERR_INVALID_OPTION', 'the L1 cache must have clear()')
    }
    this.l1 = options.l1
    this.l2 = options.l2
    checkType(options.throwOnRemoteError, 'throwOnRemoteError', 'boolean')
    checkType(options.onError, 'onError', 'function')
    checkType(options.loader, 'loader', 'function')
    checkType(options.name, 'name', 'string')
    if (options.codec !== undefined && (typeof options.codec !== 'object' || options.codec === null ||
      typeof options.codec.encode !== 'function' || typeof options.codec.decode !== 'function'))
      throw new CortadoError('ERR_INVALID_OPTION', `codec must be an object with encode and decode functions, got ${shown(options.codec)}`)
    if (options.bus !== undefined && (typeof options.bus !== 'object' || options.bus === null || typeof options.bus.subscribe !== 'function'))
      throw new CortadoError('ERR_INVALID_OPTION', `bus must be an InvalidationBus, got ${shown(options.bus)}`)
    this.#bus = options.bus
    this.#codec = options.codec ?? (msgpack as Codec<V>)
    this.#ttl = nonNegative(options.ttl, 'ttl', 0)
    this.#l1Ttl = nonNegative(options.l1Ttl, 'l1Ttl', 0)
    this.#loader = options.loader
    this.#throwOnRemoteError = options.throwOnRemoteError ?? false
    this.#onError = options.onError ?? (() => {})
    this.name = options.name ?? options.l1.name ?? 'tiered'
    this.#unsubscribe = this.#bus?.subscribe({
      invalidate: (keys) => {
        this.#counters.invalidationsReceived += keys.length
        for (const key of keys) this.#dropLocal(key)
      },
      invalidateAll: () => this.#clearLocal(),
    })
  }

  /** L1 only, synchronously: the value if this process has it. */
  getLocal(key: string): V | undefined {
    this.#checkOpen()
    return this.#lookupLocal(key)
  }

  /** L1, then L2 (filling L1 on a hit). Never calls a loader. */
  get(key: string): Promise<V | undefined> {
    try {
      this.#checkOpen()
      checkKey(key, 'get')
      const value = this.#lookupLocal(key)
      return value !== undefined ? Promise.resolve(value) : this.#readRemote(key)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * Many keys: L1 first, then one L2 batch for all the keys L1 lacks (keys already being read join
   * those reads). Answers in the order of `keys`.
   */
  async getMany(keys: readonly string[]): Promise<(V | undefined)[]> {
    this.#checkOpen()
    for (const key of keys) checkKey(key, 'getMany')
    const out: (V | undefined)[] = new Array(keys.length)
    const waiting: Promise<void>[] = []
    const batch = new Map<string, number[]>()
    keys.forEach((key, at) => {
      const value = this.#lookupLocal(key)
      if (value !== undefined) {
        out[at] = value
        return
      }
      const flight = this.#reads.get(key)
      if (flight !== undefined) {
        this.#counters.coalesced++
        waiting.push(flight.promise.then((v) => void (out[at] = v)))
      } else {
        const positions = batch.get(key)
        if (positions === undefined) batch.set(key, [at])
        else positions.push(at)
      }
    })
    if (batch.size > 0) {
      const flights = this.#readRemoteBatch([...batch.keys()])
      let i = 0
      for (const positions of batch.values()) {
        waiting.push(flights[i++]!.then((v) => void positions.forEach((at) => (out[at] = v))))
      }
    }
    await Promise.all(waiting)
    return out
  }

  /**
   * L1, then L2, then the loader; the loaded value is written to L1 and L2 (not broadcast: loading
   * fills the cache, it does not change the data). Concurrent calls for one key share one L2 read and
   * one loader call. A failing loader rejects with `ERR_LOADER`; L2 failures never do unless
   * `throwOnRemoteError` is set.
   */
  getOrLoad(key: string, loader?: TierLoader<V>, options?: SetOptions): Promise<V | undefined> {
    try {
      this.#checkOpen()
      checkKey(key, 'getOrLoad')
      const value = this.#lookupLocal(key)
      if (value !== undefined) return Promise.resolve(value)
      const inFlight = this.#loads.get(key)
      if (inFlight !== undefined) {
        this.#counters.coalesced++
        return inFlight.promise
      }
      const load = loader ?? this.#loader
      if (load === undefined) throw new CortadoError('ERR_INVALID_OPTION', `${this.name}: getOrLoad needs a loader`)
      checkOptions(options, `${this.name}.getOrLoad`, SET_KNOWN, '{ ttl: 60_000 }')
      const ttl = checkTtl(options?.ttl ?? this.#ttl)
      const flight: PendingFetch<V> = { stale: false, promise: undefined as never }
      flight.promise = this.#load(key, load, ttl, flight).finally(() => {
        if (this.#loads.get(key) === flight) this.#loads.delete(key)
      })
      this.#loads.set(key, flight)
      return flight.promise
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Writes `value` to L1 and through to L2, then tells the peers to drop their copy. */
  async set(key: string, value: V, options?: SetOptions): Promise<void> {
    this.#checkOpen()
    checkKey(key, 'set')
    checkOptions(options, `${this.name}.set`, SET_KNOWN, '{ ttl: 60_000 }')
    const ttl = checkTtl(options?.ttl ?? this.#ttl)
    const bytes = this.#encode(value)
    this.#markStale(key)
    this.l1.set(key, value, this.#l1Options(ttl === 0 ? Infinity : ttl))
    try {
      await this.l2.set(key, bytes, ttl)
    } catch (err) {
      this.#remoteFailed(err)
    } finally {
      this.#publish(key)
    }
  }

  /** `set` for many entries: one L2 batch, one broadcast batch. */
  async setMany(entries: readonly { key: string; value: V; ttl?: number }[]): Promise<void> {
    this.#checkOpen()
    // Every entry is checked (and encoded) before any is written, so a bad one writes nothing.
    const remote = entries.map((e) => {
      checkOptions(e, `${this.name}.setMany`, ENTRY_KNOWN, '{ key, value, ttl? }')
      checkKey(e.key, 'setMany')
      const ttl = checkTtl(e.ttl ?? this.#ttl)
      return { key: e.key, value: this.#encode(e.value), ttl }
    })
    entries.forEach((e, i) => {
      this.#markStale(e.key)
      this.l1.set(e.key, e.value, this.#l1Options(remote[i]!.ttl === 0 ? Infinity : remote[i]!.ttl))
    })
    try {
      await this.l2.setMany(remote)
    } catch (err) {
      this.#remoteFailed(err)
    } finally {
      for (const e of entries) this.#publish(e.key)
    }
  }

  /**
   * Removes `key` from L1 and L2 and tells the peers. Resolves to whether L2 had it (or L1, when
   * L2 could not be asked).
   */
  async delete(key: string): Promise<boolean> {
    this.#checkOpen()
    checkKey(key, 'delete')
    this.#markStale(key)
    const local = this.l1.delete(key)
    try {
      return await this.l2.delete(key)
    } catch (err) {
      this.#remoteFailed(err)
      return local
    } finally {
      this.#publish(key)
    }
  }

  /**
   * Drops `key` from this L1 and the peers' L1s, leaving L2 alone (for when L2 was updated elsewhere).
   * Returns how many entries this L1 removed (0 or 1), as `Cache.invalidate` returns its count.
   */
  invalidate(key: string): number {
    this.#checkOpen()
    checkKey(key, 'invalidate')
    const removed = this.#dropLocal(key) ? 1 : 0
    this.#publish(key)
    return removed
  }

  /** Clears this L1 and tells every peer to clear theirs. L2 is left alone. */
  invalidateAll(): void {
    this.#checkOpen()
    this.#clearLocal()
    this.#bus?.publishAll()
  }

  /** Counters since the tier was created, with the L1's own. */
  stats(): TieredCacheStats {
    return { ...this.#counters, l1: this.l1.stats() }
  }

  /**
   * Stops listening to the bus and refuses further calls. The L1, the L2 and the bus belong to the
   * caller and stay open.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#unsubscribe?.()
    await Promise.allSettled([...this.#loads.values(), ...this.#reads.values()].map((f) => f.promise))
  }

  #lookupLocal(key: string): V | undefined {
    const value = this.l1.get(key)
    if (value !== undefined) this.#counters.l1Hits++
    else this.#counters.l1Misses++
    return value
  }

  async #load(key: string, loader: TierLoader<V>, ttl: number, flight: PendingFetch<V>): Promise<V | undefined> {
    const remote = await this.#readRemote(key)
    if (remote !== undefined) return remote
    let value: V | undefined
    try {
      value = await loader(key)
    } catch (err) {
      this.#counters.loadErrors++
      throw new CortadoError('ERR_LOADER', `${this.name}: loader failed for "${key}"`, { cause: err })
    }
    this.#counters.loads++
    if (value === undefined || flight.stale) return value
    const bytes = this.#encode(value)
    this.l1.set(key, value, this.#l1Options(ttl === 0 ? Infinity : ttl))
    try {
      await this.l2.set(key, bytes, ttl)
    } catch (err) {
      this.#remoteFailed(err)
    }
    return value
  }

  #readRemote(key: string): Promise<V | undefined> {
    const inFlight = this.#reads.get(key)
    if (inFlight !== undefined) {
      this.#counters.coalesced++
      return inFlight.promise
    }
    if (!this.l2.available) return this.#skipRemote()
    const flight: PendingFetch<V> = { stale: false, promise: undefined as never }
    flight.promise = this.l2.get(key).then(
      (entry) => this.#accept(key, entry, flight),
      (err: unknown) => this.#remoteFailed(err),
    )
    this.#track(key, flight)
    return flight.promise
  }

  /** One L2 request for `keys` (none of them in flight); a promise per key, registered as flights. */
  #readRemoteBatch(keys: string[]): Promise<V | undefined>[] {
    if (!this.l2.available) return keys.map(() => this.#skipRemote())
    const entries = this.l2.getMany(keys).catch((err: unknown): (RemoteEntry | undefined)[] => {
      // A partial failure keeps what the healthy nodes returned.
      this.#remoteFailed(err)
      return err instanceof RemotePartialError ? err.values : []
    })
    return keys.map((key, i) => {
      const flight: PendingFetch<V> = { stale: false, promise: undefined as never }
      flight.promise = entries.then((found) => this.#accept(key, found[i], flight))
      this.#track(key, flight)
      return flight.promise
    })
  }

  #track(key: string, flight: PendingFetch<V>): void {
    this.#reads.set(key, flight)
    void flight.promise.then(
      () => this.#untrack(key, flight),
      () => this.#untrack(key, flight),
    )
  }

  #untrack(key: string, flight: PendingFetch<V>): void {
    if (this.#reads.get(key) === flight) this.#reads.delete(key)
  }

  /** Decodes an L2 answer and fills L1 with its remaining TTL, unless the key changed meanwhile. */
  #accept(key: string, entry: RemoteEntry | undefined, flight: PendingFetch<V>): V | undefined {
    if (entry === undefined) {
      this.#counters.l2Misses++
      return undefined
    }
    let value: V
    try {
      value = this.#codec.decode(entry.value)
    } catch (err) {
      const decodeError = isCortadoError(err)
        ? err
        : new CortadoError('ERR_DECODE', `${this.name}: cannot decode the L2 value of "${key}"`, { cause: err })
      return this.#remoteFailed(decodeError)
    }
    this.#counters.l2Hits++
    if (!flight.stale && !this.#closed) this.l1.set(key, value, this.#l1Options(entry.ttl))
    return value
  }

  #skipRemote(): Promise<undefined> {
    this.#counters.l2Skipped++
    if (this.#throwOnRemoteError) {
      return Promise.reject(new CortadoError('ERR_REMOTE', `${this.name}: ${this.l2.name} is unavailable`))
    }
    return Promise.resolve(undefined)
  }

  /** Counts and reports an L2 failure; throws it only when the caller asked for that. */
  #remoteFailed(err: unknown): undefined {
    this.#counters.l2Errors++
    const error = isCortadoError(err)
      ? err
      : new CortadoError('ERR_REMOTE', `${this.name}: ${this.l2.name} failed`, { cause: err })
    this.#onError(error)
    if (this.#throwOnRemoteError) throw error
    return undefined
  }

  #encode(value: V): Uint8Array {
    try {
      return this.#codec.encode(value)
    } catch (err) {
      if (isCortadoError(err)) throw err
      throw new CortadoError('ERR_INVALID_VALUE', `${this.name}: the codec cannot encode this value`, { cause: err })
    }
  }

  /** L1 TTL for an entry with `remaining` ms left (`Infinity` = none), bounded by `l1Ttl`. */
  #l1Options(remaining: number): SetOptions {
    const bound = this.#l1Ttl > 0 ? Math.min(remaining, this.#l1Ttl) : remaining
    return { ttl: bound === Infinity ? 0 : Math.max(1, Math.ceil(bound)) }
  }

  #publish(key: string): void {
    if (this.#bus === undefined || this.#closed) return
    this.#counters.invalidationsSent++
    this.#bus.publish(key)
  }

  #markStale(key: string): void {
    const read = this.#reads.get(key)
    if (read !== undefined) read.stale = true
    const load = this.#loads.get(key)
    if (load !== undefined) load.stale = true
  }

  #dropLocal(key: string): boolean {
    this.#markStale(key)
    return this.l1.delete(key)
  }

  #clearLocal(): void {
    this.#counters.l1Clears++
    for (const flight of this.#reads.values()) flight.stale = true
    for (const flight of this.#loads.values()) flight.stale = true
    this.l1.clear()
  }

  #checkOpen(): void {
    if (this.#closed) throw new CortadoError('ERR_CLOSED', `${this.name} is closed`)
  }
}
