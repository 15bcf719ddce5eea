import { bestAnchor } from './anchors.js'
import type { SimResult } from './simulate.js'

const pct = (x: number): string => x.toFixed(2)
const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2)

/** Hit ratios in percent by policy then size, for one trace. */
export type Grid = Map<string, Map<number, number>>

export function gridOf(results: SimResult[], trace: string): Grid {
  const g: Grid = new Map()
  for (const r of results) {
    if (r.trace !== trace) continue
    let bySize = g.get(r.policy)
    if (bySize === undefined) g.set(r.policy, (bySize = new Map()))
    bySize.set(r.size, r.hitRatio * 100)
  }
  return g
}

/**
 * One trace's markdown table: LRU, the policies run, OPT; then, when the anchors file has the trace,
 * its other columns (marked *) and the first policy's distance to the best anchor and to OPT.
 */
export function traceTable(
  trace: string,
  sizes: number[],
  policies: string[],
  grid: Grid,
  anchors: Map<number, Record<string, number>> | undefined,
): string {
  const main = policies[0]!
  const anchorCols = anchors === undefined ? [] : Object.keys(anchors.values().next().value ?? {}).filter((c) => c !== 'lru' && c !== 'opt')
  const head = ['size', 'lru', ...policies, 'opt', ...anchorCols.map((c) => `${c}*`)]
  if (anchors !== undefined) head.push('best anchor', `${main} − best`)
  else if (policies.length > 1) head.push('best other', `${main} − best other`)
  head.push(`opt − ${main}`)
  const lines = [`### ${trace}`, '', `| ${head.join(' | ')} |`, `|${head.map(() => '---:').join('|')}|`]
  for (const size of sizes) {
    const v = (p: string): number | undefined => grid.get(p)?.get(size)
    const cells = [String(size), fmt(v('lru'))]
    for (const p of policies) cells.push(fmt(v(p)))
    cells.push(fmt(v('opt')))
    const row = anchors?.get(size)
    for (const c of anchorCols) cells.push(row?.[c] === undefined ? '' : pct(row[c]!))
    const m = v(main)
    if (anchors !== undefined) {
      if (row !== undefined && m !== undefined) {
        const b = bestAnchor(row)
        cells.push(`${pct(b.hitRatio)} (${b.policy})`, signed(m - b.hitRatio))
      } else cells.push('', '')
    } else if (policies.length > 1) {
      let best = -Infinity
      let who = ''
      for (const p of policies.slice(1)) {
        const x = v(p)
        if (x !== undefined && x > best) [best, who] = [x, p]
      }
      cells.push(who === '' ? '' : `${pct(best)} (${who})`, who === '' || m === undefined ? '' : signed(m - best))
    }
    const o = v('opt')
    cells.push(o === undefined || m === undefined ? '' : pct(o - m))
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

export interface TargetRow {
  trace: string
  size: number
  policy: number
  lru: number
  best: number
  opt: number
}

/** The targets over the anchored rows, for the first policy. */
export function targetSummary(policy: string, rows: TargetRow[]): string {
  if (rows.length === 0) return ''
  const dBest = rows.map((r) => r.policy - r.best)
  const dLru = rows.map((r) => r.policy - r.lru)
  const dOpt = rows.map((r) => r.opt - r.policy)
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length
  const worst = rows[dBest.indexOf(Math.min(...dBest))]!
  const worstLru = rows[dLru.indexOf(Math.min(...dLru))]!
  return [
    `### Targets (${policy}, ${rows.length} anchored rows)`,
    '',
    '| target | value | holds |',
    '|---|---:|:---:|',
    `| every row ≥ LRU − 0.5 (worst: ${worstLru.trace} ${worstLru.size}) | ${signed(Math.min(...dLru))} | ${Math.min(...dLru) >= -0.5 ? 'yes' : 'no'} |`,
    `| mean(${policy} − best anchor) ≥ −1.5 | ${signed(mean(dBest))} | ${mean(dBest) >= -1.5 ? 'yes' : 'no'} |`,
    `| goal: every row ≥ best anchor − 1.0 (worst: ${worst.trace} ${worst.size}) | ${signed(Math.min(...dBest))} | ${Math.min(...dBest) >= -1 ? 'yes' : 'no'} |`,
    `| rows at or above the best anchor | ${dBest.filter((d) => d >= 0).length} / ${rows.length} | |`,
    `| mean distance to OPT | ${pct(mean(dOpt))} | |`,
  ].join('\n')
}

/** Mean distance to OPT of each anchor column over the same rows, to rank the policy among them. */
export function anchorOptDistances(rows: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  if (rows.length === 0) return out
  for (const col of Object.keys(rows[0]!)) {
    if (col === 'opt') continue
    out[col] = rows.reduce((s, r) => s + (r.opt! - r[col]!), 0) / rows.length
  }
  return out
}

function fmt(x: number | undefined): string {
  return x === undefined ? '' : pct(x)
}

export interface RecencyRow {
  family: string
  size: number
  /** Hit ratio in percent by policy (LRU included). */
  byPolicy: Map<string, number>
}

/**
 * The recency families' table: one row per family and size, LRU and each policy, and the first
 * policy's gap to LRU (issue 18's goal: ≥ −1 point everywhere). Ends with the worst gap.
 */
export function recencyTable(policies: string[], rows: RecencyRow[]): string {
  const main = policies[0]!
  const head = ['family', 'size', 'lru', ...policies, `${main} − lru`]
  const lines = ['### recency families', '', `| ${head.join(' | ')} |`, `|---|${head.slice(1).map(() => '---:').join('|')}|`]
  let worst = Infinity
  let worstRow = ''
  for (const r of rows) {
    const lru = r.byPolicy.get('lru')
    const m = r.byPolicy.get(main)
    const gap = lru === undefined || m === undefined ? undefined : m - lru
    if (gap !== undefined && gap < worst) [worst, worstRow] = [gap, `${r.family} at ${r.size}`]
    lines.push(`| ${[r.family, String(r.size), fmt(lru), ...policies.map((p) => fmt(r.byPolicy.get(p))), gap === undefined ? '' : signed(gap)].join(' | ')} |`)
  }
  if (worstRow !== '') lines.push('', `Worst ${main} − lru: ${signed(worst)} (${worstRow}); goal ≥ −1.00.`)
  return lines.join('\n')
}
