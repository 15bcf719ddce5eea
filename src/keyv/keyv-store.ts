/**
 * A Keyv storage adapter over a Cortado `Cache`, so Keyv, cache-manager 7 (what NestJS's CacheModule
 * uses) and cacheable can keep their in-memory layer off-heap and shared across worker threads.
 *
 * Keyv's contract, as its compliance suite (@keyv/test-suite) checks it:
 * - keys arrive prefixed with `<namespace>:` (Keyv adds it) and Keyv sets `store.namespace`; `clear()`
 *   removes only that namespace's keys (every key when there is no namespace);
 * - values arrive already serialized by Keyv (a string holding `{ value, expires }`; objects when Keyv's
 *   serializer is turned off), and Keyv checks `expires` itself on every read;
 * - `ttl` is in milliseconds; the entry also expires in the Cache, so it stops taking space.
 *
 * The adapter needs nothing from the keyv package at run time: Keyv finds these methods by name. It
 * has no setMany: Keyv 5 types a store's setMany as returning nothing yet returns its result from
 * keyv.setMany, so without one Keyv sets each entry itself and reports each outcome.
 */
import { EventEmitter } from 'node:events'
import { Cache } from '../cache.js'
import { CortadoError, shown } from '../errors.js'
import type { CacheOptions } from '../types.js'

/** The `opts` object Keyv reads (and some of Keyv's tests write to) on a store. */
export interface KeyvCortadoOpts {
  /** Identifies the adapter, as other Keyv adapters' `dialect` does. */
  dialect: 'cortado'
  /** Keyv 5 reads `opts.url` to decide whether to wire `keyv.iterator()`; see docs/keyv.md. */
  url: string
  [key: string]: unknown
}

/**
 * `new Keyv({ store: new KeyvCortado(cache) })`: Keyv's storage on a `Cache` you made (left open by
 * `disconnect()`), or on one the adapter makes from `CacheOptions` (closed by `disconnect()`).
 */
export class KeyvCortado extends EventEmitter {
  /** Adapter options as Keyv expects to find them on a store. */
  readonly opts: KeyvCortadoOpts = { dialect: 'cortado', url: 'cortado://memory' }
  /** Set by Keyv to its namespace; `clear()` and `iterator()` are limited to it. */
  namespace: string | undefined
  /** The cache holding the entries. */
  readonly cache: Cache<unknown>
  readonly #owned: boolean

  /** @param cache a Cache to store into, or the options of a new one owned by this adapter. */
  constructor(cache: Cache<unknown> | CacheOptions<unknown>) {
    super()
    if (cache instanceof Cache) {
      this.cache = cache
      this.#owned = false
    } else if (typeof cache === 'object' && cache !== null) {
      this.cache = new Cache<unknown>(cache)
      this.#owned = true
    } else {
      throw new CortadoError('ERR_INVALID_OPTION', `KeyvCortado needs a Cache or CacheOptions, got ${shown(cache)}`)
    }
  }

  /** The stored (serialized) value, or undefined. */
  async get<Value>(key: string): Promise<Value | undefined> {
    return this.cache.get(key) as Value | undefined
  }

  /** The stored values of `keys`, in order (undefined for a miss). */
  async getMany<Value>(keys: string[]): Promise<(Value | undefined)[]> {
    return this.cache.getMany(keys) as (Value | undefined)[]
  }

  /**
   * Stores `value` for `ttl` milliseconds (the cache's default TTL when undefined). False when the
   * cache refused it (its admission policy, or larger than an entry may be): Keyv's `set` then
   * resolves to false.
   */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    return this.cache.set(key, value, ttl === undefined ? undefined : { ttl })
  }

  /** True when the key was there. */
  async delete(key: string): Promise<boolean> {
    return this.cache.delete(key)
  }

  /** True when at least one of the keys was there (as Keyv's Redis adapter answers). */
  async deleteMany(keys: string[]): Promise<boolean> {
    let deleted = false
    for (const key of keys) if (this.cache.delete(key)) deleted = true
    return deleted
  }

  /** Whether the key holds a live entry. */
  async has(key: string): Promise<boolean> {
    return this.cache.has(key)
  }

  /** Whether each key holds a live entry. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    return keys.map((key) => this.cache.has(key))
  }

  /** Removes this namespace's keys, or every key when there is no namespace. */
  async clear(): Promise<void> {
    const prefix = this.#prefix(this.namespace)
    if (prefix === undefined) this.cache.clear()
    else this.cache.invalidate((key) => key.startsWith(prefix))
  }

  /** `[key, stored value]` of every entry of `namespace` (keys still prefixed, as Keyv expects). */
  async *iterator<Value>(namespace?: string): AsyncGenerator<[string, Awaited<Value> | undefined], void> {
    const prefix = this.#prefix(namespace)
    for (const [key, value] of this.cache.entries()) {
      if (prefix === undefined || key.startsWith(prefix)) yield [key, value as Awaited<Value>]
    }
  }

  /** Closes the cache when this adapter created it; a cache passed in stays open. */
  async disconnect(): Promise<void> {
    if (this.#owned && !this.cache.closed) this.cache.close()
  }

  #prefix(namespace: string | undefined): string | undefined {
    return namespace ? `${namespace}:` : undefined
  }
}
