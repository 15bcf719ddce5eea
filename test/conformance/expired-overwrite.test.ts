/**
 * A set over an entry whose TTL ran out counts that entry as expired, as a get, a delete or the sweep
 * would have had it come first: `expirations` counts every entry that expired, whatever found it.
 */
import { it, expect } from 'vitest'
import { forEachEngine, makeCache } from './engines.js'

forEachEngine('a set over an expired entry', (engine) => {
  it('counts one expiration, whether it rewrites in place, moves, or is refused', () => {
    let now = 1000
    const cache = makeCache<string>(engine, { maxBytes: 4 << 20, codec: 'string', clock: () => now, maxEntrySize: 1000 })
    cache.set('same', 'aaaa', { ttl: 10 })
    cache.set('moved', 'aaaa', { ttl: 10 })
    cache.set('refused', 'aaaa', { ttl: 10 })
    cache.set('live', 'aaaa', { ttl: 100 })
    now += 10 // exactly at the deadline: expired (Caffeine's boundary, as reads see it)
    expect(cache.stats().expirations).toBe(0)
    expect(cache.set('same', 'bbbb', { ttl: 10 })).toBe(true) // same footprint: rewritten in place
    expect(cache.set('moved', 'a longer value')).toBe(true) // another size, no TTL: a new copy
    expect(cache.set('refused', 'x'.repeat(2000))).toBe(false) // over maxEntrySize: dropped
    expect(cache.set('live', 'bbbb', { ttl: 100 })).toBe(true) // not expired: a plain overwrite
    expect(cache.stats()).toMatchObject({ expirations: 3, oversized: 1, rejectedOverwrites: 0, deletes: 0, evictions: 0 })
    expect(cache.get('same')).toBe('bbbb')
    expect(cache.get('moved')).toBe('a longer value')
    expect(cache.has('refused')).toBe(false)
    cache.close()
  })

  it('expirations no longer depend on whether a read or the sweep came before the overwrite', () => {
    const run = (readFirst: boolean) => {
      let now = 1000
      const cache = makeCache<string>(engine, { maxBytes: 4 << 20, codec: 'string', clock: () => now })
      for (let i = 0; i < 1000; i++) cache.set(`e${i}`, 'v', { ttl: 10 })
      now += 20
      for (let i = 0; i < 1000; i++) {
        if (readFirst) cache.get(`e${i}`)
        cache.set(`e${i}`, 'v2')
      }
      const { expirations, entries } = cache.stats()
      cache.close()
      return { expirations, entries }
    }
    expect(run(false)).toEqual({ expirations: 1000, entries: 1000 })
    expect(run(true)).toEqual({ expirations: 1000, entries: 1000 })
  })
})
