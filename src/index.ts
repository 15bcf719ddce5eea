/**
 * The package root: the Cache, its options and errors, its loading patterns (cache-aside, write-through,
 * write-behind) and peer fill. Other concerns have their own entry points: `cortado/tier` (L1/L2 tiers,
 * Redis and memcached stores), `cortado/bloom` (Bloom filters), `cortado/disk` (log store, blob cache,
 * S3), `cortado/keyv`, `cortado/cdc`, `cortado/prometheus`, `cortado/otel`.
 */
export { Cache, MAX_KEY_BYTES } from './cache.js'
export type { AttachOptions } from './cache.js'
export { CortadoError, isCortadoError } from './errors.js'
export type { CortadoErrorCode } from './errors.js'
export type {
  CacheOptions, SetOptions, FrontOptions, CacheStats, CacheHandle, CacheLike, Codec, CodecName, PolicyName, EngineName,
} from './types.js'
// Deprecated at the root since 0.2, removed in 0.3: import these from 'cortado/bloom' and 'cortado/tier'
// (the root keeps the cache itself, its loading patterns and peers; each other concern has its subpath).
export * from './bloom/index.js'
export { TieredCache, RedisStore, MemcachedStore, ShardedStore, HashRing, InvalidationBus, RemotePartialError } from './tier/index.js'
export type {
  L1Cache, TierLoader, TieredCacheOptions, TieredCacheStats, RemoteEntry, RemoteSetEntry, RemoteStore,
  RedisClient, RedisConnection, RedisConnectOptions, RedisStoreOptions, MemcachedStoreOptions, MemcachedConnectOptions,
  ShardedStoreOptions, HashRingOptions, InvalidationBusOptions, InvalidationBusStats, InvalidationListener,
} from './tier/index.js'
export { LoadingCache, WriteThroughCache, WriteBehindCache } from './loading/index.js'
export type {
  Loader, LoaderContext, LoadOptions, EarlyRefreshOptions, WarmOptions, WarmProgress, WarmResult, DumpResult,
  RestoreOptions, RestoreResult, Store, StoreErrorHandler, WriteThroughOptions, WriteThroughStats, WriteBehindOptions,
  WriteBehindStats, FlushResult,
} from './loading/index.js'
export { PeerGroup, type PeerGroupOptions, type PeerGroupStats, type PeerGetOptions, type PeerListenOptions, type PeerList, type PeerCache, type HotCacheOptions } from './peer/index.js'
