/**
 * Warm restarts: dump/load round-trips every kind of value with its remaining TTL; a truncated,
 * bit-flipped or foreign file is rejected with ERR_BAD_FILE and leaves the cache exactly as it was.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest'
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache, isCortadoError } from '../../src/index.js'
import { testSeed } from '../helpers/seed.js'
import { crc32 } from '../../src/crc32.js'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cortado-dump-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const caches: Cache<unknown>[] = []
function newCache<V>(clock: { now: number }, options: { codec?: 'auto' | 'v8' } = {}): Cache<V> {
  const c = new Cache<V>({ maxBytes: 4 << 20, clock: () => clock.now, ...options })
  caches.push(c as Cache<unknown>)
  return c
}
afterEach(() => {
  for (const c of caches.splice(0)) c.close()
})

function snapshot(cache: Cache<unknown>): Map<string, unknown> {
  return new Map([...cache.entries()].map(([k, v]) => [k, v instanceof Uint8Array ? Array.from(v) : v]))
}

async function filled(clock: { now: number }): Promise<Cache<unknown>> {
  const cache = newCache<unknown>(clock)
  cache.set('latin1', 'plain string')
  cache.set('utf8', 'héllo wörld ✓')
  cache.set('number', 3.25)
  cache.set('bytes', new Uint8Array([1, 2, 3, 255]))
  cache.set('object', { a: [1, 2, { b: 'c' }], d: null })
  cache.set('ttl-long', 'lives', { ttl: 60_000 })
  cache.set('ttl-short', 'dies', { ttl: 1_000 })
  cache.set('ключ', 'unicode key')
  cache.set('lone-surrogate', 'cut emoji \uD83D')
  cache.set('big', 'x'.repeat(100_000))
  await cache.getOrLoad('loaded', async () => ({ via: 'getOrLoad' }), { ttl: 30_000, softTtl: 10_000 })
  for (let i = 0; i < 2000; i++) cache.set(`k${i}`, `value ${i}`)
  return cache
}

describe('dump and load', () => {
  it('round-trips every value kind and key, with the remaining TTLs minus the time elapsed', async () => {
    const clock = { now: 1_000_000 }
    const source = await filled(clock)
    const path = join(dir, 'roundtrip.cdump')
    const written = await source.dump(path)
    expect(written.entries).toBe(source.size)
    expect(written.bytes).toBe(readFileSync(path).length)

    clock.now += 5_000
    const target = newCache<unknown>(clock)
    const result = await target.load(path)
    expect(result).toEqual({ loaded: source.size - 1, expired: 1, rejected: 0, missing: false })
    const expected = snapshot(source)
    expected.delete('ttl-short')
    expect(snapshot(target)).toEqual(expected)
    expect(target.getRemainingTTL('ttl-long')).toBe(55_000)
    expect(target.getRemainingTTL('loaded')).toBe(25_000)
    expect(target.getRemainingTTL('latin1')).toBe(Infinity)
    // Loading metadata survives: past the soft TTL the restored entry is served stale and refreshed.
    clock.now += 6_000
    let calls = 0
    expect(await target.getOrLoad('loaded', async () => { calls++; return { via: 'refresh' } }, { ttl: 30_000, softTtl: 10_000 })).toEqual({ via: 'getOrLoad' })
    await new Promise((r) => setTimeout(r, 5))
    expect(calls).toBe(1)
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('an empty cache dumps and loads', async () => {
    const clock = { now: 0 }
    const path = join(dir, 'empty.cdump')
    expect(await newCache(clock).dump(path)).toMatchObject({ entries: 0 })
    expect(await newCache(clock).load(path)).toEqual({ loaded: 0, expired: 0, rejected: 0, missing: false })
  })

  it('dump replaces an existing file atomically', async () => {
    const clock = { now: 0 }
    const path = join(dir, 'replace.cdump')
    const a = newCache<string>(clock)
    a.set('a', '1')
    await a.dump(path)
    a.set('b', '2')
    await a.dump(path)
    const b = newCache<string>(clock)
    await b.load(path)
    expect(snapshot(b as Cache<unknown>)).toEqual(new Map([['a', '1'], ['b', '2']]))
  })

  it('every truncation of a dump is rejected with ERR_BAD_FILE and changes nothing', async () => {
    const clock = { now: 1_000_000 }
    const source = newCache<string>(clock)
    for (let i = 0; i < 50; i++) source.set(`key-${i}`, `value ${i}`, { ttl: i % 2 ? 60_000 : 0 })
    const path = join(dir, 'truncate.cdump')
    await source.dump(path)
    const bytes = readFileSync(path)
    const target = newCache<string>(clock)
    target.set('existing', 'stays')
    const before = snapshot(target as Cache<unknown>)
    const cut = join(dir, 'cut.cdump')
    const lengths = new Set<number>([0, 1, 8, 31, 32, 33, bytes.length - 1, bytes.length - 4, bytes.length - 20])
    for (let n = 0; n < bytes.length; n += 7) lengths.add(n)
    for (const n of lengths) {
      writeFileSync(cut, bytes.subarray(0, n))
      const err = await target.load(cut).catch((e: unknown) => e)
      expect(isCortadoError(err, 'ERR_BAD_FILE'), `truncated to ${n} bytes`).toBe(true)
    }
    expect(snapshot(target as Cache<unknown>)).toEqual(before)
    // Trailing garbage is rejected too.
    writeFileSync(cut, Buffer.concat([bytes, Buffer.from([0])]))
    await expect(target.load(cut)).rejects.toMatchObject({ code: 'ERR_BAD_FILE' })
  })

  it('any single flipped bit is rejected with ERR_BAD_FILE and changes nothing', async () => {
    const seed = testSeed(1234)
    const clock = { now: 1_000_000 }
    const source = newCache<unknown>(clock)
    for (let i = 0; i < 300; i++) source.set(`key-${i}`, i % 3 === 0 ? { i } : `value ${i}`, { ttl: i % 2 ? 60_000 : 0 })
    const path = join(dir, 'flip.cdump')
    await source.dump(path)
    const bytes = readFileSync(path)
    const target = newCache<unknown>(clock)
    target.set('existing', 'stays')
    const before = snapshot(target)
    const flipped = join(dir, 'flipped.cdump')
    let s = seed >>> 0
    const rand = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296 }
    const positions = [0, 8, 16, 28, 32, 40, bytes.length - 1, bytes.length - 10]
    for (let i = 0; i < 150; i++) positions.push(Math.floor(rand() * bytes.length))
    let rejected = 0
    for (const pos of positions) {
      const copy = Buffer.from(bytes)
      copy[pos] ^= 1 << Math.floor(rand() * 8)
      writeFileSync(flipped, copy)
      const err = await target.load(flipped).catch((e: unknown) => e)
      if (isCortadoError(err, 'ERR_BAD_FILE')) rejected++
      else throw new Error(`a flipped bit at byte ${pos} of ${bytes.length} was accepted (seed ${seed})`)
    }
    expect(rejected).toBe(positions.length)
    expect(snapshot(target)).toEqual(before)
  })

  it('foreign files, other versions, missing files and bad arguments', async () => {
    const clock = { now: 0 }
    const cache = newCache<string>(clock)
    const foreign = join(dir, 'foreign.bin')
    writeFileSync(foreign, Buffer.alloc(100, 7))
    await expect(cache.load(foreign)).rejects.toMatchObject({ code: 'ERR_BAD_FILE' })

    const path = join(dir, 'version.cdump')
    await cache.dump(path)
    const bytes = readFileSync(path)
    bytes.writeUInt32LE(99, 8)
    bytes.writeUInt32LE(crc32(bytes, 0, 28), 28)
    writeFileSync(path, bytes)
    await expect(cache.load(path)).rejects.toThrow(/version 99/)

    await expect(cache.load(join(dir, 'nope.cdump'))).rejects.toMatchObject({ code: 'ERR_BAD_FILE' })
    expect(await cache.load(join(dir, 'nope.cdump'), { ignoreMissing: true })).toMatchObject({ missing: true, loaded: 0 })
    await expect(cache.dump('')).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    // lru-cache's habits: dump() returns entries, load(entries) takes them. Each error says what to do here.
    await expect((cache.dump as () => Promise<unknown>)()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: /iterate cache\.entries\(\)/ })
    for (const restore of [cache.restore, cache.load])
      await expect(restore.call(cache, [['k', { value: 'v' }]] as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: /use setMany\(entries\)/ })
    await expect(cache.load(path, { bogus: true } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    // dump takes no options: dump(p, { signal }) must not write the file as if it had been heard.
    const refused = join(dir, 'refused.cdump')
    await expect(cache.dump(refused, { signal: AbortSignal.abort() } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION', message: /dump takes no options; got 'signal'/ })
    expect(existsSync(refused)).toBe(false)
    // File-system failures are ERR_IO with the system's error as the cause, and leave nothing behind:
    // a dump into a missing directory, a dump over a directory, a restore of a directory.
    await expect(cache.dump(join(dir, 'no-such-dir', 'x.cdump'))).rejects.toMatchObject({ code: 'ERR_IO', cause: { code: 'ENOENT' } })
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    const before = readdirSync(dir).sort()
    await expect(cache.dump(folder)).rejects.toMatchObject({ code: 'ERR_IO', cause: { code: 'EISDIR' } })
    expect(readdirSync(dir).sort()).toEqual(before)
    await expect(cache.restore(folder)).rejects.toMatchObject({ code: 'ERR_IO', cause: { code: 'EISDIR' } })
  })

  it('cached failures are not dumped', async () => {
    const clock = { now: 0 }
    const cache = newCache<string>(clock)
    await cache.getOrLoad('bad', async () => { throw new Error('x') }, { negativeTtl: 10_000 }).catch(() => {})
    cache.set('good', 'v')
    const path = join(dir, 'negative.cdump')
    expect(await cache.dump(path)).toMatchObject({ entries: 1 })
  })

  it('a closed cache refuses dump and restore with ERR_CLOSED, before touching any file', async () => {
    // restore() on a closed cache used to open the file first: a missing one with ignoreMissing
    // resolved { missing: true } as if the cache could have been restored.
    const clock = { now: 1000 }
    const source = await filled(clock)
    const path = join(dir, 'closed.cdump')
    await source.dump(path)
    const closed = new Cache<unknown>({ maxBytes: 4 << 20 })
    closed.close()
    const before = readdirSync(dir).sort()
    await expect(closed.dump(join(dir, 'never.cdump'))).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_CLOSED'))
    await expect(closed.restore(path)).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_CLOSED'))
    await expect(closed.restore(join(dir, 'missing.cdump'), { ignoreMissing: true })).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_CLOSED'))
    expect(readdirSync(dir).sort()).toEqual(before)
  })
})
