/**
 * Trace-driven hit-ratio simulator.
 *
 *   npm run sim -- [--trace FILE[,FILE…]] [--format arc|lirs] [--sizes N,N…]
 *                  [--policy cortado|cortado-front|clock|model|model-engine|lru|opt|arc|s3fifo|wtinylfu|adaptive|all[,…]]
 *                  [--workloads] [--recency] [--family TEXT[,TEXT…]] [--quick] [--shards N] [--seed N] [--json]
 *
 * Prints one JSON line per (trace, policy, size) — {"trace","policy","size","requests","hits","hitRatio"} —
 * then a markdown table per trace with LRU and OPT always beside the chosen policies, and, for traces
 * of the anchors file (../shared/design/hit-ratio-anchors.md), its columns and the issue's targets.
 * Without --trace it runs every trace in ../shared/traces (when that folder exists) at the anchors'
 * sizes. `cortado` drives the real Cache from src/index.ts; `model` is the pure-TS model of its policy;
 * `model-engine` the model with the engines' sketch and ghost structures and the real cache's default
 * shard count (or --shards), the configuration to compare the model with `cortado` under (stop 43);
 * `clock` the real Cache with `policy: 'clock'`. `--recency` runs the recency families (issue 18:
 * write-then-read-soon, phases, moving Zipf; bench/workloads/recency-suite.ts) at 10k and 100k entries
 * (or --sizes), each trace built for its capacity, with the policies that can replay writes; `--family`
 * keeps the families whose name contains one of the given texts (`--family "20 keys/entry"`: the moving Zipf rows).
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recencyWorkloads } from '../workloads/recency-suite.js'
import { generatedWorkloads } from '../workloads/suite.js'
import type { Trace } from '../workloads/trace.js'
import { bestAnchor, readAnchors } from './anchors.js'
import { loadRealCache, RealCachePolicy, REAL_VARIANTS, realShardCount } from './policies/cortado.js'
import { CortadoModel } from './model/cortado.js'
import { ENGINE_STRUCTURES } from './model/tuning.js'
import { handlesOps, type Policy } from './policy.js'
import { ALL, SIMULATED, type SimOptions } from './registry.js'
import { anchorOptDistances, gridOf, recencyTable, targetSummary, traceTable, type RecencyRow, type TargetRow } from './report.js'
import { simulate, type SimResult } from './simulate.js'
import { formatOf, readTrace, traceName, type TraceFormat } from './traces/read.js'
import type { Tuning } from './model/tuning.js'
import { parseTuningList } from './tuning-args.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TRACE_DIR = join(ROOT, '..', 'shared', 'traces')
const ANCHORS = join(ROOT, '..', 'shared', 'design', 'hit-ratio-anchors.md')

interface Args {
  traces: string[]
  format?: TraceFormat
  sizes?: number[]
  policies?: string[]
  workloads: boolean
  recency: boolean
  /** Recency families to run, by part of their name (all when empty). */
  families: string[]
  quick: boolean
  /** --shards: the model's shards (1 when absent; model-engine then takes the real cache's count). */
  shards: number | undefined
  seed: number
  json: boolean
  /** Overrides of the model's constants (`model` policy only), e.g. ghostFactor=0.5. */
  tuning: Partial<Tuning>
}

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: npm run sim -- [--trace FILE[,FILE…]] [--format arc|lirs] [--sizes N,N…] [--policy P[,P…]|all] [--workloads] [--recency] [--family TEXT[,TEXT…]] [--quick] [--shards N] [--seed N] [--tune NAME=VALUE[,…]] [--json]\n`)
  process.exit(2)
}

function parseArgs(argv: string[]): Args {
  const a: Args = { traces: [], workloads: false, recency: false, families: [], quick: false, shards: undefined, seed: 0x2545f491, json: false, tuning: {} }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) usage(`${flag} needs a value`)
      return v
    }
    const ints = (s: string): number[] =>
      s.split(',').map((x) => {
        const n = Number(x)
        if (!Number.isInteger(n) || n <= 0) usage(`not a positive integer: ${x}`)
        return n
      })
    switch (flag) {
      case '--trace':
        a.traces.push(...value().split(','))
        break
      case '--format': {
        const f = value()
        if (f !== 'arc' && f !== 'lirs') usage(`unknown format ${f}`)
        a.format = f
        break
      }
      case '--sizes':
        a.sizes = ints(value())
        break
      case '--policy':
        a.policies = value().split(',')
        break
      case '--workloads':
        a.workloads = true
        break
      case '--recency':
        a.recency = true
        break
      case '--family':
        a.families.push(...value().split(','))
        break
      case '--quick':
        a.quick = true
        break
      case '--shards':
        a.shards = ints(value())[0]!
        break
      case '--seed':
        a.seed = ints(value())[0]!
        break
      case '--json':
        a.json = true
        break
      case '--tune':
        try {
          Object.assign(a.tuning, parseTuningList(value()))
        } catch (err) {
          usage((err as Error).message)
        }
        break
      default:
        usage(`unknown argument ${flag}`)
    }
  }
  return a
}

interface Job {
  name: string
  load: () => Promise<Trace> | Trace
  sizes: number[]
}

/** Sizes for a trace the anchors don't know: 1%, 5%, 10% and 25% of its distinct keys. */
function defaultSizes(trace: Trace): number[] {
  return [0.01, 0.05, 0.1, 0.25].map((f) => Math.max(10, Math.round(trace.universe * f)))
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const anchors = readAnchors(ANCHORS)
  const jobs: Job[] = []
  let files = args.traces
  if (files.length === 0 && !args.workloads && !args.recency) {
    if (!existsSync(TRACE_DIR)) usage(`no --trace given and ${TRACE_DIR} does not exist (try --workloads)`)
    files = readdirSync(TRACE_DIR)
      .filter((f) => formatOf(f) !== undefined)
      .sort()
      .map((f) => join(TRACE_DIR, f))
  }
  for (const file of files) {
    const known = anchors.get(traceName(file))
    jobs.push({ name: traceName(file), load: () => readTrace(file, args.format), sizes: args.sizes ?? (known ? [...known.keys()] : []) })
  }
  if (args.workloads) {
    for (const w of generatedWorkloads(42, args.quick ? 0.1 : 1)) jobs.push({ name: w.name, load: w.make, sizes: args.sizes ?? w.sizes })
  }

  const Cache = await loadRealCache().catch((err: Error) => {
    process.stderr.write(`note: the real Cache could not be loaded (${err.message}); showing the model\n`)
    return undefined
  })
  let policies = args.policies ?? [Cache !== undefined ? 'cortado' : 'model']
  if (policies.includes('all')) policies = [...new Set(policies.flatMap((p) => (p === 'all' ? ALL : [p])))]
  if (Cache === undefined && policies.includes('cortado')) {
    if (args.policies !== undefined && !args.policies.includes('all')) usage('--policy cortado: the real Cache (src/index.ts) could not be loaded; build it or use --policy model')
    policies = policies.filter((p) => p !== 'cortado')
  }
  for (const p of policies) if (!(p in REAL_VARIANTS) && !(p in SIMULATED) && p !== 'model-engine') usage(`unknown policy ${p}`)
  for (const p of Object.keys(REAL_VARIANTS))
    if (p !== 'cortado' && Cache === undefined && policies.includes(p)) usage(`--policy ${p}: the real Cache (src/index.ts) could not be loaded`)
  policies = policies.filter((p) => p !== 'lru' && p !== 'opt')
  if (policies.length === 0) policies = ['lru']

  const opts: SimOptions = { shards: args.shards ?? 1, seed: args.seed, tuning: args.tuning }
  const make = (name: string, size: number, trace: Trace): Policy =>
    name in REAL_VARIANTS
      ? new RealCachePolicy(Cache!, size, trace, args.seed, REAL_VARIANTS[name])
      : name === 'model-engine'
        ? new CortadoModel(size, trace, { shards: args.shards ?? realShardCount(size), seed: args.seed, tuning: { ...ENGINE_STRUCTURES, ...args.tuning } })
        : SIMULATED[name]!(size, trace, opts)
  const results: SimResult[] = []
  const tables: string[] = []
  const targetRows: TargetRow[] = []
  const anchorRows: Record<string, number>[] = []
  for (const job of jobs) {
    const trace = await job.load()
    const sizes = job.sizes.length > 0 ? job.sizes : defaultSizes(trace)
    for (const size of sizes) {
      for (const name of ['lru', ...policies, 'opt']) {
        const policy = make(name, size, trace)
        const r = simulate(trace, name, size, policy)
        ;(policy as { close?: () => void }).close?.()
        const out = { ...r, trace: job.name }
        results.push(out)
        process.stdout.write(
          `${JSON.stringify({ trace: out.trace, policy: name, size, requests: r.requests, hits: r.hits, hitRatio: Number(r.hitRatio.toFixed(6)) })}\n`,
        )
      }
    }
    const known = anchors.get(job.name)
    const grid = gridOf(results, job.name)
    tables.push(traceTable(job.name, sizes, policies, grid, known))
    if (known !== undefined) {
      for (const size of sizes) {
        const row = known.get(size)
        const v = grid.get(policies[0]!)?.get(size)
        if (row === undefined || v === undefined) continue
        anchorRows.push(row)
        targetRows.push({ trace: job.name, size, policy: v, lru: row.lru!, best: bestAnchor(row).hitRatio, opt: row.opt! })
      }
    }
  }
  const recencyRows: RecencyRow[] = []
  if (args.recency) {
    for (const w of recencyWorkloads(42, args.quick ? 0.1 : 1)) {
      if (args.families.length > 0 && !args.families.some((f) => w.name.includes(f))) continue
      for (const size of args.sizes ?? [10_000, 100_000]) {
        const trace = w.make(size)
        const row: RecencyRow = { family: w.name, size, byPolicy: new Map() }
        for (const name of ['lru', ...policies]) {
          const policy = make(name, size, trace)
          // Only traces with writes (write-then-read) need read/write; the cache-aside families (moving
          // Zipf) are plain accesses that every peer replays.
          if (trace.ops !== undefined && !handlesOps(policy)) {
            ;(policy as { close?: () => void }).close?.()
            continue
          }
          const r = simulate(trace, name, size, policy)
          ;(policy as { close?: () => void }).close?.()
          row.byPolicy.set(name, r.hitRatio * 100)
          process.stdout.write(`${JSON.stringify({ trace: w.name, policy: name, size, requests: r.requests, hits: r.hits, hitRatio: Number(r.hitRatio.toFixed(6)) })}\n`)
        }
        recencyRows.push(row)
      }
    }
  }
  if (args.json) return
  process.stdout.write(`\n${tables.join('\n\n')}\n`)
  if (recencyRows.length > 0) process.stdout.write(`\n${recencyTable(policies, recencyRows)}\n`)
  if (targetRows.length > 0) {
    process.stdout.write(`\n${targetSummary(policies[0]!, targetRows)}\n`)
    const d = anchorOptDistances(anchorRows)
    process.stdout.write(
      `\nMean distance to OPT of the anchors' columns on the same rows: ${Object.entries(d)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}\n`,
    )
  }
  process.stdout.write('\n* from the anchors file. Traces: OLTP and P3 from the ARC paper (Megiddo & Modha, FAST 2003); gli from the LIRS paper (Jiang & Zhang, SIGMETRICS 2002).\n')
}

await main()
