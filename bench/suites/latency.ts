/**
 * Get latency under churn: one loop in which every 10th operation sets a new key (evicting) and the
 * others get a key set recently enough that an exact LRU or FIFO still holds it. Each get is timed on
 * its own with process.hrtime.bigint() and recorded in an HDR histogram per peer; the timer's own cost
 * is measured the same way and reported beside the figures.
 */
import hdr from 'hdr-histogram-js'
import { uniformIndices } from '../harness/data.js'
import { formatSi } from '../harness/format.js'
import { compileKernel, makeWorkload } from '../harness/kernels.js'
import { Pool, SEQUENCE_LENGTH, specLabel } from '../harness/pool.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import type { RoundsResult } from '../harness/rounds.js'
import { commonHitRatio, commonHitsMethod, fillAll, roundMs, timedRounds, type Filled } from '../harness/throughput.js'
import { LARGE, SMALL } from './configs.js'
import type { Suite } from './types.js'

type Histogram = ReturnType<typeof hdr.build>

export const SET_EVERY = 10
export const PERCENTILES = [50, 99, 99.9] as const

function configs(quick: boolean) {
  return quick ? [SMALL] : [SMALL, LARGE]
}

function histogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 1e9, numberOfSignificantValueDigits: 3, autoResize: true })
}

/**
 * Op n: a set of keys[entries + n/10] when n is a multiple of 10, else a get of a key among the last
 * entries/2 set (idx holds the distance back). Only the get is inside the timed interval.
 */
const LATENCY_LOOP = `
  const now = process.hrtime.bigint, hist = w.extra.hist, entries = w.extra.entries, every = w.extra.every
  for (let i = 0; i < count; i++) {
    const n = from + i
    const sets = Math.floor(n / every)
    if (n - sets * every === 0) {
      cache.set(keys[(entries + sets) & keyMask], values[n & valueMask])
    } else {
      const key = keys[(entries + sets - 1 - idx[n & idxMask]) & keyMask]
      const t0 = now()
      const v = cache.get(key)
      const t1 = now()
      hist.recordValue(Number(t1 - t0))
      if (v !== undefined) hits++
    }
  }`

/** The cost of the two clock reads around a get, measured with nothing between them. */
function timerOverhead(samples: number): Histogram {
  const h = histogram()
  const now = process.hrtime.bigint
  for (let i = 0; i < samples; i++) {
    const t0 = now()
    const t1 = now()
    h.recordValue(Number(t1 - t0))
  }
  return h
}

export const latency: Suite = {
  kind: 'suite',
  id: 'latency',
  title: 'get latency under churn',
  plan: (ctx) => configs(ctx.quick).length * (ctx.peers.length + (ctx.rounds + 1) * ctx.peers.length),
  async run(ctx) {
    for (const spec of configs(ctx.quick)) {
      ctx.progress.step(`latency · ${specLabel(spec)}`)
      const pool = new Pool(spec)
      const { filled, failed: skipped } = fillAll(pool, ctx)
      const back = pool.cached('latency-back', () => uniformIndices(Math.floor(spec.entries / 2), SEQUENCE_LENGTH, 5))
      const hists = new Map<string, Histogram>()
      const contenders = filled.map((f) => {
        const hist = histogram()
        hists.set(f.peer.id, hist)
        const w = makeWorkload({ keys: pool.keys, values: pool.values, idx: back, extra: { hist, entries: spec.entries, every: SET_EVERY } })
        const kernel = compileKernel(LATENCY_LOOP)
        return { id: f.peer.id, run: (from: number, count: number) => kernel(f.cache, w, from, count) }
      })
      let result
      try {
        // The warm-up's gets are not counted.
        result = timedRounds(contenders, ctx, (round, id) => round === 0 && hists.get(id)!.reset())
      } finally {
        for (const f of filled) f.cache.close()
      }
      const timer = timerOverhead(200_000)
      for (const [peer, err] of result.failed) skipped.push({ peer, reason: `threw: ${err.message.split('\n')[0]!}` })
      const measured = filled.filter((f) => result.samples.has(f.peer.id))
      for (const row of latencyRows(spec, measured, hists, result, timer, skipped, ctx.rounds, roundMs(ctx.quick))) ctx.emit(row)
    }
  },
}

function latencyRows(
  spec: Pool['spec'],
  filled: readonly Filled[],
  hists: Map<string, Histogram>,
  result: RoundsResult,
  timer: Histogram,
  skipped: Skip[],
  rounds: number,
  ms: number,
): Row[] {
  return PERCENTILES.map((p): Row => ({
    suite: 'latency',
    case: `p${p} · ${specLabel(spec)}`,
    params: { percentile: p, entries: spec.entries, valueKind: spec.valueKind, valueBytes: spec.valueBytes },
    metric: 'ns',
    better: 'lower',
    method:
      `each get timed alone (two process.hrtime.bigint() reads, whose own cost is p50 ${formatSi(timer.getValueAtPercentile(50))} ns ` +
      `/ p99 ${formatSi(timer.getValueAtPercentile(99))} ns here and is included), HDR histogram over ${rounds} alternating rounds of ${ms} ms ` +
      `per peer; every ${SET_EVERY}th operation sets a new key on the full cache, the gets read keys set within the last ${spec.entries / 2} sets; ` +
      commonHitsMethod(result.common),
    figures: filled.map((f): Figure => {
      const h = hists.get(f.peer.id)!
      return {
        peer: f.peer.id,
        value: h.getValueAtPercentile(p),
        // Said once, on the p50 row: it is the same for every percentile.
        hitRatio: p === PERCENTILES[0] ? commonHitRatio(result.common, f.peer.id, 1 - 1 / SET_EVERY) : undefined,
        extra: { gets: h.totalCount, max: h.maxValue },
      }
    }),
    skipped,
  }))
}
