/**
 * Builds a full instance of the tier (its own Redis connection, bus and L1) against a test server,
 * as each process of a multi-instance deployment would, and tears it down.
 */
import { InvalidationBus, RedisStore, TieredCache, type TieredCacheOptions } from '../../src/tier/index.js'
import { makeL1 } from './l1.js'

export interface Instance<V> {
  tier: TieredCache<V>
  store: RedisStore
  bus: InvalidationBus
  close(): Promise<void>
}

export async function instance<V>(
  port: number,
  options: Partial<TieredCacheOptions<V>> = {},
): Promise<Instance<V>> {
  const store = await RedisStore.connect({ host: '127.0.0.1', port, retryStrategy: () => 50 })
  const bus = new InvalidationBus({ client: store.client, retryDelay: 50 })
  await bus.ready()
  const l1 = makeL1<V>()
  const tier = new TieredCache<V>({ l1, l2: store, bus, ...options })
  return {
    tier,
    store,
    bus,
    async close() {
      await tier.close()
      await bus.close()
      await store.close()
      l1.close()
    },
  }
}

/** Resolves when `check` holds, polling every turn of the event loop; rejects after `limitMs`. */
export async function until(check: () => boolean, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${limitMs} ms`)
    await new Promise((r) => setTimeout(r, 1))
  }
}

let markers = 0

/**
 * Waits until `to` has processed every key `from` published so far, so a test's next read cannot be
 * overtaken by an invalidation still on its way (both instances share this process's event loop).
 * It publishes a marker key after them: one publishing connection, one channel and one subscribing
 * connection keep messages in order, so once the marker is in, everything before it is too.
 */
export async function delivered<V>(from: Instance<V>, to: Instance<V>): Promise<void> {
  const marker = `delivery-marker-${++markers}`
  let arrived!: () => void
  const seen = new Promise<void>((resolve) => (arrived = resolve))
  const stop = to.bus.subscribe({
    invalidate: (keys) => {
      if (keys.includes(marker)) arrived()
    },
    invalidateAll: () => {},
  })
  try {
    from.bus.publish(marker)
    await from.bus.flush()
    await seen
  } finally {
    stop()
  }
}

/** A promise with its resolve function, for loaders the test finishes by hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}
