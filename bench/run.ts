/**
 * `npm run bench`: every suite side by side with every peer, then the summary on stdout, the markdown
 * report and charts under bench/results (or --out), and the JSON with --json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { FlagError, USAGE, parseFlags, selects, type BenchFlags } from './harness/flags.js'
import { describeMachine } from './harness/machine.js'
import { Progress } from './harness/progress.js'
import { RESULTS_DIR } from './harness/project.js'
import type { Row, RunResults } from './harness/results.js'
import { planOps, runOps } from './harness/throughput.js'
import { PEERS, UnknownPeerError, displayName as nameOf, selectPeers } from './peers/index.js'
import { writeReport } from './report/write.js'
import { renderSummary } from './report/summary.js'
import { SUITES } from './suites/index.js'
import type { OpSuite, Suite, SuiteContext } from './suites/types.js'

/** A full run writes where docs/benchmarks.md looks; a partial one (quick, filtered, some peers) beside it. */
function outputDir(flags: BenchFlags): string {
  if (flags.out !== undefined) return resolve(flags.out)
  const partial = flags.quick || flags.filter.length > 0 || flags.peers.length > 0
  return partial ? join(RESULTS_DIR, 'partial') : RESULTS_DIR
}

async function main(argv: readonly string[]): Promise<number> {
  let flags: BenchFlags
  try {
    flags = parseFlags(argv)
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`)
      return 2
    }
    throw err
  }
  if (flags.help) {
    process.stdout.write(`${USAGE}\n\nSuites: ${SUITES.map((s) => s.id).join(', ')}\nPeers: ${PEERS.map((p) => p.id).join(', ')}\n`)
    return 0
  }
  const chosen = SUITES.filter((s) => selects(flags.filter, s.id))
  if (chosen.length === 0) {
    process.stderr.write(`--filter ${flags.filter.join(',')} matches no suite; suites: ${SUITES.map((s) => s.id).join(', ')}\n`)
    return 2
  }
  let selected: Awaited<ReturnType<typeof selectPeers>>
  try {
    selected = await selectPeers(flags.peers)
  } catch (err) {
    if (err instanceof UnknownPeerError) {
      process.stderr.write(`${err.message}\n`)
      return 2
    }
    throw err
  }

  const started = Date.now()
  // Stamped at the start: the commit and tree state the run measured, even if they change meanwhile.
  const machine = describeMachine(new Date(started))
  const rows: Row[] = []
  const opSuites = chosen.filter((s): s is OpSuite => s.kind === 'ops')
  const others = chosen.filter((s): s is Suite => s.kind === 'suite')
  const base = { quick: flags.quick, rounds: flags.rounds ?? (flags.quick ? 3 : 5), peers: selected.runnable }
  const progress = new Progress(planOps(opSuites, base) + others.reduce((n, s) => n + s.plan(base), 0))
  const ctx: SuiteContext = { ...base, progress, emit: (row) => rows.push(row) }
  for (const u of selected.unavailable) progress.log(`${nameOf(u.peer)} skipped: ${u.reason}`)

  const failures: RunResults['failures'] = []
  const attempt = async (id: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body()
    } catch (err) {
      failures.push({ suite: id, error: (err as Error).message?.split('\n')[0] ?? String(err) })
      progress.log(`suite ${id} failed: ${(err as Error).stack ?? String(err)}`)
    }
  }
  if (opSuites.length > 0) await attempt(opSuites.map((s) => s.id).join(', '), () => runOps(opSuites, ctx))
  for (const suite of others) await attempt(suite.id, () => suite.run(ctx))
  progress.finish()

  const results: RunResults = {
    schema: 1,
    machine,
    mode: flags.quick ? 'quick' : 'full',
    suites: chosen.map((s) => s.id),
    flags: [...argv],
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    peers: selected.runnable.map(({ id, name, version, bound, batch }) => ({ id, name, version, bound, batch })),
    unavailable: selected.unavailable,
    failures,
    rows,
  }
  process.stdout.write(`\n${renderSummary(results, nameOf)}\n`)
  const dir = outputDir(flags)
  const written = writeReport(results, dir, nameOf)
  process.stderr.write(`report: ${written.join(', ')}\n`)
  if (flags.json !== undefined) {
    const file = resolve(flags.json)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
    process.stderr.write(`results: ${file}\n`)
  }
  return failures.length > 0 ? 1 : 0
}

process.exitCode = await main(process.argv.slice(2))
