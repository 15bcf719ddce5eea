/** TTL with an injectable clock: exact expiry, lazy expiry on access, incremental reclamation. */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'

function clocked(options: Partial<ConstructorParameters<typeof Cache<string>>[0]> = {}) {
  const clock = { now: 1_000_000, calls: 0 }
  const cache = new Cache<string>({ maxBytes: 4 << 20, codec: 'string', clock: () => { clock.calls++; return clock.now }, ...options })
  return { cache, clock }
}

describe('ttl', () => {
  it('an entry is visible until its deadline and never after', () => {
    const { cache, clock } = clocked()
    expect(cache.set('a', '1', { ttl: 100 })).toBe(true)
    clock.now += 99
    expect(cache.get('a')).toBe('1')
    expect(cache.getRemainingTTL('a')).toBe(1)
    clock.now += 1
    expect(cache.get('a')).toBeUndefined()
    expect(cache.has('a')).toBe(false)
    expect(cache.peek('a')).toBeUndefined()
    expect(cache.getRemainingTTL('a')).toBe(0)
    expect(cache.delete('a')).toBe(false)
    expect(cache.stats().expirations).toBe(1)
    expect(cache.verify()).toEqual([])
  })

  it('the default ttl applies unless a call gives its own, and 0 means never', () => {
    const { cache, clock } = clocked({ ttl: 50 })
    cache.set('default', 'd')
    cache.set('longer', 'l', { ttl: 500 })
    cache.set('forever', 'f', { ttl: 0 })
    expect(cache.getRemainingTTL('forever')).toBe(Infinity)
    clock.now += 60
    expect(cache.get('default')).toBeUndefined()
    expect(cache.get('longer')).toBe('l')
    clock.now += 1e9
    expect(cache.get('longer')).toBeUndefined()
    expect(cache.get('forever')).toBe('f')
  })

  it('overwriting an entry replaces its deadline', () => {
    const { cache, clock } = clocked()
    cache.set('k', 'v1', { ttl: 10 })
    cache.set('k', 'v2', { ttl: 1000 })
    clock.now += 500
    expect(cache.get('k')).toBe('v2')
    cache.set('k', 'v3')
    clock.now += 1e6
    expect(cache.get('k')).toBe('v3')
  })

  it('expired entries are reclaimed by later writes without ever being read', () => {
    const { cache, clock } = clocked({ maxBytes: 8 << 20 })
    for (let i = 0; i < 10_000; i++) cache.set(`short:${i}`, 'x'.repeat(50), { ttl: 100 })
    const before = cache.stats()
    expect(before.entries).toBe(10_000)
    clock.now += 1000
    for (let i = 0; i < 20_000; i++) cache.set(`other:${i % 500}`, 'y')
    const after = cache.stats()
    expect(after.expirations).toBeGreaterThanOrEqual(9_000)
    expect(after.entries).toBeLessThan(1_600)
    expect(cache.verify()).toEqual([])
  })

  it('purgeStale removes every expired entry at once', () => {
    const { cache, clock } = clocked()
    for (let i = 0; i < 1000; i++) cache.set(`k${i}`, 'v', { ttl: i < 600 ? 10 : 0 })
    clock.now += 20
    expect(cache.purgeStale()).toBe(600)
    expect(cache.size).toBe(400)
    expect([...cache.keys()].every((k) => Number(k.slice(1)) >= 600)).toBe(true)
  })

  it('a cache that never uses TTLs never reads the clock on get and set', () => {
    const { cache, clock } = clocked()
    // Once, at construction, to check that it tells the time (options.ts checkClock).
    expect(clock.calls).toBe(1)
    for (let i = 0; i < 100; i++) cache.set(`k${i}`, 'v')
    for (let i = 0; i < 100; i++) cache.get(`k${i}`)
    expect(clock.calls).toBe(1)
  })

  it('a thread that never set a TTL still honours TTLs set by another thread', () => {
    const { cache, clock } = clocked()
    const other = Cache.attach<string>(cache.handle, { clock: () => clock.now })
    try {
      cache.set('t', 'v', { ttl: 5 })
      expect(other.get('t')).toBe('v')
      clock.now += 5
      expect(other.get('t')).toBeUndefined()
    } finally {
      other.close()
    }
  })

  it('iteration skips expired entries', () => {
    const { cache, clock } = clocked()
    cache.set('live', 'a')
    cache.set('dead', 'b', { ttl: 1 })
    clock.now += 2
    expect([...cache.keys()]).toEqual(['live'])
  })
})
