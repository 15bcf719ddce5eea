/** LogStore under the in-memory cache: the L2 of a TieredCache, the store of write-through/behind caches. */
import { afterAll, describe, expect, it } from 'vitest'
import { Cache, TieredCache } from '../../../src/index.js'
import { LogStore, diskTier } from '../../../src/disk/index.js'
import { removeTempDirs, tempDir } from './helpers.js'

afterAll(removeTempDirs)

describe('LogStore as a tier', () => {
  it('is the L2 of a TieredCache: L1 misses are served from disk, with the remaining TTL, across a restart', async () => {
    const dir = tempDir()
    let store = await LogStore.open<Uint8Array>(dir, { codec: 'buffer' })
    let l1 = new Cache<{ n: number }>({ maxBytes: 8 << 20, codec: 'msgpack' })
    let tier = new TieredCache<{ n: number }>({ l1, l2: diskTier(store) })
    await tier.set('a', { n: 1 })
    await tier.set('b', { n: 2 }, { ttl: 60_000 })
    await tier.close()
    l1.close()
    await store.close()

    // A new process: empty L1, the disk level still has everything.
    store = await LogStore.open<Uint8Array>(dir, { codec: 'buffer' })
    l1 = new Cache<{ n: number }>({ maxBytes: 8 << 20, codec: 'msgpack' })
    tier = new TieredCache<{ n: number }>({ l1, l2: diskTier(store) })
    expect(await tier.get('a')).toEqual({ n: 1 })
    expect(await tier.get('b')).toEqual({ n: 2 })
    expect(tier.stats().l2Hits).toBe(2)
    const ttl = l1.getRemainingTTL('b')
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60_000)
    expect(await tier.get('a')).toEqual({ n: 1 })
    expect(tier.stats().l1Hits).toBe(1)
    let loads = 0
    expect(await tier.getOrLoad('c', () => { loads++; return { n: 3 } })).toEqual({ n: 3 })
    expect(loads).toBe(1)
    expect(store.getSync('c')).toBeInstanceOf(Uint8Array) // the load was written through to disk
    expect(await tier.delete('a')).toBe(true)
    expect(await store.has('a')).toBe(false)
    await tier.close()
    l1.close()
    await store.close()
  })

  it('is the system of record of a write-through cache', async () => {
    const dir = tempDir()
    let store = await LogStore.open<string>(dir)
    let cache = new Cache<string>({ maxBytes: 8 << 20 })
    let view = cache.writeThrough(store)
    await view.set('user:1', 'Ada')
    await view.set('user:2', 'Grace')
    await view.delete('user:2')
    expect(store.getSync('user:1')).toBe('Ada')
    expect(store.getSync('user:2')).toBeUndefined()
    cache.close()
    await store.close()

    store = await LogStore.open<string>(dir)
    cache = new Cache<string>({ maxBytes: 8 << 20 })
    view = cache.writeThrough(store)
    expect(await view.get('user:1')).toBe('Ada') // loaded from disk, then cached
    expect(cache.get('user:1')).toBe('Ada')
    expect(await view.get('user:2')).toBeUndefined()
    cache.close()
    await store.close()
  })

  it('is the store a write-behind cache flushes to', async () => {
    const dir = tempDir()
    const store = await LogStore.open<string>(dir, { sync: 'always' })
    const cache = new Cache<string>({ maxBytes: 8 << 20 })
    const view = cache.writeBehind(store, { delayMs: 5 })
    for (let i = 0; i < 100; i++) await view.set(`k${i}`, `v${i}`)
    await view.delete('k7')
    const result = await view.flush()
    expect(result.failed).toBe(0)
    await view.close()
    cache.close()
    await store.close()
    const again = await LogStore.open<string>(dir)
    expect(again.size).toBe(99)
    expect(again.getSync('k42')).toBe('v42')
    expect(again.getSync('k7')).toBeUndefined()
    await again.close()
  })
})
