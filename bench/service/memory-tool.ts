/**
 * What the two memory tools (server-memory.ts, pool-pss.ts) share: their arguments and a run of one
 * server module per peer in alternating rounds under the service's load, the load stopped whatever
 * happens. Each tool prints its own lines from the sessions.
 */
import { CONNECTIONS } from '../suites/service.js'
import { LoadGenerator } from './load.js'
import { STREAM_LENGTH, keySpaceFor } from './keys.js'
import { alternate, runSession, type Session } from './session.js'
import type { WindowReport } from './probes.js'

export interface MemoryToolArgs {
  entries: number
  peers: string[]
  rounds: number
  warmupSeconds: number
  measureSeconds: number
}

/** `[entries] [peers] [rounds=1] [warmup=5] [measure=15]` from argv, with the tool's own defaults. */
export function memoryToolArgs(entries: number, peers: string): MemoryToolArgs {
  const a = process.argv
  return {
    entries: Number(a[2] ?? entries),
    peers: (a[3] ?? peers).split(','),
    rounds: Number(a[4] ?? 1),
    warmupSeconds: Number(a[5] ?? 5),
    measureSeconds: Number(a[6] ?? 15),
  }
}

export const mib = (b: number) => (b / 2 ** 20).toFixed(1)

/** Runs `module`'s sessions and hands them to `print` with the window's start; prints the peers that failed. */
export async function runMemoryTool<R extends WindowReport>(args: MemoryToolArgs, o: {
  module: URL
  seed: number
  startTimeoutMs: number
  start: (peer: string, keySpace: number) => unknown
  print: (sessions: Map<string, Session<R>[]>, since: Date) => void
}): Promise<void> {
  const keySpace = keySpaceFor(args.entries)
  const load = await LoadGenerator.start({ keySpace, seed: o.seed, length: STREAM_LENGTH, connections: CONNECTIONS })
  const since = new Date()
  try {
    const progress = { tick: (s: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${s}`), log: (s: string) => console.error(s), step() {} }
    const { sessions, failed } = await alternate<R>(args.peers, args.rounds, progress as never, (peer) =>
      runSession<R>({
        module: o.module,
        start: o.start(peer, keySpace),
        load,
        warmupSeconds: args.warmupSeconds,
        measureSeconds: args.measureSeconds,
        startTimeoutMs: o.startTimeoutMs,
      }),
    )
    o.print(sessions, since)
    for (const [peer, reason] of failed) console.log(`${peer}: failed: ${reason}`)
  } finally {
    await load.stop()
  }
}
