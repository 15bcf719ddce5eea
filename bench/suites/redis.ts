/**
 * Against Redis on loopback (issue 4): the same Zipf 90/10 workload and values in one Cortado thread,
 * one lru-cache and one ioredis client keeping 64 requests in flight. Skipped, and saying so, when no
 * redis-server binary is on PATH.
 */
import { KEY_BYTES, makeKeys, makeValues, opMix, scatteredZipfIndices } from '../harness/data.js'
import { formatCount } from '../harness/format.js'
import { KERNELS, compileKernel, makeWorkload, type Workload } from '../harness/kernels.js'
import { SEQUENCE_LENGTH } from '../harness/pool.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { median, opsPerSecond, relativeSpread } from '../harness/stats.js'
import { CHUNK } from '../harness/throughput.js'
import type { BenchCache, CacheSpec } from '../peers/types.js'
import { REDIS_BINARY, redisServerOnPath, startRedis, type RedisPeer } from '../peers/redis.js'
import type { Suite, SuiteContext } from './types.js'

const KEYS = 100_000
const ZIPF_S = 0.99
const SET_FRACTION = 0.1
const VALUE_BYTES = 100
export const IN_FLIGHT = 64
const SPEC: CacheSpec = { entries: KEYS, valueKind: 'string', keyBytes: KEY_BYTES, valueBytes: VALUE_BYTES }

function roundMs(quick: boolean): number {
  return quick ? 300 : 1000
}

/** In-process contenders: the baseline and Cortado (the ratio the issue asks for is Cortado ÷ Redis). */
function local(ctx: Pick<SuiteContext, 'peers'>) {
  return ctx.peers.filter((p) => p.id === 'lru-cache' || p.id === 'cortado')
}

interface Sample {
  ops: number
  ns: number
  hits: number
}

/** `IN_FLIGHT` loops each awaiting one command at a time: always that many requests outstanding. */
async function redisRound(redis: RedisPeer, w: Workload, from: number, ms: number): Promise<Sample> {
  const { keys, values, idx, ops } = w
  const mask = idx.length - 1
  const valueMask = values.length - 1
  let next = from
  let hits = 0
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(ms * 1e6)
  const lane = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const n = next++ & mask
      const key = keys[idx[n]!]!
      if (ops[n] === 1) await redis.client.set(key, values[n & valueMask] as string)
      else if ((await redis.client.get(key)) !== null) hits++
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
  return { ops: next - from, ns: Number(process.hrtime.bigint() - start), hits }
}

async function prefill(redis: RedisPeer, keys: readonly string[], values: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const pipe = redis.client.pipeline()
    for (let j = i; j < Math.min(keys.length, i + 1000); j++) pipe.set(keys[j]!, values[j & (values.length - 1)]!)
    await pipe.exec()
  }
}

export const redis: Suite = {
  kind: 'suite',
  id: 'redis',
  title: 'Redis on loopback',
  plan: (ctx) => 1 + (ctx.rounds + 1) * (local(ctx).length + 1),
  async run(ctx) {
    ctx.progress.step(`redis · starting ${REDIS_BINARY}`)
    const method =
      `Zipf(${ZIPF_S}) over ${formatCount(KEYS)} keys, ${100 - SET_FRACTION * 100}% get / ${SET_FRACTION * 100}% set, ` +
      `${VALUE_BYTES}-byte string values, every key stored first; in-process caches: one thread, capacity ${formatCount(KEYS)}; ` +
      `Redis: a local redis-server (no persistence) and one ioredis client with auto-pipelining and ${IN_FLIGHT} requests ` +
      `in flight; median of ${ctx.rounds} alternating rounds of ${roundMs(ctx.quick)} ms`
    const kase = `${IN_FLIGHT} in flight · ${formatCount(KEYS)} keys · string ${VALUE_BYTES} B`
    const row = (figures: Figure[], skipped: Skip[]): Row => ({
      suite: 'redis',
      case: kase,
      params: { inFlight: IN_FLIGHT, keys: KEYS },
      metric: 'ops/s',
      better: 'higher',
      method,
      figures,
      skipped,
    })
    if (!redisServerOnPath()) {
      ctx.progress.tick('skipped')
      ctx.progress.log(`redis: skipped: ${REDIS_BINARY} not on PATH`)
      ctx.emit(row([], [{ peer: 'redis', reason: `${REDIS_BINARY} not on PATH` }]))
      return
    }
    const keys = makeKeys(KEYS)
    const values = makeValues(4096, 'string', VALUE_BYTES) as string[]
    const w = makeWorkload({
      keys,
      values,
      idx: scatteredZipfIndices(KEYS, ZIPF_S, SEQUENCE_LENGTH, 11),
      ops: opMix(SEQUENCE_LENGTH, SET_FRACTION, 12),
    })
    const server = await startRedis()
    const caches: { id: string; cache: BenchCache }[] = []
    try {
      await prefill(server, keys, values)
      for (const peer of local(ctx)) {
        const cache = peer.create(SPEC)
        for (let i = 0; i < keys.length; i++) cache.set(keys[i]!, values[i & (values.length - 1)]!)
        caches.push({ id: peer.id, cache })
      }
      ctx.progress.tick('filled')
      const samples = new Map<string, Sample[]>([...caches.map((c) => [c.id, [] as Sample[]] as const), ['redis', []]])
      const cursors = new Map<string, number>([...samples.keys()].map((id) => [id, 0]))
      const kernels = new Map(caches.map((c) => [c.id, compileKernel(KERNELS.mixed)]))
      const ids = [...samples.keys()]
      const ms = roundMs(ctx.quick)
      for (let round = -1; round < ctx.rounds; round++) {
        for (let i = 0; i < ids.length; i++) {
          const id = ids[(i + Math.max(0, round)) % ids.length]!
          ctx.progress.tick(`${round < 0 ? 'warm-up' : `round ${round + 1}/${ctx.rounds}`} ${id}`)
          const from = cursors.get(id)!
          let s: Sample
          if (id === 'redis') s = await redisRound(server, w, from, ms)
          else {
            const { cache } = caches.find((c) => c.id === id)!
            const kernel = kernels.get(id)!
            s = { ops: 0, ns: 0, hits: 0 }
            const start = process.hrtime.bigint()
            const budget = BigInt(ms * 1e6)
            do {
              s.hits += kernel(cache, w, from + s.ops, CHUNK)
              s.ops += CHUNK
            } while (process.hrtime.bigint() - start < budget)
            s.ns = Number(process.hrtime.bigint() - start)
          }
          cursors.set(id, from + s.ops)
          if (round >= 0) samples.get(id)!.push(s)
        }
      }
      const figures = ids.map((id): Figure => {
        const perRound = samples.get(id)!.map((s) => opsPerSecond(s.ops, s.ns))
        const all = samples.get(id)!
        const gets = all.reduce((a, s) => a + s.ops, 0) * (1 - SET_FRACTION)
        return {
          peer: id,
          value: median(perRound),
          samples: perRound,
          spread: relativeSpread(perRound),
          hitRatio: gets > 0 ? Math.min(1, all.reduce((a, s) => a + s.hits, 0) / gets) : undefined,
          ...(id === 'redis' ? { note: server.name } : {}),
        }
      })
      ctx.emit(row(figures, []))
    } finally {
      for (const c of caches) c.cache.close()
      await server.stop()
    }
  },
}
