/** Which charts a run produces, built from its rows: throughput bars, memory bars, hit-ratio lines. */
import { formatCount, formatSi, significant } from '../harness/format.js'
import type { Machine } from '../harness/machine.js'
import type { Row, RunResults } from '../harness/results.js'
import { BASELINE } from '../peers/types.js'
import { CORTADO_COLOR, PALETTE, renderBarChart, renderLineChart, type BarChart, type Series } from './svg.js'
import { peersOf } from './summary.js'
import { FLOOR } from '../service/floor.js'

export interface Chart {
  file: string
  title: string
  section: 'throughput' | 'memory' | 'hit-ratio' | 'service'
  svg: string
}

/** Operation suites, in the order their bars appear. */
export const OPERATIONS = ['get-hit', 'get-built-key', 'get-miss', 'get-many', 'mixed', 'set-many', 'set-evict']

export function stamp(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores · Node ${m.node} · Cortado ${m.cortado} · ${m.date.slice(0, 10)}`
}

/** One colour per peer or policy, the same in every chart of a run. */
export function colorsFor(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>()
  let next = 0
  for (const id of ids) {
    if (out.has(id)) continue
    out.set(id, id === 'cortado' ? CORTADO_COLOR : PALETTE[next++ % PALETTE.length]!)
  }
  return out
}

/** A file-name-safe slug: "100k entries · string 100 B" → "100k-string-100B". */
export function slug(s: string): string {
  return s
    .replace(/entries/g, '')
    .replace(/(\d) (B|KiB)\b/g, '$1$2')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
}

/** Peers with at least one figure in these rows (skipped peers have nothing to draw). */
function measuredPeers(rows: readonly Row[]): string[] {
  return peersOf(rows).filter((p) => rows.some((r) => r.figures.some((f) => f.peer === p)))
}

function seriesOf(ids: readonly string[], colors: Map<string, string>, nameOf: (id: string) => string): Series[] {
  return ids.map((id) => ({ name: nameOf(id), color: colors.get(id)!, dashed: id.startsWith('sim:') || id === FLOOR }))
}

/** A bar per peer (measured in these rows) in a group per row. */
function peerBars(
  rows: readonly Row[],
  groupOf: (row: Row) => string,
  chart: Pick<BarChart, 'title' | 'subtitle' | 'format' | 'yLabel'>,
  colors: Map<string, string>,
  nameOf: (id: string) => string,
): string {
  const peers = measuredPeers(rows)
  return renderBarChart({
    ...chart,
    groups: rows.map(groupOf),
    series: seriesOf(peers, colors, nameOf),
    values: rows.map((r) => peers.map((p) => r.figures.find((f) => f.peer === p)?.value)),
  })
}

function throughputCharts(results: RunResults, colors: Map<string, string>, nameOf: (id: string) => string): Chart[] {
  const rows = results.rows.filter((r) => OPERATIONS.includes(r.suite))
  const cases = [...new Set(rows.map((r) => r.case))]
  return cases.map((kase) => {
    const caseRows = OPERATIONS.map((op) => rows.find((r) => r.suite === op && r.case === kase)).filter((r): r is Row => r !== undefined)
    const rounds = caseRows[0]!.figures[0]?.samples?.length ?? 0
    return {
      file: `throughput-${slug(kase)}.svg`,
      title: `Throughput, ${kase}`,
      section: 'throughput' as const,
      svg: peerBars(caseRows, (r) => r.suite, {
        title: `Throughput per operation · ${kase}`,
        subtitle: `ops/s (keys/s for batches of 64), median of ${rounds} alternating rounds, all peers in one process; higher is better\n${stamp(results.machine)}`,
        format: formatSi,
        yLabel: 'operations per second',
      }, colors, nameOf),
    }
  })
}

function memoryCharts(results: RunResults, colors: Map<string, string>, nameOf: (id: string) => string): Chart[] {
  const out: Chart[] = []
  const perEntry = results.rows.filter((r) => r.suite === 'memory' && r.metric === 'bytes/entry')
  if (perEntry.length > 0) {
    out.push({
      file: 'memory-per-entry.svg',
      title: 'Bytes per entry',
      section: 'memory',
      svg: peerBars(perEntry, (r) => `${String(r.params.measure)} · ${formatCount(Number(r.params.entries))}`, {
        title: 'Memory per entry (16-byte keys, 100-byte string values)',
        subtitle: `growth of the process's RSS and of V8's used heap per entry, each peer alone in a child process; lower is better\n${stamp(results.machine)}`,
        format: (v) => `${significant(v)} B`,
        yLabel: 'bytes per entry',
      }, colors, nameOf),
    })
  }
  const gc = results.rows.filter((r) => r.suite === 'memory' && r.params.measure === 'gc')
  if (gc.length > 0) {
    out.push({
      file: 'memory-gc.svg',
      title: 'Full GC pause',
      section: 'memory',
      svg: peerBars(gc, (r) => `${formatCount(Number(r.params.entries))} entries`, {
        title: 'One forced full GC with the cache filled',
        subtitle: `global.gc() duration, median of 3 in a row, each peer alone in a child process; lower is better\n${stamp(results.machine)}`,
        format: (v) => `${significant(v)} ms`,
        yLabel: 'milliseconds',
      }, colors, nameOf),
    })
  }
  return out
}

/**
 * Series whose points are all equal (every exact LRU draws the same line, real or simulated) become one
 * series named "a = b = c", drawn in the first one's style, so no line silently hides another.
 */
export function mergeIdentical(series: readonly (Series & { points: [number, number][] })[]): (Series & { points: [number, number][] })[] {
  const out: (Series & { points: [number, number][] })[] = []
  const keyOf = (pts: [number, number][]) => pts.map(([x, y]) => `${x}:${y.toFixed(2)}`).join(' ')
  const seen = new Map<string, number>()
  for (const s of series) {
    const key = keyOf(s.points)
    const at = seen.get(key)
    if (at === undefined) {
      seen.set(key, out.length)
      out.push({ ...s, points: [...s.points] })
    } else out[at] = { ...out[at]!, name: `${out[at]!.name} = ${s.name}` }
  }
  return out
}

function hitRatioCharts(results: RunResults, colors: Map<string, string>, nameOf: (id: string) => string): Chart[] {
  const rows = results.rows.filter((r) => r.suite === 'hit-ratio')
  const traces = [...new Set(rows.map((r) => String(r.params.trace)))]
  return traces.map((trace) => {
    const traceRows = rows.filter((r) => r.params.trace === trace)
    const peers = measuredPeers(traceRows)
    const sizes = traceRows.map((r) => Number(r.params.size))
    const source = traceRows[0]!.params.source === 'trace' ? 'trace: Megiddo & Modha, FAST 2003 / LIRS' : 'generated'
    const series = peers.map((p) => ({
      ...seriesOf([p], colors, nameOf)[0]!,
      points: traceRows.flatMap((r): [number, number][] => {
        const f = r.figures.find((x) => x.peer === p)
        return f ? [[Number(r.params.size), f.value]] : []
      }),
    }))
    return {
      file: `hit-ratio-${slug(trace)}.svg`,
      title: `Hit ratio, ${trace}`,
      section: 'hit-ratio' as const,
      svg: renderLineChart({
        title: `Hit ratio vs cache size · ${trace}`,
        subtitle: `${source}; solid: real caches (get, set on a miss), dashed: simulated policies; higher is better\n${stamp(results.machine)}`,
        series: mergeIdentical(series),
        xLabel: 'cache size (entries)',
        yLabel: 'hit ratio (%)',
        formatX: formatCount,
        formatY: (v) => `${significant(v, 2)}%`,
        logX: Math.max(...sizes) / Math.min(...sizes) >= 8,
        yMax: 100,
      }),
    }
  })
}

/** The measures a service chart shows, each as a ratio to lru-cache's figure (units differ between them). */
const SERVICE_MEASURES: readonly { measure: string; percentile?: number; label: string }[] = [
  { measure: 'throughput', label: 'requests/s' },
  { measure: 'cpu', label: 'server CPU per request' },
  { measure: 'latency', percentile: 99, label: 'p99 (client)' },
  { measure: 'handler', percentile: 99, label: 'p99 (handler)' },
  { measure: 'rss', label: 'RSS' },
  { measure: 'pss', label: 'memory (PSS)' },
  { measure: 'hit-ratio', label: 'hit ratio' },
  { measure: 'gc', label: 'GC pause' },
]

function serviceCharts(results: RunResults, colors: Map<string, string>, nameOf: (id: string) => string): Chart[] {
  const rows = results.rows.filter((r) => r.suite.startsWith('service'))
  const cases = [...new Set(rows.map((r) => `${r.suite}\u0000${Number(r.params.entries)}`))]
  return cases.map((c) => {
    const [suite, entries] = [c.split('\u0000')[0]!, Number(c.split('\u0000')[1])]
    const chartRows = SERVICE_MEASURES.flatMap((m) =>
      rows.filter((r) => r.suite === suite && r.params.entries === entries && r.params.measure === m.measure && (m.percentile === undefined || r.params.percentile === m.percentile)),
    )
    const peers = measuredPeers(chartRows)
    const pool = suite === 'service-pool'
    return {
      file: `${suite}-${formatCount(entries).toLowerCase()}.svg`,
      title: `${pool ? 'HTTP service, a pool of 2 processes' : 'HTTP service under load'}, ${formatCount(entries)} entries`,
      section: 'service' as const,
      svg: renderBarChart({
        title: pool
          ? `node:cluster pool of 2, ${formatCount(entries)} entries: one shared Cortado vs an lru-cache per worker, ÷ lru-cache's`
          : `node:http service over a cache of ${formatCount(entries)} entries, each figure ÷ lru-cache's`,
        subtitle: `autocannon, 32 connections, Zipf(0.9) keys with ~10% misses (cache-aside); median of alternating rounds; requests/s and hit ratio: higher is better, the rest lower\n${stamp(results.machine)}`,
        groups: chartRows.map((r) => SERVICE_MEASURES.find((m) => m.measure === r.params.measure)!.label),
        series: seriesOf(peers, colors, nameOf),
        values: chartRows.map((r) => {
          const base = r.figures.find((f) => f.peer === BASELINE)?.value
          return peers.map((p) => {
            const v = r.figures.find((f) => f.peer === p)?.value
            return v === undefined || !base ? undefined : v / base
          })
        }),
        format: (v) => `${significant(v, 2)}×`,
        yLabel: "÷ lru-cache's figure",
      }),
    }
  })
}

export function buildCharts(results: RunResults, nameOf: (id: string) => string): Chart[] {
  const ids = [BASELINE, ...results.peers.map((p) => p.id), ...results.rows.flatMap((r) => r.figures.map((f) => f.peer))]
  const colors = colorsFor(ids)
  return [...throughputCharts(results, colors, nameOf), ...memoryCharts(results, colors, nameOf), ...hitRatioCharts(results, colors, nameOf), ...serviceCharts(results, colors, nameOf)]
}
