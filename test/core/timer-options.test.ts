/**
 * Every user-given duration that becomes a setTimeout/setInterval delay is refused above 2^31 - 1 ms:
 * Node fires such a timer after 1 ms (a `refreshMs` of 3e9 would re-read the peer list every
 * millisecond, a `syncIntervalMs` of 3e9 fsync every millisecond). One validator (`timerMs`) serves all.
 */
import { afterAll, describe, it, expect } from 'vitest'
import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cache, CortadoError, PeerGroup } from '../../src/index.js'
import { InvalidationBus, MemcachedStore } from '../../src/tier/index.js'
import { DiskCache, LogStore } from '../../src/disk/index.js'
import { PostgresChangeFeed } from '../../src/cdc/index.js'

const OVER = 2 ** 31
const MAX = 2 ** 31 - 1

function fakeRedis() {
  const subscriber = Object.assign(new EventEmitter(), { connect: () => Promise.resolve(), disconnect: () => {} })
  return Object.assign(new EventEmitter(), { isCluster: false, duplicate: () => subscriber, publish: () => Promise.resolve(0) })
}

const cache = new Cache<unknown>({ maxBytes: 1 << 20 })
const store = { load: () => undefined, save: () => {}, delete: () => {} }
const made: string[] = []
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cortado-timer-'))
  made.push(d)
  return d
}
afterAll(() => {
  cache.close()
  for (const d of made) rmSync(d, { recursive: true, force: true })
})
const peer = (o: Record<string, unknown>) =>
  new PeerGroup({ self: 'http://127.0.0.1:1', peers: ['http://127.0.0.1:1'], cache, load: () => 1, ...o })
const feed = (o: Record<string, unknown>) =>
  PostgresChangeFeed.start({ connection: 'postgres://127.0.0.1:1/none', slot: 's', publication: 'p', tables: { t: () => 'k' }, target: cache, ...o } as never)

/** [option, what takes it, a call that builds it with that option set to `ms`] */
const cases: [string, string, (ms: number) => unknown][] = [
  ['timeout', 'getOrLoad', (ms) => cache.getOrLoad('k', () => 1, { timeout: ms })],
  ['delayMs', 'writeBehind', (ms) => cache.writeBehind(store, { delayMs: ms })],
  ['retryDelayMs', 'writeBehind', (ms) => cache.writeBehind(store, { retryDelayMs: ms })],
  ['timeoutMs', 'PeerGroup', (ms) => peer({ timeoutMs: ms })],
  ['refreshMs', 'PeerGroup', (ms) => peer({ peers: () => ['http://127.0.0.1:1'], refreshMs: ms })],
  ['batchDelay', 'InvalidationBus', (ms) => new InvalidationBus({ client: fakeRedis() as never, batchDelay: ms })],
  ['retryDelay', 'InvalidationBus', (ms) => new InvalidationBus({ client: fakeRedis() as never, retryDelay: ms })],
  ['syncIntervalMs', 'LogStore', (ms) => LogStore.open(dir(), { sync: 'interval', syncIntervalMs: ms })],
  ['gcIntervalMs', 'DiskCache', (ms) => new DiskCache({ dir: dir(), maxBytes: 1 << 20, gcIntervalMs: ms })],
  ['statusIntervalMs', 'PostgresChangeFeed', (ms) => feed({ statusIntervalMs: ms })],
  ['lagCheckIntervalMs', 'PostgresChangeFeed', (ms) => feed({ lagCheckIntervalMs: ms })],
  ['reconnectDelayMs.min', 'PostgresChangeFeed', (ms) => feed({ reconnectDelayMs: { min: ms, max: ms } })],
  ['reconnectDelayMs.max', 'PostgresChangeFeed', (ms) => feed({ reconnectDelayMs: { min: 100, max: ms } })],
]

describe('durations that become timers', () => {
  it.each(cases)('%s (%s) above 2^31 - 1 ms is refused with ERR_INVALID_OPTION', async (name, _where, build) => {
    let thrown: unknown
    try { await build(OVER) } catch (err) { thrown = err }
    expect(thrown, `${name}: expected a refusal`).toBeInstanceOf(CortadoError)
    expect((thrown as CortadoError).code).toBe('ERR_INVALID_OPTION')
    expect((thrown as Error).message).toContain(`${name} must be at most ${MAX} ms`)
  })

  it("MemcachedStore.connect's timeout (seconds, doubled by memjs to connect) is refused when the timer would overflow, and must be > 0", async () => {
    for (const timeout of [MAX / 1000, -1, 0, Number.NaN, '1'])
      await expect(MemcachedStore.connect('127.0.0.1:1', { timeout: timeout as number })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' })
    await expect(MemcachedStore.connect('127.0.0.1:1', { timeout: MAX / 1000 })).rejects.toThrow(`memjs's connection timeout in ms) must be at most ${MAX} ms`)
  })

  it('the largest delay a timer takes is accepted where building needs no server', async () => {
    const bus = new InvalidationBus({ client: fakeRedis() as never, batchDelay: MAX, retryDelay: MAX })
    await bus.close()
    const group = peer({ timeoutMs: MAX, refreshMs: MAX })
    await group.close()
    const store = await LogStore.open(dir(), { sync: 'interval', syncIntervalMs: MAX })
    await store.close()
    new DiskCache({ dir: dir(), maxBytes: 1 << 20, gcIntervalMs: MAX }).close()
  })
})
