export { Cache, MAX_KEY_BYTES } from './cache.js'
export type { AttachOptions } from './cache.js'
export { CortadoError, isCortadoError } from './errors.js'
export type { CortadoErrorCode } from './errors.js'
export type {
  CacheOptions, SetOptions, CacheStats, CacheHandle, CacheLike, Codec, CodecName, PolicyName, EngineName,
} from './types.js'
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
