/**
 * The native engine's speed, measured side by side (npx tsx bench/native/run.ts [--quick] [--rounds n]
 * [--round-ms ms] [--only engines|shared] [--json file]):
 *
 * 1. Native vs WebAssembly engine: single get and set, getMany/setMany of 64. Each engine runs in a
 *    process of its own (a call site that has seen both engines' objects is polymorphic, which slows
 *    both, and a service uses one engine), and the processes take turns: alternating rounds, medians,
 *    and the median of the per-round ratios.
 * 2. Two processes sharing one cache: two processes on one native cache in /dev/shm vs two ioredis
 *    clients (each a pipeline() of 64 requests in flight) on a redis-server on loopback
 *    (--save '' --appendonly no), same workload (Zipf 0.99 over 100k keys, 10% sets, 100-byte values).
 *    The two processes of a side run at the same time; the sides take turns.
 *
 * Targets (issue 7): single ≥ 0.8×, batches ≥ 1.0×, shared cache ≥ 50× Redis.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { median, relativeSpread } from '../harness/stats.js'
import { redisServerOnPath, redisServerVersion } from '../peers/redis.js'
import { TestServer } from '../../test/helpers/servers.js'
import { nativeAddon, nativeUnavailableReason } from '../../src/engine/native/load.js'
import type { RoundReply } from './rounds.js'

const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(name)
const value = (name: string) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}
const quick = flag('--quick')
const ROUNDS = Number(value('--rounds') ?? (quick ? 5 : 9))
const ROUND_MS = Number(value('--round-ms') ?? (quick ? 300 : 600))

const TARGETS: Record<string, number> = { get: 0.8, set: 0.8, getMany: 1.0, setMany: 1.0, shared: 50 }

function spawn(file: string, args: unknown): ChildProcess {
  return fork(new URL(file, import.meta.url), [JSON.stringify(args)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

function reply<T>(child: ChildProcess, pick: (m: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (!pick(m)) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(m)
    }
    const onExit = (code: number | null) => reject(new Error(`a benchmark child exited (${code})`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

const ready = (c: ChildProcess) => reply<{ ready?: boolean }>(c, (m) => m.ready === true)

async function round(c: ChildProcess, suite: string): Promise<number> {
  const wait = reply<RoundReply>(c, (m) => typeof (m as RoundReply).ops === 'number')
  c.send({ suite, ms: ROUND_MS })
  const r = await wait
  return (r.ops * 1e9) / r.ns
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map(async (c) => {
    if (c.exitCode !== null) return
    const gone = new Promise((r) => c.once('exit', r))
    c.send({ stop: true })
    await gone
  }))
}

interface Row { suite: string; base: number; native: number; ratio: number; spread: number; target: number }

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`)

/** Alternating rounds of two contenders; each contender is a function running one round (ops/s). */
async function alternate(a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number[]; b: number[]; ratios: number[] }> {
  await a()
  await b()
  const out = { a: [] as number[], b: [] as number[], ratios: [] as number[] }
  for (let r = 0; r < ROUNDS; r++) {
    let x: number
    let y: number
    if (r % 2 === 0) {
      x = await a()
      y = await b()
    } else {
      y = await b()
      x = await a()
    }
    out.a.push(x)
    out.b.push(y)
    out.ratios.push(y / x)
  }
  return out
}

async function engines(): Promise<Row[]> {
  const wasm = spawn('./engine-child.ts', { engine: 'wasm', prefill: true })
  const native = spawn('./engine-child.ts', { engine: 'native', prefill: true })
  await Promise.all([ready(wasm), ready(native)])
  const rows: Row[] = []
  try {
    for (const suite of ['get', 'set', 'getMany', 'setMany']) {
      const r = await alternate(() => round(wasm, suite), () => round(native, suite))
      rows.push({ suite, base: median(r.a), native: median(r.b), ratio: median(r.ratios), spread: relativeSpread(r.ratios), target: TARGETS[suite]! })
    }
  } finally {
    await stop([wasm, native])
  }
  return rows
}

async function shared(): Promise<Row[] | string> {
  if (!redisServerOnPath()) return 'skipped: redis-server is not installed'
  const server = await TestServer.start('redis')
  const path = `/dev/shm/cortado-bench-${process.pid}`
  const children: ChildProcess[] = []
  try {
    const first = spawn('./engine-child.ts', { engine: 'native', path, prefill: true })
    children.push(first)
    await ready(first)
    const second = spawn('./engine-child.ts', { engine: 'native', path, prefill: false })
    const redisFirst = spawn('./redis-child.ts', { port: server.port, prefill: true })
    children.push(second, redisFirst)
    await Promise.all([ready(second), ready(redisFirst)])
    const redisSecond = spawn('./redis-child.ts', { port: server.port, prefill: false })
    children.push(redisSecond)
    await ready(redisSecond)
    const both = async (pair: ChildProcess[], suite: string) => (await Promise.all(pair.map((c) => round(c, suite)))).reduce((s, x) => s + x, 0)
    const rows: Row[] = []
    for (const suite of ['mixed', 'mixedMany']) {
      const r = await alternate(() => both([redisFirst, redisSecond], 'mixed'), () => both([first, second], suite))
      rows.push({ suite, base: median(r.a), native: median(r.b), ratio: median(r.ratios), spread: relativeSpread(r.ratios), target: TARGETS.shared! })
    }
    return rows
  } finally {
    await stop(children)
    await server.stop()
    rmSync(path, { force: true })
  }
}

if (!nativeAddon()) {
  console.log(`bench/native: the native engine is not available (${nativeUnavailableReason()})`)
  process.exit(0)
}
console.log(`bench/native: ${ROUNDS} alternating rounds of ${ROUND_MS} ms per measurement, medians (node ${process.version})\n`)
const only = value('--only')
const rows = only === 'shared' ? [] : await engines()
if (rows.length > 0) {
  console.log('Native engine ÷ WebAssembly engine, one process each (ops/s):')
  console.log('suite      wasm       native     ratio    spread  target')
  for (const r of rows)
    console.log(`${r.suite.padEnd(10)} ${fmt(r.base).padEnd(10)} ${fmt(r.native).padEnd(10)} ${r.ratio.toFixed(2).padStart(5)}×  ±${(r.spread * 50).toFixed(0).padStart(2)}%    ≥ ${r.target}× ${r.ratio >= r.target ? 'ok' : 'MISSED'}`)
}
const sharedRows: Row[] | string = only === 'engines' ? 'skipped (--only engines)' : await shared()
console.log(`\nTwo processes sharing one cache: Cortado native (/dev/shm) ÷ Redis ${redisServerOnPath() ? redisServerVersion() : ''} on loopback (two ioredis clients, pipelines of 64 in flight):`)
if (typeof sharedRows === 'string') console.log(`  ${sharedRows}`)
else
  for (const r of sharedRows)
    console.log(`  ${r.suite === 'mixed' ? 'single get/set calls' : 'getMany/setMany of 64'}: Cortado ${fmt(r.native)} ops/s, Redis ${fmt(r.base)} ops/s: ${r.ratio.toFixed(0)}× (±${(r.spread * 50).toFixed(0)}%), target ≥ ${r.target}× ${r.ratio >= r.target ? 'ok' : 'MISSED'}`)
const json = value('--json')
if (json) writeFileSync(json, JSON.stringify({ rounds: ROUNDS, roundMs: ROUND_MS, node: process.version, engines: rows, shared: sharedRows }, null, 1))
