/** The loading layer: cache-aside with single-flight, SWR, X-Fetch, write-through/behind, warm-up, dumps. */
export { getOrLoad } from './get-or-load.js'
export { warm, ready, type KeySource } from './warm.js'
export { dump, restore } from './dump.js'
export { invalidate, type InvalidateTarget } from './invalidate.js'
export { LoadingCache } from './loading-cache.js'
export { WriteThroughCache } from './write-through.js'
export { WriteBehindCache } from './write-behind.js'
export { shouldRefreshEarly, earlyRefreshProbability } from './x-fetch.js'
export type {
  Loader, LoaderContext, LoadOptions, EarlyRefreshOptions, WarmOptions, WarmProgress, WarmResult, DumpResult,
  RestoreOptions, RestoreResult, Store, StoreErrorHandler, WriteThroughOptions, WriteThroughStats, WriteBehindOptions,
  WriteBehindStats, FlushResult,
} from './types.js'
