/**
 * The adapter's own behaviour beyond Keyv's suite: who closes the cache, TTL enforced by the Cache
 * itself (so expired entries stop taking space), namespaced iteration, bad input, values Keyv does not
 * serialize, and a seeded model-based run of Keyv operations over two namespaces sharing one cache.
 */
import { describe, it, expect } from 'vitest'
import Keyv from 'keyv'
import { Cache, CortadoError } from '../../src/index.js'
import { KeyvCortado } from '../../src/keyv/index.js'
import { testSeed } from '../helpers/seed.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'

const small = { maxBytes: 4 << 20 }

describe('KeyvCortado', () => {
  it('closes a cache it made on disconnect(), and leaves a cache it was given open', async () => {
    const owned = new KeyvCortado(small)
    await owned.disconnect()
    expect(owned.cache.closed).toBe(true)
    await owned.disconnect()

    const cache = new Cache(small)
    const keyv = new Keyv({ store: new KeyvCortado(cache) })
    await keyv.set('a', 1)
    await keyv.disconnect()
    expect(cache.closed).toBe(false)
    expect(cache.size).toBe(1)
    cache.close()
  })

  it('refuses what is not a Cache or CacheOptions with ERR_INVALID_OPTION', () => {
    for (const bad of [undefined, null, 42, 'cache'])
      expect(() => new KeyvCortado(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })

  it('a ttl expires the entry in the Cache too, not only in Keyv\'s envelope', async () => {
    let now = 1_000_000
    const cache = new Cache<unknown>({ ...small, clock: () => now })
    const store = new KeyvCortado(cache)
    const keyv = new Keyv({ store, namespace: 'ns' })
    await keyv.set('short', 'v', 1000)
    await keyv.set('long', 'v')
    expect(cache.getRemainingTTL('ns:short')).toBe(1000)
    now += 1001
    expect(await store.get('ns:short')).toBeUndefined()
    expect(await store.has('ns:long')).toBe(true)
    expect(cache.size).toBe(1)
    cache.close()
  })

  it('iterator(namespace) yields that namespace\'s entries only, keys still prefixed', async () => {
    const cache = new Cache<unknown>(small)
    const store = new KeyvCortado(cache)
    for (const ns of ['a', 'b']) {
      const keyv = new Keyv({ store: new KeyvCortado(cache), namespace: ns })
      for (let i = 0; i < 5; i++) await keyv.set(`k${i}`, `${ns}${i}`)
    }
    cache.set('plain', 'x')
    const seen: string[] = []
    for await (const [key] of store.iterator('a')) seen.push(key)
    expect(seen.sort()).toEqual(['a:k0', 'a:k1', 'a:k2', 'a:k3', 'a:k4'])
    let all = 0
    for await (const _ of store.iterator()) all++
    expect(all).toBe(11)
    cache.close()
  })

  it('a key the cache cannot take: Keyv resolves false and emits the CortadoError; other entries intact', async () => {
    const cache = new Cache<unknown>(small)
    const keyv = new Keyv({ store: new KeyvCortado(cache) })
    await keyv.set('kept', 'yes')
    const errors: unknown[] = []
    keyv.on('error', (err) => errors.push(err))
    expect(await keyv.set('x'.repeat(100_000), 'too long a key')).toBe(false)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(CortadoError)
    expect((errors[0] as CortadoError).code).toBe('ERR_INVALID_KEY')
    expect(await keyv.get('kept')).toBe('yes')
    expect(cache.size).toBe(1)
    cache.close()
  })

  it('with Keyv\'s serializer turned off, objects go through the cache\'s codec', async () => {
    const cache = new Cache<unknown>(small)
    const keyv = new Keyv({ store: new KeyvCortado(cache), serialize: undefined, deserialize: undefined })
    const value = { n: 1, list: [1, 'two', null], bytes: new Uint8Array([1, 2, 3]) }
    await keyv.set('obj', value, 60_000)
    expect(await keyv.get('obj')).toEqual(value)
    expect(typeof cache.get('keyv:obj')).toBe('object')
    cache.close()
  })

  it('model-based: random Keyv operations over two namespaces on one cache agree with a Map per namespace', async () => {
    const seed = testSeed(2117)
    const random = mulberry32(seed)
    const cache = new Cache<unknown>({ maxBytes: 8 << 20 })
    const spaces = ['one', 'two'].map((ns) => ({ keyv: new Keyv({ store: new KeyvCortado(cache), namespace: ns }), model: new Map<string, unknown>() }))
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!
    const keys = Array.from({ length: 12 }, (_, i) => `key${i}`)
    for (let step = 0; step < 600; step++) {
      const { keyv, model } = pick(spaces)
      const key = pick(keys)
      const op = random()
      if (op < 0.35) {
        const value = random() < 0.5 ? `v${step}` : { step, tags: [key] }
        expect(await keyv.set(key, value)).toBe(true)
        model.set(key, value)
      } else if (op < 0.6) {
        expect(await keyv.get(key)).toEqual(model.get(key))
      } else if (op < 0.75) {
        expect(await keyv.delete(key)).toBe(model.delete(key))
      } else if (op < 0.85) {
        expect(await keyv.has(key)).toBe(model.has(key))
      } else if (op < 0.95) {
        const some = [pick(keys), pick(keys), pick(keys)]
        expect(await keyv.get(some)).toEqual(some.map((k) => model.get(k)))
      } else if (op < 0.98) {
        const some = [pick(keys), pick(keys)]
        const expected = some.some((k) => model.has(k))
        some.forEach((k) => model.delete(k))
        expect(await keyv.delete(some)).toBe(expected)
      } else {
        await keyv.clear()
        model.clear()
      }
    }
    expect(cache.size).toBe(spaces.reduce((n, s) => n + s.model.size, 0))
    cache.close()
  })
})
