/**
 * The Cache: an lru-cache-like API over an arena of bytes outside the JS heap (WebAssembly memory, or
 * memory the native engine maps), shared by every thread attached to it, with TinyLFU admission.
 *
 * This file is the API: argument checks, documentation, and the loading patterns' entry points. Every
 * byte of the engine's format, the waiting for busy shards and the choice of engine are in src/engine/
 * (core.ts is the engine side of one Cache object); the loading layer (src/loading/) reaches the core
 * through the narrow CacheCore interface of src/engine/access.ts, not through this class.
 */
import type { CacheHandle, CacheOptions, CacheStats, SetOptions } from './types.js'
import { CortadoError, shown } from './errors.js'
import * as L from './layout/constants.generated.js'
import { maxBytesFor, type Geometry } from './layout/geometry.js'
import { checkTtl, policyId } from './options.js'
import { checkOptions, noOptions } from './option-names.js'
import { decodeOwned } from './codecs/index.js'
import { checkKey } from './keys.js'
import { EngineCore } from './engine/core.js'
import type { Front } from './engine/front.js'
import { openNewEngine, openAttachedEngine, checkAnyHandle, type AttachOptions } from './engine/open.js'
import { registerCore } from './engine/access.js'
import { iterateChunks } from './engine/iterate.js'
import { getMany, setMany } from './engine/batch.js'
import {
  getOrLoad, warm, ready, dump, restore, invalidate, LoadingCache, WriteThroughCache, WriteBehindCache,
  type Loader, type LoadOptions, type WarmOptions, type WarmResult, type DumpResult, type RestoreOptions,
  type RestoreResult, type Store, type WriteThroughOptions, type WriteBehindOptions,
} from './loading/index.js'

export type { AttachOptions } from './engine/open.js'

/** The longest key, in UTF-8 bytes, a cache accepts (longer keys throw `ERR_INVALID_KEY`). */
export const MAX_KEY_BYTES = L.MAX_KEY_BYTES

const SET_OPTIONS: ReadonlySet<string> = new Set(['ttl'])
const ATTACH_OPTIONS: ReadonlySet<string> = new Set(['codec', 'clock', 'front'])
const SIZING_OPTIONS: ReadonlySet<string> = new Set(['shards', 'policy', 'maxThreads', 'maxEntrySize'])

/**
 * An in-process cache whose entries live as bytes in one arena outside the JS heap (WebAssembly memory,
 * or memory the native engine maps), shared by every thread that attaches to it, with TinyLFU admission.
 */
export class Cache<V = unknown> {
  /** Name used in metrics and error messages. */
  readonly name: string | undefined
  /** The geometry the arena was laid out with (sizes, shard count, largest entry). */
  readonly geometry: Readonly<Geometry>
  readonly #core: EngineCore<V>
  /**
   * The core's front (fixed for the core's life), held here too so that a front hit through get() reads
   * one field of this object instead of the core and its field (a load and a map check fewer, stop 43).
   */
  readonly #front: Front | undefined

  constructor(options: CacheOptions<V>)
  /** @internal used by Cache.attach */
  constructor(options: CacheOptions<V>, attachTo: { handle: CacheHandle; attach: AttachOptions<V> })
  constructor(options: CacheOptions<V>, attachTo?: { handle: CacheHandle; attach: AttachOptions<V> }) {
    const core = new EngineCore<V>(attachTo
      ? openAttachedEngine<V>(checkAnyHandle(attachTo.handle), attachTo.attach)
      : openNewEngine<V>(options))
    this.#core = core
    this.#front = core.front
    this.name = core.name
    this.geometry = core.geometry
    registerCore(this, core)
  }

  /**
   * The `maxBytes` to give a cache that must hold `entries` entries of about `entryBytes` bytes each
   * (8-byte header + key + value, +8 with a TTL), with `maxEntries: entries`. Other options that
   * shape the arena (`shards`, `policy`, `maxThreads`, `maxEntrySize`) may be passed too.
   */
  static maxBytesFor(entries: number, entryBytes: number, options: Pick<CacheOptions<unknown>, 'shards' | 'policy' | 'maxThreads' | 'maxEntrySize'> = {}): number {
    checkOptions(options, 'Cache.maxBytesFor', SIZING_OPTIONS, '{ shards: 4 }')
    return maxBytesFor(entries, entryBytes, {
      shards: options.shards, maxThreads: options.maxThreads, maxEntrySize: options.maxEntrySize,
      policy: policyId(options.policy),
    })
  }

  /** Attaches to a cache created in another thread of this process (see `cache.handle`). */
  static attach<V = unknown>(handle: CacheHandle, options: AttachOptions<V> = {}): Cache<V> {
    checkOptions(options, 'Cache.attach', ATTACH_OPTIONS, '{ codec }')
    return new Cache<V>({ maxBytes: 0 }, { handle, attach: options })
  }

  /** A structured-cloneable handle: post it to a worker and call `Cache.attach(handle)` there. */
  get handle(): CacheHandle {
    return this.#core.handle()
  }

  // ---- reads -------------------------------------------------------------------------------------

  /**
   * A call given options it does not take: ERR_CLOSED first on a closed cache (as the call itself would
   * answer), else ERR_INVALID_OPTION naming what was passed. Only on that path: the call's own stays lean.
   */
  #refuseOptions(where: string, options: unknown): never {
    this.#core.check()
    throw noOptions(where, options)
  }

  /** The value of `key`, or undefined on a miss (counted as a hit or miss, and a use for the policy). Takes no options. */
  get(key: string, options?: undefined): V | undefined {
    if (options !== undefined) this.#refuseOptions('get', options)
    // core.get written out: the arena path (getArena, with what it inlines) is over V8's inlining budget
    // (920 bytes of bytecode per compiled function), so it is a call; this much inlines into the
    // caller's loop with Front.get, and a front hit makes no call.
    // A front checks the lease and counts its hits itself (Front.get), so a front hit touches nothing
    // of the core; check() comes before every arena path.
    const front = this.#front
    if (front !== undefined) {
      const fronted = front.get(key)
      if (fronted !== undefined) return fronted as V
      // Consulted and missed: the arena hit may enter the front. Standing aside: the plain arena path.
      if (front.consulted) {
        const core = this.#core
        core.check()
        return core.getArenaFilling(key, front)
      }
    }
    const core = this.#core
    core.check()
    return core.getArena(key, undefined)
  }

  /** Like get, but leaves the entry's recency/frequency and the hit/miss counters untouched. */
  peek(key: string, options?: undefined): V | undefined {
    this.#core.check()
    if (options !== undefined) throw noOptions('peek', options)
    return this.#core.peek(key)
  }

  /** Whether `key` holds a live entry, without counting a hit or miss or touching the policy. */
  has(key: string, options?: undefined): boolean {
    this.#core.check()
    if (options !== undefined) throw noOptions('has', options)
    return this.#core.has(key)
  }

  /** Milliseconds until the entry expires: Infinity without a TTL, 0 when absent or expired. */
  getRemainingTTL(key: string, options?: undefined): number {
    if (options !== undefined) this.#refuseOptions('getRemainingTTL', options)
    const expiry = this.#core.expiryOf(key)
    if (expiry === undefined) return 0
    if (expiry === Infinity) return Infinity
    return Math.max(0, expiry - this.#core.clock())
  }

  /** Gets many keys with one engine call per scratch-full of keys (each counted as get counts it). */
  getMany(keys: readonly string[], options?: undefined): (V | undefined)[] {
    if (options !== undefined) this.#refuseOptions('getMany', options)
    return getMany(this.#core, keys)
  }

  // ---- writes ------------------------------------------------------------------------------------

  /**
   * Stores a value. Returns false when it was not stored: larger than an entry may be
   * (`geometry.maxEntryBytes`, counted in stats.oversized) or refused by the admission policy.
   */
  set(key: string, value: V, options?: SetOptions): boolean {
    const core = this.#core
    // core.set checks the lease itself; with options, the closed/lost-slot check must come first.
    if (options === undefined) return core.set(key, value, core.defaultTtl)
    core.check()
    checkKey(key)
    return core.set(key, value, this.#ttlOption(options, 'set'))
  }

  /** Sets many entries with one engine call per scratch-full; returns which were stored. */
  setMany(entries: Iterable<readonly [string, V]> | ReadonlyArray<readonly [string, V]>, options?: SetOptions): boolean[] {
    const core = this.#core
    core.check()
    if (entries === null || typeof (entries as Iterable<unknown>)[Symbol.iterator] !== 'function')
      throw new CortadoError('ERR_INVALID_VALUE', 'setMany takes an iterable of [key, value] pairs')
    const list = Array.isArray(entries) ? entries as ReadonlyArray<readonly [string, V]> : Array.from(entries)
    return setMany(core, list, options === undefined ? core.defaultTtl : this.#ttlOption(options, 'setMany'))
  }

  /** The TTL that set/setMany options ask for (checked as strictly as the constructor's options). */
  #ttlOption(options: SetOptions, where: string): number {
    const o = checkOptions(options, where, SET_OPTIONS, '{ ttl: 5000 }')
    return o.ttl === undefined ? this.#core.defaultTtl : checkTtl(o.ttl, 'ttl')
  }

  /** Removes `key`; true when it was there. */
  delete(key: string, options?: undefined): boolean {
    this.#core.check()
    if (options !== undefined) throw noOptions('delete', options)
    return this.#core.remove(key, L.REMOVE_DELETE)
  }

  /** Removes a key and counts it as an invalidation (for change-data-capture consumers). */
  invalidateKey(key: string, options?: undefined): boolean {
    if (options !== undefined) this.#refuseOptions('invalidateKey', options)
    return this.#core.remove(key, L.REMOVE_INVALIDATE)
  }

  /** Removes every entry. Counters (stats) are kept. */
  clear(): void {
    this.#core.clear()
  }

  /** Removes every expired entry now (expired entries are otherwise reclaimed incrementally). */
  purgeStale(): number {
    return this.#core.purgeStale()
  }

  // ---- iteration ---------------------------------------------------------------------------------
  // Shard by shard, order unspecified; each chunk of entries is read consistently (lock-free and
  // validated, or under the shard's lock), so a concurrent write shows up whole or not at all.

  /** Every live entry as [key, value]. */
  *entries(): Generator<[string, V]> {
    // What getOrLoad stored may be no value now (RawEntry.hidden): a miss for get, has and iteration alike.
    for (const e of iterateChunks(this.#core as EngineCore<unknown>, true))
      if (!e.hidden) yield [e.key, decodeOwned(e.kind, e.bytes!, this.#core.userDecode) as V]
  }

  /** Every live key. */
  *keys(): Generator<string> {
    for (const e of iterateChunks(this.#core as EngineCore<unknown>, false)) if (!e.hidden) yield e.key
  }

  /** Every live value. */
  *values(): Generator<V> {
    for (const [, v] of this.entries()) yield v
  }

  /** Same as `entries()`: `for (const [key, value] of cache)`. */
  [Symbol.iterator](): Generator<[string, V]> {
    return this.entries()
  }

  /** Calls `fn` (with `this` = `thisArg`) for every live entry, as `Map.prototype.forEach` does. */
  forEach<T = undefined>(fn: (this: T, value: V, key: string, cache: this) => void, thisArg?: T): void {
    this.#core.check()
    // Checked before any entry: on an empty cache a wrong argument would otherwise pass unnoticed.
    if (typeof fn !== 'function') throw new CortadoError('ERR_INVALID_OPTION', `forEach(fn): fn must be a function, got ${shown(fn)}`)
    for (const [k, v] of this.entries()) fn.call(thisArg as T, v, k, this)
  }

  /** Number of live entries (expired entries not yet reclaimed included). */
  get size(): number {
    return this.#core.size
  }

  // ==== loading patterns (src/loading) ===============================================================

  /**
   * Cache-aside read: the cached value, or `loader(key, { signal, staleValue })`'s result, stored and
   * returned. Concurrent callers of a key share one loader call in this thread and across every thread
   * attached to the cache. A loader resolving `undefined` is a miss (nothing stored, `undefined`
   * returned); a failing loader fails every waiting caller with the same `ERR_LOADER`. Options add a soft
   * TTL (stale-while-revalidate), early refresh (X-Fetch), serve-stale-on-error, negative caching, a
   * timeout and an AbortSignal.
   */
  getOrLoad(key: string, loader: Loader<V>, options?: LoadOptions): Promise<V | undefined> {
    return getOrLoad(this, key, loader, options)
  }

  /** A view with the loader and load options bound: `view.get(key)` = getOrLoad(key, loader, defaults). */
  withLoader(loader: Loader<V>, defaults?: LoadOptions): LoadingCache<V> {
    this.#core.check() // a view of a closed cache fails here, not at its first use
    return new LoadingCache(this, loader, defaults)
  }

  /**
   * Loads keys (an array, any iterable or async iterable) through `loader`, `concurrency` at a time
   * (default 8), skipping keys already cached unless `reload`. Failures are counted, not thrown.
   */
  warm(keys: Iterable<string> | AsyncIterable<string>, loader: Loader<V>, options?: WarmOptions): Promise<WarmResult> {
    return warm(this, keys, loader, options)
  }

  /** Resolves once every warm-up started so far (in this thread) has finished. Never rejects. */
  get ready(): Promise<void> {
    return ready(this)
  }

  /**
   * Writes every live entry with its remaining TTL to `path`, atomically (temporary file, fsync,
   * rename), in a checksummed, versioned format. `restore(path)` reads it back.
   */
  dump(path: string, options?: undefined): Promise<DumpResult> {
    if (options !== undefined) {
      // dump({ signal }) would otherwise write the file anyway: refused, as get's options are.
      return (async () => this.#refuseOptions('dump', options))()
    }
    return dump(this, path)
  }

  /**
   * Restores a dump written by `dump(path)`, with the TTLs that remain after the time elapsed since.
   * A truncated, corrupt or foreign file is rejected with `ERR_BAD_FILE` and changes nothing.
   */
  restore(path: string, options?: RestoreOptions): Promise<RestoreResult> {
    return restore(this, path, options)
  }

  /**
   * @deprecated Use `restore(path)`: "load" is what a loader does (getOrLoad, withLoader), and
   * lru-cache's `load(entries)` takes an array, not a path. Kept until 0.3.
   */
  load(path: string, options?: RestoreOptions): Promise<RestoreResult> {
    return restore(this, path, options)
  }

  /**
   * Removes keys (one, an iterable, or every key matching a predicate), counted in
   * `stats().invalidations`; a load of such a key in progress here won't store its older result.
   * Returns how many entries were removed.
   */
  invalidate(target: string | Iterable<string> | ((key: string) => boolean), options?: undefined): number {
    if (options !== undefined) this.#refuseOptions('invalidate', options)
    return invalidate(this, target)
  }

  /** A write-through view over `store` (store first, then cache; reads load from the store). */
  writeThrough(store: Store<V>, options?: WriteThroughOptions): WriteThroughCache<V> {
    this.#core.check() // a view of a closed cache fails here, not at its first use
    return new WriteThroughCache(this, store, options)
  }

  /** A write-behind view over `store` (cache now, store later from a bounded, coalescing queue). */
  writeBehind(store: Store<V>, options?: WriteBehindOptions): WriteBehindCache<V> {
    this.#core.check() // a view of a closed cache fails here, not at its first use
    return new WriteBehindCache(this, store, options)
  }

  // ---- stats, integrity, lifetime ------------------------------------------------------------------

  /** Counters since the cache was created, summed over every thread (and process) attached to it. */
  stats(): CacheStats {
    return this.#core.stats()
  }

  /**
   * Checks every invariant of every shard (index ↔ log, counts, segment ownership, bounds), then the
   * arena-wide live total against the shards' counts. Returns an empty array when the cache is
   * consistent, else one message per broken shard (and one for the totals). Takes each shard lock.
   */
  verify(): string[] {
    return this.#core.verify()
  }

  /** Releases this thread's hold on the arena. Other threads attached to it keep working. */
  close(): void {
    this.#core.close()
  }

  /** True after `close()`: every other call then throws `ERR_CLOSED`. */
  get closed(): boolean {
    return this.#core.closed
  }
}
