import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Row, RunResults } from '../../bench/harness/results.js'
import { displayName } from '../../bench/peers/index.js'
import { buildCharts, mergeIdentical, slug } from '../../bench/report/charts.js'
import { markdownTable, renderReport } from '../../bench/report/markdown.js'
import { cell, renderSummary } from '../../bench/report/summary.js'
import { evaluateTargets } from '../../bench/report/targets.js'
import { writeReport } from '../../bench/report/write.js'

function opsRow(suite: string, entries: number, lru: number, cortado: number): Row {
  return {
    suite,
    case: `${entries === 100_000 ? '100k' : '1M'} entries · string 100 B`,
    params: { entries, valueKind: 'string', valueBytes: 100 },
    metric: 'ops/s',
    better: 'higher',
    method: `${suite} measured somehow`,
    figures: [
      { peer: 'lru-cache', value: lru, samples: [lru, lru, lru] },
      { peer: 'cortado', value: cortado, samples: [cortado, cortado, cortado], note: 'a note' },
    ],
    skipped: [{ peer: 'map', reason: 'broken on purpose' }],
  }
}

function results(rows: Row[]): RunResults {
  return {
    schema: 1,
    machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, os: 'Linux', node: 'v20.0.0', v8: '11', cortado: '0.1.0 (abc)', date: '2025-01-02T03:04:05.000Z' },
    mode: 'quick',
    suites: ['get-hit'],
    flags: ['--quick'],
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 61_000,
    peers: [
      { id: 'lru-cache', name: 'lru-cache', version: '11', bound: 'max', batch: 'loop' },
      { id: 'cortado', name: 'Cortado', version: '0.1.0', bound: 'arena', batch: 'native' },
    ],
    unavailable: [],
    failures: [],
    rows,
  }
}

const memoryRow = (measure: string, entries: number, lru: number, cortado: number): Row => ({
  suite: 'memory',
  case: `${entries} entries`,
  params: { measure, entries },
  metric: measure === 'gc' ? 'ms' : 'bytes/entry',
  better: 'lower',
  method: 'child process',
  figures: [
    { peer: 'lru-cache', value: lru },
    { peer: 'cortado', value: cortado },
  ],
  skipped: [],
})

const hitRow = (size: number, lru: number, cortado: number, simLru: number): Row => ({
  suite: 'hit-ratio',
  case: `gli · ${size} entries`,
  params: { measure: 'gli', trace: 'gli', size, source: 'trace' },
  metric: '%',
  better: 'higher',
  method: 'replayed',
  figures: [
    { peer: 'lru-cache', value: lru },
    { peer: 'cortado', value: cortado },
    { peer: 'sim:lru', value: simLru },
  ],
  skipped: [],
})

describe('targets', () => {
  it('reads each ratio from the row it names and checks it against its bound', () => {
    const t = evaluateTargets([
      opsRow('get-hit', 100_000, 1_000_000, 1_200_000),
      opsRow('get-hit', 1_000_000, 1_000_000, 1_400_000),
      memoryRow('gc', 5_000_000, 500, 20),
    ])
    const byLabel = new Map(t.map((x) => [x.label, x]))
    expect(byLabel.get('get (hit), 100k entries')).toMatchObject({ ratio: 1.2, pass: true })
    expect(byLabel.get('get (hit), 1M entries')).toMatchObject({ pass: false })
    expect(byLabel.get('get (hit), 1M entries')!.ratio).toBeCloseTo(1.4)
    expect(byLabel.get('one full GC, 5M entries')).toMatchObject({ ratio: 0.04, pass: true })
    expect(byLabel.get('set with eviction at capacity, 100k')).toMatchObject({ pass: undefined, missing: 'not measured in this run' })
  })

  it('compares across rows when the target says so (2 threads ÷ 1 thread)', () => {
    const row = (threads: number, ops: number): Row => ({
      suite: 'workers', case: `${threads}`, params: { measure: 'ops', threads }, metric: 'ops/s', better: 'higher', method: '',
      figures: [{ peer: 'cortado', value: ops }], skipped: [],
    })
    const t = evaluateTargets([row(1, 100), row(2, 170)]).find((x) => x.suite === 'workers')!
    expect(t.ratio).toBeCloseTo(1.7)
    expect(t.pass).toBe(true)
  })

  it('says why a ratio is missing when a peer was skipped', () => {
    const row = opsRow('get-hit', 100_000, 1, 1)
    row.figures = row.figures.filter((f) => f.peer !== 'cortado')
    row.skipped = [{ peer: 'cortado', reason: 'not built' }]
    expect(evaluateTargets([row])[0]!.missing).toBe('cortado skipped: not built')
  })
})

describe('floors beside targets', () => {
  const serviceRow = (measure: string, lru: number, cortado: number, floor: number): Row => ({
    suite: 'service', case: '5M entries', params: { entries: 5_000_000, measure }, metric: measure === 'gc' ? 'ms' : 'bytes', better: 'lower', method: 'served',
    figures: [{ peer: 'lru-cache', value: lru }, { peer: 'cortado', value: cortado }, { peer: 'floor', value: floor }], skipped: [],
  })
  const rows = [serviceRow('gc', 1000, 210, 180), serviceRow('rss', 1000, 670, 480)]

  it("reads the floor from the target's own row: a target the floor misses says so", () => {
    const t = new Map(evaluateTargets(rows).map((x) => [x.label, x]))
    const gc = t.get('HTTP service, 5M entries: total GC pause')!
    expect(gc).toMatchObject({ pass: false })
    expect(gc.floorRatio).toBeCloseTo(0.18)
    expect(t.get('HTTP service, 5M entries: RSS')!.floorRatio).toBeCloseTo(0.48)
    // Targets without a floor, or whose row has none, carry no floor ratio.
    expect(t.get('HTTP service, 5M entries: requests/s')!.floorRatio).toBeUndefined()
    expect(t.get('one full GC, 5M entries')!.floorRatio).toBeUndefined()
  })

  it('the summary and the report print the floor ratio and whether any cache can reach the target', () => {
    const summary = renderSummary(results(rows), displayName)
    expect(summary).toMatch(/total GC pause .*0\.21× .*NOT MET +0\.18× \(the floor misses it too\)/)
    expect(summary).toMatch(/RSS .*0\.67× .*NOT MET +0\.48× \(reachable\)/)
    const report = renderReport(results(rows), [], displayName)
    expect(report).toContain('| floor ÷ lru-cache |')
    expect(report).toMatch(/total GC pause \(Cortado ÷ lru-cache\) \| 0\.21× \| ≤ 0\.1× \| NOT MET \| 0\.18× \(the floor misses it too\) \|/)
    expect(report).toContain('floor (zero-overhead store)')
  })

  it("issue 19's get rows read the front floor, ÷ lru-cache or ÷ Cortado as the target is", () => {
    const getRow = (suite: string, entries: number, lru: number, cortado: number, front: number, floor: number): Row => ({
      suite, case: `${entries}`, params: { entries, valueKind: 'string', valueBytes: 100 }, metric: 'ops/s', better: 'higher', method: 'timed',
      figures: [{ peer: 'lru-cache', value: lru }, { peer: 'cortado', value: cortado }, { peer: 'cortado-front', value: front }, { peer: 'front-floor', value: floor }], skipped: [],
    })
    const t = new Map(evaluateTargets([getRow('get-zipf', 100_000, 1000, 700, 810, 1500), getRow('get-hit', 1_000_000, 1000, 800, 830, 850)]).map((x) => [x.label, x]))
    expect(t.get('front: Zipf gets, 100k entries')!.floorRatio).toBeCloseTo(1.5)
    expect(t.get('front: get (hit), 1M entries')!.floorRatio).toBeCloseTo(0.85)
    expect(t.get('front: uniform gets, 1M ÷ no front')!.floorRatio).toBeCloseTo(850 / 800)
    // Where Cortado without a front is faster than the floor's Map, a front standing aside is the floor.
    const built = evaluateTargets([getRow('get-built-key', 1_000_000, 1000, 800, 790, 550)]).find((x) => x.label === 'front: key built per call, 1M ÷ no front')!
    expect(built.floorRatio).toBe(1)
    const report = renderReport(results([getRow('get-zipf', 100_000, 1000, 700, 810, 1500), getRow('get-hit', 1_000_000, 1000, 800, 830, 850)]), [], displayName)
    expect(report).toMatch(/front: Zipf gets, 100k entries \(Cortado \+ front ÷ lru-cache\) \| 0\.81× \| ≥ 1\.2× \| NOT MET \| 1\.50× \(reachable\) \|/)
    expect(report).toMatch(/front: get \(hit\), 1M entries \(Cortado \+ front ÷ lru-cache\) \| 0\.83× \| ≥ 1\.2× \| NOT MET \| 0\.85× \(the floor misses it too\) \|/)
    expect(report).toContain("On issue 19's rows the floor is the front floor")
    expect(report).not.toContain('floor (zero-overhead store)')
  })
})

describe('summary and markdown', () => {
  const rows = [opsRow('get-hit', 100_000, 1_000_000, 1_500_000), opsRow('set-evict', 100_000, 400_000, 200_000), memoryRow('rss', 1_000_000, 270, 150), hitRow(250, 1, 10, 1), hitRow(500, 2, 20, 2)]

  it('cells show the figure and its ratio to lru-cache, percentages without a ratio', () => {
    expect(cell(rows[0]!, 'cortado')).toBe('1.5M 1.50×')
    expect(cell(rows[0]!, 'lru-cache')).toBe('1M')
    expect(cell(rows[0]!, 'map')).toBe('skipped')
    expect(cell(rows[2]!, 'cortado')).toBe('150 B 0.56×')
    expect(cell(rows[3]!, 'cortado')).toBe('10.00%')
  })

  it('the terminal summary ends with the targets (what stays on screen) and says how each table was measured', () => {
    const text = renderSummary(results(rows), displayName)
    expect(text.indexOf('Targets')).toBeGreaterThan(text.lastIndexOf('measured:'))
    expect(text).toMatch(/get \(hit\), 100k entries\s+1\.50×\s+≥ 1×\s+met/)
    expect(text).toMatch(/set with eviction at capacity, 100k\s+0\.50×\s+≥ 1×\s+NOT MET/)
    expect(text).toContain('measured: get-hit measured somehow')
    expect(text).toContain('Cortado: a note')
    expect(text).toContain('Map (FIFO) skipped: broken on purpose')
    expect(text).toContain('Test CPU, 2 cores')
  })

  it('the report is stamped, links its charts and cites the traces it shows', () => {
    const r = results(rows)
    const charts = buildCharts(r, displayName)
    const md = renderReport(r, charts, displayName)
    expect(md).toContain('Test CPU, 2 cores, 8 GiB · Linux · Node v20.0.0 · Cortado 0.1.0 (abc) · 2025-01-02')
    expect(md).toContain('`npm run bench -- --quick` (quick run, 1m01s)')
    expect(md).toContain('![Throughput, 100k entries · string 100 B](throughput-100k-string-100b.svg)')
    expect(md).toContain('![Hit ratio, gli](hit-ratio-gli.svg)')
    expect(md).toContain('Megiddo and D. S. Modha')
    expect(md).toContain('| 100k entries · string 100 B | 1M | 1.5M 1.50× | skipped |')
    expect(md).toContain('- How measured: get-hit measured somehow.')
  })

  it('a suite that failed is said in the summary and the report', () => {
    const r = { ...results(rows), failures: [{ suite: 'workers', error: 'boom' }] }
    expect(renderSummary(r, displayName)).toContain('suite workers FAILED (no figures): boom')
    expect(renderReport(r, [], displayName)).toContain('Suite `workers` failed in this run and has no figures: boom')
  })

  it('markdown tables escape pipes and right-align figure columns', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n| --- | ---: |\n| x\\|y | 1 |')
  })
})

describe('charts', () => {
  it('one throughput chart per configuration, one hit-ratio chart per trace, memory charts', () => {
    const charts = buildCharts(
      results([opsRow('get-hit', 100_000, 1, 2), opsRow('set-evict', 100_000, 1, 2), opsRow('get-hit', 1_000_000, 1, 2), memoryRow('rss', 1_000_000, 2, 1), memoryRow('gc', 1_000_000, 2, 1), hitRow(250, 1, 2, 1)]),
      displayName,
    )
    expect(charts.map((c) => c.file)).toEqual([
      'throughput-100k-string-100b.svg', 'throughput-1m-string-100b.svg', 'memory-per-entry.svg', 'memory-gc.svg', 'hit-ratio-gli.svg',
    ])
    expect(charts[0]!.svg).toContain('Test CPU, 2 cores · Node v20.0.0')
  })

  it('identical lines are merged and named together', () => {
    const merged = mergeIdentical([
      { name: 'lru-cache', color: 'a', points: [[1, 10], [2, 20]] },
      { name: 'Cortado', color: 'b', points: [[1, 12], [2, 20]] },
      { name: 'lru (sim)', color: 'c', dashed: true, points: [[1, 10], [2, 20]] },
    ])
    expect(merged.map((s) => s.name)).toEqual(['lru-cache = lru (sim)', 'Cortado'])
  })

  it('slugs are file-name safe', () => {
    expect(slug('100k entries · buffer 4 KiB')).toBe('100k-buffer-4kib')
    expect(slug('zipf-0.99')).toBe('zipf-0.99')
  })

  it('writes the report and charts, and removes charts a previous run left behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cortado-report-'))
    writeFileSync(join(dir, 'throughput-old.svg'), '<svg/>')
    writeFileSync(join(dir, 'keep-me.svg'), '<svg/>')
    writeReport(results([opsRow('get-hit', 100_000, 1, 2)]), dir, displayName)
    expect(readdirSync(dir).sort()).toEqual(['REPORT.md', 'keep-me.svg', 'throughput-100k-string-100b.svg'])
    expect(readFileSync(join(dir, 'REPORT.md'), 'utf8')).toContain('# Cortado benchmark report')
  })
})
