/**
 * Change data capture (issue 24): a PostgresChangeFeed dropping keys from a Cache, beside the Redis
 * invalidation bus carrying the same keys between two instances.
 * - throughput: one UPDATE of many rows, timed from its COMMIT to the last key dropped from the cache
 *   (the server decodes, sends and the feed applies the whole transaction in that window); the bus:
 *   the same number of keys published by one instance until the other has dropped them all.
 * - lag: single-row UPDATEs one after another, each timed from COMMIT until its key is gone; the bus:
 *   one key published until the other instance has dropped it.
 * Skipped, saying why, when no PostgreSQL server binaries are installed (the bus rows need redis-server).
 */
import pg from 'pg'
import { Redis } from 'ioredis'
import { Cache, InvalidationBus } from '../../src/index.js'
import { PostgresChangeFeed } from '../../src/cdc/index.js'
import { formatCount } from '../harness/format.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { median, relativeSpread } from '../harness/stats.js'
import { redisServerOnPath } from '../peers/redis.js'
import { TestServer } from '../../test/helpers/servers.js'
import { PgServer, postgresBinDir } from '../../test/cdc/server.js'
import type { Suite } from './types.js'

const CDC = 'cortado-cdc'
const BUS = 'redis-bus'

interface Sizes {
  rows: number
  rounds: number
  lagSamples: number
}

const sizes = (quick: boolean, rounds: number): Sizes =>
  quick ? { rows: 20_000, rounds: Math.min(rounds, 3), lagSamples: 300 } : { rows: 100_000, rounds, lagSamples: 1000 }

const nextTurn = () => new Promise<void>((r) => setImmediate(r))

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`cdc bench: timed out waiting for ${what}`)
    await nextTurn()
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** The feed side: a table of `rows` rows and a feed from it into a Cache holding every row's key. */
async function cdcSide(server: PgServer, s: Sizes) {
  const sql = new pg.Client(server.url)
  await sql.connect()
  await sql.query('CREATE TABLE bench_rows (id int PRIMARY KEY, v int NOT NULL DEFAULT 0)')
  await sql.query('INSERT INTO bench_rows (id) SELECT g FROM generate_series(1, $1) g', [s.rows])
  const cache = new Cache<string>({ maxBytes: 64 * 1024 * 1024, codec: 'string' })
  const feed = await PostgresChangeFeed.start({
    connection: server.url, slot: 'bench_slot', publication: 'bench_pub', target: cache,
    tables: { bench_rows: (row) => `row:${row.id}` }, onReset: () => {}, onWarning: () => {},
  })
  return {
    /** Row changes per second from COMMIT to the last key dropped, and this process's CPU per change. */
    async throughputRound(): Promise<{ rate: number; cpuNsPerChange: number }> {
      for (let id = 1; id <= s.rows; id++) cache.set(`row:${id}`, 'cached')
      // The transaction counts as applied once its COMMIT was handled: every row's keys dropped by then.
      const target = feed.stats().transactionsApplied + 1
      await sql.query('UPDATE bench_rows SET v = v + 1')
      const committed = performance.now()
      const cpu = process.cpuUsage()
      await until(() => feed.stats().transactionsApplied >= target, 'the feed to apply the update')
      const elapsed = performance.now() - committed
      const used = process.cpuUsage(cpu)
      return { rate: s.rows / (elapsed / 1000), cpuNsPerChange: ((used.user + used.system) * 1000) / s.rows }
    },
    async lag(samples: number): Promise<number[]> {
      const out: number[] = []
      for (let i = 0; i < samples; i++) {
        const id = 1 + ((i * 7919) % s.rows)
        cache.set(`row:${id}`, 'cached')
        await sql.query('UPDATE bench_rows SET v = v + 1 WHERE id = $1', [id])
        const committed = performance.now()
        await until(() => !cache.has(`row:${id}`), `row:${id} to be dropped`)
        out.push(performance.now() - committed)
      }
      return out
    },
    async close(): Promise<void> {
      await feed.close()
      cache.close()
      await sql.end()
    },
  }
}

/** The bus side: instance A publishes keys, instance B drops them from its own Cache. */
async function busSide(s: Sizes) {
  const server = await TestServer.start('redis')
  const publisherClient = new Redis({ host: '127.0.0.1', port: server.port })
  const receiverClient = new Redis({ host: '127.0.0.1', port: server.port })
  const a = new InvalidationBus({ client: publisherClient, instanceId: 'a' })
  const b = new InvalidationBus({ client: receiverClient, instanceId: 'b' })
  const cache = new Cache<string>({ maxBytes: 64 * 1024 * 1024, codec: 'string' })
  let received = 0
  b.subscribe({ invalidate: (keys) => { cache.invalidate(keys); received += keys.length }, invalidateAll: () => cache.clear() })
  await Promise.all([a.ready(), b.ready()])
  return {
    async throughputRound(): Promise<number> {
      for (let id = 1; id <= s.rows; id++) cache.set(`row:${id}`, 'cached')
      const target = received + s.rows
      const start = performance.now()
      for (let id = 1; id <= s.rows; id++) a.publish(`row:${id}`)
      await until(() => received >= target, 'the bus to deliver every key')
      return s.rows / ((performance.now() - start) / 1000)
    },
    async lag(samples: number): Promise<number[]> {
      const out: number[] = []
      for (let i = 0; i < samples; i++) {
        const key = `row:${1 + ((i * 7919) % s.rows)}`
        cache.set(key, 'cached')
        const start = performance.now()
        a.publish(key)
        await until(() => !cache.has(key), `${key} to be dropped`)
        out.push(performance.now() - start)
      }
      return out
    },
    async close(): Promise<void> {
      await a.close()
      await b.close()
      publisherClient.disconnect()
      receiverClient.disconnect()
      cache.close()
      await server.stop()
    },
  }
}

export const cdc: Suite = {
  kind: 'suite',
  id: 'cdc',
  title: 'Change data capture from PostgreSQL',
  plan: (ctx) => 1 + sizes(ctx.quick, ctx.rounds).rounds * 2 + 2,
  async run(ctx) {
    const s = sizes(ctx.quick, ctx.rounds)
    const throughputRow = (figures: Figure[], skipped: Skip[]): Row => ({
      suite: 'cdc',
      case: `changes applied · one UPDATE of ${formatCount(s.rows)} rows`,
      params: { rows: s.rows },
      metric: 'ops/s',
      better: 'higher',
      method:
        `${CDC}: PostgresChangeFeed (pgoutput) into a Cache holding every row's key; one UPDATE of ${formatCount(s.rows)} rows, ` +
        `timed from its COMMIT until the feed applied every row change; ${BUS}: the same keys published by one InvalidationBus ` +
        `instance until another dropped them from its Cache (local redis-server); median of ${s.rounds} rounds`,
      figures,
      skipped,
    })
    const lagRow = (p: 50 | 99, figures: Figure[], skipped: Skip[]): Row => ({
      suite: 'cdc',
      case: `invalidation lag p${p}`,
      params: { samples: s.lagSamples, percentile: p },
      metric: 'ms',
      better: 'lower',
      method:
        `${CDC}: ${s.lagSamples} single-row UPDATEs one after another, each from COMMIT (the client's reply) until its key is gone ` +
        `from the Cache; ${BUS}: ${s.lagSamples} keys published one at a time until the other instance dropped them`,
      figures,
      skipped,
    })
    const bin = postgresBinDir()
    if (bin === undefined) {
      const reason = 'no PostgreSQL server binaries (apt-get install -y postgresql)'
      ctx.progress.tick('skipped')
      ctx.progress.log(`cdc: skipped: ${reason}`)
      const skipped = [{ peer: CDC, reason }]
      ctx.emit(throughputRow([], skipped))
      ctx.emit(lagRow(50, [], skipped))
      ctx.emit(lagRow(99, [], skipped))
      return
    }
    ctx.progress.step('cdc · starting postgres')
    const server = await PgServer.start()
    const withBus = redisServerOnPath()
    const busSkipped: Skip[] = withBus ? [] : [{ peer: BUS, reason: 'redis-server not on PATH' }]
    let feedSide: Awaited<ReturnType<typeof cdcSide>> | undefined
    let bus: Awaited<ReturnType<typeof busSide>> | undefined
    try {
      feedSide = await cdcSide(server, s)
      if (withBus) bus = await busSide(s)
      ctx.progress.tick('ready')
      const rates = new Map<string, number[]>([[CDC, []], [BUS, []]])
      const cpu: number[] = []
      for (let round = 0; round < s.rounds; round++) {
        ctx.progress.tick(`throughput round ${round + 1}/${s.rounds} ${CDC}`)
        const measured = await feedSide.throughputRound()
        rates.get(CDC)!.push(measured.rate)
        cpu.push(measured.cpuNsPerChange)
        ctx.progress.tick(`throughput round ${round + 1}/${s.rounds} ${BUS}`)
        if (bus) rates.get(BUS)!.push(await bus.throughputRound())
      }
      const figure = (peer: string, values: number[]): Figure => ({ peer, value: median(values), samples: values, spread: relativeSpread(values) })
      ctx.emit(throughputRow([...rates].filter(([, v]) => v.length > 0).map(([peer, v]) => figure(peer, v)), busSkipped))
      // The wall-clock rate above is mostly the server's decoding and the host's load; this is the feed's own cost.
      ctx.emit({
        suite: 'cdc',
        case: 'feed CPU per row change',
        params: { rows: s.rows },
        metric: 'ns',
        better: 'lower',
        method: `${CDC}: this process's CPU time (user + system) from COMMIT until the ${formatCount(s.rows)}-row transaction was applied, ÷ rows; median of ${s.rounds} rounds`,
        figures: [figure(CDC, cpu)],
        skipped: [],
      })
      ctx.progress.tick(`lag ${CDC}`)
      const cdcLag = await feedSide.lag(s.lagSamples)
      ctx.progress.tick(`lag ${BUS}`)
      const busLag = bus ? await bus.lag(s.lagSamples) : []
      for (const p of [50, 99] as const) {
        const figures: Figure[] = [{ peer: CDC, value: percentile(cdcLag, p) }]
        if (busLag.length > 0) figures.push({ peer: BUS, value: percentile(busLag, p) })
        ctx.emit(lagRow(p, figures, busSkipped))
      }
    } finally {
      await feedSide?.close()
      await bus?.close()
      await server.stop()
    }
  },
}
