/**
 * Public types of the loading layer: loaders, per-call load options, warm-up, dumps, stores for
 * write-through / write-behind. Every option is validated in src/loading/options.ts.
 */
import type { CortadoError } from '../errors.js'

/** What a loader receives besides the key. */
export interface LoaderContext<V> {
  /**
   * Aborted when nobody waits for this load any more: every caller in this thread aborted or timed
   * out and no other thread waits for it. A loader that ignores it and resolves anyway still gets its
   * value stored; later callers don't join an abandoned load, they start their own.
   */
  signal: AbortSignal
  /** The value this load replaces (refresh of a stale or soon-expiring value), if there is one. */
  staleValue: V | undefined
}

/**
 * Produces the value of a key on a miss. Resolving `undefined` means "no such value": nothing is
 * stored and the caller gets `undefined` (a miss, not a stored value). Throwing (or rejecting) fails
 * every caller waiting for this load with the same `CortadoError` `ERR_LOADER` (the error in `cause`).
 */
export type Loader<V> = (key: string, context: LoaderContext<V>) => V | undefined | Promise<V | undefined>

/** X-Fetch (probabilistic early recomputation) settings. */
export interface EarlyRefreshOptions {
  /**
   * How eagerly to refresh before expiry. 1 (the default) is the value the X-Fetch paper shows to be
   * optimal; larger values refresh earlier, smaller later.
   */
  beta?: number
}

/** Options of one `getOrLoad` call (or the defaults of a `cache.withLoader(...)` view). */
export interface LoadOptions {
  /**
   * Hard TTL in ms of a loaded value: past it, callers wait for a new load. Default: the cache's `ttl`.
   * 0 = never expires.
   */
  ttl?: number
  /**
   * Soft TTL in ms (stale-while-revalidate): past it (and before `ttl`) the value is served at once,
   * counted in `stats().staleHits`, and one background refresh per key starts. At most `ttl` when
   * `ttl` > 0. Default: none.
   */
  softTtl?: number
  /**
   * Serve-stale-on-error: keep a value this many ms past its hard TTL, and when reloading it fails,
   * give callers that stale value instead of the error (counted in `staleHits`). Default 0 (off).
   */
  staleIfError?: number
  /**
   * Negative caching: when a load fails, store the failure for this many ms; meanwhile callers get
   * the same error without the loader being called. Default 0 (failures are not cached).
   */
  negativeTtl?: number
  /**
   * X-Fetch: refresh a value in the background before it expires, with a probability that rises as
   * its expiry (the soft TTL, else the hard TTL) approaches and with the time its load took.
   * Default off.
   */
  earlyRefresh?: boolean | EarlyRefreshOptions
  /** This caller waits at most this many ms, then gets `ERR_TIMEOUT` (others keep waiting). */
  timeout?: number
  /** Aborts this caller's wait with `ERR_ABORTED` (others keep waiting). */
  signal?: AbortSignal
  /**
   * Cross-thread: a thread waiting for another thread's load takes it over when the loading thread
   * showed no sign of life (heartbeat) for this many ms. At least 200. Default 3000.
   */
  leaseMs?: number
  /** Random numbers in [0, 1) for X-Fetch. Default `Math.random`; inject a seeded one in tests. */
  random?: () => number
  /**
   * Called when a background refresh fails (the stale value stays). The failure is counted in
   * `stats().loadFailures` either way.
   */
  onRefreshError?: (error: CortadoError, key: string) => void
}

/** Progress of a warm-up, after each key. */
export interface WarmProgress {
  /** Keys handled so far (loaded, skipped, missing and failed). */
  done: number
  /** Keys loaded and stored so far. */
  loaded: number
  /** Keys already in the cache (not reloaded unless `reload` is set). */
  skipped: number
  /** Keys whose loader resolved `undefined`. */
  missing: number
  /** Keys whose loader failed so far. */
  failed: number
  /** The key just handled, and its error if it failed. */
  key: string
  /** The error of the key just handled, when it failed. */
  error?: CortadoError
}

/** Options of `cache.warm(keys, loader, options)`, with the load options applied to each key. */
export interface WarmOptions extends Omit<LoadOptions, 'signal' | 'timeout'> {
  /** Loads running at once. Default 8. */
  concurrency?: number
  /** Called after each key. Exceptions it throws are ignored (counted in `WarmResult.progressErrors`). */
  onProgress?: (progress: WarmProgress) => void
  /** Reload keys that are already cached. Default false (after `cache.load(path)`, only the gaps load). */
  reload?: boolean
  /** Stops the warm-up: no new key starts, the promise rejects with `ERR_ABORTED`. */
  signal?: AbortSignal
  /** Per-key timeout in ms (a key that times out counts as failed). */
  timeout?: number
}

/** How a warm-up went. */
export interface WarmResult {
  /** Keys loaded and stored. */
  loaded: number
  /** Keys already cached (not reloaded). */
  skipped: number
  /** Keys whose loader resolved `undefined`. */
  missing: number
  /** Keys whose loader failed or timed out. */
  failed: number
  /** onProgress calls that threw. */
  progressErrors: number
  /** Wall time of the whole warm-up. */
  durationMs: number
}

/** What `cache.dump(path)` wrote. */
export interface DumpResult {
  /** Entries written. */
  entries: number
  /** Size of the file in bytes. */
  bytes: number
}

/** Options of `cache.load(path, options)`. */
export interface RestoreOptions {
  /** A missing file resolves `{ missing: true }` instead of rejecting. Default false. */
  ignoreMissing?: boolean
}

/** What `cache.load(path)` restored. */
export interface RestoreResult {
  /** Entries stored. */
  loaded: number
  /** Entries whose TTL ran out between the dump and now (not stored). */
  expired: number
  /** Entries the cache refused (admission policy, or larger than this cache's largest entry). */
  rejected: number
  /** True when the file did not exist and `ignoreMissing` was set. */
  missing: boolean
}

/** The system of record behind a write-through or write-behind cache. */
export interface Store<V> {
  /** Reads a key (on a cache miss). `undefined` = no such key. */
  load(key: string, context: LoaderContext<V>): V | undefined | Promise<V | undefined>
  /** Writes a key (a `set` through the view). What it returns (or resolves to) is ignored. */
  save(key: string, value: V): unknown
  /** Removes a key (a `delete` through the view). What it returns (or resolves to, e.g. a boolean) is ignored. */
  delete(key: string): unknown
}

/** How a write-through/behind cache reports failures it does not throw. */
export type StoreErrorHandler = (error: unknown, key: string, operation: 'save' | 'delete' | 'cache') => void

/** Options of `cache.writeThrough(store, options)`. */
export interface WriteThroughOptions {
  /** Options of the reads (`get` = getOrLoad with `store.load`) and TTL of the cached copies. */
  load?: LoadOptions
  /**
   * Called when the cache could not be updated after the store was (the caller is not failed: the
   * store is the truth). Default: a process warning. Counted in `stats().cacheErrors` either way.
   */
  onError?: StoreErrorHandler
}

/** Counters of a write-through view. */
export interface WriteThroughStats {
  /** Store writes that succeeded. */
  saves: number
  /** Store deletes that succeeded. */
  deletes: number
  /** Cache updates that failed after a successful store write (the key was then dropped from the cache). */
  cacheErrors: number
}

/** Options of `cache.writeBehind(store, options)`. */
export interface WriteBehindOptions {
  /** Options of the reads (`get` = getOrLoad with `store.load`) and TTL of the cached copies. */
  load?: LoadOptions
  /** Most keys with a write pending (queued or being written). Default 10 000. */
  maxQueue?: number
  /** Store writes running at once. Default 4. */
  concurrency?: number
  /** How long a write waits in the queue before it starts, so quick rewrites coalesce. Default 10 ms. */
  delayMs?: number
  /**
   * A write that finds the queue full: `'wait'` (default) — the returned promise resolves once there is
   * room (backpressure); `'throw'` — rejects at once with `ERR_QUEUE_FULL`.
   */
  onFull?: 'wait' | 'throw'
  /** Attempts per write after the first failure. Default 3. */
  retries?: number
  /** Delay before the first retry, doubling each time. Default 100 ms. */
  retryDelayMs?: number
  /**
   * Called when a write failed for good (after its retries), with the ERR_STORE write-through would
   * reject with (the store's error in `cause`), and for cache failures. Default: a process warning.
   */
  onError?: StoreErrorHandler
}

/** Counters of a write-behind view. */
export interface WriteBehindStats {
  /** Keys with a write queued, not started yet. */
  queued: number
  /** Writes being executed by the store now. */
  inFlight: number
  /** Store writes completed. */
  saved: number
  /** Store deletes completed. */
  deleted: number
  /** Writes given up after their retries (reported to onError). */
  failed: number
  /** Store calls retried after a failure. */
  retries: number
  /** Writes that replaced a queued write of the same key (only the last one is written). */
  coalesced: number
  /** Writes that had to wait for room in a full queue. */
  fullWaits: number
  /** Writes refused with ERR_QUEUE_FULL (onFull: 'throw'). */
  fullRejections: number
  /** Cache updates that failed (the store write was still queued). */
  cacheErrors: number
}

/** What `flush()` waited for. */
export interface FlushResult {
  /** Writes completed by the store since the flush began. */
  written: number
  /** Writes that failed for good since the flush began. */
  failed: number
}
