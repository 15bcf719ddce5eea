/**
 * A TieredCache as the feed's target: a row change made with plain SQL drops the key from L2 (Redis)
 * and from the L1 of every instance, the feed's own through delete and the others through the bus.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cache, InvalidationBus, RedisStore, TieredCache } from '../../src/index.js'
import { PostgresChangeFeed } from '../../src/cdc/index.js'
import { hasServer, TestServer } from '../helpers/servers.js'
import { createUsers, waitUntil } from './helpers.js'
import { hasPostgres, PgServer } from './server.js'

describe.skipIf(!hasPostgres() || !hasServer('redis'))('PostgresChangeFeed into a TieredCache', () => {
  let pgServer: PgServer
  let redis: TestServer
  let sql: pg.Client

  beforeAll(async () => {
    ;[pgServer, redis] = await Promise.all([PgServer.start(), TestServer.start('redis')])
    sql = new pg.Client(pgServer.url)
    await sql.connect()
  })

  afterAll(async () => {
    await sql?.end()
    await pgServer?.stop()
    await redis?.stop()
  })

  it('drops the key from L2 and from every instance\'s L1; a TRUNCATE clears every L1', async () => {
    await createUsers(sql, 'tier_users', 5)
    const [storeA, storeB] = [await RedisStore.connect(`redis://${redis.address}`), await RedisStore.connect(`redis://${redis.address}`)]
    const [busA, busB] = [new InvalidationBus({ client: storeA.client }), new InvalidationBus({ client: storeB.client })]
    await Promise.all([busA.ready(), busB.ready()])
    const [l1a, l1b] = [new Cache<string>({ maxBytes: 4 << 20 }), new Cache<string>({ maxBytes: 4 << 20 })]
    const a = new TieredCache<string>({ l1: l1a, l2: storeA, bus: busA })
    const b = new TieredCache<string>({ l1: l1b, l2: storeB, bus: busB })
    const feed = await PostgresChangeFeed.start({
      connection: pgServer.url, slot: 'tier_slot', publication: 'tier_pub', target: a, replicaIdentity: 'full',
      tables: { tier_users: (row) => `user:${row.id}` }, onReset: () => {}, onWarning: () => {},
    })
    try {
      await a.set('user:1', 'version 0')
      await a.set('user:2', 'version 0')
      // a's writes reach b's bus as invalidations; let them land before b caches the keys.
      await busA.flush()
      await waitUntil(() => busB.stats().keysReceived >= 2, 'b to hear of a\'s writes')
      expect(await b.get('user:1')).toBe('version 0') // now in b's L1 too
      expect(b.getLocal('user:1')).toBe('version 0')
      await sql.query('UPDATE tier_users SET version = 1 WHERE id = 1')
      await waitUntil(async () => b.getLocal('user:1') === undefined && (await storeA.get('user:1')) === undefined, 'user:1 to leave L2 and b\'s L1')
      expect(a.getLocal('user:1')).toBeUndefined()
      expect(await b.get('user:2')).toBe('version 0')
      await sql.query('TRUNCATE tier_users')
      await waitUntil(() => b.getLocal('user:2') === undefined && a.getLocal('user:2') === undefined, 'the truncate to clear every L1')
      expect(feed.stats().truncates).toBe(1)
    } finally {
      await feed.close()
      await a.close()
      await b.close()
      await busA.close()
      await busB.close()
      await storeA.close()
      await storeB.close()
      l1a.close()
      l1b.close()
    }
  })
})
