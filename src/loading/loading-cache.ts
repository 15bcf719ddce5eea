/**
 * A cache with its loader and load options bound once (Caffeine's LoadingCache): `get(key)` is
 * getOrLoad with those defaults, which calls can still override.
 */
import type { Cache } from '../cache.js'
import type { LoadOptions, Loader, WarmOptions, WarmResult } from './types.js'
import { mergeLoadOptions, resolveLoadOptions, invalid, type ResolvedLoad } from './options.js'
import { stateOf, type LoadingState } from './state.js'
import { load } from './get-or-load.js'
import { warm, type KeySource } from './warm.js'
import { checkKey } from '../keys.js'

/** A cache with its loader bound (`cache.withLoader(loader)`): `get(key)` is `getOrLoad(key, loader, defaults)`. */
export class LoadingCache<V> {
  /** The cache this wraps. */
  readonly cache: Cache<V>
  // Typed without V so that a Cache<string> stays assignable to Cache<unknown> (a function-typed
  // field would make the cache type invariant in V).
  readonly #loader: Loader<unknown>
  readonly #defaults: LoadOptions | undefined
  readonly #state: LoadingState
  readonly #resolved: ResolvedLoad

  constructor(cache: Cache<V>, loader: Loader<V>, defaults?: LoadOptions) {
    if (typeof loader !== 'function') throw invalid('withLoader(loader): loader must be a function')
    this.cache = cache
    this.#loader = loader as Loader<unknown>
    this.#defaults = defaults
    this.#state = stateOf(cache)
    // Validated now, so a bad default fails at setup rather than on the first request.
    this.#resolved = resolveLoadOptions(defaults, this.#state.cacheTtl, 'withLoader')
  }

  /** getOrLoad(key, loader) with the bound options (overridden by `options`). */
  async get(key: string, options?: LoadOptions): Promise<V | undefined> {
    checkKey(key, 'get')
    const o = options ? resolveLoadOptions(mergeLoadOptions(this.#defaults, options), this.#state.cacheTtl) : this.#resolved
    return load(this.#state, this.cache, key, this.#loader as Loader<V>, o)
  }

  /** warm(keys, loader) with the bound options. */
  warm(keys: KeySource, options?: WarmOptions): Promise<WarmResult> {
    return warm(this.cache, keys, this.#loader as Loader<V>, { ...this.#defaults, ...options } as WarmOptions)
  }
}
