/**
 * PeerGroup's contract in one process: real node:http servers on loopback (each group served from a
 * server of its own via handle(), or listen()), real Cortado caches. Security (secret, key limit,
 * version), broken peers, loader failures, local-only invalidation, aborts, membership functions and
 * option errors. The multi-process behaviour is in processes.test.ts.
 */
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Cache, PeerGroup, isCortadoError, type PeerGroupOptions } from '../../src/index.js'
import * as L from '../../src/layout/constants.generated.js'
import { PEER_PATH, ReplyStatus, SECRET_HEADER, WIRE_VERSION, decodeReply, encodeReply, encodeRequest, messageOf } from '../../src/peer/wire.js'
import { freePort } from '../helpers/servers.js'

type Value = { key: string }
type Extra = Partial<PeerGroupOptions<Value>>

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function server(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; address: string }> {
  const srv = createServer(handler)
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => {
    srv.closeAllConnections()
    srv.close(() => resolve())
  }))
  return { server: srv, address: `http://127.0.0.1:${(srv.address() as AddressInfo).port}` }
}

interface Member {
  group: PeerGroup<Value>
  cache: Cache<Value>
  loads: string[]
}

/** `n` groups, each served by its own loopback server; per-member options in `extras`. */
async function members(n: number, extras: Extra[] = []): Promise<Member[]> {
  const groups: (PeerGroup<Value> | undefined)[] = []
  const servers = await Promise.all(Array.from({ length: n }, (_, i) => server((req, res) => {
    if (!groups[i]?.handle(req, res)) {
      res.writeHead(404)
      res.end()
    }
  })))
  const addresses = servers.map((s) => s.address)
  return addresses.map((self, i) => {
    const loads: string[] = []
    const cache = new Cache<Value>({ maxBytes: 4 << 20 })
    const group = new PeerGroup<Value>({
      self, peers: addresses, cache, timeoutMs: 3000, unhealthyMs: 1,
      load: async (key) => {
        loads.push(key)
        if (key.startsWith('fail:')) throw new Error(`origin refuses ${key}`)
        if (key.startsWith('missing:')) return undefined
        return { key }
      },
      ...extras[i],
    })
    groups[i] = group
    cleanups.push(() => group.close(), () => cache.close())
    return { group, cache, loads }
  })
}

/** A key that `owner` owns (the ring agrees on every member). */
function keyOwnedBy(owner: PeerGroup<Value>, prefix: string): string {
  for (let i = 0; ; i++) if (owner.ownerOf(`${prefix}${i}`) === owner.self) return `${prefix}${i}`
}

function post(address: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${address}${PEER_PATH}`, { method: 'POST', headers: { 'content-length': body.length, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  let error: unknown
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (e) {
    error = e
  }
  expect(isCortadoError(error), String(error)).toBe(true)
  expect((error as { code: string }).code, (error as Error).message).toBe(code)
}

describe('serving and asking', () => {
  it('an owned key loads locally; a remote key comes from its owner, then from the hot copy', async () => {
    const [a, b] = await members(2, [{}, { hotCache: { maxBytes: 1 << 20 } }])
    const key = keyOwnedBy(a!.group, 'k')
    expect(await a!.group.get(key)).toEqual({ key })
    expect(await a!.group.get(key)).toEqual({ key })
    expect(a!.group.stats()).toMatchObject({ localHits: 1, originLoads: 1, peerFetches: 0 })
    expect(await b!.group.get(key)).toEqual({ key })
    expect(await b!.group.get(key)).toEqual({ key })
    expect(b!.group.stats()).toMatchObject({ peerFetches: 1, hotHits: 1, originLoads: 0, hotEntries: 1 })
    expect(a!.group.stats().served).toBe(1)
    expect(a!.loads).toEqual([key])
  })

  it('listen() serves on the port of self, and close() frees it', async () => {
    const port = await freePort()
    const self = `http://127.0.0.1:${port}`
    const cache = new Cache<Value>({ maxBytes: 4 << 20 })
    cleanups.push(() => cache.close())
    const owner = new PeerGroup<Value>({ self, peers: [self], cache, load: (key) => ({ key }) })
    const address = await owner.listen()
    expect(address.port).toBe(port)
    // A second group on a port in use: a typed error, and the first keeps serving.
    const other = new PeerGroup<Value>({ self, peers: [self], cache, load: (key) => ({ key }) })
    cleanups.push(() => other.close())
    await expectCode(other.listen(), 'ERR_PEER')
    await expect(other.listen()).rejects.toThrow(/EADDRINUSE/)
    const reply = decodeReply((await post(self, encodeRequest('via-http'))).body)
    expect(reply.status).toBe(ReplyStatus.Value)
    await owner.close()
    await expect(post(self, encodeRequest('x'))).rejects.toThrow()
    await expectCode(owner.get('x'), 'ERR_CLOSED')
    // The port is free again: a new server takes it.
    const again = createServer()
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve))
    await new Promise((resolve) => again.close(resolve))
  })

  it('a loader resolving undefined is a miss everywhere; a failing loader fails the asker without a fallback', async () => {
    const [a, b] = await members(2)
    const missing = keyOwnedBy(a!.group, 'missing:')
    expect(await b!.group.get(missing)).toBeUndefined()
    const failing = keyOwnedBy(a!.group, 'fail:')
    const error = await b!.group.get(failing).catch((e: unknown) => e)
    expect(isCortadoError(error, 'ERR_LOADER')).toBe(true)
    expect((error as Error).message).toMatch(/failed at its owner .*origin refuses/)
    // The origin was asked once, by the owner: the asker did not retry a failing origin itself.
    expect(b!.loads).toEqual([])
    expect(b!.group.stats()).toMatchObject({ peerErrors: 0, fallbacks: 0, peerFetches: 2 })
  })

  it('many concurrent gets of one remote key make one request; an aborted caller leaves the others their value', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const [a, b] = await members(2, [{ load: async (key) => { await gate; return { key } } }])
    const key = keyOwnedBy(a!.group, 'c')
    const controller = new AbortController()
    const aborted = b!.group.get(key, { signal: controller.signal })
    const others = Array.from({ length: 20 }, () => b!.group.get(key))
    controller.abort()
    await expectCode(aborted, 'ERR_ABORTED')
    release()
    for (const value of await Promise.all(others)) expect(value).toEqual({ key })
    expect(b!.group.stats()).toMatchObject({ peerFetches: 1, coalesced: 20 })
  })

  it('close() while a request is in flight rejects its callers with ERR_CLOSED, without a fallback load', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let started!: () => void
    const loading = new Promise<void>((resolve) => (started = resolve))
    const [a, b] = await members(2, [{ load: async (key) => { started(); await gate; return { key } } }])
    const key = keyOwnedBy(a!.group, 'closing')
    const pending = b!.group.get(key)
    await loading
    await b!.group.close()
    await expectCode(pending, 'ERR_CLOSED')
    release()
    expect(b!.loads).toEqual([])
    expect(b!.group.stats().fallbacks).toBe(0)
  })

  it('a reused connection the owner drops before replying is retried once on a new one', async () => {
    const [a, b] = await members(2)
    // In front of the owner: every connection's second request is dropped unanswered (what a
    // keep-alive race looks like from the client), its first is served.
    const served = new WeakMap<object, number>()
    const front = await server((req, res) => {
      const n = served.get(req.socket) ?? 0
      served.set(req.socket, n + 1)
      if (n >= 1) req.socket.destroy()
      else a!.group.handle(req, res)
    })
    b!.group.setPeers([b!.group.self, front.address])
    const keys = Array.from({ length: 200 }, (_, i) => `retry${i}`).filter((k) => b!.group.ownerOf(k) === front.address).slice(0, 3)
    for (const key of keys) expect(await b!.group.get(key)).toEqual({ key })
    expect(b!.group.stats()).toMatchObject({ peerFetches: 3, peerErrors: 0, fallbacks: 0 })
    expect(a!.loads).toEqual(keys)
  })

  it('invalidate is local only: the owner keeps its value, the asker fetches again', async () => {
    const [a, b] = await members(2, [{}, { hotCache: { maxBytes: 1 << 20 } }])
    const key = keyOwnedBy(a!.group, 'inv')
    await b!.group.get(key)
    expect(b!.group.invalidate(key)).toBe(true)
    expect(b!.group.invalidate(key)).toBe(false)
    await b!.group.get(key)
    expect(b!.group.stats().peerFetches).toBe(2)
    expect(a!.loads).toEqual([key])
  })
})

describe('refusing what is not from the group', () => {
  it('a request without the shared secret is refused, and the asker falls back', async () => {
    const [a, b] = await members(2, [{ secret: 'right' }, { secret: 'wrong' }])
    const raw = await post(a!.group.self, encodeRequest('k'))
    expect(raw.status).toBe(403)
    expect(decodeReply(raw.body).status).toBe(ReplyStatus.Refused)
    const allowed = await post(a!.group.self, encodeRequest('k'), { [SECRET_HEADER]: 'right' })
    expect([allowed.status, decodeReply(allowed.body).status]).toEqual([200, ReplyStatus.Value])
    const key = keyOwnedBy(a!.group, 's')
    expect(await b!.group.get(key)).toEqual({ key })
    expect(b!.group.stats()).toMatchObject({ peerErrors: 1, fallbacks: 1, originLoads: 1 })
    expect(a!.group.stats().refused).toBe(2)
  })

  it('keys over the limit are refused before anything is loaded, on both sides', async () => {
    const [a] = await members(1)
    await expectCode(a!.group.get('k'.repeat(L.MAX_KEY_BYTES + 1)), 'ERR_INVALID_KEY')
    await expectCode(a!.group.get(42 as unknown as string), 'ERR_INVALID_KEY')
    await expectCode(a!.group.get('lone \uD800'), 'ERR_INVALID_KEY')
    const long = Buffer.alloc(4 + L.MAX_KEY_BYTES + 1, 0x6b)
    long[0] = WIRE_VERSION
    long.writeUInt16LE(L.MAX_KEY_BYTES + 1, 2)
    const raw = await post(a!.group.self, long)
    expect(raw.status).toBe(413)
    expect(messageOf(decodeReply(raw.body))).toMatch(/key is over the limit/)
    const wrongVersion = await post(a!.group.self, Buffer.from([WIRE_VERSION + 1, 0, 1, 0, 0x6b]))
    expect(wrongVersion.status).toBe(400)
    expect(messageOf(decodeReply(wrongVersion.body))).toMatch(/protocol version 2/)
    expect(a!.loads).toEqual([])
    expect(a!.group.stats().refused).toBe(2)
  })

  it('a peer that answers garbage is never believed: the asker loads locally and counts a peer error', async () => {
    const replies: ((res: import('node:http').ServerResponse) => void)[] = [
      (res) => res.end('<html>not a peer</html>'),
      (res) => {
        const frame = encodeReply(ReplyStatus.Value, L.KIND_MSGPACK, Buffer.from([0x92, 0x01]))
        res.writeHead(200, { 'content-length': frame.length }).end(frame)
      },
      (res) => {
        const frame = encodeReply(ReplyStatus.Value, L.KIND_LATIN1, Buffer.from('forged'))
        frame[frame.length - 1] ^= 1
        res.writeHead(200, { 'content-length': frame.length }).end(frame)
      },
      (res) => {
        const frame = encodeReply(ReplyStatus.Value, L.KIND_LATIN1, Buffer.from('truncated'))
        res.writeHead(200, { 'content-length': frame.length + 5 })
        res.end(frame)
        res.socket?.destroy()
      },
      (res) => {
        const frame = Buffer.from(encodeReply(ReplyStatus.Value, L.KIND_LATIN1, Buffer.from('v2')))
        frame[0] = WIRE_VERSION + 1
        res.writeHead(200, { 'content-length': frame.length }).end(frame)
      },
    ]
    let next = 0
    const liar = await server((req, res) => {
      req.resume()
      req.on('end', () => replies[next++]!(res))
    })
    const reported: string[] = []
    const [a] = await members(1, [{ onPeerError: (error, peer) => reported.push(`${peer} ${error.code}: ${error.message}`) }])
    a!.group.setPeers([a!.group.self, liar.address])
    for (let i = 0; i < replies.length; i++) {
      const key = (() => {
        for (let j = 0; ; j++) if (a!.group.ownerOf(`liar${i}:${j}`) === liar.address) return `liar${i}:${j}`
      })()
      await new Promise((resolve) => setTimeout(resolve, 5)) // past unhealthyMs: the liar is asked again
      expect(await a!.group.get(key)).toEqual({ key })
    }
    expect(next).toBe(replies.length)
    expect(a!.group.stats()).toMatchObject({ peerFetches: 5, peerErrors: 5, fallbacks: 5, originLoads: 5 })
    expect(reported).toHaveLength(5)
    for (const line of reported) expect(line.startsWith(`${liar.address} ERR_PEER: `), line).toBe(true)
    const said = reported.join('\n')
    for (const why of [/protocol version 60/, /does not decode \(kind 3\)/, /CRC-32/, /reply broken|truncated|mid-reply/, /protocol version 2/]) expect(said).toMatch(why)
  })

  it('a request for another path is left to the host server', async () => {
    const cache = new Cache<Value>({ maxBytes: 4 << 20 })
    cleanups.push(() => cache.close())
    const group = new PeerGroup<Value>({ self: 'http://127.0.0.1:1', peers: [], cache, load: (key) => ({ key }) })
    cleanups.push(() => group.close())
    const host = await server((req, res) => {
      if (!group.handle(req, res)) res.end('host page')
    })
    const page = await new Promise<string>((resolve) => request(`${host.address}/health`, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve(text))
    }).end())
    expect(page).toBe('host page')
  })
})

describe('membership', () => {
  it('a peers function is read at start and on refresh; a failing one is counted and changes nothing', async () => {
    let list: unknown = ['http://127.0.0.1:7001', 'http://127.0.0.1:7002/']
    const cache = new Cache<Value>({ maxBytes: 4 << 20 })
    cleanups.push(() => cache.close())
    const group = new PeerGroup<Value>({
      self: 'http://127.0.0.1:7001', cache, load: (key) => ({ key }),
      peers: () => {
        if (list instanceof Error) throw list
        return list as string[]
      },
    })
    cleanups.push(() => group.close())
    await group.refreshPeers()
    expect(group.peers).toEqual(['http://127.0.0.1:7001', 'http://127.0.0.1:7002'])
    list = new Error('DNS down')
    await group.refreshPeers()
    list = ['not a url']
    await group.refreshPeers()
    expect(group.peers).toEqual(['http://127.0.0.1:7001', 'http://127.0.0.1:7002'])
    expect(group.stats().membershipErrors).toBe(2)
    list = ['http://127.0.0.1:7003']
    await group.refreshPeers()
    // Self is always a member, listed or not.
    expect(group.peers).toEqual(['http://127.0.0.1:7001', 'http://127.0.0.1:7003'])
  })

  it('every spelling of an address is one peer, and all members agree on owners', async () => {
    const cache = new Cache<Value>({ maxBytes: 4 << 20 })
    cleanups.push(() => cache.close())
    const make = (self: string, peers: string[]) => {
      const g = new PeerGroup<Value>({ self, peers, cache, load: (key) => ({ key }) })
      cleanups.push(() => g.close())
      return g
    }
    const x = make('http://LOCALHOST:7001/', ['http://localhost:7001', 'http://localhost:7002'])
    const y = make('http://localhost:7002', ['http://localhost:7001/', 'http://Localhost:7002'])
    expect(x.peers).toEqual(y.peers)
    for (let i = 0; i < 200; i++) expect(x.ownerOf(`k${i}`)).toBe(y.ownerOf(`k${i}`))
  })
})

describe('options', () => {
  it('bad options are ERR_INVALID_OPTION (or the hot cache\'s own capacity error)', async () => {
    const cache = new Cache<Value>({ maxBytes: 4 << 20 })
    cleanups.push(() => cache.close())
    const base = { self: 'http://127.0.0.1:7001', peers: [] as string[], cache, load: (key: string) => ({ key }) }
    const make = (extra: Record<string, unknown>) => () => new PeerGroup<Value>({ ...base, ...extra } as PeerGroupOptions<Value>)
    await expectCode(make({ self: 'https://127.0.0.1:7001' }), 'ERR_INVALID_OPTION')
    await expectCode(make({ self: 'http://127.0.0.1:7001/path' }), 'ERR_INVALID_OPTION')
    await expectCode(make({ self: 7001 }), 'ERR_INVALID_OPTION')
    await expectCode(make({ peers: ['nope'] }), 'ERR_INVALID_OPTION')
    await expectCode(make({ peers: 'http://127.0.0.1:7002' }), 'ERR_INVALID_OPTION')
    await expectCode(make({ cache: {} }), 'ERR_INVALID_OPTION')
    await expectCode(make({ load: 'x' }), 'ERR_INVALID_OPTION')
    await expectCode(make({ timeoutMs: 0 }), 'ERR_INVALID_OPTION')
    await expectCode(make({ vnodes: 1.5 }), 'ERR_INVALID_OPTION')
    await expectCode(make({ secret: '' }), 'ERR_INVALID_OPTION')
    await expectCode(make({ codec: 'yaml' }), 'ERR_INVALID_OPTION')
    await expectCode(make({ timeout: 5 }), 'ERR_INVALID_OPTION')
    await expectCode(make({ hotCache: { maxBytes: 1 << 20, size: 3 } }), 'ERR_INVALID_OPTION')
    await expectCode(make({ hotCache: { maxBytes: 1000 } }), 'ERR_CAPACITY')
    const group = make({})() as PeerGroup<Value>
    // Options of get and listen too: a misspelled signal used to be dropped, the wait left unbounded.
    await expectCode(group.get('k', { signl: AbortSignal.timeout(10) } as never), 'ERR_INVALID_OPTION')
    await expectCode(group.get('k', { timeout: 10 } as never), 'ERR_INVALID_OPTION')
    await expectCode(group.listen({ prot: 7001 } as never), 'ERR_INVALID_OPTION')
    await expectCode(() => group.setPeers(['ftp://x']), 'ERR_INVALID_OPTION')
    await group.close()
    await expectCode(() => group.setPeers([]), 'ERR_CLOSED')
  })
})
