import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCortadoError } from '../../src/errors.js'
import { TieredCache } from '../../src/tier/index.js'
import { TestServer, hasServer } from '../helpers/servers.js'
import { makeL1 } from './l1.js'
import { instance, until, type Instance } from './setup.js'

const KEYS = Array.from({ length: 20 }, (_, i) => `loop:${i}`)

describe.skipIf(!hasServer('redis'))('TieredCache while redis-server dies and comes back', () => {
  let server: TestServer
  let one: Instance<string>

  beforeAll(async () => {
    server = await TestServer.start('redis')
    one = await instance<string>(server.port)
  })

  afterAll(async () => {
    await one?.close()
    await server?.stop()
  })

  it('keeps answering during a kill and restart, and L2 hits resume after reconnect', async () => {
    const tier = one.tier
    const loader = (key: string) => `value of ${key}`
    const callerErrors: unknown[] = []
    let phase = 'before' as 'before' | 'down' | 'after'
    let stop = false
    let rounds = 0

    // Each round clears L1 so that every read exercises L2 (or the loader when L2 is gone).
    const loop = (async () => {
      while (!stop) {
        tier.l1.clear()
        for (const key of KEYS) {
          try {
            expect(await tier.getOrLoad(key, loader, { ttl: 60_000 })).toBe(loader(key))
            if (phase === 'down') expect(tier.getLocal(key)).toBe(loader(key)) // L1 still serves
          } catch (err) {
            callerErrors.push(err)
          }
        }
        rounds++
        await new Promise((r) => setImmediate(r))
      }
    })()

    await until(() => tier.stats().l2Hits >= KEYS.length)
    phase = 'down'
    await server.kill()
    await until(() => tier.stats().l2Errors + tier.stats().l2Skipped > 0)
    const roundsWhileDown = rounds
    await until(() => rounds > roundsWhileDown + 2)
    await server.restart()
    await until(() => one.store.available, 10_000)
    phase = 'after'
    const hitsAtReconnect = tier.stats().l2Hits
    await until(() => tier.stats().l2Hits >= hitsAtReconnect + KEYS.length, 10_000)
    stop = true
    await loop

    expect(callerErrors).toEqual([])
    const stats = tier.stats()
    expect(stats.l2Errors + stats.l2Skipped).toBeGreaterThan(0)
    expect(stats.loads).toBeGreaterThan(KEYS.length) // the outage went to the loader
  })

  it('throws ERR_REMOTE only when asked to', async () => {
    await until(() => one.store.available, 10_000)
    await server.kill()
    await until(() => !one.store.available)
    const strict = await instance<string>(server.port).catch((err: unknown) => err)
    expect(isCortadoError(strict, 'ERR_REMOTE')).toBe(true) // cannot even connect
    const l1 = makeL1<string>()
    const throwing = new TieredCache<string>({ l1, l2: one.store, throwOnRemoteError: true })
    await expect(throwing.getOrLoad('k', () => 'v')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_REMOTE'))
    await expect(throwing.set('k', 'v')).rejects.toSatisfy((err) => isCortadoError(err, 'ERR_REMOTE'))
    expect(throwing.getLocal('k')).toBe('v') // the local write happened before L2 refused it
    const lenient = one.tier
    await expect(lenient.set('k', 'v')).resolves.toBeUndefined()
    expect(await lenient.getOrLoad('other', () => 'loaded')).toBe('loaded')
    await throwing.close()
    l1.close()
    await server.restart()
  })
})
