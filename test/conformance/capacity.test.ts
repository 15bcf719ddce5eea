/** Capacity bounds (bytes and count), oversized values and the allocator under churn, on every engine. */
import { it, expect } from 'vitest'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { forEachEngine, makeCache } from './engines.js'
import { coreOf } from '../../src/engine/access.js'

forEachEngine('capacity', (engine) => {
  it('never holds more than maxEntries, whatever the shard count', () => {
    for (const shards of [1, 4]) {
      const cache = makeCache<string>(engine, { maxBytes: 8 << 20, maxEntries: 1000, shards, codec: 'string' })
      for (let i = 0; i < 10_000; i++) cache.set(`key-${i}`, 'v')
      expect(cache.size).toBe(1000)
      expect(cache.stats().evictions).toBe(9000)
      expect(cache.verify()).toEqual([])
      cache.close()
    }
  })

  it('values larger than an entry may be are refused and counted; the old value goes too', () => {
    const cache = makeCache<string>(engine, { maxBytes: 2 << 20, codec: 'string' })
    cache.set('k', 'small')
    expect(cache.set('k', 'x'.repeat(cache.geometry.maxEntryBytes))).toBe(false)
    expect(cache.get('k')).toBeUndefined()
    const s = cache.stats()
    expect(s.oversized).toBe(1)
    expect(s.rejections).toBe(1)
    expect(cache.setMany([['a', 'x'.repeat(cache.geometry.maxEntryBytes)], ['b', 'fine']])).toEqual([false, true])
    cache.close()
  })

  it('churn of 30x the capacity leaks nothing and live bytes never exceed the capacity', () => {
    const rng = new Prng(testSeed(11))
    let now = 0
    const cache = makeCache<string>(engine, { maxBytes: 1 << 20, codec: 'string', seed: 5, clock: () => now })
    const capacity = cache.stats().bytesTotal
    let written = 0
    while (written < 30 * capacity) {
      const key = `key:${rng.nextInt(20_000)}`
      const value = 'x'.repeat(rng.nextFloat() < 0.1 ? rng.nextInt(4000) : rng.nextInt(120))
      if (rng.nextFloat() < 0.1) cache.delete(key)
      else cache.set(key, value, { ttl: rng.nextFloat() < 0.2 ? 1 + rng.nextInt(100) : 0 })
      written += key.length + value.length + 8
      now += rng.nextInt(3)
    }
    expect(cache.stats().bytesUsed).toBeLessThanOrEqual(capacity)
    now += 1000
    cache.purgeStale()
    const s = cache.stats()
    const live = [...coreOf(cache).rawEntries()].reduce((n, e) => n + 8 + (e.expiry === Infinity ? 0 : 8) + Buffer.byteLength(e.key) + e.bytes!.length, 0)
    expect(s.bytesUsed).toBe(live)
    expect(cache.verify()).toEqual([])
    cache.clear()
    let stored = 0
    for (let i = 0; i < 4000; i++) if (cache.set(`refill:${i}`, 'y'.repeat(100))) stored++
    expect(stored).toBe(4000)
    cache.close()
  })
})
