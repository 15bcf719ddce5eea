/** Capacity bounds (bytes and count) and the allocator under churn: no leaks, no fragmentation. */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'
import { Prng } from '../../bench/workloads/prng.js'
import { testSeed } from '../helpers/seed.js'
import { engineInternals } from '../../src/engine/access.js'

/** Bytes one entry takes in the arena with the string codec (header + key + value, UTF-8). */
function entryBytes(key: string, value: string, ttl = false): number {
  return 8 + (ttl ? 8 : 0) + Buffer.byteLength(key) + Buffer.byteLength(value)
}

describe('capacity', () => {
  it('never holds more than maxEntries, whatever the shard count', () => {
    for (const shards of [1, 4, 16]) {
      const cache = new Cache<string>({ maxBytes: 16 << 20, maxEntries: 1000, shards, codec: 'string' })
      for (let i = 0; i < 20_000; i++) {
        cache.set(`key-${i}`, 'v')
        if (i % 997 === 0) expect(cache.size).toBeLessThanOrEqual(1000)
      }
      expect(cache.size).toBe(1000)
      expect(cache.stats().evictions).toBe(19_000)
      expect(cache.verify()).toEqual([])
      cache.close()
    }
  })

  it('the arena never exceeds maxBytes and live bytes never exceed its capacity', () => {
    const maxBytes = 3 * (1 << 20) + 12345
    const cache = new Cache<string>({ maxBytes, codec: 'string' })
    expect(engineInternals(cache).views.u8.byteLength).toBeLessThanOrEqual(maxBytes)
    const rng = new Prng(testSeed(7))
    for (let i = 0; i < 50_000; i++) {
      cache.set(`k${rng.nextInt(100_000)}`, 'v'.repeat(rng.nextInt(2000)))
      if (i % 5000 === 0) expect(cache.stats().bytesUsed).toBeLessThanOrEqual(cache.stats().bytesTotal)
    }
    expect(cache.verify()).toEqual([])
  })

  it('churn of 50x the capacity leaks nothing: bytesUsed is the live entries\' total, and a full refill fits', () => {
    const rng = new Prng(testSeed(11))
    let now = 0
    const cache = new Cache<string>({ maxBytes: 1 << 20, codec: 'string', seed: 5, clock: () => now })
    const capacity = cache.stats().bytesTotal
    let written = 0
    let n = 0
    while (written < 50 * capacity) {
      const key = `key:${rng.nextInt(20_000)}`
      const value = 'x'.repeat(rng.nextFloat() < 0.1 ? rng.nextInt(4000) : rng.nextInt(120))
      const ttl = rng.nextFloat() < 0.2 ? 1 + rng.nextInt(100) : 0
      if (rng.nextFloat() < 0.1) cache.delete(key)
      else cache.set(key, value, { ttl })
      written += entryBytes(key, value)
      now += rng.nextInt(3)
      if (++n % 10_000 === 0) expect(cache.verify()).toEqual([])
    }
    expect(cache.verify()).toEqual([])
    // Expired entries still hold bytes until reclaimed; reclaim them so bytesUsed counts live ones.
    cache.purgeStale()
    const stats = cache.stats()
    let live = 0
    for (const [k] of cache.entries()) {
      // Sum sizes as stored (TTL entries carry 8 more bytes).
      const remaining = cache.getRemainingTTL(k)
      live += entryBytes(k, cache.peek(k)!, remaining !== Infinity)
    }
    expect(stats.bytesUsed).toBe(live)
    for (const k of [...cache.keys()]) cache.delete(k)
    expect(cache.stats().bytesUsed).toBe(0)
    expect(cache.size).toBe(0)
    expect(cache.verify()).toEqual([])
    // Every segment came back: the arena refills to the same level as a fresh one.
    const fresh = new Cache<string>({ maxBytes: 1 << 20, codec: 'string', seed: 5 })
    for (const c of [cache, fresh]) for (let i = 0; i < 20_000; i++) c.set(`fill:${i}`, 'y'.repeat(100))
    expect(cache.stats().bytesUsed).toBeGreaterThan(0.9 * fresh.stats().bytesUsed)
    fresh.close()
    cache.close()
  })

  it('refuses entries larger than maxEntryBytes, counts them, and drops the value they replace', () => {
    const cache = new Cache<string>({ maxBytes: 2 << 20, codec: 'string' })
    const max = cache.geometry.maxEntryBytes
    const key = 'big'
    expect(cache.set(key, 'z'.repeat(max - 8 - key.length))).toBe(true)
    expect(cache.get(key)!.length).toBe(max - 8 - key.length)
    expect(cache.set(key, 'z'.repeat(max - 8 - key.length + 1))).toBe(false)
    expect(cache.get(key)).toBeUndefined()
    const s = cache.stats()
    expect(s.oversized).toBe(1)
    expect(s.rejections).toBe(1)
    expect(cache.verify()).toEqual([])
  })

  it('maxEntrySize makes room for large entries', () => {
    const cache = new Cache<Uint8Array>({ maxBytes: 32 << 20, maxEntrySize: 1 << 20, codec: 'buffer' })
    expect(cache.geometry.maxEntryBytes).toBeGreaterThanOrEqual(1 << 20)
    const big = new Uint8Array((1 << 20) - 100).fill(7)
    expect(cache.set('blob', big)).toBe(true)
    expect(Buffer.compare(cache.get('blob')!, big)).toBe(0)
  })

  it('values larger than the scratch area take the reserve path and read back intact', () => {
    const cache = new Cache<string>({ maxBytes: 8 << 20, codec: 'string' })
    const value = Array.from({ length: 30_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('')
    expect(cache.set('large', value)).toBe(true)
    expect(cache.get('large')).toBe(value)
    expect(cache.set('large', value + 'é')).toBe(true)
    expect(cache.get('large')).toBe(value + 'é')
    expect(cache.verify()).toEqual([])
  })

  it('Cache.maxBytesFor sizes an arena that holds exactly that many entries without evicting', () => {
    // 300k over 16 shards: sized for keys hashing unevenly by their deviation (busiestShare), not a flat 15%.
    for (const [entries, entryBytes, shards] of [[1000, 40, undefined], [50_000, 124, undefined], [20_000, 300, 8], [300_000, 136, undefined]] as const) {
      const maxBytes = Cache.maxBytesFor(entries, entryBytes, { shards })
      const cache = new Cache<string>({ maxBytes, maxEntries: entries, codec: 'string', shards })
      const value = 'v'.repeat(entryBytes - 8 - 10)
      for (let i = 0; i < entries; i++) cache.set(`k${String(i).padStart(9, '0')}`, value)
      expect(cache.size, `${entries} x ${entryBytes} B`).toBe(entries)
      expect(cache.stats().evictions).toBe(0)
      cache.close()
    }
    expect(() => Cache.maxBytesFor(0, 10)).toThrow(/entries/)
    expect(() => Cache.maxBytesFor(10_000_000, 1000)).toThrow(/don't fit/)
    expect(() => Cache.maxBytesFor(10, 100, { policy: 'lfu' as never })).toThrow(/policy must be/)
  })
})
