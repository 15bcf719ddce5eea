/**
 * Options are never silently ignored on the storage and integration side either: a misspelled option
 * name (or a foreign one) is ERR_INVALID_OPTION, as it is for `new Cache`, and nothing is opened,
 * connected or written. Before, `LogStore.open(dir, { syncInterval: 10 })` opened with the default,
 * `store.put(k, v, { TTL: 1000 })` stored an entry that never expires, and `new TieredCache({ l1, l2,
 * tll: 1000 })` cached forever. No server is needed: every check runs before any connection.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Cache } from '../../src/index.js'
import { LevelStore, LmdbStore, LogStore, diskTier } from '../../src/disk/index.js'
import { InvalidationBus, MemcachedStore, RedisStore, ShardedStore, TieredCache } from '../../src/tier/index.js'
import { PostgresChangeFeed } from '../../src/cdc/index.js'
import { CortadoError } from '../../src/errors.js'
import { removeTempDirs, tempDir } from './log/helpers.js'

afterAll(removeTempDirs)

async function failure(f: () => unknown): Promise<CortadoError> {
  try {
    await f()
  } catch (e) {
    expect(e).toBeInstanceOf(CortadoError)
    return e as CortadoError
  }
  throw new Error('expected a CortadoError, the call succeeded')
}

async function expectUnknown(f: () => unknown, name: string, hint?: RegExp): Promise<void> {
  const e = await failure(f)
  expect(e.code).toBe('ERR_INVALID_OPTION')
  expect(e.message).toContain(`'${name}'`)
  if (hint) expect(e.message).toMatch(hint)
}

describe('disk stores refuse options they do not know', () => {
  it('LogStore.open: a misspelled name, before the directory is created or locked', async () => {
    const dir = join(tempDir(), 'store')
    await expectUnknown(() => LogStore.open(dir, { syncIntervalMS: 10 } as never), 'syncIntervalMS', /did you mean 'syncIntervalMs'/)
    await expectUnknown(() => LogStore.open(dir, { syncInterval: 10 } as never), 'syncInterval')
    await expectUnknown(() => LogStore.open(dir, { compactionThreshold: 0.3 } as never), 'compactionThreshold')
    expect(existsSync(dir)).toBe(false)
    expect((await failure(() => LogStore.open(dir, [] as never))).code).toBe('ERR_INVALID_OPTION')
  })

  it('LogStore.put: { TTL } or a number of seconds is refused, and nothing is written', async () => {
    const store = await LogStore.open<string>(tempDir(), { sync: 'none' })
    await expectUnknown(() => store.put('k', 'v', { TTL: 1000 } as never), 'TTL', /use ttl/)
    await expectUnknown(() => store.put('k', 'v', { expiresIn: 1000 } as never), 'expiresIn')
    expect((await failure(() => store.put('k', 'v', 60 as never))).code).toBe('ERR_INVALID_OPTION')
    expect(store.size).toBe(0)
    expect(store.stats().puts).toBe(0)
    await store.put('k', 'v', { ttl: 1000 })
    expect(store.getEntry('k')!.expiresAt).toBeGreaterThan(0)
    await store.close()
  })

  it('LmdbStore and LevelStore: open and put options are checked before the backend is opened', async () => {
    for (const Store of [LmdbStore, LevelStore]) {
      const dir = join(tempDir(), 'kv')
      await expectUnknown(() => Store.open(dir, { syncIntervalMs: 100 } as never), 'syncIntervalMs')
      await expectUnknown(() => Store.open(dir, { codek: 'json' } as never), 'codek', /did you mean 'codec'/)
      // A bad clock used to be found after the database was open, leaving it open (and LevelDB locked).
      expect((await failure(() => Store.open(dir, { clock: 5 } as never))).code).toBe('ERR_INVALID_OPTION')
      // Errors name the store that was opened.
      const file = join(tempDir(), 'file')
      writeFileSync(file, 'x')
      expect((await failure(() => Store.open(file))).message).toMatch(new RegExp(`^${Store.name}: `))
      const store = await Store.open<string>(dir, { sync: 'none' })
      await expectUnknown(() => store.put('k', 'v', { TTL: 5 } as never), 'TTL')
      expect(await store.get('k')).toBeUndefined()
      await store.close()
    }
  })
})

describe('tiers and the change feed refuse options they do not know', () => {
  const l2 = () => diskTier({ getEntry: () => undefined, put: async () => {}, delete: async () => false, closed: false })

  it('TieredCache: constructor, set, getOrLoad and setMany', async () => {
    const l1 = new Cache<string>({ maxBytes: 1 << 20 })
    await expectUnknown(() => new TieredCache({ l1, l2: l2(), tll: 1000 } as never), 'tll', /did you mean 'ttl'/)
    expect((await failure(() => new TieredCache(undefined as never))).code).toBe('ERR_INVALID_OPTION')
    expect((await failure(() => new TieredCache({ l1, l2: l2(), throwOnRemoteError: 'yes' } as never))).code).toBe('ERR_INVALID_OPTION')
    expect((await failure(() => new TieredCache({ l1, l2: l2(), codec: 'json' } as never))).code).toBe('ERR_INVALID_OPTION')
    const tier = new TieredCache<string>({ l1, l2: l2() })
    await expectUnknown(() => tier.set('k', 'v', { TTL: 5 } as never), 'TTL')
    await expectUnknown(() => tier.getOrLoad('k', async () => 'v', { maxAge: 5 } as never), 'maxAge')
    await expectUnknown(() => tier.setMany([{ key: 'k', value: 'v', tll: 5 } as never]), 'tll')
    expect(tier.getLocal('k')).toBeUndefined()
    await tier.close()
    l1.close()
  })

  it('RedisStore, MemcachedStore, InvalidationBus, ShardedStore: before any connection', async () => {
    await expectUnknown(() => new RedisStore({ client: {} as never, nmae: 'x' } as never), 'nmae')
    expect((await failure(() => new RedisStore(undefined as never))).code).toBe('ERR_INVALID_OPTION')
    await expectUnknown(() => RedisStore.connect('redis://127.0.0.1:1', { timeout: 5 } as never), 'timeout')
    await expectUnknown(() => new MemcachedStore({ client: { servers: [{}] } as never, retryDelayMs: 5 } as never), 'retryDelayMs')
    await expectUnknown(() => MemcachedStore.connect('127.0.0.1:1', { retries: 3 } as never), 'retries')
    await expectUnknown(() => new InvalidationBus({ client: {} as never, chanel: 'x' } as never), 'chanel', /did you mean 'channel'/)
    expect((await failure(() => new InvalidationBus({} as never))).code).toBe('ERR_INVALID_OPTION')
    await expectUnknown(() => new ShardedStore({ nodes: { a: l2() }, vnodes: 10 } as never), 'vnodes')
  })

  it('PostgresChangeFeed.start: options, table options and reconnectDelayMs, before connecting', async () => {
    const base = { connection: 'postgres://127.0.0.1:1/db', slot: 's1', publication: 'p1', tables: { users: () => [] }, target: () => {} }
    await expectUnknown(() => PostgresChangeFeed.start({ ...base, warnLagMs: 5 } as never), 'warnLagMs')
    await expectUnknown(() => PostgresChangeFeed.start({ ...base, tables: { users: { keys: () => [], prefix: ['u:'] } } } as never), 'prefix')
    await expectUnknown(() => PostgresChangeFeed.start({ ...base, reconnectDelayMs: { min: 1, maximum: 5 } } as never), 'maximum')
    expect((await failure(() => PostgresChangeFeed.start({ ...base, onWarning: 'log' } as never))).code).toBe('ERR_INVALID_OPTION')
  })
})
