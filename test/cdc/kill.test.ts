/**
 * At-least-once across a crash: the feed runs in its own process, writing into a native cache shared
 * through /dev/shm; it is SIGKILLed while updates keep coming, then started again. After it catches up,
 * no cached entry may be older than the database: every key is checked.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cache } from '../../src/index.js'
import { mulberry32 } from '../helpers/mulberry32.mjs'
import { testSeed } from '../helpers/seed.js'
import { exited, nextMessage, shmPath, spawnChild } from '../native/helpers.js'
import { waitUntil } from './helpers.js'
import { hasPostgres, PgServer } from './server.js'
import type { ChildProcess } from 'node:child_process'

const ROWS = 2000
const CACHE = { maxBytes: 32 * 1024 * 1024, codec: 'string' }
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

describe.skipIf(!hasPostgres())('PostgresChangeFeed killed and restarted', () => {
  let server: PgServer
  let sql: pg.Client
  let writerClient: pg.Client
  const shm = shmPath('cdc-kill')
  const children: ChildProcess[] = []

  beforeAll(async () => {
    server = await PgServer.start()
    sql = new pg.Client(server.url)
    writerClient = new pg.Client(server.url)
    await Promise.all([sql.connect(), writerClient.connect()])
    await sql.query('CREATE TABLE kill_users (id int PRIMARY KEY, version int NOT NULL DEFAULT 0)')
    await sql.query('INSERT INTO kill_users (id) SELECT g FROM generate_series(0, $1) g', [ROWS])
  })

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL')
    await sql?.end()
    await writerClient?.end()
    await server?.stop()
    shm.cleanup()
  })

  async function startFeedProcess(): Promise<{ child: ChildProcess; resets: number }> {
    const child = spawnChild('../../cdc/fixtures/feed-process.ts', [server.url, shm.path, CACHE])
    children.push(child)
    const ready = await nextMessage<{ ready: boolean; resets: number }>(child, (m) => m.ready, 30_000)
    return { child, resets: ready.resets }
  }

  async function fillFromDatabase(cache: Cache<string>): Promise<void> {
    const { rows } = await sql.query<{ id: number; version: number }>('SELECT id, version FROM kill_users WHERE id > 0')
    for (const row of rows) cache.set(`row:${row.id}`, String(row.version))
  }

  /** Rows whose cached version differs from the database's. */
  async function staleKeys(cache: Cache<string>): Promise<{ stale: string[]; cached: number }> {
    const { rows } = await sql.query<{ id: number; version: number }>('SELECT id, version FROM kill_users WHERE id > 0')
    const stale: string[] = []
    let cached = 0
    for (const row of rows) {
      const value = cache.get(`row:${row.id}`)
      if (value === undefined) continue
      cached++
      if (Number(value) !== row.version) stale.push(`row:${row.id} cached ${value}, database ${row.version}`)
    }
    return { stale, cached }
  }

  it('after a SIGKILL and a restart, no cached entry is older than the database', async () => {
    const seed = testSeed(2424)
    const random = mulberry32(seed)
    const cache = new Cache<string>({ engine: 'native', path: shm.path, ...CACHE } as never)
    try {
      let feed = await startFeedProcess()
      expect(feed.resets).toBe(1) // the slot was created: nothing cached before it can be trusted
      await fillFromDatabase(cache)

      // Writers: single-row updates and 5-row transactions, until told to stop (bounded in time too).
      // Paced to at most 2 updates per ms: unpaced, a fast host updated every one of the 2000 rows
      // after the refill (16,769 updates), and no cached entry was left to check.
      let writing = true
      let updates = 0
      const writer = (async () => {
        const start = Date.now()
        const deadline = start + 30_000
        while (writing && Date.now() < deadline) {
          if (updates > 2 * (Date.now() - start)) {
            await sleep(5)
            continue
          }
          if (random() < 0.8) {
            await writerClient.query('UPDATE kill_users SET version = version + 1 WHERE id = $1', [1 + Math.floor(random() * ROWS)])
            updates++
          } else {
            await writerClient.query('BEGIN')
            for (let i = 0; i < 5; i++) await writerClient.query('UPDATE kill_users SET version = version + 1 WHERE id = $1', [1 + Math.floor(random() * ROWS)])
            await writerClient.query('COMMIT')
            updates += 5
          }
        }
      })()

      await sleep(700)
      feed.child.kill('SIGKILL')
      await exited(feed.child)
      // While the feed is down: cache the current rows again, then let more updates make some of them stale.
      await fillFromDatabase(cache)
      await sleep(400)
      const beforeRestart = await staleKeys(cache)
      feed = await startFeedProcess()
      expect(feed.resets).toBe(0) // resumed from the slot
      await sleep(400)
      writing = false
      await writer

      // Catch-up marker: once this last change is applied, every change before it is.
      cache.set('row:0', 'marker')
      await sql.query('UPDATE kill_users SET version = version + 1 WHERE id = 0')
      await waitUntil(() => !cache.has('row:0'), 'the feed to catch up with the marker', 30_000)

      const after = await staleKeys(cache)
      console.log(
        `[cdc] kill/restart: ${updates} row updates, ${beforeRestart.stale.length} entries stale while the feed was down, ` +
          `${after.stale.length} stale after catch-up; ${after.cached} of ${ROWS} keys still cached`,
      )
      expect(beforeRestart.stale.length).toBeGreaterThan(0) // the restart had something to repair
      expect(after.stale).toEqual([])
      expect(after.cached).toBeGreaterThan(0)
      feed.child.kill('SIGKILL')
      await exited(feed.child)
    } finally {
      cache.close()
    }
  })
})
