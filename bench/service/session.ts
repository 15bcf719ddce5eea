/**
 * One measured session: a server process started for one peer, warmed up by load that is not counted,
 * then a measured window of load, with the server's own report of that window. Rounds alternate the
 * peers (lru-cache first in even rounds, Cortado first in odd ones) so neither always runs on the host
 * the other just heated or left loaded.
 */
import type { Progress } from '../harness/progress.js'
import { ServerProcess } from './ipc.js'
import type { LoadGenerator, LoadResult } from './load.js'
import type { Runtime, WindowReport } from './probes.js'

export interface SessionPlan {
  /** The server's module (server-child.ts or pool-child.ts) and its start command's input. */
  module: URL
  start: unknown
  /** The load generator (its own process), its stream prepared; each session starts the stream over. */
  load: LoadGenerator
  warmupSeconds: number
  measureSeconds: number
  /** Deadline for the start command (a 5M fill takes a while on a loaded host). */
  startTimeoutMs: number
  /**
   * Seconds of the same load after the measured window, for a second report over the whole (longer)
   * window: GC pauses over a minute instead of 15 s. 0 or absent: none.
   */
  extendSeconds?: number
}

export interface Session<R extends WindowReport = WindowReport> {
  load: LoadResult
  server: R
  fillMs: number
  /** The server's report over the measured window plus `extendSeconds` (when asked for). */
  extended?: R
  /** How the server's processes ran (plain node on a bundle, or tsx): the primary first in a pool. */
  runtimes: Runtime[]
}

export async function runSession<R extends WindowReport>(plan: SessionPlan): Promise<Session<R>> {
  const server = await ServerProcess.spawn(plan.module, ['--expose-gc'])
  try {
    const started = await server.call<{ port: number; fillMs: number; runtime?: Runtime; runtimes?: Runtime[] }>('start', plan.start, plan.startTimeoutMs)
    const port = started.port
    if (plan.warmupSeconds > 0) await plan.load.run({ port, seconds: plan.warmupSeconds, fromStart: true })
    await server.call('window', undefined, 10_000)
    const load = await plan.load.run({ port, seconds: plan.measureSeconds, fromStart: plan.warmupSeconds <= 0 })
    const report = await server.call<R>('report', undefined, 30_000)
    let extended: R | undefined
    if (plan.extendSeconds && plan.extendSeconds > 0) {
      // The server's probe keeps counting from the window's start: this report covers both runs.
      await plan.load.run({ port, seconds: plan.extendSeconds, fromStart: false })
      extended = await server.call<R>('report', undefined, 30_000)
    }
    const runtimes = started.runtimes ?? (started.runtime ? [started.runtime] : [])
    return { load, server: report, fillMs: started.fillMs, extended, runtimes }
  } finally {
    await server.stop()
  }
}

/** The peers in this round's order: the baseline first in even rounds, last in odd ones. */
export function roundOrder<T>(peers: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...peers] : [...peers].reverse()
}

/**
 * Runs `rounds` alternating rounds of sessions for each peer. A peer whose session fails is dropped
 * from later rounds with its reason (the others go on), as the other suites do with a peer that throws.
 */
export async function alternate<R extends WindowReport>(
  peers: readonly string[],
  rounds: number,
  progress: Progress,
  session: (peer: string) => Promise<Session<R>>,
): Promise<{ sessions: Map<string, Session<R>[]>; failed: Map<string, string> }> {
  const sessions = new Map<string, Session<R>[]>(peers.map((p) => [p, []]))
  const failed = new Map<string, string>()
  for (let round = 0; round < rounds; round++) {
    for (const peer of roundOrder(peers, round)) {
      if (failed.has(peer)) continue
      progress.tick(`${peer} round ${round + 1}`)
      try {
        sessions.get(peer)!.push(await session(peer))
      } catch (err) {
        const reason = (err as Error).message.split('\n')[0]!
        failed.set(peer, reason)
        progress.log(`${peer}: ${reason}`)
      }
    }
  }
  for (const peer of failed.keys()) sessions.delete(peer)
  return { sessions, failed }
}
