/**
 * `maxEntrySize` is a cap, as lru-cache's is: an entry (header + key + value) above it is refused like
 * any oversized entry (set returns false, the key's old value is dropped, stats().oversized counts, one
 * warning per cache), by every write path, on both engines, and by every thread attached to the cache
 * (the cap is the arena's largest entry, which both engines read from the arena's header).
 */
import { describe, it, expect, afterEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache, isCortadoError } from '../../src/index.js'
import { forEachEngine } from '../conformance/engines.js'
import * as L from '../../src/layout/constants.generated.js'
import { collectWarnings, settle } from '../helpers/warnings.js'

const CAP = 1000
/** A value whose entry under a one-letter key, without TTL, is `size` bytes. */
const sized = (size: number) => 'x'.repeat(size - L.ENTRY_HEADER_BYTES - 1)

forEachEngine('maxEntrySize caps entries', (engine) => {
  const folders: string[] = []
  let stop: (() => void) | undefined
  afterEach(() => {
    stop?.()
    for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true })
  })
  const capped = (name?: string) => new Cache<string>({ engine, maxBytes: 4 << 20, codec: 'string', maxEntrySize: CAP, name })

  it('set: an entry of maxEntrySize bytes is stored, one byte more is refused, counted and warned once', async () => {
    const w = collectWarnings()
    stop = w.stop
    const cache = capped(`warned-${engine}`)
    expect(cache.geometry.maxEntryBytes).toBe(CAP)
    expect(cache.set('a', sized(CAP))).toBe(true)
    expect(cache.set('b', sized(CAP + 1))).toBe(false)
    // With a TTL the header is 8 bytes longer: the same value no longer fits.
    expect(cache.set('c', sized(CAP - L.ENTRY_TTL_BYTES), { ttl: 60_000 })).toBe(true)
    expect(cache.set('d', sized(CAP - L.ENTRY_TTL_BYTES + 1), { ttl: 60_000 })).toBe(false)
    // A refused overwrite drops the key's old value (lru-cache does too): nothing stale stays readable.
    expect(cache.set('a', sized(CAP + 1))).toBe(false)
    expect(cache.has('a')).toBe(false)
    expect(cache.get('c')).toBe(sized(CAP - L.ENTRY_TTL_BYTES))
    const s = cache.stats()
    expect(s.oversized).toBe(3)
    expect(s.rejections).toBe(3)
    expect(s.entries).toBe(1)
    await settle()
    const mine = w.warnings.filter((e) => e.message.includes(`'warned-${engine}'`))
    expect(mine).toHaveLength(1)
    expect(mine[0]!.message).toContain(`its largest entry is ${CAP} bytes (cache.geometry.maxEntryBytes, its maxEntrySize)`)
    expect(mine[0]!.message).toContain(`Pass maxEntrySize: ${CAP + 1} (or more) to new Cache(), or leave maxEntrySize out`)
    cache.close()
  })

  it('setMany, getOrLoad and restore refuse what set refuses', async () => {
    const cache = capped()
    expect(cache.setMany([['a', sized(100)], ['b', sized(CAP + 1)], ['c', sized(CAP)]])).toEqual([true, false, true])
    expect(cache.stats().oversized).toBe(1)
    // A loaded value is returned all the same, and not stored.
    expect(await cache.getOrLoad('big', async () => 'y'.repeat(2 * CAP))).toBe('y'.repeat(2 * CAP))
    expect(cache.has('big')).toBe(false)
    expect(cache.stats()).toMatchObject({ oversized: 2, loadsNotStored: 1 })
    expect(await cache.getOrLoad('small', async () => 'y')).toBe('y')
    expect(cache.has('small')).toBe(true)
    // A dump of an uncapped cache restored into a capped one.
    const dir = mkdtempSync(join(tmpdir(), 'cortado-cap-'))
    folders.push(dir)
    const open = new Cache<string>({ engine, maxBytes: 4 << 20, codec: 'string' })
    open.set('s', sized(100))
    open.set('l', sized(2 * CAP))
    await open.dump(join(dir, 'd'))
    open.close()
    const into = capped()
    expect(await into.restore(join(dir, 'd'))).toMatchObject({ loaded: 1, rejected: 1 })
    expect(into.has('s')).toBe(true)
    expect(into.has('l')).toBe(false)
    expect(into.stats().oversized).toBe(1)
    into.close()
    cache.close()
  })

  it('a cache attached through the handle keeps the creator\'s cap', () => {
    const cache = capped()
    const attached = Cache.attach<string>(cache.handle)
    expect(attached.geometry.maxEntryBytes).toBe(CAP)
    expect(attached.set('a', sized(CAP + 1))).toBe(false)
    expect(attached.set('a', sized(CAP))).toBe(true)
    expect(cache.stats().oversized).toBe(1)
    attached.close()
    cache.close()
  })

  it('a maxEntrySize above the default is exact too: segments grow to it, entries stop at it', () => {
    const size = (1 << 20) + 100
    const cache = new Cache<string>({ engine, maxBytes: 64 << 20, codec: 'string', maxEntrySize: size })
    expect(cache.geometry.maxEntryBytes).toBe(size)
    expect(cache.geometry.segBytes).toBeGreaterThanOrEqual(size)
    expect(cache.set('a', sized(size))).toBe(true)
    expect(cache.set('b', sized(size + 1))).toBe(false)
    cache.close()
  })

  it('Cache.maxBytesFor refuses entries above the maxEntrySize it is given', () => {
    let thrown: unknown
    try { Cache.maxBytesFor(1000, 2 * CAP, { maxEntrySize: CAP }) } catch (e) { thrown = e }
    expect(isCortadoError(thrown, 'ERR_INVALID_OPTION'), String(thrown)).toBe(true)
    expect(Cache.maxBytesFor(1000, CAP, { maxEntrySize: CAP })).toBeGreaterThan(0)
  })

  if (engine === 'native') {
    it('a process opening the file with another maxEntrySize is refused (the file keeps its cap)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cortado-cap-'))
      folders.push(dir)
      const path = join(dir, 'arena')
      const first = new Cache<string>({ engine, path, maxBytes: 4 << 20, codec: 'string', maxEntrySize: CAP })
      let thrown: unknown
      try { new Cache<string>({ engine, path, maxBytes: 4 << 20, codec: 'string' }).close() } catch (e) { thrown = e }
      expect(isCortadoError(thrown, 'ERR_BAD_FILE'), String(thrown)).toBe(true)
      expect((thrown as Error).message).toContain('maxEntryBytes')
      const second = new Cache<string>({ engine, path, maxBytes: 4 << 20, codec: 'string', maxEntrySize: CAP })
      expect(second.set('a', sized(CAP + 1))).toBe(false)
      second.close()
      first.close()
    })
  }
})

describe('maxEntrySize validation', () => {
  it('still refuses a non-integer and anything above a segment', () => {
    for (const bad of [0, 1.5, -1, '1000', 2 ** 30])
      expect(() => new Cache({ maxBytes: 4 << 20, maxEntrySize: bad as never })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }))
  })
})
