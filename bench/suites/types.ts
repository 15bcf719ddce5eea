/**
 * Two kinds of suites. `OpSuite`s are throughput measurements of one operation over filled caches; the
 * throughput driver groups them by cache configuration so that a configuration is filled once for all of
 * them. `Suite`s run on their own (memory in child processes, workers, Redis, latency, hit ratio).
 */
import type { Kernel, Workload } from '../harness/kernels.js'
import type { Progress } from '../harness/progress.js'
import type { Row } from '../harness/results.js'
import type { CacheSpec, Peer } from '../peers/types.js'
import type { Pool } from '../harness/pool.js'

export interface SuiteContext {
  quick: boolean
  rounds: number
  /** Runnable peers, the baseline first. */
  peers: readonly Peer[]
  progress: Progress
  emit(row: Row): void
}

export interface Suite {
  kind: 'suite'
  id: string
  title: string
  /** Progress units run() will tick. */
  plan(ctx: Pick<SuiteContext, 'quick' | 'rounds' | 'peers'>): number
  run(ctx: SuiteContext): Promise<void>
}

export interface OpSuite {
  kind: 'ops'
  id: string
  title: string
  /**
   * Order within one filled configuration: read-only operations first (they need the fill intact),
   * then the ones that rewrite the cache.
   */
  order: number
  configs(quick: boolean): CacheSpec[]
  /** The operations to time, over the configuration's pool. */
  workload(pool: Pool): Workload
  /** The loop for one peer (a batch call for peers that have one, a loop of single calls otherwise). */
  kernel(peer: Peer): string
  /** Gets per operation, to turn hits into a hit ratio (0 for write-only operations). */
  getsPerOp: number
  /** A sanity check on the hit ratio: a get-hit that misses means a broken peer or fill. */
  expect?: 'all-hit' | 'all-miss'
  /** What is timed, for the "how measured" line. */
  describe(spec: CacheSpec): string
  /**
   * Issue 19's targets read this suite's rows with the front floor beside the front: the floor
   * (bench/peers/front-floor.ts) is filled and timed for its string-valued configurations, and only
   * for suites that say so (it is a second Cortado arena: no use elsewhere).
   */
  frontFloor?: boolean
}

export type AnySuite = Suite | OpSuite

export type { Kernel }
