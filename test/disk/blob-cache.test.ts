/**
 * BlobCache = DiskCache in front of S3Store, against s3rver on loopback: write-through with one ETag on
 * both sides, read-through with one download however many readers, ranges from disk once cached (no
 * more S3 requests), the pass-through mode for misses, and an S3 failure that leaves no disk copy.
 */
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BlobCache, DiskCache, S3Store } from '../../src/disk/index.js'
import { blobServer, errorCode, patterned, tempFolders } from './blob-helpers.js'
import { s3Options, startS3, type S3Server } from './s3-server.js'

const MiB = 1024 * 1024
const folders = tempFolders('cortado-blobcache-')
let s3: S3Server
let store: S3Store
let gets: { key: string; range: string | undefined }[] = []

/** Records every GET the store's real client sends (the requests still go to the server). */
function recordGets(client: S3Client) {
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { method?: string; path?: string; headers?: Record<string, string> }
      if (req.method === 'GET') gets.push({ key: decodeURIComponent(req.path!.split('/').slice(2).join('/')), range: req.headers?.range })
      return next(args)
    },
    { step: 'finalizeRequest', name: 'recordGets' },
  )
}

beforeAll(async () => {
  s3 = await startS3()
  store = new S3Store({ ...s3Options(s3), partSize: 5 * MiB, multipartThreshold: 5 * MiB })
  recordGets(await store.client())
})
afterAll(async () => {
  await store.close()
  await s3.close()
})
afterEach(() => {
  gets = []
  folders.cleanup()
})
function cache(missReads?: 'wait' | 'pass-through'): BlobCache {
  return new BlobCache({ disk: new DiskCache({ dir: folders.make(), fsync: false, gcIntervalMs: 0 }), store, missReads })
}

describe('BlobCache', () => {
  it('write-through: the blob is on disk and in S3 with the same ETag', async () => {
    const c = cache()
    await c.put('wt/video.mp4', patterned(6 * MiB), { contentType: 'video/mp4' })
    const onDisk = await c.disk.stat('wt/video.mp4')
    const inS3 = await store.head('wt/video.mp4')
    expect(onDisk).toMatchObject({ size: 6 * MiB, contentType: 'video/mp4' })
    expect(inS3).toMatchObject({ size: 6 * MiB, contentType: 'video/mp4', etag: onDisk!.etag })
    // Buffer.equals: vitest's toEqual walks megabytes element by element.
    expect((await store.getBuffer('wt/video.mp4'))!.equals((await c.disk.get('wt/video.mp4'))!)).toBe(true)
    await c.delete('wt/video.mp4')
    expect(await c.disk.stat('wt/video.mp4')).toBeUndefined()
    expect(await store.head('wt/video.mp4')).toBeUndefined()
    c.disk.close()
  })

  it('read-through with single-flight: 20 concurrent readers, one download', async () => {
    const expected = Buffer.concat(await patterned(3 * MiB).toArray())
    await store.put('rt/shared', expected)
    gets = []
    const c = cache()
    const results = await Promise.all(Array.from({ length: 20 }, () => c.get('rt/shared')))
    for (const r of results) expect(r!.equals(expected)).toBe(true)
    expect(gets.filter((g) => g.key === 'rt/shared').length).toBe(1)
    expect(c.stats()).toMatchObject({ fills: 1, misses: 20, fillErrors: 0 })
    expect((await c.get('rt/shared'))!.equals(expected)).toBe(true)
    expect(c.stats().hits).toBe(1)
    expect(await c.get('rt/absent')).toBeUndefined()
    c.disk.close()
  })

  it('serveBlob from a BlobCache: the first request downloads, later ranges come from disk', async () => {
    const expected = Buffer.concat(await patterned(2 * MiB).toArray())
    await store.put('srv/clip', expected, { contentType: 'video/mp4' })
    gets = []
    const c = cache()
    const { server, base } = await blobServer(c)
    try {
      const first = await fetch(`${base}/srv/clip`, { headers: { Range: 'bytes=0-99' } })
      expect(first.status).toBe(206)
      expect(Buffer.from(await first.arrayBuffer())).toEqual(expected.subarray(0, 100))
      expect(gets.length).toBe(1)
      for (const [s, e] of [[MiB, MiB + 9], [2 * MiB - 5, 2 * MiB - 1]]) {
        const r = await fetch(`${base}/srv/clip`, { headers: { Range: `bytes=${s}-${e}` } })
        expect(Buffer.from(await r.arrayBuffer())).toEqual(expected.subarray(s, e + 1))
      }
      expect(gets.length).toBe(1) // no S3 request after the download
      const etag = first.headers.get('etag')!
      expect((await fetch(`${base}/srv/clip`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
      expect((await fetch(`${base}/srv/nothing`)).status).toBe(404)
    } finally {
      await new Promise((r) => server.close(r))
      c.disk.close()
    }
  })

  it("'pass-through': a miss is answered with S3's range at once while the download fills the disk", async () => {
    const expected = Buffer.concat(await patterned(6 * MiB).toArray())
    await store.put('pt/clip', expected)
    gets = []
    const c = cache('pass-through')
    const { server, base } = await blobServer(c)
    try {
      const r = await fetch(`${base}/pt/clip`, { headers: { Range: 'bytes=5000-5099' } })
      expect(r.status).toBe(206)
      expect(Buffer.from(await r.arrayBuffer())).toEqual(expected.subarray(5000, 5100))
      expect(gets.some((g) => g.range === 'bytes=5000-5099')).toBe(true)
      expect(c.stats().passThrough).toBe(1)
      expect(await c.fill('pt/clip')).toBe(true) // joins the download in flight, or finds it done
      expect(c.stats().fills).toBe(1)
      const before = gets.length
      const again = await fetch(`${base}/pt/clip`, { headers: { Range: 'bytes=-4' } })
      expect(Buffer.from(await again.arrayBuffer())).toEqual(expected.subarray(-4))
      expect(gets.length).toBe(before)
    } finally {
      await new Promise((r) => server.close(r))
      c.disk.close()
    }
  })

  it('an object larger than the disk cache is served from S3 (the fill is refused, not stored and evicted)', async () => {
    const expected = Buffer.concat(await patterned(3 * MiB).toArray())
    await store.put('big/for-a-small-disk', expected)
    const disk = new DiskCache({ dir: folders.make(), fsync: false, gcIntervalMs: 0, maxBytes: MiB })
    const c = new BlobCache({ disk, store })
    expect((await c.get('big/for-a-small-disk'))!.equals(expected)).toBe(true)
    const { server, base } = await blobServer(c)
    try {
      const r = await fetch(`${base}/big/for-a-small-disk`, { headers: { Range: 'bytes=10-19' } })
      expect(r.status).toBe(206)
      expect(Buffer.from(await r.arrayBuffer())).toEqual(expected.subarray(10, 20))
    } finally {
      await new Promise((r) => server.close(r))
    }
    expect(c.stats()).toMatchObject({ fills: 0, fillErrors: 2 })
    expect(await errorCode(c.put('big/too-large-to-cache', Buffer.alloc(2 * MiB)))).toBe('ERR_CAPACITY')
    disk.close()
  })

  it('an S3 failure on put leaves no disk copy and is ERR_REMOTE; bad options are refused', async () => {
    const dead = new S3Store({ ...s3Options(s3), endpoint: 'http://127.0.0.1:9' })
    const disk = new DiskCache({ dir: folders.make(), fsync: false, gcIntervalMs: 0 })
    const c = new BlobCache({ disk, store: dead })
    expect(await errorCode(c.put('k', 'value'))).toBe('ERR_REMOTE')
    expect(await disk.stat('k')).toBeUndefined()
    expect(await errorCode(() => new BlobCache({ disk, store: dead, missReads: 'sometimes' as 'wait' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new BlobCache({ disk } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new BlobCache({ disk, store: dead, missRead: 'pass-through' } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(new BlobCache({ disk, store: dead }).put('k', 'v', { tll: 1000 } as never))).toBe('ERR_INVALID_OPTION')
    await dead.close()
    disk.close()
  })
})
