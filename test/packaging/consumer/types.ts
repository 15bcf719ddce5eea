// Type-checked (tsc --noEmit) in a project where cortado was installed from its packed tarball: the
// published declarations of every entry point must resolve and describe the API as documented.
import { Cache, CortadoError, type CacheOptions } from 'cortado'
import { TieredCache } from 'cortado/tier'
import { BloomFilter } from 'cortado/bloom'
import { registerCacheMetrics as prometheusMetrics } from 'cortado/prometheus'
import { registerCacheMetrics as otelMetrics } from 'cortado/otel'
import { KeyvCortado } from 'cortado/keyv'
import Keyv, { type KeyvStoreAdapter } from 'keyv'
import { Registry } from 'prom-client'
import { metrics } from '@opentelemetry/api'

const options: CacheOptions<string> = { maxBytes: 4 << 20, codec: 'string', engine: 'auto' }
const cache = new Cache<string>(options)
const hit: string | undefined = cache.get('k')
const many: (string | undefined)[] = cache.getMany(['a', 'b'])
for (const [key, value] of cache) console.log(key.length, value.length)
// @ts-expect-error a Cache<string> takes strings only
cache.set('k', 42)
const loaded: Promise<string | undefined> = cache.getOrLoad('k', async () => 'v')

prometheusMetrics(cache, { registry: new Registry() }).unregister()
otelMetrics(cache, { meter: metrics.getMeter('consumer') }).unregister()

const store: KeyvStoreAdapter = new KeyvCortado(new Cache<unknown>({ maxBytes: 4 << 20 }))
const keyv = new Keyv<{ id: number }>({ store, namespace: 'users' })
const user: Promise<{ id: number } | undefined> = keyv.get('1')

const failure: unknown = new Error()
if (failure instanceof CortadoError) console.log(failure.code satisfies string)
type Tier = TieredCache<string>
const bloom = new BloomFilter({ expectedItems: 1000, falsePositiveRate: 0.01 })
export { hit, many, loaded, user, keyv, bloom }
export type { Tier }
