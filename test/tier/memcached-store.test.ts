import memjs from 'memjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { MemcachedStore, TieredCache } from '../../src/tier/index.js'
import { TestServer, hasServer } from '../helpers/servers.js'
import { makeL1 } from './l1.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : Buffer.from(value).toString())

describe.skipIf(!hasServer('memcached'))('MemcachedStore against a real memcached', () => {
  let server: TestServer
  let store: MemcachedStore

  beforeAll(async () => {
    server = await TestServer.start('memcached')
    store = await MemcachedStore.connect(server.address, { retryDelay: 50 })
  })

  afterAll(async () => {
    await store?.close()
    await server?.stop()
  })

  it('round-trips binary values', async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    await store.set('bin', all)
    const entry = await store.get('bin')
    expect(Uint8Array.from(entry!.value)).toEqual(all)
    expect(entry!.ttl).toBe(Infinity)
    expect(await store.get('absent')).toBeUndefined()
  })

  it('keeps TTLs to the millisecond although memcached counts seconds', async () => {
    await store.set('brief', Buffer.from('x'), 40)
    const fresh = await store.get('brief')
    expect(fresh!.ttl).toBeGreaterThan(0)
    expect(fresh!.ttl).toBeLessThanOrEqual(40)
    await sleep(90)
    // memcached itself still holds it (it expires on whole seconds); the envelope says it is gone.
    expect(await store.get('brief')).toBeUndefined()
  })

  it('getMany answers hits and misses in order, duplicates included, in one batch', async () => {
    await store.setMany([
      { key: 'm:a', value: Buffer.from('A') },
      { key: 'm:b', value: Buffer.from('B'), ttl: 60_000 },
      { key: 'm:c', value: Buffer.from('C') },
    ])
    const found = await store.getMany(['m:c', 'm:none', 'm:a', 'm:b', 'm:a'])
    expect(found.map((e) => text(e?.value))).toEqual(['C', undefined, 'A', 'B', 'A'])
    expect(found[3]!.ttl).toBeLessThanOrEqual(60_000)
    expect(await store.getMany([])).toEqual([])
    const many = Array.from({ length: 300 }, (_, i) => ({ key: `bulk:${i}`, value: Buffer.from(String(i)) }))
    await store.setMany(many)
    const back = await store.getMany(many.map((e) => e.key))
    expect(back.map((e) => text(e?.value))).toEqual(many.map((e) => String(e.value)))
  })

  it('deletes and validates keys', async () => {
    await store.set('del', Buffer.from('1'))
    expect(await store.delete('del')).toBe(true)
    expect(await store.delete('del')).toBe(false)
    await expect(store.get('k'.repeat(251))).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_INVALID_KEY'))
  })

  it('serves as the L2 of a TieredCache', async () => {
    const [l1a, l1b] = [makeL1<{ n: number }>(), makeL1<{ n: number }>()]
    const writer = new TieredCache({ l1: l1a, l2: store })
    const reader = new TieredCache({ l1: l1b, l2: store })
    await writer.set('tier:1', { n: 1 }, { ttl: 30_000 })
    await writer.setMany([{ key: 'tier:2', value: { n: 2 } }])
    expect(await reader.getMany(['tier:1', 'tier:2', 'tier:3'])).toEqual([{ n: 1 }, { n: 2 }, undefined])
    const left = l1b.getRemainingTTL('tier:1')
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(30_000)
    expect(reader.stats().l2Hits).toBe(2)
    await writer.close()
    await reader.close()
    l1a.close()
    l1b.close()
  })

  it('bad input is the caller\'s error, not the server\'s: the store stays available for everyone else', async () => {
    // The empty key was memjs's 'Invalid arguments' (ERR_REMOTE) and a value over memcached's 1 MiB item
    // size its 'Value too large': each backed the server off, failing the next callers' requests too.
    const own = await MemcachedStore.connect(server.address, { retryDelay: 60_000 })
    try {
      await expect(own.set('', Buffer.from('x'))).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' })
      await expect(own.get('')).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' })
      expect(own.available).toBe(true)
      await expect(own.set('huge', new Uint8Array(2 << 20))).rejects.toMatchObject({ code: 'ERR_REMOTE' })
      expect(own.available).toBe(true)
      await expect(own.setMany([{ key: 'huge2', value: new Uint8Array(2 << 20) }])).rejects.toMatchObject({ code: 'ERR_REMOTE' })
      expect(own.available).toBe(true)
      await own.set('after', Buffer.from('ok'))
      expect(text((await own.get('after'))?.value)).toBe('ok')
    } finally {
      await own.close()
    }
    // Closed: ERR_CLOSED and unavailable, not "unavailable, retrying in ... ms".
    expect(own.available).toBe(false)
    await expect(own.get('after')).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    await expect(own.set('after', Buffer.from('x'))).rejects.toMatchObject({ code: 'ERR_CLOSED' })
    await own.close()
  })

  it('needs a client for exactly one server', () => {
    const client = memjs.Client.create(`${server.address},127.0.0.1:1`)
    expect(() => new MemcachedStore({ client: client as never })).toThrow(/exactly one server/)
  })

  it('fails with ERR_REMOTE while the server is down, backs off, and recovers', async () => {
    await server.kill()
    await expect(store.getMany(['m:a'])).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_REMOTE'))
    expect(store.available).toBe(false)
    // Backing off: refused at once, without trying the connection.
    await expect(store.get('m:a')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_REMOTE') && /unavailable/.test(String(err)))
    await server.restart()
    await sleep(60)
    expect(store.available).toBe(true)
    await store.set('again', Buffer.from('ok'))
    expect(text((await store.get('again'))?.value)).toBe('ok')
    expect(store.available).toBe(true)
  })
})
