/**
 * What users plug the adapter into: cache-manager 7 (NestJS's CacheModule builds on it) and cacheable
 * (here as the in-memory primary in front of a secondary store), with the data in the Cortado cache.
 */
import { describe, it, expect } from 'vitest'
import Keyv from 'keyv'
import { createCache } from 'cache-manager'
import { Cacheable } from 'cacheable'
import { Cache } from '../../src/index.js'
import { KeyvCortado } from '../../src/keyv/index.js'

const small = { maxBytes: 4 << 20 }

describe('cache-manager 7 over KeyvCortado', () => {
  it('get, set with ttl, mget, mset, del, ttl, wrap and clear; the entries live in the Cortado cache', async () => {
    const cache = new Cache<unknown>(small)
    const manager = createCache({ stores: [new Keyv({ store: new KeyvCortado(cache) })], ttl: 60_000 })
    await manager.set('user:1', { name: 'Ada' })
    expect(await manager.get('user:1')).toEqual({ name: 'Ada' })
    expect(cache.has('keyv:user:1')).toBe(true)

    const before = Date.now()
    await manager.set('short', 'v', 5_000)
    const expires = await manager.ttl('short')
    expect(expires).toBeGreaterThanOrEqual(before + 5_000)
    expect(cache.getRemainingTTL('keyv:short')).toBeGreaterThan(0)
    expect(cache.getRemainingTTL('keyv:short')).toBeLessThanOrEqual(5_000)

    await manager.mset([{ key: 'a', value: 1 }, { key: 'b', value: 2 }])
    expect(await manager.mget(['a', 'b', 'missing'])).toEqual([1, 2, undefined])
    expect(await manager.del('a')).toBe(true)
    expect(await manager.get('a')).toBeUndefined()

    let calls = 0
    const load = async () => {
      calls++
      await new Promise((r) => setTimeout(r, 20))
      return { loaded: true }
    }
    const [x, y] = await Promise.all([manager.wrap('wrapped', load), manager.wrap('wrapped', load)])
    expect(x).toEqual({ loaded: true })
    expect(y).toEqual({ loaded: true })
    expect(await manager.wrap('wrapped', load)).toEqual({ loaded: true })
    expect(calls).toBe(1)

    await manager.clear()
    expect(cache.size).toBe(0)
    await manager.disconnect()
    expect(cache.closed).toBe(false)
    cache.close()
  })
})

describe('cacheable over KeyvCortado', () => {
  it('Cortado as the primary (in-memory) layer in front of a secondary store', async () => {
    const cache = new Cache<unknown>(small)
    const secondary = new Keyv({ store: new Map() })
    const cacheable = new Cacheable({ primary: new Keyv({ store: new KeyvCortado(cache) }), secondary })
    await cacheable.set('k', { v: 1 }, '1m')
    expect(await cacheable.get('k')).toEqual({ v: 1 })
    expect(cache.has('keyv:k')).toBe(true)
    expect(await secondary.get('k')).toEqual({ v: 1 })

    // A miss in Cortado falls through to the secondary, and the value comes back into Cortado.
    cache.clear()
    expect(await cacheable.get('k')).toEqual({ v: 1 })
    expect(cache.has('keyv:k')).toBe(true)

    await cacheable.setMany([{ key: 'm1', value: 'one' }, { key: 'm2', value: 'two' }])
    expect(await cacheable.getMany(['m1', 'm2', 'none'])).toEqual(['one', 'two', undefined])
    expect(await cacheable.delete('m1')).toBe(true)
    expect(cache.has('keyv:m1')).toBe(false)
    expect(await cacheable.wrap(() => Promise.resolve(7), { keyPrefix: 'seven' })()).toBe(7)
    cache.close()
  })
})
