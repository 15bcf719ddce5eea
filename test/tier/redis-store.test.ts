import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { RedisStore } from '../../src/tier/index.js'
import { TestServer, hasServer } from '../helpers/servers.js'
import { commandsDuring } from './redis-monitor.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const bytes = (...values: number[]) => Uint8Array.from(values)
/** A plain Uint8Array copy, so a Buffer and a Uint8Array with the same bytes compare equal. */
const u8 = (value: Uint8Array | undefined) => (value === undefined ? undefined : Uint8Array.from(value))

describe.skipIf(!hasServer('redis'))('RedisStore against a real redis-server', () => {
  let server: TestServer
  let store: RedisStore
  let raw: Redis

  beforeAll(async () => {
    server = await TestServer.start('redis')
    store = await RedisStore.connect({ host: '127.0.0.1', port: server.port })
    raw = new Redis({ host: '127.0.0.1', port: server.port })
  })

  afterAll(async () => {
    raw?.disconnect()
    await store?.close()
    await server?.stop()
  })

  it('round-trips every byte value, with and without a TTL', async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    await store.set('bin', all)
    const entry = await store.get('bin')
    expect(u8(entry?.value)).toEqual(all)
    expect(entry?.ttl).toBe(Infinity)
    expect(await raw.pttl('bin')).toBe(-1)

    await store.set('short', bytes(1), 5000)
    const short = await store.get('short')
    expect(short?.ttl).toBeGreaterThan(0)
    expect(short?.ttl).toBeLessThanOrEqual(5000)
    const pttl = await raw.pttl('short')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(5000)
    expect(await store.get('absent')).toBeUndefined()
  })

  it('lets the server expire entries (SET PX)', async () => {
    await store.set('brief', bytes(7), 30)
    await sleep(80)
    expect(await raw.exists('brief')).toBe(0)
    expect(await store.get('brief')).toBeUndefined()
  })

  it('reads 100 keys with one MGET, hits and misses in order', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `many:${i}`)
    await store.setMany(keys.filter((_, i) => i % 3 !== 0).map((key, i) => ({ key, value: bytes(i & 255), ttl: i % 2 ? 60_000 : 0 })))
    let found: Awaited<ReturnType<RedisStore['getMany']>> = []
    const commands = await commandsDuring(server.port, async () => {
      found = await store.getMany(keys)
    })
    expect(commands.map((c) => c[0])).toEqual(['mget'])
    expect(commands[0]!.length).toBe(101)
    expect(found).toHaveLength(100)
    found.forEach((entry, i) => {
      if (i % 3 === 0) expect(entry).toBeUndefined()
      else expect(entry).toBeDefined()
    })
    const present = keys.filter((_, i) => i % 3 !== 0)
    expect(found.filter((e) => e !== undefined).map((e) => e!.value[0])).toEqual(present.map((_, i) => i & 255))
  })

  it('writes a batch with per-key TTLs as one pipeline', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ key: `batch:${i}`, value: bytes(i), ttl: i % 2 ? 10_000 : 0 }))
    const commands = await commandsDuring(server.port, () => store.setMany(entries))
    expect(commands).toHaveLength(50)
    expect(commands.every((c) => c[0] === 'set')).toBe(true)
    expect(await raw.pttl('batch:1')).toBeGreaterThan(0)
    expect(await raw.pttl('batch:2')).toBe(-1)
  })

  it('deletes, and refuses values it did not write', async () => {
    await store.set('gone', bytes(1))
    expect(await store.delete('gone')).toBe(true)
    expect(await store.delete('gone')).toBe(false)
    await raw.set('foreign', 'plain text')
    await expect(store.get('foreign')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_DECODE'))
  })

  it('fails fast with ERR_REMOTE while the server is down and recovers by itself', async () => {
    await store.set('survivor', bytes(9))
    await server.kill()
    await expect(store.get('survivor')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_REMOTE'))
    for (let i = 0; i < 200 && store.available; i++) await sleep(5)
    expect(store.available).toBe(false)
    await expect(store.get('survivor')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_REMOTE'))
    await server.restart()
    for (let i = 0; i < 200 && !store.available; i++) await sleep(25)
    expect(store.available).toBe(true)
    // A restarted server comes back empty (no persistence).
    expect(await store.get('survivor')).toBeUndefined()
    await store.set('survivor', bytes(10))
    expect(u8((await store.get('survivor'))?.value)).toEqual(bytes(10))
  })
})
