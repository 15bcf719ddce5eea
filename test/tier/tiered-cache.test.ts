import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CortadoError, isCortadoError } from '../../src/errors.js'
import type { Codec } from '../../src/types.js'
import { TieredCache } from '../../src/tier/index.js'
import { TestServer, hasServer } from '../helpers/servers.js'
import { makeL1 } from './l1.js'
import { commandsDuring } from './redis-monitor.js'
import { deferred, delivered, instance, type Instance } from './setup.js'

describe.skipIf(!hasServer('redis'))('TieredCache over a real redis-server', () => {
  let server: TestServer
  let a: Instance<unknown>
  let b: Instance<unknown>
  let raw: Redis

  beforeAll(async () => {
    server = await TestServer.start('redis')
    a = await instance(server.port)
    b = await instance(server.port)
    raw = new Redis({ host: '127.0.0.1', port: server.port })
  })

  afterAll(async () => {
    raw?.disconnect()
    await a?.close()
    await b?.close()
    await server?.stop()
  })

  it('reads L1, then L2, then the loader; an L2 hit fills L1 with the remaining TTL', async () => {
    let calls = 0
    const loader = async (key: string) => {
      calls++
      return { key, n: 42 }
    }
    expect(await a.tier.getOrLoad('user:1', loader, { ttl: 5000 })).toEqual({ key: 'user:1', n: 42 })
    expect(calls).toBe(1)
    expect(a.tier.getLocal('user:1')).toEqual({ key: 'user:1', n: 42 })
    const pttl = await raw.pttl('user:1')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(5000)

    // Another instance: not in its L1, found in L2, copied into its L1 with what is left of the TTL.
    expect(b.tier.getLocal('user:1')).toBeUndefined()
    expect(await b.tier.getOrLoad('user:1', loader)).toEqual({ key: 'user:1', n: 42 })
    expect(calls).toBe(1)
    const left = b.tier.l1.getRemainingTTL('user:1')
    expect(left).toBeGreaterThan(0)
    expect(left).toBeLessThanOrEqual(5000)

    expect(await a.tier.getOrLoad('user:1', loader)).toEqual({ key: 'user:1', n: 42 })
    expect(calls).toBe(1)
    const stats = b.tier.stats()
    expect(stats.l2Hits).toBeGreaterThanOrEqual(1)
    expect(stats.loads).toBe(0)
  })

  it('caches nothing when the loader has no value', async () => {
    expect(await a.tier.getOrLoad('nobody', () => undefined)).toBeUndefined()
    expect(await raw.exists('nobody')).toBe(0)
    expect(a.tier.getLocal('nobody')).toBeUndefined()
  })

  it('shares one L2 read and one loader call among concurrent misses of a key', async () => {
    let calls = 0
    const gate = deferred<string>()
    const loader = () => {
      calls++
      return gate.promise
    }
    let results: unknown[] = []
    const commands = await commandsDuring(server.port, async () => {
      const pending = Array.from({ length: 20 }, () => a.tier.getOrLoad('herd', loader))
      await new Promise((r) => setTimeout(r, 20))
      gate.resolve('value')
      results = await Promise.all(pending)
    })
    expect(results).toEqual(Array(20).fill('value'))
    expect(calls).toBe(1)
    expect(commands.filter((c) => c[0] === 'get')).toHaveLength(1)
    expect(commands.filter((c) => c[0] === 'set')).toHaveLength(1)

    // Plain reads of a key that is only in L2 share one GET too.
    const gets = await commandsDuring(server.port, () => Promise.all(Array.from({ length: 10 }, () => b.tier.get('herd'))))
    expect(gets.filter((c) => c[0] === 'get')).toHaveLength(1)
  })

  it('getMany of 100 keys asks L2 once, for the keys L1 lacks, and answers in order', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `gm:${i}`)
    // 30 in a's L1 (and L2), 50 only in L2 (written by b), 20 nowhere.
    for (let i = 0; i < 30; i++) await a.tier.set(keys[i]!, i)
    await b.tier.setMany(keys.slice(30, 80).map((key, i) => ({ key, value: 30 + i })))
    // b's invalidations must reach a before the window: arriving during the read, they would
    // (rightly) keep the keys they name out of a's L1.
    await delivered(b, a)
    await a.bus.flush()
    let values: unknown[] = []
    const commands = await commandsDuring(server.port, async () => {
      values = await a.tier.getMany(keys)
    })
    expect(commands.map((c) => c[0])).toEqual(['mget'])
    expect(commands[0]!.slice(1)).toEqual(keys.slice(30))
    expect(values).toEqual(keys.map((_, i) => (i < 80 ? i : undefined)))
    // The L2 hits are now in L1: the same call costs no command.
    const again = await commandsDuring(server.port, () => a.tier.getMany(keys.slice(0, 80)))
    expect(again).toEqual([])
  })

  it('does not let a load that was overtaken by a write fill L1 or L2', async () => {
    const gate = deferred<string>()
    const pending = a.tier.getOrLoad('race', () => gate.promise)
    await new Promise((r) => setTimeout(r, 10))
    await a.tier.set('race', 'written')
    gate.resolve('loaded-before-the-write')
    expect(await pending).toBe('loaded-before-the-write')
    expect(a.tier.getLocal('race')).toBe('written')
    expect(await b.tier.get('race')).toBe('written')
  })

  it('rejects a failing load with ERR_LOADER and tries again next time', async () => {
    const boom = new Error('db down')
    const error = await a.tier.getOrLoad('fails', () => Promise.reject(boom)).catch((err: unknown) => err)
    expect(isCortadoError(error, 'ERR_LOADER')).toBe(true)
    expect((error as Error).cause).toBe(boom)
    expect(await a.tier.getOrLoad('fails', () => 'recovered')).toBe('recovered')
    expect(a.tier.stats().loadErrors).toBe(1)
  })

  it('writes L2 bytes with the configured codec behind the envelope', async () => {
    const json: Codec<{ v: number }> = {
      encode: (value) => Buffer.from(JSON.stringify(value)),
      decode: (bytes) => JSON.parse(Buffer.from(bytes).toString()) as { v: number },
    }
    const l1 = makeL1<{ v: number }>()
    const tier = new TieredCache({ l1, l2: a.store, codec: json })
    await tier.set('json', { v: 3 }, { ttl: 60_000 })
    const stored = await raw.getBuffer('json')
    expect(stored!.subarray(17).toString()).toBe('{"v":3}')
    tier.l1.clear()
    expect(await tier.get('json')).toEqual({ v: 3 })
    await tier.close()
    await expect(tier.get('json')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_CLOSED'))
    await expect(tier.set('json', { v: 4 })).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_CLOSED'))
    l1.close()
  })

  it('refuses a bad key before touching either level, even over an L1 that would take it', async () => {
    // A Map-backed L1 stores any string; the tier must still keep lone surrogates (U+FFFD in Redis) out.
    const map = new Map<string, unknown>()
    const l1 = { get: (k: string) => map.get(k), set: (k: string, v: unknown) => void map.set(k, v), delete: (k: string) => map.delete(k), clear: () => map.clear(), name: 'map' }
    const tier = new TieredCache<unknown>({ l1: l1 as never, l2: a.store })
    const bad = (err: unknown) => isCortadoError(err, 'ERR_INVALID_KEY')
    for (const key of ['cut \uD83D', 42 as never]) {
      await expect(tier.set(key, 1)).rejects.toSatisfy(bad)
      await expect(tier.get(key)).rejects.toSatisfy(bad)
      await expect(tier.getOrLoad(key, () => 1)).rejects.toSatisfy(bad)
      await expect(tier.getMany(['fine', key])).rejects.toSatisfy(bad)
      await expect(tier.delete(key)).rejects.toSatisfy(bad)
      expect(() => tier.invalidate(key)).toThrow(CortadoError)
      await expect(tier.setMany([{ key: 'first-of-batch', value: 1 }, { key, value: 2 }])).rejects.toSatisfy(bad)
    }
    expect(map.size).toBe(0)
    expect(await raw.exists('first-of-batch', 'cut \uFFFD')).toBe(0)
    await tier.close()
  })

  it('rejects bad options', () => {
    const l1 = makeL1()
    expect(() => new TieredCache({ l1, l2: a.store, ttl: -1 })).toThrow(/ttl/)
    const noClear = { get: l1.get.bind(l1), set: l1.set.bind(l1), name: 'no-clear' } as never
    expect(() => new TieredCache({ l1: noClear, l2: a.store })).toThrow(/clear/)
    l1.close()
  })
})
