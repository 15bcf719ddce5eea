/**
 * Write-through: the store is the system of record and is written first; the cache is updated after a
 * successful store write. A store failure rejects the caller's write (nothing changed in the cache);
 * a cache failure after it is reported (onError) and counted, never thrown: the write did happen. Reads
 * are getOrLoad with `store.load`.
 */
import type { Cache } from '../cache.js'
import { CortadoError } from '../errors.js'
import { noOptions } from '../option-names.js'
import { storeFailed } from './errors.js'
import { checkKey } from '../keys.js'
import type { LoadOptions, Store, WriteThroughOptions, WriteThroughStats } from './types.js'
import { checkStore, mergeLoadOptions, resolveLoadOptions, resolveWriteThroughOptions, type ResolvedLoad } from './options.js'
import { stateOf, type LoadingState } from './state.js'
import { load } from './get-or-load.js'
import { storeValue, supersede } from './single-flight.js'
import { KeyQueue } from './key-queue.js'

/**
 * A write-through/behind set or delete given options: refused, not ignored (`set(k, v, { ttl })` would
 * otherwise store the value under the view's TTL while the caller thinks it chose one).
 */
export function viewWriteOptions(view: 'writeThrough' | 'writeBehind', method: 'set' | 'delete', options: unknown): CortadoError {
  const hint = method === 'set' ? `written values take the view's load options (cache.${view}(store, { load: { ttl } }))` : undefined
  return noOptions(`${view} ${method}`, options, hint)
}

/** A write must not reach the store when its cache copy can't be updated any more. */
export function checkOpen(cache: Cache<unknown>): void {
  if (cache.closed) throw new CortadoError('ERR_CLOSED', 'the cache behind this write-through/behind view is closed')
}

/** Writes go to the store first, then the cache; reads load from the store on a miss (`cache.writeThrough(store)`). */
export class WriteThroughCache<V> {
  /** The cache this wraps. */
  readonly cache: Cache<V>
  readonly #store: Store<V>
  readonly #state: LoadingState
  readonly #loadOptions: LoadOptions | undefined
  readonly #load: ResolvedLoad
  readonly #onError: NonNullable<WriteThroughOptions['onError']>
  readonly #order = new KeyQueue()
  readonly #stats: WriteThroughStats = { saves: 0, deletes: 0, cacheErrors: 0 }

  constructor(cache: Cache<V>, store: Store<V>, options?: WriteThroughOptions) {
    checkStore(store, 'writeThrough')
    const o = resolveWriteThroughOptions(options)
    this.cache = cache
    this.#store = store
    this.#state = stateOf(cache)
    this.#loadOptions = o.load
    this.#load = resolveLoadOptions(o.load, this.#state.cacheTtl, 'writeThrough')
    this.#onError = o.onError
  }

  /** The cached value, or the store's (loaded once for all concurrent callers, then cached). */
  async get(key: string, options?: LoadOptions): Promise<V | undefined> {
    checkKey(key, 'get')
    const o = options ? resolveLoadOptions(mergeLoadOptions(this.#loadOptions, options), this.#state.cacheTtl) : this.#load
    return load(this.#state, this.cache, key, (k, ctx) => this.#store.load(k, ctx), o)
  }

  /**
   * Writes the store, then the cache. Rejects (cache untouched) if the store write fails. Takes no
   * options: written values get the view's `load` options (`ttl`, `softTtl`...).
   */
  async set(key: string, value: V, options?: undefined): Promise<void> {
    if (options !== undefined) throw viewWriteOptions('writeThrough', 'set', options)
    checkKey(key, 'set')
    checkOpen(this.cache)
    return this.#order.run(key, async () => {
      // A load of this key in progress read the old value: it must not be cached over this one.
      supersede(this.#state, key)
      await storeCall(() => this.#store.save(key, value), 'save', key)
      this.#stats.saves++
      this.#updateCache(key, () => { storeValue(this.#state, key, value, this.#load, 0) })
    })
  }

  /** Deletes from the store, then from the cache. Rejects (cache untouched) if the store delete fails. */
  async delete(key: string, options?: undefined): Promise<void> {
    if (options !== undefined) throw viewWriteOptions('writeThrough', 'delete', options)
    checkKey(key, 'delete')
    checkOpen(this.cache)
    return this.#order.run(key, async () => {
      supersede(this.#state, key)
      await storeCall(() => this.#store.delete(key), 'delete', key)
      this.#stats.deletes++
      this.#updateCache(key, () => { this.cache.delete(key) })
    })
  }

  #updateCache(key: string, update: () => void): void {
    try {
      update()
    } catch (e) {
      this.#stats.cacheErrors++
      // Never leave the previous value in the cache once the store has moved on.
      try { this.cache.delete(key) } catch { /* the cache is unusable (closed): nothing stale can be read from it */ }
      try { this.#onError(e, key, 'cache') } catch { /* a throwing handler must not fail the write */ }
    }
  }

  /** Counters since this view was created. */
  stats(): WriteThroughStats {
    return { ...this.#stats }
  }
}

/** A store's save or delete, its failure typed (ERR_STORE, the store's error in `cause`). */
async function storeCall(call: () => unknown, operation: 'save' | 'delete', key: string): Promise<void> {
  try {
    await call()
  } catch (e) {
    throw storeFailed(operation, key, e)
  }
}
