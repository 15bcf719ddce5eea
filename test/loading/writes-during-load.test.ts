/**
 * A write through the cache itself while a load of the key runs in this thread (cache-aside: a request
 * updates the database and sets or deletes the key while another request is still loading the old row).
 * The load's callers get what it read, but it must not be stored over the newer state: lru-cache drops a
 * fetch's result the same way when its key is set, deleted or cleared meanwhile.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Cache } from '../../src/index.js'
import { nativeAddon } from '../../src/engine/native/load.js'

const engines = nativeAddon() ? ['wasm', 'native'] as const : ['wasm'] as const
const caches: Cache<string>[] = []
afterEach(() => {
  for (const c of caches.splice(0)) c.close()
})

/** A loader held until `release()`, resolving `value`. */
function heldLoader(value: string) {
  let release!: () => void
  const gate = new Promise<void>((r) => { release = r })
  return { loader: async () => { await gate; return value }, release }
}

const tick = () => new Promise((r) => setTimeout(r, 1))

describe.each(engines)('a write of a key during its load (%s)', (engine) => {
  let now = 1000
  const newCache = (): Cache<string> => {
    const c = new Cache<string>({ maxBytes: 4 << 20, engine, clock: () => now })
    caches.push(c)
    return c
  }

  // Each write, and what the key holds after it (undefined: nothing).
  const writes: [string, (c: Cache<string>) => void, string | undefined][] = [
    ['set', (c) => { c.set('k', 'written during the load') }, 'written during the load'],
    ['setMany', (c) => { c.setMany([['k', 'written during the load']]) }, 'written during the load'],
    ['delete', (c) => { c.delete('k') }, undefined],
    ['invalidateKey', (c) => { c.invalidateKey('k') }, undefined],
    ['clear', (c) => { c.clear() }, undefined],
    ['invalidate', (c) => { c.invalidate('k') }, undefined],
  ]

  for (const [name, write, after] of writes) {
    it(`${name}: the load's callers get what it read, the cache keeps the write`, async () => {
      const cache = newCache()
      const { loader, release } = heldLoader('read before the write')
      const loading = cache.getOrLoad('k', loader)
      await tick()
      write(cache)
      release()
      expect(await loading).toBe('read before the write')
      expect(cache.get('k')).toBe(after)
      expect(cache.stats().loadsNotStored).toBe(0)
    })
  }

  it('a set during a stale-while-revalidate refresh is not overwritten by the refresh', async () => {
    const cache = newCache()
    expect(await cache.getOrLoad('k', async () => 'v1', { ttl: 1000, softTtl: 100 })).toBe('v1')
    now += 200
    const { loader, release } = heldLoader('refreshed from the old row')
    expect(await cache.getOrLoad('k', loader, { ttl: 1000, softTtl: 100 })).toBe('v1')
    expect(cache.stats().refreshes).toBe(1)
    cache.set('k', 'written during the refresh')
    release()
    await tick()
    expect(cache.get('k')).toBe('written during the refresh')
  })

  it('a write of another key leaves the load alone', async () => {
    const cache = newCache()
    const { loader, release } = heldLoader('loaded')
    const loading = cache.getOrLoad('k', loader)
    await tick()
    cache.set('other', 'x')
    cache.delete('other')
    release()
    expect(await loading).toBe('loaded')
    expect(cache.get('k')).toBe('loaded')
  })

  it('a loader that sets its own key: the set wins, as a write after the read', async () => {
    const cache = newCache()
    expect(await cache.getOrLoad('k', async () => { cache.set('k', 'set by the loader'); return 'returned' })).toBe('returned')
    expect(cache.get('k')).toBe('set by the loader')
  })
})
