/** keys(), values(), entries(), forEach and the iterator see every live entry exactly once. */
import { describe, it, expect } from 'vitest'
import { Cache } from '../../src/index.js'

describe('iteration', () => {
  it('yields every live entry once, across shards and chunks', () => {
    const cache = new Cache<number>({ maxBytes: 32 << 20, shards: 8, codec: 'auto' })
    const n = 20_000
    for (let i = 0; i < n; i++) cache.set(`key-${i}`, i)
    for (let i = 0; i < n; i += 3) cache.delete(`key-${i}`)
    const expected = new Map<string, number>()
    for (let i = 0; i < n; i++) if (i % 3 !== 0) expected.set(`key-${i}`, i)
    const seen = new Map(cache.entries())
    expect(seen.size).toBe(expected.size)
    expect(seen).toEqual(expected)
    expect(new Set(cache.keys())).toEqual(new Set(expected.keys()))
    expect([...cache.values()].sort((a, b) => a - b)).toEqual([...expected.values()].sort((a, b) => a - b))
    let count = 0
    cache.forEach((v, k, c) => {
      expect(c).toBe(cache)
      expect(expected.get(k)).toBe(v)
      count++
    })
    expect(count).toBe(expected.size)
    expect([...cache].length).toBe(expected.size)
  })

  it('forEach passes thisArg as this, as Map and lru-cache do, and refuses a non-function', () => {
    const cache = new Cache<number>({ maxBytes: 2 << 20 })
    cache.set('a', 1)
    cache.set('b', 2)
    const sink = { seen: [] as string[] }
    cache.forEach(function (this: typeof sink, v, k) { this.seen.push(`${k}=${v}`) }, sink)
    expect(sink.seen.sort()).toEqual(['a=1', 'b=2'])
    let self: unknown = 'unset'
    cache.forEach(function (this: unknown) { self = this })
    expect(self).toBe(undefined)
    const empty = new Cache<number>({ maxBytes: 2 << 20 })
    for (const c of [cache, empty])
      expect(() => c.forEach(5 as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
    empty.close()
    cache.close()
    expect(() => cache.forEach(() => {})).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }))
  })

  it('an empty cache iterates nothing; unicode keys come back intact', () => {
    const cache = new Cache<string>({ maxBytes: 2 << 20, codec: 'string' })
    expect([...cache.keys()]).toEqual([])
    cache.set('ключ☕', 'v')
    expect([...cache.keys()]).toEqual(['ключ☕'])
    // Latin-1 only keys take the one-byte-per-character path on the way in: it must still be UTF-8.
    for (const k of ['café', 'Straße', 'ÿ', 'naïve-ü', 'Ã©']) cache.set(k, k)
    expect(new Set(cache.keys())).toEqual(new Set(['ключ☕', 'café', 'Straße', 'ÿ', 'naïve-ü', 'Ã©']))
    for (const [k, v] of cache.entries()) if (k !== 'ключ☕') expect(v).toBe(k)
  })

  it('writes during iteration never corrupt what is yielded', () => {
    const cache = new Cache<string>({ maxBytes: 8 << 20, codec: 'string' })
    for (let i = 0; i < 5000; i++) cache.set(`k${i}`, `v${i}`)
    let i = 5000
    for (const [k, v] of cache.entries()) {
      expect(v).toBe(`v${k.slice(1)}`)
      cache.set(`k${i}`, `v${i}`)
      i++
    }
  })
})
