/**
 * serveBlob over a real node:http server on loopback, from a DiskCache: status codes and headers for
 * ranges (suffix, bytes=0-0, past the end, several), conditional requests (ETag, If-None-Match,
 * If-Range), HEAD, and bad requests.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DiskCache, serveBlob } from '../../src/disk/index.js'
import { blobServer, tempFolders } from './blob-helpers.js'

const folders = tempFolders('cortado-serve-')
const BODY = Buffer.from('0123456789abcdefghij') // 20 bytes
let disk: DiskCache
let server: Server
let base: string
let etag: string

beforeAll(async () => {
  disk = new DiskCache({ dir: folders.make(), fsync: false, gcIntervalMs: 0 })
  await disk.put('clip.mp4', BODY, { contentType: 'video/mp4' })
  await disk.put('empty', Buffer.alloc(0))
  etag = `"${(await disk.stat('clip.mp4'))!.etag}"`
  ;({ server, base } = await blobServer(disk))
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  disk.close()
  folders.cleanup()
})

async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(`${base}/${path}`, { method, headers })
  const body = Buffer.from(await res.arrayBuffer())
  return { status: res.status, body, h: (name: string) => res.headers.get(name) }
}

describe('serveBlob', () => {
  it('GET: 200 with the whole blob, its length, type, ETag and Accept-Ranges', async () => {
    const r = await get('clip.mp4')
    expect(r.status).toBe(200)
    expect(r.body).toEqual(BODY)
    expect(r.h('content-length')).toBe('20')
    expect(r.h('content-type')).toBe('video/mp4')
    expect(r.h('accept-ranges')).toBe('bytes')
    expect(r.h('etag')).toBe(etag)
    expect(r.h('last-modified')).toBeTruthy()
  })

  it('HEAD: the same headers and no body', async () => {
    const r = await get('clip.mp4', {}, 'HEAD')
    expect(r.status).toBe(200)
    expect(r.body.length).toBe(0)
    expect(r.h('content-length')).toBe('20')
    expect(r.h('etag')).toBe(etag)
  })

  it.each([
    ['bytes=0-0', 206, '0', 'bytes 0-0/20'],
    ['bytes=5-9', 206, '56789', 'bytes 5-9/20'],
    ['bytes=15-', 206, 'fghij', 'bytes 15-19/20'],
    ['bytes=-3', 206, 'hij', 'bytes 17-19/20'],
    ['bytes=-50', 206, BODY.toString(), 'bytes 0-19/20'],
    ['bytes=18-1000', 206, 'ij', 'bytes 18-19/20'],
    ['bytes=19-19', 206, 'j', 'bytes 19-19/20'],
  ])('Range %s → %i %s', async (range, status, body, contentRange) => {
    const r = await get('clip.mp4', { Range: range })
    expect(r.status).toBe(status)
    expect(r.body.toString()).toBe(body)
    expect(r.h('content-range')).toBe(contentRange)
    expect(r.h('content-length')).toBe(String(body.length))
  })

  it.each(['bytes=20-', 'bytes=20-30', 'bytes=-0', 'bytes=100-200'])('Range %s → 416 with bytes */20', async (range) => {
    const r = await get('clip.mp4', { Range: range })
    expect(r.status).toBe(416)
    expect(r.h('content-range')).toBe('bytes */20')
    expect(r.body.length).toBe(0)
  })

  it.each(['bytes=0-1,5-6', 'bytes=abc', 'items=0-5', 'bytes=5-2', 'bytes=-'])('Range %s is ignored: 200 with the whole blob', async (range) => {
    const r = await get('clip.mp4', { Range: range })
    expect(r.status).toBe(200)
    expect(r.body).toEqual(BODY)
  })

  it('an empty blob: 200 with nothing, any range 416', async () => {
    expect((await get('empty')).status).toBe(200)
    expect((await get('empty')).h('content-length')).toBe('0')
    expect((await get('empty', { Range: 'bytes=0-0' })).status).toBe(416)
    expect((await get('empty', { Range: 'bytes=-1' })).status).toBe(416)
  })

  it('If-None-Match: 304 for the current ETag (strong, weak, in a list or *), 200 otherwise', async () => {
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const r = await get('clip.mp4', { 'If-None-Match': inm })
      expect(r.status, inm).toBe(304)
      expect(r.body.length).toBe(0)
      expect(r.h('etag')).toBe(etag)
    }
    expect((await get('clip.mp4', { 'If-None-Match': '"stale"' })).status).toBe(200)
    // A new version gets a new ETag: the old one no longer matches.
    await disk.put('replaced', 'v1')
    const old = (await get('replaced')).h('etag')!
    await disk.put('replaced', 'v2')
    const r = await get('replaced', { 'If-None-Match': old })
    expect(r.status).toBe(200)
    expect(r.body.toString()).toBe('v2')
  })

  it('If-Range: the range with the current ETag, the whole blob with a stale one', async () => {
    expect((await get('clip.mp4', { Range: 'bytes=0-1', 'If-Range': etag })).status).toBe(206)
    const stale = await get('clip.mp4', { Range: 'bytes=0-1', 'If-Range': '"stale"' })
    expect(stale.status).toBe(200)
    expect(stale.body).toEqual(BODY)
  })

  it('misspelled serveBlob options: 500 to the client, and the call rejects with ERR_INVALID_OPTION', async () => {
    const failures: unknown[] = []
    const s = createServer((req, res) => {
      serveBlob(req, res, disk, 'clip.mp4', { cachecontrol: 'no-store' } as never).catch((err: unknown) => failures.push(err))
    })
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
    try {
      const r = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/clip.mp4`)
      expect(r.status).toBe(500)
      expect(failures.map((e) => (e as { code?: string }).code)).toEqual(['ERR_INVALID_OPTION'])
    } finally {
      await new Promise((r) => s.close(r))
    }
  })

  it('404 for a missing key, 405 for other methods, 400 for a bad key', async () => {
    expect((await get('nothing-here')).status).toBe(404)
    const post = await get('clip.mp4', {}, 'POST')
    expect(post.status).toBe(405)
    expect(post.h('allow')).toBe('GET, HEAD')
    expect((await get(encodeURIComponent('k'.repeat(1100)))).status).toBe(400)
  })
})
