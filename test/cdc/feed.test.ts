/**
 * PostgresChangeFeed against a real PostgreSQL (started here, wal_level=logical): writes made by a
 * plain SQL client, not through the cache, drop the cached keys.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cache, isCortadoError } from '../../src/index.js'
import { PostgresChangeFeed, type FeedReset } from '../../src/cdc/index.js'
import type { CortadoError } from '../../src/errors.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'
import { createUsers, percentile, userKeys, waitUntil } from './helpers.js'
import { hasPostgres, PgServer } from './server.js'

describe.skipIf(!hasPostgres())('PostgresChangeFeed over a real PostgreSQL', () => {
  let server: PgServer
  let sql: pg.Client
  const feeds: PostgresChangeFeed[] = []
  const caches: Cache<string>[] = []

  beforeAll(async () => {
    server = await PgServer.start()
    sql = new pg.Client(server.url)
    await sql.connect()
  })

  afterAll(async () => {
    for (const feed of feeds) await feed.close()
    for (const cache of caches) cache.close()
    await sql?.end()
    await server?.stop()
  })

  function newCache(): Cache<string> {
    const cache = new Cache<string>({ maxBytes: 8 * 1024 * 1024, codec: 'string' })
    caches.push(cache)
    return cache
  }

  async function startFeed(options: Parameters<typeof PostgresChangeFeed.start>[0]): Promise<PostgresChangeFeed> {
    const feed = await PostgresChangeFeed.start(options)
    feeds.push(feed)
    return feed
  }

  const quiet = { onWarning: () => {}, onReset: () => {} }

  it('an UPDATE from a plain SQL client drops the row\'s keys (p99 COMMIT → gone over 1,000 updates)', async () => {
    const seed = testSeed(24)
    const random = mulberry32(seed)
    await createUsers(sql, 'lag_users', 200)
    const cache = newCache()
    const feed = await startFeed({
      connection: server.url, slot: 'lag_slot', publication: 'lag_pub', target: cache,
      tables: { lag_users: userKeys('user') }, replicaIdentity: 'full', ...quiet,
    })
    const samples: number[] = []
    for (let i = 0; i < 1000; i++) {
      const id = 1 + Math.floor(random() * 200)
      cache.set(`user:${id}`, `v${i}`)
      cache.set(`user-by-email:u${id}@example.com`, `v${i}`)
      cache.set('unrelated', 'stays')
      await sql.query('UPDATE lag_users SET version = version + 1 WHERE id = $1', [id])
      const committed = performance.now()
      await waitUntil(() => !cache.has(`user:${id}`) && !cache.has(`user-by-email:u${id}@example.com`), `user:${id} to be dropped`, 5000, 0)
      samples.push(performance.now() - committed)
    }
    samples.sort((a, b) => a - b)
    console.log(
      `[cdc] COMMIT → entry gone over ${samples.length} updates: p50 ${percentile(samples, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(samples, 99).toFixed(2)} ms, max ${samples.at(-1)!.toFixed(2)} ms (host shared, times not asserted)`,
    )
    expect(cache.get('unrelated')).toBe('stays')
    const stats = feed.stats()
    expect(stats.changesApplied).toBe(1000)
    expect(stats.transactionsApplied).toBe(1000)
    expect(stats.keysInvalidated).toBe(2000)
    expect(stats.keyErrors).toBe(0)
    expect(cache.stats().invalidations).toBeGreaterThanOrEqual(2000)
  })

  it('updates of key columns drop the old and the new key; deletes and inserts drop theirs', async () => {
    await createUsers(sql, 'key_users', 10)
    const cache = newCache()
    await startFeed({
      connection: server.url, slot: 'key_slot', publication: 'key_pub', target: cache,
      tables: { key_users: userKeys('k') }, replicaIdentity: 'full', ...quiet,
    })
    cache.set('k-by-email:u1@example.com', 'old email')
    cache.set('k-by-email:new1@example.com', 'negative entry for the new email')
    cache.set('k:2', 'to delete')
    cache.set('k-by-email:u2@example.com', 'to delete')
    cache.set('k:11', 'negative entry before insert')
    cache.set('k:3', 'untouched')
    await sql.query(`UPDATE key_users SET email = 'new1@example.com' WHERE id = 1`)
    await sql.query('DELETE FROM key_users WHERE id = 2')
    await sql.query(`INSERT INTO key_users (id, email) VALUES (11, 'u11@example.com')`)
    await waitUntil(() => !cache.has('k:11'), 'the insert to be applied')
    expect(cache.has('k-by-email:u1@example.com')).toBe(false)
    expect(cache.has('k-by-email:new1@example.com')).toBe(false)
    expect(cache.has('k:2')).toBe(false)
    expect(cache.has('k-by-email:u2@example.com')).toBe(false)
    expect(cache.get('k:3')).toBe('untouched')
    // A change of the primary key itself: old and new ids are both dropped.
    cache.set('k:4', 'old id')
    cache.set('k:40', 'new id')
    await sql.query('UPDATE key_users SET id = 40 WHERE id = 4')
    await waitUntil(() => !cache.has('k:4') && !cache.has('k:40'), 'both ids to be dropped')
  })

  it('without REPLICA IDENTITY FULL it warns, and still drops keys of the primary key on delete', async () => {
    await createUsers(sql, 'plain_users', 5)
    const cache = newCache()
    const warnings: CortadoError[] = []
    await startFeed({
      connection: server.url, slot: 'plain_slot', publication: 'plain_pub', target: cache,
      tables: { plain_users: userKeys('p') }, onWarning: (w) => warnings.push(w), onReset: () => {},
    })
    expect(warnings.some((w) => /REPLICA IDENTITY FULL/.test(w.message))).toBe(true)
    cache.set('p:5', 'cached')
    await sql.query('DELETE FROM plain_users WHERE id = 5')
    await waitUntil(() => !cache.has('p:5'), 'the delete to be applied')
  })

  it('TRUNCATE drops the table\'s prefixes when declared, else the whole cache', async () => {
    await createUsers(sql, 'trunc_a', 3)
    await createUsers(sql, 'trunc_b', 3)
    const cache = newCache()
    const feed = await startFeed({
      connection: server.url, slot: 'trunc_slot', publication: 'trunc_pub', target: cache, replicaIdentity: 'full', ...quiet,
      tables: { trunc_a: { keys: userKeys('a'), prefixes: ['a:', 'a-by-email:'] }, trunc_b: userKeys('b') },
    })
    cache.set('a:1', 'x')
    cache.set('a-by-email:u1@example.com', 'x')
    cache.set('b:1', 'kept by a truncate of a')
    cache.set('other', 'kept by a truncate of a')
    await sql.query('TRUNCATE trunc_a')
    await waitUntil(() => !cache.has('a:1'), 'the truncate of trunc_a')
    expect(cache.has('a-by-email:u1@example.com')).toBe(false)
    expect(cache.get('b:1')).toBe('kept by a truncate of a')
    expect(cache.get('other')).toBe('kept by a truncate of a')
    await sql.query('TRUNCATE trunc_b')
    await waitUntil(() => cache.size === 0, 'the truncate of trunc_b to clear everything')
    expect(feed.stats().truncates).toBe(2)
  })

  it('a keys function that throws is counted and the feed goes on; clear-table drops the table\'s keys', async () => {
    await createUsers(sql, 'err_users', 20)
    const cache = newCache()
    const warnings: CortadoError[] = []
    const feed = await startFeed({
      connection: server.url, slot: 'err_slot', publication: 'err_pub', target: cache, replicaIdentity: 'full',
      onKeysError: 'clear-table', onWarning: (w) => warnings.push(w), onReset: () => {},
      tables: {
        err_users: {
          prefixes: ['e:'],
          keys: (row) => {
            if (row.id === 13) throw new Error('unlucky row')
            return row.id === 14 ? [42 as unknown as string] : `e:${row.id}`
          },
        },
      },
    })
    cache.set('e:1', 'x')
    cache.set('e:2', 'x')
    cache.set('other', 'kept')
    await sql.query('UPDATE err_users SET version = 1 WHERE id = 13')
    await waitUntil(() => !cache.has('e:1'), 'the failed row to clear the table\'s prefix')
    expect(cache.get('other')).toBe('kept')
    expect(feed.stats().keyErrors).toBe(1)
    expect(warnings.some((w) => /unlucky row/.test(w.message))).toBe(true)
    await sql.query('UPDATE err_users SET version = 1 WHERE id = 14') // returns a non-string key
    cache.set('e:3', 'x')
    await sql.query('UPDATE err_users SET version = 1 WHERE id = 3')
    await waitUntil(() => !cache.has('e:3'), 'the feed to go on after failing rows')
    expect(feed.stats().keyErrors).toBe(2)
  })

  it('a missing slot is created and the guarded keys are cleared, saying why; a dropped slot does it again on restart', async () => {
    await createUsers(sql, 'slot_users', 5)
    const cache = newCache()
    const resets: FeedReset[] = []
    const options = {
      connection: server.url, slot: 'drop_slot', publication: 'drop_pub', target: cache, replicaIdentity: 'full' as const,
      tables: { slot_users: { keys: userKeys('s'), prefixes: ['s:', 's-by-email:'] } },
      onReset: (r: FeedReset) => resets.push(r), onWarning: () => {},
    }
    cache.set('s:1', 'cached before the slot existed')
    cache.set('unguarded', 'kept')
    let feed = await PostgresChangeFeed.start(options)
    expect(resets).toHaveLength(1)
    expect(resets[0]!.reason).toMatch(/drop_slot did not exist/)
    expect(cache.has('s:1')).toBe(false)
    expect(cache.get('unguarded')).toBe('kept')
    await feed.close()
    // While the feed is down: a change it will never see, and the slot dropped by an operator.
    cache.set('s:2', 'stale soon')
    await sql.query('UPDATE slot_users SET version = 7 WHERE id = 2')
    await sql.query(`SELECT pg_drop_replication_slot('drop_slot')`)
    feed = await PostgresChangeFeed.start(options)
    feeds.push(feed)
    expect(resets).toHaveLength(2)
    expect(cache.has('s:2')).toBe(false)
    expect(cache.get('unguarded')).toBe('kept')
    expect(feed.stats().resets).toBe(1)
    expect(feed.stats().lastResetReason).toMatch(/did not exist \(first start, or it was dropped\)/)
    // A restart with the slot in place resumes from it: a change made while down is applied, no reset.
    await feed.close()
    cache.set('s:3', 'stale soon')
    await sql.query('UPDATE slot_users SET version = 8 WHERE id = 3')
    feed = await PostgresChangeFeed.start(options)
    feeds.push(feed)
    await waitUntil(() => !cache.has('s:3'), 'the change made while the feed was down')
    expect(resets).toHaveLength(2)
  })

  it('reconnects after the server ends its replication connection, and applies what changed meanwhile', async () => {
    await createUsers(sql, 're_users', 10)
    const cache = newCache()
    const warnings: CortadoError[] = []
    const feed = await startFeed({
      connection: server.url, slot: 're_slot', publication: 're_pub', target: cache, replicaIdentity: 'full',
      tables: { re_users: userKeys('r') }, reconnectDelayMs: { min: 20, max: 200 },
      onWarning: (w) => warnings.push(w), onReset: () => {},
    })
    await sql.query(`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 're_slot'`)
    cache.set('r:1', 'changed while the feed reconnects')
    await sql.query('UPDATE re_users SET version = 1 WHERE id = 1')
    await waitUntil(() => !cache.has('r:1'), 'the change made during the reconnect')
    expect(feed.stats().reconnects).toBe(1)
    expect(feed.stats().resets).toBe(1) // only the first start's: the slot was kept
    expect(feed.stats().connected).toBe(true)
    expect(warnings.some((w) => /replication connection was lost/.test(w.message))).toBe(true)
  })

  it('gives clear errors: bad options before connecting, a missing table, a refused slot', async () => {
    const cache = newCache()
    const base = { connection: server.url, slot: 'err_opts', publication: 'err_opts', target: cache, tables: { nope: () => 'k' }, ...quiet }
    await expect(PostgresChangeFeed.start({ ...base, slot: 'Bad-Name' })).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_INVALID_OPTION'))
    await expect(PostgresChangeFeed.start({ ...base, tables: {} })).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_INVALID_OPTION'))
    await expect(PostgresChangeFeed.start({ ...base, target: 5 as never })).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_INVALID_OPTION'))
    await expect(PostgresChangeFeed.start(base)).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_REPLICATION') && /nope does not exist/.test((e as Error).message))
    await createUsers(sql, 'pub_users', 1)
    await sql.query(`CREATE PUBLICATION no_deletes FOR TABLE pub_users WITH (publish = 'insert, update')`)
    const partial = PostgresChangeFeed.start({ ...base, publication: 'no_deletes', tables: { pub_users: () => 'k' } })
    await expect(partial).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_REPLICATION') && /does not publish delete,truncate/.test((e as Error).message))
    await createUsers(sql, 'role_users', 1)
    await sql.query('DROP ROLE IF EXISTS plain_role')
    await sql.query('CREATE ROLE plain_role LOGIN')
    await sql.query('GRANT SELECT ON role_users TO plain_role')
    const url = `postgres://plain_role@127.0.0.1:${server.port}/postgres`
    const refused = PostgresChangeFeed.start({ ...base, connection: url, tables: { role_users: () => 'k' } })
    await expect(refused).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_REPLICATION') && /CREATE PUBLICATION.*permission denied/.test((e as Error).message))
    // Allowed to publish its own table, but not to replicate: the slot is refused, saying what to grant.
    await sql.query('GRANT CREATE ON DATABASE postgres TO plain_role')
    await sql.query('ALTER TABLE role_users OWNER TO plain_role')
    const noSlot = PostgresChangeFeed.start({ ...base, connection: url, tables: { role_users: () => 'k' } })
    await expect(noSlot).rejects.toSatisfy((e) => isCortadoError(e, 'ERR_REPLICATION') && /cannot create replication slot err_opts \(the role needs the REPLICATION attribute/.test((e as Error).message))
    // Nothing half-created by the refused start.
    const slots = await sql.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = 'err_opts'`)
    expect(slots.rows).toHaveLength(0)
  })
})
