/**
 * Public types of Cortado. This file is the contract the engines, the loading layer, the tiers,
 * the metrics exporters and the benchmarks are written against.
 */

import type { FrontOptions } from './engine/front.js'
export type { FrontOptions } from './engine/front.js'

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
   * allocated once and never grows, so this bounds the cache's resident memory. Trade-off: memory
   * is taken up front (pages are touched as they are used); too small an arena evicts early, and
   * `Cache.maxBytesFor(entries, entryBytes)` computes what a given number of entries needs.
   */
  maxBytes: number
  /**
   * Optional bound on the number of live entries, for the whole cache (one global count, however many
   * shards and threads). Without it, only `maxBytes` bounds the cache. Trade-off: it also sizes the
   * hash index; a bound far above what `maxBytes` can hold wastes index memory.
   */
  maxEntries?: number
  /**
   * Default time-to-live in milliseconds for entries set without their own `ttl`. 0 = no expiry.
   * Trade-off: with TTLs in use every call reads the clock (a few ns); expired entries are reclaimed
   * lazily (on read, and as eviction passes them) or at once with `purgeStale()`.
   */
  ttl?: number
  /**
   * How values become bytes. Default `'auto'` (strings, numbers, Buffers stored as themselves, other
   * values as MessagePack). `'v8'` keeps Maps, Sets, Dates, cycles and class-less structure (slower);
   * `'string'` / `'buffer'` are the fastest when every value is of that type. A custom `{ encode,
   * decode }` must be passed again to `Cache.attach` in each thread.
   */
  codec?: CodecName | Codec<V>
  /**
   * Number of shards (each has its own lock, index, queues and sketch). Default from capacity (up to
   * 16). Trade-off: more shards mean less contention between threads but a smaller largest entry and a
   * coarser policy (each shard decides admission alone).
   */
  shards?: number
  /**
   * Replacement policy. Default `'adaptive'` (TinyLFU admission with a recency window that adapts to
   * the workload: the best hit ratio on real traces). `'clock'` is the simple baseline (second chance,
   * no admission filter): cheaper writes, worse under scans and one-hit wonders.
   */
  policy?: PolicyName
  /** Name used in metrics and in error messages. */
  name?: string
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  clock?: () => number
  /**
   * Seed of the key hash (and of the policy's random choices). Default: random per cache, so nobody
   * can precompute colliding keys; set it only for reproducible tests and benchmarks.
   */
  seed?: number
  /**
   * Most threads that may be attached to this cache at once (each holds a slot with a scratch area of
   * 16 KiB). Default 16. Slots of threads that exit (even by `terminate()`) are reclaimed, so this
   * bounds threads alive at once, not threads ever created.
   */
  maxThreads?: number
  /**
   * Expected average entry size in bytes (key + value + 8-byte header), used to size the hash index
   * when `maxEntries` is not given. Default 128.
   */
  expectedEntrySize?: number
  /**
   * The largest entry (8 bytes + key + value, 16 + key + value with a TTL) the cache accepts, exactly:
   * a cap below the default, as lru-cache's, kept in the arena so attached threads and processes
   * refuse the same entries. Default: maxBytes / 16 (and 1 MiB whenever the shards can lend it), at least a third of a shard
   * (1 MiB at every size from 4.25 MiB up, 4 MiB at 64 MiB, 16 MiB at 256 MiB, at most 4 GiB - 1), entries
   * larger than a segment keeping their value in a chain of segments (borrowed from other shards beyond
   * a third of their own). Above the default this makes segments at least this large (with
   * fewer shards if needed). `cache.geometry.maxEntryBytes` tells the actual limit. Larger entries are refused
   * (`set` returns false, counted in `stats().oversized`; the first refusal of a cache also emits one
   * process warning, code `CORTADO_OVERSIZED`, naming this option and the limit).
   */
  maxEntrySize?: number
  /**
   * Engine: `'wasm'` (default: WebAssembly memory, up to 4 GiB, shared by worker threads), `'native'`
   * (memory the native addon maps: beyond 4 GiB, and shared between processes through `path`; needs
   * the addon for this platform) or `'auto'` (native when its addon is installed, else wasm).
   */
  engine?: EngineName
  /** For the native engine: a file (e.g. in /dev/shm) that several processes map to share the cache. */
  path?: string
  /**
   * A front for this thread: the hottest entries' decoded values kept on the JS heap (a Map lookup
   * instead of an engine call), validated against the arena on every hit so they are never stale, and
   * their hits recorded for the policy in batches. `true` for the defaults (16 MiB), or
   * `{ maxBytes, shareObjects }`. Default: none. Trade-off: heap (up to `maxBytes` per thread) for
   * speed on a hot set; a workload the front can't hold costs little (it stops consulting itself). Each
   * thread chooses its own (`Cache.attach(handle, { front })`). See docs/front.md.
   */
  front?: boolean | FrontOptions
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
  /** Entries whose TTL ran out, whatever found them first (a read, the sweep, a delete, a set of the key...). */
  expirations: number
  /**
   * Sets refused by the admission policy or because the value was larger than an entry may be. A refused
   * set of a key that was stored removes its old value too (the cache must not serve what the caller just
   * replaced): see `rejectedOverwrites`.
   */
  rejections: number
  /**
   * Refused sets of a key that held a live value (part of `rejections`): the refusal removed that value,
   * as lru-cache drops a key whose new value it refuses. With `sets`, `deletes`, `evictions`,
   * `expirations` and `invalidations` it accounts for every entry that left (an old value that had
   * expired counts in `expirations` instead).
   */
  rejectedOverwrites: number
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
  /** Hits served by a thread's front (the `front` option) without an engine call; included in `hits`. */
  frontHits: number
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
