import { existsSync, readFileSync } from 'node:fs'

/** trace name → size → column (lru, arc, ..., opt) → hit ratio in percent. */
export type Anchors = Map<string, Map<number, Record<string, number>>>

/**
 * Reads the anchors file's markdown tables (`## NAME (...)` then `| size | col | ... |` rows).
 * The numbers stay in that file; the simulator only compares against them when it is present.
 */
export function readAnchors(path: string): Anchors {
  const out: Anchors = new Map()
  if (!existsSync(path)) return out
  let trace: string | undefined
  let columns: string[] = []
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim()
    const heading = /^##\s+(\S+)/.exec(line)
    if (heading) {
      trace = heading[1]
      columns = []
      continue
    }
    if (trace === undefined || !line.startsWith('|')) continue
    const cells = line.split('|').slice(1, -1).map((c) => c.trim())
    if (cells[0] === 'size') {
      columns = cells
      continue
    }
    const size = Number(cells[0])
    if (columns.length === 0 || !Number.isFinite(size) || cells[0] === '') continue
    const row: Record<string, number> = {}
    for (let i = 1; i < cells.length; i++) row[columns[i]!] = Number(cells[i])
    let bySize = out.get(trace)
    if (bySize === undefined) out.set(trace, (bySize = new Map()))
    bySize.set(size, row)
  }
  return out
}

/** The best anchor of a row, the OPT column excluded (it is a bound, not a policy). */
export function bestAnchor(row: Record<string, number>): { policy: string; hitRatio: number } {
  let best = { policy: '', hitRatio: -Infinity }
  for (const [policy, v] of Object.entries(row)) if (policy !== 'opt' && v > best.hitRatio) best = { policy, hitRatio: v }
  return best
}
