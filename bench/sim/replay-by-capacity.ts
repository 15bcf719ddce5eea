/**
 * Replays a trace through a policy and keeps the hit ratio per capacity of requests after `fill`
 * (what bench/sim/per-capacity.ts and warmup-risk.ts print): adaptation shows there, where a whole-run
 * figure averages it away. Writes (OP_WRITE) are not reads; a trace without ops is all gets with a set
 * on a miss.
 */
import { OP_READ, OP_WRITE, type Trace } from '../workloads/trace.js'
import type { Policy } from './policy.js'

export interface CapacityRun {
  /** Hit ratio (%) of the reads in each capacity of requests after `fill` (NaN for one without reads). */
  blocks: number[]
  hits: number
  reads: number
  /** Hits and reads in the second half of the requests after `fill`. */
  lateHits: number
  lateReads: number
}

/** One request of a trace: a write (undefined), else whether the read hit (a get, or a get with a set on a miss). */
export function replayOne(p: Policy, op: number, key: number): boolean | undefined {
  if (op === OP_WRITE) {
    p.write!(key)
    return undefined
  }
  return op === OP_READ ? p.read!(key) : p.access(key)
}

export function replayByCapacity(p: Policy, trace: Trace, fill: number, capacity: number): CapacityRun {
  const run: CapacityRun = { blocks: [], hits: 0, reads: 0, lateHits: 0, lateReads: 0 }
  const n = trace.keys.length
  const half = fill + Math.floor((n - fill) / 2)
  let h = 0
  let r = 0
  for (let i = 0; i < n; i++) {
    const op = trace.ops === undefined ? 0 : trace.ops[i]!
    const k = trace.keys[i]!
    const hit = replayOne(p, op, k)
    if (hit !== undefined) {
      if (i >= fill) {
        r++
        if (hit) h++
        if (i >= half) {
          run.lateReads++
          if (hit) run.lateHits++
        }
      }
    }
    if (i >= fill && (i - fill + 1) % capacity === 0) {
      run.blocks.push(r === 0 ? NaN : (100 * h) / r)
      run.hits += h
      run.reads += r
      h = 0
      r = 0
    }
  }
  run.hits += h
  run.reads += r
  return run
}
