/** getMany/setMany and iteration see exactly what single calls see, on every engine. */
import { it, expect } from 'vitest'
import { forEachEngine, makeCache } from './engines.js'

forEachEngine('batches and iteration', (engine) => {
  it('getMany and setMany agree with get and set, across chunks and with large values', () => {
    const cache = makeCache<unknown>(engine, { maxBytes: 16 << 20, shards: 4, maxEntrySize: 128 << 10 })
    const entries: [string, unknown][] = []
    for (let i = 0; i < 1000; i++) entries.push([`k${i}`, i % 100 === 0 ? 'L'.repeat(40_000 + i) : i % 2 ? `v${i}` : { i }])
    expect(cache.setMany(entries).every(Boolean)).toBe(true)
    const keys = [...entries.map(([k]) => k), 'missing', 'also-missing']
    const got = cache.getMany(keys)
    expect(got).toEqual([...entries.map(([, v]) => v), undefined, undefined])
    for (const [k, v] of entries) expect(cache.get(k)).toEqual(v)
    const s = cache.stats()
    expect(s.hits).toBe(2000)
    expect(s.misses).toBe(2)
    cache.close()
  })

  it('iteration yields every live entry once, across shards and chunks', () => {
    const cache = makeCache<number>(engine, { maxBytes: 32 << 20, shards: 8 })
    const n = 20_000
    for (let i = 0; i < n; i++) cache.set(`key-${i}`, i)
    for (let i = 0; i < n; i += 3) cache.delete(`key-${i}`)
    const expected = new Map<string, number>()
    for (let i = 0; i < n; i++) if (i % 3 !== 0) expected.set(`key-${i}`, i)
    expect(new Map(cache.entries())).toEqual(expected)
    expect(new Set(cache.keys())).toEqual(new Set(expected.keys()))
    expect(cache.size).toBe(expected.size)
    cache.close()
  })

  it('deletes and sets during iteration: every value yielded is intact, no key twice', () => {
    const cache = makeCache<string>(engine, { maxBytes: 8 << 20, shards: 2, codec: 'string' })
    for (let i = 0; i < 3000; i++) cache.set(`old:${i}`, `payload of old:${i}`)
    const seen = new Set<string>()
    let added = 0
    for (const key of cache.keys()) {
      expect(seen.has(key)).toBe(false)
      seen.add(key)
      expect(cache.get(key)).toBe(`payload of ${key}`)
      cache.delete(key)
      cache.set(`new:${added}`, `payload of new:${added++}`)
    }
    expect(seen.size).toBeGreaterThanOrEqual(3000)
    expect(cache.verify()).toEqual([])
    cache.close()
  })
})
