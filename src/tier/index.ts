/**
 * The multi-machine tier: a shared L2 (Redis, memcached, sharded) under the in-process cache, and
 * invalidation broadcast between instances. Nothing here loads ioredis or memjs until a store's
 * `connect` is called, so importing the tier costs nothing to users without them.
 * Entry point `cortado/tier` (also at the package root until 0.3).
 */
export { TieredCache } from './tiered-cache.js'
export type { L1Cache, TierLoader, TieredCacheOptions, TieredCacheStats } from './tiered-cache.js'
export { RemotePartialError } from './remote-store.js'
export type { RemoteEntry, RemoteSetEntry, RemoteStore } from './remote-store.js'
export { RedisStore } from './redis-store.js'
export type { RedisClient, RedisConnectOptions, RedisConnection, RedisStoreOptions } from './redis-store.js'
export { MemcachedStore } from './memcached-store.js'
export type { MemcachedConnectOptions, MemcachedStoreOptions } from './memcached-store.js'
export { HashRing } from './hash-ring.js'
export type { HashRingOptions } from './hash-ring.js'
export { ShardedStore } from './sharded-store.js'
export type { ShardedStoreOptions } from './sharded-store.js'
export { InvalidationBus } from './invalidation-bus.js'
export type { InvalidationBusOptions, InvalidationBusStats, InvalidationListener } from './invalidation-bus.js'
