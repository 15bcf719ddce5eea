/**
 * A service run's figures as bench rows: each figure is the median of the peer's rounds (every round
 * kept in `samples`, and the requests/s rounds spelled out in a note, since a 2-core host shared by
 * server and load generator moves them).
 */
import { formatSi } from '../harness/format.js'
import type { Figure, Row, Skip } from '../harness/results.js'
import { median, relativeSpread } from '../harness/stats.js'
import { handlerPercentiles, type WindowReport } from './probes.js'
import type { Session } from './session.js'

export const PERCENTILES = [50, 99, 99.9] as const

export interface RowContext {
  suite: string
  /** Case label, e.g. "1M entries". */
  kase: string
  params: Record<string, string | number>
  method: string
  skipped: Skip[]
}

export type Reading<R extends WindowReport> = (s: Session<R>) => number

export function figureOf<R extends WindowReport>(peer: string, sessions: readonly Session<R>[], pick: Reading<R>, extra: Partial<Figure> = {}): Figure {
  const samples = sessions.map(pick)
  return { peer, value: median(samples), samples, spread: relativeSpread(samples), ...extra }
}

/** Records set per second of the window: every miss is loaded from the origin and set (cache-aside). */
export function setsPerSecond(s: Session): number {
  return s.server.windowMs > 0 ? s.server.misses / (s.server.windowMs / 1000) : 0
}

/** The server's CPU time (all its threads, the collector's too) per request it handled, µs. */
export function serverCpuPerRequest(s: Session): number {
  return s.server.requests > 0 ? s.server.cpuUs / s.server.requests : 0
}

export function hitRatio(s: Session): number {
  const gets = s.server.hits + s.server.misses
  return gets > 0 ? s.server.hits / gets : 0
}

function row(ctx: RowContext, measure: string, kase: string, metric: string, better: Row['better'], method: string, figures: Figure[], params: Record<string, number> = {}): Row {
  return { suite: ctx.suite, case: kase, params: { ...ctx.params, measure, ...params }, metric, better, method: `${ctx.method}; ${method}`, figures, skipped: ctx.skipped }
}

/** Throughput, client and handler latency percentiles, memory and GC pause: the figures both suites share. */
export function serviceRows<R extends WindowReport>(ctx: RowContext, sessions: Map<string, Session<R>[]>): Row[] {
  const all = [...sessions]
  const figures = (pick: Reading<R>, extra?: (peer: string, s: readonly Session<R>[]) => Partial<Figure>) =>
    all.map(([peer, s]) => figureOf(peer, s, pick, extra?.(peer, s)))
  const rows: Row[] = [
    row(ctx, 'throughput', ctx.kase, 'req/s', 'higher', "responses 200 per second over the measured window, autocannon's count", figures((s) => s.load.requestsPerSecond, (_p, s) => ({
      hitRatio: median(s.map(hitRatio)),
      note: `rounds ${s.map((x) => formatSi(x.load.requestsPerSecond)).join(', ')}; sets (misses loaded and set) ${s.map((x) => `${formatSi(setsPerSecond(x))}/s`).join(', ')}`,
    }))),
    row(ctx, 'cpu', ctx.kase, 'µs', 'lower', "the server's CPU time (user + system, all threads, GC helpers included) per request handled, from process.cpuUsage over the window: its cost per request whatever the load generator does", figures(serverCpuPerRequest, (_p, s) => ({
      note: `per round: server ${s.map((x) => pct(x.server.cpuUs / 1000 / x.server.windowMs)).join(', ')} of a core; load generator ${s.map((x) => `${pct(x.load.cpuBusy)} (${x.load.cpuUsPerRequest.toFixed(0)} µs/req)`).join(', ')}`,
    }))),
  ]
  for (const p of PERCENTILES) {
    rows.push(row(ctx, 'latency', `p${p} · ${ctx.kase}`, 'µs', 'lower', "client latency: request sent to response read, from autocannon's per-response event, HDR histogram in µs", figures((s) => pickPercentile(s.load, p)), { percentile: p }))
  }
  for (const [i, p] of PERCENTILES.entries()) {
    rows.push(row(ctx, 'handler', `p${p} · ${ctx.kase}`, 'µs', 'lower', "server-side handler time (URL to res.end, process.hrtime.bigint), HDR histogram", figures((s) => handlerPercentiles([s.server], PERCENTILES)[i]!), { percentile: p }))
  }
  rows.push(
    row(ctx, 'gc', ctx.kase, 'ms', 'lower', 'total GC pause during the measured window (perf_hooks "gc" entries)', figures((s) => s.server.gcPauseMs, (_p, s) => ({
      note: `per round: ${s.map((x) => `${x.server.gcCount} pauses, longest ${x.server.gcMaxMs.toFixed(1)} ms, full GCs ${x.server.gcMajorMs.toFixed(0)} ms`).join('; ')}`,
    }))),
    row(ctx, 'heap', ctx.kase, 'bytes', 'lower', "V8's used heap at the end of the window", figures((s) => s.server.heapUsedBytes)),
  )
  return rows
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`
}

function pickPercentile(load: Session['load'], p: (typeof PERCENTILES)[number]): number {
  return p === 50 ? load.p50 : p === 99 ? load.p99 : load.p999
}
