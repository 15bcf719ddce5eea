/**
 * Worker scaling (issue 4): one Cortado cache shared by 1 and 2 worker threads against one lru-cache per
 * worker, on the same Zipf 90/10 workload. Reports aggregate ops/s, hit ratio and memory both ways.
 */
import type { Worker } from 'node:worker_threads'
import { KEY_BYTES } from '../harness/data.js'
import { formatCount } from '../harness/format.js'
import type { Figure, Row } from '../harness/results.js'
import { median, opsPerSecond, relativeSpread } from '../harness/stats.js'
import { nextMessage, startTsWorker } from '../harness/thread.js'
import { BASELINE, type CacheSpec } from '../peers/types.js'
import type { Suite, SuiteContext } from './types.js'
import type { MemoryReply, ReadyReply, RunReply, ThreadConfig, ThreadRequest } from './workers-thread.js'

const KEYS = 100_000
/** Half the key set fits: the policy (and the sharing) decide the hit ratio. */
const CAPACITY = 50_000
const ZIPF_S = 0.99
const SET_FRACTION = 0.1
const VALUE_BYTES = 100
const MAX_THREADS = 2
const THREAD_FILE = new URL('./workers-thread.ts', import.meta.url)

type Mode = ThreadConfig['mode']

function roundMs(quick: boolean): number {
  return quick ? 200 : 500
}

function modes(ctx: Pick<SuiteContext, 'peers'>): Mode[] {
  return ctx.peers.some((p) => p.id === 'cortado') ? ['cortado', BASELINE] : [BASELINE]
}

interface Pool {
  mode: Mode
  workers: Worker[]
}

async function startPool(mode: Mode, spec: CacheSpec): Promise<Pool> {
  const workers: Worker[] = []
  try {
    let handle: unknown
    for (let i = 0; i < MAX_THREADS; i++) {
      const config: ThreadConfig = {
        mode,
        create: mode === 'cortado' && i === 0 ? spec : undefined,
        handle,
        keys: KEYS,
        capacity: CAPACITY,
        zipfS: ZIPF_S,
        setFraction: SET_FRACTION,
        valueBytes: VALUE_BYTES,
        seed: 1000 + i,
      }
      const worker = startTsWorker(THREAD_FILE, config)
      workers.push(worker)
      const ready = await nextMessage<ReadyReply>(worker, 120_000)
      if (i === 0) handle = ready.handle
    }
    // A shared cache is filled once; private caches each fill their own.
    await ask<'filled'>(mode === 'cortado' ? workers.slice(0, 1) : workers, { cmd: 'fill' }, 120_000)
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()))
    throw err
  }
  return { mode, workers }
}

async function ask<T>(workers: readonly Worker[], request: ThreadRequest, timeoutMs: number): Promise<T[]> {
  const replies = workers.map((w) => nextMessage<T>(w, timeoutMs))
  for (const w of workers) w.postMessage(request)
  return Promise.all(replies)
}

async function stopPool(pool: Pool): Promise<void> {
  for (const w of pool.workers) w.postMessage({ cmd: 'close' } satisfies ThreadRequest)
  await Promise.all(pool.workers.map((w) => w.terminate()))
}

interface Tally {
  perRound: number[]
  hits: number
  gets: number
}

export const workers: Suite = {
  kind: 'suite',
  id: 'workers',
  title: 'worker threads',
  plan: (ctx) => 1 + modes(ctx).length * MAX_THREADS * (ctx.rounds + 1),
  async run(ctx) {
    ctx.progress.step(`workers · starting ${MAX_THREADS} threads per mode`)
    const spec: CacheSpec = { entries: CAPACITY, valueKind: 'string', keyBytes: KEY_BYTES, valueBytes: VALUE_BYTES }
    const pools: Pool[] = []
    try {
      for (const mode of modes(ctx)) pools.push(await startPool(mode, spec))
      ctx.progress.tick('threads ready')
      const ms = roundMs(ctx.quick)
      const runs = pools.flatMap((pool) => [1, 2].map((threads) => ({ pool, threads, key: `${pool.mode}-${threads}` })))
      const tallies = new Map<string, Tally>(runs.map((r) => [r.key, { perRound: [], hits: 0, gets: 0 }]))
      ctx.progress.step(`workers · ${runs.length} configurations, ${ctx.rounds} rounds of ${ms} ms`)
      for (let round = -1; round < ctx.rounds; round++) {
        for (let i = 0; i < runs.length; i++) {
          const run = runs[(i + Math.max(0, round)) % runs.length]!
          ctx.progress.tick(`${round < 0 ? 'warm-up' : `round ${round + 1}/${ctx.rounds}`} ${run.key}`)
          const replies = await ask<RunReply>(run.pool.workers.slice(0, run.threads), { cmd: 'run', ms }, ms * 20 + 30_000)
          if (round < 0) continue
          const t = tallies.get(run.key)!
          t.perRound.push(replies.reduce((a, r) => a + opsPerSecond(r.ops, r.ns), 0))
          t.hits += replies.reduce((a, r) => a + r.hits, 0)
          t.gets += replies.reduce((a, r) => a + r.gets, 0)
        }
      }
      const memory = new Map<Mode, { bytes: number; entries: number }>()
      for (const pool of pools) {
        // The shared cache is one: ask one thread. Private caches: every thread's heap, summed.
        const replies = await ask<MemoryReply>(pool.mode === 'cortado' ? pool.workers.slice(0, 1) : pool.workers, { cmd: 'memory' }, 60_000)
        const bytes = replies.reduce((a, r) => a + (pool.mode === 'cortado' ? r.arenaBytes : r.heapBytes), 0)
        memory.set(pool.mode, { bytes, entries: replies.reduce((a, r) => a + r.entries, 0) })
      }
      for (const row of workerRows(tallies, memory, ctx.rounds, ms)) ctx.emit(row)
    } finally {
      for (const pool of pools) await stopPool(pool)
    }
  },
}

function workerRows(tallies: Map<string, Tally>, memory: Map<Mode, { bytes: number; entries: number }>, rounds: number, ms: number): Row[] {
  const workload =
    `Zipf(${ZIPF_S}) over ${formatCount(KEYS)} keys, ${100 - SET_FRACTION * 100}% get / ${SET_FRACTION * 100}% set, ` +
    `sets store a fresh ${VALUE_BYTES}-byte string under a fresh key string; capacity ${formatCount(CAPACITY)} entries: ` +
    `Cortado one cache (16 shards) shared by all threads, lru-cache one cache per thread`
  const opsRows = [1, 2].map((threads): Row => {
    const figures: Figure[] = []
    for (const mode of memory.keys()) {
      const t = tallies.get(`${mode}-${threads}`)!
      figures.push({ peer: mode, value: median(t.perRound), samples: t.perRound, spread: relativeSpread(t.perRound), hitRatio: t.gets > 0 ? t.hits / t.gets : undefined })
    }
    return {
      suite: 'workers',
      case: `${threads} thread${threads > 1 ? 's' : ''}`,
      params: { measure: 'ops', threads },
      metric: 'ops/s',
      better: 'higher',
      method: `aggregate ops/s of the threads (each thread's ops ÷ its own time, summed), median of ${rounds} alternating rounds of ${ms} ms after a warm-up round; ${workload}`,
      figures,
      skipped: [],
    }
  })
  const memRow: Row = {
    suite: 'workers',
    case: `${MAX_THREADS} threads, after the rounds`,
    params: { measure: 'memory', threads: MAX_THREADS },
    metric: 'bytes',
    better: 'lower',
    method:
      `Cortado: bytes of live entries in the shared arena plus its index and metadata; lru-cache: growth of each ` +
      `thread's V8 heap after two full GCs, summed over the threads; ${workload}`,
    figures: [...memory].map(([mode, m]) => ({ peer: mode, value: m.bytes, extra: { entries: m.entries }, note: `${m.entries} entries held in all` })),
    skipped: [],
  }
  return [...opsRows, memRow]
}
