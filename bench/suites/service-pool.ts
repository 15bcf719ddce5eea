/**
 * The service suite's pool variant: a node:cluster of 2 server processes on one port, sharing one
 * Cortado cache (the native engine over a /dev/shm file) against one lru-cache per worker holding
 * half the entries each (the same total). Requests are spread round-robin over the workers, so each
 * lru-cache sees the whole key stream with half the room: the hit ratio is the question, then memory.
 */
import { formatMemory, formatCount } from '../harness/format.js'
import type { Row } from '../harness/results.js'
import type { PoolInput, PoolReport } from '../service/pool-child.js'
import { figureOf, hitRatio, serviceRows, type RowContext } from '../service/rows.js'
import type { Session } from '../service/session.js'
import { FLOOR_METHOD, SERVICE_ROUNDS, measureServers, memoryNote, serviceMethod, servicePeers } from './service.js'
import { FLOOR_NAME } from '../service/floor.js'
import type { Suite } from './types.js'

export const POOL_WORKERS = 2
export const POOL_PATHS_SEED = 21

function sizes(quick: boolean): number[] {
  return quick ? [100_000] : [1_000_000]
}

/** --quick runs one round each (a smoke run that keeps CI short); the full run alternates SERVICE_ROUNDS. */
function rounds(quick: boolean): number {
  return quick ? 1 : SERVICE_ROUNDS
}

export const servicePool: Suite = {
  kind: 'suite',
  id: 'service-pool',
  title: 'HTTP service, a pool of 2 processes',
  plan: (ctx) => sizes(ctx.quick).length * servicePeers(ctx).length * rounds(ctx.quick),
  async run(ctx) {
    for (const entries of sizes(ctx.quick)) {
      ctx.progress.step(`service-pool · ${formatCount(entries)} entries, ${POOL_WORKERS} cluster workers`)
      const { sessions, skipped } = await measureServers<PoolReport>(ctx, {
        module: new URL('../service/pool-child.ts', import.meta.url),
        entries,
        rounds: rounds(ctx.quick),
        seed: POOL_PATHS_SEED,
        start: (peer, keySpace) => ({ peer, entries, keySpace, workers: POOL_WORKERS }) satisfies PoolInput,
      })
      const rc: RowContext = {
        suite: 'service-pool',
        kase: `${formatCount(entries)} entries, ${POOL_WORKERS} workers`,
        params: { entries, workers: POOL_WORKERS },
        method: serviceMethod(
          ctx.quick,
          rounds(ctx.quick),
          `node:cluster, ${POOL_WORKERS} workers on one port; Cortado: one cache of ${formatCount(entries)} entries on the native engine in a /dev/shm file, ` +
            `filled by a short-lived process of the cluster that exits before the servers start, and shared by the workers; lru-cache: one per worker, each filling its own with ${formatCount(entries / POOL_WORKERS)} entries; GC pauses and heap summed over the workers; ${FLOOR_METHOD}`,
        ),
        skipped,
      }
      for (const row of poolRows(rc, sessions)) ctx.emit(row)
    }
  },
}

/** The pool's PSS; for the floor, less what it holds beyond one shared copy of the records (floor.ts). */
export function poolMemory(s: Session<PoolReport>): number {
  return s.server.pssBytes - (s.server.floorExtraBytes ?? 0)
}

function poolRows(rc: RowContext, sessions: Map<string, Session<PoolReport>[]>): Row[] {
  type Note = (s: readonly Session<PoolReport>[]) => string
  const figures = (pick: (s: Session<PoolReport>) => number, note?: Note) =>
    [...sessions].map(([peer, s]) => figureOf(peer, s, pick, note ? { note: note(s) } : {}))
  const own = (measure: string, metric: string, better: Row['better'], method: string, pick: (s: Session<PoolReport>) => number, note?: Note): Row => ({
    suite: rc.suite,
    case: rc.kase,
    params: { ...rc.params, measure },
    metric,
    better,
    method: `${rc.method}; ${method}`,
    figures: figures(pick, note),
    skipped: rc.skipped,
  })
  return [
    own('hit-ratio', '%', 'higher', 'gets that found the record, over the measured window, all workers together', (s) => hitRatio(s) * 100),
    ...serviceRows(rc, sessions),
    own(
      'pss',
      'bytes',
      'lower',
      "proportional set size (/proc/<pid>/smaps_rollup Pss) of the primary and the workers, summed: the shared cache's pages count once; " +
        "Cortado's also counts the shared file's pages that no process maps (the native engine reserves the whole file when it creates it); " +
        `${FLOOR_NAME}: every worker holds the records (processes share no memory without a mapped file) and serves its hits from them; ` +
        "its figure is the pool's PSS less each worker's copy but one and less the offsets tables: the processes plus one copy of the records' bytes",
      poolMemory,
      (s) =>
        `per round, primary then workers: ${s
          .map((x) => `${x.server.floorExtraBytes ? `PSS ${formatMemory(x.server.pssBytes)} less ${formatMemory(x.server.floorExtraBytes)} (copies but one, offsets) = processes ${formatMemory(poolMemory(x) - x.server.floorPayloadBytes!)} + records' bytes ${formatMemory(x.server.floorPayloadBytes!)}: ` : ''}${x.server.shmUnmappedBytes ? `shared file's pages no process maps ${formatMemory(x.server.shmUnmappedBytes)} | ` : ''}${x.server.processes.map((p) => `${p.role} ${memoryNote(p)}, heap ${formatMemory(p.heapUsedBytes)} of ${formatMemory(p.heapTotalBytes)}`).join(' | ')}`)
          .join('; ')}`,
    ),
  ]
}
