/** Writes the report and its charts, replacing the charts an earlier run left in the same folder. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResults } from '../harness/results.js'
import { buildCharts } from './charts.js'
import { renderReport } from './markdown.js'

export const REPORT_FILE = 'REPORT.md'
/** Files this module owns in the output folder (and only those are ever deleted). */
const OWN_CHART = /^(throughput|memory|hit-ratio|service|service-pool)-[a-z0-9.-]+\.svg$/

export function writeReport(results: RunResults, dir: string, nameOf: (id: string) => string): string[] {
  mkdirSync(dir, { recursive: true })
  const charts = buildCharts(results, nameOf)
  for (const f of readdirSync(dir)) if (OWN_CHART.test(f) && !charts.some((c) => c.file === f)) rmSync(join(dir, f))
  const written: string[] = []
  for (const c of charts) {
    writeFileSync(join(dir, c.file), `${c.svg}\n`)
    written.push(join(dir, c.file))
  }
  writeFileSync(join(dir, REPORT_FILE), renderReport(results, charts, nameOf))
  written.unshift(join(dir, REPORT_FILE))
  return written
}
