/**
 * The tier's speed, side by side in one process against a real redis-server (and memcached when
 * installed) started on a free loopback port:
 *
 * - L1 hit through a TieredCache vs the same hit on a plain Cache (target: ≥ 0.9×), both the
 *   synchronous way (`getLocal` vs `get`) and the awaited way (`await tier.get` vs `await cache.get`);
 * - the latency of each level: L1 hit, L2 hit (L1 miss answered by Redis), and a miss in both that
 *   goes to the loader (with an instant loader, so the figure is the tier's own cost: GET + SET);
 * - one batch of 100 L2 gets vs 100 sequential single gets (target: ≥ 20×).
 *
 * Rounds of the compared variants alternate and medians are reported, because the machine is shared
 * and noisy; nothing here asserts an absolute time.
 *
 *   npx tsx bench/tier/tier.bench.ts [--quick]
 */
import { Cache } from '../../src/index.js'
import { MemcachedStore, RedisStore, TieredCache, type RemoteStore } from '../../src/tier/index.js'
import { TestServer, hasServer } from '../../test/helpers/servers.js'
import { median } from '../harness/stats.js'

const quick = process.argv.includes('--quick')
const ROUNDS = quick ? 7 : 21
const HIT_OPS = quick ? 10_000 : 20_000
const NET_OPS = quick ? 200 : 1000
const KEYS = Array.from({ length: 1000 }, (_, i) => `bench:${i}`)
const VALUE = { id: 1, name: 'a cached row', tags: ['x', 'y'], score: 0.5 }

const now = () => process.hrtime.bigint()
const nsPerOp = (start: bigint, ops: number) => Number(now() - start) / ops

function newCache(): Cache<typeof VALUE> {
  return new Cache<typeof VALUE>({ maxBytes: 16 << 20, codec: 'msgpack' })
}

interface Compared {
  /** Median ns per operation of each variant. */
  median: Record<string, number>
  /** Per round, `baseline ÷ variant` of two runs made back to back; medians of these are the ratios. */
  pairs: Record<string, number[]>
}

/**
 * Runs every variant once per round, in alternating order. Besides each variant's median, keeps the
 * ratio to the first variant within each round: neighbours in time see the same machine load, so the
 * median of those paired ratios is steadier than a ratio of medians on a shared machine.
 */
async function alternate(variants: Record<string, () => Promise<number> | number>): Promise<Compared> {
  const names = Object.keys(variants)
  const samples = new Map(names.map((n) => [n, [] as number[]]))
  const pairs = Object.fromEntries(names.map((n) => [n, [] as number[]]))
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse()
    const got: Record<string, number> = {}
    for (const name of order) got[name] = await variants[name]!()
    for (const name of names) {
      samples.get(name)!.push(got[name]!)
      pairs[name]!.push(got[names[0]!]! / got[name]!)
    }
  }
  return { median: Object.fromEntries(names.map((n) => [n, median(samples.get(n)!)])), pairs }
}

function fmt(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`
}

/** Per round: one pass of 100 sequential gets, and the mean of several single-batch calls. */
async function batchVsSingle(store: RemoteStore): Promise<{ single: number; batch: number; ratio: number }> {
  const keys = KEYS.slice(0, 100)
  const batchesPerRound = 20
  const r = await alternate({
    single: async () => {
      const start = now()
      for (const key of keys) await store.get(key)
      return nsPerOp(start, 1)
    },
    batch: async () => {
      const start = now()
      for (let i = 0; i < batchesPerRound; i++) await store.getMany(keys)
      return nsPerOp(start, batchesPerRound)
    },
  })
  return { single: r.median.single!, batch: r.median.batch!, ratio: median(r.pairs.batch!) }
}

async function main(): Promise<void> {
  if (!hasServer('redis')) {
    console.log('tier bench skipped: redis-server is not installed (apt-get install -y redis-server memcached)')
    return
  }
  const redis = await TestServer.start('redis')
  const store = await RedisStore.connect({ host: '127.0.0.1', port: redis.port })
  const plain = newCache()
  const l1 = newCache()
  const tier = new TieredCache({ l1, l2: store })
  for (const key of KEYS) {
    plain.set(key, VALUE)
    await tier.set(key, VALUE)
  }
  let sink = 0

  const sync = await alternate({
    plain: () => {
      const start = now()
      for (let i = 0; i < HIT_OPS; i++) if (plain.get(KEYS[i % KEYS.length]!) !== undefined) sink++
      return nsPerOp(start, HIT_OPS)
    },
    tier: () => {
      const start = now()
      for (let i = 0; i < HIT_OPS; i++) if (tier.getLocal(KEYS[i % KEYS.length]!) !== undefined) sink++
      return nsPerOp(start, HIT_OPS)
    },
  })
  const awaited = await alternate({
    plain: async () => {
      const start = now()
      for (let i = 0; i < HIT_OPS; i++) if ((await plain.get(KEYS[i % KEYS.length]!)) !== undefined) sink++
      return nsPerOp(start, HIT_OPS)
    },
    tier: async () => {
      const start = now()
      for (let i = 0; i < HIT_OPS; i++) if ((await tier.get(KEYS[i % KEYS.length]!)) !== undefined) sink++
      return nsPerOp(start, HIT_OPS)
    },
  })

  // An L2 hit: the key is dropped from L1 first (a local delete, negligible next to a round trip).
  const levels = await alternate({
    l2: async () => {
      let total = 0
      for (let i = 0; i < NET_OPS; i++) {
        const key = KEYS[i % KEYS.length]!
        tier.l1.delete(key)
        const start = now()
        if ((await tier.get(key)) !== undefined) sink++
        total += Number(now() - start)
      }
      return total / NET_OPS
    },
    loader: async () => {
      let total = 0
      for (let i = 0; i < NET_OPS; i++) {
        const key = `miss:${i}:${Math.random()}`
        const start = now()
        if ((await tier.getOrLoad(key, () => VALUE, { ttl: 10_000 })) !== undefined) sink++
        total += Number(now() - start)
      }
      return total / NET_OPS
    },
  })

  const redisBatch = await batchVsSingle(store)
  let memcachedBatch: { single: number; batch: number; ratio: number } | undefined
  if (hasServer('memcached')) {
    const memcached = await TestServer.start('memcached')
    const mstore = await MemcachedStore.connect(memcached.address)
    await mstore.setMany(KEYS.slice(0, 100).map((key) => ({ key, value: Buffer.from(JSON.stringify(VALUE)) })))
    memcachedBatch = await batchVsSingle(mstore)
    await mstore.close()
    await memcached.stop()
  }

  const rows: [string, string][] = [
    ['L1 hit, plain Cache.get (sync)', fmt(sync.median.plain!)],
    ['L1 hit, TieredCache.getLocal (sync)', fmt(sync.median.tier!)],
    ['L1 hit, await plain Cache.get', fmt(awaited.median.plain!)],
    ['L1 hit, await TieredCache.get', fmt(awaited.median.tier!)],
    ['L2 hit (Redis GET + decode + L1 fill)', fmt(levels.median.l2!)],
    ['miss -> loader (GET miss + load + L1 set + SET)', fmt(levels.median.loader!)],
    ['Redis: 100 sequential GETs', fmt(redisBatch.single)],
    ['Redis: one getMany of 100 (MGET)', fmt(redisBatch.batch)],
  ]
  if (memcachedBatch) {
    rows.push(['memcached: 100 sequential gets', fmt(memcachedBatch.single)])
    rows.push(['memcached: one getMany of 100 (GETKQ batch)', fmt(memcachedBatch.batch)])
  }
  const width = Math.max(...rows.map((r) => r[0].length))
  console.log(`\nTier bench (${quick ? 'quick' : 'full'}: ${ROUNDS} alternating rounds, medians)\n`)
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value.padStart(10)}`)

  const ratios: [string, number, number][] = [
    ['L1 hit, TieredCache vs plain Cache (sync)', median(sync.pairs.tier!), 0.9],
    ['L1 hit, TieredCache vs plain Cache (awaited)', median(awaited.pairs.tier!), 0.9],
    ['Redis: batch of 100 vs 100 single gets', redisBatch.ratio, 20],
  ]
  if (memcachedBatch) ratios.push(['memcached: batch of 100 vs 100 single gets', memcachedBatch.ratio, 20])
  console.log('\nRatios (medians of per-round paired ratios; higher is better for the tier)\n')
  for (const [label, value, target] of ratios) {
    console.log(`  ${label.padEnd(width)}  ${value.toFixed(2).padStart(8)}×  target ≥ ${target}×  ${value >= target ? 'ok' : 'BELOW TARGET'}`)
  }
  if (sink < 0) console.log(sink) // keeps the loops' results observable

  await tier.close()
  await store.close()
  plain.close()
  l1.close()
  await redis.stop()
}

await main()
