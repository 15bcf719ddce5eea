/**
 * Entries larger than a cache's largest entry: set returns false as before, but the first refusal of a
 * cache (whichever thread makes it) emits one process warning naming maxEntrySize and the limit, and a
 * getOrLoad whose value could not be cached says so in stats().loadsNotStored.
 */
import { describe, it, expect, afterEach } from 'vitest'
import { Cache } from '../../src/index.js'
import { forEachEngine } from '../conformance/engines.js'
import { engineInternals } from '../../src/engine/access.js'
import * as L from '../../src/layout/constants.generated.js'
import { collectWarnings, settle } from '../helpers/warnings.js'


forEachEngine('oversized entries', (engine) => {
  let stop: (() => void) | undefined
  afterEach(() => stop?.())

  it('the first refusal of a cache warns once, naming maxEntrySize and the limit; the entry is refused and counted', async () => {
    const w = collectWarnings()
    stop = w.stop
    const cache = new Cache<string>({ engine, maxBytes: 4 << 20, name: 'pages', codec: 'string' })
    const limit = cache.geometry.maxEntryBytes
    const big = 'x'.repeat(limit)
    expect(cache.set('small', 'fits')).toBe(true)
    expect(cache.set('big', big)).toBe(false)
    expect(cache.set('big2', big + 'y')).toBe(false)
    // Another thread's view of the same cache has been warned already.
    const attached = Cache.attach<string>(cache.handle)
    expect(attached.set('big3', big)).toBe(false)
    await settle()
    expect(w.warnings).toHaveLength(1)
    const message = w.warnings[0].message
    expect(message).toContain("'pages'")
    expect(message).toContain(`its largest entry is ${limit} bytes`)
    expect(message).toContain('maxEntrySize')
    expect(cache.stats().oversized).toBe(3)
    expect(cache.get('small')).toBe('fits')
    expect(cache.has('big')).toBe(false)
    attached.close()
    cache.close()
    // A refusal by the admission policy, or an entry that fits, is no reason to warn.
    const other = new Cache<string>({ engine, maxBytes: 4 << 20, codec: 'string' })
    for (let i = 0; i < 2000; i++) other.set(`k${i}`, 'v'.repeat(1000))
    await settle()
    expect(w.warnings).toHaveLength(1)
    // Each cache warns once: a new one that refuses warns again.
    other.set('big', 'x'.repeat(other.geometry.maxEntryBytes + 1))
    await settle()
    expect(w.warnings).toHaveLength(2)
    other.close()
  })

  it('the warning for an entry above any maxEntrySize points to maxBytes instead', async () => {
    const w = collectWarnings()
    stop = w.stop
    const cache = new Cache<Buffer>({ engine, maxBytes: 64 << 20, codec: 'buffer' })
    try {
      expect(cache.set('video', Buffer.alloc(70 << 20))).toBe(false)
      await settle()
      expect(w.warnings).toHaveLength(1)
      const size = L.ENTRY_HEADER_BYTES + 'video'.length + (70 << 20)
      expect(w.warnings[0].message).toContain(`a cache of maxBytes ${size * 16} (or more) stores this one.`)
      expect(w.warnings[0].message).not.toContain('Pass maxEntrySize')
    } finally {
      cache.close()
    }
  })

  it('a value length whose entry size wraps past 2^32 is refused and counted, and changes nothing', () => {
    // No cache is 64 GiB here, so ask the engine directly: lengths near 2^32 made the u32 entry size
    // wrap to a few bytes, which a limit of 4 GiB - 1 (a 64 GiB native cache) would have let through.
    const cache = new Cache<string>({ engine, maxBytes: 4 << 20, codec: 'string' })
    try {
      expect(cache.set('k', 'v')).toBe(true)
      const { exports, views, scratch } = engineInternals(cache)
      const key = Buffer.from('k')
      for (const valueLen of [2 ** 32 - 1, 2 ** 32 - 8, 2 ** 32 - L.ENTRY_HEADER_BYTES - key.length]) {
        views.u8.set(key, scratch + L.RESULT_SIZE)
        expect(exports.setReserve(key.length, valueLen, L.KIND_BUFFER, 0, -1), `value length ${valueLen}`).toBe(L.STATUS_REJECTED)
      }
      expect(cache.stats().oversized).toBe(3)
      // A refused set drops the key's old value (the caller replaced it), as any refusal does.
      expect(cache.get('k')).toBeUndefined()
      expect(cache.stats().bytesUsed).toBe(0)
      expect(cache.verify()).toEqual([])
      expect(cache.set('k', 'again')).toBe(true)
      expect(cache.get('k')).toBe('again')
    } finally {
      cache.close()
    }
  })

  it('maxEntrySize lifts the limit: the same value is stored', () => {
    const cache = new Cache<string>({ engine, maxBytes: 64 << 20, codec: 'string', maxEntrySize: (1 << 20) + 4096 })
    const value = 'z'.repeat(1 << 20)
    expect(cache.set('page', value)).toBe(true)
    expect(cache.get('page')).toBe(value)
    expect(cache.stats().oversized).toBe(0)
    cache.close()
  })

  it('getOrLoad of a value too large to cache returns it, and counts it in stats().loadsNotStored', async () => {
    const w = collectWarnings()
    stop = w.stop
    const cache = new Cache<string>({ engine, maxBytes: 4 << 20, codec: 'string' })
    const page = 'p'.repeat(cache.geometry.maxEntryBytes)
    let calls = 0
    const loader = async () => { calls++; return page }
    for (let i = 0; i < 3; i++) expect(await cache.getOrLoad('page', loader)).toBe(page)
    expect(calls).toBe(3)
    const s = cache.stats()
    expect(s.loadsNotStored).toBe(3)
    expect(s.oversized).toBe(3)
    await settle()
    expect(w.warnings).toHaveLength(1)
    cache.close()
  })
})
