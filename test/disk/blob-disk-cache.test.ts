/** DiskCache: the API against a model, ranges, TTLs, the on-disk layout, and bad input. */
import { writeFileSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterEach, describe, expect, it } from 'vitest'
import { DiskCache } from '../../src/disk/index.js'
import { blobPaths } from '../../src/disk/blob/layout.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'
import { errorCode, tempFolders, tempsIn } from './blob-helpers.js'

const folders = tempFolders('cortado-blob-')
afterEach(() => folders.cleanup())
const tempDir = folders.make
function cache(extra: Partial<ConstructorParameters<typeof DiskCache>[0]> = {}): DiskCache {
  return new DiskCache({ dir: tempDir(), fsync: false, gcIntervalMs: 0, ...extra })
}
const code = errorCode
const run = promisify(execFile)

describe('DiskCache', () => {
  it('puts and gets Buffers, strings, Readables and async iterables', async () => {
    const c = cache()
    await c.put('a', Buffer.from('alpha'))
    await c.put('b', 'beta', { contentType: 'text/plain' })
    await c.put('c', Readable.from([Buffer.from('ga'), Buffer.from('mma')]))
    await c.put('d', (async function* () { yield new Uint8Array([1, 2]); yield new Uint8Array([3]) })())
    expect((await c.get('a'))?.toString()).toBe('alpha')
    expect((await c.get('b'))?.toString()).toBe('beta')
    expect((await c.get('c'))?.toString()).toBe('gamma')
    expect([...(await c.get('d'))!]).toEqual([1, 2, 3])
    expect(await c.get('missing')).toBeUndefined()
    const st = await c.stat('b')
    expect(st).toMatchObject({ size: 4, contentType: 'text/plain', expiry: undefined })
    expect(st!.etag).toMatch(/^[0-9a-f]{16}$/)
    expect(st!.mtime).toBeInstanceOf(Date)
    c.close()
  })

  it('lays files out as dir/ab/cd/<sha-256> with the key in the header, and keeps an empty blob', async () => {
    const c = cache()
    await c.put('some/key with spaces/../ü', 'x')
    await c.put('empty', Buffer.alloc(0))
    const p = blobPaths(c.dir, 'some/key with spaces/../ü')
    expect(p.file).toBe(join(c.dir, p.hash.slice(0, 2), p.hash.slice(2, 4), p.hash))
    expect(readFileSync(p.file).includes(Buffer.from('some/key with spaces/../ü'))).toBe(true)
    expect((await c.get('empty'))?.length).toBe(0)
    expect(await text(c.createReadStream('empty')!)).toBe('')
    c.close()
  })

  it('matches a Map under random puts, overwrites, deletes and reads (model-based)', async () => {
    const seed = testSeed(16)
    const rand = mulberry32(seed)
    const c = cache()
    const model = new Map<string, Buffer>()
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`)
    for (let step = 0; step < 300; step++) {
      const key = keys[Math.floor(rand() * keys.length)]!
      const r = rand()
      if (r < 0.4) {
        const value = Buffer.alloc(Math.floor(rand() * 3000), Math.floor(rand() * 256))
        await c.put(key, rand() < 0.5 ? value : Readable.from([value.subarray(0, 100), value.subarray(100)]))
        model.set(key, value)
      } else if (r < 0.55) {
        expect(await c.delete(key)).toBe(model.delete(key))
      } else if (r < 0.8) {
        expect(await c.get(key)).toEqual(model.get(key))
      } else {
        const want = model.get(key)
        if (want === undefined || want.length === 0) {
          if (want === undefined) expect(c.createReadStream(key)).toBeUndefined()
          continue
        }
        const start = Math.floor(rand() * want.length)
        const end = start + Math.floor(rand() * (want.length - start + 10))
        const s = c.createReadStream(key, { start, end })!
        const got = Buffer.concat(await s.toArray())
        expect(got).toEqual(want.subarray(start, end + 1))
      }
    }
    c.close()
  })

  it('reads inclusive byte ranges like fs.createReadStream', async () => {
    const c = cache()
    await c.put('r', '0123456789')
    const read = async (range: { start?: number; end?: number }) => text(c.createReadStream('r', range)!)
    expect(await read({})).toBe('0123456789')
    expect(await read({ start: 0, end: 0 })).toBe('0')
    expect(await read({ start: 3, end: 5 })).toBe('345')
    expect(await read({ start: 7 })).toBe('789')
    expect(await read({ end: 2 })).toBe('012')
    expect(await read({ start: 8, end: 100 })).toBe('89')
    expect(await code(() => c.createReadStream('r', { start: 10 }))).toBe('ERR_INVALID_RANGE')
    expect(await code(() => c.createReadStream('r', { start: 5, end: 4 }))).toBe('ERR_INVALID_RANGE')
    expect(await code(() => c.createReadStream('r', { start: -1 }))).toBe('ERR_INVALID_RANGE')
    expect(await code(() => c.createReadStream('r', { start: 1.5 }))).toBe('ERR_INVALID_RANGE')
    expect(await code(() => c.createReadStream('r', { end: Number.NaN }))).toBe('ERR_INVALID_RANGE')
    c.close()
  })

  it('expires blobs by TTL (per put or by default) and removes them on read', async () => {
    let now = 1_000_000
    const c = cache({ ttl: 500, clock: () => now })
    await c.put('default', 'd')
    await c.put('own', 'o', { ttl: 2000 })
    await c.put('never', 'n', { ttl: 0 })
    expect((await c.stat('default'))!.expiry!.getTime()).toBe(1_000_500)
    now += 600
    expect(await c.get('default')).toBeUndefined()
    expect(existsBlob(c, 'default')).toBe(false)
    expect((await c.get('own'))?.toString()).toBe('o')
    now += 2000
    expect(c.createReadStream('own')).toBeUndefined()
    expect((await c.get('never'))?.toString()).toBe('n')
    expect(c.stats().expired).toBe(2)
    c.close()
  })

  it('treats a damaged file as a miss, counts it and removes it', async () => {
    const c = cache()
    await c.put('k', 'value')
    const file = blobPaths(c.dir, 'k').file
    const bytes = readFileSync(file)
    bytes[10] ^= 0xff
    writeFileSync(file, bytes)
    expect(await c.get('k')).toBeUndefined()
    expect(c.stats().corrupt).toBe(1)
    expect(existsBlob(c, 'k')).toBe(false)
    await c.put('t', 'truncated value')
    const t = blobPaths(c.dir, 't').file
    writeFileSync(t, readFileSync(t).subarray(0, -3))
    expect(await c.stat('t')).toBeUndefined()
    c.close()
  })

  it('refuses bad keys, bodies, options and ranges with typed errors, leaving data intact', async () => {
    const c = cache()
    await c.put('keep', 'kept')
    expect(await code(c.put('', 'x'))).toBe('ERR_INVALID_KEY')
    expect(await code(c.put(42 as unknown as string, 'x'))).toBe('ERR_INVALID_KEY')
    expect(await code(c.put('a\uD800', 'x'))).toBe('ERR_INVALID_KEY')
    expect(await code(c.put('k'.repeat(1025), 'x'))).toBe('ERR_INVALID_KEY')
    expect(await code(c.get(undefined as unknown as string))).toBe('ERR_INVALID_KEY')
    expect(await code(c.put('x', 12 as unknown as string))).toBe('ERR_INVALID_VALUE')
    expect(await code(c.put('x', null as unknown as string))).toBe('ERR_INVALID_VALUE')
    expect(await code(c.put('x', 'v', { ttl: -1 }))).toBe('ERR_INVALID_TTL')
    expect(await code(c.put('x', 'v', { contentType: 'text/html\r\nSet-Cookie: a=b' }))).toBe('ERR_INVALID_OPTION')
    expect(await code(c.put('x', 'v', { etag: '' }))).toBe('ERR_INVALID_OPTION')
    expect(await code(() => new DiskCache({ dir: '' }))).toBe('ERR_INVALID_OPTION')
    expect(await code(() => new DiskCache({ dir: tempDir(), highWatermark: 1.5 }))).toBe('ERR_INVALID_OPTION')
    expect(await code(() => new DiskCache({ dir: tempDir(), lowWatermark: 0.9, highWatermark: 0.8 }))).toBe('ERR_INVALID_OPTION')
    expect(await code(() => new DiskCache({ dir: tempDir(), maxBytes: -5 }))).toBe('ERR_INVALID_OPTION')
    // A stream that fails half-way: the put rejects and the old value stays.
    const failing = new Readable({ read() { this.push(Buffer.alloc(1000)); this.destroy(new Error('source broke')) } })
    expect(await code(c.put('keep', failing))).toBe('ERR_IO')
    expect((await c.get('keep'))?.toString()).toBe('kept')
    expect(tempsIn(c.dir)).toEqual([])
    expect(c.stats().putErrors).toBe(1)
    c.close()
    expect(await code(c.get('keep'))).toBe('ERR_CLOSED')
  })

  it('refuses misspelled or malformed options with ERR_INVALID_OPTION, naming the close match', async () => {
    const dir = tempDir()
    const thrown = (f: () => unknown) => {
      try {
        f()
      } catch (err) {
        return err as Error & { code?: string }
      }
      return undefined
    }
    // Each of these used to be accepted and ignored: a GC at its default marks, a blob that never expires.
    const ctor = thrown(() => new DiskCache({ dir, highWaterMark: 0.5 } as never))
    expect(ctor?.code).toBe('ERR_INVALID_OPTION')
    expect(ctor?.message).toContain("did you mean 'highWatermark'")
    expect(thrown(() => new DiskCache({ dir, maxbytes: 10 } as never))?.code).toBe('ERR_INVALID_OPTION')
    const c = cache()
    const put = await c.put('k', 'v', { tll: 5000 } as never).catch((err: Error & { code?: string }) => err)
    expect((put as { code?: string }).code).toBe('ERR_INVALID_OPTION')
    expect((put as Error).message).toContain("did you mean 'ttl'")
    // null and a number (node-cache's ttl in seconds) used to throw a TypeError and be ignored.
    expect(await code(c.put('k', 'v', null as never))).toBe('ERR_INVALID_OPTION')
    expect(await code(c.put('k', 'v', 60 as never))).toBe('ERR_INVALID_OPTION')
    await c.put('k', 'v')
    expect(await code(() => c.createReadStream('k', { start: 0, stop: 0 } as never))).toBe('ERR_INVALID_OPTION')
    expect(await c.stat('k')).toMatchObject({ size: 1, expiry: undefined })
    expect(c.stats().putErrors).toBe(0) // refused before anything was written
    c.close()
  })

  it('refuses a streamed body whose chunks are not bytes, keeping the old version (was stored empty)', async () => {
    const c = cache()
    await c.put('k', 'old')
    const bodies = [
      Readable.from([{ a: 1 }]),
      Readable.from([1, 2, 3]),
      (async function* () { yield Buffer.from('ok so far'); yield 5 })(),
    ]
    for (const body of bodies) expect(await code(c.put('k', body as never))).toBe('ERR_INVALID_VALUE')
    expect((await c.get('k'))?.toString()).toBe('old')
    expect(tempsIn(c.dir)).toEqual([])
    expect(c.stats().putErrors).toBe(3)
    c.close()
  })

  it('durable puts racing into one folder (sharing its flushes) all land, by both write paths', async () => {
    // Keys whose files share a folder: the first four hex digits of their hashes agree.
    const byFolder = new Map<string, string[]>()
    let same: string[] | undefined
    for (let i = 0; same === undefined; i++) {
      const key = `k${i}`
      const folder = blobPaths('/', key).folder
      const list = byFolder.get(folder) ?? []
      list.push(key)
      byFolder.set(folder, list)
      if (list.length === 3) same = list
    }
    for (const inlineWriteBytes of [0, 64 * 1024]) {
      const c = cache({ fsync: true, inlineWriteBytes })
      const puts = []
      for (let round = 0; round < 4; round++) for (const key of same) puts.push(c.put(key, `${key}-${round}`))
      await Promise.all(puts)
      // Racing puts of one key: one whole version wins (which one is not ordered).
      for (const key of same) expect((await c.get(key))?.toString()).toMatch(new RegExp(`^${key}-[0-3]$`))
      await Promise.all(same.map((key) => c.put(key, `${key}-last`)))
      for (const key of same) expect((await c.get(key))?.toString()).toBe(`${key}-last`)
      expect(tempsIn(c.dir)).toEqual([])
      c.close()
    }
  })

  it('a blob larger than maxBytes is refused with ERR_CAPACITY (it was stored, then evicted by the run its put started)', async () => {
    const c = cache({ maxBytes: 10_000 })
    await c.put('k', Buffer.alloc(5000, 1))
    expect(await code(c.put('k', Buffer.alloc(20_000, 2)))).toBe('ERR_CAPACITY')
    const streamed = Readable.from(Array.from({ length: 20 }, () => Buffer.alloc(1000, 3)))
    expect(await code(c.put('k', streamed))).toBe('ERR_CAPACITY')
    expect(streamed.destroyed).toBe(true) // stopped at the chunk that passed the limit
    expect((await c.get('k'))?.equals(Buffer.alloc(5000, 1))).toBe(true)
    expect(tempsIn(c.dir)).toEqual([])
    expect(c.stats().putErrors).toBe(2)
    await c.gc()
    expect(c.stats().evicted).toBe(0)
    c.close()
  })

  it('a burst of 2000 concurrent puts, gets and stats under a 512-descriptor limit all succeed (most failed with EMFILE)', async () => {
    const dir = tempDir()
    const fixture = fileURLToPath(new URL('./fixtures/burst.mjs', import.meta.url))
    const { stdout } = await run('bash', ['-c', `ulimit -n 512 && exec "${process.execPath}" "${fixture}" "${dir}" 2000`], { timeout: 120_000 })
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ found: 2000, stats: 2000, errors: {} })
    expect(tempsIn(dir)).toEqual([])
  })

  it('refuses a dir that is a file, or lies under one', async () => {
    const file = join(tempDir(), 'plain-file')
    writeFileSync(file, 'x')
    expect(await code(() => new DiskCache({ dir: file }))).toBe('ERR_INVALID_OPTION')
    expect(await code(() => new DiskCache({ dir: join(file, 'below') }))).toBe('ERR_INVALID_OPTION')
    expect(statSync(file).isFile()).toBe(true)
  })
})

function existsBlob(c: DiskCache, key: string): boolean {
  try {
    statSync(blobPaths(c.dir, key).file)
    return true
  } catch {
    return false
  }
}
