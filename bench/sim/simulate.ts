import type { Trace } from '../workloads/trace.js'
import type { Policy } from './policy.js'

export interface SimResult {
  trace: string
  policy: string
  size: number
  requests: number
  hits: number
  hitRatio: number
}

/** Replays the whole trace through the policy (cold start, every request counted, as in the ARC paper). */
export function simulate(trace: Trace, policyName: string, size: number, policy: Policy): SimResult {
  const keys = trace.keys
  let hits = 0
  for (let i = 0; i < keys.length; i++) if (policy.access(keys[i]!)) hits++
  return { trace: trace.name, policy: policyName, size, requests: keys.length, hits, hitRatio: hits / keys.length }
}
