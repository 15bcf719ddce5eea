/** The summary printed on stdout at the end of a run: the targets first, then one table per suite. */
import { formatFigure, formatMemory, formatPercent, formatRatio, formatSi, significant } from '../harness/format.js'
import { machineLine } from '../harness/machine.js'
import { figureOf, type Row, type RunResults } from '../harness/results.js'
import { ratio } from '../harness/stats.js'
import { BASELINE } from '../peers/types.js'
import { boundText, evaluateTargets, meets, type TargetResult } from './targets.js'
import { renderTextTable } from './text-table.js'

/** A compact figure for a table cell: "1.02M", "187 B", "512 ms". */
export function shortFigure(value: number, metric: string): string {
  switch (metric) {
    case 'ops/s':
    case 'req/s':
      return formatSi(value)
    case 'µs':
      return `${significant(value)} µs`
    case 'bytes/entry':
      return `${significant(value)} B`
    case 'ms':
      return `${significant(value)} ms`
    case 'ns':
      return `${formatSi(value)} ns`
    case 'bytes':
      return formatMemory(value)
    default:
      return formatFigure(value, metric)
  }
}

export function targetValue(t: TargetResult): string {
  if (t.ratio === undefined) return '–'
  return t.bound < 0.1 ? formatPercent(t.ratio) : formatRatio(t.ratio)
}

/**
 * The floor's ratio for a target that has one: what any cache could show at best (floor.ts), and
 * whether even that meets the target.
 */
export function targetFloor(t: TargetResult): string {
  if (t.floorRatio === undefined) return ''
  const v = t.bound < 0.1 ? formatPercent(t.floorRatio) : formatRatio(t.floorRatio)
  return `${v} (${meets(t, t.floorRatio) ? 'reachable' : 'the floor misses it too'})`
}

export function targetStatus(t: TargetResult): string {
  if (t.pass === undefined) return t.missing ?? 'not measured'
  return t.pass ? 'met' : 'NOT MET'
}

/** Groups rows by suite and metric, keeping run order. */
export function groupRows(rows: readonly Row[]): Row[][] {
  const groups = new Map<string, Row[]>()
  for (const r of rows) {
    const k = `${r.suite}\u0000${r.metric}\u0000${String(r.params.measure ?? '')}`
    const g = groups.get(k)
    if (g) g.push(r)
    else groups.set(k, [r])
  }
  return [...groups.values()]
}

/** Peers in a group of rows (measured, then skipped), baseline first, in the order they appear. */
export function peersOf(rows: readonly Row[]): string[] {
  const seen: string[] = []
  for (const r of rows) for (const f of r.figures) if (!seen.includes(f.peer)) seen.push(f.peer)
  for (const r of rows) for (const s of r.skipped) if (!seen.includes(s.peer)) seen.push(s.peer)
  return seen.sort((a, b) => Number(b === BASELINE) - Number(a === BASELINE))
}

/** "1.02M 1.27×" (ratio to the row's baseline figure; none for the baseline itself). */
export function cell(row: Row, peer: string): string {
  const f = figureOf(row, peer)
  if (!f) return row.skipped.some((s) => s.peer === peer) ? 'skipped' : ''
  const base = figureOf(row, BASELINE)
  const text = shortFigure(f.value, row.metric)
  // Percentages (hit ratios) compare by points, not by ratio.
  if (!base || peer === BASELINE || row.metric === '%') return text
  return `${text} ${formatRatio(ratio(f.value, base.value))}`
}

/** Notes and skips, each said once: for every case when it holds for all of them. */
export function notes(group: readonly Row[], nameOf: (id: string) => string, shown?: readonly string[]): string[] {
  const byText = new Map<string, string[]>()
  const add = (text: string, kase: string) => {
    const cases = byText.get(text)
    if (cases) cases.push(kase)
    else byText.set(text, [kase])
  }
  const visible = (peer: string) => shown === undefined || shown.includes(peer)
  for (const r of group) {
    for (const f of r.figures) if (f.note && visible(f.peer)) add(`${nameOf(f.peer)}: ${f.note}`, r.case)
    for (const s of r.skipped) if (visible(s.peer)) add(`${nameOf(s.peer)} skipped: ${s.reason}`, r.case)
  }
  return [...byText].map(([text, cases]) => (cases.length === group.length ? text : `${text} (${cases.join('; ')})`))
}

export function renderSummary(results: RunResults, nameOf: (id: string) => string): string {
  const out: string[] = []
  out.push(`Cortado benchmark (${results.mode} run) · ${machineLine(results.machine)}`, '')
  for (const group of groupRows(results.rows)) {
    const first = group[0]!
    // Hit ratios: the terminal keeps lru-cache, Cortado and the simulated policies; the report has all.
    const peers = peersOf(group).filter((p) => first.suite !== 'hit-ratio' || p === BASELINE || p === 'cortado' || p.startsWith('sim:'))
    const title = `${first.suite}${first.params.measure ? ` (${String(first.params.measure)})` : ''} · ${first.metric}, ${first.better} is better; ratios to ${BASELINE}`
    out.push(title)
    out.push(renderTextTable(['case', ...peers.map(nameOf)], group.map((r) => [r.case, ...peers.map((p) => cell(r, p))])))
    // Only where it tells something: not for get-hit (all 100%) or get-miss (all 0%).
    for (const r of group) {
      if (!r.figures.some((f) => f.hitRatio !== undefined && f.hitRatio > 0.001 && f.hitRatio < 0.999)) continue
      out.push(`  hit ratio ${r.case}: ${r.figures.map((f) => `${nameOf(f.peer)} ${formatPercent(f.hitRatio)}`).join(', ')}`)
    }
    for (const method of new Set(group.map((r) => r.method))) out.push(`  measured: ${method}`)
    for (const line of notes(group, nameOf, peers)) out.push(`  ${line}`)
    out.push('')
  }
  for (const u of results.unavailable) out.push(`${nameOf(u.peer)} skipped in every suite: ${u.reason}`)
  for (const f of results.failures) out.push(`suite ${f.suite} FAILED (no figures): ${f.error}`)
  if (results.unavailable.length + results.failures.length > 0) out.push('')
  // The targets come last: on a terminal they are what stays on screen when the run ends.
  const targets = evaluateTargets(results.rows)
  out.push('Targets (Cortado ÷ lru-cache unless stated)')
  out.push(
    renderTextTable(
      ['issue', 'ratio', 'measured', 'target', 'status', 'floor ÷ lru-cache'],
      targets.map((t) => [`#${t.issue}`, t.label, targetValue(t), boundText(t), targetStatus(t), targetFloor(t)]),
      2,
    ),
  )
  return out.join('\n')
}
