import { OP_READ, OP_WRITE, type Trace } from '../workloads/trace.js'
import type { Policy } from './policy.js'

export interface SimResult {
  trace: string
  policy: string
  size: number
  /** Reads (writes are not requests that can hit). */
  requests: number
  hits: number
  hitRatio: number
}

/**
 * Replays the whole trace through the policy (cold start, every read counted, as in the ARC paper).
 * A trace with ops also has writes (set) and reads whose misses are not written back.
 */
export function simulate(trace: Trace, policyName: string, size: number, policy: Policy): SimResult {
  const keys = trace.keys
  const ops = trace.ops
  let hits = 0
  let reads = keys.length
  if (ops === undefined) {
    for (let i = 0; i < keys.length; i++) if (policy.access(keys[i]!)) hits++
  } else {
    if (policy.read === undefined || policy.write === undefined) throw new Error(`${policyName} cannot replay a trace with writes (${trace.name})`)
    reads = 0
    for (let i = 0; i < keys.length; i++) {
      const op = ops[i]!
      if (op === OP_WRITE) {
        policy.write(keys[i]!)
        continue
      }
      reads++
      if (op === OP_READ ? policy.read(keys[i]!) : policy.access(keys[i]!)) hits++
    }
  }
  return { trace: trace.name, policy: policyName, size, requests: reads, hits, hitRatio: reads === 0 ? 0 : hits / reads }
}
