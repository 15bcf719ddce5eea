/**
 * Where an off-heap cache pays: a node:http service in a child process, its handler reading ~110-byte
 * JSON records from a cache of 1M or 5M entries (cache-aside on a miss, parse and re-serialize), loaded
 * by autocannon in a process of its own (load-child.ts) that replays one prebuilt request stream, the
 * same for every peer. One server per peer at a time, alternating rounds, each in a fresh process
 * filled before it listens. Server and load generator share the machine's cores: each reports its CPU
 * per request, so the report shows which of them bound the run.
 */
import { formatMemory, formatCount } from '../harness/format.js'
import { STREAM_LENGTH, keySpaceFor } from '../service/keys.js'
import { LoadGenerator } from '../service/load.js'
import type { ProcessMemory, WindowReport } from '../service/probes.js'
import { serviceRows, figureOf, type RowContext } from '../service/rows.js'
import { alternate, runSession, type Session } from '../service/session.js'
import type { ServerReport, StartInput } from '../service/server-child.js'
import { BASELINE } from '../peers/types.js'
import { FLOOR, FLOOR_NAME } from '../service/floor.js'
import type { Row, Skip } from '../harness/results.js'
import type { Suite, SuiteContext } from './types.js'

export const SERVICE_ROUNDS = 2
export const CONNECTIONS = 32
export const PATHS_SEED = 20

export function serviceTiming(quick: boolean): { warmupSeconds: number; measureSeconds: number } {
  return quick ? { warmupSeconds: 1, measureSeconds: 2 } : { warmupSeconds: 5, measureSeconds: 15 }
}

/**
 * GC pauses are also read over a minute at 5M entries in the full run (not --quick): a service runs for
 * hours, and a 15 s window only shows the collections that fit in it. The server is kept and the load
 * goes on for the rest of the minute after the measured window; the 15 s figures stay as they are.
 */
export const LONG_GC_WINDOW_SECONDS = 60

function extendSeconds(quick: boolean, entries: number): number {
  return !quick && entries >= 5_000_000 ? LONG_GC_WINDOW_SECONDS - serviceTiming(quick).measureSeconds : 0
}

function sizes(quick: boolean): number[] {
  return quick ? [100_000] : [1_000_000, 5_000_000]
}

/**
 * lru-cache and Cortado: the comparison the issue asks for (a server per peer per round is seconds
 * each); in the single-server suite also Cortado + front (its per-thread front of hot values, an
 * option, measured beside). Then the floor (floor.ts): not a peer, the least any cache can cost here,
 * measured in the same rounds with the same load (a few seconds of fill more per round).
 */
export function servicePeers(ctx: Pick<SuiteContext, 'peers'>, o: { front?: boolean } = {}): string[] {
  const peers = ctx.peers.filter((p) => p.id === BASELINE || p.id === 'cortado' || (o.front === true && p.id === 'cortado-front')).map((p) => p.id)
  return [...peers, FLOOR]
}

export function serviceMethod(quick: boolean, rounds: number, extra: string): string {
  const t = serviceTiming(quick)
  return (
    `autocannon in a process of its own, ${CONNECTIONS} keep-alive connections, each reading its own slice of one prebuilt request stream ` +
    `(the same for every peer), against the server in another process (the 2 cores are shared by server and load generator); Zipf(0.9) keys over 2× the cache's entries (~10% misses, ` +
    `loaded from the origin and set); ${t.warmupSeconds} s warm-up then ${t.measureSeconds} s measured; ` +
    `median of ${rounds} alternating rounds, a fresh process each; ${extra}`
  )
}

/**
 * Alternating rounds of one server module per peer over the key stream of a cache of `entries`: what
 * both service suites do before they make their rows.
 */
export async function measureServers<R extends WindowReport>(
  ctx: SuiteContext,
  o: { module: URL; entries: number; rounds: number; seed: number; start: (peer: string, keySpace: number) => unknown; extendSeconds?: number; front?: boolean },
): Promise<{ sessions: Map<string, Session<R>[]>; skipped: Skip[] }> {
  const keySpace = keySpaceFor(o.entries)
  const load = await LoadGenerator.start({ keySpace, seed: o.seed, length: STREAM_LENGTH, connections: CONNECTIONS })
  try {
    const { sessions, failed } = await alternate<R>(servicePeers(ctx, { front: o.front }), o.rounds, ctx.progress, (peer) =>
      runSession<R>({
        module: o.module,
        start: o.start(peer, keySpace),
        load,
        ...serviceTiming(ctx.quick),
        startTimeoutMs: 10 * 60_000,
        extendSeconds: o.extendSeconds,
      }),
    )
    return { sessions, skipped: [...failed].map(([peer, reason]) => ({ peer, reason })) }
  } finally {
    await load.stop()
  }
}

export const service: Suite = {
  kind: 'suite',
  id: 'service',
  title: 'HTTP service under load',
  plan: (ctx) => sizes(ctx.quick).length * servicePeers(ctx, { front: true }).length * SERVICE_ROUNDS,
  async run(ctx) {
    for (const entries of sizes(ctx.quick)) {
      ctx.progress.step(`service · ${formatCount(entries)} entries (node:http + autocannon)`)
      const { sessions, skipped } = await measureServers<ServerReport>(ctx, {
        module: new URL('../service/server-child.ts', import.meta.url),
        entries,
        rounds: SERVICE_ROUNDS,
        seed: PATHS_SEED,
        start: (peer, keySpace) => ({ peer, entries, keySpace }) satisfies StartInput,
        extendSeconds: extendSeconds(ctx.quick, entries),
        front: true,
      })
      const rc: RowContext = {
        suite: 'service',
        kase: `${formatCount(entries)} entries`,
        params: { entries },
        method: serviceMethod(ctx.quick, SERVICE_ROUNDS, `one node:http server, one cache; ${FLOOR_METHOD}`),
        skipped,
      }
      for (const row of serviceRows(rc, sessions)) ctx.emit(row)
      ctx.emit(rssRow(rc, sessions))
      const longGc = longGcRow(rc, sessions)
      if (longGc) ctx.emit(longGc)
    }
  },
}

/** What the floor column is, in every service row's method. */
export const FLOOR_METHOD =
  `${FLOOR_NAME}: not a cache to choose but the least any cache can cost on this load, run in the same rounds: the \`entries\` most popular records ` +
  `as bare bytes in one preallocated Buffer, found by arithmetic, each get a fresh string of the value (as Cortado's), misses loaded from the origin and not stored; ` +
  `its GC pause is the handler's and node:http's own, its requests/s the most a cache leaves the handler, its memory the process plus the records' bytes`

/** The RSS a zero-overhead store reaches: the floor's, less the offsets table it keeps to find records. */
function floorRss(s: Session<ServerReport>): number {
  return s.server.rssBytes - (s.server.floor?.indexBytes ?? 0)
}

function rssRow(rc: RowContext, sessions: Map<string, Session<ServerReport>[]>): Row {
  return {
    suite: rc.suite,
    case: rc.kase,
    params: { ...rc.params, measure: 'rss' },
    metric: 'bytes',
    better: 'lower',
    method: `${rc.method}; the server process's resident set (RSS) at the end of the window`,
    figures: [...sessions].map(([peer, s]) =>
      peer === FLOOR
        ? figureOf(peer, s, floorRss, {
            note: `per round: ${s.map((x) => `RSS ${formatMemory(x.server.rssBytes)} less its ${formatMemory(x.server.floor!.indexBytes)} offsets table = process ${formatMemory(floorRss(x) - x.server.floor!.payloadBytes)} + records' bytes ${formatMemory(x.server.floor!.payloadBytes)}; ${memoryNote(x.server.memory)}`).join('; ')}`,
          })
        : figureOf(peer, s, (x) => x.server.rssBytes, { note: `per round: ${s.map((x) => memoryNote(x.server.memory)).join('; ')}` }),
    ),
    skipped: rc.skipped,
  }
}

/** PSS and what it is made of (smaps_rollup): anonymous (heap, arena), file (node, libraries), shmem. */
export function memoryNote(m: ProcessMemory): string {
  return `PSS ${formatMemory(m.pss)} = anon ${formatMemory(m.pssAnon)} + file ${formatMemory(m.pssFile)} + shmem ${formatMemory(m.pssShmem)}`
}

/** GC pauses over the longer window (full run, 5M): the measured 15 s plus the rest of a minute. */
function longGcRow(rc: RowContext, sessions: Map<string, Session<ServerReport>[]>): Row | undefined {
  const all = [...sessions]
  if (all.length === 0 || !all.every(([, s]) => s.length > 0 && s.every((x) => x.extended))) return undefined
  return {
    suite: rc.suite,
    case: rc.kase,
    params: { ...rc.params, measure: 'gc-long' },
    metric: 'ms',
    better: 'lower',
    method:
      `${rc.method}; total GC pause over ${LONG_GC_WINDOW_SECONDS} s (perf_hooks "gc" entries): the measured window and the same load ` +
      `going on against the same server for the rest of the minute`,
    figures: all.map(([peer, s]) =>
      figureOf(peer, s, (x) => x.extended!.gcPauseMs, {
        note: `per round: ${s.map((x) => `${x.extended!.gcCount} pauses over ${(x.extended!.windowMs / 1000).toFixed(0)} s, longest ${x.extended!.gcMaxMs.toFixed(1)} ms, full GCs ${x.extended!.gcMajorMs.toFixed(0)} ms, heap ${formatMemory(x.extended!.heapUsedBytes)} (${formatMemory(x.server.heapUsedBytes)} at 15 s)`).join('; ')}`,
      }),
    ),
    skipped: rc.skipped,
  }
}
