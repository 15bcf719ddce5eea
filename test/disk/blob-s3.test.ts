/**
 * S3Store against a real S3-protocol server (s3rver on loopback, see s3-server.ts): single and multipart
 * puts, ranged gets, an abort that leaves no part in the server's storage folder, presigned PUT/GET with
 * plain fetch, serveBlob passing ranges through, a 100 MiB round trip with its SHA-256, and bad input.
 */
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3Store } from '../../src/disk/index.js'
import { blobServer, errorCode, patterned } from './blob-helpers.js'
import { s3Options, startS3, type S3Server } from './s3-server.js'

const MiB = 1024 * 1024
let s3: S3Server
let store: S3Store

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

beforeAll(async () => {
  s3 = await startS3()
  store = new S3Store({ ...s3Options(s3), partSize: 5 * MiB, multipartThreshold: 5 * MiB, concurrency: 4 })
})
afterAll(async () => {
  await store.close()
  await s3.close()
})

describe('S3Store', () => {
  it('once closed, every call is ERR_CLOSED (it used to go on working: the SDK reconnects a destroyed client)', async () => {
    const st = new S3Store(s3Options(s3))
    await st.put('closing/k', 'v')
    expect(st.closed).toBe(false)
    await st.close()
    await st.close()
    expect(st.closed).toBe(true)
    const calls: (() => Promise<unknown>)[] = [
      () => st.put('closing/k', 'w'), () => st.get('closing/k'), () => st.getBuffer('closing/k'), () => st.head('closing/k'),
      () => st.delete('closing/k'), () => st.openBlob('closing/k'), () => st.presignGet('closing/k'), () => st.presignPut('closing/k'),
    ]
    for (const call of calls) expect(await errorCode(call())).toBe('ERR_CLOSED')
    // Nothing was written or deleted by the refused calls.
    expect((await store.getBuffer('closing/k'))?.toString()).toBe('v')
  })

  it('puts small bodies in one PutObject and reads them back with their metadata', async () => {
    const r = await store.put('small/a.txt', 'hello', { contentType: 'text/plain' })
    expect(r.parts).toBe(1)
    expect(r.etag).toBe(createHash('md5').update('hello').digest('hex'))
    expect((await store.getBuffer('small/a.txt'))?.toString()).toBe('hello')
    expect(await store.head('small/a.txt')).toMatchObject({ size: 5, contentType: 'text/plain', etag: r.etag })
    await store.put('small/b', Readable.from([Buffer.from('str'), Buffer.from('eam')]))
    expect((await store.getBuffer('small/b'))?.toString()).toBe('stream')
    await store.delete('small/b')
    expect(await store.getBuffer('small/b')).toBeUndefined()
    expect(await store.head('small/b')).toBeUndefined()
  })

  it('streams a 24 MiB body in parallel 5 MiB parts and reads ranges of it', async () => {
    const expected = Buffer.concat(await patterned(24 * MiB).toArray())
    const r = await store.put('big/24', patterned(24 * MiB))
    expect(r).toMatchObject({ parts: 5, size: 24 * MiB })
    expect((await store.head('big/24'))?.etag).toBe(r.etag)
    const got = await store.get('big/24', { range: { start: 100, end: 199 } })
    expect(got).toMatchObject({ size: 24 * MiB, contentLength: 100, range: { start: 100, end: 199 } })
    expect(Buffer.concat(await got!.body.toArray())).toEqual(expected.subarray(100, 200))
    const across = await store.get('big/24', { range: { start: 5 * MiB - 10, end: 5 * MiB + 9 } })
    expect(Buffer.concat(await across!.body.toArray())).toEqual(expected.subarray(5 * MiB - 10, 5 * MiB + 10))
    expect(s3.partsLeft()).toEqual([])
  })

  it('an AbortSignal mid-upload rejects with ERR_ABORTED and leaves no part in the server storage', async () => {
    const controller = new AbortController()
    // Slow enough that parts are stored while the body is still coming.
    const put = store.put('aborted/obj', patterned(40 * MiB, 40), { signal: controller.signal })
    const deadline = Date.now() + 30_000
    while (s3.partsLeft().filter((f) => /\/\d+$/.test(f)).length < 2) {
      if (Date.now() > deadline) throw new Error('no parts stored within 30 s')
      await sleep(20)
    }
    expect(s3.partsLeft().length).toBeGreaterThan(0)
    controller.abort()
    expect(await errorCode(put)).toBe('ERR_ABORTED')
    // put() resolves only after AbortMultipartUpload: the folder is already empty.
    expect(s3.partsLeft()).toEqual([])
    expect(s3.abortedUploads.size).toBe(1)
    expect(await store.head('aborted/obj')).toBeUndefined()
    // Aborted before it starts: nothing is sent at all.
    expect(await errorCode(store.put('aborted/early', Buffer.alloc(10), { signal: AbortSignal.abort() }))).toBe('ERR_ABORTED')
  })

  it('an abort while the body stalls still settles at once, with no part left (it used to wait for the body for ever)', async () => {
    const within = <T>(p: Promise<T>) =>
      Promise.race([p, sleep(15_000).then(() => { throw new Error('put did not settle within 15 s of the abort') })])
    // Stalled after one part's worth (5 MiB) and a bit: part 1 is sent, the uploaders wait for more body.
    const controller = new AbortController()
    const put = store.put('aborted/stalled', (async function* () {
      yield Buffer.alloc(6 * MiB, 1)
      await new Promise(() => {})
    })(), { signal: controller.signal })
    const deadline = Date.now() + 30_000
    while (!s3.partsLeft().some((f) => /\/\d+$/.test(f))) {
      if (Date.now() > deadline) throw new Error('no part stored within 30 s')
      await sleep(20)
    }
    controller.abort()
    expect(await within(errorCode(put))).toBe('ERR_ABORTED')
    expect(s3.partsLeft()).toEqual([])
    expect(await store.head('aborted/stalled')).toBeUndefined()
    // Stalled before the multipart threshold: nothing was sent; the body stream is released.
    const early = new AbortController()
    const body = new Readable({ read() {} })
    body.push(Buffer.alloc(1024))
    const small = store.put('aborted/stalled-small', body, { signal: early.signal })
    await sleep(50)
    early.abort()
    expect(await within(errorCode(small))).toBe('ERR_ABORTED')
    expect(body.destroyed).toBe(true)
    expect(await store.head('aborted/stalled-small')).toBeUndefined()
  })

  it('multipart: the threshold is exact, and at most `concurrency` parts are in flight (and that many are)', async () => {
    const inFlight = { now: 0, max: 0 }
    const client = await store.client()
    client.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { method?: string; query?: Record<string, unknown> }
        const isPart = req.method === 'PUT' && req.query?.partNumber !== undefined
        if (!isPart) return next(args)
        inFlight.max = Math.max(inFlight.max, ++inFlight.now)
        try {
          return await next(args)
        } finally {
          inFlight.now--
        }
      },
      { step: 'finalizeRequest', name: 'countParts' },
    )
    try {
      // The test store's threshold and part size are 5 MiB: exactly 5 MiB is one PutObject, one byte more two parts.
      expect((await store.put('threshold/at', Buffer.alloc(5 * MiB, 1))).parts).toBe(1)
      expect(inFlight.max).toBe(0)
      expect((await store.put('threshold/over', Buffer.alloc(5 * MiB + 1, 1))).parts).toBe(2)
      for (const concurrency of [1, 3]) {
        const s = new S3Store({ ...s3Options(s3), client, partSize: 5 * MiB, multipartThreshold: 5 * MiB, concurrency })
        inFlight.max = 0
        const r = await s.put(`parallel/${concurrency}`, Buffer.alloc(24 * MiB, concurrency))
        expect(r.parts).toBe(5)
        // A whole Buffer has every part ready at once: the uploaders all send before any answer comes.
        expect(inFlight.max, `concurrency ${concurrency}`).toBe(concurrency)
        await s.delete(`parallel/${concurrency}`)
      }
    } finally {
      client.middlewareStack.remove('countParts')
    }
    expect(s3.partsLeft()).toEqual([])
  })

  it('endpoint, region, credentials and path-style reach the wire (seen in the signed requests)', async () => {
    // s3rver accepts any secret and serves path-style for an IP endpoint whatever the option says, so the
    // requests themselves are looked at: a host name endpoint makes the addressing style visible.
    const port = new URL(s3.endpoint).port
    const sent = async (options: Record<string, unknown>) => {
      const st = new S3Store({ ...s3Options(s3), region: 'eu-west-2', ...options })
      const client = await st.client()
      const seen: { host: string; path: string; auth: string }[] = []
      client.middlewareStack.add(
        (next) => async (args) => {
          const r = args.request as { hostname: string; path: string; headers: Record<string, string> }
          seen.push({ host: r.hostname, path: r.path, auth: r.headers.authorization ?? '' })
          return next(args)
        },
        // After the signer (same step, lower priority), so the Authorization header is there.
        { step: 'finalizeRequest', name: 'seen', priority: 'low' },
      )
      const code = await errorCode(st.put('wire/k', 'v'))
      await st.close()
      return { code, first: seen[0]! }
    }
    const path = await sent({ endpoint: `http://localhost:${port}`, forcePathStyle: true })
    expect(path.code).toBeUndefined()
    expect(path.first).toMatchObject({ host: 'localhost', path: `/${s3.bucket}/wire/k` })
    expect(path.first.auth).toMatch(/Credential=S3RVER\/\d{8}\/eu-west-2\/s3\/aws4_request/)
    const virtualHost = await sent({ endpoint: `http://localhost:${port}`, forcePathStyle: false })
    expect(virtualHost.first).toMatchObject({ host: `${s3.bucket}.localhost`, path: '/wire/k' })
    expect(virtualHost.code).toBe('ERR_REMOTE') // no such host here: the option was honoured
    const otherKey = await sent({ credentials: { accessKeyId: 'NOT-S3RVER', secretAccessKey: 'x' } })
    expect(otherKey.first.auth).toContain('Credential=NOT-S3RVER/')
    expect(otherKey.code).toBe('ERR_REMOTE') // s3rver: InvalidAccessKeyId (HTTP 403)
  })

  it('presigned PUT and GET URLs work with plain fetch (ranges too)', async () => {
    const url = await store.presignPut('presigned/upload.txt', { contentType: 'text/plain', expiresIn: 60 })
    const put = await fetch(url, { method: 'PUT', body: 'uploaded directly', headers: { 'Content-Type': 'text/plain' } })
    expect(put.status).toBe(200)
    expect((await store.getBuffer('presigned/upload.txt'))?.toString()).toBe('uploaded directly')
    const getUrl = await store.presignGet('presigned/upload.txt', { expiresIn: 60 })
    expect(await (await fetch(getUrl)).text()).toBe('uploaded directly')
    const ranged = await fetch(getUrl, { headers: { Range: 'bytes=0-7' } })
    expect(ranged.status).toBe(206)
    expect(await ranged.text()).toBe('uploaded')
  })

  it('serveBlob from an S3Store asks S3 for the requested range only', async () => {
    await store.put('served/clip', patterned(2 * MiB))
    const expected = Buffer.concat(await patterned(2 * MiB).toArray())
    const ranges: (string | undefined)[] = []
    const client = await store.client()
    client.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { method?: string; headers?: Record<string, string> }
        if (req.method === 'GET') ranges.push(req.headers?.range ?? req.headers?.Range)
        return next(args)
      },
      { step: 'finalizeRequest', name: 'recordRanges' },
    )
    const { server, base } = await blobServer(store)
    try {
      const r = await fetch(`${base}/served/clip`, { headers: { Range: 'bytes=1000-1099' } })
      expect(r.status).toBe(206)
      expect(r.headers.get('content-range')).toBe(`bytes 1000-1099/${2 * MiB}`)
      expect(Buffer.from(await r.arrayBuffer())).toEqual(expected.subarray(1000, 1100))
      const suffix = await fetch(`${base}/served/clip`, { headers: { Range: 'bytes=-10' } })
      expect(Buffer.from(await suffix.arrayBuffer())).toEqual(expected.subarray(-10))
      expect((await fetch(`${base}/served/clip`, { headers: { Range: `bytes=${2 * MiB}-` } })).status).toBe(416)
      const etag = r.headers.get('etag')!
      expect((await fetch(`${base}/served/clip`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
      expect((await fetch(`${base}/missing`)).status).toBe(404)
    } finally {
      await new Promise((r) => server.close(r))
      client.middlewareStack.remove('recordRanges')
    }
    expect(ranges).toEqual(['bytes=1000-1099', `bytes=${2 * MiB - 10}-${2 * MiB - 1}`])
  })

  it('round-trips a 100 MiB object with the same SHA-256', async () => {
    const big = new S3Store({ ...s3Options(s3), partSize: 16 * MiB, concurrency: 4 })
    const up = createHash('sha256')
    const source = patterned(100 * MiB)
    source.on('data', (c: Buffer) => up.update(c))
    const r = await big.put('big/100', source)
    expect(r).toMatchObject({ size: 100 * MiB, parts: 7 })
    const down = createHash('sha256')
    const o = await big.get('big/100')
    for await (const chunk of o!.body) down.update(chunk as Buffer)
    expect(down.digest('hex')).toBe(up.digest('hex'))
    await big.delete('big/100')
    await big.close()
  })

  it('refuses bad options, keys and ranges with typed errors; a dead endpoint is ERR_REMOTE', async () => {
    expect(await errorCode(() => new S3Store({ bucket: 'ab' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new S3Store({ bucket: 'Upper_Case' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new S3Store({ bucket: 'okay', partSize: MiB }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new S3Store({ bucket: 'okay', concurrency: 0 }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new S3Store({ bucket: 'okay', endpoint: 'not a url' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.put('', 'x'))).toBe('ERR_INVALID_KEY')
    expect(await errorCode(store.put('k', 42 as unknown as string))).toBe('ERR_INVALID_VALUE')
    expect(await errorCode(store.get('small/a.txt', { range: { start: 5, end: 2 } }))).toBe('ERR_INVALID_RANGE')
    expect(await errorCode(store.presignGet('k', { expiresIn: 0 }))).toBe('ERR_INVALID_OPTION')
    // Misspelled options are refused, not ignored (forcePathStyle misspelled would address the wrong host).
    expect(await errorCode(() => new S3Store({ bucket: 'okay', forcepathstyle: true } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(() => new S3Store({ bucket: 'okay', partsize: 16 * MiB } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.put('k', 'x', { contentTyp: 'text/plain' } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.get('k', { rang: { start: 0, end: 1 } } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.presignPut('k', { expires: 60 } as never))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.presignGet('k', null as never))).toBe('ERR_INVALID_OPTION')
    // Header values and the signal are checked before anything is sent (they were ERR_REMOTE, a raw TypeError, or accepted).
    expect(await errorCode(store.put('k', 'x', { contentType: 'text/plain\r\nX-Evil: 1' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.put('k', 'x', { contentType: 5 as never }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.put('k', 'x', { etag: 'é' }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.put('k', 'x', { signal: {} as never }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.get('k', { signal: 'soon' as never }))).toBe('ERR_INVALID_OPTION')
    expect(await errorCode(store.presignPut('k', { contentType: 'a\nb' }))).toBe('ERR_INVALID_OPTION')
    // A streamed body must yield bytes (an object-mode stream's objects were uploaded as nothing).
    expect(await errorCode(store.put('k', Readable.from([{ a: 1 }]) as never))).toBe('ERR_INVALID_VALUE')
    expect(await store.head('k')).toBeUndefined()
    expect(await store.get('no/such/key')).toBeUndefined()
    const dead = new S3Store({ ...s3Options(s3), endpoint: 'http://127.0.0.1:9' })
    expect(await errorCode(dead.head('k'))).toBe('ERR_REMOTE')
    await dead.close()
  })
})
