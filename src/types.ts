/**
 * Public types of Cortado. This file is the contract the engines, the loading layer, the tiers,
 * the metrics exporters and the benchmarks are written against.
 */

/** Built-in value codecs, selectable by name (and therefore re-creatable in any worker thread). */
export type CodecName = 'auto' | 'string' | 'buffer' | 'json' | 'msgpack' | 'v8'

/**
 * A user codec. `encode` must return the bytes of one value; `decode` receives a fresh copy it may keep.
 * Throwing from `encode` makes `set` throw `ERR_INVALID_VALUE` and leaves the cache untouched.
 */
export interface Codec<V> {
  /** The bytes of one value. */
  encode(value: V): Uint8Array
  /** The value of bytes `encode` produced. */
  decode(bytes: Uint8Array): V
}

/** The replacement policy. `'adaptive'` is the default; `'clock'` is the simple baseline policy. */
export type PolicyName = 'adaptive' | 'clock'

/** Which engine holds the arena. */
export type EngineName = 'wasm' | 'native' | 'auto'

/** Options of `new Cache(options)`; only `maxBytes` is required. */
export interface CacheOptions<V = unknown> {
  /**
   * Size of the whole arena in bytes: index, policy metadata and entries together. The arena is
   * allocated once and never grows, so this bounds the cache's resident memory.
   */
  maxBytes: number
  /** Optional bound on the number of live entries (split evenly over the shards). */
  maxEntries?: number
  /** Default time-to-live in milliseconds for entries set without their own `ttl`. 0 = no expiry. */
  ttl?: number
  /** How values become bytes. Default `'auto'`. */
  codec?: CodecName | Codec<V>
  /** Number of shards (each has its own lock, index, queues and sketch). Default from capacity. */
  shards?: number
  /** Replacement policy. Default `'adaptive'`. */
  policy?: PolicyName
  /** Name used in metrics and in error messages. */
  name?: string
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  clock?: () => number
  /** Seed of the key hash (and of the policy's random choices). Default: random per cache. */
  seed?: number
  /** Most threads that may attach to this cache at once (each needs a scratch area). Default 16. */
  maxThreads?: number
  /**
   * Expected average entry size in bytes (key + value + 8-byte header), used to size the hash index
   * when `maxEntries` is not given. Default 128.
   */
  expectedEntrySize?: number
  /**
   * The largest entry (8 bytes + key + value) the cache must be able to hold, when more than the
   * default: a third of a shard (1 MiB from 4 MiB caches up, 4 MiB at 256 MiB), entries larger than a
   * segment keeping their value in a chain of segments. This makes segments at least this large (with
   * fewer shards if needed). `cache.geometry.maxEntryBytes` tells the actual limit. Larger entries are refused
   * (`set` returns false, counted in `stats().oversized`; the first refusal of a cache also emits one
   * process warning, code `CORTADO_OVERSIZED`, naming this option and the limit).
   */
  maxEntrySize?: number
  /** Engine: `'wasm'` (default), `'native'` (mapped memory, needs the addon) or `'auto'`. */
  engine?: EngineName
  /** For the native engine: a file (e.g. in /dev/shm) that several processes map to share the cache. */
  path?: string
}

/** Options of one write. */
export interface SetOptions {
  /** Time-to-live in milliseconds for this entry; 0 = never expires. Default: the cache's `ttl`. */
  ttl?: number
}

/** Counters since the cache was created (summed over every thread attached to it). */
export interface CacheStats {
  /** Reads that found a live entry. */
  hits: number
  /** Reads that found none. */
  misses: number
  /** Entries stored. */
  sets: number
  /** Entries removed by `delete`. */
  deletes: number
  /** Entries removed by the policy to make room. */
  evictions: number
  /** Entries removed because their TTL ran out. */
  expirations: number
  /** Sets refused by the admission policy or because the value was larger than an entry may be. */
  rejections: number
  /** Live entries now. */
  entries: number
  /** Bytes of live entries (header + key + value). */
  bytesUsed: number
  /** Bytes available for entries (the arena minus index and metadata). */
  bytesTotal: number
  /** hits / (hits + misses), 0 when there were no lookups. */
  hitRatio: number
  /** Sets refused because the entry could never fit in a shard (part of `rejections`). */
  oversized: number
  /** Entries removed by `invalidate()`. */
  invalidations: number
  /** Times a shard lock held by a dead thread was taken over and the shard repaired. */
  lockRecoveries: number
  /** Loader calls that resolved with a value / that failed (getOrLoad, warm, refresh). */
  loadSuccesses: number
  /** Loader calls that failed. */
  loadFailures: number
  /** Sum of loader durations in milliseconds (successful and failed). */
  loadTimeMs: number
  /** Stale values served by stale-while-revalidate or serve-stale-on-error. */
  staleHits: number
  /** Background refreshes started (soft TTL or early recomputation). */
  refreshes: number
  /**
   * Values a loader returned that could not be stored (larger than `geometry.maxEntryBytes`, counted
   * in `oversized` too, or refused by the admission policy): getOrLoad returned them all the same.
   */
  loadsNotStored: number
  /**
   * Lock-free reads that found a writer had moved under their copy and read again (optimistic-read
   * retries). A few under write contention are normal; the copy that raced is never returned.
   */
  readRetries: number
}

/**
 * A structured-cloneable description of a cache, for `postMessage` or `workerData`.
 * `Cache.attach(handle)` in any thread of the same process returns a `Cache` over the same arena.
 */
export interface CacheHandle {
  /** Marks the object as a Cortado cache handle. */
  readonly kind: 'cortado-cache'
  /** The module version that made it: `Cache.attach` refuses another one. */
  readonly version: string
  /** Opaque engine data (the shared WebAssembly.Memory for the wasm engine). */
  readonly [key: string]: unknown
}

/** The subset of a cache's surface that tiers, loaders and exporters depend on. */
export interface CacheLike<V> {
  /** Name used in metrics and error messages. */
  readonly name: string | undefined
  /** The value of `key`, or undefined on a miss. */
  get(key: string): V | undefined
  /** Stores `value`; false when the cache refused it. */
  set(key: string, value: V, options?: SetOptions): boolean
  /** Whether `key` holds a live entry. */
  has(key: string): boolean
  /** Removes `key`; true when it was there. */
  delete(key: string): boolean
  /** Milliseconds until `key` expires: Infinity without a TTL, 0 when absent or expired. */
  getRemainingTTL(key: string): number
  /** Counters since the cache was created. */
  stats(): CacheStats
}
