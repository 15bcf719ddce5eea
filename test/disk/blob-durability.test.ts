/**
 * Durability levels and torn files. What an OS crash can leave of a file that was renamed before its
 * data reached the device (durability 'os-or-miss' or 'process'): the header intact and the data short,
 * zeroed at the tail, or zeroed throughout. Such a file carries the id of the boot that wrote it; the
 * tests make a file "from an earlier boot" by rewriting that id (and the header's own CRC), then tear
 * its data as a crash would, and expect every read path (get, stat, createReadStream, serveBlob) to
 * report a miss, count it (torn, corrupt) and remove the file. Intact files from an earlier boot read
 * normally, by every path, also when written from a stream or in several CRC slices.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { DiskCache, type DiskCacheOptions } from '../../src/disk/index.js'
import { crc32 as zlibCrc } from '../../src/crc32.js' // IEEE CRC-32 in JS, independent of the code under test
import { blobPaths } from '../../src/disk/blob/layout.js'
import { decodeHeader } from '../../src/disk/blob/header.js'
import { blobServer, errorCode, patterned, tempFolders } from './blob-helpers.js'

const folders = tempFolders('cortado-durability-')
afterEach(() => folders.cleanup())
const KiB = 1024
const MiB = 1024 * KiB

function cache(extra: Partial<DiskCacheOptions> = {}): DiskCache {
  return new DiskCache({ dir: folders.make(), gcIntervalMs: 0, ...extra })
}

type Tear = 'none' | 'zeroed-tail' | 'all-zero' | 'truncated'

/** Rewrites a blob file as if an earlier boot wrote it, then damages its data as an OS crash can. */
function fromEarlierBoot(c: DiskCache, key: string, tear: Tear): void {
  const file = blobPaths(c.dir, key).file
  const bytes = readFileSync(file)
  const meta = decodeHeader(bytes, bytes.length)!
  expect(meta.unflushedBoot).toBeDefined()
  randomBytes(16).copy(bytes, 48)
  bytes.writeUInt32LE(0, 40)
  bytes.writeUInt32LE(zlibCrc(bytes.subarray(0, meta.headerLen)), 40)
  const dataAt = meta.headerLen
  const size = bytes.length - dataAt
  if (tear === 'zeroed-tail') bytes.fill(0, dataAt + Math.max(0, size - Math.min(size, 4096)))
  if (tear === 'all-zero') bytes.fill(0, dataAt)
  writeFileSync(file, tear === 'truncated' ? bytes.subarray(0, dataAt + (size >> 1)) : bytes)
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of s) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function body(n: number): Buffer {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >>> 8)) & 0xff || 1
  return b
}

describe('DiskCache durability and torn files', () => {
  it("writes version 1 headers for 'os' (flushed before the rename) and version 2 with the boot id otherwise", async () => {
    for (const [durability, version] of [['os', 1], ['os-or-miss', 2], ['process', 2]] as const) {
      const c = cache({ durability })
      expect(c.durability).toBe(durability)
      await c.put('k', body(5000))
      const bytes = readFileSync(blobPaths(c.dir, 'k').file)
      expect(bytes[4]).toBe(version)
      const meta = decodeHeader(bytes, bytes.length)!
      expect(meta.dataCrc).toBe(zlibCrc(body(5000)))
      expect(meta.unflushedBoot === undefined).toBe(durability === 'os')
      expect((await c.get('k'))!.equals(body(5000))).toBe(true)
      c.close()
    }
    expect(cache({ fsync: true }).durability).toBe('os')
    expect(cache({ fsync: false }).durability).toBe('process')
    expect(cache().durability).toBe('os')
  })

  for (const durability of ['os-or-miss', 'process'] as const) {
    for (const tear of ['zeroed-tail', 'all-zero', 'truncated'] as const) {
      it(`${durability}: a torn file from an earlier boot (${tear}) is a miss on every read path, counted and removed`, async () => {
        const c = cache({ durability })
        const value = body(3 * MiB + 123)
        const keys = ['get', 'stat', 'stream', 'serve'] as const
        for (const k of keys) await c.put(k, value, { contentType: 'video/mp4' })
        for (const k of keys) fromEarlierBoot(c, k, tear)
        expect(await c.get('get')).toBeUndefined()
        expect(await c.stat('stat')).toBeUndefined()
        expect(c.createReadStream('stream', { start: 0, end: 9 })).toBeUndefined()
        const { server, base } = await blobServer(c)
        try {
          const res = await fetch(`${base}/serve`, { headers: { Range: 'bytes=0-99' } })
          expect(res.status).toBe(404)
          await res.arrayBuffer()
        } finally {
          await new Promise((r) => server.close(r))
        }
        // The truncated ones fail the length check before any data is read: corrupt, not torn.
        const s = c.stats()
        expect(s.corrupt).toBe(4)
        expect(s.torn).toBe(tear === 'truncated' ? 0 : 4)
        expect(s.misses).toBe(4)
        expect(s.hits).toBe(0)
        await new Promise((r) => setTimeout(r, 20)) // createReadStream removes without waiting
        for (const k of keys) expect(existsSync(blobPaths(c.dir, k).file)).toBe(false)
        // The key works again.
        await c.put('get', 'again')
        expect((await c.get('get'))?.toString()).toBe('again')
        c.close()
      })
    }
  }

  it('an intact file from an earlier boot reads normally by every path, checked once per process', async () => {
    const c = cache({ durability: 'process' })
    const value = body(3 * MiB + 5) // several CRC slices
    await c.put('whole', value)
    await c.put('streamed', patterned(2 * MiB + 77))
    const streamed = await readAll(patterned(2 * MiB + 77))
    fromEarlierBoot(c, 'whole', 'none')
    fromEarlierBoot(c, 'streamed', 'none')
    expect((await c.get('whole'))!.equals(value)).toBe(true)
    expect((await readAll(c.createReadStream('streamed', { start: 1000, end: 1_500_000 })!)).equals(streamed.subarray(1000, 1_500_001))).toBe(true)
    expect((await c.stat('whole'))!.size).toBe(value.length)
    const { server, base } = await blobServer(c)
    try {
      const res = await fetch(`${base}/streamed`, { headers: { Range: 'bytes=10-19' } })
      expect(res.status).toBe(206)
      expect(Buffer.from(await res.arrayBuffer()).equals(streamed.subarray(10, 20))).toBe(true)
    } finally {
      await new Promise((r) => server.close(r))
    }
    expect(c.stats().torn).toBe(0)
    expect(c.stats().corrupt).toBe(0)
    c.close()
    // Another instance (a process started after the reboot would be one) checks it again.
    const again = new DiskCache({ dir: c.dir, gcIntervalMs: 0 })
    fromEarlierBoot(again, 'whole', 'zeroed-tail')
    expect(await again.get('whole')).toBeUndefined()
    expect(again.stats().torn).toBe(1)
    again.close()
  })

  it("files of the current boot and 'os' files are used without reading their data first", async () => {
    // A zeroed tail the checksum would catch: only files from an earlier boot, not flushed first, are checked.
    const c = cache({ durability: 'os' })
    await c.put('k', body(100 * KiB))
    const file = blobPaths(c.dir, 'k').file
    const bytes = readFileSync(file)
    bytes.fill(0, bytes.length - 10)
    writeFileSync(file, bytes)
    expect((await c.get('k'))!.length).toBe(100 * KiB)
    expect(c.stats().torn).toBe(0)
    c.close()
  })

  it('refuses bad durability and fsync values with ERR_INVALID_OPTION', async () => {
    const dir = folders.make()
    const make = (o: object) => () => new DiskCache({ dir, gcIntervalMs: 0, ...o } as DiskCacheOptions)
    expect(await errorCode(make({ durability: 'fsync' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(make({ durability: true }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(make({ durability: 'os', fsync: false }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(make({ durability: 'os-or-miss', fsync: true }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(make({ durability: 'os-or-miss', fsync: false }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(make({ fsync: 'yes' }))).toBe('ERR_INVALID_OPTION')
    for (const ok of [{ durability: 'process', fsync: false }, { durability: 'os', fsync: true }]) {
      const c = make(ok)()
      c.close()
    }
  })
})
