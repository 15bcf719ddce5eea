/** Reads, writes, codecs, TTL and errors behave the same on every engine. */
import { it, expect, afterEach } from 'vitest'
import type { Cache } from '../../src/index.js'
import { forEachEngine, makeCache } from './engines.js'

forEachEngine('basics', (engine) => {
  const open: Cache<unknown>[] = []
  const make = <V>(o: Parameters<typeof makeCache<V>>[1]) => {
    const c = makeCache<V>(engine, o)
    open.push(c as Cache<unknown>)
    return c
  }
  afterEach(() => {
    for (const c of open.splice(0)) c.close()
  })

  it('set, get, has, peek, delete and size', () => {
    const c = make<string>({ maxBytes: 4 << 20, codec: 'string' })
    expect(c.get('a')).toBeUndefined()
    expect(c.set('a', '1')).toBe(true)
    expect(c.get('a')).toBe('1')
    expect(c.has('a')).toBe(true)
    expect(c.peek('a')).toBe('1')
    expect(c.set('a', 'longer value')).toBe(true)
    expect(c.get('a')).toBe('longer value')
    expect(c.size).toBe(1)
    expect(c.delete('a')).toBe(true)
    expect(c.delete('a')).toBe(false)
    expect(c.has('a')).toBe(false)
    expect(c.size).toBe(0)
    const s = c.stats()
    expect([s.hits, s.misses, s.sets, s.deletes]).toEqual([2, 1, 2, 1])
    expect(c.verify()).toEqual([])
  })

  it('every built-in kind round-trips, including values larger than the scratch area', () => {
    const c = make<unknown>({ maxBytes: 8 << 20, maxEntrySize: 256 << 10 })
    const values: unknown[] = [
      '', 'latin1 é', 'utf8 ключ☕😀', 42, -0.5, 1e300, { a: [1, 2, { b: null }] }, [1, 'two'], true, null,
      Buffer.from([1, 2, 3]), new Uint8Array([9, 8, 7]), 'x'.repeat(100_000), { big: 'y'.repeat(50_000) },
      Buffer.alloc(70_000, 7),
    ]
    values.forEach((v, i) => expect(c.set(`k${i}`, v)).toBe(true))
    values.forEach((v, i) => expect(c.get(`k${i}`)).toEqual(v))
    expect(c.getMany(values.map((_, i) => `k${i}`))).toEqual(values)
    expect(c.verify()).toEqual([])
  })

  it('unicode and maximal keys', () => {
    const c = make<string>({ maxBytes: 8 << 20, codec: 'string' })
    const keys = ['', 'ключ', '鍵', '😀🚀', 'k'.repeat(4096), 'é'.repeat(2048)]
    for (const k of keys) expect(c.set(k, `v:${k.length}`)).toBe(true)
    for (const k of keys) expect(c.get(k)).toBe(`v:${k.length}`)
    expect(() => c.set('k'.repeat(4097), 'x')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect(() => c.get(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_KEY' }))
    expect(new Set(c.keys())).toEqual(new Set(keys))
  })

  it('TTL: exact deadlines, lazy expiry, purgeStale, and expired entries reclaimed by writes', () => {
    let now = 1_000_000
    const c = make<string>({ maxBytes: 8 << 20, codec: 'string', clock: () => now })
    c.set('a', '1', { ttl: 100 })
    c.set('forever', 'f')
    now += 99
    expect(c.get('a')).toBe('1')
    expect(c.getRemainingTTL('a')).toBe(1)
    expect(c.getRemainingTTL('forever')).toBe(Infinity)
    now += 1
    expect(c.get('a')).toBeUndefined()
    expect(c.getRemainingTTL('a')).toBe(0)
    for (let i = 0; i < 2000; i++) c.set(`short:${i}`, 'x', { ttl: 10 })
    now += 20
    expect(c.purgeStale()).toBe(2000)
    expect(c.size).toBe(1)
    for (let i = 0; i < 2000; i++) c.set(`t:${i}`, 'x', { ttl: 10 })
    now += 20
    for (let i = 0; i < 20_000; i++) c.set(`other:${i % 50}`, 'y')
    expect(c.stats().expirations).toBeGreaterThan(3000)
    expect(c.verify()).toEqual([])
  })

  it('clear empties everything and keeps counters', () => {
    const c = make<string>({ maxBytes: 4 << 20, shards: 4, codec: 'string' })
    for (let i = 0; i < 1000; i++) c.set(`k${i}`, 'v')
    c.clear()
    expect(c.size).toBe(0)
    expect(c.get('k1')).toBeUndefined()
    expect(c.stats().sets).toBe(1000)
    c.set('again', 'yes')
    expect(c.get('again')).toBe('yes')
    expect(c.verify()).toEqual([])
  })

  it('a closed cache refuses every call with ERR_CLOSED', () => {
    const c = make<string>({ maxBytes: 2 << 20, codec: 'string' })
    c.set('a', 'b')
    c.close()
    expect(() => c.get('a')).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
    expect(() => c.set('a', 'b')).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
    c.close()
  })

  it('a handle attaches a second view of the same cache in this thread', () => {
    const c = make<string>({ maxBytes: 4 << 20, codec: 'string' })
    c.set('shared', 'yes')
    const d = (c.constructor as typeof Cache).attach<string>(c.handle)
    open.push(d as Cache<unknown>)
    expect(d.get('shared')).toBe('yes')
    d.set('back', 'too')
    expect(c.get('back')).toBe('too')
    d.close()
    expect(c.get('shared')).toBe('yes')
    expect(c.stats().hits).toBe(3)
  })
})
